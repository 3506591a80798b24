"""Properties of ``imageref._shell`` over generated words (Hypothesis).

Each property states a law of BuildKit's word processing in terms that do not use the
lexer: plain text is itself, quoting and escaping give the literal, words joined by spaces
split back, the backtick escape mirrors the backslash, the default forms follow their table,
and the pattern forms trim or replace the shortest or longest glob match (an independent
model on ``fnmatch``). ``tests/test_shell_recorded.py`` holds the lexer to BuildKit's own
answers; these laws reach inputs the recording did not.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from imageref._shell import WordError, process_word, process_words

_SPACES = "\t\n\v\f\r \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
_GO_SPACE = re.compile(f"[{_SPACES}]+")
_SPECIAL = "$'\"\\`"

# Text with none of the characters that mean something to the lexer (and no "<<").
_plain_char = st.characters(blacklist_characters=_SPECIAL + "<\ufeff", codec="utf-8")
_plain = st.text(_plain_char, max_size=30)
_plain_word = st.text(
    st.characters(blacklist_characters=_SPECIAL + "<\ufeff" + _SPACES, codec="utf-8"),
    min_size=1,
    max_size=12,
)
_names = st.sampled_from(["X", "Y", "Z"])


def _outcome(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except WordError:
        return "error"


@given(_plain)
def test_text_without_special_characters_is_itself(text: str) -> None:
    assert process_word(text, {"X": "x"}) == (text, ())
    assert process_words(text, {}) == ([word for word in _GO_SPACE.split(text) if word], ())


@given(st.text(st.characters(blacklist_characters="'", codec="utf-8"), max_size=30))
def test_single_quotes_give_the_literal(text: str) -> None:
    assert process_word(f"'{text}'", {"X": "x"}) == (text, ())
    assert process_words(f"'{text}'", {}) == ([text] if text else [], ())


@given(st.text(st.characters(codec="utf-8"), max_size=30), st.sampled_from(["\\", "`"]))
def test_escaping_every_character_gives_the_literal(text: str, escape: str) -> None:
    word = "".join(escape + char for char in text)
    assert process_word(word, {}, escape=escape) == (text, ())
    assert process_words(word, {}, escape=escape) == ([text] if text else [], ())


@given(st.text(st.characters(blacklist_characters='"$\\', codec="utf-8"), max_size=30))
def test_double_quotes_keep_text_without_dollar_or_escape(text: str) -> None:
    assert process_word(f'"{text}"', {}) == (text, ())


@given(st.lists(_plain_word, max_size=6), st.lists(st.sampled_from(_SPACES), min_size=1))
def test_words_joined_by_whitespace_split_back(words: list[str], spaces: list[str]) -> None:
    separator = "".join(spaces)
    assert process_words(separator.join(words), {}) == (words, ())
    quoted = [f"'{word} {word}'" for word in words]
    assert process_words(separator.join(quoted), {})[0] == [f"{word} {word}" for word in words]


# Words over the characters that mean something, without the pattern forms (their patterns
# always escape with a backslash, so they do not mirror).
_word_pieces = st.sampled_from(
    ["a", "b", " ", "$", "${", "}", ":", "-", "+", "?", "\\", "`", "'", '"', "X", "Y", "{", "<<"]
)
_mirror_words = st.lists(_word_pieces, max_size=14).map("".join)
_values = st.text(st.sampled_from("ab $:-{}'\""), max_size=5)
_envs = st.dictionaries(_names, _values, max_size=3)
_SWAP = str.maketrans({"\\": "`", "`": "\\"})


@given(_mirror_words, _envs)
@example("a\\`b`\\c", {})
def test_backtick_escape_mirrors_the_backslash(word: str, env: dict[str, str]) -> None:
    def mirrored(answer: Any) -> Any:
        if answer == "error":
            return answer
        first, unset = answer
        if isinstance(first, list):
            return [item.translate(_SWAP) for item in first], unset
        return first.translate(_SWAP), unset

    for function in (process_word, process_words):
        backslash = _outcome(function, word, env, escape="\\")
        backtick = _outcome(function, word.translate(_SWAP), env, escape="`")
        assert mirrored(backslash) == backtick


@given(_mirror_words, _envs)
def test_total_and_both_functions_agree_on_failure(word: str, env: dict[str, str]) -> None:
    value = _outcome(process_word, word, env)
    words = _outcome(process_words, word, env)
    assert (value == "error") == (words == "error")
    if value != "error":
        assert isinstance(value[0], str)
        assert value[1] == words[1]
        assert len(set(value[1])) == len(value[1])
        assert not set(value[1]) & set(env)
        assert all(isinstance(item, str) and item for item in words[0])


@given(_names, st.sampled_from([None, "", "v"]), _plain.filter(lambda t: "}" not in t))
def test_default_and_alternative_forms(name: str, value: str | None, word: str) -> None:
    env = {} if value is None else {name: value}
    unset = () if value is None else None
    cases = {
        "-": word if value is None else value,
        ":-": value or word,
        "+": "" if value is None else word,
        ":+": "" if not value else word,
    }
    for op, expected in cases.items():
        result, names = process_word(f"${{{name}{op}{word}}}", env)
        assert result == expected
        assert names == ((name,) if unset is not None else ())
    for op, fails in (("?", value is None), (":?", not value)):
        answer = _outcome(process_word, f"${{{name}{op}{word}}}", env)
        assert answer == ("error" if fails else (value, ()))


# The pattern forms, against a model: fnmatch on every prefix, suffix or substring.
_glob_piece = st.sampled_from(["a", "b", "/", ".", "*", "?", "\\*", "\\?", "[", "]"])
_patterns = st.lists(_glob_piece, max_size=5).map("".join)
_subjects = st.text(st.sampled_from("ab/.*?[]"), max_size=10)


def _fnmatch_pattern(pattern: str) -> str:
    """The glob in fnmatch's syntax (no bracket classes: BuildKit has none)."""
    out, pos = [], 0
    while pos < len(pattern):
        char = pattern[pos]
        if char == "\\":
            char = pattern[pos + 1]
            pos += 1
            out.append(f"[{char}]")
        elif char == "[":
            out.append("[[]")
        else:
            out.append(char)
        pos += 1
    return "".join(out)


