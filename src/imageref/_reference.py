"""How a Backend.AI 24.03 reference string is read: the one parse path.

:func:`parse_reference` reads a string in four steps, in the order of their errors;
each rule is decided in one place, and read from top to bottom there:

1. *screen* (:func:`screen`): a ``str`` (D8), printable ASCII (D1), a valid
   ``@digest`` if there is one (split off; the rest reads what is before it), no
   URL scheme and no empty path component (D2);
2. *tag split*: at the last ``:`` (no ``:`` means ``latest``; a ``:`` followed by
   a ``/`` is a registry's port when that first component is a registry,
   :func:`is_registry`) into the *head* and the tag;
3. *registry and name* (the head's *site*): the first path component is the
   registry when it is a known one (the default registry, a configured name, an
   IP literal, :func:`~imageref._grammar.is_ip_registry`) or any registry is
   allowed (``["*"]``); else the default registry is assumed; single-component
   Docker Hub names get the default repository;
4. *tag* (:func:`imageref._tags.check_tag`): the tag is a slug; its first ``-``
   piece is the main version and the others are platform tags, no key twice.

The site (step 3) and the tag check (step 4) are pure functions of one part (the
head, the tag), memoised per part (:class:`imageref._memo.Table`: tables that stop
admitting while they do not answer, so a stream of new references pays the rules'
work and nothing else). Their tables only hold parts that passed every rule, so a
reference whose parts were seen before costs a few lookups, and whatever the
tables hold the answer is the same. What a reader may never need (the platform
tags as a :class:`~imageref.PlatformTagSet`, sort keys, aliases) is built when
first asked for, from the tag.

A part not in the tables is first tried by one match of
:data:`~imageref._grammar.REFERENCE` over the whole input: the common shape
(``first/path:tag`` or ``name:tag``, no digest) passes the screen, the split and
the tag's rules in that one pass, built from the same grammar pieces (only "no
platform key twice" after the third is left, :func:`~imageref._tags.keys_differ`). Its first
alternative holds configured registry names (:func:`known_pattern`: once per
:class:`~imageref.ImageRefParser`, once per ``known_registries`` list for the
constructor), so a reference on one of them is decided by the match alone. What
does not match goes through the steps, which give every error in its order.

The steps are written out in :func:`parse_reference` rather than called one by
one: on a first sighting each Python call is a measurable part of the whole
(``docs/performance.md``). :func:`screen` and :func:`~imageref._tags.check_tag`
are functions because Backend.AI 26.09's reading uses them too.
"""

from __future__ import annotations

from _collections_abc import Iterable, Mapping

from ._digest import digest_error
from ._grammar import (
    NOT_PRINTABLE,
    REFERENCE,
    is_ip_registry,
    is_printable,
    is_reference_first,
    reference_pattern,
)
from ._memo import Table, remember, table
from ._tags import _tag_table, check_tag, keys_differ, valid_tags
from .errors import ImageRefError, _name_error, _show, _type_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from re import Pattern
    from typing import TypeAlias

    # A head's site (see parse_reference).
    Site: TypeAlias = tuple[str | None, str, str, str, str]

__all__ = [
    "KnownRegistries",
    "default_registry",
    "default_repository",
    "is_known_registry",
    "is_registry",
    "known_pattern",
    "parse_reference",
    "screen",
    "site_of",
]

#: The registry assumed when a reference names none (Docker Hub's index).
default_registry = "index.docker.io"

#: The project prefixed to single-component names on Docker Hub (``python`` ->
#: ``lablup/python``).
default_repository = "lablup"

#: What ``known_registries`` may be: ``None``, a sequence (or set) of registry
#: names, a mapping keyed by registry name, one name as a ``str``, or ``["*"]``
#: for "any registry".
KnownRegistries = Iterable[str] | Mapping[str, object] | None

_WILDCARD = ["*"]


# ---------------------------------------------------------------------------
# Registries
# ---------------------------------------------------------------------------


