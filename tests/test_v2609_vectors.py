"""Differential tests against answers recorded from backend.ai-common 26.9.6.

``tests/data/backendai_26_09_vectors.json`` holds what the reference's public API answered for
a generated corpus (tools/make_v2609_vectors.py made it). Records on which the contract
deliberately diverges carry a ``divergence`` list; there the recorded answer is the
reference's, and these tests check the contract's answer instead (see the ``_divergent_*``
helpers). Everywhere else: the same fields, the same exception class, the same aliases in the
same order, the same ordering answers. (The label sections are replayed with the labels
module.)
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import pickle
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import memo_state
from imageref.compat.v2609 import (
    ImageRef,
    InvalidImageName,
    InvalidImageTag,
    ParsedImageStr,
    ProjectMismatchWithCanonical,
    arch_name_aliases,
    default_registry,
    default_repository,
    docker_api_arch_aliases,
)

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_26_09_vectors.json").read_text("utf-8")
)

_ERRORS: dict[str, type[Exception]] = {
    "InvalidImageName": InvalidImageName,
    "InvalidImageTag": InvalidImageTag,
    "ProjectMismatchWithCanonical": ProjectMismatchWithCanonical,
    # The reference raises a bare ValueError for refs of different names or projects.
    "ValueError": ValueError,
}
_NAME_PREFIX = "Invalid image name: "
_TAG_PREFIX = "Invalid or duplicate image name tag: "
_STRING_DIVERGENCES_NAME = {"D1", "D2", "D10"}  # the contract answers InvalidImageName


def _records(section: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = _DATA[section]
    return records


def _plain(section: str) -> list[dict[str, Any]]:
    return [r for r in _records(section) if "divergence" not in r]


def _divergent(section: str) -> list[dict[str, Any]]:
    return [r for r in _records(section) if "divergence" in r]


def _make(fields: Sequence[Any]) -> ImageRef:
    return ImageRef(*fields)


def _fields(ref: ImageRef) -> list[Any]:
    return [ref.name, ref.project, ref.tag, ref.registry, ref.architecture, ref.is_local]


def _tag_set_json(tag_set: tuple[str, Mapping[str, str]]) -> dict[str, Any]:
    version, platform_tags = tag_set
    return {"version": version, "platform_tags": [list(item) for item in platform_tags.items()]}


def _check_error_message(exc: BaseException, value: str) -> None:
    """The 24.03 prefixes are kept, and (D4) a tag error names the full input."""
    message = str(exc)
    if isinstance(exc, InvalidImageName):
        assert message.startswith(_NAME_PREFIX), message
    elif isinstance(exc, InvalidImageTag):
        assert message.startswith(_TAG_PREFIX), message
        assert value in message, (value, message)


def _raises(record: dict[str, Any], call: Callable[[], object], value: str) -> None:
    with pytest.raises(_ERRORS[record["error"]["class"]]) as info:
        call()
    _check_error_message(info.value, value)


# ---------------------------------------------------------------------------------------------
# The vectors themselves and the constants
# ---------------------------------------------------------------------------------------------


def test_vectors_are_substantial() -> None:
    assert _DATA["reference"]["version"] == "26.9.6"
    counts = _DATA["counts"]
    assert counts["parse_image_str"] >= 1500
    assert counts["from_image_str"] >= 2000
    assert counts["parse_image_str_errors"] >= 100
    assert counts["from_image_str_errors"] >= 500
    assert counts["ordering_pairs"] >= 1000
    assert counts["labels"] >= 500
    assert counts["service_ports"] >= 300


def test_constants() -> None:
    constants = _DATA["constants"]
    assert default_registry == constants["default_registry"]
    assert default_repository == constants["default_repository"]
    assert dict(arch_name_aliases) == constants["arch_name_aliases"]
    assert dict(docker_api_arch_aliases) == constants["docker_api_arch_aliases"]
    assert list(ParsedImageStr._fields) == constants["ParsedImageStr_fields"]
    values: list[Any] = ["python", "stable", "3.9-py3", "cr.backend.ai", "x86_64", True]
    positional = ImageRef(*values)
    assert _fields(positional) == values
    keywords = ImageRef(**dict(zip(constants["ImageRef_fields"], values, strict=True)))
    assert keywords == positional


# ---------------------------------------------------------------------------------------------
# parse_image_str / ParsedImageStr
# ---------------------------------------------------------------------------------------------


def _check_parsed(record: dict[str, Any]) -> None:
    value, registry = record["input"], record["registry"]
    if "error" in record:
        _raises(record, lambda: ImageRef.parse_image_str(value, registry), value)
        return
    parsed = ImageRef.parse_image_str(value, registry)
    want = record["result"]
    assert isinstance(parsed, ParsedImageStr)
    assert (parsed.registry, parsed.project_and_image_name, parsed.tag) == (
        want["registry"],
        want["project_and_image_name"],
        want["tag"],
    ), record
    assert parsed.canonical == want["canonical"]
    assert parsed.short == want["short"]
    assert str(parsed) == want["canonical"]
    if "tag_set" in want:
        assert _tag_set_json(parsed.tag_set) == want["tag_set"], record
        return
    error = want["tag_set_error"]
    with pytest.raises(_ERRORS[error["class"]]) as info:
        parsed.tag_set  # noqa: B018
    # D17: the error names the full reference, not just project_and_image_name.
    message = str(info.value)
    assert message.startswith(_TAG_PREFIX), message
    assert value in message or parsed.canonical in message, (value, message)


def test_parse_image_str_vectors() -> None:
    for record in _plain("parse_image_str"):
        _check_parsed(record)


def _check_divergent_string(record: dict[str, Any], call: Callable[[], Any]) -> None:
    marks = set(record["divergence"])
    value = record["input"]
    if marks & _STRING_DIVERGENCES_NAME:
        with pytest.raises(InvalidImageName) as info:
            call()
        assert str(info.value).startswith(_NAME_PREFIX)
        return
    assert marks == {"D7"}, record
    # D7: the reference took the first component for an IP literal; the contract does not, so
    # the answer is either one of the package's errors or a result under another registry.
    first = value.split("/", 1)[0]
    try:
        answer = call()
    except (InvalidImageName, InvalidImageTag, ProjectMismatchWithCanonical):
        return
    if isinstance(answer, ParsedImageStr):
        assert answer.registry != first, record


def _parse_record(record: dict[str, Any]) -> ParsedImageStr:
    return ImageRef.parse_image_str(record["input"], record["registry"])


def test_parse_image_str_divergences() -> None:
    records = _divergent("parse_image_str")
    assert {"D1", "D2", "D7", "D10"} & {d for r in records for d in r["divergence"]}
    for record in records:
        _check_divergent_string(record, functools.partial(_parse_record, record))


# ---------------------------------------------------------------------------------------------
# from_image_str / ImageRef
# ---------------------------------------------------------------------------------------------


def _from_str(record: dict[str, Any]) -> ImageRef:
    return ImageRef.from_image_str(
        record["input"],
        record["project"],
        record["registry"],
        architecture=record["architecture"],
        is_local=record["is_local"],
    )


def _check_ref(ref: ImageRef, want: dict[str, Any], context: object) -> None:
    assert _fields(ref) == want["fields"], context
    assert ref.canonical == want["canonical"], context
    assert ref.short == want["short"], context
    assert str(ref) == want["canonical"]
    assert repr(ref) == f'<ImageRef: "{want["canonical"]}" ({want["fields"][4]})>'
    assert _tag_set_json(ref.tag_set) == {
        "version": want["version"],
        "platform_tags": want["platform_tags"],
    }, context


def test_from_image_str_vectors() -> None:
    for record in _plain("from_image_str"):
        if "project_divergence" in record:
            continue
        if "error" in record:
            with pytest.raises(_ERRORS[record["error"]["class"]]) as info:
                _from_str(record)
            _check_error_message(info.value, record["input"])
            if isinstance(info.value, ProjectMismatchWithCanonical):
                parsed = ImageRef.parse_image_str(record["input"], record["registry"])
                assert record["project"] in str(info.value)
                assert parsed.canonical in str(info.value)
            continue
        ref = _from_str(record)
        _check_ref(ref, record["result"], record)
        # The same ref, built the way the manager builds it from a database row.
        assert _make(record["result"]["fields"]) == ref


@pytest.mark.parametrize("limit", [1, 3])
def test_from_image_str_vectors_with_tiny_memo_tables(limit: int) -> None:
    """The memo tables (tags, suffixes, registry arguments) change the speed, not the answers."""
    with memo_state.limits(limit):
        test_from_image_str_vectors()
        test_from_image_str_divergences()


def test_from_image_str_divergences() -> None:
    for record in _divergent("from_image_str"):
        _check_divergent_string(record, functools.partial(_from_str, record))
    projects = [r for r in _records("from_image_str") if "project_divergence" in r]
    assert projects
    for record in projects:
        with pytest.raises(ValueError):  # noqa: PT011 - a project with an empty component
            _from_str(record)


def test_from_image_str_equality_hash_copy_pickle() -> None:
    results = [r["result"] for r in _plain("from_image_str") if "result" in r]
    for want in results[::7]:
        ref = _make(want["fields"])
        twin = _make(want["fields"])
        assert ref == twin
        assert hash(ref) == hash(twin)
        other_local = _make([*want["fields"][:5], not want["fields"][5]])
        assert ref != other_local  # is_local counts for equality ...
        assert hash(ref) == hash(other_local)  # ... but not for the hash
        for clone in (copy.copy(ref), copy.deepcopy(ref), pickle.loads(pickle.dumps(ref))):
            assert clone == ref
            assert _fields(clone) == want["fields"]
            assert clone.tag_set == ref.tag_set


def test_parse_image_tag_vectors() -> None:
    for record in _plain("parse_image_tag"):
        value, default = record["input"], record["using_default_repository"]

        def call(value: str = value, default: bool = default) -> tuple[str, str]:
            return ImageRef.parse_image_tag(value, using_default_repository=default)

        if "error" in record:
            _raises(record, call, value)
        else:
            assert list(call()) == record["result"], record
    for record in _divergent("parse_image_tag"):
        with pytest.raises(InvalidImageName):
            ImageRef.parse_image_tag(
                record["input"], using_default_repository=record["using_default_repository"]
            )


def test_from_image_config_vectors() -> None:
    for record in _records("from_image_config"):
        config = record["config"]
        if "result" in record:
            _check_ref(ImageRef.from_image_config(config), record["result"], config)
        elif record["error"]["class"] in _ERRORS:
            with pytest.raises(_ERRORS[record["error"]["class"]]):
                ImageRef.from_image_config(config)
        else:
            # A missing key or a registry that is not a mapping: the reference lets KeyError or
            # TypeError escape; imageref names the missing or malformed part in its own error.
            with pytest.raises((KeyError, TypeError, ValueError)):
                ImageRef.from_image_config(config)


# ---------------------------------------------------------------------------------------------
# Ordering, aliases, merging
# ---------------------------------------------------------------------------------------------


def test_ordering_vectors() -> None:
    pairs = 0
    for group in _records("ordering"):
        refs = [_make(fields) for fields in group["refs"]]
        for i, j, less, equal in group["lt"]:
            context = (group["refs"][i], group["refs"][j])
            assert (refs[i] < refs[j]) is less, context
            assert (refs[j] > refs[i]) is less, context
            assert (refs[i] == refs[j]) is equal, context
            pairs += 1
    assert pairs >= 1000


def test_ordering_mismatch_vectors() -> None:
    for record in _records("ordering_mismatch"):
        left, right = _make(record["left"]), _make(record["right"])
        if isinstance(record["lt"], bool):
            assert (left < right) is record["lt"]
            continue
        with pytest.raises(_ERRORS[record["lt"]["error"]["class"]]):
            left < right  # noqa: B015


def test_ordering_other_types() -> None:
    ref = _make(["python", "stable", "3.9", "cr.backend.ai", "x86_64", False])
    assert ref.__eq__(object()) is NotImplemented
    assert ref.__lt__(object()) is NotImplemented
    assert ref != "cr.backend.ai/stable/python:3.9"
    with pytest.raises(TypeError):
        ref < 1  # noqa: B015


def test_alias_vectors() -> None:
    for record in _records("aliases"):
        ref = _make(record["fields"])
        aliases = ref.generate_aliases()
        keys = list(aliases)
        assert all(value is ref for value in aliases.values())
        assert len(keys) == record["count"], record["fields"]
        if "keys" in record:
            assert keys == record["keys"], record["fields"]
            continue
        digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        for position, key in record["sample"]:
            assert keys[position] == key, record["fields"]
        assert digest == record["sha256"], record["fields"]


def test_merge_vectors() -> None:
    for record in _records("merge"):
        refs = [_make(fields) for fields in record["refs"]]
        maps = [ref.generate_aliases() for ref in refs]
        if "error" in record:
            with pytest.raises(_ERRORS[record["error"]["class"]]):
                functools.reduce(ImageRef.merge_aliases, maps)
            continue
        merged = functools.reduce(ImageRef.merge_aliases, maps)
        got = {alias: next(i for i, r in enumerate(refs) if r is merged[alias]) for alias in merged}
        assert got == record["result"], record["refs"]
