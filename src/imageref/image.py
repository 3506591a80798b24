"""Backend.AI-style image references: ``ImageRef``, ``PlatformTagSet`` and friends.

A string becomes an :class:`ImageRef` in four steps, written out in order in
``_parse``:

1. *screen*: the type, printable ASCII (D1), a valid ``@digest`` if there is one
   (split off; the rest of the steps read what is before it), no scheme, no empty
   path component (D2);
2. *registry*: the first path component is the registry when it is a known one
   (the default registry, a configured name, or an IP literal) or when any
   registry is allowed (``["*"]``); otherwise the default registry is assumed;
3. *name and tag*: split at the last ``:`` (no ``:`` means ``latest``), and
   prefix the default repository to single-component Docker Hub names;
4. *tag set*: the tag is a slug; its first ``-`` piece is the main version and
   the others are platform tags (:class:`PlatformTagSet`).

``ImageRef.__init__`` skips them for the common case, a plain ``head:tag`` whose
head (everything before the tag) and tag were both seen before: it splits at the
last ``:`` and looks both parts up in ``_head_cache`` and ``_tag_cache``, which
only ever hold parts that passed every check, with their results. Whatever the
caches hold, the answer is ``_parse``'s (``tests/test_fast_paths.py``).

The patterns live in :mod:`imageref._grammar`; the behaviour contract is
Backend.AI 24.03's ``ai.backend.common.docker`` (see ``docs/compatibility.md``).
"""

from __future__ import annotations

# Imports are kept to modules the interpreter has already loaded at start-up (or
# tiny C modules), so ``import imageref`` stays cheap: ``_collections_abc`` is what
# ``collections.abc`` re-exports, without importing the ``collections`` package;
# ``_thread`` gives the lock without ``threading``; ``typing`` is for the checker;
# ``types.MappingProxyType`` is the type of any class's ``__dict__``.
from _collections_abc import Iterable, Iterator, Mapping
from _thread import allocate_lock

