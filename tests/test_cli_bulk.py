"""``imageref parse -`` in bulk equals a straightforward rendering, line by line.

The streaming path reads standard input in chunks (the line splitting, ``\\r\\n``
handling and over-long lines are decided per chunk), keeps per-line caches, and writes
JSON lines with f-strings instead of ``json.dumps``. These tests compare its output,
standard error and exit status, byte for byte, with what the rules say for each line
taken alone, computed here directly from the library and ``json.dumps``: over generated
corpora that mix valid references (with and without digests, names with ``"`` and
``\\``), invalid ones, non-UTF-8 and non-ASCII lines, blank and whitespace lines,
``\\r\\n`` and lone ``\\r``, over-long lines and repeats (cache hits of every kind), read
in chunks of several sizes, under every option set that changes the rules.
"""

from __future__ import annotations

import io
import json
import random
import sys
from collections.abc import Callable
from typing import Any

import pytest

from imageref import ImageRef
from imageref.cli import _io, main
from imageref.compat.v2609 import ImageRef as ImageRef2609
from imageref.oci import Reference

# Lines longer than this are over-long in these tests (the real limit is 64 KiB).
LIMIT = 80
DIGEST = "sha256:" + "0123456789abcdef" * 4

VALID = [
    "python",
    "python:3.6-ubuntu18.04",
    "lablup/python-tensorflow:1.15-py36-cuda10.0",
    "cr.backend.ai/stable/python:3.9-cuda11.3-ubuntu20.04",
    "cr.backend.ai/multiarch/python:3.9@" + DIGEST,
    "python:3.6-py36@" + DIGEST,
    "10.0.0.7:5000/team/app:1.0-cuda12.1",
    "[fd00::1]:5000/app:2.0",
    "localhost:5000/foo/bar:1.0",
    'a"b:1',
    "a\\b:1-py3",
    'reg.io/x"y\\z/c:1.2-py3@' + DIGEST,
    "it's:1",
    "Python:3",
    "alpine:3.8",
]
INVALID = [
    "bad:!",
    "python:",
    "python:3.6 ",
    " python:3.6",
    "python:3.6\t",
    "python@sha256:abc",
    "http://python:3",
    "a//b:1",
    "pyth\u00f6n:3",
    "\u2603",
    "python:3.6-py36-py37",
]
OTHER = [b"", b" ", b"\t", b"  \t ", b"\x0b", b"\xff\xfe", b"py\xc3thon", b"#comment"]


def corpus(seed: int, count: int = 400) -> bytes:
    """*count* lines drawn from every kind above, with random terminators."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        kind = rnd.randrange(10)
        if kind < 4:
            line = rnd.choice(VALID).encode()
        elif kind < 6:  # a reference seen nowhere else: no cache can answer it
            line = f"cr.backend.ai/team{i}/app{seed}-{i}:{i % 7}.{i}-py3{i}".encode()
        elif kind < 8:
            line = rnd.choice(INVALID).encode()
        elif kind == 8:
            line = rnd.choice(OTHER)
        else:  # around the over-long limit, counted with a "\r"
            line = b"a" * rnd.randrange(LIMIT - 3, LIMIT + 3)
        out.append(line + rnd.choice([b"\n", b"\n", b"\r\n", b"\r\r\n", b"\r", b"\n"]))
    if rnd.randrange(2):  # the last line without its terminator
        out[-1] = out[-1].rstrip(b"\n")
    return b"".join(out)


def reader_of(argv: list[str]) -> Callable[[str], Any]:
    """The library function that parses one reference under the options in *argv*."""
    if "--oci" in argv:
        return Reference.parse
    known = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-r"] or None
    arch = argv[argv.index("-a") + 1] if "-a" in argv else "x86_64"
    local = "--local" in argv
    if "--compat" in argv:
        project = argv[argv.index("--project") + 1] if "--project" in argv else None
        registry = known[0] if known else None

        def parse_2609(value: str) -> Any:
            return ImageRef2609.from_image_str(
                value, project, registry, architecture=arch, is_local=local
            )

        return parse_2609
    return lambda value: ImageRef(value, known, arch, local)


def each_line(data: bytes) -> list[tuple[int, str | None, str, str]]:
    """The non-blank lines of *data* read one by one, as the rules say:
    ``(number, text or None, shown input, error type or "")``, the error's message
    being in the shown place of an unparsed line. A line ends at ``\\n``; one ``\\r``
    before it goes if the line is then within the limit, counted with it."""
    limit = _io.MAX_LINE_BYTES
    out: list[tuple[int, str | None, str, str]] = []
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, 1):
        line = raw[:-1] if raw.endswith(b"\r") and len(raw) <= limit else raw
        if len(line) > limit:
            shown = line[:64].decode("utf-8", "backslashreplace") + "..."
            message = f"line {number}: line longer than {limit} bytes; not parsed"
            out.append((number, None, shown, "LineTooLong:" + message))
        elif line.strip():
            try:
                out.append((number, line.decode("utf-8"), "", ""))
            except UnicodeDecodeError as exc:
                shown = line.decode("utf-8", "backslashreplace")
                message = f"line {number}: " + _io.decode_error(line, exc)
                out.append((number, None, shown, "UnicodeDecodeError:" + message))
    return out


def expected(data: bytes, argv: list[str]) -> tuple[bytes, bytes, int]:
    """(stdout, stderr, status) of ``imageref parse --format json -`` on *data*, each
    line rendered alone with ``json.dumps``."""
    parse = reader_of(argv)
    out: list[dict[str, Any]] = []
    err: list[str] = []
    for number, text, shown, unread in each_line(data):
        if text is None:
            kind, _, message = unread.partition(":")
            out.append({"input": shown, "error": {"type": kind, "message": message}})
            err.append(message)
            continue
        try:
            ref = parse(text)
        except Exception as exc:  # any failure is reported as that line's
            error = {"type": type(exc).__name__, "message": str(exc)}
            out.append({"input": text, "error": error})
            err.append(f"line {number}: {_io.one_line(str(exc))}")
            continue
        out.append({"input": text, **ref.to_dict()})
    stdout = "".join(json.dumps(obj) + "\n" for obj in out).encode()
    stderr = "".join(f"imageref: {message}\n" for message in err).encode()
    return stdout, stderr, 1 if err else 0


def run_main(
    argv: list[str], data: bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[bytes, bytes, int]:
    """``imageref.cli.main(argv)`` in-process on *data*: (stdout, stderr, status)."""
    stdout, stderr = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stdout))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(stderr))
    status = main(argv)
    return stdout.getvalue(), stderr.getvalue(), status


def bulk_input(seed: int, chunk: int, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The corpus of *seed*, to be read in *chunk*-byte reads under the test's limit."""
    monkeypatch.setattr(_io, "MAX_LINE_BYTES", LIMIT)
    monkeypatch.setattr(_io, "_CHUNK_BYTES", chunk)
    return corpus(seed)


