"""Every pattern imageref matches, in one place.

Each pattern is assembled from small named pieces; the comment above a piece
states the rule it encodes. Patterns are compiled once, on first use (so
``import imageref`` does not import ``re``), with ``re.ASCII``, and are only
ever used with ``fullmatch`` so both ends are anchored. No piece nests a
quantifier over text that another quantifier can also take, so no pattern
backtracks super-linearly on long hostile input.

This module only answers "does this text follow the rule?"; deciding what the
parts of a reference mean (registry resolution, defaults, normalisation) is
done by the modules that use it.

:class:`imageref.ImageRef` runs few of them, on parts it has not seen before:
``REFERENCE`` (or a parser's :func:`reference_pattern`) over a whole reference of
the common shape, which composes ``TAG`` with the path's pieces; otherwise ``TAG``
for a tag (the slug rule and the platform-tag rule in one pass, the keys of its
first three platform tags captured), and ``PLATFORM_KEY_AFTER_DASH`` (one
``findall``) when it has four platform tags or more,
``IPV4_REGISTRY`` for a registry that starts with a digit and
``IPV6_REGISTRY_SHAPE`` (then a count of its groups) for one that starts with
``[``; ``TAG_SLUG`` and ``PLATFORM_PIECE`` when a tag is invalid (to word the
error) or its platform tags are read. :func:`split_platform_tag` (one platform tag
given alone) and :func:`is_printable` (the screen's test of ``PRINTABLE``) answer
with a few ``str`` methods instead, which is faster there. The test suite checks
each such reading against the pattern that states its rule (``IP_REGISTRY``,
``PLATFORM_TAG``, ``PRINTABLE``).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Iterable

__all__ = [
    "ENV_ENTRY",
    "GO_DIGEST",
    "IPV4_REGISTRY",
    "IPV6_REGISTRY_SHAPE",
    "IP_REGISTRY",
    "LOWER_HEX",
    "MAIN_VERSION",
    "MEDIA_TYPE",
    "NOT_PRINTABLE",
    "OCI_DIGEST",
    "OCI_DOMAIN",
    "OCI_IDENTIFIER",
    "OCI_NAME",
    "OCI_PATH",
    "OCI_PATH_COMPONENT",
    "OCI_REFERENCE",
    "OCI_TAG",
    "PEP440",
    "PLATFORM_COMPONENT",
    "PLATFORM_KEY_AFTER_DASH",
    "PLATFORM_OS_PART",
    "PLATFORM_PIECE",
    "PLATFORM_TAG",
    "PRINTABLE",
    "REFERENCE",
    "REFERENCE_FIRST",
    "RFC3339_DATE_TIME",
    "TAG",
    "TAG_SLUG",
    "URI",
    "is_ip_registry",
    "is_lower_hex",
    "is_printable",
    "is_reference_first",
    "reference_pattern",
    "split_platform_tag",
]

# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

# One ASCII letter or digit.
_ALNUM = r"[A-Za-z0-9]"

# One printable ASCII character other than the space: what a reference may contain.
_PRINTABLE_CHAR = r"[!-~]"


def _optional(piece: str) -> str:
    """*piece* or nothing: ``(?:piece|)``, the language of ``(?:piece)?``.

    Python's engine matches an alternation with an empty branch with less work than
    a group repeated zero or one times (on the tag pattern, about 40% fewer machine
    instructions per match, counted with callgrind); the answers and the
    backtracking are the same.
    """
    return f"(?:{piece}|)"


# ---------------------------------------------------------------------------
# Backend.AI 24.03 rules (the contract in shared/spec)
# ---------------------------------------------------------------------------

# A reference is one or more printable, non-space ASCII characters (divergence D1).
_PRINTABLE = rf"{_PRINTABLE_CHAR}+"

# Any character a reference may not contain (searched for to explain a D1 failure).
_NOT_PRINTABLE = r"[^!-~]"

# A tag is a slug: letters, digits, '.', '_', '-', starting and ending alphanumeric.
_TAG_SLUG = _ALNUM + _optional(rf"[A-Za-z0-9._-]*{_ALNUM}")

# A platform-tag key is one or more letters or underscores: "cuda", "py", "cuda_".
_PLATFORM_KEY = r"[A-Za-z_]+"

# A platform-tag version is digits, then ".digits" groups, then an optional run of
# lowercase letters and digits that starts with a letter ("16.04", "9b1", "1y").
# (Written so that the digits belong to one piece only: a trailing digit run is
# always part of the numeric groups, never of the suffix.)
_PLATFORM_VERSION = r"[0-9]+(?:\.[0-9]+)*" + _optional("[a-z][a-z0-9]*")

# A platform tag is a key immediately followed by an optional version.
_PLATFORM_TAG = rf"(?P<key>{_PLATFORM_KEY})" + _optional(rf"(?P<version>{_PLATFORM_VERSION})")

# The same, without groups (to repeat inside a larger pattern).
_PLATFORM_TAG_PLAIN = _PLATFORM_KEY + _optional(_PLATFORM_VERSION)

# Each platform tag of a tag's suffix, found by ``findall``: one starts at the
# start or after a "-" and ends at the next "-" or the end, so a suffix follows the
# rule exactly when there is one match per "-"-separated piece (a piece that breaks
# the rule is skipped, never split); ``findall`` gives ``(key, version)`` pairs.
_PLATFORM_PIECE = rf"(?:\A|-){_PLATFORM_TAG}(?=-|\Z)"


def _platform_tag_keyed(number: int) -> str:
    """A platform tag whose key is the group ``k<number>``, and no key of the groups
    ``k1`` to ``k<number - 1>`` (the rule "no platform key twice" for the first
    platform tags of ``_TAG``, decided in the match).

    A key is a whole run of key characters (the version after it starts with a
    digit), so "the same key" is an earlier key not followed by a key character.
    """
    earlier = "|".join(f"(?P=k{before})" for before in range(1, number))
    differs = rf"(?!(?:{earlier})(?![A-Za-z_]))" if earlier else ""
    return rf"{differs}(?P<k{number}>{_PLATFORM_KEY})" + _optional(_PLATFORM_VERSION)


# A tag's main version (its first "-" piece): slug characters but '-', starting with
# a letter or digit (imageref._tags.is_main_version reads it with str methods).
_MAIN_VERSION = rf"{_ALNUM}[A-Za-z0-9._]*"

# A tag of the 24.03 rule, read in one pass: the slug rule and the platform-tag rule
# together, from the same pieces. The main version is slug characters but '-'; the
# suffix is "-" + platform tag, any number of times; the last character is a letter
# or digit. (A tag matches exactly when _TAG_SLUG matches it and every "-" piece
# after the first matches _PLATFORM_TAG, and no key comes twice among the first
# three platform tags.) The keys of the first three platform tags are groups 1 to
# 3 (named k1 to k3: a later one may not repeat an earlier one) and the platform
# tags after them group 4: only a tag with four platform tags or more leaves "no
# key twice" to the caller (imageref._tags.keys_differ), when group 4 is not empty
# (the nesting only says that a later platform tag needs the earlier ones).
_TAG = (
    _MAIN_VERSION
    + _optional(
        rf"-{_platform_tag_keyed(1)}"
        + _optional(
            rf"-{_platform_tag_keyed(2)}"
            + _optional(rf"-{_platform_tag_keyed(3)}((?:-{_PLATFORM_TAG_PLAIN})*)")
        )
    )
    + rf"(?<={_ALNUM})"
)

# A path component of a reference read in one pass: printable ASCII (D1) but '/', ':'
# and '@' (the separators of the path, the tag and a digest); never empty (D2).
_REF_COMPONENT = r"[!-.0-9;-?A-~]+"

# A reference's first path component when a path follows it: the same, and ':' too
# (a registry's port: "localhost:5000/app").
_REF_FIRST = r"[!-.0-?A-~]+"


def _reference(registries: str) -> str:
    """A reference of the common shape, read in one pass: the source of ``REFERENCE``.

    ``first/path:tag`` where *first* is one of *registries* (an alternation of
    escaped names; ``(?!)`` for none): group 1, then the path, group 2; or
    ``first/path:tag`` with any first path component: groups 3 and 4; or
    ``name:tag``. The tag is a _TAG (groups 5 to 8). What matches is valid (but
    for a platform key twice after the third, which the caller checks as for _TAG), and
    splits where the steps of imageref._reference split it; anything else (no
    tag, a digest, an error) is left to those steps.
    """
    path = rf"{_REF_COMPONENT}(?:/{_REF_COMPONENT})*"
    return rf"(?:({registries})/({path})|({_REF_FIRST})/({path})|{_REF_COMPONENT}):{_TAG}"


# The key of each platform tag of a tag that matched _TAG ("-" then the key; the main
# version has no "-").
_PLATFORM_KEY_AFTER_DASH = rf"-({_PLATFORM_KEY})"

# An IPv4 octet is a decimal number 0..255 without leading zeros.
_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

# An IPv4 address is four octets joined by dots.
_IPV4 = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"

# An IPv6 group is one to four hex digits.
_H16 = r"[0-9A-Fa-f]{1,4}"

# The low 32 bits of an IPv6 address are two groups or an embedded IPv4 address.
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"

# An IPv6 address is eight groups, with one run of zero groups optionally written as
# "::" (RFC 3986 section 3.2.2, one alternative per position of the "::").
_IPV6 = (
    "(?:"
    + "|".join(
        [
            rf"(?:{_H16}:){{6}}{_LS32}",
            rf"::(?:{_H16}:){{5}}{_LS32}",
            rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
            rf"(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}",
            rf"(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}",
            rf"(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
            rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}",
            rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}",
            rf"(?:(?:{_H16}:){{0,6}}{_H16})?::",
        ]
    )
    + ")"
)

# An IPv6 zone is one or more unreserved or percent-encoded characters (RFC 6874).
_ZONE_ID = r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+"

# A port is one to five decimal digits whose value is at most 65535.
_PORT = r"(?:[0-5]?[0-9]{1,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"

# An IPv4 registry is an IPv4 address then an optional ":port".
_IPV4_REGISTRY = _IPV4 + _optional(f":{_PORT}")

# Groups of an IPv6 address: one or more h16 joined by ":".
_H16_RUN = rf"{_H16}(?::{_H16})*"

# The shape of an IPv6 address: groups with at most one "::" among them, optionally
# ending with a dotted tail (digits and dots, one dot at least) after a ":". What
# the caller, is_ip_registry, checks apart: that the tail is an IPv4 address
# (IPV4_REGISTRY, so the octet alternation is compiled once, not again in here), and
# how many groups the address spells: eight, or at most seven where "::" stands for
# the rest. (Counting is cheaper than the position-by-position alternation of
# _IPV6, which states the same rule for the test suite.)
_IPV6_SHAPE = (
    _optional(_optional(_H16_RUN) + "::")
    + rf"(?:{_H16_RUN}|(?:{_H16_RUN}:|(?<=::))[0-9]*\.[0-9.]*|(?<=::))"
)

# A bracketed IPv6 registry's shape: the address (group 1), an optional zone, then an
# optional ":port".
_IPV6_REGISTRY_SHAPE = (
    rf"\[({_IPV6_SHAPE})" + _optional(f"%{_ZONE_ID}") + r"\]" + _optional(f":{_PORT}")
)

# An IP-literal registry is IPv4 or a bracketed IPv6 (with optional zone), then an
# optional ":port" (divergence D7). The rule as RFC 3986 states it; is_ip_registry
# decides it with IPV4_REGISTRY and IPV6_REGISTRY_SHAPE, and the test suite holds the
# two equal.
_IP_REGISTRY = (
    rf"(?:{_IPV4}|\[{_IPV6}" + _optional(f"%{_ZONE_ID}") + r"\])" + _optional(f":{_PORT}")
)


# ---------------------------------------------------------------------------
# PEP 440 versions (for ordering only; imageref never rejects a tag for this)
# ---------------------------------------------------------------------------

# A PEP 440 separator is one optional '-', '_' or '.'.
_PEP440_SEP = r"[-_.]?"

# An epoch is a decimal number followed by '!'.
_PEP440_EPOCH = r"(?:(?P<epoch>[0-9]+)!)?"

# A release is decimal numbers joined by dots.
_PEP440_RELEASE = r"(?P<release>[0-9]+(?:\.[0-9]+)*)"

# A pre-release is a phase spelling then an optional number ("a1", ".beta", "-rc.2").
_PEP440_PRE = (
    rf"(?:{_PEP440_SEP}(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc){_PEP440_SEP}(?P<pre_n>[0-9]+)?)?"
)

# A post-release is "-N", or a post spelling then an optional number (".post1", "r").
_PEP440_POST = (
    r"(?:-(?P<post_n1>[0-9]+)"
    rf"|{_PEP440_SEP}(?P<post_l>post|rev|r){_PEP440_SEP}(?P<post_n2>[0-9]+)?)?"
)

# A development release is "dev" then an optional number (".dev0", "dev").
_PEP440_DEV = rf"(?:{_PEP440_SEP}(?P<dev_l>dev){_PEP440_SEP}(?P<dev_n>[0-9]+)?)?"

# A local label is '+' then alphanumeric segments joined by '-', '_' or '.'.
_PEP440_LOCAL = r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?"

# A PEP 440 version: optional 'v', epoch, release, pre, post, dev, local (any case).
_PEP440 = (
    rf"v?{_PEP440_EPOCH}{_PEP440_RELEASE}{_PEP440_PRE}{_PEP440_POST}{_PEP440_DEV}{_PEP440_LOCAL}"
)


class _LazyPattern:
    """A pattern that is compiled the first time one of its attributes is used.

    It stands in for the ``re.Pattern``: ``X.fullmatch(text)`` compiles once, then
    keeps the compiled pattern's bound method on this object, so later calls go
    straight to it.
    """

    def __init__(self, source: str, ignore_case: bool) -> None:
        self._source = source
        self._ignore_case = ignore_case

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name in ("_source", "_ignore_case"):
            raise AttributeError(name)
        import re  # noqa: PLC0415 - deferred on purpose: see the module docstring

        flags = re.ASCII | (re.IGNORECASE if self._ignore_case else 0)
        value = getattr(re.compile(self._source, flags), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"<lazily compiled pattern {self._source!r}>"


def _compile(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    # A stand-in with the interface of re.Pattern; see _LazyPattern.
    return _LazyPattern(pattern, ignore_case)  # type: ignore[return-value]


PRINTABLE = _compile(_PRINTABLE)
NOT_PRINTABLE = _compile(_NOT_PRINTABLE)
TAG_SLUG = _compile(_TAG_SLUG)
TAG = _compile(_TAG)
MAIN_VERSION = _compile(_MAIN_VERSION)
REFERENCE = _compile(_reference("(?!)"))
REFERENCE_FIRST = _compile(_REF_FIRST)
PLATFORM_KEY_AFTER_DASH = _compile(_PLATFORM_KEY_AFTER_DASH)
PLATFORM_TAG = _compile(_PLATFORM_TAG)
PLATFORM_PIECE = _compile(_PLATFORM_PIECE)
IP_REGISTRY = _compile(_IP_REGISTRY)
IPV4_REGISTRY = _compile(_IPV4_REGISTRY)
IPV6_REGISTRY_SHAPE = _compile(_IPV6_REGISTRY_SHAPE)
PEP440 = _compile(_PEP440, ignore_case=True)


# ---------------------------------------------------------------------------
# Deciding with the patterns above
# ---------------------------------------------------------------------------

_DIGITS = "0123456789"
# What _PLATFORM_KEY is made of.
_KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"


def split_platform_tag(text: str) -> tuple[str, str] | None:
    """``(key, version)`` when ``PLATFORM_TAG.fullmatch(text)`` matches, else None.

    The key is the longest run of letters and ``_`` at the start (a version starts
    with a digit, so it cannot take any of it); the version is the rest: a run of
    digits and dots that starts with a digit, has no empty group and does not end
    with a dot, then lowercase letters and digits starting with a letter.
    """
    rest = text.lstrip(_KEY_CHARS)
    if len(rest) == len(text) or not text.isascii():
        return None
    if not rest:
        return text, ""
    if rest[0] not in _DIGITS:
        return None
    suffix = rest.lstrip("0123456789.")
    if suffix:
        numeric = rest[: len(rest) - len(suffix)]
        if not (suffix.isalnum() and suffix.islower()):
            return None
    else:
        numeric = rest
    if numeric[-1] == "." or ".." in numeric:
        return None
    return text[: len(text) - len(rest)], rest


def reference_pattern(registries: Iterable[str]) -> re.Pattern[str]:
    """``REFERENCE`` whose group 1 also matches each of *registries* (compiled now).

    Each name must be a first path component of the common shape (``_REF_FIRST``);
    the caller decides which names mean "this registry, then the path".
    """
    import re  # noqa: PLC0415 - deferred on purpose: see the module docstring

    names = sorted(registries, key=len, reverse=True)
    alternation = "|".join(map(re.escape, names)) or "(?!)"
    return re.compile(_reference(alternation), re.ASCII)


def is_reference_first(text: str) -> bool:
    """Whether *text* can be the first path component of ``REFERENCE``'s common shape."""
    return REFERENCE_FIRST.fullmatch(text) is not None


