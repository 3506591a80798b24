"""The Dockerfile reader against BuildKit's own parser (the ``dockerfile`` package).

The ``dockerfile`` package is BuildKit's Go parser (``frontend/dockerfile/parser``)
built into a Python extension: ``parse_string(text)`` gives each instruction's
keyword, flags, raw words and lines, or raises ``GoParseError``. It is a test-only
dependency, installed where PyPI has a wheel for it (x86-64 Linux and Windows); these
tests are skipped only where it is not installed.

For every Dockerfile of the corpus (``tests/data/dockerfiles/``, written for these
tests in the shape of Backend.AI's kernel images) and for generated ones
(continuations, comments and blank lines inside them, the escape directive,
heredocs, quoted keys and values, the legacy forms, many stages), the reader must
find the same instructions, on the same lines, with the same keyword, flags and raw
words of every LABEL, ENV, ARG and FROM, and fail exactly where BuildKit fails.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imageref._dockerfile_read import read
from imageref.cli._dockerfile import is_dockerfile_name

oracle = pytest.importorskip("dockerfile", reason="BuildKit's parser has no wheel here")

CORPUS = sorted((Path(__file__).parent / "data" / "dockerfiles").glob("*Dockerfile*"))
_WORDS = frozenset({"label", "env", "arg", "from"})


def ours(text: str) -> list[tuple[Any, ...]] | None:
    """The instructions as the reader reads them, or None when it reports a problem."""
    reading = read(text)
    if reading.problems:
        return None
    found = []
    for instruction in reading.instructions:
        words: tuple[str, ...] = ()
        if instruction.command in _WORDS and instruction.keyword.lower() != "onbuild":
            words = tuple(word for word, _ in instruction.words)
        flags = instruction.flags if instruction.keyword.lower() != "onbuild" else ()
        found.append((instruction.keyword, instruction.line, instruction.end_line, flags, words))
    return found


def theirs(text: str) -> list[tuple[Any, ...]] | None:
    """The instructions as BuildKit's parser reads them, or None when it fails."""
    try:
        commands = oracle.parse_string(text)
    except oracle.GoParseError:
        return None
    found = []
    for command in commands:
        keyword = command.cmd
        words: tuple[str, ...] = ()
        if keyword.lower() in _WORDS:
            words = tuple(command.value)
        flags = command.flags if keyword.lower() != "onbuild" else ()
        found.append((keyword, command.start_line, command.end_line, tuple(flags), words))
    return found


def agree(text: str) -> None:
    mine, buildkit = ours(text), theirs(text)
    if read(text).escape == "`" and re.search(r"(?m)(^|\s)--[^\s]*`", text):
        # BuildKit reads a flag's escapes with the escape directive's character since
        # v0.20 (2025, "wcow: add support for bind and cache mounts"); the wheel's
        # older parser always used a backslash there. imageref follows BuildKit now,
        # so a backtick in a --flag word under "# escape=`" is not compared.
        return
    assert mine == buildkit, text


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_corpus_agrees_with_buildkit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = ours(text)
    assert found, path  # every corpus file reads without a problem
    agree(text)


#: A directory of more Dockerfiles to hold the reader to BuildKit's parser on (every file
#: under it named as ``imageref labels`` tells a Dockerfile), such as a clone of Backend.AI's
#: kernel images (github.com/lablup/backend.ai-kernels, not copied here):
#: ``IMAGEREF_DOCKERFILES=../backend.ai-kernels pytest tests/test_dockerfile_oracle.py``.
MORE = os.environ.get("IMAGEREF_DOCKERFILES", "")


@pytest.mark.skipif(not MORE, reason="IMAGEREF_DOCKERFILES names no directory of Dockerfiles")
def test_more_dockerfiles_agree_with_buildkit() -> None:
    paths = sorted(
        path for path in Path(MORE).rglob("*") if is_dockerfile_name(str(path)) and path.is_file()
    )
    assert paths, f"no Dockerfile under {MORE}"
    disagree = []
    for path in paths:
        try:
            agree(path.read_bytes().decode("utf-8", "replace"))
        except AssertionError:
            disagree.append(str(path))
    assert not disagree, f"{len(disagree)} of {len(paths)} disagree: {disagree[:20]}"


