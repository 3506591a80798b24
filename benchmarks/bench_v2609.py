"""pytest-benchmark: the Backend.AI 26.09 surface (``imageref.compat.v2609``), with the reference.

    python -m pytest benchmarks/bench_v2609.py --benchmark-only

Warm repeats one string (every part remembered); new parses a batch of references
none of whose parts were seen (``workloads.first_sightings``), per call; the
reference (backend.ai-common 26.9.6, Python 3.13 only) is skipped when not installed.
First sightings in fresh processes: ``v2609_first_sight.py``.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from v2609_workload import triples

from conftest import _import
from imageref.compat.v2609 import ImageRef

CASES = [
    ("cr.backend.ai/stable/python:3.9-ubuntu20.04", "stable", "cr.backend.ai"),
    ("lablup/python-tensorflow:1.10-py36-ubuntu", "lablup", None),
    ("127.0.0.1:5000/python:3.6-cuda9-ubuntu", None, "cr.backend.ai"),
]
_BATCH = triples("first", 2_000)


def _reference() -> Any:
    _import("ai.backend.common.docker", "ImageRef")
    return importlib.import_module("ai.backend.common.docker").ImageRef


@pytest.mark.parametrize(("value", "project", "registry"), CASES)
def test_from_image_str_warm(
    benchmark: Any, value: str, project: str | None, registry: str | None
) -> None:
    ref = benchmark(ImageRef.from_image_str, value, project, registry)
    assert ref.canonical.endswith(value.rpartition("/")[2])


@pytest.mark.parametrize(("value", "project", "registry"), CASES)
def test_from_image_str_backend_ai(
    benchmark: Any, value: str, project: str | None, registry: str | None
) -> None:
    benchmark(_reference().from_image_str, value, project, registry)


def _batch(from_image_str: Any) -> None:
    for value, project, registry in _BATCH:
        from_image_str(value, project, registry)


def test_from_image_str_new_batch(benchmark: Any, cold: Any) -> None:
    benchmark.pedantic(_batch, args=(ImageRef.from_image_str,), setup=cold, rounds=5)


def test_from_image_str_new_batch_backend_ai(benchmark: Any) -> None:
    benchmark.pedantic(_batch, args=(_reference().from_image_str,), rounds=5)


def test_parse_image_str_warm(benchmark: Any) -> None:
    parsed = benchmark(ImageRef.parse_image_str, CASES[0][0], CASES[0][2])
    assert parsed.registry == "cr.backend.ai"


def test_sort_and_aliases(benchmark: Any) -> None:
    refs = [ImageRef("python", "stable", f"3.{i % 13}-py3{i % 10}", "cr", "x86_64", False)
            for i in range(200)]  # fmt: skip

    def run() -> None:
        merged: dict[str, ImageRef] = {}
        for ref in sorted(refs):
            merged = ImageRef.merge_aliases(merged, ref.generate_aliases())

    benchmark(run)
