"""Differential tests against answers recorded from backend.ai-common 24.3.0rc3.

``tests/data/backendai_24_03_vectors.json`` holds what the reference's public API
answered for thousands of generated inputs (tools/make_reference_vectors.py made
it; inputs on which the contract deliberately diverges are left out). These tests
replay every case through imageref: the same fields, the same exception class,
the same aliases in the same order, the same ordering answers.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from imageref import (
    ImageRef,
    ImageRefParser,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    is_known_registry,
)

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_24_03_vectors.json").read_text("utf-8")
)

_ERRORS: dict[str, type[Exception]] = {
    "InvalidImageName": InvalidImageName,
    "InvalidImageTag": InvalidImageTag,
    # The reference raises a bare ValueError for refs of different names.
    "ValueError": IncomparableImages,
}


def _known(spec: Any) -> Any:
    """The known_registries argument a recorded case used."""
    if isinstance(spec, dict):
        return {name: f"https://{name}" for name in spec["mapping"]}
    return spec


def _make(case: dict[str, Any]) -> ImageRef:
    return ImageRef(case["input"], _known(case["known_registries"]), case["architecture"])


def test_vectors_are_substantial() -> None:
    assert _DATA["reference"]["version"] == "24.3.0rc3"
    assert len(_DATA["parse"]) >= 5000
    assert sum("error" in case for case in _DATA["parse"]) >= 500


def _check_parse_case(case: dict[str, Any], parse: Any) -> None:
    if "error" in case:
        with pytest.raises(_ERRORS[case["error"]]):
            parse(case)
        return
    ref = parse(case)
    want = case["result"]
    got = {
        "registry": ref.registry,
        "name": ref.name,
        "tag": ref.tag,
        "architecture": ref.architecture,
        "version": ref.tag_set[0],
        "platform_tags": [list(item) for item in ref.tag_set[1].items()],
    }
    assert got == want, case["input"]


def test_parse_vectors_constructor() -> None:
    for case in _DATA["parse"]:
        _check_parse_case(case, _make)


def test_parse_vectors_parser() -> None:
    parsers: dict[str, ImageRefParser] = {}

    def parse(case: dict[str, Any]) -> ImageRef:
        key = json.dumps([case["known_registries"], case["architecture"]])
        parser = parsers.get(key)
        if parser is None:
            parser = ImageRefParser(_known(case["known_registries"]), case["architecture"])
            parsers[key] = parser
        return parser.parse(case["input"])

    for _ in range(2):  # cold, then memoised
        for case in _DATA["parse"]:
            _check_parse_case(case, parse)


def test_alias_vectors() -> None:
    assert len(_DATA["aliases"]) >= 100
    for case in _DATA["aliases"]:
        ref = _make(case)
        aliases = ref.generate_aliases()
        assert list(aliases) == case["keys"], case["input"]
        assert all(value is ref for value in aliases.values())


def test_ordering_vectors() -> None:
    pairs = 0
    for group in _DATA["ordering"]:
        refs = [_make(case) for case in group["refs"]]
        for i, j, less in group["lt"]:
            assert (refs[i] < refs[j]) is less, (group["refs"][i], group["refs"][j])
            assert (refs[j] > refs[i]) is less
            pairs += 1
    assert pairs >= 1000


def test_ordering_name_mismatch_vectors() -> None:
    for case in _DATA["ordering_name_mismatch"]:
        left, right = _make(case["left"]), _make(case["right"])
        with pytest.raises(_ERRORS[case["lt"]["error"]]):
            left < right  # noqa: B015


def test_merge_vectors() -> None:
    for case in _DATA["merge"]:
        refs = [_make(spec) for spec in case["refs"]]
        alias_maps = [ref.generate_aliases() for ref in refs]
        if "error" in case:
            with pytest.raises(_ERRORS[case["error"]]):
                functools.reduce(ImageRef.merge_aliases, alias_maps)
            continue
        merged = functools.reduce(ImageRef.merge_aliases, alias_maps)
        assert {alias: ref.canonical for alias, ref in merged.items()} == case["result"]


def test_known_registry_vectors() -> None:
    for value, known, expected in _DATA["known_registry"]:
        assert is_known_registry(value, _known(known)) is expected, (value, known)
