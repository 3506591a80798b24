"""Backend.AI 26.09's image references: :class:`ParsedImageStr` and the six-field :class:`ImageRef`.

Since 24.09 Backend.AI keeps an image under a registry, a *project* and a name.
A string is read in these steps, each in one function, in the order of their
errors:

1. :func:`_read`: the screen shared with 24.03 (:func:`imageref._reference.screen`:
   a ``str``, printable ASCII, no URL scheme, no empty path component; 26.09
   references carry no digest); the registry argument (:func:`_check_registry`);
   the registry (26.09's own choice); the name and tag
   (:func:`imageref._name_tag.name_and_tag`: the last ``:``).
2. the tag is a slug (:func:`imageref._tags.check_slug`): :func:`parse_image_str`
   checks it and gives a :class:`ParsedImageStr`.
3. :func:`_project_name`: the project split off the name (and checked).
4. the architecture (``imageref.image``), then the tag's platform tags
   (:func:`imageref._tags.check_tag`; the record is read when first asked for).

:meth:`ImageRef.from_image_str` runs these steps without building a
:class:`ParsedImageStr`, and lets :func:`~imageref._tags.check_tag` check the slug
(once, with the platform tags) after the project and the architecture; only when
one of those fails does it check the slug first, so that the errors keep their order.

:class:`ImageRef` is a dataclass of its six fields, as in Backend.AI 26.09, so
``dataclasses`` and pydantic models take it; it stays read-only (D9): a ref is
built as a :class:`_Draft` of the same slots and then becomes an ImageRef
(:meth:`ImageRef.from_image_str`, :func:`_fill`), and pydantic's refs are checked by
``__post_init__`` as the constructor checks its arguments (:func:`_checked_fields`).

The value's rules are shared with 24.03 too: architectures (``imageref.image``),
order (:func:`imageref._order.tag_less`), aliases (:func:`imageref._aliases.aliases`)
and their merging (``imageref.ImageRef.merge_aliases``). What is 26.09's own lives
here: the registry choice, the project, the canonical form with the project,
equality with ``is_local``, and ordering only within one name and project.
"""

from __future__ import annotations

from _collections_abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from .._aliases import aliases
from .._grammar import is_ip_registry, is_printable
from .._memo import remember, table
from .._name_tag import name_and_tag, parse_image_tag, parse_image_tag_positional, screen_no_digest
from .._order import tag_less
from .._platform import PlatformTagSet
from .._reference import default_registry, is_docker_hub
from .._tags import TagRecord, check_slug, check_tag, read_tag, valid_record
from ..errors import (
    ImageConfigError,
    ImageRefError,
    IncomparableImages,
    ProjectMismatchWithCanonical,
    _name_error,
    _quoted,
    _type_error,
)
from ..image import _X86_64, _architecture
from ..image import ImageRef as _ImageRef2403

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["ImageRef", "ParsedImageStr", "parse_image_str", "parse_image_tag"]

_WILDCARD = "*"
_new_object = object.__new__
_new_tuple = tuple.__new__


# ---------------------------------------------------------------------------
# Reading a string
# ---------------------------------------------------------------------------


class ParsedImageStr(NamedTuple):
    """An image string read under a registry, before its project is split off.

    >>> parsed = ImageRef.parse_image_str("cr.backend.ai/stable/python:3.9-ubuntu", "cr.backend.ai")
    >>> parsed.registry, parsed.project_and_image_name, parsed.tag
    ('cr.backend.ai', 'stable/python', '3.9-ubuntu')
    >>> parsed.canonical, parsed.short
    ('cr.backend.ai/stable/python:3.9-ubuntu', 'stable/python:3.9-ubuntu')
    >>> parsed.tag_set
    ('3.9', PlatformTagSet({'ubuntu': ''}))
    """

    registry: str
    project_and_image_name: str
    tag: str

    @property
    def canonical(self) -> str:
        """``registry/project_and_image_name:tag``, each part as it is (an empty one too)."""
        return f"{self.registry}/{self.project_and_image_name}:{self.tag}"

    @property
    def short(self) -> str:
        """``project_and_image_name:tag``."""
        return f"{self.project_and_image_name}:{self.tag}"

    @property
    def tag_set(self) -> tuple[str, PlatformTagSet]:
        """``(main version, platform tags)``; platform-tag errors name the canonical (D17)."""
        return read_tag(self.tag, self.canonical)[1:]

    def __str__(self) -> str:
        return self.canonical


