"""Hypothesis strategies for image references, built from the grammar.

Every strategy here is assembled from the rules in the contract
(``shared/spec/backendai-imageref-24.03.md``) and the RFCs it points at, never from a
fixed list of sample references: registries (host names, ``host:port``, IPv4 and
bracketed IPv6 literals with zones and ports), known-registry configurations, path
components, tags (a main version plus platform tags), architectures, PEP 440
versions, and hostile text (arbitrary Unicode, control characters, very long
strings, and near misses one edit away from a valid reference).

Strategies that produce *valid* pieces say so; the ``near_*`` and ``hostile_*``
strategies deliberately straddle the boundaries (octet 255/256, port 65535/65536,
four/five hex digits, ...) so that a property comparing imageref with an
independent oracle can tell a correct boundary from an off-by-one.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from imageref import arch_name_aliases, default_registry, docker_api_arch_aliases

__all__ = [
    "DOCKER_HUB_REGISTRIES",
    "LOOKALIKE_REGISTRIES",
    "architectures",
    "boundary_configs",
    "boundary_ip_registries",
    "boundary_ipv4",
    "boundary_ipv6",
    "boundary_platform_tags",
    "boundary_references",
    "boundary_tags",
    "bracketed_ipv6",
    "digests",
    "hostile_text",
    "hostnames",
    "image_refs",
    "ipv4_addresses",
    "ipv6_addresses",
    "known_registries",
    "main_versions",
    "near_ip_registries",
    "near_misses",
    "near_pep440_versions",
    "non_str_values",
    "path_components",
    "paths",
    "pep440_versions",
    "platform_keys",
    "platform_tag_lists",
    "platform_tags",
    "platform_versions",
    "ports",
    "reference_text",
    "registries",
    "resolution_cases",
    "tags",
]

LOWER_ALNUM = string.ascii_lowercase + string.digits
ALNUM = string.ascii_letters + string.digits
HEX = string.hexdigits
# Every character that may appear in a reference at all (D1: printable ASCII, no space).
PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))
# Characters that change how a reference splits; edits favour them.
STRUCTURAL = "/:@.-_[]%!+#~ \t\n\x00"

DOCKER_HUB_REGISTRIES = ("docker.io", default_registry, "registry-1.docker.io", "x.docker.io")
# Names one step away from the special ones: a rule that compares with them loosely
# (prefix, suffix, substring) answers these wrongly.
LOOKALIKE_REGISTRIES = (
    *(f"x{default_registry}", f"a.{default_registry}", f"{default_registry}x", "xdocker.io"),
    *(f"{default_registry}.a", f"{default_registry}:5000", "docker.iox", "docker.io:443"),
    *("docker.io.x", "a-docker.io", "index.docker.i", "DOCKER.IO", "Index.Docker.IO"),
)


def _join(parts: Iterable[str], sep: str = "") -> str:
    return sep.join(parts)


# ---------------------------------------------------------------------------
# Registries
# ---------------------------------------------------------------------------

# A DNS label: alphanumerics, inner hyphens; case is kept as written.
_label = st.builds(
    lambda first, middle, last: first + middle + last if middle or last else first,
    st.sampled_from(ALNUM),
    st.text(alphabet=ALNUM + "-", max_size=6),
    st.sampled_from(ALNUM),
)


@st.composite
def hostnames(draw: st.DrawFn) -> str:
    """A DNS host name: ``localhost``, ``cr.backend.ai``, ``x.docker.io``, ..."""
    labels = draw(st.lists(_label, min_size=1, max_size=4))
    tld = draw(st.sampled_from(["", "io", "org", "ai", "local", "docker.io", "com"]))
    return _join([*labels, tld] if tld else labels, ".")


def ports(*, valid: bool = True) -> st.SearchStrategy[str]:
    """A port as written after ``:``: 1-5 digits up to 65535 (zero padding allowed).

    With ``valid=False`` the numbers and widths go past both limits (65536,
    six digits, empty).
    """
    if valid:
        return st.integers(0, 65535).flatmap(
            lambda n: st.integers(len(str(n)), 5).map(lambda width: str(n).zfill(width))
        )
    return st.one_of(
        st.integers(0, 65535).map(str),
        st.integers(65530, 70000).map(str),
        st.integers(0, 999_999).flatmap(
            lambda n: st.integers(len(str(n)), 7).map(lambda width: str(n).zfill(width))
        ),
        st.just(""),
    )


def _octet(valid: bool) -> st.SearchStrategy[str]:
    if valid:
        return st.integers(0, 255).map(str)
    return st.one_of(
        st.integers(0, 255).map(str),
        st.integers(250, 999).map(str),
        st.integers(0, 99).map(lambda n: "0" + str(n)),  # leading zero: not an octet
        st.just(""),
    )


def ipv4_addresses(*, valid: bool = True) -> st.SearchStrategy[str]:
    """A dotted-quad IPv4 address (``valid=False``: octets out of range, leading
    zeros, three or five parts)."""
    count = st.just(4) if valid else st.sampled_from([3, 4, 4, 4, 5])
    return count.flatmap(
        lambda n: st.lists(_octet(valid), min_size=n, max_size=n).map(lambda p: _join(p, "."))
    )


def _h16(valid: bool) -> st.SearchStrategy[str]:
    return st.text(alphabet=HEX, min_size=1 if valid else 0, max_size=4 if valid else 5)


@st.composite
def ipv6_addresses(draw: st.DrawFn, *, valid: bool = True) -> str:
    """An IPv6 address in any RFC 4291 text form: full, with one ``::`` anywhere,
    and with or without an embedded IPv4 tail. ``valid=False`` also makes too
    many or too few groups, five-digit groups and a second ``::``."""
    h16 = _h16(valid)
    ipv4_tail = draw(st.booleans())
    tail_groups = 2 if ipv4_tail else 0
    compressed = draw(st.booleans())
    total = 8 if valid else draw(st.integers(6, 9))
    if compressed:
        # "::" stands for at least one group.
        left = draw(st.integers(0, max(total - tail_groups - 1, 0)))
        right = draw(st.integers(0, max(total - tail_groups - 1 - left, 0)))
    else:
        left, right = total - tail_groups, 0
    lhs = draw(st.lists(h16, min_size=left, max_size=left))
    rhs = draw(st.lists(h16, min_size=right, max_size=right))
    if ipv4_tail:
        rhs.append(draw(ipv4_addresses(valid=valid)))
    if compressed:
        text = _join(lhs, ":") + "::" + _join(rhs, ":")
        if not valid and draw(st.booleans()):
            text = text.replace(":", "::", 1) if lhs or rhs else text + "::"
        return text
    return _join(lhs + rhs, ":")


_zone_char = st.one_of(
    st.sampled_from(ALNUM + "._~-"),
    st.text(alphabet=HEX, min_size=2, max_size=2).map(lambda h: "%" + h),
)


@st.composite
def bracketed_ipv6(draw: st.DrawFn, *, valid: bool = True) -> str:
    """``[IPv6]`` or ``[IPv6%zone]`` (RFC 6874 zone: unreserved or ``%XX``)."""
    address = draw(ipv6_addresses(valid=valid))
    zone = ""
    if draw(st.booleans()):
        zone = "%" + _join(draw(st.lists(_zone_char, min_size=1, max_size=5)))
        if not valid and draw(st.booleans()):
            zone = draw(st.sampled_from(["%", "%%", "%2", "%zz", "%a/b", "%a:b"]))
    return f"[{address}{zone}]"


@st.composite
def registries(draw: st.DrawFn) -> str:
    """A syntactically valid registry: host name or IP literal, optional port."""
    host = draw(
        st.one_of(
            hostnames(),
            st.sampled_from(DOCKER_HUB_REGISTRIES),
            st.sampled_from(LOOKALIKE_REGISTRIES),
            ipv4_addresses(),
            bracketed_ipv6(),
        )
    )
    if draw(st.booleans()):
        host = f"{host}:{draw(ports())}"
    return host


@st.composite
def near_ip_registries(draw: st.DrawFn) -> str:
    """Text at and around the IP-literal boundary: valid and invalid addresses,
    ports past 65535, missing brackets, stray ``@``/``#`` (D7)."""
    host = draw(
        st.one_of(
            ipv4_addresses(valid=False),
            bracketed_ipv6(valid=False),
            ipv6_addresses(valid=False),  # unbracketed: never an IP registry
            ipv4_addresses(),
            bracketed_ipv6(),
        )
    )
    suffix = draw(
        st.one_of(
            st.just(""),
            ports(valid=False).map(lambda p: ":" + p),
            st.sampled_from(["#x", ":", "@", ":80:80", "]", "/"]),
        )
    )
    prefix = draw(st.sampled_from(["", "", "", "user@", "0", "["]))
    return prefix + host + suffix