def is_printable(text: str) -> bool:
    """Whether every character of *text* is printable ASCII other than the space (D1).

    What ``PRINTABLE`` states for a non-empty text (an empty one passes here), with
    three ``str`` methods: faster than the pattern, and nothing to compile.
    """
    return text.isascii() and text.isprintable() and " " not in text


def is_lower_hex(text: str) -> bool:
    """Whether *text* is lowercase hex digits: ``LOWER_HEX.fullmatch(text)`` for a
    non-empty text (an empty one passes here).

    The ASCII bytes with every hex digit deleted leave nothing: twice as fast as the
    pattern on a 64-digit digest, which every descriptor and pinned reference has.
    """
    try:
        return not text.encode("ascii").translate(None, b"0123456789abcdef")
    except UnicodeEncodeError:
        return False


def is_ip_registry(text: str) -> bool:
    """Whether *text* is an IP-literal registry: ``IP_REGISTRY.fullmatch(text)`` matches.

    Only a text that starts with a digit or ``[`` can be one. A digit starts an IPv4
    registry (``IPV4_REGISTRY``); ``[`` a bracketed IPv6 one, whose shape
    ``IPV6_REGISTRY_SHAPE`` checks; here, its dotted tail if any must be an IPv4
    address, and its groups are counted: one more than its ``:`` (an embedded IPv4
    address counts two), exactly eight, or where ``::`` stands for some, at most
    seven besides (a ``::`` at either end adds no group).
    """
    first = text[:1]
    if first == "[":
        found = IPV6_REGISTRY_SHAPE.fullmatch(text)
        if found is None:
            return False
        address: str = found.group(1)
        dotted = "." in address  # an embedded IPv4 address, two groups' worth
        if dotted and IPV4_REGISTRY.fullmatch(address.rpartition(":")[2]) is None:
            return False
        groups = address.count(":") + 1 + dotted
        if "::" in address:
            return groups - 1 - address.startswith("::") - address.endswith("::") <= 7
        return groups == 8
    return "0" <= first <= "9" and IPV4_REGISTRY.fullmatch(text) is not None


