"""The exceptions imageref raises.

Every failure the package reports is an instance of :class:`ImageRefError`.
Bad values raise a subclass that is also a :class:`ValueError`; a value of the
wrong type raises :class:`ImageRefTypeError`, which is also a :class:`TypeError`.
So code written against Backend.AI's ``except ValueError`` keeps working, and
code that wants everything from this package catches ``ImageRefError``.
"""

from __future__ import annotations

__all__ = [
    "ImageConfigError",
    "ImageRefError",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "InvalidReference",
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


class ImageConfigError(ImageRefError, ValueError):
    """An image config mapping (Backend.AI 26.09's ``from_image_config``) lacks a key."""


class ImageRefTypeError(ImageRefError, TypeError):
    """An argument has the wrong type (for instance a reference that is not a ``str``)."""


def _type_error(what: str, expected: str, got: object) -> ImageRefTypeError:
    """``<what> must be <expected>, not <type>``: the one wording of every type error."""
    return ImageRefTypeError(f"{what} must be {expected}, not {type(got).__name__}")


def _show(text: str) -> str:
    """*text* as it goes into a message: as-is when plain, else its ``repr``."""
    if text and text.isascii() and text.isprintable() and " " not in text:
        return text
    return repr(text)


def _name_error(value: str, reason: str) -> InvalidImageName:
    """``Invalid image name: <value> (<reason>)``."""
    return InvalidImageName(f"{_show(value)} ({reason})")