def _read(image_str: str, registry: str | None) -> tuple[str, str, str]:
    """``(registry, project_and_image_name, tag)`` of *image_str*: step 1.

    The screen (:func:`~imageref._name_tag.screen_no_digest`), the registry argument
    (:func:`_check_registry`), the registry, then the name and tag
    (:func:`~imageref._name_tag.name_and_tag`); the tag is not
    checked yet (the caller checks it where its errors belong). The registry is
    the first path component when that is the argument, when the argument is
    ``"*"``, or when it is an IP literal (D7's exact rule); then the rest is the
    name and tag. Otherwise the whole text is, under the argument (the default
    registry when it is None; and always when there is no ``/``).
    """
    text = screen_no_digest(image_str)
    if registry is not None and (type(registry) is not str or registry not in _registries):
        _check_registry(registry)
    first, slash, rest = text.partition("/")
    if slash and (registry in (first, _WILDCARD) or is_ip_registry(first)):
        found = first
    else:
        found = default_registry if registry is None or not slash else registry
        rest = text
    name, tag = name_and_tag(rest, text, is_docker_hub(found))
    return found, name, tag


# Registry arguments that passed _check_registry (a str registry is usually one of a
# few). Bounded (see imageref._memo).
_registries: dict[str, None] = table()
_REGISTRIES_LIMIT = 64


def _check_registry(registry: object) -> None:
    """A registry argument is a str of printable ASCII (``""`` is kept as given); remembered."""
    _check_text("registry", registry)
    if type(registry) is str:
        remember(_registries, registry, None, _REGISTRIES_LIMIT)


def parse_image_str(image_str: str, registry: str | None = None) -> ParsedImageStr:
    """Read *image_str* under *registry* (see :class:`ParsedImageStr` and the module docstring)."""
    found, name, tag = _read(image_str, registry)
    check_slug(tag, image_str)
    return _new_tuple(ParsedImageStr, (found, name, tag))


# ---------------------------------------------------------------------------
# Field checks
# ---------------------------------------------------------------------------


def _check_text(what: str, text: object) -> str:
    """*text* as a field: a ``str`` (D8) of printable ASCII (D1); it may be empty."""
    if not isinstance(text, str):
        raise _type_error(what, "a str", text)
    if not is_printable(text):
        raise _name_error(text, f"the {what} is not printable ASCII without spaces")
    return text


def _check_optional(what: str, text: object) -> str | None:
    return None if text is None else _check_text(what, text)


def _check_bool(what: str, flag: object) -> bool:
    if not isinstance(flag, bool):
        raise _type_error(what, "a bool", flag)
    return flag


def _check_project(project: object) -> str | None:
    """A project argument: None, or printable ASCII without an empty path component (D1, D2)."""
    if project is None:
        return None
    text = _check_text("project", project)
    if text and (text[0] == "/" or text[-1] == "/" or "//" in text):
        raise _name_error(text, "the project has an empty path component")
    return text


def _project_name(full: str, project: str | None, registry: str, tag: str) -> str:
    """The image name within *project* of *full*, a parsed ``project_and_image_name``.

    No project (None or ``""``): the whole name; the name is the project: ``""``;
    it starts with the project and ``/``: the rest. Else the project argument's
    own error (:func:`_check_project`), or :class:`ProjectMismatchWithCanonical`
    naming the canonical ``registry/full:tag``. A ``str`` project that splits off
    needs no check: it is then a run of whole path components of *full*, which
    passed the screen (printable ASCII, no empty path component).
    """
    if project is None:
        return full
    if type(project) is not str:  # a str subclass, or not a str (TypeError)
        _check_project(project)
    if not project:
        return full
    if full.startswith(project):
        size = len(project)
        if len(full) == size:
            return ""
        if full[size] == "/":
            return full[size + 1 :]
    _check_project(project)
    raise ProjectMismatchWithCanonical(project, f"{registry}/{full}:{tag}")


def _canonical(registry: str | None, project: str | None, name: str, tag: str) -> str:
    """The non-empty ones of *registry*, *project*, *name* joined by ``/``, then ``:tag``."""
    return "/".join([part for part in (registry, project, name) if part]) + ":" + tag


