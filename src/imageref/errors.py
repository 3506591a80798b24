"""The exceptions imageref raises.

Every failure the package reports is an instance of :class:`ImageRefError`.
Bad values raise a subclass that is also a :class:`ValueError`; a value of the
wrong type raises :class:`ImageRefTypeError`, which is also a :class:`TypeError`.
So code written against Backend.AI's ``except ValueError`` keeps working, and
code that wants everything from this package catches ``ImageRefError``.
"""

from __future__ import annotations

from ._grammar import is_printable
from ._value import ReadOnlyValue

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "SHOWN_PER_KIND",
    "ImageConfigError",
    "ImageLabelError",
    "ImageRefError",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "InvalidPlatform",
    "InvalidReference",
    "LabelProblem",
    "ManifestError",
    "ProjectMismatchWithCanonical",
]


class ImageRefError(Exception):
    """Base class of every exception raised by imageref."""


class InvalidImageName(ImageRefError, ValueError):
    """The image reference as a whole, its registry or its name is malformed.

    ``str()`` starts with ``Invalid image name: `` as Backend.AI's does.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(f"Invalid image name: {detail}")


class InvalidImageTag(ImageRefError, ValueError):
    """The tag, one of its platform tags, or their combination is malformed.

    ``str()`` starts with ``Invalid or duplicate image name tag: <tag>, full image
    name: <input>`` as Backend.AI's does; a reason follows when one is known.
    """

    def __init__(self, tag: str, full: str | None, reason: str = "") -> None:
        message = f"Invalid or duplicate image name tag: {tag}, full image name: {full}"
        if reason:
            message = f"{message} ({reason})"
        super().__init__(message)


class InvalidReference(ImageRefError, ValueError):
    """A reference breaks the OCI / Docker distribution grammar (``imageref.oci``)."""


class IncomparableImages(ImageRefError, ValueError):
    """Two images with different names were ordered; only same-named images compare."""


class ProjectMismatchWithCanonical(ImageRefError, ValueError):
    """A Backend.AI 26.09 image string does not lie under the project it was given with.

    ``args`` are ``(project, canonical)``: the project and the canonical form the
    image string parsed to (see :mod:`imageref.compat.v2609`).
    """

    def __init__(self, project: str, canonical: str) -> None:
        super().__init__(project, canonical)
        self.project = project
        self.canonical = canonical

    def __str__(self) -> str:
        return (
            f"image {_show(self.canonical)} is not under project {_show(self.project)}"
            " (its name must be the project or start with the project and '/')"
        )

    def __repr__(self) -> str:
        """As an exception's ``repr`` of its ``args``, each shortened when huge."""
        return f"{type(self).__name__}({_quoted(self.project)}, {_quoted(self.canonical)})"


class ImageConfigError(ImageRefError, ValueError):
    """An image config mapping (Backend.AI 26.09's ``from_image_config``) lacks a key."""


class ImageRefTypeError(ImageRefError, TypeError):
    """An argument has the wrong type (for instance a reference that is not a ``str``)."""


def _type_error(what: str, expected: str, got: object) -> ImageRefTypeError:
    """``<what> must be <expected>, not <type>``: the one wording of every type error."""
    return ImageRefTypeError(f"{what} must be {expected}, not {type(got).__name__}")


# ---------------------------------------------------------------------------
# Input in messages: the one shortening rule
# ---------------------------------------------------------------------------

# Reference errors show an input of up to this many characters whole. Longer than any
# reference a registry takes (a 253-character host, a port, a 255-character path, a
# 128-character tag and a sha512 digest make 780), so every real reference is named in
# full (D4); past it an error shows the head, the tail and the length. (These bounds
# are not named ``_*_LIMIT``: that suffix marks the bounds of memo tables.)
_SHOW_MAX_CHARS = 1024

# Label and CLI messages show a value of up to this many characters whole (a line of a
# report), and past it the head, the tail and the length.
_SHOWN_MAX_CHARS = 80


def _is_plain(text: str) -> bool:
    """Whether *text* reads unambiguously bare in a message: printable ASCII, no spaces."""
    return bool(text) and is_printable(text)


