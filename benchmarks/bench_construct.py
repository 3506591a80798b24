"""pytest-benchmark: ``ImageRef(...)`` construction, warm and cold, and the peers.

    python -m pytest benchmarks/bench_construct.py --benchmark-only
    python -m pytest benchmarks/bench_construct.py --benchmark-disable   # smoke run

*Warm* repeats one reference, as a service does: imageref's per-part caches hit.
*Cold* clears every imageref cache before each call and gives every call a tag never
seen before, so no cache can help. *New* gives every call a reference none of whose
parts (name, tag, platform tags, IP registry) was seen before, without clearing. Peer benchmarks are
skipped when the peer is not installed; ``compare.py`` times everything side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from cases import CONSTRUCT_CASES, CONSTRUCT_LABELS, distinct_variants, new_references

from conftest import peer
from imageref import ImageRef

CASES = pytest.mark.parametrize(("value", "known"), CONSTRUCT_CASES, ids=CONSTRUCT_LABELS)


@CASES
def test_imageref_warm(benchmark: Any, value: str, known: list[str] | None) -> None:
    ref = benchmark(ImageRef, value, known)
    assert ref.tag == value.rpartition(":")[2]


@CASES
def test_imageref_cold(
    benchmark: Any, cold: Callable[[], None], value: str, known: list[str] | None
) -> None:
    numbers = count()

    def setup() -> tuple[tuple[str, list[str] | None], dict[str, Any]]:
        cold()
        return (distinct_variants(value, 1, next(numbers))[0], known), {}

    benchmark.pedantic(ImageRef, setup=setup, rounds=2000, warmup_rounds=10)


@CASES
def test_imageref_new(benchmark: Any, value: str, known: list[str] | None) -> None:
    numbers = count()

    def setup() -> tuple[tuple[str, list[str] | None], dict[str, Any]]:
        return (new_references(value, 1, next(numbers))[0], known), {}

    benchmark.pedantic(ImageRef, setup=setup, rounds=2000, warmup_rounds=10)


@CASES
@pytest.mark.parametrize("name", ["docker", "oras", "docker-image-py"])
def test_peer_split(benchmark: Any, name: str, value: str, known: list[str] | None) -> None:
    benchmark(peer(name), value)


@CASES
def test_backend_ai(benchmark: Any, value: str, known: list[str] | None) -> None:
    benchmark(peer("backend.ai-common"), value, known)
