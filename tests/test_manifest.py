"""imageref.manifest: the image-spec's schema cases, realistic documents, rules, hostile input."""

from __future__ import annotations

import base64
import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from imageref import manifest as manifest_module
from imageref import validate_image_labels
from imageref.errors import ImageRefError, ImageRefTypeError, ManifestError
from imageref.manifest import (
    MEDIA_TYPE_DOCKER_MANIFEST,
    MEDIA_TYPE_DOCKER_MANIFEST_LIST,
    MEDIA_TYPE_OCI_INDEX,
    MEDIA_TYPE_OCI_MANIFEST,
    Descriptor,
    ImageConfig,
    ImageIndex,
    ImageManifest,
    parse_config,
    parse_descriptor,
    parse_manifest,
)
from imageref.platforms import Platform

DATA = Path(__file__).parent / "data"
REGISTRY = DATA / "registry"
SCHEMA = json.loads((DATA / "oci_schema_cases.json").read_text("utf-8"))
PARSERS: dict[str, Any] = {
    "descriptor": parse_descriptor,
    "index": parse_manifest,
    "manifest": parse_manifest,
    "config": parse_config,
}
SHA_A = "sha256:" + "a" * 64
SHA_B = "sha256:" + "b" * 64


def _doc(name: str) -> bytes:
    return (REGISTRY / name).read_bytes()


def _entry(**members: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"mediaType": MEDIA_TYPE_OCI_MANIFEST, "digest": SHA_A, "size": 7}
    entry.update(members)
    return entry


def _index(*entries: dict[str, Any], **members: Any) -> str:
    doc: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": MEDIA_TYPE_OCI_INDEX,
        "manifests": list(entries),
    }
    doc.update(members)
    return json.dumps(doc)


def _manifest(**members: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": MEDIA_TYPE_OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": SHA_A,
            "size": 2,
        },
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": SHA_B, "size": 5}
        ],
    }
    doc.update(members)
    return doc


def _config(**members: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [SHA_A]},
    }
    doc.update(members)
    return doc


def _fails(parse: Any, body: Any, path: str, words: str = "", **kwargs: Any) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        parse(body, **kwargs)
    error = caught.value
    assert error.path == path, str(error)
    assert words in error.reason, str(error)
    assert str(error) == f"{path}: {error.reason}"
    assert isinstance(error, ValueError)
    assert isinstance(error, ImageRefError)
    return error


# ---------------------------------------------------------------------------
# The image-spec's schema test cases (tests/data/oci_schema_cases.json)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", SCHEMA["cases"], ids=lambda case: case["source"])
def test_image_spec_schema_cases(case: dict[str, Any]) -> None:
    parse = PARSERS[case["kind"]]
    if case["valid"]:
        value = parse(case["document"])
        expected = {
            "descriptor": Descriptor,
            "config": ImageConfig,
            "index": ImageIndex,
            "manifest": ImageManifest,
        }[case["kind"]]
        assert isinstance(value, expected)
    else:
        with pytest.raises(ManifestError):
            parse(case["document"])


@pytest.mark.parametrize(
    "case", [c for c in SCHEMA["cases"] if "digest" in c], ids=lambda case: case["source"]
)
def test_image_spec_documents_with_their_digests(case: dict[str, Any]) -> None:
    parse = PARSERS[case["kind"]]
    body = case["document"].encode("utf-8")
    parse(body, digest=case["digest"])  # the test's digest of the document's text
    wrong = case["digest"][:-1] + ("0" if case["digest"][-1] != "0" else "1")
    _fails(parse, body, "$", "the document's digest is", digest=wrong)


def test_schema_cases_cover_every_test_file() -> None:
    sources = {case["source"].split(" ")[0] for case in SCHEMA["cases"]}
    assert {
        "schema/descriptor_test.go",
        "schema/imageindex_test.go",
        "schema/manifest_test.go",
        "schema/config_test.go",
        "schema/backwards_compatibility_test.go",
    } <= sources
    assert sum(not case["valid"] for case in SCHEMA["cases"]) >= 30


