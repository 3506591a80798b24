"""``imageref.dockerfile``: every statement of the contract (docs/dockerfile.md), tested.

The reading itself is compared with BuildKit's parser in test_dockerfile_oracle.py;
here each rule is held by a Dockerfile that shows it. Label messages come from the
release's label rules (imageref.labels), so the tests assert the label, severity,
line and a stable fragment of the message.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageref import ImageLabelError, ImageRefTypeError, _memo, validate_image_labels
from imageref._dockerfile_read import MAX_LINE_BYTES, read
from imageref.dockerfile import (
    DockerfileCheck,
    DockerfileProblem,
    base_labels_from_inspect,
    check_dockerfile,
)

REQUIRED = {
    "ai.backend.kernelspec": "1",
    "ai.backend.features": "batch query uid-match",
    "ai.backend.base-distro": "ubuntu22.04",
    "ai.backend.runtime-type": "python",
    "ai.backend.runtime-path": "/usr/bin/python3",
}


def label_block(labels: dict[str, str], indent: str = "      ") -> str:
    """A LABEL instruction setting *labels*, one pair per continued line."""
    pairs = [f'{key}="{value}"' for key, value in labels.items()]
    return "LABEL " + f" \\\n{indent}".join(pairs) + "\n"


VALID = "FROM scratch\n" + label_block(REQUIRED)


def problems(report: DockerfileCheck) -> list[tuple[Any, ...]]:
    return [(p.label, p.severity, p.line, p.rule) for p in report.problems]


def errors(report: DockerfileCheck) -> list[DockerfileProblem]:
    """The errors of *report*, but labels missing (from scratch: most tests here)."""
    return [p for p in report.problems if p.severity == "error" and p.rule != "label-missing"]


def test_valid_dockerfile() -> None:
    report = check_dockerfile(VALID)
    assert report.problems == ()
    assert report.valid
    assert dict(report.labels) == REQUIRED
    assert report.base == "scratch"
    assert report.image == "-"
    assert report.label_positions["ai.backend.kernelspec"] == (2, 7)
    assert report.label_positions["ai.backend.features"] == (3, 7)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def test_escape_directive_changes_continuation_and_escape() -> None:
    text = '# escape=`\nFROM scratch\nLABEL a="x`"y" `\n  b=c\\d\n'
    report = check_dockerfile(text)
    assert report.labels["a"] == 'x"y'
    assert report.labels["b"] == "c\\d"
    assert report.directives == {"escape": "`"}


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\n# escape=`\nLABEL a=b`\n",  # after an instruction: a comment
        "# a comment\n# escape=`\nFROM scratch\nLABEL a=b`\n",  # after a comment
        "\n# escape=`\nFROM scratch\nLABEL a=b`\n",  # after a blank line
    ],
)
def test_directives_only_at_the_top(text: str) -> None:
    report = check_dockerfile(text)
    assert report.directives == {}
    assert report.labels["a"] == "b`"  # ` is no escape: the default \ is


def test_directive_twice_is_an_error() -> None:
    report = check_dockerfile("# escape=`\n# Escape=\\\nFROM scratch\n")
    assert ("syntax", 2) in [(p.rule, p.line) for p in errors(report)]
    assert "only one escape parser directive" in errors(report)[0].message


def test_syntax_and_check_directives_are_read() -> None:
    report = check_dockerfile("# syntax=docker/dockerfile:1\n# check=skip=all\nFROM scratch\n")
    assert report.directives == {"syntax": "docker/dockerfile:1", "check": "skip=all"}


def test_comments_and_blank_lines_inside_a_continuation_are_dropped() -> None:
    text = "FROM scratch\nLABEL a=1 \\\n# x=2 \\\n\n   \n  # y=3\n  b=2\n"
    report = check_dockerfile(text)
    assert dict(report.labels) == {"a": "1", "b": "2"}
    assert report.label_positions["b"] == (7, 3)


def test_escaped_escape_does_not_continue() -> None:
    report = check_dockerfile("FROM scratch\nLABEL a=b\\\\\nLABEL c=d\n")
    assert dict(report.labels) == {"a": "b\\", "c": "d"}


def test_keywords_are_case_insensitive() -> None:
    report = check_dockerfile("from scratch As Base\nlabel a=1\nLaBeL b 2 3\n")
    assert dict(report.labels) == {"a": "1", "b": "2 3"}
    assert report.image == "base"


@pytest.mark.parametrize("opener", ["<<EOF", "<<-EOF", '<<"EOF"', "<<'EOF'", "0<<EOF"])
def test_heredoc_lines_are_never_instructions(opener: str) -> None:
    closer = "\tEOF" if opener == "<<-EOF" else "EOF"
    text = f"FROM scratch\nRUN {opener}\nLABEL a=1\nFROM busybox\n{closer}\nLABEL b=2\n"
    report = check_dockerfile(text)
    assert dict(report.labels) == {"b": "2"}
    assert len(report.stages) == 1
    assert report.label_positions["b"] == (6, 7)


def test_heredoc_of_a_json_form_is_not_read() -> None:
    report = check_dockerfile('FROM scratch\nRUN ["cat", "<<EOF"]\nLABEL a=1\nEOF\n')
    assert report.labels == {"a": "1"}
    assert [(p.line, p.message) for p in errors(report)] == [(4, "unknown instruction: EOF")]


def test_onbuild_triggers_are_not_this_images() -> None:
    report = check_dockerfile("FROM scratch\nONBUILD LABEL a=1\nONBUILD ONBUILD ENV b=2\n")
    assert report.labels == {}
    assert errors(report) == []


def test_label_forms_and_later_label_wins() -> None:
    text = (
        "FROM scratch\n"
        'LABEL "quoted key"="a b" plain=c empty= escaped=x\\ y\n'
        "LABEL legacy value with  spaces\n"
        "LABEL plain=again\n"
    )
    report = check_dockerfile(text)
    assert dict(report.labels) == {
        "quoted key": "a b",
        "plain": "again",
        "empty": "",
        "escaped": "x y",
        "legacy": "value with  spaces",
    }
    assert report.label_positions["plain"] == (4, 7)


def test_label_without_equals_is_an_error() -> None:
    report = check_dockerfile("FROM scratch\nLABEL a=b c\nLABEL lonely\n")
    assert [(p.rule, p.line) for p in errors(report)] == [("syntax", 2), ("syntax", 3)]
    assert "can't find = in" in errors(report)[0].message
    assert "must have two arguments" in errors(report)[1].message


def test_from_platform_and_stage_name() -> None:
    report = check_dockerfile("FROM --platform=linux/x86_64 ubuntu:22.04 AS Build\n")
    assert (report.image, report.base, report.platform) == ("build", "ubuntu:22.04", "linux/amd64")
    assert report.architecture == "x86_64"
    stage = report.stages[0]
    assert (stage.name, stage.line, stage.column, stage.written_base) == (
        "build",
        1,
        1,
        "ubuntu:22.04",
    )


@pytest.mark.parametrize(
    ("written", "platform", "architecture"),
    [
        ("linux/aarch64", "linux/arm64", "aarch64"),
        ("linux/arm64/v8", "linux/arm64", "aarch64"),
        ("linux/armhf", "linux/arm/v7", "arm"),
        ("linux/armel", "linux/arm/v6", "arm"),
        ("Linux/i386", "linux/386", "386"),
        ("linux/x86-64", "linux/amd64", "x86_64"),
    ],
)
def test_platform_is_normalised(written: str, platform: str, architecture: str) -> None:
    report = check_dockerfile(f"ARG P={written}\nFROM --platform=$P scratch\n")
    assert (report.platform, report.architecture) == (platform, architecture)


def test_bad_platform_is_an_error() -> None:
    report = check_dockerfile("FROM --platform=linux/arm/v7/x scratch\n")
    assert [(p.rule, p.line) for p in errors(report)] == [("platform", 1)]
    assert report.platform is None


def test_unknown_platform_arg_gives_no_platform() -> None:
    report = check_dockerfile("FROM --platform=$BUILDPLATFORM scratch\n")
    assert report.platform is None
    assert errors(report) == []
    given = check_dockerfile(
        "FROM --platform=$BUILDPLATFORM scratch\n", build_args={"BUILDPLATFORM": "linux/arm64"}
    )
    assert given.platform == "linux/arm64"


# ---------------------------------------------------------------------------
# Words and variables
# ---------------------------------------------------------------------------


def test_quotes_and_escapes() -> None:
    text = 'FROM scratch\nLABEL a="x \\"y\\" \\$z" b=\'$no \\ way\' c=\\"q\n'
    report = check_dockerfile(text)
    assert dict(report.labels) == {"a": 'x "y" $z', "b": "$no \\ way", "c": '"q'}


def test_global_args_are_for_from_lines_only() -> None:
    text = "ARG V=3.11\nFROM python:${V}\nLABEL v=$V\n"
    report = check_dockerfile(text)
    assert report.base == "python:3.11"
    assert report.unresolved == ("v",)  # not declared in the stage: no value there


def test_redeclared_global_arg_takes_the_global_value() -> None:
    text = "ARG V=3.11\nFROM python:${V}\nARG V\nLABEL v=$V\n"
    assert check_dockerfile(text).labels == {"v": "3.11"}


def test_stage_arg_default_and_env() -> None:
    text = (
        "FROM scratch\nARG A=one\nENV B=${A}-two\nENV C $A three\n"
        'LABEL a=$A b=$B c="$C" d=${MISSING:-x}\n'
    )
    report = check_dockerfile(text)
    assert dict(report.labels) == {"a": "one", "b": "one-two", "c": "one three"}
    assert report.unresolved == ("d",)


def test_env_pairs_see_the_variables_before_the_instruction() -> None:
    report = check_dockerfile("FROM scratch\nENV A=1\nENV A=2 B=$A\nLABEL b=$B\n")
    assert report.labels == {"b": "1"}


def test_build_args_set_declared_args() -> None:
    text = "ARG BASE=ubuntu\nFROM ${BASE}:22.04\nARG K=2\nLABEL k=$K u=$UNDECLARED\n"
    report = check_dockerfile(text, build_args={"BASE": "debian", "K": "1", "UNDECLARED": "x"})
    assert report.base == "debian:22.04"
    assert report.labels == {"k": "1"}
    assert report.unresolved == ("u",)


def test_automatic_platform_args_are_unknown_unless_given() -> None:
    text = "FROM scratch\nARG TARGETARCH\nLABEL ai.backend.accelerators=$TARGETARCH\n"
    report = check_dockerfile(text)
    assert report.unresolved == ("ai.backend.accelerators",)
    given = check_dockerfile(text, build_args={"TARGETARCH": "arm64"})
    assert given.labels == {"ai.backend.accelerators": "arm64"}


def test_unresolved_label_is_reported_and_not_checked() -> None:
    labels = {**REQUIRED, "ai.backend.kernelspec": "${KSPEC}"}
    text = "FROM scratch\nARG KSPEC\n" + label_block(labels)
    report = check_dockerfile(text)
    assert report.unresolved == ("ai.backend.kernelspec",)
    assert "ai.backend.kernelspec" not in report.labels
    assert problems(report) == [("ai.backend.kernelspec", "warning", 3, "label-unresolved")]
    assert "$KSPEC" in report.problems[0].message
    assert report.valid
    assert check_dockerfile(text, build_args={"KSPEC": "1"}).problems == ()
    bad = check_dockerfile(text, build_args={"KSPEC": "2"})
    assert problems(bad) == [("ai.backend.kernelspec", "error", 3, "label")]


def test_word_error_is_located() -> None:
    report = check_dockerfile('FROM scratch\nLABEL a="open b=c\n')
    assert [(p.rule, p.line, p.column) for p in errors(report)] == [("word", 2, 9)]


def test_variable_depending_on_a_missing_one_has_no_value() -> None:
    text = "FROM scratch\nARG A\nENV B=x${A}\nLABEL b=$B\n"
    assert check_dockerfile(text).unresolved == ("b",)


# ---------------------------------------------------------------------------
# Stages and the image built
# ---------------------------------------------------------------------------

STAGES = (
    "FROM ubuntu:22.04 AS Base\nENV DISTRO=ubuntu22.04\nLABEL stage=base\n"
    "FROM base AS kernel\nLABEL ai.backend.base-distro=$DISTRO\n"
    "FROM scratch AS other\nLABEL stage=other\n"
)


def test_last_stage_is_built() -> None:
    report = check_dockerfile(STAGES)
    assert report.image == "other"
    assert report.target == 2
    assert report.labels == {"stage": "other"}
    assert [stage.name for stage in report.stages] == ["base", "kernel", "other"]


def test_target_and_inheritance() -> None:
    report = check_dockerfile(STAGES, target="KERNEL")
    assert report.image == "kernel"
    assert report.base == "base"
    assert report.stages[1].parent == 0
    assert report.labels == {"stage": "base", "ai.backend.base-distro": "ubuntu22.04"}
    assert report.label_positions["stage"] == (3, 7)


def test_unknown_target_is_an_error() -> None:
    report = check_dockerfile(STAGES, target="nope")
    assert [(p.rule, p.line) for p in errors(report)] == [("stage", 1)]
    assert report.image == "-"


def test_from_stage_is_exact_after_lower_case_names() -> None:
    # BuildKit looks a FROM image up among the stage names as written (names are
    # stored in lower case): FROM Base is the image "Base", not the stage.
    report = check_dockerfile("FROM scratch AS base\nFROM Base\n")
    assert report.stages[1].parent is None
    assert [p.rule for p in errors(report)] == ["base"]


def test_missing_labels_from_an_external_base_are_warnings() -> None:
    report = check_dockerfile("FROM python:3.11-slim\nLABEL ai.backend.kernelspec=1\n")
    assert {(p.severity, p.line, p.rule) for p in report.problems} == {
        ("warning", 1, "label-missing")
    }
    assert {p.label for p in report.problems} == set(REQUIRED) - {"ai.backend.kernelspec"}
    assert all("may come from python:3.11-slim" in p.message for p in report.problems)
    assert report.valid
    assert report.failed(strict=True)


def test_missing_labels_from_scratch_are_errors() -> None:
    for text in (
        "FROM scratch\nLABEL ai.backend.kernelspec=1\n",
        "FROM scratch AS a\nFROM a AS b\nFROM b\nLABEL ai.backend.kernelspec=1\n",
    ):
        report = check_dockerfile(text)
        last = report.stages[-1].line
        assert {(p.severity, p.line, p.rule) for p in report.problems} == {
            ("error", last, "label-missing")
        }


def test_other_label_problems_are_errors_even_from_an_external_base() -> None:
    text = "FROM python\nLABEL ai.backend.kernelspec=2 ai.backend.service-ports=ssh:tcp:22\n"
    report = check_dockerfile(text)
    found = {(p.label, p.column) for p in errors(report)}
    assert found == {("ai.backend.kernelspec", 7), ("ai.backend.service-ports", 31)}


def test_problems_match_the_label_rules() -> None:
    labels = {**REQUIRED, "ai.backend.role": "inference", "ai.backend.features": "a  b"}
    report = check_dockerfile("FROM scratch\n" + label_block(labels))
    with pytest.raises(ImageLabelError) as caught:
        validate_image_labels(labels)
    expected = sorted(p.label for p in caught.value.problems)
    assert sorted(str(p.label) for p in report.problems) == expected


def test_compat_2609_defaults_the_labels() -> None:
    text = "FROM scratch\nLABEL ai.backend.service-ports=d:vnc:5900\n"
    report = check_dockerfile(text, compat="26.09")
    assert report.problems == ()
    with pytest.raises(ValueError, match="compat"):
        check_dockerfile(VALID, compat="25.01")


INSPECT = [
    {
        "Id": "sha256:" + "a" * 64,
        "RepoTags": ["lablup/common-base:py311"],
        "RepoDigests": ["lablup/common-base@sha256:" + "b" * 64],
        "Config": {"Labels": {**REQUIRED, "ai.backend.kernelspec": "7"}},
    }
]


def test_base_labels_are_inherited_exactly() -> None:
    known = base_labels_from_inspect(INSPECT)
    text = "FROM docker.io/lablup/common-base:py311\nLABEL ai.backend.kernelspec=1\n"
    report = check_dockerfile(text, base_labels=known)
    assert report.problems == ()
    assert dict(report.labels) == REQUIRED
    inherited = check_dockerfile("FROM lablup/common-base:py311\n", base_labels=known)
    assert problems(inherited) == [("ai.backend.kernelspec", "error", 1, "label")]
    pinned = "FROM lablup/common-base:py311@sha256:" + "b" * 64 + "\nLABEL a=b\n"
    assert check_dockerfile(pinned, base_labels=known).labels["ai.backend.kernelspec"] == "7"
    other = check_dockerfile("FROM lablup/common-base:py312\n", base_labels=known)
    assert {p.severity for p in other.problems} == {"warning"}


def test_base_reference_is_checked_by_dockers_rules() -> None:
    report = check_dockerfile("FROM Ubuntu:22.04\nFROM scratch AS s\nFROM s\nFROM python:3.11-rc\n")
    assert [(p.rule, p.line) for p in errors(report)] == [("base", 1)]
    assert "invalid reference format" in errors(report)[0].message


def test_blank_base_is_an_error() -> None:
    report = check_dockerfile('ARG B=""\nFROM ${B}\n')
    assert [(p.rule, p.line) for p in errors(report)] == [("stage", 2)]


def test_from_arguments_and_flags() -> None:
    for text in ("FROM a b\n", "FROM a AS b c\n", "FROM --pull=always a\n", "FROM a AS 1x\n"):
        assert [p.rule for p in errors(check_dockerfile(text))] == ["stage"], text


def test_instruction_before_from() -> None:
    report = check_dockerfile("LABEL a=b\nFROM scratch\n")
    assert [(p.rule, p.line) for p in errors(report)] == [("stage", 1)]


# ---------------------------------------------------------------------------
# Hostile input: a located problem, never an exception, in linear time
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'FROM scratch\nLABEL a="open\n', 2),
        (b"FROM scratch\nRUN <<EOF\nno end\n", 2),
        (b"FROM scratch\nLABEL a=\xff\xfe\n", 2),
        (b"FROM scratch\nLABEL a=b\x00\n", 2),
        (b"# only a comment\n", 1),
        (b"ARG A=1\n", 1),
        (b"", 1),
        (b"FROM scratch\nLABEL a=" + b"x" * 1_000_000 + b"\n", 2),
        (b"FROM scratch\nLABEL a=${" * 1 + b"${" * 50_000 + b"}" * 50_001 + b"\n", 2),
    ],
)
def test_hostile_input_gives_a_located_error(data: bytes, line: int) -> None:
    report = check_dockerfile(data)
    assert not report.valid
    assert line in [p.line for p in errors(report)]
    assert all(p.column >= 1 for p in report.problems)


_TOO_LONG = f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"


@pytest.mark.parametrize(
    ("text", "message", "line", "kept"),
    [
        # The reading stops at the line: what came before it stays read.
        ("FROM a\nLABEL a=b\n#" + "x" * 70_000 + "\nLABEL c=d\n", _TOO_LONG, 3, 2),
        # An instruction still continued there is dropped.
        ("FROM a\nRUN a \\\n" + "x" * 70_000 + "\nLABEL c=d\n", _TOO_LONG, 3, 1),
        ("FROM a\nRUN a \\\n#" + "x" * 70_000 + "\nLABEL c=d\n", _TOO_LONG, 3, 1),
        # Characters of several bytes count as bytes; the directives' lines too.
        ("FROM a\n#" + "\u00e9" * 40_000 + "\n", _TOO_LONG, 2, 1),
        ("# escape=" + "`" * 70_000 + "\nFROM a\n", _TOO_LONG, 1, 0),
        # Inside a heredoc, BuildKit names the heredoc: it ends unterminated there.
        ("FROM a\nRUN <<EOF\n" + "x" * 70_000 + "\nEOF\nLABEL a=b\n", "unterminated heredoc", 2, 2),
    ],
)
def test_a_line_too_long_ends_the_reading(text: str, message: str, line: int, kept: int) -> None:
    reading = read(text)
    assert [(p.line, p.message[: len(message)]) for p in reading.problems] == [(line, message)]
    assert len(reading.instructions) == kept


def test_a_long_line_under_the_byte_limit_is_read() -> None:
    report = check_dockerfile("FROM scratch\nLABEL a=" + "x" * 65_000 + "\n")
    assert errors(report) == []
    assert report.labels["a"] == "x" * 65_000


def test_many_continuation_lines() -> None:
    count = 300_000
    data = b"FROM scratch\nLABEL a=b \\\n" + b"  c=d \\\n" * count + b"  e=f\n"
    report = check_dockerfile(data)
    assert errors(report) == []
    assert report.labels == {"a": "b", "c": "d", "e": "f"}
    assert report.label_positions["e"] == (count + 3, 3)


def test_label_positions_are_a_read_only_mapping() -> None:
    text = "FROM scratch\nLABEL a=b \\\n  c=d\nLABEL e=$E a=x\n"
    report = check_dockerfile(text)
    positions = report.label_positions
    assert list(positions) == ["a", "c", "e"]  # the labels, then the unresolved ones
    assert len(positions) == 3
    assert dict(positions) == {"a": (4, 12), "c": (3, 3), "e": (4, 7)}
    assert positions["c"] == (3, 3)
    with pytest.raises(TypeError):
        positions["x"] = (1, 1)  # type: ignore[index]
    assert report == check_dockerfile(text)
    assert hash(report) == hash(check_dockerfile(text))


def test_invalid_utf8_is_located() -> None:
    report = check_dockerfile(b"FROM scratch\nLABEL ab=\xe2\x28\n")
    assert next((p.line, p.column) for p in errors(report)) == (2, 10)


def test_types_are_checked() -> None:
    with pytest.raises(ImageRefTypeError):
        check_dockerfile(3)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        check_dockerfile("FROM a", build_args={"A": 1})  # type: ignore[dict-item]


def test_values_are_read_only_and_pickle() -> None:
    report = check_dockerfile(STAGES)
    problem = DockerfileProblem(1, 2, "error", "label", "a", "m")
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert str(problem) == "1:2: error: a: m"
    with pytest.raises(AttributeError):
        report.image = "x"
    with pytest.raises(TypeError):
        report.labels["x"] = "y"  # type: ignore[index, unused-ignore]
    assert report == check_dockerfile(STAGES)
    assert report.to_dict()["image"] == "other"


def test_answers_do_not_depend_on_the_memo_tables() -> None:
    texts = [STAGES, VALID, "FROM Bad:Ref\nLABEL a='x' b=\"y\"\n", 'FROM scratch\nLABEL a="x\n']
    _memo.clear_all()
    cold = [check_dockerfile(text) for text in texts]
    warm = [check_dockerfile(text) for text in texts]
    assert cold == warm
    _memo.clear_all()
    assert [check_dockerfile(text) for text in reversed(texts)] == cold[::-1]


def test_a_remembered_word_with_variables_follows_their_values() -> None:
    # The same words, with other values (and none): each answer is the values' own.
    text = (
        "FROM scratch\nENV V=1\nLABEL a=$V b=${W:-w}\nENV V=2 W=x\nLABEL c=$V d=${W:-w}\n"
        "LABEL e=$U\nENV U=3\nLABEL f=$U\n"
    )
    for _ in range(2):  # cold, then with every word remembered
        report = check_dockerfile(text)
        assert dict(report.labels) == {"a": "1", "c": "2", "d": "x", "f": "3"}
        assert report.unresolved == ("b", "e")  # W and U have no value there
    for version in ("20.04", "22.04", "20.04"):  # from file to file: the build args differ
        report = check_dockerfile("ARG V\nFROM ubuntu:$V\n", build_args={"V": version})
        assert report.base == f"ubuntu:{version}"


_VARIABLE_LINES = st.sampled_from(
    [
        *("ARG A", "ARG A=1", "ARG B=$A", "ENV A=2", "ENV B=${A}x", "ENV A=", "ARG C"),
        *("LABEL x=$A", "LABEL y=${B:-d}", 'LABEL z="$A-$B"', "LABEL w=${C:+c}$A"),
        *("FROM scratch", "FROM ${A:-scratch}", "FROM scratch AS s", "FROM s"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_VARIABLE_LINES, max_size=10).map("\n".join), min_size=2, max_size=4))
def test_remembered_words_give_the_answers_of_a_cold_start(texts: list[str]) -> None:
    cold = []
    for text in texts:
        _memo.clear_all()
        cold.append(check_dockerfile(text, build_args={"A": "0"} if "ARG A\n" in text else {}))
    warm = [
        check_dockerfile(text, build_args={"A": "0"} if "ARG A\n" in text else {}) for text in texts
    ]
    assert warm == cold


def test_the_word_limit_holds_for_remembered_words() -> None:
    # "$A$A" is remembered from a check where the values are short; with a build
    # arg of 600,000 characters it could grow past this check's limit: still refused.
    text = "FROM scratch\nARG A=a\nLABEL x=$A$A\n"
    _memo.clear_all()
    assert check_dockerfile(text).labels["x"] == "aa"
    big = check_dockerfile(text, build_args={"L": "x" * 600_000})
    assert [p.rule for p in errors(big)] == ["word"]
    assert "expands to more than" in errors(big)[0].message


def test_doubling_variables_are_stopped() -> None:
    # Each ARG doubles the last: 60 lines would make a value of 2**60 characters.
    text = "FROM scratch\nARG A=xxxxxxxxxx\n" + "ARG A=$A$A\n" * 60 + "LABEL a=$A\n"
    report = check_dockerfile(text)
    words = [p for p in errors(report) if p.rule == "word"]
    assert words
    assert "expands to more than" in words[0].message
    assert report.unresolved == ("a",)
    assert all(len(value) <= 4 * len(text) + (1 << 20) for value in report.labels.values())


def test_onbuild_chains_are_read_in_linear_time() -> None:
    count = 200_000
    data = b"FROM scratch\nONBUILD " + b"ONBUILD \\\n" * count + b"LABEL a=b\n"
    report = check_dockerfile(data)
    assert report.labels == {}
    assert errors(report) == []


def test_long_chains_of_stages_copy_a_bounded_amount() -> None:
    # Each stage starts from the last and adds a label: following every one would copy
    # a quadratic amount. The copies are bounded; the stages past the bound are located.
    count = 3_000
    text = "FROM scratch AS s0\nLABEL l0=v\n" + "".join(
        f"FROM s{index - 1} AS s{index}\nLABEL l{index}=v\n" for index in range(1, count)
    )
    report = check_dockerfile(text)
    refused = [p for p in errors(report) if p.rule == "stage"]
    assert refused
    assert refused[0].line > 2 * 1000  # a thousand stages are followed in full
    assert "followed as if its base were an external image" in refused[0].message
    short = "FROM scratch AS a\nLABEL x=1\nFROM a AS b\nLABEL y=2\nFROM b\n"
    assert dict(check_dockerfile(short).labels) == {"x": "1", "y": "2"}


def test_directive_values_with_long_blanks() -> None:
    text = "# syntax=a" + " " * 60_000 + "b  \n# check = skip=all\t\nFROM scratch\n"
    report = check_dockerfile(text)
    assert report.directives == {"syntax": "a" + " " * 60_000 + "b", "check": "skip=all"}