from ._digest import digest_error
from ._grammar import NOT_PRINTABLE, is_ip_registry, is_tag_slug, split_platform_tag
from ._memo import remember
from ._pep440 import order_bytes
from .errors import (
    ImageRefError,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    _type_error,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

    from typing_extensions import Self

    # Picks some of a tag's platform versions (an operator.itemgetter).
    _Pick: TypeAlias = Callable[[tuple[bytes, ...]], object]
    # See _head_cache.
    _Head: TypeAlias = tuple[str, str, str | None, str, str]
    # See _alignment.
    _Alignment: TypeAlias = tuple[()] | tuple[int, int, _Pick | None, _Pick | None]

__all__ = [
    "ImageRef",
    "ImageRefParser",
    "KnownRegistries",
    "PlatformTagSet",
    "arch_name_aliases",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "is_known_registry",
]

#: The registry assumed when a reference names none (Docker Hub's index).
default_registry = "index.docker.io"

#: The project prefixed to single-component names on Docker Hub (``python`` ->
#: ``lablup/python``).
default_repository = "lablup"

_ARCH_ALIASES = {
    "arm64": "aarch64",
    "amd64": "x86_64",
    "x64": "x86_64",
    "x32": "x86",
    "i686": "x86",
}
_DOCKER_API_ARCH = {
    "aarch64": "arm64",
    "arm64": "arm64",
    "x86_64": "amd64",
    "x64": "amd64",
    "amd64": "amd64",
    "x86": "386",
    "x32": "386",
    "i686": "386",
    "386": "386",
}

_MappingProxyType = type(type.__dict__)  # types.MappingProxyType

#: Architecture names as given -> the name an :class:`ImageRef` stores. Names not
#: listed are stored unchanged. Read-only.
arch_name_aliases: Mapping[str, str] = _MappingProxyType(_ARCH_ALIASES)

#: Stored architecture names -> the names the Docker API uses. Read-only.
docker_api_arch_aliases: Mapping[str, str] = _MappingProxyType(_DOCKER_API_ARCH)

#: What ``known_registries`` may be: ``None``, a sequence (or set) of registry
#: names, a mapping keyed by registry name, or ``["*"]`` for "any registry".
KnownRegistries = Iterable[str] | Mapping[str, object] | None

_WILDCARD = ["*"]
_DOCKER_HUB = "docker.io"
_DOCKER_HUB_SUFFIX = ".docker.io"
# A registry can only be an IP literal if it starts with one of these.
_IP_FIRST_CHARS = frozenset("0123456789[")
# The default architecture, compared by identity on the common path.
_X86_64 = "x86_64"


# ---------------------------------------------------------------------------
# Error helpers (kept out of line so the common path stays short)
# ---------------------------------------------------------------------------


def _show(text: str) -> str:
    """*text* as it goes into a message: as-is when plain, else its ``repr``."""
    if text and text.isascii() and text.isprintable() and " " not in text:
        return text
    return repr(text)


def _name_error(value: str, reason: str) -> InvalidImageName:
    return InvalidImageName(f"{_show(value)} ({reason})")


def _unprintable_error(value: str) -> InvalidImageName:
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


def _digest_failure(value: str, digest: str) -> InvalidImageName | None:
    """The error for *value* when its *digest* breaks go-digest's rules, else None."""
    reason = digest_error(digest)
    return None if reason is None else _name_error(value, f"{reason}: {digest}")


def _screen_error(value: object, text: str | None = None) -> ImageRefError:
    """The error for a *value* that failed the constructor's one-line screen.

    *text* is the part of *value* before its ``@digest`` (all of it if none). The
    checks run in the documented order, so the error is the one a step-by-step
    screen would raise.
    """
    if not isinstance(value, str):
        return _type_error("an image reference", "a str", value)
    if not (value.isascii() and value.isprintable()) or " " in value:
        return _unprintable_error(value)
    if text is None:
        text = value
    if "://" in text or text.startswith("//"):
        return _name_error(value, "a URL scheme or '//' is not part of an image reference")
    return _name_error(value, "empty path component")  # a leading, trailing or double "/"


def _incomparable(ref: ImageRef, other: object) -> ImageRefError:
    if not isinstance(other, ImageRef):
        return _order_type_error("<", other)
    return IncomparableImages(
        f"only images with the same name compare: {ref._name!r} vs {other._name!r}"
    )


def _order_type_error(op: str, other: object) -> ImageRefTypeError:
    return ImageRefTypeError(f"{op!r} is not supported between ImageRef and {type(other).__name__}")


def _check_known(known: object) -> None:
    """Reject ``known_registries`` values that cannot hold registry names."""
    if known is not None and (
        isinstance(known, (str, bytes)) or not hasattr(type(known), "__contains__")
    ):
        raise _type_error(
            "known_registries", "a sequence or mapping of registry names, or None", known
        )


# ---------------------------------------------------------------------------
# Registries
# ---------------------------------------------------------------------------


# Whether a first path component is an IP literal, by its text. A deployment
# talks to few registries, so this saves re-checking them. Bounded: cleared when full.
_ip_cache: dict[str, bool] = {}
_IP_CACHE_LIMIT = 1024


def _ip_literal(text: str) -> bool:
    found = _ip_cache.get(text)
    if found is None:
        found = remember(_ip_cache, text, is_ip_registry(text), _IP_CACHE_LIMIT)
    return found


def _is_ip_registry(text: str) -> bool:
    return text[:1] in _IP_FIRST_CHARS and _ip_literal(text)


def is_known_registry(val: str, known_registries: KnownRegistries = None) -> bool:
    """Whether *val* names a registry that imageref recognises without guessing.

    True for the default registry, for a name in *known_registries* (a sequence of
    names or a mapping keyed by name), and for an IP literal: a dotted-quad IPv4
    address or a bracketed IPv6 address (with an optional ``%zone``), either
    optionally followed by ``:port``.

    >>> is_known_registry("index.docker.io")
    True
    >>> is_known_registry("cr.backend.ai"), is_known_registry("cr.backend.ai", ["cr.backend.ai"])
    (False, True)
    >>> is_known_registry("127.0.0.1:5000"), is_known_registry("[::1]:5000")
    (True, True)
    >>> is_known_registry("localhost:5000")
    False
    """
    if not isinstance(val, str):
        raise _type_error("registry", "a str", val)
    _check_known(known_registries)
    return (
        val == default_registry
        or (known_registries is not None and val in known_registries)
        or _is_ip_registry(val)
    )


# ---------------------------------------------------------------------------
# Platform tags
# ---------------------------------------------------------------------------


def _parse_platform_tags(tags: Iterable[str], value: str | None) -> dict[str, str]:
    # A list or tuple skips the (slow) abstract-base-class check.
    if type(tags) is not list and type(tags) is not tuple:
        if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
            raise _type_error("tags", "an iterable of str", tags)
        tags = list(tags)
    for tag in tags:
        if not isinstance(tag, str):
            raise _type_error("each platform tag", "a str", tag)
    return _platform_data(tags, value)


# Valid platform tags and their (key, version), by text: a deployment uses few
# ("py36", "ubuntu20.04", "cuda11.3"). Bounded: cleared when full.
_platform_tag_cache: dict[str, tuple[str, str]] = {}
_PLATFORM_TAG_CACHE_LIMIT = 1024


def _platform_data(tags: list[str] | tuple[str, ...], value: str | None) -> dict[str, str]:
    """Parse *tags* (each a str) into key -> version; *value* (else the tags) is in errors."""
    data: dict[str, str] = {}
    for tag in tags:
        split = _platform_tag_cache.get(tag)
        if split is None:
            split = split_platform_tag(tag)
            if split is not None:
                remember(_platform_tag_cache, tag, split, _PLATFORM_TAG_CACHE_LIMIT)
        if split is None:
            full = value if value is not None else "-".join(tags)
            reason = (
                "empty platform tag"
                if not tag
                else f"platform tag {_show(tag)} is not a key of letters and underscores"
                " followed by an optional version (digits, '.digits' groups, then"
                " lowercase letters and digits)"
            )
            raise InvalidImageTag(_show(tag), _show(full), reason)
        key, version = split
        if key in data:
            full = value if value is not None else "-".join(tags)
            raise InvalidImageTag(
                _show(tag), _show(full), f"platform tag key {key!r} appears more than once"
            )
        data[key] = version
    return data


class PlatformTagSet(Mapping[str, str]):
    """The platform tags of an image tag, as a read-only mapping of key -> version.

    Each tag is a key of letters and underscores followed by an optional version
    (digits, dotted digit groups, then lowercase letters and digits); a missing
    version is ``""``. A key may appear only once. *value* is the full image
    reference, named in error messages.

    >>> tags = PlatformTagSet(["py36", "ubuntu16.04", "cuda_12", "other"])
    >>> dict(tags)
    {'py': '36', 'ubuntu': '16.04', 'cuda_': '12', 'other': ''}
    >>> tags.has("py"), tags.has("py", "36"), tags.has("py", "3")
    (True, True, False)
    >>> tags == {"py", "ubuntu", "cuda_", "other"}
    True
    """

    # _keys, _orders and _alias_suffixes are filled in the first time ``<`` or
    # generate_aliases needs them (every tag with the same suffix shares one
    # PlatformTagSet: see _suffix_cache), and never change after that:
    # - _keys (a _KeySequence, shared by every set whose keys with a version come in
    #   the same order) and _orders (the order_bytes of those versions, in order);
    # - _alias_suffixes: every way an alias may spell these platform tags.
    __slots__ = ("_alias_suffixes", "_data", "_keys", "_orders")

    _data: dict[str, str]
    _keys: _KeySequence
    _orders: tuple[bytes, ...]
    _alias_suffixes: list[str]

    def __init__(self, tags: Iterable[str], value: str | None = None) -> None:
        if value is not None and not isinstance(value, str):
            raise _type_error("value", "a str or None", value)
        self._data = _parse_platform_tags(tags, value)

    @classmethod
    def _from_data(cls, data: dict[str, str]) -> PlatformTagSet:
        new = cls.__new__(cls)
        new._data = data
        return new

    def has(self, key: str, version: str | None = None) -> bool:
        """Whether *key* is present (and, when *version* is given, has exactly it)."""
        if version is None:
            return key in self._data
        return self._data.get(key) == version

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (set, frozenset)):
            return self._data.keys() == other
        if isinstance(other, PlatformTagSet):
            return self._data == other._data
        return self._data == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # equal to dicts and sets alike

    def __repr__(self) -> str:
        return f"PlatformTagSet({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PlatformTagSet, ([key + ver for key, ver in self._data.items()],))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self