# ---------------------------------------------------------------------------
# Realistic documents (tests/data/registry)
# ---------------------------------------------------------------------------


def test_buildx_index_with_attestations() -> None:
    index = parse_manifest(_doc("buildx_index.json"))
    assert isinstance(index, ImageIndex)
    assert index.media_type == MEDIA_TYPE_OCI_INDEX
    assert [d.kind for d in index.manifests] == ["image", "image", "attestation", "attestation"]
    # BuildKit's descriptor annotations do not hide a runnable image (Backend.AI's manager
    # drops every annotated OCI entry).
    assert index.manifests[0].annotations["org.opencontainers.image.created"]
    assert [str(d.platform) for d in index.images()] == ["linux/amd64", "linux/arm64"]
    amd64 = index.select("linux/amd64")
    assert amd64 is index.manifests[0]
    assert index.select("linux/aarch64") is index.manifests[1]
    assert index.select("linux/arm/v7") is None  # arm64 images do not run on 32-bit arm
    assert index.select("windows/amd64") is None
    assert index.select("unknown/unknown") is None  # attestations are never selected
    attestation = index.manifests[2]
    assert attestation.annotations["vnd.docker.reference.digest"] == amd64.digest
    assert index.annotations == {"org.opencontainers.image.created": "2024-06-03T08:11:41Z"}


def test_docker_hub_manifest_list_with_windows_and_arm_variants() -> None:
    index = parse_manifest(_doc("dockerhub_manifest_list.json"))
    assert isinstance(index, ImageIndex)
    assert index.media_type == MEDIA_TYPE_DOCKER_MANIFEST_LIST
    entries = index.manifests
    assert [str(d.platform) for d in entries] == [
        "linux/amd64",
        "linux/arm/v5",
        "linux/arm/v7",
        "linux/arm64",
        "linux/386",
        "linux/mips64le",
        "linux/ppc64le",
        "linux/riscv64",
        "linux/s390x",
        "windows/amd64",
        "windows/amd64",
    ]
    assert all(d.kind == "image" for d in entries)
    assert entries[3].platform == Platform("linux", "arm64", "v8")  # as written
    assert [d.platform.backendai_architecture for d in entries[:5] if d.platform] == [
        "x86_64",
        "arm",
        "arm",
        "aarch64",
        "386",
    ]
    assert index.select("linux/arm/v7") is entries[2]
    assert index.select("linux/arm/v6") is entries[1]  # v6 runs v5
    assert index.select("linux/arm/v6", strict=True) is None
    assert index.select("linux/arm64/v8") is entries[3]
    assert index.select("linux/amd64/v3") is entries[0]
    assert index.select("linux/386") is entries[4]
    assert index.select("linux/386", strict=True) is entries[4]
    # The OS version never decides: the first windows entry in index order wins.
    assert index.select("windows(10.0.17763)/amd64") is entries[9]
    assert entries[10].platform is not None
    assert entries[10].platform.os_version == "10.0.17763.5936"
    # Backend.AI keys platforms by architecture alone; here linux and windows differ.
    assert index.select("linux/amd64") is entries[0]
    assert index.select("windows/amd64") is entries[9]


def test_docker_image_manifest_total_size() -> None:
    m = parse_manifest(_doc("docker_image_manifest.json"))
    assert isinstance(m, ImageManifest)
    assert m.media_type == MEDIA_TYPE_DOCKER_MANIFEST
    raw = json.loads(_doc("docker_image_manifest.json"))
    assert m.total_size == raw["config"]["size"] + sum(layer["size"] for layer in raw["layers"])
    assert m.config.media_type == "application/vnd.docker.container.image.v1+json"
    assert m.subject is None
    assert m.artifact_type is None
    assert dict(m.annotations) == {}


