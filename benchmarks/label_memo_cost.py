"""What the label memos cost on labels never seen before: with them, and without.

The label rules keep two memos (imageref._memo.Table): the checked service-ports
readings and the PurePosixPath of path texts. On new text a memo can only cost, so
this measures ``parse_service_ports`` and ``validate_image_labels`` on a stream of new
labels (benchmarks/label_cases.py) with the memos as shipped and with both replaced by
the plain computation (the same functions, monkeypatched in this process), interleaved
round by round; each figure is the best of 3 passes of N calls, the median over rounds.
A third case, "mixed", is a registry scan: every other label set is one of a family
(``--family``, 64 label sets) whose texts come back again and again, the others new.
Run with any supported Python and imageref importable::

    PYTHONPATH=src python benchmarks/label_memo_cost.py --rounds 12
"""

from __future__ import annotations

import argparse
import itertools
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from label_cases import new_label_set, new_service_ports

from imageref import _service_ports as sp
from imageref import labels as lb


def _unmemoised_check_entries(label: Any, allowed: sp.Protocols = sp.PROTOCOLS_2403) -> Any:
    if not isinstance(label, str):
        return sp._check_entries(label, allowed)
    return sp._accept(label, allowed) or sp._check_entries(sp.split_entries(label), allowed)


def _unmemoised_path(text: str) -> PurePosixPath:
    return PurePosixPath(text)


def _policy_without_path_memo() -> lb._LabelPolicy:
    schema = tuple(
        (label, _unmemoised_path if rule is lb._path else rule, required)
        for label, rule, required in lb._SCHEMA
    )
    saved = lb._SCHEMA
    lb._SCHEMA = schema
    try:
        return lb._LabelPolicy({lb.LABEL_ROLE: lb.DEFAULT_ROLE}, sp.PROTOCOLS_2403)
    finally:
        lb._SCHEMA = saved


_SHIPPED_CHECK = sp.check_entries


def _memos(on: bool, policy: lb._LabelPolicy) -> None:
    check = _SHIPPED_CHECK if on else _unmemoised_check_entries
    sp.check_entries = lb.check_entries = check  # type: ignore[assignment]
    lb._POLICY_2403 = policy


def _mixed(size: int) -> Iterator[dict[str, str]]:
    """Label sets, every other one from a family of *size*, the others never seen before."""
    family = [new_label_set(10**9 + i) for i in range(size)]  # texts no new set has
    for index in itertools.count():
        yield family[index // 2 % size] if index % 2 else new_label_set(index)


def _best(function: Callable[[Any], object], inputs: Iterator[Any], calls: int) -> float:
    best = float("inf")
    for _ in range(3):
        batch = [next(inputs) for _ in range(calls)]
        start = time.perf_counter()
        for item in batch:
            function(item)
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--family", type=int, default=64, help="label sets in the mixed case")
    args = parser.parse_args()
    shipped_policy = lb._POLICY_2403
    plain_policy = _policy_without_path_memo()
    # Inputs are made as they are asked for (up front, 12 rounds would take 720,000).
    cases: dict[str, tuple[Callable[[Any], object], Iterator[Any]]] = {
        "parse_service_ports new": (
            lambda text: sp.parse_service_ports(text, ""),
            map(new_service_ports, itertools.count()),
        ),
        "validate_image_labels new": (
            lb.validate_image_labels,
            map(new_label_set, itertools.count()),
        ),
        f"validate_image_labels mixed {args.family}": (
            lb.validate_image_labels,
            _mixed(args.family),
        ),
    }
    print(f"Python {platform.python_version()}; {args.rounds} rounds of {args.calls} calls")
    for name, (function, inputs) in cases.items():
        times: dict[bool, list[float]] = {True: [], False: []}
        for index in range(args.rounds):
            for on in (True, False) if index % 2 else (False, True):
                _memos(on, shipped_policy if on else plain_policy)
                times[on].append(_best(function, inputs, args.calls))
        _memos(True, shipped_policy)
        with_memo = statistics.median(times[True]) * 1e6
        without = statistics.median(times[False]) * 1e6
        print(
            f"{name:31} with memos {with_memo:6.2f} us   without {without:6.2f} us   "
            f"difference {with_memo - without:+.2f} us ({(with_memo / without - 1) * 100:+.1f}%)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
