#!/usr/bin/env python3
"""Fuzz ``ImageRef``: any input parses or raises a package error, and every parsed
ref keeps its invariants (round trip, pickle, tag split, aliases); the constructor,
whose caches hold whatever earlier inputs left there, gives the answer (or the
error) of the step-by-step ``image._parse``; the parser agrees with the constructor
on every input.

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

    from imageref import ImageRef, ImageRefError, ImageRefParser, image


def _via_parse(value: str, known: Any, arch: str) -> ImageRef:
    registry, name, info, digest = image._parse(value, known)
    return ImageRef._from_fields(registry, name, info.tag, arch, False, digest)


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
    expected = outcome(lambda: ImageRef(value, known, arch))
    assert outcome(lambda: _via_parse(value, known, arch)) == expected
    parser = ImageRefParser(known, arch, cache_size=2)
    assert outcome(lambda: parser.parse(value)) == expected
    assert outcome(lambda: parser.parse(value)) == expected  # memoised


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