def test_artifact_with_the_empty_config() -> None:
    m = parse_manifest(_doc("artifact_empty_config.json"))
    assert isinstance(m, ImageManifest)
    assert m.artifact_type == "application/vnd.example.sbom.v1+json"
    assert m.config.media_type == "application/vnd.oci.empty.v1+json"
    assert m.config.data == b"{}"
    assert m.config.digest == "sha256:" + hashlib.sha256(b"{}").hexdigest()
    assert m.subject is not None
    assert m.subject.size == 1654
    index = parse_manifest(_index(_entry(artifactType=m.artifact_type), _entry(digest=SHA_B)))
    assert isinstance(index, ImageIndex)
    assert [d.kind for d in index.manifests] == ["artifact", "image"]
    assert index.select("linux/amd64") is index.manifests[1]  # no platform: the fallback


@pytest.mark.parametrize("name", ["config_null_config.json", "config_null_labels.json"])
def test_configs_with_null_config_or_labels(name: str) -> None:
    config = parse_config(_doc(name))
    assert dict(config.labels) == {}
    assert str(config.platform) == "linux/amd64"


def test_backendai_config_labels_feed_validate_image_labels() -> None:
    config = parse_config(_doc("config_backendai.json"))
    assert config.labels["ai.backend.kernelspec"] == "1"
    checked = validate_image_labels(config.labels)
    assert checked["ai.backend.kernelspec"] == 1
    assert config.created == "2024-06-03T08:11:41.123456789Z"
    assert len(config.diff_ids) == 3
    with pytest.raises(TypeError):
        config.labels["x"] = "y"  # type: ignore[index]


def test_config_platform_fields() -> None:
    config = parse_config(_doc("config_arm64_v8.json"))
    assert (config.architecture, config.os, config.variant) == ("arm64", "linux", "v8")
    assert str(config.platform) == "linux/arm64"
    assert config.platform.backendai_architecture == "aarch64"


# ---------------------------------------------------------------------------
# Rules, one failing example each (with the JSON path)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ("[]", "$", "must be a JSON object"),
        ("", "$", "not JSON"),
        ('{"a": 1} x', "$", "not JSON"),
        ('{"schemaVersion": 2, "manifests": [], "manifests": []}', "$.manifests", "duplicate key"),
        (
            _index(_entry(), _entry()).replace('"size": 7}]', '"size": 7, "size": 8}]'),
            "$.manifests[1].size",
            "duplicate key",
        ),
        ('{"schemaVersion": NaN, "manifests": []}', "$.schemaVersion", "NaN is not allowed"),
        ('{"schemaVersion": 2, "manifests": [], "x": [1, -Infinity]}', "$.x[1]", "-Infinity"),
        ('{"schemaVersion": 2, "manifests": [], "x": {"y": 1e400}}', "$.x.y", "too large"),
        ('{"schemaVersion": 2, "manifests": [], "x": Infinity}', "$.x", "Infinity is not allowed"),
        (
            '{"schemaVersion": 2, "manifests": [], "a b": ' + "9" * 5000 + "}",
            '$["a b"]',
            "5000 digits",
        ),
        (
            '{"schemaVersion": 2, "manifests": [], "x": ' + "[" * 64 + "]" * 64 + "}",
            "$",
            "nested deeper than 64",
        ),
        ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "$", "nested deeper than 64"),
        ('{"x": ' + "[" * 100_000, "$", ""),
        ("\ufeff{}", "$", "not JSON"),
    ],
)
def test_json_rules(body: str, path: str, words: str) -> None:
    _fails(parse_manifest, body, path, words)


def test_depth_64_is_accepted() -> None:
    # The top object is depth 1; 63 arrays inside make 64.
    body = '{"schemaVersion": 2, "manifests": [], "x": ' + "[" * 63 + "]" * 63 + "}"
    assert isinstance(parse_manifest(body), ImageIndex)


def test_utf8_rules() -> None:
    _fails(
        parse_manifest,
        b'{"schemaVersion": 2, "manifests": [], "x": "\xff"}',
        "$",
        "not UTF-8: byte 44 (0xff)",
    )
    _fails(parse_manifest, '{"x": "\ud800"}', "$", "lone surrogate")
    _fails(parse_manifest, '{"a": 1}'.encode("utf-16"), "$", "not UTF-8")


