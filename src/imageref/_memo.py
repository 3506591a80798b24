"""The caching rules imageref's module-level memo tables share.

A plain memo table (:func:`table`) is a ``dict`` written by :func:`remember`:
bounded, the older half dropped when full (:func:`evict`), as below. It serves
pure functions that are only called when their answer is about to be used (sort
keys, order bytes), so every entry is asked for at least once.

A :class:`Table` maps one part of an input to what a pure function of that part
returned: a reference's head, tag or platform suffix (parts that passed every rule),
a tag's record, a label's service-ports or path text (whatever the checks found), a
command-line input line. A hit is one lookup in :attr:`Table.entries`, a plain ``dict`` (atomic
under the GIL, so readers need no lock), and the caller adds it to
:attr:`Table.hits`. On a miss the caller computes the answer, then offers it to
:meth:`Table.learn`, unless the table rests (:attr:`Table.rest` is not 0) and the
part is not the one missed last (:attr:`Table.last`): then it counts the miss down
(``table.rest -= 1``, and keeps the part as ``table.last``: no call, so a resting
table costs next to nothing, and a loop over one input ends the rest at once).
:meth:`Table.offer` is that miss path in one call, for callers whose miss costs far
more than a call (the label checks, the tag records, ``ImageRefParser.parse``);
:func:`~imageref._reference.parse_reference`, the tag check and the platform suffixes
write it inline (on a first sighting the call would cost about 2%). A table made
with ``longest=n`` is offered keys of at most *n* characters only (the label tables:
:data:`LONGEST_REMEMBERED`), so that a table of texts anyone can push holds kilobytes,
not megabytes:

- *Bounded, no cliff*: a full table drops the older half of its entries (dicts keep
  insertion order) under a lock, so it never grows past its limit (but for one
  entry per thread writing at that moment), the newest entries stay, and eviction
  costs O(1) per insertion on average.
- *Never worse than no table*: :meth:`Table.learn` counts misses in windows of half
  the limit. A window in which the table answered fewer than one lookup in
  :data:`ADMIT_HIT_RATIO` (a stream of new parts: a catalogue, a first-sighting
  list) makes it rest for :data:`REST_WINDOWS` windows of misses: lookups go on
  (the entries already kept still answer), new answers are not stored. Then it
  admits again for a window, and keeps admitting while it answers. The policy is
  deterministic (counts only, no clock, no randomness) and never changes an
  answer: only how fast it comes.
"""

from __future__ import annotations

from _thread import allocate_lock

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any, TypeVar

    K = TypeVar("K")
    V = TypeVar("V")

__all__ = [
    "ADMIT_HIT_RATIO",
    "LONGEST_REMEMBERED",
    "REST_WINDOWS",
    "Hits",
    "Table",
    "clear_all",
    "evict",
    "remember",
    "table",
]

#: A table keeps admitting while at least one lookup in this many was a hit.
ADMIT_HIT_RATIO = 8

#: How many windows of misses a table that did not answer waits before it tries again.
REST_WINDOWS = 32

# The most misses Table.rest counts at once; the rest of a longer rest waits in
# Table.rest_more. Python keeps one object for each int up to 256, so counting one
# down makes no new object (on a first sighting, that halves the cost of a resting
# table's count: measured with callgrind, docs/performance.md).
_REST_CHUNK = 256

#: The ``longest`` of the label tables: a longer text is checked every time.
LONGEST_REMEMBERED = 1024

_lock = allocate_lock()
_tables: list[Table] = []
_plain_tables: list[dict[Any, Any]] = []


def table() -> dict[Any, Any]:
    """A new, empty plain memo table, known to :func:`clear_all`."""
    new: dict[Any, Any] = {}
    _plain_tables.append(new)
    return new


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


class Hits:
    """A running count of hits that callers record outside a table (``hits.count += 1``).

    The parse path counts the lookups that found both of a reference's parts in
    one, shared by the two tables (see :class:`Table`).
    """

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class Table:
    """A bounded memo table that rests (stores nothing new) while it does not answer.

    *limit* bounds :attr:`entries`; *shared* (optional) is a :class:`Hits` count of
    hits that callers record elsewhere for this table (the parse path counts the
    lookups that found both of a reference's parts in one). *module* tables are
    known to :func:`clear_all`; a table owned by an object (the command line's
    per-line cache) is not. *longest* (optional) is the longest key :meth:`offer`
    keeps (keys then need a length).
    """

    __slots__ = (
        "entries",
        "hits",
        "last",
        "limit",
        "longest",
        "misses",
        "rest",
        "rest_more",
        "seen",
        "shared",
    )

    entries: dict[Any, Any]

    def __init__(
        self,
        limit: int,
        shared: Hits | None = None,
        *,
        module: bool = True,
        longest: int | None = None,
    ) -> None:
        self.entries = {}
        self.limit = limit
        self.longest = longest
        self.shared = Hits() if shared is None else shared
        self.hits = 0  # in this window
        self.misses = 0  # in this window
        self.rest = 0  # misses left before the table admits again (at most _REST_CHUNK)
        self.rest_more = 0  # misses left after those
        self.last: Any = None  # the part of the last miss counted down while resting
        self.seen = 0  # shared hits at the start of the window
        if module:  # a module-level table, emptied by clear_all()
            _tables.append(self)

    def clear(self) -> None:
        """Forget every entry and every count (a cold start)."""
        self.entries.clear()
        self.hits = self.misses = self.rest = self.rest_more = 0
        self.last = None
        self.seen = self.shared.count

    def offer(self, key: Any, value: V) -> V:
        """*value*, just computed for *key* on a miss; kept if the policy says so.

        While the table rests, a key other than the last one missed only counts the
        rest down; otherwise :meth:`learn` keeps it, unless it is longer than
        ``longest``. The caller counts its hits itself (``table.hits += 1``).
        """
        if self.rest and key != self.last:
            self.rest -= 1
            self.last = key
        elif self.longest is None or len(key) <= self.longest:
            self.learn(key, value)
        return value

    def learn(self, key: Any, value: Any) -> None:
        """Keep ``key -> value`` (the older half dropped when full); count the miss.

        Called while resting too: for a part missed twice in a row (a loop over one
        input), that ends the rest; for the first miss after :attr:`rest` ran out
        while :attr:`rest_more` has more, it counts that miss down from there.
        """
        if self.rest_more and key != self.last:
            more = self.rest_more
            self.rest = min(more, _REST_CHUNK) - 1
            self.rest_more = more - min(more, _REST_CHUNK)
            self.last = key
            return
        self.rest = self.rest_more = 0
        entries = self.entries
        if len(entries) >= self.limit:
            evict(entries, self.limit)
        entries[key] = value
        self.misses = misses = self.misses + 1
        if misses * 2 >= self.limit:  # the end of a window
            shared = self.shared.count
            if (self.hits + shared - self.seen) * ADMIT_HIT_RATIO < misses:
                rest = REST_WINDOWS * max(self.limit // 2, 1)
                self.rest = min(rest, _REST_CHUNK)
                self.rest_more = rest - self.rest
            self.hits = self.misses = 0
            self.seen = shared


def clear_all() -> None:
    """Empty every memo table and reset its counts (tests and benchmarks: a cold start)."""
    for found in _tables:
        found.clear()
    for plain in _plain_tables:
        plain.clear()
