"""pytest-benchmark: Dockerfiles: imageref's whole lint against BuildKit's parser alone.

python -m pytest benchmarks/bench_dockerfile.py --benchmark-only

benchmarks/compare_dockerfile.py gives the side-by-side ratio quoted in
docs/performance.md; these are the same two workloads (30 files here, so that the
smoke run stays short), the BuildKit one skipped when the ``dockerfile`` package is
not installed.
"""

from __future__ import annotations

from typing import Any

from compare_dockerfile import lint_all, parse_all
from dockerfile_cases import dockerfiles

from conftest import _import

FILES = dockerfiles(30)


def test_lint_dockerfiles(benchmark: Any) -> None:
    assert benchmark(lint_all, FILES) > 0  # the corpus has problems to find


def test_parse_dockerfiles_buildkit(benchmark: Any) -> None:
    parse = _import("dockerfile", "parse_string")
    error = _import("dockerfile", "GoParseError")
    assert benchmark(parse_all, FILES, parse, error) > 0
