"""Side by side: imageref's label checks against backend.ai-common 24.3.0rc3's.

Run with a Python that has the reference installed (3.12) and imageref importable::

    PYTHONPATH=src .ref-venv/bin/python benchmarks/compare_labels.py

Each figure is the median over interleaved rounds (reference, then imageref, in the same
round), so machine noise hits both sides alike; the ratio is taken per round. Four cases:

- ``validate``: ``validate_image_labels`` on a realistic image's 14 labels, repeated (the
  same dict every call) and new (every call a label set with values not seen before, so no
  memo helps);
- ``typical``: the same on a typical kernel image's labels (the five required labels and four
  service ports, no role), repeated and new;
- ``parse``: ``parse_service_ports`` on that image's 7-entry service-ports label, repeated
  and new;
- ``long``: ``validate_image_labels`` on an INFERENCE image whose service-ports label has N
  preopen entries, all of them endpoint ports (one call per size; the reference is quadratic).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from label_cases import (
    REALISTIC_LABELS,
    SERVICE_PORTS,
    TYPICAL_LABELS,
    inference_labels,
    new_label_set,
    new_service_ports,
    new_typical_label_set,
)

import imageref
from imageref import parse_service_ports, validate_image_labels

#: The --only texts: when given, only the cases whose name has one of them run.
ONLY: list[str] = []


def per_call(function: Callable[[Any], object], inputs: list[Any]) -> float:
    """Seconds per call of *function* over *inputs* (one pass)."""
    start = time.perf_counter()
    for item in inputs:
        function(item)
    return (time.perf_counter() - start) / len(inputs)


def compare(
    name: str,
    ref: Callable[[Any], object],
    ours: Callable[[Any], object],
    make: Callable[[int], list[Any]],
    calls: int,
    rounds: int,
) -> dict[str, Any]:
    if ONLY and not any(text in name for text in ONLY):
        return {}
    ref_times, our_times, ratios = [], [], []
    for index in range(rounds):
        inputs = make(index)
        ref_time = per_call(ref, inputs)
        our_time = per_call(ours, make(index + rounds))  # new inputs for ours too
        ref_times.append(ref_time)
        our_times.append(our_time)
        ratios.append(ref_time / our_time)
    row = {
        "case": name,
        "reference_us": statistics.median(ref_times) * 1e6,
        "imageref_us": statistics.median(our_times) * 1e6,
        "speedup": statistics.median(ratios),
    }
    print(
        f"{name:34} reference {row['reference_us']:9.2f} us   imageref "
        f"{row['imageref_us']:7.2f} us   {row['speedup']:6.1f}x"
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--sizes", default="1000,4000,16000,32000", help="'' for none")
    parser.add_argument(
        "--only", action="append", default=[], help="run the cases whose name has this text"
    )
    args = parser.parse_args()

    ONLY[:] = args.only
    from ai.backend.common.docker import validate_image_labels as ref_validate
    from ai.backend.common.service_ports import parse_service_ports as ref_parse

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"imageref {imageref.__version__}; {args.rounds} interleaved rounds of "
        f"{args.calls} calls"
    )
    calls = args.calls
    counter = [0]

    def fresh(make_one: Callable[[int], Any]) -> Callable[[int], list[Any]]:
        def make(_: int) -> list[Any]:
            start = counter[0]
            counter[0] += calls
            return [make_one(i) for i in range(start, start + calls)]

        return make

    compare(
        "validate_image_labels repeated",
        ref_validate,
        validate_image_labels,
        lambda _: [REALISTIC_LABELS] * calls,
        calls,
        args.rounds,
    )
    compare(
        "validate_image_labels new",
        ref_validate,
        validate_image_labels,
        fresh(new_label_set),
        calls,
        args.rounds,
    )
    compare(
        "validate_image_labels typical rep.",
        ref_validate,
        validate_image_labels,
        lambda _: [TYPICAL_LABELS] * calls,
        calls,
        args.rounds,
    )
    compare(
        "validate_image_labels typical new",
        ref_validate,
        validate_image_labels,
        fresh(new_typical_label_set),
        calls,
        args.rounds,
    )
    compare(
        "parse_service_ports repeated",
        lambda t: ref_parse(t, ""),
        lambda t: parse_service_ports(t, ""),
        lambda _: [SERVICE_PORTS] * calls,
        calls,
        args.rounds,
    )
    compare(
        "parse_service_ports new",
        lambda t: ref_parse(t, ""),
        lambda t: parse_service_ports(t, ""),
        fresh(new_service_ports),
        calls,
        args.rounds,
    )
    print("long service-ports labels (INFERENCE image, every entry an endpoint port):")
    for size in (int(text) for text in args.sizes.split(",") if text):
        labels = inference_labels(size)
        ref_times, our_times = [], []
        for _ in range(3):
            start = time.perf_counter()
            ref_validate(labels)
            ref_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            validate_image_labels(labels)
            our_times.append(time.perf_counter() - start)
        ref_ms, our_ms = min(ref_times) * 1e3, min(our_times) * 1e3
        print(
            f"  {size:6} entries: reference {ref_ms:9.1f} ms   imageref {our_ms:7.2f} ms   "
            f"{ref_ms / our_ms:6.0f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
