#!/usr/bin/env python3
"""Fuzz ``ImageRefParser``: a sequence of references (input lines) parsed through
one parser with a tiny memo, in both ``is_local`` states and twice over, always
answers exactly what the constructor answers; so do the bulk readers, ``parse_many``
of the lines and ``parse_tags`` of the first line (a repository) and the others (its
tags), outcome by outcome.

    python fuzz/fuzz_parser.py [libFuzzer flags] [CORPUS_DIR...]
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

atheris.enabled_hooks.add("RegEx")
atheris.enabled_hooks.add("str")

with atheris.instrument_imports():
    from _common import architecture, config, outcome, split_input

    from imageref import ImageRef, ImageRefError, ImageRefParser

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
    bulk = outcome_of_each(parser.parse_many(values, architecture=arch))
    assert bulk == [outcome(lambda: ImageRef(value, known, arch)) for value in values]  # noqa: B023
    repository, tags = values[0], values[1:]
    bulk = outcome_of_each(parser.parse_tags(repository, tags, architecture=arch))
    assert bulk == [
        outcome(lambda: ImageRef(f"{repository}:{tag}", known, arch))  # noqa: B023
        for tag in tags
    ]


def outcome_of_each(made: list[ImageRef | ImageRefError]) -> list[tuple[str, Any]]:
    """The outcome (see _common.outcome) of each ref or error a bulk reader gave."""
    return [outcome(lambda m=m: _raise_or_return(m)) for m in made]


def _raise_or_return(made: ImageRef | ImageRefError) -> ImageRef:
    if isinstance(made, ImageRefError):
        raise made
    return made


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
