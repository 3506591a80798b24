"""``imageref manifest``: documents of each kind, --platform/--strict, --media-type, --digest,
both formats, exit statuses and hostile input (the examples of docs/cli.md run in test_cli.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from imageref.cli import main
from imageref.manifest import ImageIndex, parse_manifest
from test_cli import imported_modules, run

REGISTRY = Path(__file__).parent / "data" / "registry"
INDEX = str(REGISTRY / "buildx_index.json")
HUB = str(REGISTRY / "dockerhub_manifest_list.json")
MANIFEST = str(REGISTRY / "docker_image_manifest.json")
CONFIG = str(REGISTRY / "config_backendai.json")


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    status = main(["manifest", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def test_index_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, err = _json(capsys, "--platform", "linux/arm64", INDEX)
    assert (status, err) == (0, "")
    assert report["valid"] is True
    assert report["kind"] == "index"
    assert [e["kind"] for e in report["entries"]] == [
        "image",
        "image",
        "attestation",
        "attestation",
    ]
    index = parse_manifest((REGISTRY / "buildx_index.json").read_bytes())
    assert isinstance(index, ImageIndex)
    assert [e["digest"] for e in report["entries"]] == [d.digest for d in index.manifests]
    assert report["selected"]["digest"] == index.manifests[1].digest
    assert report["selected"]["architecture"] == "aarch64"
    assert report["wanted"] == "linux/arm64"


def test_platform_selection_and_strict(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = _json(capsys, "--platform", "linux/arm/v6", HUB)
    assert status == 0
    assert report["selected"]["platform"] == "linux/arm/v5"
    status, report, _ = _json(capsys, "--platform", "linux/arm/v6", "--strict", HUB)
    assert status == 1
    assert report["selected"] is None
    status, report, _ = _json(capsys, "--platform", "windows/amd64", HUB)
    assert report["selected"]["os_version"] == "10.0.20348.2527"


def test_manifest_and_config(capsys: pytest.CaptureFixture[str]) -> None:
    status, report, _ = _json(capsys, MANIFEST)
    assert status == 0
    raw = json.loads(Path(MANIFEST).read_text())
    assert report["total_size"] == raw["config"]["size"] + sum(x["size"] for x in raw["layers"])
    assert len(report["entries"]) == len(raw["layers"])
    status, report, _ = _json(capsys, "--platform", "linux/amd64", CONFIG)
    assert (status, report["kind"], report["matches"]) == (0, "config", True)
    assert report["labels"]["ai.backend.kernelspec"] == "1"
    status, report, _ = _json(capsys, "--platform", "linux/arm64", CONFIG)
    assert (status, report["matches"]) == (1, False)


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", "--platform", "linux/amd64", HUB]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].endswith("index application/vnd.docker.distribution.manifest.list.v2+json")
    assert lines[1].split() == ["PLATFORM", "BACKEND.AI", "KIND", "DIGEST", "SIZE"]
    assert lines[2].split()[:3] == ["linux/amd64", "x86_64", "image"]
    assert lines[-1].startswith("  selected for linux/amd64: sha256:")
    assert err == ""
    assert main(["manifest", MANIFEST]) == 0
    out, _ = capsys.readouterr()
    assert "layers, total size" in out


def test_media_type_and_digest(capsys: pytest.CaptureFixture[str]) -> None:
    body = Path(INDEX).read_bytes()
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    assert main(["manifest", "--digest", digest, INDEX]) == 0
    assert main(["manifest", "--media-type", "application/vnd.oci.image.index.v1+json", INDEX]) == 0
    capsys.readouterr()
    assert main(["manifest", "--digest", "sha256:" + "0" * 64, INDEX]) == 1
    _, err = capsys.readouterr()
    assert "the document's digest is " + digest in err
    assert (
        main(["manifest", "--media-type", "application/vnd.oci.image.manifest.v1+json", INDEX]) == 1
    )
    _, err = capsys.readouterr()
    assert "$.mediaType: " in err
    config_type = "application/vnd.docker.container.image.v1+json"
    assert main(["manifest", "--media-type", config_type, CONFIG]) == 0
    assert main(["manifest", "--media-type", config_type, INDEX]) == 1  # not a config
    capsys.readouterr()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--platform", "linux/*"], "--platform: platform linux/*: wildcards"),
        (["--platform", "a/b/c/d"], "--platform: "),
        (["--digest", "sha256:abc"], "--digest: sha256:abc is not a digest"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    assert main(["manifest", *argv, INDEX]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert words in err


def test_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["manifest", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"\xff\xfe", "$: not UTF-8"),
        (b'{"a": 1, "a": 2}', "$.a: duplicate key"),
        (b"[" * 200_000, "$: nested deeper than 64"),
        (b'{"schemaVersion": 2, "manifests": [], "x": NaN}', "$.x: NaN"),
        (
            b'{"schemaVersion": 2, "manifests": ["\\u001b[31m"]}',
            "$.manifests[0]: must be an object",
        ),
        (b'{"schemaVersion": 2, "manifests": ["\x1b[31m"]}', "$: not JSON: Invalid control"),
        (b"x" * (4 * 1024 * 1024 + 10), "$: the document is over 4194304 bytes"),
    ],
)
def test_hostile_documents(tmp_path: Path, body: bytes, words: str) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(body)
    proc = run("manifest", str(path))
    assert proc.returncode == 1
    assert proc.stdout == b""
    err = proc.stderr.decode("ascii")  # every byte written is ASCII
    assert words in err
    assert "Traceback" not in err
    assert "\x1b" not in err
    assert len(err) < 2000


def test_standard_input() -> None:
    proc = run("manifest", "--format", "json", "-", stdin=Path(INDEX).read_bytes())
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["source"] == "-"


def test_manifest_module_is_imported_only_by_this_command() -> None:
    assert "imageref.manifest" not in imported_modules("parse", "python")
    assert "imageref.manifest" in imported_modules("manifest", INDEX)
