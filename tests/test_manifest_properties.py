"""Properties of imageref.manifest over generated documents (Hypothesis)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imageref.errors import ManifestError
from imageref.manifest import (
    MEDIA_TYPE_DOCKER_MANIFEST,
    MEDIA_TYPE_DOCKER_MANIFEST_LIST,
    MEDIA_TYPE_OCI_INDEX,
    MEDIA_TYPE_OCI_MANIFEST,
    ImageIndex,
    parse_config,
    parse_descriptor,
    parse_manifest,
)
from imageref.platforms import Platform, matcher

OSES = ["linux", "windows", "darwin", "Linux", "freebsd"]
ARCHES = ["amd64", "arm64", "arm", "386", "x86_64", "aarch64", "armhf", "s390x", "unknown"]
VARIANTS = ["", "v5", "v6", "v7", "v8", "v8.2", "v9", "v2", "v3"]
MEDIA = [
    MEDIA_TYPE_OCI_MANIFEST,
    MEDIA_TYPE_OCI_INDEX,
    MEDIA_TYPE_DOCKER_MANIFEST,
    MEDIA_TYPE_DOCKER_MANIFEST_LIST,
    "application/vnd.example.thing+json",
    "text/plain",
]

digests = st.binary(max_size=6).map(lambda b: "sha256:" + hashlib.sha256(b).hexdigest()) | st.just(
    "sha512:" + "ab" * 64
)
texts = st.text(max_size=8)
string_maps = st.dictionaries(texts, texts, max_size=3)
platforms = st.fixed_dictionaries(
    {"architecture": st.sampled_from(ARCHES), "os": st.sampled_from(OSES)},
    optional={
        "variant": st.sampled_from(VARIANTS),
        "os.version": st.sampled_from(["10.0.17763.1", "10.0.20348.2"]),
        "os.features": st.lists(st.sampled_from(["gpu", "win32k", "sse4"]), max_size=3),
    },
)


@st.composite
def descriptors(draw: st.DrawFn, *, in_index: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "mediaType": draw(st.sampled_from(MEDIA)),
        "digest": draw(digests),
        "size": draw(st.integers(0, 2**63 - 1)),
    }
    if draw(st.booleans()):
        d["annotations"] = draw(string_maps)
        if draw(st.booleans()):
            d["annotations"]["vnd.docker.reference.type"] = "attestation-manifest"
    if in_index and draw(st.integers(0, 4)):
        d["platform"] = draw(platforms)
    if draw(st.integers(0, 5)) == 0:
        d["artifactType"] = "application/vnd.example.sbom+json"
    if draw(st.integers(0, 5)) == 0:
        d["urls"] = draw(
            st.lists(st.sampled_from(["https://a.example/x", "s3:bucket/k"]), max_size=2)
        )
    if draw(st.integers(0, 5)) == 0:
        data = draw(st.binary(max_size=12))
        d.update(
            data=base64.b64encode(data).decode(),
            size=len(data),
            digest="sha256:" + hashlib.sha256(data).hexdigest(),
        )
    return d


@st.composite
def indexes(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": draw(st.sampled_from([MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_MANIFEST_LIST])),
        "manifests": draw(st.lists(descriptors(in_index=True), max_size=8)),
    }
    if draw(st.booleans()):
        doc["annotations"] = draw(string_maps)
    if draw(st.integers(0, 4)) == 0:
        doc["subject"] = draw(descriptors())
    return doc


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": draw(st.sampled_from([MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST])),
        "config": draw(descriptors()),
        "layers": draw(st.lists(descriptors(), min_size=1, max_size=4)),
    }
    if draw(st.booleans()):
        doc["annotations"] = draw(string_maps)
    if draw(st.integers(0, 3)) == 0:
        doc["artifactType"] = "application/vnd.example+type"
    return doc


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = dict(draw(platforms))
    doc["rootfs"] = {"type": "layers", "diff_ids": draw(st.lists(digests, max_size=3))}
    section = draw(st.sampled_from(["absent", "null", "labels", "null-labels"]))
    if section == "null":
        doc["config"] = None
    elif section == "labels":
        doc["config"] = {"Labels": draw(string_maps), "Env": ["A=1"]}
    elif section == "null-labels":
        doc["config"] = {"Labels": None}
    if draw(st.booleans()):
        doc["created"] = "2024-06-03T08:11:41.5+09:00"
    return doc


documents = st.one_of(
    indexes().map(lambda d: (parse_manifest, d)),
    manifests().map(lambda d: (parse_manifest, d)),
    configs().map(lambda d: (parse_config, d)),
    descriptors(in_index=True).map(lambda d: (parse_descriptor, d)),
)


@given(documents, st.sampled_from([None, 1, 4]))
def test_what_parses_survives_dump_and_parse(
    case: tuple[Any, dict[str, Any]], indent: int | None
) -> None:
    parse, doc = case
    value = parse(json.dumps(doc, indent=indent))
    # The same document, differently written, reads the same.
    assert parse(json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")) == value
    # What the value says is the document again.
    again = parse(json.dumps(value.to_dict()))
    assert again == value
    assert hash(again) == hash(value)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


def _replace(doc: Any, route: list[int], new: Any) -> Any:
    """*doc* with the value reached by following *route* (child indices) replaced."""
    if not route or not isinstance(doc, (dict, list)) or not doc:
        return new
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = keys[route[0] % len(keys)]
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[key] = _replace(doc[key], route[1:], new)
    return copy


@given(documents, st.lists(st.integers(0, 20), max_size=5), json_values)
def test_mutated_documents_parse_or_raise_manifest_error(
    case: tuple[Any, dict[str, Any]], route: list[int], new: Any
) -> None:
    parse, doc = case
    with contextlib.suppress(ManifestError):
        parse(json.dumps(_replace(doc, route, new)))


@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_parse_or_raise_manifest_error(body: bytes) -> None:
    for parse in (parse_manifest, parse_config, parse_descriptor):
        with contextlib.suppress(ManifestError):
            parse(body)


def _brute_select(index: ImageIndex, wanted: str, strict: bool) -> Any:
    """Sort every entry by containerd's preference and take the first that may be pulled."""
    m = matcher(wanted, strict=strict)

    def key(position_entry: tuple[int, Any]) -> tuple[int, int, int]:
        position, entry = position_entry
        if entry.kind not in ("image", "index"):
            return (3, 0, position)
        if entry.platform is None:
            return (1, 0, position)
        rank = m.rank(entry.platform)
        return (2, 0, position) if rank is None else (0, rank, position)

    ranked = sorted(enumerate(index.manifests), key=key)
    if not ranked or key(ranked[0])[0] >= 2:
        return None
    return ranked[0][1]