def test_size_is_checked_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = manifest_module._DECODER.decode

    def counting(text: str) -> Any:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(manifest_module._DECODER, "decode", counting)
    big = b'{"schemaVersion": 2, "manifests": [], "x": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    _fails(parse_manifest, big, "$", "over 4194304")
    _fails(parse_config, big.decode(), "$", "over 4194304")
    _fails(parse_manifest, _index(), "$", "over 10", max_bytes=10)
    assert calls == []  # never parsed
    assert isinstance(parse_manifest(_index(), max_bytes=len(_index())), ImageIndex)
    assert len(calls) == 1


def test_huge_arrays_are_read_in_linear_work() -> None:
    entries = ",".join(['{"mediaType":"a/b","digest":"%s","size":1}' % SHA_A] * 30_000)  # noqa: UP031
    index = parse_manifest('{"schemaVersion":2,"manifests":[' + entries + "]}")
    assert isinstance(index, ImageIndex)
    assert len(index.manifests) == 30_000
    assert {d.kind for d in index.manifests} == {"unknown"}
    zeros = '{"schemaVersion":2,"manifests":[{}' + ",0" * 1_000_000 + "]}"
    _fails(parse_manifest, zeros, "$.manifests[0].mediaType", "is required")


@pytest.mark.parametrize(
    ("doc", "path", "words"),
    [
        ({"manifests": []}, "$.schemaVersion", "is required"),
        ({"schemaVersion": "2", "manifests": []}, "$.schemaVersion", "not a string '2'"),
        ({"schemaVersion": 2.0, "manifests": []}, "$.schemaVersion", "not a number"),
        ({"schemaVersion": True, "manifests": []}, "$.schemaVersion", "not a boolean"),
        ({"schemaVersion": 3, "manifests": []}, "$.schemaVersion", "must be 2"),
        ({"schemaVersion": 1, "name": "x", "fsLayers": []}, "$", "schema 1"),
        (
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v1+prettyjws",
            },
            "$",
            "schema 1",
        ),
        ({"schemaVersion": 2, "manifests": [], "layers": []}, "$", "CVE-2021-41190"),
        (
            {
                "schemaVersion": 2,
                "mediaType": MEDIA_TYPE_OCI_MANIFEST,
                "manifests": [],
                "config": {},
            },
            "$",
            "CVE-2021-41190",
        ),
        (
            {"schemaVersion": 2, "mediaType": "application/json"},
            "$.mediaType",
            "not an image index or manifest media type",
        ),
        ({"schemaVersion": 2, "mediaType": "json"}, "$.mediaType", "not a media type"),
        ({"schemaVersion": 2, "mediaType": MEDIA_TYPE_OCI_INDEX}, "$.manifests", "is required"),
        ({"schemaVersion": 2, "manifests": {}}, "$.manifests", "not an object"),
        ({"schemaVersion": 2, "manifests": [None]}, "$.manifests[0]", "not null"),
        (
            {"schemaVersion": 2, "manifests": [], "annotations": {"a": 1}},
            "$.annotations.a",
            "not an integer",
        ),
        (
            {"schemaVersion": 2, "manifests": [], "annotations": []},
            "$.annotations",
            "an object of strings",
        ),
        (
            {"schemaVersion": 2, "manifests": [], "artifactType": "x"},
            "$.artifactType",
            "not a media type",
        ),
        (
            {"schemaVersion": 2, "manifests": [], "subject": {"mediaType": "a/b"}},
            "$.subject.digest",
            "is required",
        ),
    ],
)
def test_document_rules(doc: dict[str, Any], path: str, words: str) -> None:
    _fails(parse_manifest, json.dumps(doc), path, words)