_NO_PLATFORM = PlatformTagSet._from_data({})  # the platform tags of a tag without "-"


class _Tag:
    """What one tag parses to; every ref with that tag shares it (see ``_tag_cache``).

    ``tag_set`` is the ref's public ``(main version, PlatformTagSet)``, and
    ``platform`` that PlatformTagSet, shared by every tag with the same suffix.
    ``order_key``, the main version's :func:`version_key` as :func:`order_bytes`
    (so that two keys compare in one ``memcmp``), is filled in the first time ``<``
    needs it.
    """

    __slots__ = ("main", "order_key", "platform", "tag", "tag_set")

    def __init__(self, tag: str, main: str, platform: PlatformTagSet) -> None:
        self.tag = tag
        self.main = main
        self.tag_set = (main, platform)
        self.platform = platform
        self.order_key: bytes | None = None


class _KeySequence:
    """The platform keys that have a version, in tag order, shared by equal sequences.

    ``alignments`` remembers, per other sequence, how to pick the versions of the
    keys both have (see :func:`_alignment`).
    """

    __slots__ = ("alignments", "keys")

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.alignments: dict[_KeySequence, _Alignment] = {}


# Parsed tags by tag text. A deployment uses few distinct tags, so most
# references skip re-validating theirs; entries are immutable (but for the derived
# fields filled in on first use) and never depend on the reference they came from.
# Bounded: cleared when full.
_tag_cache: dict[str, _Tag] = {}
_TAG_CACHE_LIMIT = 4096


# Platform tag sets by the text after a tag's first "-" (its *suffix*), kept for
# suffixes of valid tags only, so that a new tag with a known suffix (a new version
# of an image variant) only needs its main version checked. Bounded: cleared when full.
_suffix_cache: dict[str, PlatformTagSet] = {}
_SUFFIX_CACHE_LIMIT = 1024


def _tag_with_known_suffix(tag: str) -> _Tag | None:
    """*tag*'s record (remembered) if its suffix is known and its main version a slug.

    A known suffix is the valid end of a tag (it ends with a letter or digit), so
    the tag is then a slug, and its platform tags are already parsed: only the
    main version is new. None sends the tag through :func:`_parse_tag`'s checks.
    """
    main, dash, suffix = tag.partition("-")
    platform = _suffix_cache.get(suffix) if dash else _NO_PLATFORM
    if platform is None or not is_tag_slug(main):
        return None
    return remember(_tag_cache, tag, _Tag(tag, main, platform), _TAG_CACHE_LIMIT)


