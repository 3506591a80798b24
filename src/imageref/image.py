"""Backend.AI-style image references: the :class:`ImageRef` value and :class:`ImageRefParser`.

Reading a reference string is :func:`imageref._reference.parse_reference` (the
screen, the tag split, the registry and name, the tag, in the order of their
errors); the rules of its parts live with them: tags in
:mod:`imageref._tags`, platform tags in :mod:`imageref._platform`, the order of two
images in :mod:`imageref._order`, aliases in :mod:`imageref._aliases`, and every
pattern in :mod:`imageref._grammar`. This module holds the value built from those
answers. The behaviour contract is Backend.AI 24.03's ``ai.backend.common.docker``
(see ``docs/compatibility.md``).
"""

from __future__ import annotations

# Imports are kept to modules the interpreter has already loaded at start-up (or
# tiny C modules), so ``import imageref`` stays cheap: ``_collections_abc`` is what
# ``collections.abc`` re-exports, without importing the ``collections`` package;
# ``typing`` is for the checker;
# ``types.MappingProxyType`` is the type of any class's ``__dict__``.
from _collections_abc import Iterable, Mapping

from ._aliases import aliases
from ._bulk import outcomes, texts
from ._memo import Table
from ._name_tag import parse_image_tag_positional
from ._order import version_tie_less
from ._pep440 import order_bytes
from ._platform import PlatformTagSet
from ._reference import (
    KnownRegistries,
    check_known,
    default_registry,
    default_repository,
    digest_failure,
    is_known_registry,
    known_pattern,
    parse_reference,
)
from ._tags import TagRecord, check_tag, valid_record, valid_tags_of
from .errors import ImageRefError, ImageRefTypeError, IncomparableImages, _quoted, _type_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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

_WILDCARD = ["*"]
# The default architecture, compared by identity on the common path.
_X86_64 = "x86_64"


def _architecture(architecture: str) -> str:
    """The stored name of *architecture* (through :data:`arch_name_aliases`)."""
    if not isinstance(architecture, str):
        raise _type_error("architecture", "a str", architecture)
    return _ARCH_ALIASES.get(architecture, architecture)


def _incomparable(ref: ImageRef, other: object) -> ImageRefError:
    if not isinstance(other, ImageRef):
        return _order_type_error("<", other)
    return IncomparableImages(
        f"only images with the same name compare: {_quoted(ref._name)} vs {_quoted(other._name)}"
    )