def _shorten(
    text: str,
    limit: int,
    quote: Callable[[str], str] = ascii,
    *,
    bare_if_plain: bool = False,
    bare_if_whole: bool = False,
) -> str:
    """*text* as a message shows it: the one rule of every message that shows input.

    Up to *limit* characters, *text* whole: as-is when *bare_if_whole*, or when
    *bare_if_plain* and it is plain (:func:`_is_plain`), else ``quote(text)``
    (``ascii`` or ``repr``). Longer, ``quote(head)...quote(tail) (N characters)``
    with ``limit // 2`` characters each side: only the kept head and tail are
    escaped, so a megabyte costs what *limit* characters cost.
    """
    if len(text) <= limit:
        return text if bare_if_whole or (bare_if_plain and _is_plain(text)) else quote(text)
    half = limit // 2
    return f"{quote(text[:half])}...{quote(text[-half:])} ({len(text)} characters)"


def _show(text: str) -> str:
    """*text* in a reference error: as-is when plain, else its ``repr``; shortened when huge."""
    return _shorten(text, _SHOW_MAX_CHARS, repr, bare_if_plain=True)


def _quoted(text: str | None) -> str:
    """*text* in a reference error as its ``repr`` even when plain; shortened when huge."""
    return "None" if text is None else _shorten(text, _SHOW_MAX_CHARS, repr)


def _as_go(text: str) -> str:
    """*text* in an ``imageref.oci`` error, as-is like Go's ``%s`` even when not plain;
    past the reference-error limit shortened as :func:`_show` shortens it."""
    return _shorten(text, _SHOW_MAX_CHARS, repr, bare_if_whole=True)


def _shown(text: str) -> str:
    """*text* in a label or CLI message: a printable-ASCII literal, shortened when long."""
    return _shorten(text, _SHOWN_MAX_CHARS)


def _shown_bare(text: str) -> str:
    """*text* in a label message where the reference's sentence has it as is: bare when
    plain (:func:`_is_plain`), else a printable-ASCII literal; shortened when long."""
    return _shorten(text, _SHOWN_MAX_CHARS, bare_if_plain=True)


def _name_error(value: str, reason: str) -> InvalidImageName:
    """``Invalid image name: <value> (<reason>)``."""
    return InvalidImageName(f"{_show(value)} ({reason})")


# ---------------------------------------------------------------------------
# Image labels (imageref.labels)
# ---------------------------------------------------------------------------

# An int of more bits than this is shown by its size: its repr would cost (or refuse) too much.
_SHOWN_INT_BITS = 1024


def _shown_object(value: object) -> str:
    """A value that is not a ``str`` as a message shows it: its repr, bounded, printable ASCII.

    ``_shown_object(5)`` is ``5``; a huge int, a long list or a failing ``__repr__``
    costs no more than a small value.
    """
    if isinstance(value, int) and value.bit_length() > _SHOWN_INT_BITS:
        return f"<int of {value.bit_length()} bits>"
    import reprlib  # noqa: PLC0415 - only on this error path: keeps `import imageref` light

    shorter = reprlib.Repr()  # a repr bounded in size: containers and long reprs cut short
    shorter.maxother = shorter.maxlong = _SHOWN_MAX_CHARS
    try:
        text = shorter.repr(value)
    except Exception:  # a __repr__ that fails says nothing more than the type would
        return f"<{type(value).__name__} object>"
    text = text.encode("ascii", "backslashreplace").decode("ascii")
    if not text.isprintable():
        text = ascii(text)[1:-1]  # control characters escaped
    return _shorten(text, _SHOWN_MAX_CHARS, str)  # escaped already: shortened, not quoted