@pytest.mark.parametrize(
    ("members", "path", "words"),
    [
        ({"size": True}, "$.manifests[0].size", "not a boolean"),
        ({"size": 7.0}, "$.manifests[0].size", "not a number"),
        ({"size": -1}, "$.manifests[0].size", "-1 is not a size"),
        ({"size": 2**63}, "$.manifests[0].size", "is not a size"),
        ({"size": None}, "$.manifests[0].size", "not null"),
        ({"digest": "sha256:" + "a" * 63}, "$.manifests[0].digest", "length"),
        ({"digest": "sha512:" + "a" * 64}, "$.manifests[0].digest", "length"),
        ({"digest": "sha256:" + "A" * 64}, "$.manifests[0].digest", "format"),
        ({"digest": "Sha256:" + "a" * 64}, "$.manifests[0].digest", "format"),
        ({"digest": 5}, "$.manifests[0].digest", "a digest string"),
        ({"mediaType": "a/" + "b" * 128}, "$.manifests[0].mediaType", "not a media type"),
        (
            {"mediaType": "application/json; charset=utf-8"},
            "$.manifests[0].mediaType",
            "not a media type",
        ),
        ({"urls": ["/relative"]}, "$.manifests[0].urls[0]", "not an absolute URL"),
        ({"urls": ["https://a.example/x y"]}, "$.manifests[0].urls[0]", "not an absolute URL"),
        ({"urls": "https://a.example/"}, "$.manifests[0].urls", "an array of URLs"),
        ({"artifactType": ""}, "$.manifests[0].artifactType", "not a media type"),
        ({"annotations": {"k": None}}, "$.manifests[0].annotations.k", "not null"),
        ({"annotations": {"a.b": 1}}, '$.manifests[0].annotations["a.b"]', "not an integer"),
        ({"platform": {"os": "linux"}}, "$.manifests[0].platform.architecture", "is required"),
        ({"platform": {"architecture": "amd64"}}, "$.manifests[0].platform.os", "is required"),
        (
            {"platform": {"architecture": "amd64", "os": 1}},
            "$.manifests[0].platform.os",
            "not an integer",
        ),
        (
            {"platform": {"architecture": "amd64", "os": "linux", "variant": None}},
            "$.manifests[0].platform.variant",
            "not null",
        ),
        (
            {"platform": {"architecture": "amd64", "os": "linux", "os.features": "gpu"}},
            '$.manifests[0].platform["os.features"]',
            "array of strings",
        ),
        (
            {"platform": {"architecture": "amd64", "os": "linux", "os.features": [1]}},
            '$.manifests[0].platform["os.features"][0]',
            "not an integer",
        ),
        ({"platform": []}, "$.manifests[0].platform", "must be an object"),
        (
            {"platform": {"architecture": ["amd64"], "os": "linux"}},
            "$.manifests[0].platform.architecture",
            "not an array",
        ),
    ],
)
def test_descriptor_rules(members: dict[str, Any], path: str, words: str) -> None:
    _fails(parse_manifest, _index(_entry(**members)), path, words)


def test_descriptor_data() -> None:
    data = b"hello, registry"
    good = _entry(
        size=len(data),
        digest="sha256:" + hashlib.sha256(data).hexdigest(),
        data=base64.b64encode(data).decode(),
    )
    index = parse_manifest(_index(good))
    assert isinstance(index, ImageIndex)
    assert index.manifests[0].data == data
    sha512 = "sha512:" + hashlib.sha512(data).hexdigest()
    assert parse_descriptor(json.dumps({**good, "digest": sha512})).data == data
    _fails(
        parse_manifest,
        _index({**good, "size": 3}),
        "$.manifests[0].data",
        "decodes to 15 bytes, but size is 3",
    )
    _fails(
        parse_manifest, _index({**good, "digest": SHA_A}), "$.manifests[0].data", "digest is not"
    )
    hi = _entry(size=2, digest="sha256:" + hashlib.sha256(b"hi").hexdigest(), data="aGk=")
    assert parse_descriptor(json.dumps(hi)).data == b"hi"
    _fails(parse_descriptor, json.dumps({**hi, "data": "aGk"}), "$.data", "not base64")
    _fails(parse_manifest, _index({**good, "data": "aGk*"}), "$.manifests[0].data", "not base64")
    # An algorithm imageref cannot compute: the length is still checked.
    other = {**good, "digest": "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"}
    assert parse_descriptor(json.dumps(other)).data == data