def _trim_model(value: str, pattern: str, op: str) -> str:
    glob = _fnmatch_pattern(pattern)
    cuts = range(len(value) + 1)
    if op in ("#", "##"):
        hits = [cut for cut in cuts if fnmatch.fnmatchcase(value[:cut], glob)]
        if not hits:
            return value
        return value[(min(hits) if op == "#" else max(hits)) :]
    hits = [cut for cut in cuts if fnmatch.fnmatchcase(value[cut:], glob)]
    if not hits:
        return value
    return value[: (max(hits) if op == "%" else min(hits))]


def _replace_model(value: str, pattern: str, replacement: str, every: bool) -> str:
    """Go's ReplaceAll loop (or one replacement) over a leftmost-longest glob search."""
    glob = _fnmatch_pattern(pattern)

    def find(start: int) -> tuple[int, int] | None:
        for begin in range(start, len(value) + 1):
            ends = [
                end
                for end in range(begin, len(value) + 1)
                if fnmatch.fnmatchcase(value[begin:end], glob)
            ]
            if ends:
                return begin, max(ends)
        return None

    out: list[str] = []
    last = search = 0
    while search <= len(value):
        found = find(search)
        if found is None:
            break
        begin, end = found
        out.append(value[last:begin])
        if end > last or begin == 0:  # no empty match right after a match
            out.append(replacement)
        last = end
        if not every:
            break
        search = max(search + 1, end)
    out.append(value[last:])
    return "".join(out)


@given(_subjects, _patterns, st.sampled_from(["#", "##", "%", "%%"]))
@example("a/b/c", "*/", "##")
@example("a/b/c", "/*", "%")
def test_trims_remove_the_shortest_or_longest_match(value: str, pattern: str, op: str) -> None:
    word = "${V" + op + pattern.replace("/", "\\/") + "}"
    assert process_word(word, {"V": value})[0] == _trim_model(value, pattern, op)


@given(_subjects, _patterns.filter(bool), st.text("xy", max_size=2), st.booleans())
@example("a.b.c", ".", "-", True)
def test_replacement_of_the_leftmost_longest_match(
    value: str, pattern: str, replacement: str, every: bool
) -> None:
    word = "${V" + ("//" if every else "/") + pattern.replace("/", "\\/") + "/" + replacement + "}"
    assert process_word(word, {"V": value})[0] == _replace_model(value, pattern, replacement, every)