def check_known(known: object) -> KnownRegistries:
    """``known_registries`` as names to look a registry up in (the one place it is read).

    A ``str`` is one registry name, matched exactly (D8: Backend.AI's endpoint code
    passes one; the reference's ``in`` would match any substring), so ``"*"`` is the
    name ``*``, not the wildcard ``["*"]``. ``bytes``, ``bytearray`` and values
    without ``__contains__`` raise :class:`~imageref.ImageRefTypeError`.
    """
    if isinstance(known, str):
        return (str.__str__(known),)
    if known is not None and (
        isinstance(known, (bytes, bytearray)) or not hasattr(type(known), "__contains__")
    ):
        raise _type_error(
            "known_registries", "a sequence or mapping of registry names, a str, or None", known
        )
    return known  # type: ignore[return-value]


def is_docker_hub(registry: str) -> bool:
    """Whether single-component names under *registry* get the default repository."""
    return registry == "docker.io" or registry.endswith(".docker.io")


def is_registry(first: str, known: KnownRegistries) -> bool:
    """Whether a first path component *first* is taken as the registry (*known* checked)."""
    return (
        first == default_registry
        or (known is not None and (first in known or known == _WILDCARD))
        or is_ip_registry(first)
    )


def is_known_registry(val: str, known_registries: KnownRegistries = None) -> bool:
    """Whether *val* names a registry that imageref recognises without guessing.

    True for the default registry, for a name in *known_registries* (a sequence of
    names, a mapping keyed by name, or one name as a ``str``, matched exactly), and
    for an IP literal: a dotted-quad IPv4 address or a bracketed IPv6 address (with
    an optional ``%zone``), either optionally followed by ``:port``.

    >>> is_known_registry("index.docker.io")
    True
    >>> is_known_registry("cr.backend.ai"), is_known_registry("cr.backend.ai", ["cr.backend.ai"])
    (False, True)
    >>> is_known_registry("127.0.0.1:5000"), is_known_registry("[::1]:5000")
    (True, True)
    >>> is_known_registry("localhost:5000"), is_known_registry("cr", "cr.backend.ai")
    (False, False)
    """
    if not isinstance(val, str):
        raise _type_error("registry", "a str", val)
    known = check_known(known_registries)
    return val == default_registry or (known is not None and val in known) or is_ip_registry(val)


# ---------------------------------------------------------------------------
# Errors of the screen (kept out of line so the parse path stays short)
# ---------------------------------------------------------------------------


def _screen_error(value: object) -> ImageRefError:
    """The error for a *value* that is not a str of printable ASCII (D8, D1)."""
    if not isinstance(value, str):
        return _type_error("an image reference", "a str", value)
    found = NOT_PRINTABLE.search(value)
    if found is None:  # pragma: no cover - only called when D1 fails
        raise AssertionError("value is printable ASCII")
    char = found.group()
    if char.isspace():
        kind = "whitespace"
    elif char.isascii():
        kind = "control character"
    else:
        kind = "non-ASCII character"
    return _name_error(
        value,
        f"{kind} {char!r} at index {found.start()}; a reference is printable ASCII without spaces",
    )


def _path_error(value: str, text: str) -> ImageRefError:
    """The error for a *text* with a URL scheme or an empty path component (D2)."""
    if "://" in text or text.startswith("//"):
        return _name_error(value, "a URL scheme or '//' is not part of an image reference")
    return _name_error(value, "empty path component")  # a leading, trailing or double "/"


def digest_failure(value: str, digest: str) -> ImageRefError | None:
    """The error for *value* when its *digest* breaks go-digest's rules, else None."""
    reason = digest_error(digest)
    return None if reason is None else _name_error(value, f"{reason}: {_show(digest)}")


# ---------------------------------------------------------------------------
# The parse path
# ---------------------------------------------------------------------------


