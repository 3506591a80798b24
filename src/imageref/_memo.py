"""The one caching rule imageref's module-level caches share."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import TypeVar

    K = TypeVar("K")
    V = TypeVar("V")

__all__ = ["remember"]


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store ``key -> value`` in *cache* and return *value*.

    A cache that already holds *limit* entries is emptied first, so it never grows
    past *limit*. Emptying (rather than evicting one entry) keeps the bookkeeping
    off the hit path: a hit stays a single ``dict.get``.
    """
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value