def known_registries(
    names: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Any]:
    """A ``known_registries`` argument: ``None``, a list, tuple, set or frozenset of
    names, a mapping keyed by name, one name as a ``str``, or the wildcard ``["*"]``."""
    pool = names if names is not None else registries()
    some = st.lists(pool, max_size=4)
    return st.one_of(
        st.none(),
        some,
        some.map(tuple),
        some.map(frozenset),
        st.dictionaries(pool, st.sampled_from(["", "http://x", 0]), max_size=4),
        st.just(["*"]),
        some.map(lambda names: [*names, "*"]),  # not the wildcard: "*" is just a name
        pool,  # one name as a str (D8), matched exactly
        st.just("*"),  # a str "*" is the name "*", not the wildcard
    )


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_lower_run = st.text(alphabet=LOWER_ALNUM, min_size=1, max_size=8)


@st.composite
def path_components(draw: st.DrawFn, *, loose: bool = False) -> str:
    """A repository path component.

    By default Docker's style: lowercase alphanumeric runs joined by ``.``, ``_``,
    ``__`` or dashes (``python``, ``python-tensorflow``, ``ngc.cuda``). With
    ``loose=True``, any printable ASCII without ``/``, ``:`` or ``@``, which the
    contract also accepts as a name.
    """
    if loose:
        return draw(
            st.text(
                alphabet=PRINTABLE.replace("/", "").replace(":", "").replace("@", ""),
                min_size=1,
                max_size=10,
            )
        )
    runs = draw(st.lists(_lower_run, min_size=1, max_size=3))
    seps = draw(
        st.lists(
            st.sampled_from([".", "_", "__", "-", "--"]),
            min_size=len(runs) - 1,
            max_size=len(runs) - 1,
        )
    )
    out = runs[0]
    for sep, run in zip(seps, runs[1:], strict=True):
        out += sep + run
    return out