class LabelProblem(ReadOnlyValue):
    """One problem found in an image's labels: which label, its value, and why.

    ``value`` is the offending value as a message shows it (a printable-ASCII
    literal, shortened when long; for one service-ports entry, that entry), or
    ``None`` when the label is missing. ``more`` is 0, except in the problem that
    stands for the problems of one kind a report leaves out (see
    :data:`SHOWN_PER_KIND`): there it counts them.
    """

    __slots__ = ("label", "more", "reason", "value")

    label: str
    value: str | None
    reason: str
    more: int

    def __init__(self, label: str, value: str | None, reason: str, more: int = 0) -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "more", more)

    def _fields(self) -> tuple[str, str | None, str, int]:
        return (self.label, self.value, self.reason, self.more)

    def __reduce__(self) -> tuple[object, ...]:
        return (LabelProblem, self._fields())

    def __repr__(self) -> str:
        more = f", more={self.more}" if self.more else ""
        return f"LabelProblem({self.label!r}, {self.value!r}, {self.reason!r}{more})"

    def __str__(self) -> str:
        """``label: reason``, or ``label = value: reason`` when the label has a value; the
        label as it is when plain, else quoted and escaped, shortened when long."""
        label = _shown_bare(self.label)
        if self.value is None:
            return f"{label}: {self.reason}"
        return f"{label} = {self.value}: {self.reason}"


# ---------------------------------------------------------------------------
# Bounded reports: the first few problems of a kind, then a count
# ---------------------------------------------------------------------------

#: A report lists at most this many problems of one kind in one label; one more
#: problem (whose ``more`` counts them) stands for the rest of that kind.
SHOWN_PER_KIND = 5


class _Tally:
    """Counts the problems of each kind found in one label, so that only the first
    :data:`SHOWN_PER_KIND` of a kind are written out (:meth:`listed`) and the rest
    become one summary each (:meth:`summaries`). A kind is a short phrase that
    names the fault (``"ports already used"``); the summary shows it."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def listed(self, kind: str) -> bool:
        """Count one problem of *kind*: whether it is among the ones a report lists."""
        count = self.counts.get(kind, 0) + 1
        self.counts[kind] = count
        return count <= SHOWN_PER_KIND

    def summaries(self, label: str) -> list[LabelProblem]:
        """One problem of *label* per kind found more than :data:`SHOWN_PER_KIND` times."""
        return [
            _summary(label, count - SHOWN_PER_KIND, kind)
            for kind, count in self.counts.items()
            if count > SHOWN_PER_KIND
        ]


def _summary(label: str, more: int, kind: str) -> LabelProblem:
    """The problem that stands for *more* problems of *kind* left out of a report."""
    problems = "problem" if more == 1 else "problems"
    why = f"... and {more:,} more {problems} of this kind ({kind})"
    return LabelProblem(label, None, why, more)


class ImageLabelError(ImageRefError, ValueError):
    """An image's labels break the rules; ``problems`` lists every problem found.

    ``str()`` says them all on one line: ``invalid image labels (2 problems):
    <problem>; <problem>``, each problem as ``str(LabelProblem)`` says it. Past
    :data:`SHOWN_PER_KIND` problems of one kind in one label, one problem counts
    the rest (its ``more``); ``count`` is the number of problems found, those
    included.
    """

    problems: tuple[LabelProblem, ...]
    count: int

    def __init__(self, problems: tuple[LabelProblem, ...] | list[LabelProblem]) -> None:
        self.problems = tuple(problems)
        count = self.count = sum(problem.more or 1 for problem in self.problems)
        counted = "1 problem" if count == 1 else f"{count:,} problems"
        super().__init__(f"invalid image labels ({counted}): " + "; ".join(map(str, self.problems)))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


# ---------------------------------------------------------------------------
# Platforms (imageref.platforms) and registry documents (imageref.manifest)
# ---------------------------------------------------------------------------


class InvalidPlatform(ImageRefError, ValueError):
    """A platform string (``os[(version)][/arch[/variant]]``) is malformed."""


class ManifestError(ImageRefError, ValueError):
    """A registry document (index, manifest, config or descriptor) breaks a rule.

    ``path`` is the JSON path of the offending part (``$`` for the whole document,
    ``$.manifests[2].size`` for one field); ``str()`` is ``<path>: <rule>``.
    """

    path: str
    reason: str

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.reason))
