#!/usr/bin/env python3
"""Fuzz the command line's line handling: ``imageref parse -`` run in-process on
fuzzed standard input.

Input layout: the first byte picks the options (``-r``, ``--arch``, ``--local``,
``--format``), the rest is standard input as bytes. Checked on every input:

* ``main`` returns 0 or 1 (or raises ``SystemExit`` with 0 or 1) and raises nothing
  else; it is 1 exactly when some line was invalid;
* everything written is ASCII;
* JSON: one output line per non-blank input line (a line is split on ``\\n``, one
  trailing ``\\r`` removed; blank means empty or whitespace only), each a JSON
  object whose ``input`` is that line and whose fields are exactly
  ``ImageRef(line, ...).to_dict()``, or whose ``error`` says why it failed;
* text: a header and one row per non-blank line.

    python fuzz/fuzz_cli.py [libFuzzer flags] [CORPUS_DIR...]
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import atheris

atheris.enabled_hooks.add("RegEx")
atheris.enabled_hooks.add("str")

with atheris.instrument_imports():
    from _common import ARCHITECTURES

    from imageref import ImageRef, ImageRefError

    # The command modules load on a command line's first parse: import them here
    # so that they are instrumented too.
    from imageref.cli import aliases, parse, validate  # noqa: F401
    from imageref.cli import main as cli_main


def options(selector: int, data: bytes) -> tuple[list[str], list[str] | None, str, bool, bool]:
    """(argv, known registries, architecture, is_local, text format) for *selector*."""
    argv = ["parse"]
    known: list[str] | None = None
    choice = selector & 3
    if choice == 1:
        known = ["cr.backend.ai", "localhost:5000"]
    elif choice == 2:
        known = ["*"]
    elif choice == 3:
        first = data.partition(b"\n")[0].partition(b"/")[0].decode("ascii", "replace")
        if first and first[0] != "-" and first.isprintable() and first != "*":
            known = [first]
    for name in known or []:
        argv += ["-r", name]
    arch = ARCHITECTURES[(selector >> 2) % len(ARCHITECTURES)]
    argv += ["--arch", arch]
    is_local = bool(selector & 0x20)
    if is_local:
        argv.append("--local")
    text = bool(selector & 0x40)
    if text:
        argv += ["--format", "text"]
    argv.append("-")
    return argv, known, arch, is_local, text


def expected_line(raw: bytes, known: list[str] | None, arch: str, is_local: bool) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "UnicodeDecodeError"
    try:
        ref = ImageRef(text, known, arch, is_local)
    except ImageRefError as exc:
        return type(exc).__name__
    return {"input": text, **ref.to_dict()}


def test_one_input(data: bytes) -> None:
    selector, stdin_bytes = (data[0], data[1:]) if data else (0, b"")
    argv, known, arch, is_local, text = options(selector, stdin_bytes)
    lines = [raw[:-1] if raw.endswith(b"\r") else raw for raw in stdin_bytes.split(b"\n")]
    lines = [raw for raw in lines if raw and not raw.isspace()]

    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="ascii", write_through=True),
        io.TextIOWrapper(err, encoding="ascii", write_through=True),
    )
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        status: object = cli_main(argv)
    except SystemExit as exc:
        status = exc.code
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in streams:
            stream.flush()
            stream.detach()  # keep the BytesIO open when the wrapper is collected
    written = out.getvalue()
    assert status in (0, 1), (argv, status, err.getvalue())
    assert written.isascii()
    assert err.getvalue().isascii()

    expected = [expected_line(raw, known, arch, is_local) for raw in lines]
    invalid = any(not isinstance(e, dict) for e in expected)
    assert status == (1 if invalid else 0), (status, expected)
    output = written.decode("ascii").splitlines()
    if text:
        assert len(output) == (len(lines) + 1 if lines else 0), (lines, output)
        return
    assert len(output) == len(lines), (lines, output)
    for line, want in zip(output, expected, strict=True):
        got = json.loads(line)
        if isinstance(want, dict):
            assert got == want, (got, want)
        else:
            assert got["error"]["type"] == want, (got, want)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