# ---------------------------------------------------------------------------
# OCI / Docker distribution reference
# ---------------------------------------------------------------------------
# The grammar of Docker's distribution/reference v0.6.0 (regexp.go) and of
# go-digest v1.0.0 (digest.go, algorithm.go), used by ``imageref.oci``. Every
# repeated piece below alternates two disjoint character classes (an alphanumeric
# run, then a separator that holds no alphanumeric), so each character can only be
# taken by one piece and a failing match gives up in linear time. The composite
# name and reference patterns try the optional domain first and then the path: a
# fixed number of such linear passes (the tag is bounded at 128 characters).

# A path alphanumeric run is one or more lowercase letters and digits.
_OCI_ALNUM = r"[a-z0-9]+"

# A path separator is one '.', one '_', two '_', or a run of '-'.
_OCI_SEPARATOR = r"(?:[._]|__|-+)"

# A path component is alphanumeric runs joined by separators.
_OCI_PATH_COMPONENT = rf"{_OCI_ALNUM}(?:{_OCI_SEPARATOR}{_OCI_ALNUM})*"

# A repository path is path components joined by '/'.
_OCI_PATH = rf"{_OCI_PATH_COMPONENT}(?:/{_OCI_PATH_COMPONENT})*"

# A domain component is letters (any case) and digits, with '-' runs inside only.
# (Go writes it as "one alnum, or alnum [alnum-]* alnum"; this is the same set.)
_OCI_DOMAIN_COMPONENT = r"[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*"