def test_unknown_media_types_and_members_are_not_errors() -> None:
    index = parse_manifest(
        _index(
            _entry(mediaType="application/vnd.example.thing+json", extra={"deep": [1, 2]}),
            _entry(platform={"architecture": "amd64", "os": "linux", "features": ["sse4"]}),
            unknown="kept out",
        )
    )
    assert isinstance(index, ImageIndex)
    assert [d.kind for d in index.manifests] == ["unknown", "image"]
    assert index.images() == (index.manifests[1],)


def test_digest_algorithms() -> None:
    for digest in (
        "sha512:" + "c" * 128,
        "sha384:" + "d" * 96,
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
    ):
        assert parse_descriptor(json.dumps(_entry(digest=digest))).digest == digest


@pytest.mark.parametrize(
    ("doc", "path", "words"),
    [
        (_manifest(config=None), "$.config", "not null"),
        ({k: v for k, v in _manifest().items() if k != "config"}, "$.config", "is required"),
        ({k: v for k, v in _manifest().items() if k != "layers"}, "$.layers", "is required"),
        (_manifest(layers=[]), "$.layers", "at least one layer"),
        (_manifest(layers={}), "$.layers", "array of descriptors"),
        (
            _manifest(config={"mediaType": "nope", "digest": SHA_A, "size": 1}),
            "$.config.mediaType",
            "not a media type",
        ),
        (
            _manifest(layers=[{"mediaType": "a/b", "digest": SHA_A, "size": "1"}]),
            "$.layers[0].size",
            "not a string '1'",
        ),
    ],
)
def test_manifest_rules(doc: dict[str, Any], path: str, words: str) -> None:
    _fails(parse_manifest, json.dumps(doc), path, words)


@pytest.mark.parametrize(
    ("doc", "path", "words"),
    [
        (
            {k: v for k, v in _config().items() if k != "architecture"},
            "$.architecture",
            "is required",
        ),
        ({k: v for k, v in _config().items() if k != "os"}, "$.os", "is required"),
        ({k: v for k, v in _config().items() if k != "rootfs"}, "$.rootfs", "is required"),
        (_config(rootfs={"type": "layer", "diff_ids": []}), "$.rootfs.type", 'must be "layers"'),
        (_config(rootfs={"type": "layers"}), "$.rootfs.diff_ids", "is required"),
        (
            _config(rootfs={"type": "layers", "diff_ids": ["sha256:x"]}),
            "$.rootfs.diff_ids[0]",
            "not a digest",
        ),
        (_config(config=[]), "$.config", "an object or null"),
        (_config(config={"Labels": {"a": 1}}), "$.config.Labels.a", "not an integer"),
        (_config(config={"Labels": []}), "$.config.Labels", "an object of strings"),
        (_config(config={"User": 0}), "$.config.User", "not an integer"),
        (_config(config={"Env": ["foo"]}), "$.config.Env[0]", "NAME=value"),
        (_config(config={"Env": ["=x"]}), "$.config.Env[0]", "NAME=value"),
        (_config(config={"Env": ["A=b\nc"]}), "$.config.Env[0]", "NAME=value"),
        (_config(config={"Env": "A=b"}), "$.config.Env", "array of strings"),
        (_config(config={"Cmd": "sh"}), "$.config.Cmd", "array of strings"),
        (_config(config={"Entrypoint": [1]}), "$.config.Entrypoint[0]", "not an integer"),
        (_config(config={"Volumes": ["/data"]}), "$.config.Volumes", "an object of objects"),
        (
            _config(config={"ExposedPorts": {"80/tcp": "yes"}}),
            '$.config.ExposedPorts["80/tcp"]',
            "an object",
        ),
        (_config(config={"ArgsEscaped": "true"}), "$.config.ArgsEscaped", "a boolean"),
        (_config(config={"WorkingDir": None}), "$.config.WorkingDir", "not null"),
        (_config(history="none"), "$.history", "an array"),
        (_config(history=["step"]), "$.history[0]", "an object"),
        (_config(history=[{"empty_layer": "yes"}]), "$.history[0].empty_layer", "a boolean"),
        (_config(history=[{"created_by": 3}]), "$.history[0].created_by", "a string"),
        (_config(created="yesterday"), "$.created", "RFC 3339"),
        (_config(variant=5), "$.variant", "not an integer"),
        (_config(**{"os.features": "x"}), '$["os.features"]', "array of strings"),
        (_config(author=None), "$.author", "not null"),
    ],
)
def test_config_rules(doc: dict[str, Any], path: str, words: str) -> None:
    _fails(parse_config, json.dumps(doc), path, words)


