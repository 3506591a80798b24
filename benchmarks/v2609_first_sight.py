#!/usr/bin/env python3
"""First sightings of ``ImageRef.from_image_str``: imageref's 26.09 surface vs backend.ai-common.

    python benchmarks/v2609_first_sight.py run imageref|backend.ai [--kind first|rescan]
    python benchmarks/v2609_first_sight.py compare --python PY_IMAGEREF --ref-python PY_REF
        [--baseline-python PY_OTHER_IMAGEREF] [--kind first|rescan] [--rounds 5]

``run`` parses the 20,000 distinct references of a corpus once each, in this (fresh)
process, and prints the mean microseconds per call (``workloads``: ``first`` shares
no part between references, ``rescan`` shares tags across repositories); by
default it times the CPU time of the process (``--clock cpu``: other jobs on a
shared machine distort it less than wall time, as in ``workload_rate.py``),
``--clock wall`` the elapsed time. ``compare`` starts interleaved fresh processes
of both sides (the reference needs Python 3.13, so run imageref on 3.13 too) and
prints each side's median and the ratio; ``--baseline-python`` adds a third side,
imageref run by another interpreter (another copy of the package, say the code
before a change, put first on its ``PYTHONPATH``), with its own ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def run(side: str, n: int, kind: str, clock: str = "cpu") -> float:
    sys.path.insert(0, str(HERE))
    from v2609_workload import triples

    inputs = triples(kind, n)
    if side == "imageref":
        from imageref.compat.v2609 import ImageRef
    else:
        from ai.backend.common.docker import ImageRef  # type: ignore[no-redef]
    from_image_str = ImageRef.from_image_str
    now = _CLOCKS[clock]
    start = now()
    for value, project, registry in inputs:
        from_image_str(value, project, registry)
    return (now() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["run", "compare"])
    parser.add_argument("side", nargs="?", choices=["imageref", "backend.ai"])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--kind", choices=["first", "rescan"], default="first")
    parser.add_argument("--clock", choices=sorted(_CLOCKS), default="cpu")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--ref-python")
    parser.add_argument("--baseline-python")
    args = parser.parse_args()
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
