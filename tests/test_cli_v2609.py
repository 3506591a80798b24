"""``--compat 26.09`` and ``--project`` on parse, validate and aliases (through subprocesses)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from imageref.compat.v2609 import ImageRef
from test_cli import lines, run

V2609 = ("--compat", "26.09")


def expected(value: str, project: str | None, registry: str | None, **kw: Any) -> dict[str, Any]:
    """The JSON object ``parse --compat 26.09`` must print, computed with the library."""
    try:
        ref = ImageRef.from_image_str(value, project, registry, **kw)
    except ValueError as exc:
        return {"input": value, "error": {"type": type(exc).__name__, "message": str(exc)}}
    return {"input": value, **ref.to_dict()}


@pytest.mark.parametrize(
    ("options", "project", "registry", "kw"),
    [
        ([], None, None, {}),
        (["--project", "stable", "-r", "cr.backend.ai"], "stable", "cr.backend.ai", {}),
        (["--project", "stable", "-r", "*", "-a", "arm64", "--local"], "stable", "*",
         {"architecture": "arm64", "is_local": True}),
    ],
)  # fmt: skip
def test_parse_json_lines_gain_the_project(
    options: list[str], project: str | None, registry: str | None, kw: dict[str, Any]
) -> None:
    values = ["cr.backend.ai/stable/python:3.9-py3", "python:3.6", "stable/x:!"]
    result = run("parse", *V2609, *options, *values[:2], "-", stdin=values[2].encode())
    got = [json.loads(line) for line in lines(result.stdout)]
    assert got == [expected(value, project, registry, **kw) for value in values]
    assert all("project" in obj for obj in got if "error" not in obj)
    assert result.returncode == (1 if any("error" in obj for obj in got) else 0)


def test_parse_text_table_has_a_project_column() -> None:
    result = run(
        "parse", *V2609, "--format", "text", "--project", "stable", "-r", "cr", "cr/stable/x:1"
    )
    assert lines(result.stdout) == [
        "INPUT          REGISTRY  PROJECT  NAME  TAG  ARCH",
        "cr/stable/x:1  cr        stable   x     1    x86_64",
    ]
    assert result.returncode == 0


def test_the_default_is_24_03_without_project() -> None:
    (line,) = lines(run("parse", "python:3.6").stdout)
    assert "project" not in json.loads(line)
    assert (
        run("parse", "--compat", "24.03", "python:3.6").stdout == run("parse", "python:3.6").stdout
    )


def test_validate_under_26_09() -> None:
    stdin = b"cr/stable/x:1\ncr/other/y:2\n"
    result = run("validate", *V2609, "--project", "stable", "-r", "cr", "-", stdin=stdin)
    assert result.returncode == 1
    assert "cr/other/y:2" in result.stdout.decode() + result.stderr.decode()
    good = run("validate", *V2609, "--project", "stable", "-r", "cr", "-", stdin=stdin[:14])
    assert good.returncode == 0


def test_aliases_under_26_09() -> None:
    value = "cr/stable/python-tensorflow:1.5-py36"
    result = run("aliases", *V2609, "--project", "stable", "-r", "cr", value)
    ref = ImageRef.from_image_str(value, "stable", "cr")
    assert lines(result.stdout) == sorted(ref.generate_aliases())
    assert result.returncode == 0
    mismatch = run("aliases", *V2609, "--project", "other", "-r", "cr", value)
    assert mismatch.returncode == 1
    assert b"other" in mismatch.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "--project", "p", "x"], "--project needs --compat 26.09"),
        (["validate", "--compat", "24.03", "--project", "p", "-"], "--project needs"),
        (["aliases", *V2609, "-r", "a", "-r", "b", "x"], "takes one -r/--registry"),
        (["parse", *V2609, "--oci", "x"], "--oci cannot be combined with --compat 26.09"),
        (["parse", "--compat", "25.01", "x"], "invalid choice"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr.decode()