def test_config_accepts_nulls_the_schema_allows() -> None:
    config = parse_config(
        json.dumps(
            _config(config={"Labels": None, "Cmd": None, "Entrypoint": None, "Volumes": None})
        )
    )
    assert dict(config.labels) == {}
    assert parse_config(json.dumps(_config(config=None))).labels == {}


def test_media_type_given_with_the_document() -> None:
    index_text = _index(_entry())
    assert isinstance(
        parse_manifest(index_text, MEDIA_TYPE_OCI_INDEX + "; charset=utf-8"), ImageIndex
    )
    assert isinstance(
        parse_manifest(index_text, "Application/VND.OCI.Image.Index.v1+json"), ImageIndex
    )
    _fails(
        parse_manifest, index_text, "$.mediaType", "disagrees", media_type=MEDIA_TYPE_OCI_MANIFEST
    )
    bare = json.dumps({"schemaVersion": 2, "manifests": []})
    assert parse_manifest(bare).media_type == MEDIA_TYPE_OCI_INDEX  # inferred
    assert (
        parse_manifest(bare, MEDIA_TYPE_DOCKER_MANIFEST_LIST).media_type
        == MEDIA_TYPE_DOCKER_MANIFEST_LIST
    )
    bare_manifest = json.dumps({k: v for k, v in _manifest().items() if k != "mediaType"})
    assert isinstance(parse_manifest(bare_manifest), ImageManifest)
    _fails(
        parse_manifest, bare_manifest, "$.manifests", "is required", media_type=MEDIA_TYPE_OCI_INDEX
    )
    _fails(
        parse_manifest,
        bare,
        "$",
        "not an image index or manifest media type",
        media_type="text/plain",
    )
    _fails(
        parse_manifest,
        bare,
        "$",
        "schema 1",
        media_type="application/vnd.docker.distribution.manifest.v1+json",
    )


def test_digest_and_descriptor_given_with_the_document() -> None:
    body = _doc("buildx_index.json")
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    assert isinstance(parse_manifest(body, digest=digest), ImageIndex)
    assert isinstance(parse_manifest(body.decode(), digest=digest), ImageIndex)
    sha512 = "sha512:" + hashlib.sha512(body).hexdigest()
    assert isinstance(parse_manifest(body, digest=sha512), ImageIndex)
    _fails(parse_manifest, body + b" ", "$", "the document's digest is", digest=digest)
    _fails(parse_manifest, body, "$", "is invalid", digest="sha256:abc")
    _fails(parse_manifest, body, "$", "cannot check", digest="sha256+b64u:abcd")
    pointer = parse_descriptor(
        json.dumps({"mediaType": MEDIA_TYPE_OCI_INDEX, "digest": digest, "size": len(body)})
    )
    assert isinstance(parse_manifest(body, digest=pointer), ImageIndex)
    short = parse_descriptor(
        json.dumps({"mediaType": MEDIA_TYPE_OCI_INDEX, "digest": digest, "size": len(body) - 1})
    )
    _fails(
        parse_manifest, body, "$", f"is {len(body)} bytes, not the {len(body) - 1}", digest=short
    )
    wrong_type = parse_descriptor(
        json.dumps({"mediaType": MEDIA_TYPE_OCI_MANIFEST, "digest": digest, "size": len(body)})
    )
    _fails(parse_manifest, body, "$.mediaType", "disagrees", digest=wrong_type)
    config = _doc("config_backendai.json")
    parse_config(config, digest="sha256:" + hashlib.sha256(config).hexdigest())


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_manifest(3),  # type: ignore[arg-type]
        lambda: parse_manifest(None),  # type: ignore[arg-type]
        lambda: parse_config({"os": "linux"}),  # type: ignore[arg-type]
        lambda: parse_descriptor([]),  # type: ignore[arg-type]
        lambda: parse_manifest("{}", 5),  # type: ignore[arg-type]
        lambda: parse_manifest("{}", max_bytes="4"),  # type: ignore[arg-type]
        lambda: parse_manifest("{}", digest=5),  # type: ignore[arg-type]
        Descriptor,
    ],
)
def test_type_errors(call: Any) -> None:
    with pytest.raises(ImageRefTypeError):
        call()


