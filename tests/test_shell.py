"""``imageref._shell``: the rules BuildKit's lexer follows that the vectors show least directly,
the interface (types, errors), and the cost on hostile input (counted in steps, never timed).

Where an expected answer below is not obvious from the shell's rules, it is BuildKit's: the
same input is in ``tests/data/buildkit_shell_recorded.json`` or was checked against
BuildKit's lexer when the test was written.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from imageref import ImageRefError, ImageRefTypeError
from imageref._shell import _SPACES, _WORK_LIMIT, WordError, _Lexer, process_word, process_words


def _steps(word: str, env: Mapping[str, str], split: bool = False) -> int:
    """The steps the lexer takes on *word* (loop turns plus pattern work)."""
    lexer = _Lexer(word, env, "\\", split)
    with contextlib.suppress(WordError):
        lexer.run()
    return lexer.steps


# ---------------------------------------------------------------------------
# The interface
# ---------------------------------------------------------------------------


def test_plain_words_are_themselves() -> None:
    assert process_word("python:3.11", {}) == ("python:3.11", ())
    assert process_word("", {}) == ("", ())
    assert process_words("  a b\tc  ", {}) == (["a", "b", "c"], ())
    assert process_words("", {}) == ([], ())


def test_unset_names_are_unique_in_order_of_first_lookup() -> None:
    assert process_word("$B-$A-${B}-$C", {"C": "c"}) == ("---c", ("B", "A"))
    # The word of ${X:-...} is read (and its variables looked up) before X itself.
    assert process_word("${X:-${Y}}", {}) == ("", ("Y", "X"))
    # Looked up even when the value does not use it, as BuildKit reports it.
    assert process_word("${X:-${Y}}", {"X": "x"}) == ("x", ("Y",))
    assert process_word("${X:+$Y}", {}) == ("", ("Y", "X"))
    # An empty value is set; special parameters and positions are names like any other.
    assert process_word("$E$1$@${#}", {"E": ""}) == ("", ("1", "@", "#"))
    assert process_word("$1", {"1": "one"}) == ("one", ())


def test_a_dollar_that_starts_no_name_is_itself() -> None:
    assert process_word("$", {}) == ("$", ())
    assert process_word("a$.b$", {}) == ("a$.b$", ())
    assert process_word("$²", {}) == ("$²", ())  # a superscript is not a digit (Nd)
    assert process_word("$é1_x", {"é1_x": "ok"}) == ("ok", ())  # Unicode letters are


def test_escape_character_backtick() -> None:
    assert process_word("a`$X`b\\c", {"X": "x"}, escape="`") == ("a$Xb\\c", ())
    assert process_word('"a`"b"', {}, escape="`") == ('a"b', ())
    assert process_word("C:\\path", {}, escape="`") == ("C:\\path", ())
    assert process_word("a`", {}, escape="`") == ("a", ())


def test_double_quotes_escape_only_quote_dollar_and_escape() -> None:
    assert process_word('"\\"\\$\\\\\\a"', {}) == ('"$\\\\a', ())
    assert process_word("'\\'", {}) == ("\\", ())


def test_byte_order_mark_opening_a_word_is_dropped() -> None:
    assert process_word("\ufeffa", {}) == ("a", ())
    assert process_word("a\ufeff", {}) == ("a\ufeff", ())


def test_pattern_forms() -> None:
    env = {"P": "linux/arm64/v8", "V": "v1.2.3", "F": "a.tar.gz"}
    assert process_word("${P%%/*} ${P#*/} ${P##*/} ${P%/*}", env)[0] == (
        "linux arm64/v8 v8 linux/arm64"
    )
    assert process_word("${V#v} ${F%.*} ${F%%.*}", env)[0] == "1.2.3 a.tar a"
    assert process_word("${F/./-} ${F//./-} ${F//?/x}", env)[0] == "a-tar.gz a-tar-gz xxxxxxxx"
    # "//" reads $0 (the match) and $$ in the replacement as Go's regexp does; "/" does not.
    assert process_word("${F//a/'<$0$$>'} ${F/a/'<$0>'}", env)[0] == "<a$>.t<a$>r.gz <$0>.tar.gz"
    # Backslash escapes in patterns whatever the escape character is.
    assert process_word("${X%%\\**}", {"X": "xx**"}) == ("xx", ())
    assert process_word("${X%%\\**}", {"X": "xx**"}, escape="`") == ("xx", ())


@pytest.mark.parametrize(
    ("word", "reason"),
    [
        ("'abc", "unterminated single-quoted string"),
        ('"abc', "unterminated double-quoted string"),
        ("${", "missing '}' to close '${'"),
        ("${}", "bad substitution: '${}'"),
        ("${X", "missing '}' to close ${X"),
        ("${X:-abc", "missing '}' to close ${X..."),
        ('${X:-"abc', "missing '}' to close ${X..."),
        ("${X/abc", "missing '/' after the pattern of ${X/...}"),
        ("${X:=a}", "unsupported modifier ':=' in ${X...}"),
        ("${X:#a}", "unsupported modifier ':#' in ${X:...}"),
        ("${X.}", "unsupported modifier '.' in ${X...}"),
        ("${X?}", "X: must be set"),
        ("${E:?}", "E: must not be empty"),
        ("${X?please set X}", "X: please set X"),
        ("${X#\\a}", "invalid pattern '\\\\a': a backslash before 'a' escapes nothing"),
        ("${X#$P}", "invalid pattern 'a\\\\': a backslash at its end escapes nothing"),
    ],
)
def test_errors_name_the_word_and_say_why(word: str, reason: str) -> None:
    with pytest.raises(WordError) as caught:
        process_word(word, {"E": "", "P": "a\\"})
    error = caught.value
    assert (error.word, error.reason) == (word, reason)
    assert str(error) == f"cannot process word {word!a}: {reason}"
    assert isinstance(error, ImageRefError)
    assert isinstance(error, ValueError)
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.word, again.reason, str(again)) == (
        WordError,
        word,
        reason,
        str(error),
    )
    with pytest.raises(WordError):
        process_words(word, {"E": "", "P": "a\\"})


def test_a_huge_word_is_shortened_in_the_message() -> None:
    word = "'" + "x" * 1_000_000
    with pytest.raises(WordError) as caught:
        process_word(word, {})
    assert caught.value.word == word
    assert len(str(caught.value)) < 200
    assert "(1000001 characters)" in str(caught.value)


@pytest.mark.parametrize("function", [process_word, process_words])
def test_wrong_types(function: Any) -> None:
    call = function
    with pytest.raises(ImageRefTypeError, match="word must be a str, not bytes"):
        call(b"x", {})
    with pytest.raises(ImageRefTypeError, match="env must be a mapping of str to str, not list"):
        call("x", [])
    with pytest.raises(ImageRefTypeError, match="escape must be a str, not int"):
        call("x", {}, escape=92)
    with pytest.raises(ImageRefTypeError, match=r"env\['X'\] must be a str, not int"):
        call("$X", {"X": 1})
    with pytest.raises(WordError, match="the escape character must be"):
        call("x", {}, escape="/")


def test_env_may_be_any_mapping() -> None:
    class Env(Mapping[str, str]):
        def __getitem__(self, key: str) -> str:
            if key == "X":
                return "x"
            raise KeyError(key)

        def __iter__(self) -> Iterator[str]:
            return iter(["X"])

        def __len__(self) -> int:
            return 1

    assert process_word("$X$Y", Env()) == ("x", ("Y",))


# ---------------------------------------------------------------------------
# ProcessWords
# ---------------------------------------------------------------------------


def test_process_words_splits_at_unquoted_whitespace() -> None:
    env = {"S": " a  b ", "T": "x"}
    words = ["1", "2 3", "4  a  b ", "5 6", "a", "b"]
    assert process_words("1 '2 3' \"4 $S\" 5\\ 6 $S", env)[0] == words
    assert process_words("$T$S$T", env)[0] == ["x", "a", "b", "x"]
    assert process_words("$T$U$T", {**env, "U": " a  b"})[0] == ["x", "a", "bx"]
    # Go's unicode.IsSpace: no-break space splits, the C0 separators \x1c-\x1f do not.
    assert process_words("a\xa0b\x1cc", {})[0] == ["a", "b\x1cc"]
    # Empty quotes make no word.
    assert process_words("'' a \"\"", {})[0] == ["a"]


def test_process_words_keeps_heredoc_markers_with_their_spaces() -> None:
    assert process_words("cat << EOF >x", {})[0] == ["cat", "<< EOF", ">x"]
    assert process_words("a <b", {})[0] == ["a", "<b"]


def test_process_words_drops_what_came_before_a_substitution_word() -> None:
    # BuildKit's ProcessWords clears its current word when it starts reading the word of a
    # ${X:-...}-like form; ProcessWord is not affected.
    assert process_words("a${X:-b} c", {}) == (["b", "c"], ("X",))
    assert process_word("a${X:-b} c", {}) == ("ab c", ("X",))
    assert process_words('a"b${X:-c}d"e f', {})[0] == ["bcde", "f"]
    assert process_words("a${X} b", {"X": "x"})[0] == ["ax", "b"]


# ---------------------------------------------------------------------------
# Hostile input: linear work, no recursion
# ---------------------------------------------------------------------------

_N = 200_000
_HOSTILE = {
    "plain": "a" * _N,
    "escapes": "\\a" * (_N // 2),
    "single quotes": "''" * (_N // 2),
    "double quotes": '""' * (_N // 2),
    "escapes in double quotes": '"' + "\\\\" * (_N // 2) + '"',
    "dollars": "$" * _N,
    "variables": "$A" * (_N // 2),
    "braces": "${A}" * (_N // 4),
    "nested defaults": "${A:-" * (_N // 10) + "x" + "}" * (_N // 10),
    "nested quotes": '${A:-"' * (_N // 10) + "x" + '"}' * (_N // 10),
    "unclosed nesting": "${A:-" * (_N // 5),
    "spaces": "a " * (_N // 2),
    "heredoc markers": "<< " * (_N // 3),
}


@pytest.mark.parametrize("name", list(_HOSTILE))
def test_hostile_words_take_linear_steps(name: str) -> None:
    word = _HOSTILE[name]
    for split in (False, True):
        # A step is a loop turn or a token read in one match: each reads a character or more.
        assert _steps(word, {"A": "v"}, split) <= 2 * len(word) + 2


def test_megabyte_words() -> None:
    plain = "a" * 1_000_000
    assert process_word(plain, {}) == (plain, ())
    assert process_word("\\a" * 500_000 + "$A", {"A": "b"}) == ("a" * 500_000 + "b", ())
    assert process_words("a " * 500_000, {})[0] == ["a"] * 500_000


def test_deep_nesting_needs_no_recursion() -> None:
    depth = 20_000
    word = "${A:-" * depth + "x" + "}" * depth
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        assert process_word(word, {}) == ("x", ("A",))
        assert process_words(word, {}) == (["x"], ("A",))
        assert process_word(word, {"A": "a"})[0] == "a"
    finally:
        sys.setrecursionlimit(limit)


def test_a_value_handed_up_many_levels_is_not_copied_at_each() -> None:
    # 20000 levels handing up a 100 kB value: ropes, not 2 GB of copies. Steps stay linear.
    word = "${A:-" * 20_000 + "${B}" + "}" * 20_000
    value, unset = process_word(word, {"B": "b" * 100_000})
    assert (len(value), unset) == (100_000, ("A",))


@pytest.mark.parametrize(
    ("word", "env"),
    [
        ("${X#*a*a*a*a*a*b}", {"X": "a" * 100_000}),
        ("${X/" + "?" * 1000 + "b/c}", {"X": "a" * 100_000}),
        ("${X//" + "?" * 50 + "/c}", {"X": "a" * 100_000}),
        ("${X#" + "${X#" * 300 + "a" + "}" * 300 + "}", {"X": "a" * 100_000}),
    ],
)
def test_costly_patterns_are_refused_within_the_limit(word: str, env: dict[str, str]) -> None:
    with pytest.raises(WordError, match="take more than"):
        process_word(word, env)
    limit = _WORK_LIMIT + 16 * len(word)
    assert _steps(word, env) <= limit + 100_000 + 300  # one check's overshoot at most


def test_patterns_on_long_values_that_cost_little_are_answered() -> None:
    path = "/x" * 50_000
    assert process_word("${P##*/}", {"P": path})[0] == "x"
    assert process_word("${P%/*}", {"P": path})[0] == path[:-2]
    assert process_word("${P//x/y}", {"P": path})[0] == "/y" * 50_000
    assert _steps("${P##*/}", {"P": path}) < 4 * len(path)


def test_whitespace_is_go_unicode_is_space() -> None:
    # Go's unicode.IsSpace: the Latin-1 spaces and the Unicode White_Space property.
    expected = {*"\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"}
    expected |= {chr(code) for code in range(0x2000, 0x200B)}
    found = _SPACES.findall("".join(map(chr, range(0x110000))))
    assert {char for run in found for char in run} == expected
    # Python's own idea differs: it also splits at the C0 separators \x1c-\x1f.
    assert {chr(code) for code in range(0x1C, 0x20)} <= {
        c for c in map(chr, range(128)) if c.isspace()
    }
