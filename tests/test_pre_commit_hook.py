"""The pre-commit hook of ``.pre-commit-hooks.yaml``, installed from this checkout and run.

``pre-commit try-repo CHECKOUT imageref-dockerfile`` clones the checkout (with its
uncommitted changes), builds the hook's environment (``language: python``: a
virtual environment into which pip installs the checkout, so it needs PyPI for
setuptools, as any install does) and runs the hook on the given files of a scratch
repository. The hook must pass a valid Dockerfile, fail on one with a bad label,
ignore files that are not Dockerfiles, and print the located problems.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOOK = "imageref-dockerfile"

GOOD = (
    "FROM scratch\n"
    "LABEL ai.backend.kernelspec=1 ai.backend.features=batch \\\n"
    "      ai.backend.base-distro=ubuntu22.04 ai.backend.runtime-type=python \\\n"
    "      ai.backend.runtime-path=/usr/bin/python3\n"
)


def _pre_commit() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit", reason="pre-commit (test extra) is not installed")
    return [sys.executable, "-m", "pre_commit"]


def test_hook_files_pattern_matches_dockerfile_names() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"- id: {HOOK}" in text
    pattern = re.search(r"^  files: (.+)$", text, re.M)
    assert pattern is not None
    files = re.compile(pattern.group(1))
    for name in (
        "Dockerfile",
        "a/Containerfile",
        "Dockerfile.cuda",
        "k/x.Dockerfile",
        "x.containerfile",
    ):
        assert files.search(name), name
    for name in ("README.md", "Dockerfiles/x.txt", "a/b.env", "NotDockerfile"):
        assert not files.search(name), name


def test_hook_installs_from_the_checkout_and_runs(tmp_path: Path) -> None:
    command = _pre_commit()
    repo = tmp_path / "project"
    repo.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / "Dockerfile").write_text(GOOD)
    (repo / "kernel.Dockerfile").write_text(GOOD.replace("kernelspec=1", "kernelspec=2"))
    (repo / "notes.txt").write_text("LABEL nothing here\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True, env=env)

    # One run (the hook's environment is built once per run): the good Dockerfile
    # passes, the bad one fails with its problem located, notes.txt is not given to it.
    proc = subprocess.run(
        [*command, "try-repo", str(ROOT), HOOK, "--verbose", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert "imageref labels (Dockerfiles)" in out
    assert "Failed" in out
    problem_lines = [
        line for line in out.splitlines() if ".Dockerfile:" in line or "Dockerfile:" in line
    ]
    assert len(problem_lines) == 1
    assert problem_lines[0].startswith("kernel.Dockerfile:2:7: ai.backend.kernelspec: '2'")
    assert "notes.txt" not in out