def test_bodies_of_every_binary_type() -> None:
    body = _doc("buildx_index.json")
    for value in (body, bytearray(body), memoryview(body), body.decode()):
        assert parse_manifest(value) == parse_manifest(body)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Values: immutable, comparable, picklable, round-tripping
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parse"),
    [
        ("buildx_index.json", parse_manifest),
        ("dockerhub_manifest_list.json", parse_manifest),
        ("docker_image_manifest.json", parse_manifest),
        ("artifact_empty_config.json", parse_manifest),
        ("config_backendai.json", parse_config),
        ("config_null_config.json", parse_config),
    ],
)
def test_values_round_trip_and_are_read_only(name: str, parse: Any) -> None:
    value = parse(_doc(name))
    again = parse(json.dumps(value.to_dict()))
    assert again == value
    assert hash(again) == hash(value)
    assert pickle.loads(pickle.dumps(value)) == value
    with pytest.raises(AttributeError):
        value.annotations = {}
    with pytest.raises(AttributeError):
        del value.labels
    assert value != "a document"
    assert repr(value).startswith("<Image")


def test_descriptor_values() -> None:
    index = parse_manifest(_doc("buildx_index.json"))
    assert isinstance(index, ImageIndex)
    d = index.manifests[0]
    for name in ("media_type", "digest", "size", "platform", "annotations", "kind"):
        with pytest.raises(AttributeError):
            setattr(d, name, None)
    with pytest.raises(TypeError):
        d.annotations["x"] = "y"  # type: ignore[index]
    assert pickle.loads(pickle.dumps(d)) == d
    assert parse_descriptor(json.dumps(d.to_dict())) == d
    assert d != index.manifests[1]
    assert d != "x"
    assert "linux/amd64" in repr(d)
    assert "image" in repr(d)
    assert len({d, parse_descriptor(json.dumps(d.to_dict()))}) == 1


def test_paths_of_late_entries_and_layers() -> None:
    entries = [_entry() for _ in range(70)]
    entries[66] = _entry(size=-1)
    _fails(parse_manifest, _index(*entries), "$.manifests[66].size", "-1 is not a size")
    layers = [{"mediaType": "a/b", "digest": SHA_A, "size": 1} for _ in range(70)]
    layers[69]["digest"] = "sha256:"
    _fails(parse_manifest, json.dumps(_manifest(layers=layers)), "$.layers[69].digest", "format")


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        (json.loads(_index(_entry(annotations=None))), "$.manifests[0].annotations"),
        (json.loads(_index(_entry(platform=None))), "$.manifests[0].platform"),
        (json.loads(_index(_entry(urls=None))), "$.manifests[0].urls"),
        (json.loads(_index(_entry(data=None))), "$.manifests[0].data"),
        (json.loads(_index(_entry(artifactType=None))), "$.manifests[0].artifactType"),
        (json.loads(_index(annotations=None)), "$.annotations"),
        (json.loads(_index(subject=None)), "$.subject"),
        (json.loads(_index(mediaType=None)), "$.mediaType"),
    ],
)
def test_null_is_not_an_absent_member(doc: dict[str, Any], path: str) -> None:
    # The schema types these members; Go tools omit them rather than write null.
    _fails(parse_manifest, json.dumps(doc), path, "not null")


def test_config_nulls_real_images_carry() -> None:
    # Docker's Config struct writes a nil slice as null (no omitempty): Env among them.
    section = {"Env": None, "Cmd": None, "Entrypoint": None, "Volumes": None, "Labels": None}
    assert dict(parse_config(json.dumps(_config(config=section))).labels) == {}
    _fails(parse_config, json.dumps(_config(history=None)), "$.history", "not null")
