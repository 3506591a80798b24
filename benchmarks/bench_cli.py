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

from imageref.cli import main

# Imported as a sibling module by pytest (rootdir-relative), or from the benchmarks dir.
try:
    from cli_rate import distinct_corpus, repeated_corpus
except ImportError:  # pragma: no cover - run from elsewhere
    from benchmarks.cli_rate import distinct_corpus, repeated_corpus

LINES = 20_000


def _encode(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode()


REPEATED = _encode(repeated_corpus(LINES, 500))
TABLE = _encode(repeated_corpus(2_000, 500))
DISTINCT = _encode(distinct_corpus(LINES))


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


def _bench(benchmark, cli, argv: list[str], data: bytes) -> bytes:
    status, out = benchmark.pedantic(cli, args=(argv, data), rounds=5, warmup_rounds=1)
    assert status == 0
    return out


def test_parse_stdin_repeated(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["parse", "-r", "cr.backend.ai", "-"], REPEATED)
    assert out.count(b"\n") == LINES


def test_parse_stdin_distinct(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["parse", "-r", "cr.backend.ai", "-"], DISTINCT)
    assert out.count(b"\n") == LINES


def test_parse_stdin_text_table(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["parse", "--format", "text", "-"], TABLE)
    assert out.startswith(b"INPUT")


def test_validate_stdin_repeated(benchmark, cli) -> None:
    out = _bench(benchmark, cli, ["validate", "-r", "cr.backend.ai", "-"], REPEATED)
    assert out == b""