OPTIONS = [
    [],
    ["-r", "cr.backend.ai"],
    ["-r", "*", "-a", "aarch64", "--local"],
    ["-r", "reg.io", "-r", "localhost:5000"],
    ["--oci"],
    ["--compat", "26.09"],
    ["--compat", "26.09", "--project", "stable", "-r", "cr.backend.ai"],
]


@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
@pytest.mark.parametrize(("seed", "chunk"), [(1, 1 << 16), (2, 7), (3, 64), (4, 1000)])
def test_bulk_json_equals_line_by_line(
    options: list[str], seed: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bulk JSON output, stderr and status are those of each line rendered alone."""
    data = bulk_input(seed, chunk, monkeypatch)
    got = run_main(["parse", *options, "-"], data, monkeypatch)
    want = expected(data, options)
    assert got[0].splitlines() == want[0].splitlines()  # the first differing line, if any
    assert got == want


def test_bulk_json_valid_only_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    """A corpus of valid references (repeats, CRLF, blank lines) gives status 0."""
    rnd = random.Random(5)
    data = b"".join(
        rnd.choice([*VALID[:12], "", " "]).encode() + rnd.choice([b"\n", b"\r\n"])
        for _ in range(300)
    )
    got = run_main(["parse", "-"], data, monkeypatch)
    assert got == expected(data, [])
    assert got[1:] == (b"", 0)


@pytest.mark.parametrize("options", [[], ["--oci"], ["--compat", "26.09", "--project", "p"]])
def test_bulk_text_equals_one_table(options: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format text`` on one chunk is the table of each line's cells, aligned once."""
    monkeypatch.setattr(_io, "MAX_LINE_BYTES", LIMIT)
    data = corpus(6, 300)
    _, want_err, want_status = expected(data, options)
    parse = reader_of(options)
    if "--oci" in options:
        table = _io.Table(_io.OCI_HEADER, _io.oci_row)
    elif "--compat" in options:
        table = _io.Table(_io.PROJECT_HEADER, _io.project_row)
    else:
        table = _io.Table(_io.IMAGE_HEADER, _io.image_row)
    rows: list[tuple[str, ...]] = []
    for _number, text, shown, unread in each_line(data):
        if text is None:
            rows.append(_io.error_row(shown, unread.partition(":")[2]))
            continue
        try:
            rows.append(table.row(text, parse(text)))
        except Exception as exc:  # reported as that line's
            rows.append(_io.error_row(text, str(exc)))
    got = run_main(["parse", "--format", "text", *options, "-"], data, monkeypatch)
    assert got == (table.render(rows), want_err, want_status)


@pytest.mark.parametrize(
    "options",
    [[], ["-r", "cr.backend.ai"], ["--oci"], ["--compat", "26.09", "--project", "p", "-r", "r"]],
    ids=" ".join,
)
@pytest.mark.parametrize(("seed", "chunk"), [(7, 1 << 16), (8, 5)])
def test_bulk_validate_equals_line_by_line(
    options: list[str], seed: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate -`` reports each line as read alone (comment lines skipped)."""
    data = bulk_input(seed, chunk, monkeypatch)
    parse = reader_of(options)
    reports = []
    for number, text, _shown, unread in each_line(data):
        message = unread.partition(":")[2].removeprefix(f"line {number}: ")
        if text is not None:
            if text.lstrip().startswith("#"):
                continue
            try:
                parse(text)
            except Exception as exc:  # reported as that line's
                message = str(exc)
            else:
                continue
        reports.append(f"-:{number}: {_io.one_line(message)}\n")
    got = run_main(["validate", *options, "-"], data, monkeypatch)
    assert got == ("".join(reports).encode(), b"", 1 if reports else 0)
