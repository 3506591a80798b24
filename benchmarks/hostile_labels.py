"""Time imageref's label checks on hostile label sets, and the size of what they report.

    PYTHONPATH=src python benchmarks/hostile_labels.py [--ref]

Each shape is an image whose labels anyone could push: a service-ports label of one
bracketed list of 500,000 ports, 60,000 or 100,000 entries, 100,000 extra labels, 100,000
endpoint ports, megabyte values. For each: the best of 3 calls of ``validate_image_labels``,
the problems found, the problems listed and the length of the message (bounded: see
docs/labels.md, "Bounded reports"). ``--ref`` times backend.ai-common's too (in a Python
that has it), once, skipping the shapes it would take minutes on.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import imageref
from imageref import ImageLabelError, validate_image_labels

BASE = {
    "ai.backend.kernelspec": "1",
    "ai.backend.features": "batch query uid-match",
    "ai.backend.base-distro": "ubuntu22.04",
    "ai.backend.runtime-type": "python",
    "ai.backend.runtime-path": "/usr/bin/python3",
}
INFERENCE = {
    **BASE,
    "ai.backend.role": "INFERENCE",
    "ai.backend.model-path": "/models",
    "ai.backend.model-format": "onnx",
}
SPORTS = "ai.backend.service-ports"


def shapes() -> dict[str, tuple[dict[str, Any], bool]]:
    """name -> (labels, whether the reference finishes in seconds)."""
    huge = "x" * 1_000_000
    return {
        "500,000 copies of one port in a list": (
            {**BASE, SPORTS: "a:tcp:[" + ",".join(["5000"] * 500_000) + "]"},
            True,
        ),
        "ports 1 to 500,000 in a list": (
            {**BASE, SPORTS: "a:tcp:[" + ",".join(map(str, range(1, 500_001))) + "]"},
            True,
        ),
        "60,000 entries, one reserved port": (
            {**BASE, SPORTS: ",".join(f"p{i}:tcp:{3000 + i}" for i in range(60_000))},
            False,
        ),
        "100,000 entries of one port": (
            {**BASE, SPORTS: ",".join(f"p{i}:tcp:5000" for i in range(100_000))},
            True,
        ),
        "100,000 bad entries": ({**BASE, SPORTS: "x," * 100_000}, True),
        "100,000 extra labels": ({**BASE, **{f"x.{i}": "v" for i in range(100_000)}}, True),
        "100,000 extra labels, not str": ({**BASE, **{f"x.{i}": i for i in range(100_000)}}, True),
        "100,000 undefined endpoint ports": (
            {
                **INFERENCE,
                SPORTS: "api:preopen:8000",
                "ai.backend.endpoint-ports": ",".join(f"e{i}" for i in range(100_000)),
            },
            False,
        ),
        "megabyte values": (
            {
                **BASE,
                "ai.backend.role": huge,
                SPORTS: f"a:{huge}:5000,a:tcp:{'7' * 1_000_000}",
                "maintainer": huge,
            },
            True,
        ),
    }


def timed(check: Callable[[Any], object], labels: Any, repeat: int) -> tuple[float, object]:
    best, answer = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            answer = check(labels)
        except ValueError as exc:
            answer = exc
        best = min(best, time.perf_counter() - start)
    return best, answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--ref", action="store_true", help="time backend.ai-common's too")
    args = parser.parse_args()
    ref: Callable[[Any], object] | None = None
    if args.ref:
        from ai.backend.common.docker import validate_image_labels as ref

    print(f"Python {platform.python_version()}, imageref {imageref.__version__}")
    for name, (labels, ref_is_quick) in shapes().items():
        seconds, answer = timed(validate_image_labels, labels, 3)
        if isinstance(answer, ImageLabelError):
            report = (
                f"{answer.count:>7,} problems, {len(answer.problems):2} listed, "
                f"message {len(str(answer)):5,} chars"
            )
        else:
            report = "valid"
        line = f"{name:38} {seconds * 1e3:8.1f} ms  {report}"
        if ref is not None:
            if ref_is_quick:
                ref_seconds, ref_answer = timed(ref, labels, 1)
                size = len(str(ref_answer)) if isinstance(ref_answer, Exception) else 0
                line += f"   reference {ref_seconds * 1e3:8.1f} ms (message {size:,} chars)"
            else:
                line += "   reference: skipped (quadratic)"
        print(line)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
