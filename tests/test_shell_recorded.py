"""``imageref._shell`` against BuildKit's own lexer on thousands of recorded words.

``tests/data/buildkit_shell_recorded.json`` holds what BuildKit's ``ProcessWord`` and
``ProcessWords`` answered (recorded once from a BuildKit checkout by a throwaway driver; only
the inputs and answers are kept): the words of BuildKit's shell tests under several sets of
variables, and seeded words built from the characters that mean something (quotes, escapes,
``$``, ``${``, the modifiers, patterns, ``<<``, Unicode letters, digits and spaces), with
``\\`` and the backtick as escape character. Every record must be met exactly: the value or the
failure, the names not found (BuildKit keeps them unordered, so as a set), and the words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from imageref._shell import WordError, _join, _Lexer, process_word, process_words

_PATH = Path(__file__).parent / "data" / "buildkit_shell_recorded.json"
_RECORDS: list[dict[str, Any]] = json.loads(_PATH.read_text("utf-8"))["vectors"]
_CHUNK = 200


def test_the_corpus_reaches_every_kind_of_answer() -> None:
    assert len(_RECORDS) > 5000
    assert {record["escape"] for record in _RECORDS} == {"\\", "`"}
    failed = sum(record["value"] is None for record in _RECORDS)
    assert 0.15 * len(_RECORDS) < failed < 0.75 * len(_RECORDS)
    assert sum(bool(record["unset"]) for record in _RECORDS) > 500
    split = [r for r in _RECORDS if r["words"] is not None and r["value"] is not None]
    assert sum(len(record["words"]) > 1 for record in split) > 200
    assert sum(record["words"] != [record["value"]] for record in split) > 500


def _check(record: dict[str, Any]) -> None:
    word, env, escape = record["word"], record["env"], record["escape"]
    if record["value"] is None:
        with pytest.raises(WordError):
            process_word(word, env, escape=escape)
    else:
        value, unset = process_word(word, env, escape=escape)
        assert (value, sorted(unset)) == (record["value"], record["unset"]), record
        assert len(set(unset)) == len(unset)
        # process_word scans what it can before it starts the lexer; the lexer alone, from
        # the first character, gives the same answer.
        lexer = _Lexer(word, env, escape, split=False)
        lexer.run()
        assert (_join(lexer.value_of(lexer.top.parts)), tuple(lexer.unset)) == (value, unset)
    if record["words"] is None:
        with pytest.raises(WordError):
            process_words(word, env, escape=escape)
    else:
        assert process_words(word, env, escape=escape)[0] == record["words"], record


@pytest.mark.parametrize("start", range(0, len(_RECORDS), _CHUNK))
def test_recorded_answers(start: int) -> None:
    for record in _RECORDS[start : start + _CHUNK]:
        _check(record)
