"""pytest-benchmark: BuildKit's word processing on the words of kernel Dockerfiles.

python -m pytest benchmarks/bench_shell.py --benchmark-only
(benchmarks/shell_words.py times each kind of word apart.)
"""

from __future__ import annotations

from typing import Any

from shell_words import ENV, WORDS

from imageref._shell import process_word, process_words

_WORDS = [word for _, word in WORDS]


def _all(function: Any) -> list[Any]:
    return [function(word, ENV) for word in _WORDS]


def test_process_word_mix(benchmark: Any) -> None:
    answers = benchmark(_all, process_word)
    assert answers[0] == ("ai.backend.kernelspec", ())
    assert all(unset == () for _, unset in answers)


def test_process_words_mix(benchmark: Any) -> None:
    answers = benchmark(_all, process_words)
    assert answers[5] == (["query batch uid-match user-input"], ())
