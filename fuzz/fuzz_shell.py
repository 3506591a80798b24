"""Coverage-guided fuzzing of ``imageref._shell`` (BuildKit's word processing) with atheris.

Run it as::

    python fuzz/fuzz_shell.py -max_total_time=10 fuzz/corpus/shell

Input layout: the first byte picks the configuration, the rest is the word as UTF-8 (bytes
that are not UTF-8 become lone surrogates, so every byte string is some ``str``):

- bit 0: the escape character (``\\`` or the backtick);
- bits 1-2: the variables (none; BuildKit's test set; values with spaces, globs, quotes and
  ``$``; an empty value and a long one).

What must hold for every input:

- the only exception is :class:`imageref._shell.WordError`, naming the word and a reason,
  with an ASCII message; ``process_word`` and ``process_words`` fail on the same words;
- ``process_word`` gives a ``str`` and the names it did not find: unique, none in the
  variables; ``process_words`` gives the same names and non-empty words;
- a word with none of ``$``, quotes or the escape character is itself;
- a word whose every character is escaped is its own text, one word.

Without atheris the script replays the corpus files through the same checks once.
"""

from __future__ import annotations

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None

if atheris is not None:
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports():
        from imageref._shell import WordError, process_word, process_words
else:  # pragma: no cover
    from imageref._shell import WordError, process_word, process_words

ENVS = (
    {},
    {"PWD": "/home", "SHELL": "bash", "KOREAN": "\ud55c\uad6d\uc5b4", "NULL": ""},
    {"X": "a b", "Y": "*/?", "Z": "'\"$X\\`", "A": "x", "P": "linux/arm64/v8"},
    {"X": "", "Y": "y" * 300, "1": "one", "@": "at"},
)
ESCAPES = ("\\", "`")


def _check_failure(word: str, error: WordError) -> None:
    assert error.word == word, (error.word, word)
    assert error.reason, error
    assert str(error).isascii(), str(error)


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris looks for
    """Check every invariant on one input."""
    if not data:
        return
    selector = data[0]
    escape = ESCAPES[selector & 1]
    env = ENVS[(selector >> 1) & 3]
    word = data[1:].decode("utf-8", "surrogateescape")

    try:
        value, unset = process_word(word, env, escape=escape)
    except WordError as error:
        _check_failure(word, error)
        try:
            process_words(word, env, escape=escape)
        except WordError as again:
            _check_failure(word, again)
        else:
            raise AssertionError(f"process_words accepted {word!r}") from None
        return
    assert isinstance(value, str)
    assert len(set(unset)) == len(unset), unset
    assert not set(unset) & set(env), unset
    words, unset_again = process_words(word, env, escape=escape)
    assert unset_again == unset, (unset, unset_again)
    assert all(isinstance(item, str) and item for item in words), words

    if not any(char in word for char in ("$", "'", '"', escape)) and not word.startswith("\ufeff"):
        assert (value, unset) == (word, ()), (word, value)

    escaped = "".join(escape + char for char in word)
    assert process_word(escaped, env, escape=escape) == (word, ())
    assert process_words(escaped, env, escape=escape) == ([word] if word else [], ())


def main() -> None:
    from _runner import run

    run(atheris, TestOneInput)


if __name__ == "__main__":
    main()