def _parse_tag(tag: str, value: str) -> _Tag:
    """Validate *tag* and split it into (main version, platform tags); cached."""
    info = _tag_with_known_suffix(tag)
    if info is not None:
        return info
    if not is_tag_slug(tag):
        reason = (
            "empty tag"
            if not tag
            else "a tag is letters, digits, '.', '_' and '-', starting and ending"
            " with a letter or digit"
        )
        raise InvalidImageTag(_show(tag), _show(value), reason)
    return _new_tag(tag, value)


def _new_tag(tag: str, value: str) -> _Tag:
    """The record of *tag*, a slug whose suffix is not known yet (remembered)."""
    main, dash, suffix = tag.partition("-")
    platform = _NO_PLATFORM
    if dash:
        data = _platform_data(suffix.split("-"), value)
        platform = remember(
            _suffix_cache, suffix, PlatformTagSet._from_data(data), _SUFFIX_CACHE_LIMIT
        )
    return remember(_tag_cache, tag, _Tag(tag, main, platform), _TAG_CACHE_LIMIT)


def _order_key(info: _Tag) -> bytes:
    key = info.order_key
    if key is None:
        key = info.order_key = order_bytes(info.main)
    return key


# Key sequences by their keys, so that tags with the same versioned platform keys in
# the same order share one _KeySequence and ``<`` can tell so by identity. Bounded.
_key_sequence_cache: dict[tuple[str, ...], _KeySequence] = {}
_KEY_SEQUENCE_CACHE_LIMIT = 1024
_ALIGNMENTS_LIMIT = 256


def _platform_order(platform: PlatformTagSet) -> _KeySequence:
    """Fill in *platform*'s ``_keys`` and ``_orders`` (once); return the first."""
    order = {key: order_bytes(ver) for key, ver in platform._data.items() if ver}
    keys = tuple(order)
    sequence = _key_sequence_cache.get(keys)
    if sequence is None:
        sequence = remember(
            _key_sequence_cache, keys, _KeySequence(keys), _KEY_SEQUENCE_CACHE_LIMIT
        )
    platform._orders = tuple(order.values())
    platform._keys = sequence
    return sequence


def _alignment(mine: _KeySequence, theirs: _KeySequence) -> _Alignment:
    """How to compare the platform versions of tags with key sequences *mine*, *theirs*.

    ``<`` looks at *mine*'s keys in order, skipping those *theirs* lacks, so what
    matters are the keys both have, in *mine*'s order. The answer is ``()`` when
    there is none; else the positions of the first such key in each side's
    ``_orders``, and two getters that pick the versions of the others (so
    that the first pair that differs decides, as in a tuple comparison), or
    ``None`` when there are no others.
    """
    position = {key: index for index, key in enumerate(theirs.keys)}
    pairs = [(index, position[key]) for index, key in enumerate(mine.keys) if key in position]
    found: _Alignment = ()
    if len(pairs) == 1:
        found = (*pairs[0], None, None)
    elif pairs:
        from operator import itemgetter  # noqa: PLC0415 - rarely needed

        rest = pairs[1:]
        found = (
            *pairs[0],
            itemgetter(*[a for a, _ in rest]),
            itemgetter(*[b for _, b in rest]),
        )
    return remember(mine.alignments, theirs, found, _ALIGNMENTS_LIMIT)


def _alias_suffixes(data: dict[str, str]) -> list[str]:
    """Every way an alias may spell platform tags *data* after the main version.

    Per platform tag, in order: nothing, the key, key and version, key and major
    version (or the first digit of a ``py`` version), or ``gpu`` for CUDA; each
    suffix is one choice per tag, in the order of nested loops over the tags.
    """
    suffixes = [""]
    for key, ver in data.items():
        options = ["", f"-{key}", f"-{key}{ver}"]
        if "." in ver:
            options.append(f"-{key}{ver.partition('.')[0]}")
        elif key == "py" and len(ver) > 1:
            options.append(f"-{key}{ver[0]}")
        if "cuda" in key:
            options.append("-gpu")
        suffixes = [suffix + option for suffix in suffixes for option in options]
    return suffixes


# generate_aliases keeps a PlatformTagSet's alias suffixes when there are at most
# this many (tags with many platform tags have exponentially many; those are rebuilt).
_ALIAS_SUFFIXES_KEPT = 4096


def _architecture(architecture: str) -> str:
    if not isinstance(architecture, str):
        raise _type_error("architecture", "a str", architecture)
    return _ARCH_ALIASES.get(architecture, architecture)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