def _config_item(config: Mapping[str, Any], key: str, where: str = "image config") -> Any:
    try:
        return config[key]
    except KeyError:
        raise ImageConfigError(f"{where} has no {key!r}") from None


# ---------------------------------------------------------------------------
# ImageRef
# ---------------------------------------------------------------------------

_KEEP: Any = object()  # "unchanged" in ImageRef.replace


def _checked_fields(  # noqa: PLR0917 - the six fields, positional as in Backend.AI
    name: object,
    project: object,
    tag: object,
    registry: object,
    architecture: object,
    is_local: object,
) -> tuple[str, str | None, str, str | None, str, bool, TagRecord]:
    """The six fields as an ImageRef stores them, checked, and the tag's record.

    Types (D8) and printable ASCII (D1) of the texts, the architecture through
    ``arch_name_aliases``, then the tag as stored (no slug check) with its platform
    tags read (their errors name the canonical, D4).
    """
    name = _check_text("name", name)
    project = _check_optional("project", project)
    tag = _check_text("tag", tag)
    registry = _check_optional("registry", registry)
    stored = _architecture(architecture)  # type: ignore[arg-type]  # it checks the type
    flag = _check_bool("is_local", is_local)
    record = read_tag(tag, _canonical(registry, project, name, tag))
    return name, project, tag, registry, stored, flag, record


class _RecordSlot:
    """The one slot of an :class:`ImageRef` that is not a dataclass field."""

    __slots__ = ("_record",)

    # (tag, main version, platform tags): read at positional construction, else
    # when first asked for (tag_set, ordering, aliases); see ImageRef._tag_record.
    _record: TagRecord | None


