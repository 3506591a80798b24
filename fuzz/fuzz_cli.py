#!/usr/bin/env python3
"""Fuzz the command line: ``imageref parse -`` and ``imageref labels -`` run in-process
on fuzzed standard input.

Input layout: the first byte picks the command and its options, the rest is standard
input as bytes. Below 0x80, ``parse`` with ``-r``, ``--arch``, ``--local`` and ``--format``
(see :func:`options`); from 0x80, ``labels`` with ``--input-format`` and ``--format``
(see :func:`check_labels`). Checked on every ``parse`` input:

* ``main`` returns 0 or 1 (or raises ``SystemExit`` with 0 or 1) and raises nothing
  else; it is 1 exactly when some line was invalid;
* everything written is ASCII;
* JSON: one output line per non-blank input line (a line is split on ``\\n``, one
  trailing ``\\r`` removed; blank means empty or whitespace only), each a JSON
  object whose ``input`` is that line and whose fields are exactly
  ``ImageRef(line, ...).to_dict()``, or whose ``error`` says why it failed;
* text: a header and one row per non-blank line.

And on every ``labels`` input: ``main`` returns 0 or 1, writes ASCII only and nothing to
stderr; it is 1 exactly when some image is invalid (text: when it prints anything); each
JSON line is an object with ``"source": "-"`` and ``valid``; and when standard input is a
JSON object of strings, the one line is what ``ImageLabels.from_labels`` says of it.

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

    from imageref import ImageLabelError, ImageLabels, ImageRef, ImageRefError

    # The command modules load on a command line's first parse: import them here
    # so that they are instrumented too.
    from imageref.cli import aliases, labels, manifest, parse, validate  # noqa: F401
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


def run_cli(argv: list[str], stdin_bytes: bytes) -> tuple[object, bytes, bytes]:
    """(exit status, stdout, stderr) of the command line *argv* run on *stdin_bytes*."""
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
    return status, out.getvalue(), err.getvalue()


def labels_expected(stdin_bytes: bytes) -> Any:
    """The JSON line of ``labels`` for a JSON object of strings, else None (no oracle)."""
    try:
        doc = json.loads(stdin_bytes.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
        return None
    line: dict[str, Any] = {"source": "-", "image": "-"}
    try:
        value = ImageLabels.from_labels(doc)
    except ImageLabelError as exc:
        problems = [{"label": p.label, "value": p.value, "reason": p.reason} for p in exc.problems]
        return {**line, "valid": False, "problems": problems}
    return {**line, "valid": True, **value.to_dict()}


def check_labels(selector: int, stdin_bytes: bytes) -> None:
    """``imageref labels -``: bits 0-1 pick --input-format, bit 2 --format json."""
    input_format = ("auto", "inspect", "json", "env")[selector & 3]
    as_json = bool(selector & 4)
    argv = ["labels", "--input-format", input_format, "--format", "json" if as_json else "text"]
    status, written, errors = run_cli([*argv, "-"], stdin_bytes)
    assert status in (0, 1), (argv, status, errors)
    assert written.isascii()
    assert errors == b"", errors
    output = written.decode("ascii").splitlines()
    if not as_json:
        assert status == (1 if output else 0), (status, output)
        assert all(line.startswith("-: ") for line in output), output
        return
    results = [json.loads(line) for line in output]
    assert all(result["source"] == "-" and result["valid"] in (True, False) for result in results)
    assert status == (0 if all(result["valid"] for result in results) else 1), results
    expected = labels_expected(stdin_bytes) if input_format in ("auto", "json") else None
    if expected is not None:
        assert results == [expected], (results, expected)


def test_one_input(data: bytes) -> None:
    selector, stdin_bytes = (data[0], data[1:]) if data else (0, b"")
    if selector & 0x80:
        check_labels(selector, stdin_bytes)
        return
    argv, known, arch, is_local, text = options(selector, stdin_bytes)
    lines = [raw[:-1] if raw.endswith(b"\r") else raw for raw in stdin_bytes.split(b"\n")]
    lines = [raw for raw in lines if raw and not raw.isspace()]
    status, written, errors = run_cli(argv, stdin_bytes)
    assert status in (0, 1), (argv, status, errors)
    assert written.isascii()
    assert errors.isascii()

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
