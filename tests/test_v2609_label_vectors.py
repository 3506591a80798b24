"""Differential tests of the 26.09 labels against backend.ai-common 26.9.6's recorded answers.

Replays the label and service-port sections; where a record carries a divergence mark
(D11-D13, D16, non-str) the contract's answer is checked instead of the recorded one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from imageref.compat.v2609 import (
    MAX_KERNELSPEC,
    MIN_KERNELSPEC,
    KernelFeatures,
    LabelName,
    parse_service_ports,
    validate_image_labels,
)

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_26_09_vectors.json").read_text("utf-8")
)


def _records(section: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = _DATA[section]
    return records


def _plain(section: str) -> list[dict[str, Any]]:
    return [r for r in _records(section) if "divergence" not in r]


def test_label_constants() -> None:
    constants = _DATA["constants"]
    assert (constants["MIN_KERNELSPEC"], constants["MAX_KERNELSPEC"]) == (
        MIN_KERNELSPEC,
        MAX_KERNELSPEC,
    )
    assert [[m.name, m.value] for m in LabelName] == constants["LabelName"]
    assert [[m.name, m.value] for m in KernelFeatures] == constants["KernelFeatures"]
    for name, value in constants["LabelName"]:
        assert LabelName[name] == value
        assert isinstance(LabelName[name], str)


# ---------------------------------------------------------------------------------------------
# Labels and service ports
# ---------------------------------------------------------------------------------------------

_DEFAULT_FEATURES_TEXT = ["['uid-match']"]  # D16: the reference's default, read as text
_ENTRY_SPLIT = re.compile(r",(?![^\[]*\])")  # a comma outside a bracketed port list


def _label_value(value: Any) -> Any:
    if isinstance(value, PurePosixPath):
        return {"path": str(value)}
    return value


def _labels_json(result: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {str(key): [isinstance(key, LabelName), _label_value(v)] for key, v in result.items()}


def _expected_labels(record: dict[str, Any]) -> dict[str, list[Any]]:
    want = {key: [is_enum, value] for key, is_enum, value in record["result"]}
    marks = set(record.get("divergence", ()))
    if "D16" in marks:
        assert want["ai.backend.features"][1] == _DEFAULT_FEATURES_TEXT
        want["ai.backend.features"][1] = ["uid-match"]
    if marks & {"D11", "D12"}:
        text = record["labels"]["ai.backend.service-ports"]
        want["ai.backend.service-ports"][1] = _ENTRY_SPLIT.split(text)
    return want


def _check_label_error(record: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as info:  # noqa: PT011 - imageref's label error class
        validate_image_labels(record["labels"])
    # D14: every failing label is named in the one exception.
    for label in record.get("error", {}).get("labels", ()):
        assert label in str(info.value), (label, str(info.value))


def _label_outcome_is_error(record: dict[str, Any]) -> bool:
    """Whether the contract answers this label set with an error."""
    marks = set(record.get("divergence", ()))
    if marks & {"D13", "non-str"}:
        return True
    if "error" in record and "labels" in record["error"]:
        return True  # a schema failure, whatever the service ports hold
    if marks & {"D11", "D12"}:
        text = record["labels"]["ai.backend.service-ports"]
        entries = _ENTRY_SPLIT.split(text)
        # An empty label is one (last) empty entry, as on 24.03 and in parse_service_ports.
        empty_inside = any(entry == "" for entry in entries[:-1])
        if record["service_ports_check"] != "ok" or empty_inside:
            return True
        if "error" in record and _is_endpoint_error(record["error"]["message"]):
            # The reference lost the entries it split apart (D11) or skipped (D12), so
            # its verdict on the endpoint ports is not the contract's: decide from the
            # whole entries.
            return _endpoints_fail(record["labels"])
    return "error" in record


def _is_endpoint_error(message: str) -> bool:
    return "endpoint-port" in message


def _endpoints_fail(labels: Mapping[str, str]) -> bool:
    """Whether an endpoint port names no whole ``preopen`` entry (the later of a name wins)."""
    protocols = {}
    for entry in _ENTRY_SPLIT.split(labels["ai.backend.service-ports"]):
        fields = entry.split(":")
        if len(fields) == 3:
            protocols[fields[0]] = fields[1]
    endpoints = labels["ai.backend.endpoint-ports"].split(",")
    return any(protocols.get(name) != "preopen" for name in endpoints)


def test_label_vectors() -> None:
    checked = 0
    for record in _records("labels"):
        if _label_outcome_is_error(record):
            if "non-str" in record.get("divergence", ()):
                with pytest.raises((TypeError, ValueError)):
                    validate_image_labels(record["labels"])
            else:
                _check_label_error(record)
            continue
        got = _labels_json(validate_image_labels(dict(record["labels"])))
        if "result" not in record:
            # Valid only by D11/D12 (the reference's error came from the entries it
            # lost): the service ports are the whole entries, every key a LabelName.
            text = record["labels"]["ai.backend.service-ports"]
            assert got["ai.backend.service-ports"] == [True, _ENTRY_SPLIT.split(text)], record
            continue
        assert got == _expected_labels(record), record["labels"]
        checked += 1
    assert checked >= 200


def test_label_key_order() -> None:
    """The result lists the schema's labels first, then the others in input order."""
    for record in _plain("labels"):
        if "result" in record:
            got = [str(key) for key in validate_image_labels(dict(record["labels"]))]
            assert got == [key for key, _, _ in record["result"]], record["labels"]


def _service_ports_json(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": entry["name"],
            "protocol": next(
                p for p in ("tcp", "http", "preopen", "vnc", "rdp") if entry["protocol"] == p
            ),
            "container_ports": list(entry["container_ports"]),
            "host_ports": list(entry["host_ports"]),
            "is_inference": entry["is_inference"],
        }
        for entry in entries
    ]


def test_service_port_vectors() -> None:
    exceptions: dict[str, type[Exception]] = {"KeyError": KeyError}
    for record in _records("service_ports"):
        exception_cls = exceptions.get(record.get("exception_cls", ""), ValueError)

        def call(r: dict[str, Any] = record, cls: type[Exception] = exception_cls) -> Any:
            return parse_service_ports(r["service_ports"], r["endpoint_ports"], cls)

        if "error" in record or "D13" in record.get("divergence", ()):
            with pytest.raises(exception_cls):
                call()
            continue
        assert _service_ports_json(call()) == record["result"], record
