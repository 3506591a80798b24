#!/usr/bin/env python3
"""Fuzz ``ImageRef``: any input parses or raises a package error, and every parsed
ref keeps its invariants (round trip, pickle, tag split, aliases); the answer (or
the error) with the memo tables as earlier inputs left them equals the answer with
every table emptied first, and with tables bounded to two entries (so that they
evict all the time); the parser agrees with the constructor on every input.

    python fuzz/fuzz_imageref.py [libFuzzer flags] [CORPUS_DIR...]
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

atheris.enabled_hooks.add("RegEx")
atheris.enabled_hooks.add("str")

with atheris.instrument_imports():
    from _common import architecture, check_error, check_ref, config, outcome, split_input

    from imageref import (
        ImageRef,
        ImageRefError,
        ImageRefParser,
        _memo,
    )


def _with_tiny_tables(call: Any) -> Any:
    tables = list(_memo._tables)  # the parse path's tables (imageref._memo.Table)
    saved = [table.limit for table in tables]
    for table in tables:
        table.limit = 2
    try:
        return call()
    finally:
        for table, limit in zip(tables, saved, strict=True):
            table.limit = limit


def _with_resting_tables(call: Any) -> Any:
    for table in _memo._tables:
        table.rest = 10**9  # lookups only: nothing new is stored
    try:
        return call()
    finally:
        for table in _memo._tables:
            table.rest = 0


def test_one_input(data: bytes) -> None:
    selector, value = split_input(data)
    known = config(selector, value)
    arch = architecture(selector)
    try:
        ref = ImageRef(value, known, arch)
    except ImageRefError as exc:
        check_error(value, exc)
    else:
        check_ref(value, known, arch, ref)
    expected = outcome(lambda: ImageRef(value, known, arch))  # tables as left
    assert _with_tiny_tables(lambda: outcome(lambda: ImageRef(value, known, arch))) == expected
    assert _with_resting_tables(lambda: outcome(lambda: ImageRef(value, known, arch))) == expected
    _memo.clear_all()
    assert outcome(lambda: ImageRef(value, known, arch)) == expected
    parser = ImageRefParser(known, arch, cache_size=2)
    assert outcome(lambda: parser.parse(value)) == expected
    assert outcome(lambda: parser.parse(value)) == expected  # memoised


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