def _order_type_error(op: str, other: object) -> ImageRefTypeError:
    return ImageRefTypeError(f"{op!r} is not supported between ImageRef and {type(other).__name__}")


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

    # What a reader may never need is built when first asked for: _record (the tag
    # read into main version and platform tags) and _order (the main version's order
    # bytes, for ``<``) are None until then.
    __slots__ = (
        "_architecture",
        "_digest",
        "_is_local",
        "_name",
        "_order",
        "_record",
        "_registry",
        "_tag",
    )

    _registry: str
    _name: str
    _tag: str
    _record: TagRecord | None  # (tag, main version, platform tags)
    _digest: str | None
    _architecture: str
    _is_local: bool
    _order: bytes | None

    def __init__(
        self,
        value: str,
        known_registries: KnownRegistries = None,
        architecture: str = "x86_64",
        is_local: bool = False,
    ) -> None:
        self._registry, self._name, self._tag, self._digest = parse_reference(
            value, known_registries
        )
        self._record = None
        self._architecture = (
            architecture if architecture is _X86_64 else _architecture(architecture)
        )
        self._is_local = is_local
        self._order = None

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
            failure = digest_failure(canonical, digest)
            if failure is not None:
                raise failure
        new = cls.__new__(cls)
        new._registry = registry
        new._name = name
        check_tag(tag, canonical)
        new._tag = tag
        new._record = None
        new._digest = digest
        new._architecture = _architecture(architecture)
        new._is_local = is_local
        new._order = None
        return new

    #: ``(name, tag)`` of a string split at its last ``:`` (the tag unchecked), as
    #: Backend.AI's ``ImageRef._parse_image_tag(s, using_default_registry=False)``.
    _parse_image_tag = staticmethod(parse_image_tag_positional)

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
        return self._read()[1:]

    def _read(self) -> TagRecord:
        """The tag read into ``(tag, main version, platform tags)`` (built on first use)."""
        record = self._record
        if record is None:
            record = self._record = valid_record(self._tag)
        return record

    @property
    def digest(self) -> str | None:
        """The content digest (``sha256:<hex>``) when the reference pins one, else None."""
        return self._digest

    @property
    def canonical(self) -> str:
        """``registry/name:tag``, then ``@digest`` when there is one."""
        if self._digest is None:
            return f"{self._registry}/{self._name}:{self._tag}"
        return f"{self._registry}/{self._name}:{self._tag}@{self._digest}"

    @property
    def short(self) -> str:
        """``name:tag``, then ``@digest`` when there is one."""
        if self._digest is None:
            return f"{self._name}:{self._tag}"
        return f"{self._name}:{self._tag}@{self._digest}"

    def to_dict(self) -> dict[str, Any]:
        """The parsed fields as a plain, JSON-ready dict (built when asked for).

        >>> ImageRef("python:3.6-cuda9-ubuntu").to_dict()["platform_tags"]
        {'cuda': '9', 'ubuntu': ''}
        """
        tag, main, platform = self._read()
        return {
            "registry": self._registry,
            "name": self._name,
            "tag": tag,
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
        _, main, platform = self._read()
        return aliases(self._name, main, platform, self)

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
            and self._tag == other._tag
            and self._registry == other._registry
            and self._architecture == other._architecture
            and self._digest == other._digest
        )

    def __hash__(self) -> int:
        return hash((self._registry, self._name, self._tag, self._architecture, self._digest))

    def __lt__(self, other: ImageRef) -> bool:
        # Sorting calls this ~9 times per ref: the common case (main versions whose
        # keys differ) reads each side's name and order bytes and does one or two
        # ``memcmp``. The type check is the attribute lookup itself (AttributeError).
        try:
            order_b = other._order
            if self._name != other._name:
                raise _incomparable(self, other)
        except AttributeError:
            raise _order_type_error("<", other) from None
        order_a = self._order
        if order_a is None:  # once per ref
            order_a = self._read_order()
        if order_b is None:
            order_b = other._read_order()
        if order_a < order_b:
            return True
        if order_a != order_b:
            return False
        # Equal as versions: different texts of one version (1.0, 1.0.0) are neither
        # less; for the same text, the platform tags decide. (Both records were read
        # with the order bytes.)
        return version_tie_less(self._record or self._read(), other._record or other._read())

    def _read_order(self) -> bytes:
        """The order bytes of the main version, kept in ``_order`` (once per ref).

        The main version is read from the tag's record, which ties need too: refs of
        one name share main versions, so most refs of a sort tie at least once, and
        their tags are split once, not once for the order and again for the tie.
        """
        record = self._record
        if record is None:  # _read() without its call
            record = self._record = valid_record(self._tag)
        order = self._order = order_bytes(record[1])
        return order

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
                self._tag,
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