# A domain name is domain components joined by '.' (so also a dotted IPv4 address).
_OCI_DOMAIN_NAME = rf"{_OCI_DOMAIN_COMPONENT}(?:\.{_OCI_DOMAIN_COMPONENT})*"

# An IPv6 host is hex digits and ':' in square brackets (no zone, no dotted tail).
_OCI_IPV6 = r"\[[A-Fa-f0-9:]+\]"

# A port is one or more decimal digits (the grammar sets no upper bound).
_OCI_PORT = r"[0-9]+"

# A domain is a domain name or a bracketed IPv6 host, then an optional ":port".
_OCI_DOMAIN = rf"(?:{_OCI_DOMAIN_NAME}|{_OCI_IPV6})(?::{_OCI_PORT})?"

# A name is an optional "domain/" then a repository path.
_OCI_NAME = rf"(?:(?P<domain>{_OCI_DOMAIN})/)?(?P<path>{_OCI_PATH})"

# A tag is a word character then up to 127 word characters, '.' or '-'.
_OCI_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"

# A digest algorithm component is a letter then letters and digits.
_OCI_DIGEST_ALGORITHM_COMPONENT = r"[A-Za-z][A-Za-z0-9]*"

# A digest algorithm is components joined by one of '-', '_', '+', '.'.
_OCI_DIGEST_ALGORITHM = (
    rf"{_OCI_DIGEST_ALGORITHM_COMPONENT}(?:[-_+.]{_OCI_DIGEST_ALGORITHM_COMPONENT})*"
)

