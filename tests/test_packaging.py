"""The distribution's metadata: the licence text ships with the code.

``scripts/check`` builds the wheel and the sdist and checks that ``LICENSE`` is in both;
these tests hold the configuration that makes setuptools put it there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; 3.10 runs the rest of the suite

_ROOT = Path(__file__).resolve().parent.parent
_PROJECT = tomllib.loads((_ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def test_licence_file_is_listed_and_is_the_mit_text_of_the_authors() -> None:
    assert _PROJECT["license"] == "MIT"
    assert _PROJECT["license-files"] == ["LICENSE"]
    text = (_ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n")
    authors = ", ".join(author["name"] for author in _PROJECT["authors"])
    assert f"Copyright (c) 2026 {authors}\n" in text
    assert "WITHOUT WARRANTY OF ANY KIND" in text
