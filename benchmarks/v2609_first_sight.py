#!/usr/bin/env python3
"""First sightings of ``ImageRef.from_image_str``: imageref's 26.09 surface vs backend.ai-common.

    python benchmarks/v2609_first_sight.py run imageref|backend.ai [--kind first|rescan]
    python benchmarks/v2609_first_sight.py compare --python PY_IMAGEREF --ref-python PY_REF
        [--baseline-python PY_OTHER_IMAGEREF] [--kind first|rescan|repeat] [--rounds 5]
    python benchmarks/v2609_first_sight.py pieces [--rounds 5]

``run`` parses the 20,000 distinct references of a corpus once each, in this (fresh)
process, and prints the mean microseconds per call (``workloads``: ``first`` shares
no part between references, ``rescan`` shares tags across repositories; ``repeat``
is strings seen before: 1,000 first-sighting references parsed once untimed, then
20 more times over, timed). It times the CPU time of the process (``--clock cpu``,
the default: other jobs on a shared machine distort it less than wall time, as in
``workload_rate.py``) or the elapsed time (``--clock wall``).

``compare`` starts interleaved fresh processes of both sides (the reference needs
Python 3.13, so run imageref on 3.13 too) and prints each side's median and the
ratio; ``--baseline-python`` adds a third side, imageref run by another
interpreter (another copy of the package, say the code before a change, put first
on its ``PYTHONPATH``), with its own ratio.

``pieces`` times, in one process, the shared pieces a first sighting calls and
the whole call (see :func:`pieces`).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
_CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
_REPEATED = 1_000  # the references of --kind repeat


def run(side: str, n: int, kind: str, clock: str = "cpu") -> float:
    sys.path.insert(0, str(HERE))
    from v2609_workload import triples

    inputs = triples("first" if kind == "repeat" else kind, _REPEATED if kind == "repeat" else n)
    if side == "imageref":
        from imageref.compat.v2609 import ImageRef
    else:
        from ai.backend.common.docker import ImageRef  # type: ignore[no-redef]
    from_image_str = ImageRef.from_image_str
    passes = 1
    if kind == "repeat":
        for value, project, registry in inputs:
            from_image_str(value, project, registry)
        passes = max(1, n // _REPEATED)
    now = _CLOCKS[clock]
    start = now()
    for _ in range(passes):
        for value, project, registry in inputs:
            from_image_str(value, project, registry)
    return (now() - start) / (passes * len(inputs)) * 1e6


def pieces(n: int, rounds: int) -> None:
    """Where a first sighting's time goes: the shared pieces alone, then the whole call.

    Each line is the best of *rounds* passes over the ``first`` corpus in this
    process (CPU time, memo tables emptied before each pass): the screen, the IP
    check of the first path component (``from_image_str`` skips it when that is the
    registry argument) and the tag record of a new tag are the 24.03 pieces the
    26.09 path calls; the three in one loop are what any ``from_image_str`` built
    on them costs at least, and the rest of ``from_image_str`` is its own.
    """
    sys.path.insert(0, str(HERE))
    from v2609_workload import triples

    from imageref import _memo
    from imageref._grammar import is_ip_registry
    from imageref._reference import screen
    from imageref._tags import tag_record
    from imageref.compat.v2609 import ImageRef

    inputs = triples("first", n)
    tags = [(value.rpartition(":")[2], value) for value, _, _ in inputs]
    firsts = [value.partition("/")[0] for value, _, _ in inputs]
    from_image_str = ImageRef.from_image_str

    def screen_all() -> None:
        for value, _, _ in inputs:
            screen(value)

    def ip_check_all() -> None:
        for first in firsts:
            is_ip_registry(first)

    def tag_record_all() -> None:
        for tag, value in tags:
            tag_record(tag, value)

    def shared_all() -> None:  # the three in one loop: what from_image_str cannot skip
        for (value, _, _), first, (tag, _) in zip(inputs, firsts, tags, strict=True):
            screen(value)
            is_ip_registry(first)
            tag_record(tag, value)

    def from_image_str_all() -> None:
        for value, project, registry in inputs:
            from_image_str(value, project, registry)

    cases: dict[str, Callable[[], None]] = {
        "screen": screen_all,
        "IP check of the first component": ip_check_all,
        "tag_record of a new tag": tag_record_all,
        "the three, one reference at a time": shared_all,
        "from_image_str": from_image_str_all,
    }
    from_image_str("x:1-py3", None, None)  # compile the patterns first
    for label, case in cases.items():
        best = float("inf")
        for _ in range(rounds):
            _memo.clear_all()
            start = time.process_time()
            case()
            best = min(best, time.process_time() - start)
        print(f"{label:36} {best / n * 1e6:6.2f} us/call")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["run", "compare", "pieces"])
    parser.add_argument("side", nargs="?", choices=["imageref", "backend.ai"])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--kind", choices=["first", "rescan", "repeat"], default="first")
    parser.add_argument("--clock", choices=sorted(_CLOCKS), default="cpu")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--ref-python")
    parser.add_argument("--baseline-python")
    args = parser.parse_args()
    if args.mode == "pieces":
        pieces(args.n, args.rounds)
        return
    if args.mode == "run":
        print(f"{run(args.side, args.n, args.kind, args.clock):.3f}")
        return
    # label -> (interpreter, side)
    sides = {"imageref": (args.python, "imageref")}
    if args.baseline_python:
        sides["baseline"] = (args.baseline_python, "imageref")
    sides["backend.ai"] = (args.ref_python or args.python, "backend.ai")
    times: dict[str, list[float]] = {label: [] for label in sides}
    for _ in range(args.rounds):
        for label, (python, side) in sides.items():
            command = [python, __file__, "run", side, "--n", str(args.n), "--kind", args.kind]
            command += ["--clock", args.clock]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            times[label].append(float(out))
    print(f"{args.kind}, {args.clock} time, median of {args.rounds} interleaved rounds:")
    for label, values in times.items():
        print(f"{label:11} {statistics.median(values):7.3f} us/call  (runs: {values})")
    reference = statistics.median(times["backend.ai"])
    for label in sides:
        if label != "backend.ai":
            ratio = reference / statistics.median(times[label])
            print(f"{label} is {ratio:.2f}x faster than backend.ai")


if __name__ == "__main__":
    main()