# A digest's encoded part, as a reference may spell it: at least 32 hex digits.
_OCI_DIGEST_HEX = r"[0-9A-Fa-f]{32,}"

# A digest in a reference is "algorithm:hex".
_OCI_DIGEST = rf"{_OCI_DIGEST_ALGORITHM}:{_OCI_DIGEST_HEX}"

# A reference is a name, then an optional ":tag", then an optional "@digest".
_OCI_REFERENCE = rf"(?P<name>{_OCI_NAME})(?::(?P<tag>{_OCI_TAG}))?(?:@(?P<digest>{_OCI_DIGEST}))?"

# An image ID is exactly 64 lowercase hex digits (a bare one is not a name).
_OCI_IDENTIFIER = r"[a-f0-9]{64}"

# go-digest's own digest syntax: lowercase algorithm components joined by one of
# '.', '+', '_', '-', then ':' and letters, digits, '=', '_' or '-'.
_GO_DIGEST = r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]+"

# The encoded part of a sha256, sha384 or sha512 digest is lowercase hex only.
_LOWER_HEX = r"[a-f0-9]+"

OCI_PATH_COMPONENT = _compile(_OCI_PATH_COMPONENT)
OCI_PATH = _compile(_OCI_PATH)
OCI_DOMAIN = _compile(_OCI_DOMAIN)
OCI_NAME = _compile(_OCI_NAME)
OCI_TAG = _compile(_OCI_TAG)
OCI_DIGEST = _compile(_OCI_DIGEST)
OCI_REFERENCE = _compile(_OCI_REFERENCE)
OCI_IDENTIFIER = _compile(_OCI_IDENTIFIER)
GO_DIGEST = _compile(_GO_DIGEST)
LOWER_HEX = _compile(_LOWER_HEX)