WANTED = [
    "linux/amd64",
    "linux/amd64/v3",
    "linux/arm64",
    "linux/arm64/v9",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "windows/amd64",
    "windows(+gpu)/amd64",
    "darwin/arm64",
    "linux(+gpu+sse4)/arm64",
    "freebsd/amd64",
]


@given(indexes(), st.sampled_from(WANTED), st.booleans())
def test_select_agrees_with_a_brute_force_ranking(
    doc: dict[str, Any], wanted: str, strict: bool
) -> None:
    index = parse_manifest(json.dumps(doc))
    assert isinstance(index, ImageIndex)
    chosen = index.select(wanted, strict=strict)
    assert chosen is _brute_select(index, wanted, strict)
    if chosen is not None:
        assert chosen.kind in ("image", "index")
        assert chosen.platform is None or matcher(wanted, strict=strict).match(chosen.platform)
    assert index.images() == tuple(d for d in index.manifests if d.kind in ("image", "index"))
    assert all(isinstance(d.platform, (Platform, type(None))) for d in index.manifests)


def _dicts(doc: Any) -> list[dict[str, Any]]:
    """Every object in *doc*, outermost first."""
    found = [doc] if isinstance(doc, dict) else []
    for child in doc.values() if isinstance(doc, dict) else doc if isinstance(doc, list) else []:
        found += _dicts(child)
    return found


def _nest(levels: int) -> Any:
    value: Any = 0
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@given(documents, st.integers(0, 1000), st.integers(55, 70))
def test_nesting_past_64_is_refused_wherever_it_is(
    case: tuple[Any, dict[str, Any]], where: int, levels: int
) -> None:
    parse, doc = case
    doc = json.loads(json.dumps(doc))  # a copy to change
    targets = _dicts(doc)
    target = targets[where % len(targets)]
    target["unknown member"] = _nest(levels)
    body = json.dumps(doc)
    reason = ""
    try:
        parse(body)
    except ManifestError as exc:
        reason = exc.reason  # another rule may refuse it first (a label must be a string)
    else:
        assert _depth(doc) <= 64, f"depth {_depth(doc)} accepted"
    assert "nested deeper" not in reason or _depth(doc) > 64, reason