def paths(*, loose: bool = False) -> st.SearchStrategy[str]:
    """One to three path components joined by ``/``."""
    return st.lists(path_components(loose=loose), min_size=1, max_size=3).map(
        lambda parts: _join(parts, "/")
    )


# ---------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------

_digits = st.integers(0, 2000).map(str)


def platform_keys() -> st.SearchStrategy[str]:
    """A platform-tag key: letters and underscores (``cuda``, ``py``, ``cuda_``, ``_a``)."""
    return st.one_of(
        st.sampled_from(["py", "cuda", "cudnn", "ubuntu", "alpine", "mkl", "cuda_", "rocm"]),
        st.text(alphabet=string.ascii_letters + "_", min_size=1, max_size=8),
    )


@st.composite
def platform_versions(draw: st.DrawFn) -> str:
    """A platform-tag version: digits, ``.digits`` groups, then an optional run of
    lowercase letters and digits starting with a letter (``36``, ``16.04``, ``9b1``)."""
    groups = draw(st.lists(_digits, min_size=1, max_size=3))
    suffix = ""
    if draw(st.booleans()):
        suffix = draw(st.sampled_from(string.ascii_lowercase)) + draw(
            st.text(alphabet=LOWER_ALNUM, max_size=3)
        )
    return _join(groups, ".") + suffix


@st.composite
def platform_tags(draw: st.DrawFn, key: str | None = None) -> tuple[str, str]:
    """A ``(key, version)`` pair; the version is ``""`` about a third of the time."""
    if key is None:
        key = draw(platform_keys())
    version = draw(st.one_of(st.just(""), platform_versions(), platform_versions()))
    return key, version