# ---------------------------------------------------------------------------
# Platform strings (imageref.platforms), as containerd's platforms.go spells them
# ---------------------------------------------------------------------------

# An OS option (version or feature) is letters, digits, '_', '.', '-' and '%' escapes.
_PLATFORM_OPTION = r"[A-Za-z0-9_.%-]"

# The first part: an OS of letters, digits, '_', '-', then an optional
# "(version+feature+...)"; groups: OS, version, "+feature..." (each feature non-empty).
_PLATFORM_OS_PART = rf"([A-Za-z0-9_-]+)(?:\(({_PLATFORM_OPTION}*)((?:\+{_PLATFORM_OPTION}+)*)\))?"

# Every later part (architecture, variant): letters, digits, '_', '.', '-'.
_PLATFORM_COMPONENT = r"[A-Za-z0-9_.-]+"

PLATFORM_OS_PART = _compile(_PLATFORM_OS_PART)
PLATFORM_COMPONENT = _compile(_PLATFORM_COMPONENT)

# ---------------------------------------------------------------------------
# Registry documents (imageref.manifest), after the OCI image-spec's JSON schemas
# ---------------------------------------------------------------------------

# A media type's type or subtype: a letter or digit, then up to 126 of letters,
# digits and "!#$&^_.+-" (RFC 6838's restricted names, the spec's pattern).
_MEDIA_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"

# A media type is "type/subtype", without parameters.
_MEDIA_TYPE = rf"{_MEDIA_NAME}/{_MEDIA_NAME}"

# An absolute URI (RFC 3986): a scheme, ':', then URI characters and %XX escapes.
_URI = r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9._~!$&'()*+,;=:@/?#\[\]-]|%[0-9A-Fa-f]{2})*"

# An image config's environment entry (the image-spec's validator): a non-empty
# name without '=', then '=', then a value of one line.
_ENV_ENTRY = r"[^=]+=.*"

# An RFC 3339 date-time (section 5.6): date 'T' time, fraction, then 'Z' or an offset.
_RFC3339_DATE_TIME = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)

MEDIA_TYPE = _compile(_MEDIA_TYPE)
URI = _compile(_URI)
ENV_ENTRY = _compile(_ENV_ENTRY)
RFC3339_DATE_TIME = _compile(_RFC3339_DATE_TIME)
