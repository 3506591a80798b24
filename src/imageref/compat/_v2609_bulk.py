"""Backend.AI 26.09's references read in bulk: one outcome per input (see :mod:`imageref._bulk`).

:func:`parse_many` and :func:`parse_tags` give, for each input, what
:meth:`ImageRef.from_image_str <imageref.compat.v2609.ImageRef.from_image_str>` gives
for it under one *project* and *registry*: the ref, or the
:class:`~imageref.errors.ImageRefError` it raises (same class, same message), in its
place. An argument of the wrong type raises, as it would for one reference.
"""

from __future__ import annotations

from .._bulk import outcomes, texts
from ..errors import ImageRefTypeError, _type_error
from ._v2609_ref import ImageRef

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..errors import ImageRefError

__all__ = ["parse_many", "parse_tags"]


def _reader(
    project: str | None, registry: str | None, architecture: str, is_local: bool
) -> Callable[[str], ImageRef]:
    """``from_image_str`` under these arguments, once their types are known to be right."""

    def read(image_str: str) -> ImageRef:
        return ImageRef.from_image_str(
            image_str, project, registry, architecture=architecture, is_local=is_local
        )

    try:  # a wrong argument type is every input's error: raised, as for one reference
        read("x:latest")
    except ImageRefTypeError:
        raise
    except Exception:  # noqa: S110 - the arguments' values are each input's to report
        pass
    return read


def parse_many(
    image_strs: Iterable[str],
    project: str | None,
    registry: str | None,
    *,
    architecture: str = "x86_64",
    is_local: bool = False,
) -> list[ImageRef | ImageRefError]:
    """``ImageRef.from_image_str(image_str, project, registry, ...)`` of each, or its error.

    >>> from imageref.compat.v2609 import parse_many
    >>> [type(x).__name__ for x in parse_many(["stable/python:3.9", "python"], "stable", None)]
    ['ImageRef', 'ProjectMismatchWithCanonical']
    """
    read = _reader(project, registry, architecture, is_local)
    return outcomes(read, texts("image reference", image_strs))


def parse_tags(
    repository: str,
    tags: Iterable[str],
    project: str | None,
    registry: str | None,
    *,
    architecture: str = "x86_64",
    is_local: bool = False,
) -> list[ImageRef | ImageRefError]:
    """``ImageRef.from_image_str(f"{repository}:{tag}", project, registry, ...)`` of each tag.

    >>> from imageref.compat.v2609 import parse_tags
    >>> refs = parse_tags("cr.backend.ai/stable/python", ["3.9", "bad!"], "stable", "cr.backend.ai")
    >>> refs[0].short, type(refs[1]).__name__
    ('stable/python:3.9', 'InvalidImageTag')
    """
    if not isinstance(repository, str):
        raise _type_error("repository", "a str", repository)
    repository = str.__str__(repository)
    read = _reader(project, registry, architecture, is_local)
    return outcomes(lambda tag: read(f"{repository}:{tag}"), texts("tag", tags))
