"""pytest-benchmark: the small operations: PlatformTagSet, tag_set, canonical, hash.

python -m pytest benchmarks/bench_small.py --benchmark-only
"""

from __future__ import annotations

import operator
from typing import Any

import pytest
from cases import CONSTRUCT_CASES, PLATFORM_TAGS

from conftest import backend_ai
from imageref import ImageRef, PlatformTagSet

VALUE = CONSTRUCT_CASES[1][0]


def test_platform_tag_set(benchmark: Any) -> None:
    tags = benchmark(PlatformTagSet, PLATFORM_TAGS)
    assert dict(tags) == {"py": "36", "ubuntu": "16.04", "cuda": "10.0"}


def test_platform_tag_set_backend_ai(benchmark: Any) -> None:
    benchmark(backend_ai().PlatformTagSet, PLATFORM_TAGS)


@pytest.mark.parametrize("attr", ["tag_set", "canonical", "short", "name"])
def test_attribute(benchmark: Any, attr: str) -> None:
    benchmark(operator.attrgetter(attr), ImageRef(VALUE))


@pytest.mark.parametrize("attr", ["tag_set", "canonical"])
def test_attribute_backend_ai(benchmark: Any, attr: str) -> None:
    benchmark(operator.attrgetter(attr), backend_ai().ImageRef(VALUE))


def test_hash(benchmark: Any) -> None:
    benchmark(hash, ImageRef(VALUE))


def test_hash_backend_ai(benchmark: Any) -> None:
    benchmark(hash, backend_ai().ImageRef(VALUE))


def test_eq(benchmark: Any) -> None:
    benchmark(operator.eq, ImageRef(VALUE), ImageRef(VALUE))
