"""pytest-benchmark: ``sorted()`` of 1,000 refs of one name.

    python -m pytest benchmarks/bench_sort.py --benchmark-only

*Warm* sorts the same refs again (each tag's version key already computed); *cold*
sorts refs built after clearing every imageref cache, so every key is computed
during the sort.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cases import sort_refs

from conftest import peer
from imageref import ImageRef

VALUES = sort_refs()


def test_sort_warm(benchmark: Any) -> None:
    refs = [ImageRef(v) for v in VALUES]
    ordered = benchmark(sorted, refs)
    assert ordered[0].tag_set[0] == "1.0"


def test_sort_cold(benchmark: Any, cold: Callable[[], None]) -> None:
    def setup() -> tuple[tuple[list[ImageRef]], dict[str, Any]]:
        cold()
        return ([ImageRef(v) for v in VALUES],), {}

    benchmark.pedantic(sorted, setup=setup, rounds=20)


def test_sort_backend_ai(benchmark: Any) -> None:
    image_ref = peer("backend.ai-common")
    refs = [image_ref(v) for v in VALUES]
    benchmark.pedantic(sorted, (refs,), rounds=5)
