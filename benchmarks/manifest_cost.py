"""What reading a registry document costs, against ``json.loads`` alone on the same bytes.

The contract (issue 19) asks that parsing and validating a realistic index (a few images
and their attestations) or a realistic config cost at most 3x ``json.loads``. For each
document in ``tests/data/registry/`` named below, every round times N calls of
``json.loads(body)`` and N calls of the imageref parser on the same ``bytes``, each the
best of 3 passes of CPU time (``time.process_time``: a busy machine's waits are left
out), interleaved so that both see the same machine; the figure is the median over
rounds of the per-round ratio. Run with any supported Python, imageref importable::

    PYTHONPATH=src python benchmarks/manifest_cost.py --rounds 15
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from imageref.manifest import parse_config, parse_manifest

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "registry"
# (document, reader, whether the target names it: a realistic index of a few images and
# their attestations, and a realistic config); the others are shown for comparison.
DOCUMENTS: list[tuple[str, Callable[[bytes], object], bool]] = [
    ("buildx_index.json", parse_manifest, True),
    ("dockerhub_manifest_list.json", parse_manifest, False),
    ("docker_image_manifest.json", parse_manifest, False),
    ("config_backendai.json", parse_config, True),
]
LIMIT = 3.0


def _best(function: Callable[[bytes], object], body: bytes, calls: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(calls):
            function(body)
        best = min(best, time.process_time() - start)
    return best / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(f"{'document':32} {'bytes':>6} {'json.loads':>11} {'imageref':>10} {'ratio':>6}")
    worst = 0.0
    for name, parse, target in DOCUMENTS:
        body = (DATA / name).read_bytes()
        parse(body)  # a valid document: this must not raise
        ratios, loads_times, parse_times = [], [], []
        for _ in range(args.rounds):
            loads_time = _best(json.loads, body, args.calls)
            parse_time = _best(parse, body, args.calls)
            loads_times.append(loads_time)
            parse_times.append(parse_time)
            ratios.append(parse_time / loads_time)
        ratio = statistics.median(ratios)
        if target:
            worst = max(worst, ratio)
        print(
            f"{name:32} {len(body):6} {statistics.median(loads_times) * 1e6:9.1f}us"
            f" {statistics.median(parse_times) * 1e6:8.1f}us {ratio:5.2f}x{' *' if target else ''}"
        )
    print(f"worst ratio of the target's documents (*) {worst:.2f}x (limit {LIMIT}x)")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