def screen(value: object) -> tuple[str, str | None]:
    """``(text, digest)``: *value* checked as a whole, its ``@digest`` split off.

    A ``str`` (D8) of printable ASCII (D1); a digest go-digest accepts; no URL
    scheme and no empty path component (D2) in the text before the digest.
    """
    if not isinstance(value, str) or not is_printable(value):
        raise _screen_error(value)
    text = value
    digest = None
    if "@" in value:
        text, _, digest = value.partition("@")
        failure = digest_failure(value, digest)
        if failure is not None:
            raise failure
    if "/" in text and (text[0] == "/" or text[-1] == "/" or "//" in text):
        raise _path_error(value, text)
    return text, digest


# Parses that found both parts in the tables: a hit for each table (see imageref._memo),
# counted in the tag table's shared count, which the head table shares.
both_hits = valid_tags.shared
# Sites of valid heads, by head text (see parse_reference). Bounded (see imageref._memo).
heads = Table(2048, both_hits)
_head_table = heads.entries


def site_of(head: str, value: str, known: KnownRegistries) -> Site:
    """The site of *head* (step 3; errors name *value*), offered to the head table.

    ``(first, registry, name, known_name, any_name)``: the registry and name when
    the first path component is not a configured registry; and when that can
    change the answer (``first`` is not None), the name when ``first`` is a
    configured registry and when any registry is allowed (``["*"]``). The default
    registry and IP literals are always the registry.
    """
    first, slash, rest = head.partition("/")
    site: Site
    if not slash:  # a name directly under Docker Hub
        if not head:
            raise _name_error(value, "empty image name")
        site = (None, default_registry, f"{default_repository}/{head}", "", "")
    elif head[-1] == "/":  # "a/:tag" (the screen saw only the whole input)
        # An empty name when "a" is the registry (rule 4), else an empty component (D2).
        empty = not rest and is_registry(first, known)
        raise _name_error(value, "empty image name" if empty else "empty path component")
    elif first == default_registry:
        name = rest if "/" in rest else f"{default_repository}/{rest}"
        site = (None, first, name, "", "")
    elif is_ip_registry(first):
        site = (None, first, rest, "", "")
    else:  # the registry when configured (or "*"); else part of the name
        hub = "/" not in rest and is_docker_hub(first)
        site = (
            first,
            default_registry,
            head,
            f"{default_repository}/{rest}" if hub else rest,
            rest,
        )
    if heads.rest and head != heads.last:
        heads.rest -= 1
        heads.last = head
    else:
        heads.learn(head, site)
    return site


def known_pattern(known: KnownRegistries) -> Pattern[str]:
    """The ``REFERENCE`` of :func:`parse_reference` for *known*: its group 1 matches the
    configured registries under which a path is the name as it stands.

    That is each name of *known* that can be a first path component of the common
    shape, but the default registry and Docker Hub's names (a one-component name
    there gets the default repository) and IP literals (always a registry): a
    reference on one of them has the site :func:`site_of` gives a configured
    registry. Without such names (or with ``["*"]``, any
    registry), it is ``REFERENCE`` itself.
    """
    if known is None or known == _WILDCARD:
        return REFERENCE
    names = [
        name
        for name in known
        if type(name) is str
        and name != default_registry
        and not is_docker_hub(name)
        and not is_ip_registry(name)
        and is_reference_first(name)
    ]
    return reference_pattern(names) if names else REFERENCE


# known_pattern of each known_registries list given to the constructor, by its names
# (a service passes the same few lists). Bounded (see imageref._memo).
_list_patterns: dict[tuple[object, ...], Pattern[str]] = table()
_LIST_PATTERNS_LIMIT = 16


def _list_pattern(known: list[str]) -> Pattern[str]:
    """:func:`known_pattern` of a ``known_registries`` list (memoised by its names).

    The last list's names and pattern are also kept as :data:`last_list` (what
    :func:`parse_reference` compares a list with before calling this).
    """
    global last_list  # noqa: PLW0603 - one tuple, replaced whole (atomic under the GIL)
    try:
        key = tuple(known)
        pattern = _list_patterns.get(key) or remember(
            _list_patterns, key, known_pattern(known), _LIST_PATTERNS_LIMIT
        )
    except TypeError:  # an unhashable name (it is never a registry)
        return REFERENCE
    last_list = (list(key), pattern)
    return pattern


