"""The memo of the label checks: remember a text's result once it is seen again.

The label rules keep two memos of a pure function of one label text: the checked
entries of a service-ports text (:mod:`imageref._service_ports`) and the
``PurePosixPath`` of a path text (:mod:`imageref.labels`). The images of one
family share those texts, so a registry scan or an agent sees each many times;
but a stream of images never seen before gains nothing from a memo, and storing
every result (and dropping it again when the table is full) made such a stream
slower than no memo at all. So a :class:`LabelMemo` admits results with care:

- **Second sighting.** :meth:`LabelMemo.learn` notes a text's first sighting in a
  bounded set of texts (``seen``, cleared when full) and stores the result at the
  second one. One-off texts keep no result alive and never push remembered ones out
  of the table.
- **Hit-rate gate.** When a whole set of ``limit`` first sightings passes with no
  text seen again, the memo is not paying: from then on only one miss in
  ``SPARSE`` goes through :meth:`~LabelMemo.learn` (the others cost a counter), until
  a text is seen again, which makes it learn from every miss again.

The caller reads ``memo.table.get(text)`` (one ``dict.get``; a hit costs nothing
more), and on a miss, after computing the value::

    if memo.quiet > 0:
        memo.quiet -= 1
        return value
    return memo.learn(text, value)

Admission depends only on the sequence of texts (no clock, no randomness). The
table holds at most ``limit`` results (its older half is dropped when full, by
:func:`imageref._memo.evict`, under a lock), ``seen`` at most ``limit`` texts, and
texts longer than ``LONGEST_REMEMBERED`` are never remembered. ``dict`` and ``set``
operations are atomic under the GIL; a counter update lost to a race between
threads only shifts which miss is sampled, never an answer (a count that two threads
take below zero means "learn now", and learning sets it again). This module is used by
the label modules only.
"""

from __future__ import annotations

from ._memo import evict

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any, TypeVar

    V = TypeVar("V")

__all__ = ["LONGEST_REMEMBERED", "SPARSE", "LabelMemo"]

#: Texts longer than this are computed every time: a memo of megabyte keys would
#: hold megabytes.
LONGEST_REMEMBERED = 1024

#: While the memo is not paying, one miss in this many is looked at.
SPARSE = 16


class LabelMemo:
    """A bounded memo of a pure function of one label text (see the module docstring).

    ``table``: text -> result; ``seen``: texts sighted once; ``quiet``: how many
    misses to pass over before the next one is learnt from, and ``skip`` what it is
    set to after each (0, or ``SPARSE - 1`` while the memo is not paying);
    ``returned``: whether a noted text was seen again since ``seen`` was last
    cleared; ``limit``: the most results (and noted texts) held.
    """

    __slots__ = ("limit", "quiet", "returned", "seen", "skip", "table")

    def __init__(self, limit: int) -> None:
        self.table: dict[str, Any] = {}
        self.seen: set[str] = set()
        self.limit = limit
        self.quiet = 0
        self.skip = 0
        self.returned = False

    def learn(self, text: str, value: V) -> V:
        """*value*, stored under *text* if *text* was seen before; else *text* is noted."""
        self.quiet = self.skip
        if len(text) > LONGEST_REMEMBERED:
            return value
        seen = self.seen
        if text in seen:
            table = self.table
            if len(table) >= self.limit:
                evict(table, self.limit)
            table[text] = value
            self.returned = True
            self.skip = self.quiet = 0
            return value
        if len(seen) >= self.limit:  # a whole set of first sightings: did any return?
            self.skip = self.quiet = 0 if self.returned else SPARSE - 1
            self.returned = False
            seen.clear()
        seen.add(text)
        return value

    def clear(self) -> None:
        """Forget everything and learn from every miss (tests and benchmarks use it)."""
        self.table.clear()
        self.seen.clear()
        self.quiet = self.skip = 0
        self.returned = False
