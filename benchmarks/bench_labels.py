"""pytest-benchmark: image labels: validate_image_labels and parse_service_ports.

python -m pytest benchmarks/bench_labels.py --benchmark-only

Each imageref benchmark has a backend.ai-common twin (skipped when it is not installed).
benchmarks/compare_labels.py gives the side-by-side ratios quoted in docs/performance.md.
"""

from __future__ import annotations

import importlib
import itertools
from typing import Any

import pytest
from label_cases import REALISTIC_LABELS, SERVICE_PORTS, inference_labels, new_labels

from conftest import _import
from imageref import ImageLabels, parse_service_ports, validate_image_labels


def reference(module: str, name: str) -> Any:
    _import(module, name)
    return getattr(importlib.import_module(module), name)


def test_validate_image_labels(benchmark: Any) -> None:
    result = benchmark(validate_image_labels, REALISTIC_LABELS)
    assert result["ai.backend.kernelspec"] == 1


def test_validate_image_labels_new(benchmark: Any) -> None:
    """Label values the memos do not hold: 5000 distinct sets in turn, far past their size."""
    inputs = itertools.cycle(new_labels(5000))
    benchmark(lambda: validate_image_labels(next(inputs)))


def test_validate_image_labels_backend_ai(benchmark: Any) -> None:
    validate = reference("ai.backend.common.docker", "validate_image_labels")
    benchmark(validate, REALISTIC_LABELS)


def test_image_labels(benchmark: Any) -> None:
    value = benchmark(ImageLabels.from_labels, REALISTIC_LABELS)
    assert len(value.service_ports) == 6


def test_parse_service_ports(benchmark: Any) -> None:
    ports = benchmark(parse_service_ports, SERVICE_PORTS, "")
    assert len(ports) == 6


def test_parse_service_ports_backend_ai(benchmark: Any) -> None:
    parse = reference("ai.backend.common.service_ports", "parse_service_ports")
    benchmark(parse, SERVICE_PORTS, "")


@pytest.mark.parametrize("entries", [1000, 10000])
def test_long_inference_labels(benchmark: Any, entries: int) -> None:
    labels = inference_labels(entries)
    result = benchmark(validate_image_labels, labels)
    assert len(result["ai.backend.endpoint-ports"]) == entries
