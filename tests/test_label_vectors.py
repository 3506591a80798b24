"""Differential tests against label answers recorded from backend.ai-common 24.3.0rc3.

``tests/data/backendai_24_03_label_vectors.json`` holds what the reference's
``validate_image_labels`` and ``parse_service_ports`` answered for a seeded corpus of
realistic and broken label sets (tools/make_label_vectors.py made it). Records on which
the contract diverges (D11, D12, D13) are marked there; for them these tests check the
divergence instead of the reference's answer.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from imageref import ImageLabelError, ImageLabels, parse_service_ports, validate_image_labels

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_24_03_label_vectors.json").read_text("utf-8")
)
_SPORTS = "ai.backend.service-ports"
_EPORTS = "ai.backend.endpoint-ports"


def _encode(value: Any) -> Any:
    if isinstance(value, PurePosixPath):
        return {"path": str(value)}
    return value


def _bracket_split(text: str) -> list[str]:
    """The contract's entries (D11), computed independently of imageref's scanner."""
    out, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            out.append(current)
            current = ""
            continue
        depth += char == "["
        depth -= char == "]" and depth > 0
        current += char
    return [*out, current]


def _outcome(labels: dict[str, str]) -> tuple[list[list[Any]] | None, set[str]]:
    """(our result as recorded, None on error), and the labels of our problems."""
    try:
        result = validate_image_labels(labels)
    except ImageLabelError as error:
        problems = error.problems
    else:
        return [[key, _encode(value)] for key, value in result.items()], set()
    assert problems
    return None, {problem.label for problem in problems}


def test_vectors_are_substantial() -> None:
    assert _DATA["reference"]["version"] == "24.3.0rc3"
    validate = _DATA["validate"]
    assert len(validate) >= 1000
    assert sum("error" in record for record in validate) >= 300
    plain = [record for record in validate if "divergence" not in record]
    assert sum("error" in record for record in plain) >= 200
    for divergence in ("D11", "D12", "D13"):
        assert sum(divergence in record.get("divergence", ()) for record in validate) >= 5
    assert len(_DATA["service_ports"]) >= 500


def _plain_validate_records() -> list[dict[str, Any]]:
    return [record for record in _DATA["validate"] if "divergence" not in record]


def test_validate_same_answers_outside_divergences() -> None:
    """Valid label sets: the same dict, in the same key order; invalid ones: an error
    naming at least the labels the reference named and at most the labels changed."""
    for record in _plain_validate_records():
        result, problems = _outcome(record["labels"])
        if "result" in record:
            assert result == record["result"], record["labels"]
            continue
        assert result is None, record["labels"]
        assert set(record["error"]["labels"]) <= problems, (record, problems)
        assert problems <= set(record["touched"]), (record, problems)


def test_validate_divergences() -> None:
    """D11: a bracketed list is one entry, checked; D12/D13: a bad entry is an error."""
    for record in _DATA["validate"]:
        if "divergence" not in record:
            continue
        labels = record["labels"]
        text = labels[_SPORTS]
        result, problems = _outcome(labels)
        wants_entry_problem = (
            record["parse_service_ports"] == "error" or "D13" in record["divergence"]
        )
        assert (_SPORTS in problems) == wants_entry_problem, (record, problems)
        if "D12" in record["divergence"] or "D13" in record["divergence"]:
            assert _SPORTS in problems
        others = problems - {_SPORTS, _EPORTS}
        if "result" in record:
            assert not others, (record, problems)
        else:
            named = set(record["error"]["labels"]) - {_SPORTS, _EPORTS}
            assert named <= others <= set(record["touched"]), (record, problems)
        if result is not None:
            assert dict(result)[_SPORTS] == _bracket_split(text)


def test_typed_value_matches_validate_on_vectors() -> None:
    for record in _DATA["validate"]:
        try:
            expected = validate_image_labels(record["labels"])
        except ImageLabelError as error:
            problems = error.problems
        else:
            problems = ()
        if problems:
            with pytest.raises(ImageLabelError) as caught:
                ImageLabels.from_labels(record["labels"])
            assert caught.value.problems == problems
            continue
        value = ImageLabels.from_labels(record["labels"])
        assert value.validated() == expected
        assert ImageLabels.from_labels(value.to_labels()) == value


def _as_recorded(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": item["name"],
            "protocol": item["protocol"].value,
            "container_ports": list(item["container_ports"]),
            "host_ports": list(item["host_ports"]),
            "is_inference": item["is_inference"],
        }
        for item in result
    ]


def test_parse_service_ports_vectors() -> None:
    for record in _DATA["service_ports"]:
        divergent = {"D12", "D13"} & set(record.get("divergence", ()))
        if divergent or "error" in record:
            with pytest.raises(ImageLabelError):
                parse_service_ports(record["text"], record["endpoints"])
            continue
        got = parse_service_ports(record["text"], record["endpoints"])
        assert _as_recorded(got) == record["result"], record
        for item in got:
            assert type(item["container_ports"]) is tuple
            assert type(item["host_ports"]) is tuple
