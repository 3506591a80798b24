"""``ImageRef._parse_image_tag`` on both releases, and 26.09's ``parse_image_tag``.

Backend.AI's manager calls the private ``ImageRef._parse_image_tag(s,
using_default_registry=False)`` when it scans one reference of a registry; both
backend.ai-common 24.3.0rc3 and 26.9.6 have it (a staticmethod), and 26.9.6 also has the
public ``parse_image_tag(image_str, *, using_default_repository=False)``. The answers the
references gave are in ``tests/data/backendai_parse_image_tag_vectors.json``
(tools/make_parse_image_tag_vectors.py recorded them; both releases answered alike).
Facts observed there: the string is split at its last ``:`` (none: tag ``latest``), the
tag is not checked (``python:`` gives the tag ``""``, ``a:!`` the tag ``!``), the flag
puts ``lablup/`` before a name without ``/``, an empty name raises ``InvalidImageName``
(``Invalid image name: Empty image repository/name``), and a non-``str`` fails with
``AttributeError`` (``bytes``: ``TypeError``). imageref screens the string first (D1, D2,
D10, rule 1's ``://``: ``InvalidImageName``) and raises ``ImageRefTypeError`` for a
non-``str`` (D8).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import imageref
from imageref import ImageRefTypeError, InvalidImageName
from imageref.compat import v2403, v2609

_DATA = json.loads(
    (Path(__file__).parent / "data" / "backendai_parse_image_tag_vectors.json").read_text("utf-8")
)
_PREFIX = "Invalid image name: "

Split = Callable[[str, bool], tuple[str, str]]

# Each release's ImageRef, called as the manager calls it (positionally and by keyword),
# and 26.09's public spelling of the same split.
_SPLITS: dict[str, list[Split]] = {
    "24.03": [
        imageref.ImageRef._parse_image_tag,
        lambda s, flag: v2403.ImageRef._parse_image_tag(s, using_default_registry=flag),
        lambda s, flag: imageref.ImageRef("python")._parse_image_tag(s, flag),
    ],
    "26.09": [
        v2609.ImageRef._parse_image_tag,
        lambda s, flag: v2609.ImageRef._parse_image_tag(s, using_default_registry=flag),
        lambda s, flag: v2609.ImageRef.parse_image_tag(s, using_default_repository=flag),
    ],
}


def _records(release: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = _DATA[release]
    return records


@pytest.mark.parametrize("release", ["24.03", "26.09"])
def test_recorded_answers(release: str) -> None:
    records = _records(release)
    assert len(records) > 1000
    answered = divergent = 0
    for split in _SPLITS[release]:
        for record in records:
            value, flag = record["input"], record["using_default_registry"]
            if "divergence" in record:
                divergent += 1
                with pytest.raises(InvalidImageName) as info:
                    split(value, flag)
                assert str(info.value).startswith(_PREFIX)
            elif "error" in record:
                assert record["error"]["class"] == "InvalidImageName"
                with pytest.raises(InvalidImageName) as info:
                    split(value, flag)
                assert str(info.value).startswith(_PREFIX)
            else:
                assert list(split(value, flag)) == record["result"], record
                answered += 1
    assert answered > 2000  # most records are answers, not errors
    assert divergent > 0


def test_both_releases_answered_alike_and_imageref_too() -> None:
    assert _records("24.03") == _records("26.09")
    for record in _records("24.03")[::7]:
        value, flag = record["input"], record["using_default_registry"]
        try:
            want: object = imageref.ImageRef._parse_image_tag(value, flag)
        except InvalidImageName as exc:
            want = str(exc)
        for split in (*_SPLITS["24.03"], *_SPLITS["26.09"]):
            try:
                got: object = split(value, flag)
            except InvalidImageName as exc:
                got = str(exc)
            assert got == want


def test_the_facts_of_the_split() -> None:
    split = imageref.ImageRef._parse_image_tag
    assert split("python") == ("python", "latest")
    assert split("python", True) == ("lablup/python", "latest")
    assert split("foo:bar:baz", using_default_registry=True) == ("lablup/foo:bar", "baz")
    assert split("a/b:1", True) == ("a/b", "1")  # a name with "/" gets no prefix
    assert split("python:") == ("python", "")  # the tag is not checked
    assert split("localhost:5000/python") == ("localhost", "5000/python")
    for empty in ("", ":", ":3.6"):
        with pytest.raises(InvalidImageName, match="empty image name"):
            split(empty)


def test_divergences_and_types() -> None:
    for release in ("24.03", "26.09"):
        for split in _SPLITS[release]:
            for value, reason in [
                ("python:3.6\n", "whitespace"),
                ("a//b:1", "empty path component"),
                ("a/:t", "empty path component"),
                ("http://x/y:1", "URL scheme"),
                ("python@sha256:" + "ab" * 32, "'@digest'"),
            ]:
                with pytest.raises(InvalidImageName, match=reason):
                    split(value, False)
            for bad in (None, 1, b"python:3"):
                with pytest.raises(ImageRefTypeError, match=type(bad).__name__):
                    split(bad, False)  # type: ignore[arg-type]


def test_one_rule_behind_every_spelling() -> None:
    # The three spellings are one function: the staticmethods hold the same object.
    assert imageref.ImageRef._parse_image_tag is v2609.ImageRef._parse_image_tag
    assert v2403.ImageRef is imageref.ImageRef
