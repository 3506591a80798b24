"""Put imageref's memo tables in a chosen state: cleared, or bounded to a few entries.

Every table is made by :func:`imageref._memo.table` (bounded by a module constant
whose name ends in ``_LIMIT``) or is a module :class:`imageref._memo.Table` (bounded by
its ``limit``); :func:`limits` sets all of those for a while, so that eviction happens
after a handful of calls.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import imageref
from imageref import _memo


def limit_names() -> list[tuple[object, str]]:
    """(module, name) of every memo-table limit constant (``_*_LIMIT``) in imageref's modules."""
    found: list[tuple[object, str]] = []
    for modname, module in sorted(sys.modules.items()):
        if module is None or not modname.startswith(imageref.__name__ + "."):
            continue
        for name, value in vars(module).items():
            if name == "_SHOWN_LIMIT":  # how much of an input a message shows: not a table
                continue
            if name.startswith("_") and name.endswith("_LIMIT") and isinstance(value, int):
                found.append((module, name))
    return found


@contextlib.contextmanager
def limits(size: int) -> Iterator[None]:
    """Bound every memo table to *size* entries (emptied first), then restore the limits."""
    saved = [(module, name, getattr(module, name)) for module, name in limit_names()]
    tables = [(table, table.limit) for table in _memo._tables]
    _memo.clear_all()
    try:
        for module, name, _ in saved:
            setattr(module, name, size)
        for table, _ in tables:
            table.limit = size
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
        for table, limit in tables:
            table.limit = limit
        _memo.clear_all()


def rest_all() -> None:
    """Make every parse-path table rest: lookups go on, nothing new is stored."""
    for table in _memo._tables:
        table.rest = 10**9


def clear() -> None:
    """Empty every memo table."""
    _memo.clear_all()