def test_corpus_is_realistic() -> None:
    """The corpus has what the comparison must cover."""
    texts = [path.read_text(encoding="utf-8") for path in CORPUS]
    assert len(texts) >= 6
    joined = "\n".join(texts)
    for needle in ("# escape=`", "<<EOF", "<<-", "ARG ", "AS ", "ai.backend.service-ports"):
        assert needle in joined, needle


# ---------------------------------------------------------------------------
# Generated Dockerfiles
# ---------------------------------------------------------------------------

_PLAIN = st.text(alphabet="abcXYZ019._-/:", min_size=1, max_size=8)
_VALUE_CHARS = "ab c.=$-{}:\\`'\"#\t"


def _case(keyword: str) -> st.SearchStrategy[str]:
    return st.sampled_from([keyword, keyword.lower(), keyword.capitalize()])


@st.composite
def _word(draw: st.DrawFn, escape: str) -> str:
    """A key or value: plain, quoted, with escapes and variables."""
    kind = draw(st.integers(0, 4))
    text = draw(st.text(alphabet=_VALUE_CHARS.replace("\t", ""), max_size=10))
    if kind == 0:
        return draw(_PLAIN)
    if kind == 1:
        return '"' + text.replace('"', escape + '"') + '"'
    if kind == 2:
        return "'" + text.replace("'", "") + "'"
    if kind == 3:
        return draw(_PLAIN) + escape + " " + draw(_PLAIN)
    return draw(_PLAIN) + "${" + draw(st.sampled_from(["A", "B:-x y", "C+z"])) + "}"


@st.composite
def _continued(draw: st.DrawFn, parts: list[str], escape: str) -> list[str]:
    """*parts* on lines continued with *escape*, with comments and blank lines between."""
    lines: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        lines.append(part if last else f"{part} {escape}" + draw(st.sampled_from(["", " ", "\t"])))
        if not last:
            extra = draw(st.sampled_from(["", "", "  # a comment", "", "\t", "#"]))
            if extra or draw(st.booleans()):
                lines.append(extra)
    return lines


@st.composite
def _instruction(draw: st.DrawFn, escape: str) -> list[str]:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        pairs = draw(st.lists(st.tuples(_word(escape), _word(escape)), min_size=1, max_size=4))
        parts = [f"{k}={v}" for k, v in pairs]
        head = draw(_case("LABEL"))
        return draw(_continued([f"{head} {parts[0]}", *(f"  {p}" for p in parts[1:])], escape))
    if kind == 1:  # legacy LABEL / ENV
        head = draw(_case(draw(st.sampled_from(["LABEL", "ENV"]))))
        key = draw(_PLAIN)
        value = draw(st.text(alphabet="ab c'\"$", min_size=1, max_size=10)).strip() or "v"
        return [f"{head} {key} {value}"]
    if kind == 2:
        head = draw(_case("ENV"))
        key, value = draw(_PLAIN), draw(_word(escape))
        return [f"{head} {key.replace('=', '')}={value}"]
    if kind == 3:
        head = draw(_case("ARG"))
        key = draw(st.sampled_from(["A", "B", "VERSION"]))
        default = draw(st.one_of(st.just(""), _word(escape).map(lambda w: "=" + w)))
        return [f"{head} {key}{default}"]
    if kind == 4:
        head = draw(_case("FROM"))
        platform = draw(st.sampled_from(["", "--platform=linux/amd64 ", "--platform=$P "]))
        name = draw(st.sampled_from(["", " AS build", " as Build2", " AS"]))
        image = draw(st.sampled_from(["ubuntu:22.04", "${BASE}", "scratch", "build"]))
        return [f"{head} {platform}{image}{name}"]
    if kind == 5:  # a heredoc, whose lines look like instructions
        head = draw(_case(draw(st.sampled_from(["RUN", "COPY", "CMD"]))))
        name = draw(st.sampled_from(["EOF", "END"]))
        opener = draw(st.sampled_from([f"<<{name}", f"<<-{name}", f'<<"{name}"', f"<<'{name}'"]))
        body = draw(
            st.lists(
                st.sampled_from(["LABEL a=b", "FROM x", "\tEOF", "# c", "", "x \\"]), max_size=3
            )
        )
        closer = ("\t" if opener.startswith("<<-") and draw(st.booleans()) else "") + name
        tail = " /dst" if head.lower() == "copy" else ""
        return [f"{head} {opener}{tail}", *body, closer]
    if kind == 6:
        return [draw(st.sampled_from(["# a comment", "", "   ", "RUN echo hi", "WORKDIR /w"]))]
    head = draw(_case("RUN"))
    flags = draw(st.sampled_from(_FLAGS)).replace("\\", escape)
    parts = draw(st.lists(st.sampled_from(["apt-get update", "&& make", 'echo "a b"']), min_size=1))
    return draw(_continued([f"{head} {flags}{parts[0]}", *parts[1:]], escape))