#: The names of the last ``known_registries`` list :func:`_list_pattern` was asked
#: about (a copy: the caller's list may change), and its pattern. A service passes
#: the same list each time; comparing two lists of a few names costs a fraction of
#: the call and the tuple's hash.
last_list: tuple[list[object], Pattern[str]] = ([], REFERENCE)


def parse_reference(  # noqa: PLR0915 - the steps written out: a call costs (performance.md)
    value: str, known: KnownRegistries, pattern: Pattern[str] | None = None
) -> tuple[str, str, str, str | None]:
    """``(registry, name, tag, digest)`` of *value*; the steps of the module docstring.

    The registry and name come from the head's site (:func:`site_of`), a pure
    function of the head, memoised per head. *pattern* is :func:`known_pattern` of
    *known* (None: this function finds it, for a list, or uses ``REFERENCE``).

    >>> parse_reference("cr.backend.ai/stable/python:3.9", ["cr.backend.ai"])
    ('cr.backend.ai', 'stable/python', '3.9', None)
    """
    if known is not None and type(known) is not list and type(known) is not frozenset:
        known = check_known(known)  # a str is one name
    if type(value) is not str:  # a str subclass is read as its text; anything else fails
        value = str.__str__(value) if isinstance(value, str) else screen(value)[0]
    # Parts seen before are in the tables, which only hold parts that passed every
    # rule. Look the plain split at the last ":" up first: when both parts are
    # there, it is the split of step 2 (a valid tag has no "/"), and the whole
    # input passed the screen too (printable, no "@", no empty component).
    head, colon, tag = value.rpartition(":")
    site = _head_table.get(head)
    digest = None
    if site is not None and tag in _tag_table:
        both_hits.count += 1
    else:
        # A reference of the common shape passes every rule in one match of
        # REFERENCE (no digest, a tag: split where the steps split it, above).
        if pattern is None:
            if type(known) is not list or not known:
                pattern = REFERENCE
            else:
                names, pattern = last_list
                if known != names:
                    pattern = _list_pattern(known)
        found = pattern.fullmatch(value)
        if found is not None and (not found[8] or keys_differ(tag)):
            if site is not None:
                heads.hits += 1
            elif found[1] is not None and heads.rest and head != heads.last:
                # A configured registry, then the name as it stands, while the head
                # table rests: the tag is not offered either (a tag kept without its
                # head cannot make this reference's repeat a lookup).
                heads.rest -= 1
                heads.last = head
                return found[1], found[2], tag, None
            else:
                site = site_of(head, value, known)
            # valid_tags.offer(tag, tag), inlined. The match decided the tag, so
            # the tag table answered nothing here: a resting table counts the offer
            # down without looking the tag up.
            if valid_tags.rest and tag != valid_tags.last:
                valid_tags.rest -= 1
                valid_tags.last = tag
            elif tag not in _tag_table:
                valid_tags.learn(tag, tag)
        else:  # every rule, in the order of its errors
            looked_up = head
            # 1. The screen.
            text, digest = screen(value)
            # 2. The tag: after the last ":" (none: "latest"); a ":" before a "/" of
            #    the first component is the port of a registry there. (Without a
            #    digest, the text is the value: its last ":" is the one found above.)
            if text is not value:
                head, colon, tag = text.rpartition(":")
            if not colon:
                head, tag = tag, "latest"
            elif "/" in tag and "/" not in head and is_registry(text.partition("/")[0], known):
                head, tag = text, "latest"
            # 3. Registry and name: the head's site.
            if head is not looked_up:
                site = _head_table.get(head)
            if site is None:
                site = site_of(head, value, known)
            else:
                heads.hits += 1
            # 4. The tag's own rules.
            check_tag(tag, value)
    registry = site[0]  # a first component that is the registry only when configured
    if registry is not None and known is not None:
        if registry in known:
            return registry, site[3], tag, digest
        if known == _WILDCARD:
            return registry, site[4], tag, digest
    return site[1], site[2], tag, digest