@st.composite
def platform_tag_lists(
    draw: st.DrawFn, *, min_size: int = 0, max_size: int = 4
) -> list[tuple[str, str]]:
    """Platform tags with distinct keys, in order."""
    keys = draw(st.lists(platform_keys(), min_size=min_size, max_size=max_size, unique=True))
    return [draw(platform_tags(key)) for key in keys]


@st.composite
def pep440_versions(draw: st.DrawFn) -> str:
    """A PEP 440 version in any spelling PEP 440 normalises: optional ``v``,
    epoch, release, pre/post/dev in every spelling and separator, local label,
    mixed case. Built from PEP 440's text, not from a regular expression."""
    sep = st.sampled_from(["", "", ".", "-", "_"])
    out = draw(st.sampled_from(["", "", "", "v", "V"]))
    if draw(st.integers(0, 5)) == 0:
        out += f"{draw(st.integers(0, 3))}!"
    release = draw(st.lists(st.integers(0, 2), min_size=1, max_size=3))
    if draw(st.booleans()):
        release += [0] * draw(st.integers(1, 2))  # trailing zeros are insignificant
    out += _join(map(str, release), ".")
    if draw(st.booleans()):
        spelling = draw(st.sampled_from(["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"]))
        number = draw(st.one_of(st.just(""), st.integers(0, 3).map(str)))
        out += draw(sep) + spelling + (draw(sep) + number if number else "")
    if draw(st.booleans()):
        if draw(st.booleans()):
            out += f"-{draw(st.integers(0, 3))}"
        else:
            spelling = draw(st.sampled_from(["post", "rev", "r"]))
            number = draw(st.one_of(st.just(""), st.integers(0, 3).map(str)))
            out += draw(sep) + spelling + (draw(sep) + number if number else "")
    if draw(st.booleans()):
        number = draw(st.one_of(st.just(""), st.integers(0, 3).map(str)))
        out += draw(sep) + "dev" + (draw(sep) + number if number else "")
    if draw(st.integers(0, 3)) == 0:
        segments = draw(
            st.lists(
                st.one_of(
                    st.integers(0, 20).map(str), st.text(LOWER_ALNUM, min_size=1, max_size=3)
                ),
                min_size=1,
                max_size=3,
            )
        )
        joined = segments[0]
        for segment in segments[1:]:
            joined += draw(st.sampled_from(".-_")) + segment
        out += "+" + joined
    if draw(st.booleans()):
        out = _join(c.upper() if draw(st.booleans()) else c for c in out)
    return out


def near_pep440_versions() -> st.SearchStrategy[str]:
    """PEP 440 versions after one edit with a character PEP 440 cares about."""
    return near_misses(pep440_versions(), alphabet="0123456789.-_+!vVabcdeoprstlw")


@st.composite
def main_versions(draw: st.DrawFn) -> str:
    """A main version: the tag's first ``-`` piece (``3.6``, ``latest``, ``gcc6.3``,
    ``1.0rc1``, ``3.``). Never contains ``-``; starts alphanumeric."""
    return draw(
        st.one_of(
            st.lists(_digits, min_size=1, max_size=3).map(lambda g: _join(g, ".")),
            pep440_versions().filter(
                lambda v: "-" not in v and "+" not in v and "!" not in v and v[0] in ALNUM
            ),
            st.sampled_from(["latest", "stable", "nightly"]),
            st.builds(
                lambda word, ver: word + ver,
                st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=4),
                platform_versions(),
            ),
            st.builds(
                lambda first, rest: first + rest,
                st.sampled_from(ALNUM),
                st.text(alphabet=ALNUM + "._", max_size=6),
            ),
        )
    )


def _render_platform(tags: list[tuple[str, str]]) -> list[str]:
    return [key + version for key, version in tags]


@st.composite
def tags(
    draw: st.DrawFn,
    *,
    main: st.SearchStrategy[str] | None = None,
    platform: st.SearchStrategy[list[tuple[str, str]]] | None = None,
) -> str:
    """A valid tag: a main version, then platform tags joined by ``-``.

    The tag as a whole must end alphanumeric, so a trailing key ending in ``_``
    gets a version.
    """
    head = draw(main if main is not None else main_versions())
    plat = draw(platform if platform is not None else platform_tag_lists())
    if plat and plat[-1][1] == "" and plat[-1][0].endswith("_"):
        plat[-1] = (plat[-1][0], draw(platform_versions()))
    if not plat and not head[-1].isalnum():
        head += draw(st.sampled_from(ALNUM))
    return _join([head, *_render_platform(plat)], "-")


