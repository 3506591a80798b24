"""The Dockerfile reader's own invariants (imageref._dockerfile_read), on the corpus
and on generated Dockerfiles: where each character of an instruction's text was
written, and the usual LABEL/ENV split against the general one.

BuildKit's parser is the oracle for what is read (tests/test_dockerfile_oracle.py);
these hold the reader's shortcuts to its own full reading.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imageref._dockerfile_read import (
    GO_SPACES,
    _plain_pairs,
    read,
    split_words,
)

CORPUS = sorted((Path(__file__).parent / "data" / "dockerfiles").glob("*Dockerfile*"))

# Lines that make the reader's cases when joined in any order: continuations (with
# blanks and carriage returns after the escape), comments and blank lines inside
# them, heredocs, JSON forms, flags, "<" split over two lines, both escapes.
_LINES = [
    *("FROM a", "from b AS c", "ONBUILD FROM x", "ARG A=1", "ENV a=b \\", "LABEL a=b \\"),
    *("  c=d", "LABEL \\", " x=y", "RUN x \\", "Run y \\ \t", "RUN a <\\", "<EOF", "EOF"),
    *("RUN <<EOF", "RUN <<-E cat", "\tE", "COPY <<E x", "E", "E\r", "COPY --x=y a b"),
    *('CMD ["a", 1]', 'CMD ["a"]', "run [1]", "WORKDIR /w", "USER u\\\r", "EXPOSE 1 \\\\"),
    *("HEALTHCHECK CMD [1]", "RUN", "RUN\\", "\\", "`", "x `", "# escape=`", "# c \\"),
    *("", "  ", "\r", "\t# comment", "MAINTAINER m", "STOPSIGNAL 9", "LABEL a\\\\", "x\u00a0"),
    *("COPY <<'E' x", 'RUN <<"EOF" cat', "RUN cat <<E>x", "RUN a<<E", "COPY <<E <<F x", "F"),
    *("run 0<<-E", "\t\tE\r", "EOF\r", "RUN <<E\\", "CMD []", 'CMD [ "a" , "b" ]', 'CMD ["a\\"]'),
]
_TEXTS = st.lists(st.sampled_from(_LINES), max_size=16).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n"]).map(
        lambda newline: newline.join(lines) + ("\n" if len(lines) % 2 else "")
    )
)
_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in CORPUS]


def check_positions(text: str) -> None:
    """Every character of every instruction's text is where position() says."""
    lines = text.removeprefix("\ufeff").split("\n")
    for instruction in read(text).instructions:
        joined = instruction.text
        for offset, char in enumerate(joined):
            line, column = instruction.position(offset)
            assert instruction.line <= line <= instruction.end_line, (text, offset)
            assert lines[line - 1][column - 1] == char, (text, offset)


def test_corpus_positions() -> None:
    for text in _texts():
        check_positions(text)


@_SETTINGS
@given(_TEXTS)
def test_positions(text: str) -> None:
    check_positions(text)


_PAIR_CHARS = st.sampled_from([*"ab=.-$'\"\\` \t{}", "\u00a0", "=="])


@_SETTINGS
@given(st.lists(_PAIR_CHARS, max_size=24).map("".join), st.sampled_from(["\\", "`"]))
def test_plain_pairs_split_as_the_general_way(rest: str, escape: str) -> None:
    """The usual LABEL/ENV split (one match per key=value word) gives the general
    split's words, or nothing (then the general way is taken)."""
    rest = rest.strip(GO_SPACES)
    found = _plain_pairs(rest, escape, 6)
    if not found:
        return
    general = []
    for word, at in split_words(rest, escape, 6):
        key, equals, value = word.partition("=")
        assert equals, rest
        general += [(key, at), (value, at + len(key) + 1)]
    assert list(found) == general, rest


def test_plain_pairs_leave_other_forms_to_the_general_way() -> None:
    for rest in ('"a"=b', "a b", "a=b c", "=b", 'a="b', "a=b\\", "a" * 100_000):
        assert _plain_pairs(rest, "\\", 0) == (), rest
    assert _plain_pairs('a="b c" d=e\\ f', "\\", 6) == (
        ("a", 6),
        ('"b c"', 8),
        ("d", 14),
        ("e\\ f", 16),
    )