# What the part of a reference before its tag (its *head*) resolves to, by head
# text: (registry, name) when known_registries is None, then the first path
# component (None when the head has none, so no registry list can change the
# answer), and the name when that component is a listed registry, and when any
# registry is allowed (["*"]). Only heads that pass the screen and the path rules
# are kept, so a hit needs no more checking. Bounded: cleared when full.
_head_cache: dict[str, _Head] = {}
_HEAD_CACHE_LIMIT = 4096


def _resolve_head(head: str) -> _Head | None:
    """*head*'s entry for ``_head_cache`` (remembered), or None if it breaks a rule."""
    if (
        not head
        or not head.isascii()
        or not head.isprintable()
        or " " in head
        or "@" in head
        or head[0] == "/"
        or head[-1] == "/"
        or "//" in head
    ):
        return None  # _parse says which rule
    split: _Head
    if "/" not in head:
        name = f"{default_repository}/{head}"
        split = (default_registry, name, None, name, name)
    else:
        first, _, rest = head.partition("/")
        hub_name = rest if "/" in rest else f"{default_repository}/{rest}"
        if first == default_registry:
            split = (first, hub_name, first, hub_name, hub_name)
        else:
            is_hub = first == _DOCKER_HUB or first.endswith(_DOCKER_HUB_SUFFIX)
            known_name = hub_name if is_hub else rest
            if first[0] in _IP_FIRST_CHARS and _ip_literal(first):
                split = (first, rest, first, known_name, rest)
            else:
                split = (default_registry, head, first, known_name, rest)
    return remember(_head_cache, head, split, _HEAD_CACHE_LIMIT)


def _learn(
    value: str, head: str, tag: str, info: _Tag | None, split: _Head | None
) -> tuple[_Tag | None, _Head | None]:
    """Fill in what the caches lacked for ``head:tag``; (None, None) to go through _parse.

    The tag is only parsed here when the head is valid and the tag is a slug: then
    no earlier rule can fail, and the only errors left are the tag's own, the same
    that _parse would raise.
    """
    if split is None:
        split = _resolve_head(head)
        if split is None:
            return None, None
    if info is None:
        info = _tag_with_known_suffix(tag)
        if info is None:
            if not is_tag_slug(tag):
                return None, None
            info = _new_tag(tag, value)
    return info, split


def _parse(  # noqa: PLR0915 - the four steps in one function, in the order of their errors
    value: object, known_registries: KnownRegistries
) -> tuple[str, str, _Tag, str | None]:
    """The four steps of the module docstring, in order: (registry, name, tag, digest).

    ``ImageRef.__init__`` sends here every input it cannot answer from its caches
    or learn there (see :func:`_learn`): a digest, a ``str`` subclass, a port with
    no tag after it, and every input that breaks a rule, so the first rule an
    input breaks is the one its error names. *known_registries* has been checked
    by the caller.
    """
    # 1. screen: one pass per check; which error it is is worked out off the path.
    if not isinstance(value, str) or not value.isascii() or not value.isprintable() or " " in value:
        raise _screen_error(value)
    # ... then split off "@digest" and check it; the other steps read *text*.
    text = value
    digest = None
    if "@" in value:
        text, _, digest = value.partition("@")
        failure = _digest_failure(value, digest)
        if failure is not None:
            raise failure
    # 2. registry (the Docker Hub prefixing rule is only looked at if needed)
    prefix: bool | None
    if "/" not in text:
        registry = default_registry
        path = text
        prefix = True
    else:
        first, _, path = text.partition("/")
        if not first or text[-1] == "/" or "//" in text:
            raise _screen_error(value, text)  # an empty path component, or a scheme
        try:
            known_hit = known_registries is not None and first in known_registries
        except TypeError:
            _check_known(known_registries)
            raise
        if first == default_registry:
            registry = first
            prefix = True
        elif known_hit:
            registry = first
            prefix = None  # on for docker.io and *.docker.io: looked at if needed
        elif first[0] in _IP_FIRST_CHARS and (_ip_cache.get(first) or _ip_literal(first)):
            registry = first
            prefix = False  # an IP literal is never Docker Hub
        elif known_registries is not None and known_registries == _WILDCARD:
            registry = first
            prefix = False
        else:
            registry = default_registry
            path = text
            prefix = True
    # 3. name and tag
    name, colon, tag = path.rpartition(":")
    if not colon:
        if not path:
            raise _name_error(value, "empty image name")
        name = path
        tag = "latest"
    elif not name or name[-1] == "/":  # ":tag" alone, or "a/:tag" (D2)
        raise _name_error(value, "empty path component" if name else "empty image name")
    if "/" not in name:
        if prefix is None:
            prefix = registry == _DOCKER_HUB or registry.endswith(_DOCKER_HUB_SUFFIX)
        if prefix:
            name = f"{default_repository}/{name}"
    # 4. tag set, from the per-tag cache when this tag was seen before
    info = _tag_cache.get(tag)
    if info is None:
        info = _parse_tag(tag, value)
    return registry, name, info, digest


# ---------------------------------------------------------------------------
# ImageRef
# ---------------------------------------------------------------------------


