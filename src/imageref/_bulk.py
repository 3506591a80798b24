"""Reading many references at once: one outcome per input, one bad input never stops the rest.

The bulk readers (:meth:`imageref.ImageRefParser.parse_many` and
:meth:`~imageref.ImageRefParser.parse_tags`, and Backend.AI 26.09's
:func:`imageref.compat.v2609.parse_many` and :func:`~imageref.compat.v2609.parse_tags`)
check their arguments with :func:`texts` (a wrong type raises, as for one
reference) and collect what each input gives with :func:`outcomes`: the value read,
or the :class:`~imageref.errors.ImageRefError` reading it raised, in its place.
"""

from __future__ import annotations

from .errors import ImageRefError, _type_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import TypeVar

    R = TypeVar("R")

__all__ = ["outcomes", "texts"]


def texts(what: str, values: Iterable[str]) -> list[str]:
    """*values* as a list of plain ``str`` (subclasses read as their text).

    *values* that is a ``str`` or ``bytes`` (one reference, not many), or an item
    that is not a ``str``, raises :class:`~imageref.errors.ImageRefTypeError`
    (*what* names one item).
    """
    if isinstance(values, (str, bytes)):
        raise _type_error(f"{what}s", "an iterable of str", values)
    return [value if type(value) is str else _text(what, value) for value in values]


def _text(what: str, value: object) -> str:
    if isinstance(value, str):
        return str.__str__(value)
    raise _type_error(f"each {what}", "a str", value)


def outcomes(read: Callable[[str], R], values: list[str]) -> list[R | ImageRefError]:
    """``read(value)`` for each of *values*, or the :class:`ImageRefError` it raised."""
    out: list[R | ImageRefError] = []
    add = out.append
    for value in values:
        try:
            add(read(value))
        except ImageRefError as exc:
            add(exc)
    return out
