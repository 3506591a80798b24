"""The one caching rule imageref's module-level memo tables share.

A memo table is a plain ``dict`` from one part of a reference (a head, a tag, a
platform suffix, ...) to what a pure function of that part returned. A hit is one
``dict.get`` by the caller (atomic under the GIL, so readers need no lock). A write
is ``if len(cache) >= LIMIT: evict(cache, LIMIT)`` then ``cache[key] = value`` (what
:func:`remember` does; the parse path writes it inline to save a call per part):
when the table is full, :func:`evict` drops the older half of its entries (dicts
keep insertion order) first, under a lock. So a table never grows past its limit
(but for one entry per thread writing at that moment), the entries most recently
learned stay, and eviction costs O(1) per insertion on average: parsing a stream
of new parts never gets slower than parsing without the table (no cliff when it
overflows).
"""

from __future__ import annotations

from _thread import allocate_lock

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any, TypeVar

    K = TypeVar("K")
    V = TypeVar("V")

__all__ = ["clear_all", "evict", "remember", "table"]

_lock = allocate_lock()
_tables: list[dict[Any, Any]] = []


def table() -> dict[Any, Any]:
    """A new, empty memo table, known to :func:`clear_all`."""
    new: dict[Any, Any] = {}
    _tables.append(new)
    return new


def clear_all() -> None:
    """Empty every memo table (tests and benchmarks use it for a cold start)."""
    for found in _tables:
        found.clear()


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store ``key -> value`` in *cache* (its older half dropped first when full)."""
    if len(cache) >= limit:
        evict(cache, limit)
    cache[key] = value
    return value


def evict(cache: dict[Any, Any], limit: int) -> None:
    """Drop the older half of *cache* if it holds *limit* entries or more (under a lock)."""
    with _lock:
        if len(cache) >= limit:
            for old in list(cache)[: len(cache) // 2 or 1]:
                cache.pop(old, None)