class ImageRef:
    """A parsed, immutable Backend.AI image reference.

    >>> ref = ImageRef("cr.backend.ai/stable/python:3.9-ubuntu20.04", ["cr.backend.ai"])
    >>> ref.registry, ref.name, ref.tag
    ('cr.backend.ai', 'stable/python', '3.9-ubuntu20.04')
    >>> ref.tag_set
    ('3.9', PlatformTagSet({'ubuntu': '20.04'}))
    >>> ref
    <ImageRef: "cr.backend.ai/stable/python:3.9-ubuntu20.04" (x86_64)>
    >>> ImageRef("python:3.6-ubuntu", architecture="arm64").canonical
    'index.docker.io/lablup/python:3.6-ubuntu'
    """

    __slots__ = ("_architecture", "_digest", "_info", "_is_local", "_name", "_order", "_registry")

    _registry: str
    _name: str
    _architecture: str
    _is_local: bool
    _info: _Tag
    _digest: str | None
    _order: bytes | None  # the tag's order key, copied here for ``<`` once it is known

    def __init__(
        self,
        value: str,
        known_registries: KnownRegistries = None,
        architecture: str = "x86_64",
        is_local: bool = False,
    ) -> None:
        # The common case, a str without "@digest" whose tag and whose part before
        # the tag (the *head*) were seen before, is one rpartition and two cache
        # lookups: a cached tag is a valid slug (so has no "/", and the last ":" is
        # the tag's), and a cached head passed the screen and the path rules and
        # knows its registry and name. Anything else goes through _parse.
        if known_registries is not None and type(known_registries) is not list:
            _check_known(known_registries)  # a str would match by substring
        info: _Tag | None = None
        split: _Head | None = None
        if type(value) is str and "@" not in value:
            head, colon, tag = value.rpartition(":")
            if not colon:
                head = tag
                tag = "latest"
            info = _tag_cache.get(tag)
            split = _head_cache.get(head)
            if info is None or split is None:
                info, split = _learn(value, head, tag, info, split)
        if info is None or split is None:
            registry, name, info, digest = _parse(value, known_registries)
        else:
            registry, name, first, known_name, rest = split
            if first is not None and known_registries is not None:
                try:
                    known_hit = first in known_registries
                except TypeError:
                    _check_known(known_registries)
                    raise
                if known_hit:
                    registry = first
                    name = known_name
                elif known_registries == _WILDCARD:
                    registry = first
                    name = rest
            digest = None
        self._registry = registry
        self._name = name
        self._order = info.order_key
        self._info = info
        self._digest = digest
        self._architecture = (
            architecture if architecture is _X86_64 else _architecture(architecture)
        )
        self._is_local = is_local

    @classmethod
    def _from_fields(  # noqa: PLR0917 - pickle calls it with positional arguments
        cls,
        registry: str,
        name: str,
        tag: str,
        architecture: str,
        is_local: bool,
        digest: str | None = None,
    ) -> ImageRef:
        """Rebuild a ref from its fields (pickle); the tag and digest are checked again."""
        for what, text in (("registry", registry), ("name", name), ("tag", tag)):
            if not isinstance(text, str):
                raise _type_error(what, "a str", text)
        canonical = f"{registry}/{name}:{tag}"
        if digest is not None:
            if not isinstance(digest, str):
                raise _type_error("digest", "a str or None", digest)
            canonical = f"{canonical}@{digest}"
            failure = _digest_failure(canonical, digest)
            if failure is not None:
                raise failure
        info = _tag_cache.get(tag)
        if info is None:
            info = _parse_tag(tag, canonical)
        new = cls.__new__(cls)
        new._registry = registry
        new._name = name
        new._order = info.order_key
        new._info = info
        new._digest = digest
        new._architecture = _architecture(architecture)
        new._is_local = is_local
        return new

    # -- fields ---------------------------------------------------------------

    @property
    def registry(self) -> str:
        """The registry host (and port): ``index.docker.io`` unless one was recognised."""
        return self._registry

    @property
    def name(self) -> str:
        """The repository path within the registry: ``lablup/python``."""
        return self._name

    @property
    def tag(self) -> str:
        """The tag: ``3.6-ubuntu``; ``latest`` when the reference has none."""
        return self._info.tag

    @property
    def architecture(self) -> str:
        """The architecture, stored through :data:`arch_name_aliases`."""
        return self._architecture

    @property
    def is_local(self) -> bool:
        """Whether the image is local to the agent (as given; not part of equality)."""
        return self._is_local

    @property
    def tag_set(self) -> tuple[str, PlatformTagSet]:
        """``(main version, platform tags)``: ``('3.6', PlatformTagSet({'ubuntu': ''}))``."""
        return self._info.tag_set

    @property
    def digest(self) -> str | None:
        """The content digest (``sha256:<hex>``) when the reference pins one, else None."""
        return self._digest

    @property
    def canonical(self) -> str:
        """``registry/name:tag``, then ``@digest`` when there is one."""
        if self._digest is None:
            return f"{self._registry}/{self._name}:{self._info.tag}"
        return f"{self._registry}/{self._name}:{self._info.tag}@{self._digest}"

    @property
    def short(self) -> str:
        """``name:tag``, then ``@digest`` when there is one."""
        if self._digest is None:
            return f"{self._name}:{self._info.tag}"
        return f"{self._name}:{self._info.tag}@{self._digest}"

    def to_dict(self) -> dict[str, Any]:
        """The parsed fields as a plain, JSON-ready dict.

        >>> ImageRef("python:3.6-cuda9-ubuntu").to_dict()["platform_tags"]
        {'cuda': '9', 'ubuntu': ''}
        """
        main, platform = self._info.tag_set
        return {
            "registry": self._registry,
            "name": self._name,
            "tag": self._info.tag,
            "architecture": self._architecture,
            "is_local": self._is_local,
            "canonical": self.canonical,
            "short": self.short,
            "version": main,
            "platform_tags": dict(platform._data),
            "digest": self._digest,
        }

    # -- aliases --------------------------------------------------------------

    def generate_aliases(self) -> dict[str, ImageRef]:
        """Every short name this image may be asked for, each mapped to this ref.

        Candidate names are the last path component and, when it contains ``-``,
        its second ``-`` piece. Each alone is an alias; so is each candidate
        followed by ``:`` and the main version plus, per platform tag, nothing,
        the key, key and version, key and major version, or ``gpu`` for CUDA.

        >>> aliases = ImageRef("lablup/python-tensorflow:1.5-py36-cuda9").generate_aliases()
        >>> len(aliases), "tensorflow:1.5-py3-gpu" in aliases
        (34, True)
        """
        basename = self._name.rpartition("/")[2]
        pieces = basename.split("-")
        names = [basename, pieces[1]] if len(pieces) > 1 else [basename]

        info = self._info
        platform = info.platform
        try:
            suffixes = platform._alias_suffixes
        except AttributeError:  # not made yet: then the same for every tag with these
            suffixes = _alias_suffixes(platform._data)
            if len(suffixes) <= _ALIAS_SUFFIXES_KEPT:
                platform._alias_suffixes = suffixes
        keys = names.copy()
        for name in names:
            prefix = f"{name}:{info.main}"
            keys += [prefix + suffix for suffix in suffixes]
        return dict.fromkeys(keys, self)

    @staticmethod
    def merge_aliases(
        genned_aliases_1: Mapping[str, ImageRef], genned_aliases_2: Mapping[str, ImageRef]
    ) -> dict[str, ImageRef]:
        """Merge two alias maps; where both have a key, the greater ref wins.

        >>> a, b = ImageRef("python:3.6-ubuntu"), ImageRef("python:3.7-ubuntu")
        >>> ImageRef.merge_aliases(a.generate_aliases(), b.generate_aliases())["python"] is b
        True
        """
        # Copy the first map whole (at C speed; it is the big accumulated one when
        # folding), then walk the second: keys keep the order the first map gives them.
        merged = dict(genned_aliases_1)
        for alias, other in genned_aliases_2.items():
            if alias not in merged:
                merged[alias] = other
            elif other is not None:  # a None value counts as absent
                ref = merged[alias]
                if ref is not other and ref < other:  # max(ref, other): the later on ties
                    merged[alias] = other
        return merged

    # -- comparison -------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ImageRef):
            return NotImplemented
        return (
            self._name == other._name
            and self._info.tag == other._info.tag
            and self._registry == other._registry
            and self._architecture == other._architecture
            and self._digest == other._digest
        )

    def __hash__(self) -> int:
        return hash((self._registry, self._name, self._info.tag, self._architecture, self._digest))

    def __lt__(self, other: ImageRef) -> bool:
        # Sorting calls this ~9 times per ref: the common case (main versions whose
        # keys differ) reads each side's name and order key (the tag's, copied to
        # the ref) and does one or two ``memcmp``. The type check is the attribute
        # lookup itself (an AttributeError).
        try:
            if self._name != other._name:
                raise _incomparable(self, other)
            order_a = self._order
            order_b = other._order
        except AttributeError:
            raise _order_type_error("<", other) from None
        if order_a is None:  # not known when this ref was made: once per ref
            order_a = self._order = _order_key(self._info)
        if order_b is None:
            order_b = other._order = _order_key(other._info)
        if order_a < order_b:
            return True
        if order_a != order_b:
            return False
        mine = self._info
        theirs = other._info
        # Equal keys: different texts of one version (1.0, 1.0.0) are neither less;
        # for the same main version, the first platform tag both have, with versions
        # that differ as versions, decides; else the one with more platform tags is less.
        if mine is theirs or mine.main != theirs.main:
            return False
        platform_a = mine.platform
        platform_b = theirs.platform
        if platform_a is platform_b:  # the same platform tags: neither is less
            return False
        try:
            keys_a = platform_a._keys
        except AttributeError:  # not computed yet: once per set of platform tags
            keys_a = _platform_order(platform_a)
        try:
            keys_b = platform_b._keys
        except AttributeError:
            keys_b = _platform_order(platform_b)
        if keys_a is keys_b:  # the same keys in the same order: the first that differs
            orders_a: object = platform_a._orders
            orders_b: object = platform_b._orders
        else:
            align = keys_a.alignments.get(keys_b)
            if align is None:
                align = _alignment(keys_a, keys_b)
            if not align:
                return len(platform_a._data) > len(platform_b._data)
            first_a, first_b, pick_a, pick_b = align
            orders_a = platform_a._orders[first_a]
            orders_b = platform_b._orders[first_b]
            if orders_a != orders_b:
                return orders_a < orders_b
            if pick_a is None or pick_b is None:
                return len(platform_a._data) > len(platform_b._data)
            orders_a = pick_a(platform_a._orders)
            orders_b = pick_b(platform_b._orders)
        if orders_a != orders_b:
            return orders_a < orders_b  # type: ignore[operator,no-any-return]
        return len(platform_a._data) > len(platform_b._data)

    def __gt__(self, other: ImageRef) -> bool:
        if not isinstance(other, ImageRef):
            raise _order_type_error(">", other)
        return other.__lt__(self)

    # -- representation and copying ----------------------------------------------

    def __str__(self) -> str:
        return self.canonical

    def __repr__(self) -> str:
        return f'<ImageRef: "{self.canonical}" ({self._architecture})>'

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self)._from_fields,
            (
                self._registry,
                self._name,
                self._info.tag,
                self._architecture,
                self._is_local,
                self._digest,
            ),
        )

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self