# --flag words: plain ones (read by one match) and ones with quotes or escapes (the
# backslash stands for the file's escape character).
_FLAGS = [
    "",
    "--mount=type=cache,target=/root/.cache ",
    "--network=none --security=sandbox ",
    '--mount="type=bind,source=a b" ',
    "--x='a b'=c ",
    "--a=b\\ c ",
    "-- ",
    "--a -- ",
]


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    escape = draw(st.sampled_from(["\\", "`"]))
    lines: list[str] = []
    if escape == "`" or draw(st.booleans()):
        form = draw(st.sampled_from(["# escape={}", "#  Escape = {}  ", "#escape={}\t"]))
        lines.append(form.format(escape))
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["# syntax=docker/dockerfile:1", "# check = ", "# x=y"])))
    lines.append(draw(st.sampled_from(["FROM ubuntu:22.04", "ARG BASE=ubuntu", "# first"])))
    for block in draw(st.lists(_instruction(escape), max_size=12)):
        lines.extend(block)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_dockerfiles_agree_with_buildkit(text: str) -> None:
    agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nLABEL a=b \\\n\n# c\n  c=d\n",
        "FROM a\nLABEL x \\\\\nLABEL y z\n",
        "FROM a\nLABEL a \\\\\\\n b\n",
        "# escape=`\nFROM a\nLABEL a=b `\n c=d\n",
        "# escape=`\n# escape=\\\nFROM a\n",
        "# escape=x\nFROM a\n",
        "\n# escape=`\nFROM a\nLABEL a=b `\n",
        "# syntax=x\n# check=skip=all\n# escape=`\nFROM a\n",
        "#  Escape =  `  \nFROM a\nLABEL a=b `\n c=d\n",
        "# escape=\n# escape=`\nFROM a\n",
        "# escape= \t\nFROM a\n",
        "FROM a\nRUN <<EOF\nLABEL x=y\n",
        "FROM a\nRUN <<-EOF cat\n\t\tFROM b\n\t\tEOF\nLABEL a=b\n",
        'FROM a\nRUN ["a", 1]\n',
        "FROM a\nLABEL a\n",
        "FROM a\nLABEL a=b c\n",
        'FROM a\nLABEL "a b" c d\n',
        'FROM a\nLABEL a="b\\\n',
        "FROM a\nONBUILD RUN <<EOF\nFROM b\nEOF\n",
        "\ufeffFROM a\n",
        "",
        "# only a comment\n",
        "FROM a\r\nLABEL a=b \\\r\n c=d\r\n",
        'FROM --platform=linux/arm64 --x="a b" a AS b\n',
        "FROM a\nCOPY --chown=a:b --from=x src dst\nRUN --mount=type=cache,target=/c x\n",
        'FROM a\nRUN --mount=type="cache" x\nRUN -- x\nRUN --\nRUN --a --\n',
        "FROM a\nRUN --a=b\\\n c\nCOPY --x=\\ y z\n",
        "FROM a\n\\\nLABEL a=b\n",
        "FROM a\nLABEL a=b\\",
        "FROM a\nLABEL a=b \\\n# c \\",
        "FROM a\nRUN a \\\n" + "x" * 70_000 + "\nLABEL c=d\n",
        "FROM a\nRUN <<EOF\n" + "x" * 70_000 + "\nEOF\nLABEL a=b\n",
        "FROM a\n#" + "\u00e9" * 40_000 + "\n",
        "FROM a\nLABEL a=" + "\u00e9" * 30_000 + "\n",
    ],
)
def test_edge_cases_agree_with_buildkit(text: str) -> None:
    agree(text)