# ---------------------------------------------------------------------------
# Whole references
# ---------------------------------------------------------------------------


@st.composite
def image_refs(
    draw: st.DrawFn,
    *,
    registry: st.SearchStrategy[str] | None = None,
    loose: bool = False,
) -> str:
    """A reference that is valid under *some* configuration: optional registry,
    path, optional ``:tag``."""
    out = draw(paths(loose=loose))
    if draw(st.booleans()):
        out = draw(registry if registry is not None else registries()) + "/" + out
    if draw(st.integers(0, 4)):
        out += ":" + draw(tags())
    if draw(st.integers(0, 5)) == 0:
        out += "@" + draw(digests())
    return out


DIGEST_SIZES = {"sha256": 64, "sha384": 96, "sha512": 128}


@st.composite
def digests(draw: st.DrawFn, *, valid: bool = True) -> str:
    """A content digest, ``algorithm:hex`` (D10: sha256/384/512, lowercase hex of
    the algorithm's length). ``valid=False`` also makes wrong lengths, upper case,
    other algorithms and a missing ``:``."""
    algorithm = draw(st.sampled_from(sorted(DIGEST_SIZES)))
    size = DIGEST_SIZES[algorithm]
    hex_digits = draw(st.text(alphabet="0123456789abcdef", min_size=size, max_size=size))
    if valid:
        return f"{algorithm}:{hex_digits}"
    return draw(
        st.sampled_from(
            [
                f"{algorithm}:{hex_digits}",
                f"{algorithm}:{hex_digits[:-1]}",
                f"{algorithm}:{hex_digits}0",
                f"{algorithm}:{hex_digits.upper()}",
                f"{algorithm}:{hex_digits[:-1]}g",
                f"{algorithm}{hex_digits}",
                f"md5:{hex_digits[:32]}",
                f"SHA256:{hex_digits}",
                f"sha256+b64:{hex_digits}",
                f":{hex_digits}",
                f"{algorithm}:",
                f"{algorithm}:{hex_digits}@{algorithm}:{hex_digits}",
            ]
        )
    )


def architectures() -> st.SearchStrategy[str]:
    """Every architecture alias and Docker-API name, plus unknown names (any text)."""
    return st.one_of(
        st.sampled_from(sorted({*arch_name_aliases, *arch_name_aliases.values()})),
        st.sampled_from(sorted({*docker_api_arch_aliases, *docker_api_arch_aliases.values()})),
        st.text(alphabet=LOWER_ALNUM + "_", min_size=1, max_size=8),
        st.text(max_size=6),
    )


# ---------------------------------------------------------------------------
# Hostile text
# ---------------------------------------------------------------------------


def near_misses(
    valid: st.SearchStrategy[str], alphabet: str = PRINTABLE + STRUCTURAL
) -> st.SearchStrategy[str]:
    """*valid* text after exactly one edit: insert, delete, replace or swap one
    character, with the inserted character drawn mostly from *alphabet*."""
    chars = st.one_of(st.sampled_from(alphabet), st.characters())

    @st.composite
    def edit(draw: st.DrawFn) -> str:
        text = draw(valid)
        if not text:
            return draw(chars)
        i = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace", "swap", "append"]))
        if op == "insert":
            return text[:i] + draw(chars) + text[i:]
        if op == "append":
            return text + draw(chars)
        if op == "delete":
            return text[:i] + text[i + 1 :]
        if op == "replace":
            return text[:i] + draw(chars) + text[i + 1 :]
        j = draw(st.integers(0, len(text) - 1))
        lo, hi = sorted((i, j))
        return (
            text[:lo] + text[hi] + text[lo + 1 : hi] + text[lo] + text[hi + 1 :]
            if lo < hi
            else text
        )

    return edit()