# ---------------------------------------------------------------------------
# ImageRefParser
# ---------------------------------------------------------------------------


class ImageRefParser:
    """Parses many references under one configuration, for long-running services.

    The known-registry lookup is prepared once, and the most recent results are
    kept in a bounded, thread-safe memo (*cache_size* entries per ``is_local``
    value; 0 turns it off). Its answers always equal ``ImageRef(value,
    known_registries, architecture, is_local)``.

    >>> parser = ImageRefParser(["cr.backend.ai"], architecture="arm64")
    >>> ref = parser.parse("cr.backend.ai/stable/python:3.9-ubuntu20.04")
    >>> ref == ImageRef("cr.backend.ai/stable/python:3.9-ubuntu20.04", ["cr.backend.ai"], "arm64")
    True
    >>> parser.parse("cr.backend.ai/stable/python:3.9-ubuntu20.04") is ref
    True
    """

    __slots__ = ("_architecture", "_cache_size", "_known", "_lock", "_memo", "_memo_local")

    def __init__(
        self,
        known_registries: KnownRegistries = None,
        architecture: str = "x86_64",
        *,
        cache_size: int = 4096,
    ) -> None:
        _check_known(known_registries)
        if not isinstance(cache_size, int) or isinstance(cache_size, bool):
            raise _type_error("cache_size", "an int", cache_size)
        if cache_size < 0:
            raise ValueError(f"cache_size must be >= 0, not {cache_size}")
        known: Any = known_registries
        if known is not None and known != _WILDCARD:
            try:
                known = frozenset(known)
            except TypeError:  # unhashable entries: keep the original container
                known = known_registries
        self._known = known
        self._architecture = _architecture(architecture)
        self._cache_size = cache_size
        self._memo: dict[str, ImageRef] = {}
        self._memo_local: dict[str, ImageRef] = {}
        self._lock = allocate_lock()

    @property
    def architecture(self) -> str:
        """The architecture every parsed ref gets (already resolved through aliases)."""
        return self._architecture

    @property
    def cache_size(self) -> int:
        """How many results the memo keeps per ``is_local`` value."""
        return self._cache_size

    def parse(self, value: str, *, is_local: bool = False) -> ImageRef:
        """Parse *value* as ``ImageRef(value, known_registries, architecture, is_local)``."""
        # A hit is one subscript; a miss (KeyError) costs more, but then parsing does.
        if is_local is False:
            try:
                return self._memo[value]
            except KeyError:
                memo = self._memo
            except TypeError:  # unhashable, so certainly not a str
                raise _type_error("an image reference", "a str", value) from None
        elif is_local is True:
            try:
                return self._memo_local[value]
            except KeyError:
                memo = self._memo_local
            except TypeError:
                raise _type_error("an image reference", "a str", value) from None
        else:  # a non-bool flag (callers without type checking): answered, not remembered
            return ImageRef(value, self._known, self._architecture, is_local)  # type: ignore[unreachable]
        ref = ImageRef(value, self._known, self._architecture, is_local)
        if self._cache_size and type(value) is str:
            with self._lock:
                if len(memo) >= self._cache_size:
                    del memo[next(iter(memo))]
                memo[value] = ref
        return ref

    def cache_clear(self) -> None:
        """Forget every remembered result."""
        with self._lock:
            self._memo.clear()
            self._memo_local.clear()