class ImageRefParser:
    """Parses many references under one configuration, for long-running services.

    The known registries are prepared once: a pattern that reads a reference of
    the common shape on one of them in one match. The most recent results are kept
    in a bounded memo (*cache_size* entries per ``is_local`` value; 0 turns it
    off) that follows the policy of imageref's own tables (:mod:`imageref._memo`):
    it stops storing while it does not answer, so a stream of new references
    costs what parsing costs. Its answers always equal ``ImageRef(value,
    known_registries, architecture, is_local)``.

    >>> parser = ImageRefParser(["cr.backend.ai"], architecture="arm64")
    >>> ref = parser.parse("cr.backend.ai/stable/python:3.9-ubuntu20.04")
    >>> ref == ImageRef("cr.backend.ai/stable/python:3.9-ubuntu20.04", ["cr.backend.ai"], "arm64")
    True
    >>> parser.parse("cr.backend.ai/stable/python:3.9-ubuntu20.04") is ref
    True

    A registry scan lists a repository's tags; :meth:`parse_tags` reads them all,
    and one bad tag gives its error in its place instead of stopping the scan:

    >>> refs = parser.parse_tags("cr.backend.ai/stable/python", ["3.9", "bad!", "3.10-py310"])
    >>> refs[0].canonical, type(refs[1]).__name__, refs[2].tag_set
    ('cr.backend.ai/stable/python:3.9', 'InvalidImageTag', ('3.10', PlatformTagSet({'py': '310'})))
    """

    __slots__ = (
        "_architecture",
        "_cache_size",
        "_known",
        "_look",
        "_look_local",
        "_memo",
        "_memo_local",
        "_pattern",
    )

    def __init__(
        self,
        known_registries: KnownRegistries = None,
        architecture: str = "x86_64",
        *,
        cache_size: int = 4096,
    ) -> None:
        checked = check_known(known_registries)
        if not isinstance(cache_size, int) or isinstance(cache_size, bool):
            raise _type_error("cache_size", "an int", cache_size)
        if cache_size < 0:
            raise ValueError(f"cache_size must be >= 0, not {cache_size}")
        known: Any = checked
        if known is not None and known != _WILDCARD:
            try:
                known = frozenset(known)
            except TypeError:  # unhashable entries: keep the original container
                known = checked
        self._known = known
        self._pattern = known_pattern(known)
        self._architecture = _architecture(architecture)
        self._cache_size = cache_size
        # One memo per is_local value (None: no memo), with the policy of every table.
        self._memo = Table(cache_size, module=False) if cache_size else None
        self._memo_local = Table(cache_size, module=False) if cache_size else None
        self._look = None if self._memo is None else self._memo.entries.get
        self._look_local = None if self._memo_local is None else self._memo_local.entries.get

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
        # A hit is one bound dict.get and a count (the memo's policy needs its hits).
        if is_local is False:
            memo = self._memo
            look = self._look
        elif is_local is True:
            memo = self._memo_local
            look = self._look_local
        else:  # a non-bool flag (callers without type checking): answered, not remembered
            return ImageRef(value, self._known, self._architecture, is_local)  # type: ignore[unreachable]
        if memo is None or look is None:
            return _new_ref(
                parse_reference(value, self._known, self._pattern), self._architecture, is_local
            )
        try:
            ref: ImageRef | None = look(value)
        except TypeError:  # unhashable, so certainly not a str
            raise _type_error("an image reference", "a str", value) from None
        if ref is not None:
            memo.hits += 1
            return ref
        ref = _new_ref(
            parse_reference(value, self._known, self._pattern), self._architecture, is_local
        )
        # parse_reference raised for anything but a str; a str subclass is not remembered
        return memo.offer(value, ref) if type(value) is str else ref

    def parse_many(
        self,
        references: Iterable[str],
        *,
        architecture: str | None = None,
        is_local: bool = False,
    ) -> list[ImageRef | ImageRefError]:
        """One outcome per reference, in order: its :class:`ImageRef`, or the error it raises.

        Each outcome is what ``ImageRef(reference, known_registries, architecture,
        is_local)`` gives: the ref, or the :class:`~imageref.errors.ImageRefError` it would
        raise (same class, same message), returned in its place; one bad reference
        never stops the others. *architecture* defaults to the parser's. The memo
        is not used (a list is read once). A *references* that is a ``str``, or an
        item that is not one, raises :class:`~imageref.errors.ImageRefTypeError`.

        >>> parser = ImageRefParser(["cr.backend.ai"])
        >>> for outcome in parser.parse_many(["cr.backend.ai/a/b:1.0", "a//b:1", "c:2"]):
        ...     print(repr(outcome))
        <ImageRef: "cr.backend.ai/a/b:1.0" (x86_64)>
        InvalidImageName('Invalid image name: a//b:1 (empty path component)')
        <ImageRef: "index.docker.io/lablup/c:2" (x86_64)>
        """
        known = self._known
        pattern = self._pattern
        stored = self._architecture if architecture is None else _architecture(architecture)

        def read(value: str) -> ImageRef:
            return _new_ref(parse_reference(value, known, pattern), stored, is_local)

        return outcomes(read, texts("image reference", references))

    def parse_tags(
        self, repository: str, tags: Iterable[str], *, architecture: str | None = None
    ) -> list[ImageRef | ImageRefError]:
        """One outcome per tag of *repository*, in order: its :class:`ImageRef`, or its error.

        Each outcome is what ``ImageRef(f"{repository}:{tag}", known_registries,
        architecture)`` gives: the ref, or the :class:`~imageref.errors.ImageRefError`
        it would raise (same class, same message), returned in its place. The
        repository is read once, and the tags are checked in one pass; a tag that is
        not a valid tag (and every tag of a repository that is not valid) is read
        as the whole reference it makes, so its outcome names that reference.
        *architecture* defaults to the parser's. A *repository* that is not a
        ``str``, *tags* that is a ``str``, or a tag that is not one, raises
        :class:`~imageref.errors.ImageRefTypeError`.

        >>> parser = ImageRefParser(["cr.backend.ai"])
        >>> outcomes = parser.parse_tags("python", ["3.9", "3.9-py3-py3"])
        >>> outcomes[0]
        <ImageRef: "index.docker.io/lablup/python:3.9" (x86_64)>
        >>> type(outcomes[1]).__name__, "'py' appears more than once" in str(outcomes[1])
        ('InvalidImageTag', True)
        """
        if not isinstance(repository, str):
            raise _type_error("repository", "a str", repository)
        repository = str.__str__(repository)
        tags = texts("tag", tags)
        known = self._known
        pattern = self._pattern
        stored = self._architecture if architecture is None else _architecture(architecture)

        def fields(tag: str) -> tuple[str, str, str, str | None]:
            return parse_reference(f"{repository}:{tag}", known, pattern)

        def read(tag: str) -> ImageRef:  # the whole reference (its errors name it)
            return _new_ref(fields(tag), stored, False)

        # The repository, read once: a valid tag ("latest") after it. With any valid
        # tag it then reads the same (a valid tag has no ":", "/", "@" or space, so
        # the split, the screen and the site are those of this reference).
        probe = outcomes(fields, ["latest"])[0] if "@" not in repository else None
        if not isinstance(probe, tuple):
            return outcomes(read, tags)
        registry, name, _, _ = probe
        out: list[ImageRef | ImageRefError] = []
        add = out.append
        for tag, valid in zip(tags, valid_tags_of(tags), strict=True):
            if valid:
                add(_new_ref((registry, name, tag, None), stored, False))
            else:
                add(outcomes(read, [tag])[0])
        return out

    def cache_clear(self) -> None:
        """Forget every remembered result."""
        for memo in (self._memo, self._memo_local):
            if memo is not None:
                memo.clear()


#: A new, empty object of a class (``object.__new__``; the fields are set by the caller).
_blank = object.__new__


def _new_ref(
    fields: tuple[str, str, str, str | None], architecture: str, is_local: bool
) -> ImageRef:
    """An :class:`ImageRef` of the fields :func:`parse_reference` read (and an
    architecture already resolved)."""
    ref = _blank(ImageRef)
    ref._registry, ref._name, ref._tag, ref._digest = fields
    ref._record = None
    ref._architecture = architecture
    ref._is_local = is_local
    ref._order = None
    return ref