def hostile_text() -> st.SearchStrategy[str]:
    """Arbitrary Unicode, control characters, lone surrogates, long runs and
    repetitions of structural characters."""
    return st.one_of(
        st.text(),
        st.text(alphabet=st.characters(codec="utf-8")),
        st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Cs"])),
        st.text(alphabet=STRUCTURAL + "a0", max_size=40),
        st.builds(
            lambda unit, n, tail: unit * n + tail,
            st.sampled_from(["a", "1", "a-", "1.", ":", "/", "a/", "[::", "0.", "py3-", "_"]),
            st.integers(100, 5000),
            st.sampled_from(["", "!", ":", "-", "/", "@", "\x00"]),
        ),
        st.text(alphabet=PRINTABLE, min_size=200, max_size=2000),
    )


def reference_text() -> st.SearchStrategy[str]:
    """Everything a reference parser may be handed: valid references, near
    misses, IP-literal boundary cases, and hostile text."""
    valid = image_refs()
    return st.one_of(
        valid,
        st.builds(lambda ref, digest: f"{ref}@{digest}", valid, digests(valid=False)),
        image_refs(loose=True),
        image_refs(registry=near_ip_registries()),
        near_misses(valid),
        hostile_text(),
    )


def non_str_values() -> st.SearchStrategy[object]:
    """Values of every common type except ``str`` (D8)."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.binary(),
        st.binary().map(bytearray),
        st.lists(st.text(max_size=3), max_size=3),
        st.tuples(st.text(max_size=3)),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.builds(object),
    )


# ---------------------------------------------------------------------------
# Dense boundary generators: few symbols, so structural edge cases are common
# ---------------------------------------------------------------------------

BOUNDARY_OCTETS = (
    *("0", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255"),
    *("256", "260", "299", "300", "999", "1000", "00", "01", "010", "001", "0x1", ""),
)
BOUNDARY_PORTS = (
    *("0", "1", "80", "5000", "9999", "10000", "59999", "60000", "64999", "65000", "65499"),
    *("65500", "65529", "65530", "65535", "65536", "65539", "65540", "65600", "66000"),
    *("69999", "70000", "99999", "00000", "00080", "000080", "065535", "123456", "", "-1", "8a"),
)
BOUNDARY_H16 = ("0", "1", "a", "F", "ff", "abc", "ABCD", "ffff", "12345", "fffff", "g", "")
BOUNDARY_ZONES = (
    *("%", "%", "%eth0", "%25", "%2", "%zz", "%", "%a:b", "%a%20b", "%~._-", "%a/b"),
    *("%%25", "%25%", "%A", "%1", "%a%2", "%a%2g", "%%2", "%a%", "%%", "%%g0", "%eth0%41"),
    *("%25x", "%a%41:", "%%41-", "%a%4"),
)


@st.composite
def boundary_ipv4(draw: st.DrawFn) -> str:
    """Dotted quads at the edges: 255/256, leading zeros, three or five parts."""
    count = draw(st.sampled_from([4, 4, 4, 4, 3, 5]))
    return _join(
        draw(st.lists(st.sampled_from(BOUNDARY_OCTETS), min_size=count, max_size=count)), "."
    )


_GOOD_H16 = BOUNDARY_H16[:8]
_BAD_H16 = BOUNDARY_H16[8:]


@st.composite
def boundary_ipv6(draw: st.DrawFn) -> str:
    """IPv6 text at the edges: 7, 8 or 9 sixteen-bit slots with and without ``::``
    (so ``::`` standing for zero groups too), an IPv4 part at the end or elsewhere,
    a bad group now and then, a second ``::``, every kind of zone, and a missing
    bracket now and then. Mostly one defect at a time, so each rule is reached."""
    total = draw(st.sampled_from([6, 7, 7, 8, 8, 8, 8, 9]))
    compressed = draw(st.booleans())
    written = draw(st.integers(0, total)) if compressed else total
    tokens: list[str] = []
    slots = 0
    with_ipv4 = written >= 2 and draw(st.booleans())
    while slots < written - (2 if with_ipv4 else 0):
        tokens.append(draw(st.sampled_from(_GOOD_H16)))
        slots += 1
    if with_ipv4:
        ipv4 = draw(ipv4_addresses() if draw(st.integers(0, 3)) else boundary_ipv4())
        where = len(tokens) if draw(st.integers(0, 2)) else draw(st.integers(0, len(tokens)))
        tokens.insert(where, ipv4)
    if tokens and draw(st.integers(0, 5)) == 0:
        tokens[draw(st.integers(0, len(tokens) - 1))] = draw(st.sampled_from(_BAD_H16))
    if compressed:
        cut = draw(st.integers(0, len(tokens)))
        text = _join(tokens[:cut], ":") + "::" + _join(tokens[cut:], ":")
        if draw(st.integers(0, 7)) == 0:
            text = text.replace(":", "::", 1) if tokens else "::::"
    else:
        text = _join(tokens, ":")
    if draw(st.booleans()):
        text += draw(st.sampled_from(BOUNDARY_ZONES))
    opening, closing = draw(st.sampled_from([("[", "]")] * 27 + [("", ""), ("[", ""), ("", "]")]))
    return opening + text + closing


def boundary_ip_registries() -> st.SearchStrategy[str]:
    """IP-literal registries at every edge D7 draws, with and without ports."""
    port = st.one_of(st.just(None), st.sampled_from(BOUNDARY_PORTS))
    return st.builds(
        lambda host, p: host if p is None else f"{host}:{p}",
        st.one_of(boundary_ipv4(), boundary_ipv6()),
        port,
    )


def boundary_platform_tags() -> st.SearchStrategy[str]:
    """Short text over the symbols a platform tag is made of (and a few it is not)."""
    return st.text(alphabet="aZ_09.b-+", max_size=7)


def boundary_tags() -> st.SearchStrategy[str]:
    """Short text over the symbols of a tag slug and its neighbours."""
    return st.text(alphabet="a0Z._-+~:/py", max_size=7)


REFERENCE_TOKENS = (
    *("docker.io", "index.docker.io", "x.docker.io", "lablup", *LOOKALIKE_REGISTRIES),
    *("a", "b1", "a:5000", "1.2.3.4", "1.2.3.256", "[::1]", "[::1%25x]", "*", "@"),
    *(":", ":", ":", "/", "/", "/", "/", "5000", "65536", "-", ".", "_", "1", "py3", "cuda9"),
)
BOUNDARY_CONFIGS: tuple[Any, ...] = (
    *(None, [], ["a"], ["a:5000"], ("a",), {"a": 1}, ["*"], ("*",), {"*": 1}, ["*", "a"]),
    *(["docker.io"], ["x.docker.io"], {"b1", "a"}, frozenset({"xdocker.io"}), ["lablup"]),
    *(["index.docker.io"], {"docker.io.x": None}, ["1.2.3.256"], ["@"]),
)


def boundary_references() -> st.SearchStrategy[str]:
    """References glued from structural tokens: registries of every kind, ``:``,
    ``/``, ``*``, ``@``, ports, Docker Hub look-alikes."""
    return st.lists(st.sampled_from(REFERENCE_TOKENS), min_size=1, max_size=8).map(_join)


def boundary_configs() -> st.SearchStrategy[Any]:
    """Known-registry configurations that match the tokens above."""
    return st.sampled_from(BOUNDARY_CONFIGS)


@st.composite
def resolution_cases(draw: st.DrawFn) -> tuple[str, Any]:
    """``registry/path[:tag]`` and a configuration that lists that registry (at any
    position, in any container), lists only others, is ``["*"]``, or is ``None``."""
    registry = draw(
        st.one_of(
            st.sampled_from(DOCKER_HUB_REGISTRIES + LOOKALIKE_REGISTRIES),
            registries(),
            boundary_ip_registries(),
        )
    )
    value = f"{registry}/{draw(paths())}"
    if draw(st.booleans()):
        value += ":" + draw(tags())
    others = draw(
        st.lists(st.one_of(registries(), st.sampled_from(LOOKALIKE_REGISTRIES)), max_size=3)
    )
    listed = list(others)
    listed.insert(draw(st.integers(0, len(others))), registry)
    known: Any = draw(
        st.sampled_from(
            [
                None,
                ["*"],
                others,
                listed,
                tuple(listed),
                set(listed),
                {key: {} for key in listed},
                frozenset(others),
            ]
        )
    )
    return value, known
