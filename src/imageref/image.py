"""Backend.AI-style image references: ``ImageRef``, ``PlatformTagSet`` and friends.

A string becomes an :class:`ImageRef` in four steps, all in :func:`_parse` below:

1. *screen*: the type, printable ASCII (D1), no scheme, no digest (D10), no empty
   path component (D2);
2. *registry*: the first path component is the registry when it is a known one
   (the default registry, a configured name, or an IP literal) or when any
   registry is allowed (``["*"]``); otherwise the default registry is assumed;
3. *name and tag*: split at the last ``:`` (no ``:`` means ``latest``), and
   prefix the default repository to single-component Docker Hub names;
4. *tag set*: the tag is a slug; its first ``-`` piece is the main version and
   the others are platform tags (:class:`PlatformTagSet`).

The patterns live in :mod:`imageref._grammar`; the behaviour contract is
Backend.AI 24.03's ``ai.backend.common.docker`` (see ``docs/compatibility.md``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._grammar import IP_REGISTRY, NOT_PRINTABLE, PLATFORM_TAG, TAG_SLUG
from ._pep440 import version_key
from .errors import (
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
)

if TYPE_CHECKING:
    from typing_extensions import Self

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

#: Architecture names as given -> the name an :class:`ImageRef` stores. Names not
#: listed are stored unchanged. Read-only.
arch_name_aliases: Mapping[str, str] = MappingProxyType(_ARCH_ALIASES)

#: Stored architecture names -> the names the Docker API uses. Read-only.
docker_api_arch_aliases: Mapping[str, str] = MappingProxyType(_DOCKER_API_ARCH)

#: What ``known_registries`` may be: ``None``, a sequence (or set) of registry
#: names, a mapping keyed by registry name, or ``["*"]`` for "any registry".
KnownRegistries = Iterable[str] | Mapping[str, Any] | None

_WILDCARD = ["*"]
_DOCKER_HUB = "docker.io"
_DOCKER_HUB_SUFFIX = ".docker.io"
# A registry can only be an IP literal if it starts with one of these.
_IP_FIRST_CHARS = frozenset("0123456789[")


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


def _type_error(what: str, expected: str, got: object) -> ImageRefTypeError:
    return ImageRefTypeError(f"{what} must be {expected}, not {type(got).__name__}")


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


def _is_ip_registry(text: str) -> bool:
    return text[:1] in _IP_FIRST_CHARS and IP_REGISTRY.fullmatch(text) is not None


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
    if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
        raise _type_error("tags", "an iterable of str", tags)
    tags = list(tags)
    for tag in tags:
        if not isinstance(tag, str):
            raise _type_error("each platform tag", "a str", tag)
    full = value if value is not None else "-".join(tags)
    data: dict[str, str] = {}
    for tag in tags:
        m = PLATFORM_TAG.fullmatch(tag)
        if m is None:
            reason = (
                "empty platform tag"
                if not tag
                else f"platform tag {_show(tag)} is not a key of letters and underscores"
                " followed by an optional version (digits, '.digits' groups, then"
                " lowercase letters and digits)"
            )
            raise InvalidImageTag(_show(tag), _show(full), reason)
        key = m["key"]
        if key in data:
            raise InvalidImageTag(
                _show(tag), _show(full), f"platform tag key {key!r} appears more than once"
            )
        data[key] = m["version"] or ""
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

    __slots__ = ("_data",)

    _data: dict[str, str]

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


# Parsed tags by tag text. A deployment uses few distinct tags, so most
# references skip re-validating theirs; entries are immutable and never depend on
# the reference they came from. Bounded: cleared when full.
_TagSet = tuple[str, PlatformTagSet]
_tag_cache: dict[str, _TagSet] = {}
_TAG_CACHE_LIMIT = 4096


def _parse_tag(tag: str, value: str) -> _TagSet:
    """Validate *tag* and split it into (main version, platform tags); cached."""
    if TAG_SLUG.fullmatch(tag) is None:
        reason = (
            "empty tag"
            if not tag
            else "a tag is letters, digits, '.', '_' and '-', starting and ending"
            " with a letter or digit"
        )
        raise InvalidImageTag(_show(tag), _show(value), reason)
    main, *platform = tag.split("-")
    tag_set = (main, PlatformTagSet._from_data(_parse_platform_tags(platform, value)))
    if len(_tag_cache) >= _TAG_CACHE_LIMIT:
        _tag_cache.clear()
    _tag_cache[tag] = tag_set
    return tag_set


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def _parse(value: str, known: Any) -> tuple[str, str, str, _TagSet]:
    """Split *value* into (registry, name, tag, tag set); see the module docstring.

    *known* is the ``known_registries`` argument, or the frozenset an
    :class:`ImageRefParser` made of it.
    """
    if not isinstance(value, str):
        raise _type_error("an image reference", "a str", value)
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise _unprintable_error(value)
    if "://" in value or value.startswith("//"):
        raise _name_error(value, "a URL scheme or '//' is not part of an image reference")
    if "@" in value:
        raise _name_error(value, "digest references ('@') are not supported")

    slash = value.find("/")
    if slash < 0:
        registry = default_registry
        path = value
        prefix = True
    else:
        if slash == 0 or value[-1] == "/" or "//" in value:
            raise _name_error(value, "empty path component")
        first = value[:slash]
        try:
            known_hit = known is not None and first in known
        except TypeError:
            _check_known(known)
            raise
        if first == default_registry or known_hit or _is_ip_registry(first):
            registry = first
            path = value[slash + 1 :]
            prefix = first == _DOCKER_HUB or first.endswith(_DOCKER_HUB_SUFFIX)
        elif known == _WILDCARD:
            registry = first
            path = value[slash + 1 :]
            prefix = False
        else:
            registry = default_registry
            path = value
            prefix = True

    name, colon, tag = path.rpartition(":")
    if not colon:
        name = path
        tag = "latest"
    if not name:
        raise _name_error(value, "empty image name")
    if prefix and "/" not in name:
        name = f"{default_repository}/{name}"
    tag_set = _tag_cache.get(tag)
    if tag_set is None:
        tag_set = _parse_tag(tag, value)
    return registry, name, tag, tag_set


def _architecture(architecture: str) -> str:
    if not isinstance(architecture, str):
        raise _type_error("architecture", "a str", architecture)
    return _ARCH_ALIASES.get(architecture, architecture)


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

    __slots__ = ("_architecture", "_is_local", "_name", "_registry", "_tag", "_tag_set")

    _registry: str
    _name: str
    _tag: str
    _architecture: str
    _is_local: bool
    _tag_set: _TagSet

    def __init__(
        self,
        value: str,
        known_registries: KnownRegistries = None,
        architecture: str = "x86_64",
        is_local: bool = False,
    ) -> None:
        if known_registries is not None and type(known_registries) is not list:
            _check_known(known_registries)  # a str would match by substring
        self._registry, self._name, self._tag, self._tag_set = _parse(value, known_registries)
        self._architecture = _architecture(architecture)
        self._is_local = is_local

    @classmethod
    def _from_fields(
        cls, registry: str, name: str, tag: str, architecture: str, is_local: bool
    ) -> ImageRef:
        """Rebuild a ref from its fields (pickle); the tag is validated again."""
        for what, text in (("registry", registry), ("name", name), ("tag", tag)):
            if not isinstance(text, str):
                raise _type_error(what, "a str", text)
        canonical = f"{registry}/{name}:{tag}"
        tag_set = _tag_cache.get(tag)
        if tag_set is None:
            tag_set = _parse_tag(tag, canonical)
        new = cls.__new__(cls)
        new._registry = registry
        new._name = name
        new._tag = tag
        new._tag_set = tag_set
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
        return self._tag

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
        return self._tag_set

    @property
    def canonical(self) -> str:
        """``registry/name:tag``."""
        return f"{self._registry}/{self._name}:{self._tag}"

    @property
    def short(self) -> str:
        """``name:tag``."""
        return f"{self._name}:{self._tag}"

    def to_dict(self) -> dict[str, Any]:
        """The parsed fields as a plain, JSON-ready dict.

        >>> ImageRef("python:3.6-cuda9-ubuntu").to_dict()["platform_tags"]
        {'cuda': '9', 'ubuntu': ''}
        """
        main, platform = self._tag_set
        return {
            "registry": self._registry,
            "name": self._name,
            "tag": self._tag,
            "architecture": self._architecture,
            "is_local": self._is_local,
            "canonical": self.canonical,
            "short": self.short,
            "version": main,
            "platform_tags": dict(platform._data),
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

        main, platform = self._tag_set
        choices: list[tuple[str, ...]] = []
        for key, ver in platform._data.items():
            options = ["", key, key + ver]
            if "." in ver:
                options.append(key + ver.partition(".")[0])
            elif key == "py" and len(ver) > 1:
                options.append(key + ver[0])
            if "cuda" in key:
                options.append("gpu")
            choices.append(tuple(options))

        aliases = dict.fromkeys(names, self)
        for name in names:
            combos = [f"{name}:{main}"]
            for choice in choices:
                combos = [f"{c}-{o}" if o else c for c in combos for o in choice]
            aliases.update(dict.fromkeys(combos, self))
        return aliases

    @staticmethod
    def merge_aliases(
        genned_aliases_1: Mapping[str, ImageRef], genned_aliases_2: Mapping[str, ImageRef]
    ) -> dict[str, ImageRef]:
        """Merge two alias maps; where both have a key, the greater ref wins.

        >>> a, b = ImageRef("python:3.6-ubuntu"), ImageRef("python:3.7-ubuntu")
        >>> ImageRef.merge_aliases(a.generate_aliases(), b.generate_aliases())["python"] is b
        True
        """
        merged: dict[str, ImageRef] = {}
        for alias, ref in genned_aliases_1.items():
            other = genned_aliases_2.get(alias)
            merged[alias] = ref if other is None else max(ref, other)
        for alias, ref in genned_aliases_2.items():
            if alias not in merged:
                merged[alias] = ref
        return merged

    # -- comparison -------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ImageRef):
            return NotImplemented
        return (
            self._name == other._name
            and self._tag == other._tag
            and self._registry == other._registry
            and self._architecture == other._architecture
        )

    def __hash__(self) -> int:
        return hash((self._registry, self._name, self._tag, self._architecture))

    def __lt__(self, other: ImageRef) -> bool:
        if not isinstance(other, ImageRef):
            raise ImageRefTypeError(
                f"'<' is not supported between ImageRef and {type(other).__name__}"
            )
        if self._name != other._name:
            raise IncomparableImages(
                f"only images with the same name compare: {self._name!r} vs {other._name!r}"
            )
        main, platform = self._tag_set
        other_main, other_platform = other._tag_set
        if main != other_main:
            return version_key(main) < version_key(other_main)
        if (
            self._tag == other._tag
            and self._registry == other._registry
            and self._architecture == other._architecture
        ):
            return False
        other_data = other_platform._data
        for key, ver in platform._data.items():
            other_ver = other_data.get(key)
            if ver and other_ver and ver != other_ver:
                key_a, key_b = version_key(ver), version_key(other_ver)
                if key_a != key_b:
                    return key_a < key_b
        return len(platform._data) > len(other_data)

    def __gt__(self, other: ImageRef) -> bool:
        if not isinstance(other, ImageRef):
            raise ImageRefTypeError(
                f"'>' is not supported between ImageRef and {type(other).__name__}"
            )
        return other.__lt__(self)

    # -- representation and copying ----------------------------------------------

    def __str__(self) -> str:
        return self.canonical

    def __repr__(self) -> str:
        return f'<ImageRef: "{self.canonical}" ({self._architecture})>'

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self)._from_fields,
            (self._registry, self._name, self._tag, self._architecture, self._is_local),
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
        self._lock = threading.Lock()

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
        if is_local is False:
            memo = self._memo
        elif is_local is True:
            memo = self._memo_local
        else:  # a non-bool flag (callers without type checking): answered, not remembered
            return self._build(value, is_local)  # type: ignore[unreachable]
        try:
            ref = memo.get(value)
        except TypeError:  # unhashable, so certainly not a str
            raise _type_error("an image reference", "a str", value) from None
        if ref is None:
            ref = self._build(value, is_local)
            if self._cache_size and type(value) is str:
                with self._lock:
                    if len(memo) >= self._cache_size:
                        del memo[next(iter(memo))]
                    memo[value] = ref
        return ref

    def _build(self, value: str, is_local: bool) -> ImageRef:
        ref = ImageRef.__new__(ImageRef)
        ref._registry, ref._name, ref._tag, ref._tag_set = _parse(value, self._known)
        ref._architecture = self._architecture
        ref._is_local = is_local
        return ref

    def cache_clear(self) -> None:
        """Forget every remembered result."""
        with self._lock:
            self._memo.clear()
            self._memo_local.clear()
