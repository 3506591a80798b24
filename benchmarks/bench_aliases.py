"""pytest-benchmark: ``generate_aliases()`` and ``merge_aliases`` folded over 50 refs.

    python -m pytest benchmarks/bench_aliases.py --benchmark-only

*Warm* calls repeat on one ref (the tag's part of every alias is kept per tag after
the first call); *cold* clears imageref's caches and uses a ref with a new tag each
time.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from cases import ALIAS_REF, distinct_variants, fold, merge_refs

from conftest import peer
from imageref import ImageRef


def test_generate_aliases_warm(benchmark: Any) -> None:
    ref = ImageRef(ALIAS_REF)
    assert len(benchmark(ref.generate_aliases)) == 162


def test_generate_aliases_cold(benchmark: Any, cold: Callable[[], None]) -> None:
    numbers = count()

    def setup() -> tuple[tuple[ImageRef], dict[str, Any]]:
        cold()
        return (ImageRef(distinct_variants(ALIAS_REF, 1, next(numbers))[0]),), {}

    benchmark.pedantic(ImageRef.generate_aliases, setup=setup, rounds=300, warmup_rounds=5)


def test_generate_aliases_backend_ai(benchmark: Any) -> None:
    ref = peer("backend.ai-common")(ALIAS_REF)
    assert len(benchmark(ref.generate_aliases)) == 162


def test_merge_fold_warm(benchmark: Any) -> None:
    maps = [ImageRef(v).generate_aliases() for v in merge_refs()]
    merged = benchmark(fold, ImageRef.merge_aliases, maps)
    assert merged["python-tensorflow"].tag.startswith("2.11")


def test_merge_fold_cold(benchmark: Any, cold: Callable[[], None]) -> None:
    def setup() -> tuple[tuple[Any, list[dict[str, ImageRef]]], dict[str, Any]]:
        cold()
        return (ImageRef.merge_aliases, [ImageRef(v).generate_aliases() for v in merge_refs()]), {}

    benchmark.pedantic(fold, setup=setup, rounds=20)


def test_merge_fold_backend_ai(benchmark: Any) -> None:
    image_ref = peer("backend.ai-common")
    maps = [image_ref(v).generate_aliases() for v in merge_refs()]
    benchmark(fold, image_ref.merge_aliases, maps)