@dataclass(frozen=True, init=False, repr=False, eq=False, slots=True)
class ImageRef(_RecordSlot):
    """A Backend.AI 26.09 image: registry, project, name, tag, architecture, is_local.

    Built from a string under a project and a registry, or field by field (as the
    manager builds refs from database rows):

    >>> ref = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9-ubuntu", "stable",
    ...                               "cr.backend.ai")
    >>> ref.registry, ref.project, ref.name, ref.tag
    ('cr.backend.ai', 'stable', 'python', '3.9-ubuntu')
    >>> ref
    <ImageRef: "cr.backend.ai/stable/python:3.9-ubuntu" (x86_64)>
    >>> ref == ImageRef("python", "stable", "3.9-ubuntu", "cr.backend.ai", "x86_64", False)
    True
    >>> ref.replace(tag="3.10-ubuntu").short
    'stable/python:3.10-ubuntu'

    As in Backend.AI, it is a dataclass of its six fields (read-only here, D9), so
    ``dataclasses.asdict`` and ``replace`` work and pydantic models take it as a
    field type:

    >>> import dataclasses
    >>> dataclasses.asdict(ref)["project"], dataclasses.replace(ref, project=None).short
    ('stable', 'python:3.9-ubuntu')
    """

    __match_args__ = ("name", "project", "tag", "registry", "architecture", "is_local")

    #: The image name within the project: ``python``.
    name: str
    #: The project (``stable``), or None / ``""`` when there is none.
    project: str | None
    #: The tag: ``3.9-ubuntu``.
    tag: str
    #: The registry as given to :meth:`from_image_str` (or to the constructor).
    registry: str | None
    #: The architecture, stored through ``arch_name_aliases``.
    architecture: str
    #: Whether the image is local to the agent (part of equality, not of the hash).
    is_local: bool

    def __init__(  # noqa: PLR0917 - the six fields, positional as in Backend.AI
        self,
        name: str,
        project: str | None,
        tag: str,
        registry: str | None,
        architecture: str,
        is_local: bool,
    ) -> None:
        _fill(self, _checked_fields(name, project, tag, registry, architecture, is_local))

    def __post_init__(self) -> None:
        """Check and store the fields that a tool set itself (pydantic builds dataclasses so).

        The constructor does not call it: it checks its arguments before storing them.
        """
        _fill(
            self,
            _checked_fields(
                self.name, self.project, self.tag, self.registry, self.architecture, self.is_local
            ),
        )

    # -- construction from strings ------------------------------------------------

    parse_image_str = staticmethod(parse_image_str)
    parse_image_tag = staticmethod(parse_image_tag)
    _parse_image_tag = staticmethod(parse_image_tag_positional)

    @classmethod
    def from_image_str(
        cls,
        image_str: str,
        project: str | None,
        registry: str | None,
        *,
        architecture: str = "x86_64",
        is_local: bool = False,
    ) -> ImageRef:
        """The ref of *image_str* under *project*; the registry field is *registry* as given.

        >>> ImageRef.from_image_str("python:3.6", None, None).canonical
        'lablup/python:3.6'
        """
        found, full, tag = _read(image_str, registry)
        # The errors come in the order of the steps: the tag's slug, the project,
        # the architecture, the platform tags, is_local. check_tag checks the slug
        # and reads the platform tags at once, so it runs after the project and the
        # architecture; when one of those fails, the slug is checked first.
        try:
            name = _project_name(full, project, found, tag)
            stored = architecture if architecture is _X86_64 else _architecture(architecture)
        except ImageRefError:
            check_slug(tag, image_str)
            raise
        check_tag(tag, image_str)
        if is_local is not False:
            _check_bool("is_local", is_local)
        # Filled as a _Draft (same slots, writable), then made a cls: one __class__
        # assignment costs less than seven object.__setattr__ calls past the guard
        # (D9). A subclass of another layout refuses it, and is filled by _fill.
        new: Any = _new_object(_Draft)
        new.name = name
        new.project = project
        new.tag = tag
        new.registry = registry
        new.architecture = stored
        new.is_local = is_local
        new._record = None
        try:
            new.__class__ = cls
        except TypeError:
            new = _new_object(cls)
            _fill(new, (name, project, tag, registry, stored, is_local, None))
        return new  # type: ignore[no-any-return]

    @classmethod
    def from_image_config(cls, config: Mapping[str, Any]) -> ImageRef:
        """The ref of an image config: ``canonical``, ``project``, ``registry["name"]``, ...

        >>> ImageRef.from_image_config({"canonical": "cr.backend.ai/stable/python:3.9",
        ...     "project": "stable", "registry": {"name": "cr.backend.ai"},
        ...     "architecture": "x86_64", "is_local": False}).name
        'python'
        """
        if not isinstance(config, Mapping):
            raise _type_error("an image config", "a mapping", config)
        registry = _config_item(config, "registry")
        if not isinstance(registry, Mapping):
            raise _type_error("an image config's 'registry'", "a mapping", registry)
        return cls.from_image_str(
            _config_item(config, "canonical"),
            _config_item(config, "project"),
            _config_item(registry, "name", "image config's 'registry'"),
            architecture=_config_item(config, "architecture"),
            is_local=_config_item(config, "is_local"),
        )

    def replace(
        self,
        *,
        name: str = _KEEP,
        project: str | None = _KEEP,
        tag: str = _KEEP,
        registry: str | None = _KEEP,
        architecture: str = _KEEP,
        is_local: bool = _KEEP,
    ) -> ImageRef:
        """A copy with the given fields changed (checked as by the constructor); D9."""
        return type(self)(
            self.name if name is _KEEP else name,
            self.project if project is _KEEP else project,
            self.tag if tag is _KEEP else tag,
            self.registry if registry is _KEEP else registry,
            self.architecture if architecture is _KEEP else architecture,
            self.is_local if is_local is _KEEP else is_local,
        )

    __replace__ = replace  # copy.replace (Python 3.13)

    # -- derived fields -------------------------------------------------------------

    def _tag_record(self) -> TagRecord:
        """The tag's record (read once; refs with one valid tag share it)."""
        record = self._record
        if record is None:
            record = valid_record(self.tag)
            object.__setattr__(self, "_record", record)  # past the read-only __setattr__ (D9)
        return record

    @property
    def tag_set(self) -> tuple[str, PlatformTagSet]:
        """``(main version, platform tags)``."""
        return self._tag_record()[1:]

    @property
    def canonical(self) -> str:
        """The non-empty ones of registry, project and name joined by ``/``, then ``:tag``."""
        return _canonical(self.registry, self.project, self.name, self.tag)

    @property
    def short(self) -> str:
        """:attr:`canonical` without the registry."""
        return _canonical(None, self.project, self.name, self.tag)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain, JSON-ready dict (24.03's keys, with ``project``, no digest).

        >>> ImageRef("python", "stable", "3.9-py3", "cr", "arm64", False).to_dict()["platform_tags"]
        {'py': '3'}
        """
        tag, main, platform = self._tag_record()
        return {
            "registry": self.registry,
            "project": self.project,
            "name": self.name,
            "tag": tag,
            "architecture": self.architecture,
            "is_local": self.is_local,
            "canonical": self.canonical,
            "short": self.short,
            "version": main,
            "platform_tags": dict(platform),
        }

    # -- aliases ------------------------------------------------------------------

    def generate_aliases(self) -> dict[str, ImageRef]:
        """Every short name of this image (as in 24.03, from the name without the project)."""
        _, main, platform = self._tag_record()
        return aliases(self.name, main, platform, self)

    @staticmethod
    def merge_aliases(
        genned_aliases_1: Mapping[str, ImageRef], genned_aliases_2: Mapping[str, ImageRef]
    ) -> dict[str, ImageRef]:
        """Merge two alias maps; where both have a key, the greater ref wins (ties: the first)."""
        merged: Any = _ImageRef2403.merge_aliases(genned_aliases_1, genned_aliases_2)  # type: ignore[arg-type]
        return merged  # type: ignore[no-any-return]

    # -- comparison ---------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ImageRef):
            return NotImplemented
        return (
            self.name == other.name
            and self.tag == other.tag
            and self.project == other.project
            and self.registry == other.registry
            and self.architecture == other.architecture
            and self.is_local == other.is_local
        )

    def __hash__(self) -> int:
        return hash((self.project, self.name, self.tag, self.registry, self.architecture))

    def __lt__(self, other: object) -> bool:
        """Within one name and project, as 24.03 orders tags (equal tags are not less)."""
        if not isinstance(other, ImageRef):
            return NotImplemented
        if self.name != other.name or self.project != other.project:
            raise IncomparableImages(
                "only images with the same name and project compare:"
                f" {_quoted(self.project)}/{_quoted(self.name)}"
                f" vs {_quoted(other.project)}/{_quoted(other.name)}"
            )
        return tag_less(self._tag_record(), other._tag_record())

    # -- representation and copying -----------------------------------------------

    def __str__(self) -> str:
        return self.canonical

    def __repr__(self) -> str:
        return f'<ImageRef: "{self.canonical}" ({self.architecture})>'

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (
                self.name,
                self.project,
                self.tag,
                self.registry,
                self.architecture,
                self.is_local,
            ),
        )

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self


def _read_only(ref: ImageRef, name: str, value: object = None) -> None:
    """D9: no attribute of an ImageRef is set or deleted; ``replace()`` makes a changed copy."""
    raise AttributeError(f"an ImageRef is read-only ({name!r}); replace() makes a changed copy")


# In place of the frozen dataclass's own, which with slots=True names the class as it
# was before the slots were added, so on Python 3.10 and 3.11 setting a name that is
# not a field raises a TypeError from super() instead of an AttributeError.
ImageRef.__setattr__ = _read_only  # type: ignore[method-assign,assignment]
ImageRef.__delattr__ = _read_only  # type: ignore[method-assign,assignment]

# The slots of an ImageRef, in the order of _checked_fields' answer.
_SLOTS = ("name", "project", "tag", "registry", "architecture", "is_local", "_record")


class _Draft(_RecordSlot):
    """An :class:`ImageRef` being built: the same slots, writable (see :func:`_fill`)."""

    __slots__ = _SLOTS[:-1]


def _fill(ref: ImageRef, fields: tuple[object, ...]) -> None:
    """Store *fields* (as :func:`_checked_fields` gives them) in *ref*, past its guard (D9).

    A ref of ImageRef itself is filled as a :class:`_Draft` (same slots, writable):
    two ``__class__`` assignments cost half of seven ``object.__setattr__`` calls.
    """
    if type(ref) is ImageRef:
        object.__setattr__(ref, "__class__", _Draft)
        draft: Any = ref
        (
            draft.name,
            draft.project,
            draft.tag,
            draft.registry,
            draft.architecture,
            draft.is_local,
            draft._record,
        ) = fields
        draft.__class__ = ImageRef
        return
    for slot, value in zip(_SLOTS, fields, strict=True):
        object.__setattr__(ref, slot, value)
