"""BuildKit's own word-processing vectors, every one held by ``imageref._shell``.

``tests/data/buildkit-shell-words.json`` is BuildKit's ``envVarTest`` table (its ``about``
names the source): words, the variables set, and the value BuildKit's lexer gives (or that
it rejects the word). As in BuildKit's test, leading and trailing spaces of a line are not
significant, so both sides are stripped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imageref._shell import WordError, process_word

_DATA = json.loads(
    (Path(__file__).parent / "data" / "buildkit-shell-words.json").read_text("utf-8")
)
_VECTORS = _DATA["vectors"]


def test_the_file_is_the_recorded_table() -> None:
    assert len(_VECTORS) == 228
    assert _DATA["escape"] == "\\"
    assert "buildkit" in _DATA["about"].lower()
    assert sum(1 for vector in _VECTORS if vector.get("error")) == 36


@pytest.mark.parametrize(
    "vector", _VECTORS, ids=[f"{i}:{v['input']!r}" for i, v in enumerate(_VECTORS)]
)
def test_vector(vector: dict[str, object]) -> None:
    word = str(vector["input"]).strip()
    if vector.get("error"):
        with pytest.raises(WordError) as caught:
            process_word(word, _DATA["env"], escape=_DATA["escape"])
        assert caught.value.word == word
        assert caught.value.reason
    else:
        value, _unset = process_word(word, _DATA["env"], escape=_DATA["escape"])
        assert value.strip() == str(vector["expected"]).strip()
