"""``imageref labels`` on Dockerfiles: detection by name, the options, the four output
formats and the exit statuses (docs/cli.md, "Dockerfiles")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageref.cli import main
from imageref.cli._dockerfile import json_line
from imageref.dockerfile import RULES, check_dockerfile
from test_cli import run

CORPUS = Path(__file__).parent / "data" / "dockerfiles"

GOOD = (
    "FROM scratch\n"
    "LABEL ai.backend.kernelspec=1 ai.backend.features=batch \\\n"
    "      ai.backend.base-distro=ubuntu22.04 ai.backend.runtime-type=python \\\n"
    "      ai.backend.runtime-path=/usr/bin/python3\n"
)
BAD = (
    "FROM python:3.11\nLABEL ai.backend.kernelspec=2 \\\n  ai.backend.service-ports=ssh:tcp:22 \\\n"
    "  ai.backend.features=batch ai.backend.base-distro=debian12 \\\n"
    "  ai.backend.runtime-type=python ai.backend.runtime-path=/usr/bin/python3\n"
)
WARN = "FROM python:3.11\nLABEL ai.backend.kernelspec=1\n"


def lint(
    capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None
) -> tuple[int, str, str]:
    status = main(["labels", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    found = {}
    for name, text in (("Dockerfile", GOOD), ("bad.Dockerfile", BAD), ("Containerfile", WARN)):
        path = tmp_path / name
        path.write_text(text)
        found[name] = path
    return found


@pytest.mark.parametrize(
    ("name", "is_dockerfile"),
    [
        ("Dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile.cuda", True),
        ("kernel.Dockerfile", True),
        ("kernel.containerfile", True),
        ("labels.env", False),
        ("Dockerfiles.txt", False),
    ],
)
def test_dockerfiles_are_told_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, is_dockerfile: bool
) -> None:
    path = tmp_path / name
    path.write_text(BAD)
    status, out, _ = lint(capsys, str(path))
    assert status == 1
    assert (f"{path}:2:7: ai.backend.kernelspec: " in out) is is_dockerfile


def test_text_lines(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, _ = lint(capsys, str(files["bad.Dockerfile"]))
    assert status == 1
    path = files["bad.Dockerfile"]
    # The messages are the label rules' own (imageref.labels): taken from the library.
    problems = check_dockerfile(BAD).problems
    assert [(p.line, p.column, p.label) for p in problems] == [
        (2, 7, "ai.backend.kernelspec"),
        (3, 3, "ai.backend.service-ports"),
    ]
    assert out.splitlines() == [
        f"{path}:{p.line}:{p.column}: {p.label}: {p.message}" for p in problems
    ]
    assert "'2'" in problems[0].message
    assert "'ssh:tcp:22'" in problems[1].message


def test_exit_statuses_and_strict(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    assert lint(capsys, str(files["Dockerfile"]))[:2] == (0, "")
    status, out, _ = lint(capsys, str(files["Containerfile"]))
    assert status == 0
    assert "(may come from python:3.11)" in out
    assert lint(capsys, "--strict", str(files["Containerfile"]))[0] == 1
    assert lint(capsys, "--quiet", str(files["bad.Dockerfile"]))[:2] == (1, "")


def test_json_fields(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, _ = lint(
        capsys, "--format", "json", str(files["bad.Dockerfile"]), str(files["Dockerfile"])
    )
    assert status == 1
    bad, good = (json.loads(line) for line in out.splitlines())
    expected = check_dockerfile(BAD).to_dict()
    assert bad == {"source": str(files["bad.Dockerfile"]), **expected}
    for field in ("source", "image", "valid", "base", "platform", "architecture"):
        assert field in bad
    assert bad["image"] == "-"
    assert bad["valid"] is False
    assert bad["base"] == "python:3.11"
    assert bad["labels"]["ai.backend.kernelspec"] == "2"
    assert {p["label"] for p in bad["problems"]} >= {"ai.backend.kernelspec"}
    assert all(
        set(p) >= {"label", "line", "severity", "message"} and p["severity"] in ("error", "warning")
        for p in bad["problems"]
    )
    assert good["valid"] is True
    assert good["problems"] == []


def _as_json_dumps_writes(source: str, text: str | bytes, **options: Any) -> None:
    report = check_dockerfile(text, **options)
    assert json_line(source, report) == json.dumps({"source": source, **report.to_dict()})


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*Dockerfile")), ids=lambda path: path.name)
def test_json_line_is_json_dumps_of_to_dict(path: Path) -> None:
    """The JSON line is written field by field: the same text as json.dumps of to_dict()
    (key order, separators, escapes), for every report of the corpus."""
    text = path.read_text()
    _as_json_dumps_writes(str(path), text)
    _as_json_dumps_writes('a "quoted" path\\ \u00e9', text, target="base")
    _as_json_dumps_writes("-", text, build_args={"TARGETARCH": "arm64"})


@pytest.mark.parametrize(
    "text",
    [
        b"FROM scratch\nLABEL a=\xff\n",  # not UTF-8: label None problems
        "FROM --platform=linux/arm64/v8 scratch AS \u00e9\n",  # a bad name, a platform
        'FROM scratch\nLABEL "\u00e9\u2028\\"=" \\\\ \\t \\" \x01 \ud83d\ude00" b=$NOPE\n',
        "# nothing\n",
        "",
    ],
)
def test_json_line_escapes_as_json_dumps(text: str | bytes) -> None:
    _as_json_dumps_writes("Dockerfile", text)


@given(st.text(alphabet=st.sampled_from(" =\\\"'$\n\tLABELFROMab\u00e9\x7f\ud800{}"), max_size=80))
def test_json_line_of_any_text_is_json_dumps(body: str) -> None:
    _as_json_dumps_writes("Dockerfile", "FROM scratch\nLABEL " + body)


def test_github_annotations(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, _ = lint(
        capsys, "--format", "github", str(files["bad.Dockerfile"]), str(files["Containerfile"])
    )
    assert status == 1
    lines = out.splitlines()
    path = str(files["bad.Dockerfile"]).replace(":", "%3A").replace(",", "%2C")
    assert lines[0] == (
        f"::error file={path},line=2,col=7,title=ai.backend.kernelspec::"
        + check_dockerfile(BAD).problems[0].message
    )
    assert any(line.startswith("::warning file=") and "may come from" in line for line in lines)


def test_sarif_has_the_required_fields(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    status, out, _ = lint(
        capsys, "--format", "sarif", str(files["bad.Dockerfile"]), str(files["Containerfile"])
    )
    assert status == 1
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = doc["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "imageref"
    assert {rule["id"] for rule in driver["rules"]} == set(RULES)
    results: list[dict[str, Any]] = sarif_run["results"]
    assert len(results) == len(check_dockerfile(BAD).problems) + len(
        check_dockerfile(WARN).problems
    )
    for result in results:
        assert result["ruleId"] in RULES
        assert result["level"] in ("error", "warning")
        assert result["message"]["text"]
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
        assert location["physicalLocation"]["artifactLocation"]["uri"]
    assert results[0]["level"] == "error"
    assert results[0]["message"]["text"].startswith("ai.backend.kernelspec: ")


def test_sarif_of_nothing_is_still_a_document(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    status, out, _ = lint(capsys, "--format", "sarif", str(files["Dockerfile"]))
    assert status == 0
    assert json.loads(out)["runs"][0]["results"] == []


def test_target_build_args_and_base_labels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(
        "ARG BASE=lablup/common-base:py311\nFROM ${BASE} AS Kernel\nARG K=2\n"
        "LABEL ai.backend.kernelspec=$K\nFROM kernel AS other\n"
    )
    status, out, _ = lint(capsys, "--format", "json", "--target", "KERNEL", str(path))
    assert status == 1
    assert json.loads(out)["image"] == "kernel"
    inspect = tmp_path / "inspect.json"
    labels = {
        "ai.backend.kernelspec": "1",
        "ai.backend.features": "batch",
        "ai.backend.base-distro": "ubuntu22.04",
        "ai.backend.runtime-type": "python",
        "ai.backend.runtime-path": "/usr/bin/python3",
    }
    inspect.write_text(
        json.dumps([{"RepoTags": ["lablup/common-base:py311"], "Config": {"Labels": labels}}])
    )
    args = ("--build-arg", "K=1", "--base-labels", str(inspect), str(path))
    assert lint(capsys, "--strict", *args)[:2] == (0, "")
    status, out, _ = lint(capsys, "--build-arg", "BASE=python:3", "--build-arg", "K=1", str(path))
    assert status == 0
    assert "may come from python:3" in out


def test_stdin_with_input_format(capsys: pytest.CaptureFixture[str]) -> None:
    proc = run("labels", "--input-format", "dockerfile", "-", stdin=BAD.encode())
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith("-:2:7: ai.backend.kernelspec: ")


@pytest.mark.parametrize(
    "args",
    [
        ["--build-arg", "NOEQUALS"],
        ["--build-arg", "=x"],
        ["--format", "yaml"],
        ["--base-labels", "/nonexistent/inspect.json"],
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], args: list[str]
) -> None:
    status, _, err = lint(capsys, *args, str(files["Dockerfile"]))
    assert status == 2
    assert err


def test_bad_base_labels_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "inspect.json").write_text('{"not": "a list"}')
    (tmp_path / "Dockerfile").write_text(GOOD)
    status, _, err = lint(
        capsys, "--base-labels", str(tmp_path / "inspect.json"), str(tmp_path / "Dockerfile")
    )
    assert status == 2
    assert "--base-labels" in err


def test_github_and_sarif_read_dockerfiles_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env = tmp_path / "image.env"
    env.write_text("ai.backend.kernelspec=1\n")
    status, _, err = lint(capsys, "--format", "github", str(env))
    assert status == 2
    assert "reads Dockerfiles only" in err


@pytest.mark.parametrize(
    "data",
    [
        b"FROM scratch\nLABEL a=\xff\n",
        b"FROM scratch\x00\n",
        b'FROM scratch\nLABEL a="x\n',
        b"FROM scratch\nRUN <<EOF\n",
        b"# nothing\n",
        b"FROM scratch\nLABEL a=" + b"${" * 20_000 + b"\n",
    ],
)
def test_bad_input_is_a_located_problem_not_a_traceback(data: bytes) -> None:
    proc = run("labels", "--input-format", "dockerfile", "-", stdin=data)
    assert proc.returncode == 1
    assert proc.stderr == b""
    first = proc.stdout.decode("ascii").splitlines()[0]
    source, line, column, _ = first.split(":", 3)
    assert (source, int(line) >= 1, int(column) >= 1) == ("-", True, True)


def test_corpus_lints(capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(str(path) for path in CORPUS.glob("*Dockerfile"))
    status, out, _ = lint(capsys, "--format", "json", *paths)
    reports = [json.loads(line) for line in out.splitlines()]
    assert [report["source"] for report in reports] == paths
    assert status == 1  # the corpus has images the manager would reject
    assert any(not report["valid"] for report in reports)
    assert any(report["valid"] for report in reports)
