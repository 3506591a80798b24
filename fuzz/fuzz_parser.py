#!/usr/bin/env python3
"""Fuzz ``ImageRefParser``: a sequence of references (input lines) parsed through
one parser with a tiny memo, in both ``is_local`` states and twice over, always
answers exactly what the constructor answers.

    python fuzz/fuzz_parser.py [libFuzzer flags] [CORPUS_DIR...]
"""

from __future__ import annotations

import sys

import atheris

atheris.enabled_hooks.add("RegEx")
atheris.enabled_hooks.add("str")

with atheris.instrument_imports():
    from _common import architecture, config, outcome, split_input

    from imageref import ImageRef, ImageRefParser

CACHE_SIZES = (0, 1, 2, 3, 4096)


def test_one_input(data: bytes) -> None:
    selector, text = split_input(data)
    values = text.split("\n")[:16]
    known = config(selector, values[0])
    arch = architecture(selector)
    parser = ImageRefParser(known, arch, cache_size=CACHE_SIZES[(selector >> 5) % 5])
    for round_ in range(2):
        for index, value in enumerate(values):
            is_local = bool((index + round_) & 1)
            expected = outcome(lambda: ImageRef(value, known, arch, is_local))  # noqa: B023
            actual = outcome(lambda: parser.parse(value, is_local=is_local))  # noqa: B023
            assert actual == expected, (value, actual, expected)
        if selector & 0x80:
            parser.cache_clear()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
