#!/usr/bin/env python3
"""First sightings of ``ImageRef.from_image_str``: imageref's 26.09 surface vs backend.ai-common.

    python benchmarks/v2609_first_sight.py run imageref|backend.ai [--kind first|rescan]
    python benchmarks/v2609_first_sight.py compare --python PY_IMAGEREF --ref-python PY_REF

``run`` parses the 20,000 distinct references of a corpus once each, in this (fresh)
process, and prints the mean microseconds per call (``workloads``: ``first`` shares
no part between references, ``rescan`` shares tags across repositories);
``compare`` starts interleaved fresh processes of both sides (the reference needs
Python 3.13, so run imageref on 3.13 too) and prints each side's median and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(side: str, n: int, kind: str) -> float:
    sys.path.insert(0, str(HERE))
    from v2609_workload import triples

    inputs = triples(kind, n)
    if side == "imageref":
        from imageref.compat.v2609 import ImageRef
    else:
        from ai.backend.common.docker import ImageRef  # type: ignore[no-redef]
    from_image_str = ImageRef.from_image_str
    start = time.perf_counter()
    for value, project, registry in inputs:
        from_image_str(value, project, registry)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["run", "compare"])
    parser.add_argument("side", nargs="?", choices=["imageref", "backend.ai"])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--kind", choices=["first", "rescan"], default="first")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--ref-python")
    args = parser.parse_args()
    if args.mode == "run":
        print(f"{run(args.side, args.n, args.kind):.3f}")
        return
    sides = {"imageref": args.python, "backend.ai": args.ref_python or args.python}
    times: dict[str, list[float]] = {side: [] for side in sides}
    for _ in range(args.rounds):
        for side, python in sides.items():
            command = [python, __file__, "run", side, "--n", str(args.n), "--kind", args.kind]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            times[side].append(float(out))
    for side, values in times.items():
        print(f"{side:11} {statistics.median(values):7.3f} us/call  (runs: {values})")
    ratio = statistics.median(times["backend.ai"]) / statistics.median(times["imageref"])
    print(f"imageref is {ratio:.2f}x faster")


if __name__ == "__main__":
    main()
