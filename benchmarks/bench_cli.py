"""pytest-benchmark: the command line's bulk paths, run in-process on in-memory stdin.

    python -m pytest benchmarks/bench_cli.py                      # timed
    python -m pytest benchmarks/bench_cli.py --benchmark-disable  # smoke run (CI)

Each benchmark streams a corpus through ``imageref.cli.main`` with ``sys.stdin`` and
``sys.stdout`` replaced by in-memory byte streams, so it times the CLI's own work
(reading, parsing, formatting, caching) without process start-up or pipes. The corpora
are small so that the smoke run is quick; ``benchmarks/cli_rate.py`` measures the real
thing, a subprocess on a million lines.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

import pytest

from imageref._memo import clear_all
from imageref.cli import main

# Imported as sibling modules by pytest (rootdir-relative), or from the benchmarks dir.
try:
    import workloads
    from cli_rate import distinct_corpus, repeated_corpus
except ImportError:  # pragma: no cover - run from elsewhere
    from benchmarks import workloads
    from benchmarks.cli_rate import distinct_corpus, repeated_corpus

LINES = 20_000


def _encode(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


REPEATED = _encode(repeated_corpus(LINES, 500))
TABLE = _encode(repeated_corpus(2_000, 500))
DISTINCT = _encode(distinct_corpus(LINES))
FIRST = _encode(workloads.first_sightings(LINES))
RESCAN = _encode(workloads.rescan(LINES))
KNOWN = [arg for registry in workloads.KNOWN for arg in ("-r", registry)]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str], bytes], tuple[int, bytes]]:
    """Run ``main(argv)`` with *data* on stdin; returns (status, stdout bytes)."""

    def run(argv: list[str], data: bytes) -> tuple[int, bytes]:
        out = io.BytesIO()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out))
        status = main(argv)
        return status, out.getvalue()

    return run


def _bench(benchmark, cli, argv: list[str], data: bytes, *, cold: bool = False) -> bytes:
    """Time ``cli(argv, data)``; *cold*: the library's memo tables emptied before each
    round, so that a first-sighting corpus stays one (the CLI's own caches are per run)."""

    def setup() -> tuple[tuple[list[str], bytes], dict[str, object]]:
        if cold:
            clear_all()
        return (argv, data), {}

    status, out = benchmark.pedantic(cli, setup=setup, rounds=5, warmup_rounds=1)
    assert status == 0
    return out


def test_parse_stdin_repeated(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["parse", "-r", "cr.backend.ai", "-"], REPEATED)
    assert out.count(b"\n") == LINES


def test_parse_stdin_distinct(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["parse", "-r", "cr.backend.ai", "-"], DISTINCT)
    assert out.count(b"\n") == LINES


def test_parse_stdin_first_sightings(benchmark, cli) -> None:
    """No two lines share a registry/name, a tag or a platform suffix: no cache helps."""
    out = _bench(benchmark, cli, ["parse", *KNOWN, "-"], FIRST, cold=True)
    assert out.count(b"\n") == LINES


def test_parse_stdin_rescan(benchmark, cli) -> None:
    """Every line new, but tags recur across repositories (the JSON tail cache's case)."""
    out = _bench(benchmark, cli, ["parse", *KNOWN, "-"], RESCAN, cold=True)
    assert out.count(b"\n") == LINES


def test_parse_stdin_text_table(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["parse", "--format", "text", "-"], TABLE)
    assert out.startswith(b"INPUT")


def test_validate_stdin_repeated(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["validate", "-r", "cr.backend.ai", "-"], REPEATED)
    assert out == b""
