"""The versioned platform keys of a tag, in order: what ordering keeps on a platform tag set.

A :class:`KeySequence` is made by :func:`imageref._order.platform_order` and kept on
the :class:`~imageref._platform.PlatformTagSet` it was made from; it lives in a module
of its own so that the set's module and the order's need not import each other.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    # Picks some of a tag's platform versions (an operator.itemgetter).
    _Pick: TypeAlias = Callable[[tuple[bytes | int, ...]], object]
    # See imageref._order.alignment.
    Alignment: TypeAlias = tuple[()] | tuple[int, int, _Pick | None, _Pick | None]

__all__ = ["KeySequence"]


class KeySequence:
    """The platform keys that have a version, in tag order, shared by equal sequences.

    ``alignments`` remembers, per other sequence, how to pick the versions of the
    keys both have (see :func:`imageref._order.alignment`).
    """

    __slots__ = ("alignments", "keys")

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.alignments: dict[KeySequence, Alignment] = {}
