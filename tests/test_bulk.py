"""The bulk readers (issue 18) answer exactly what the one-reference constructor answers.

``ImageRefParser.parse_many`` and ``ImageRefParser.parse_tags`` give one outcome per
input, in order: the :class:`ImageRef` that ``ImageRef(value, known, architecture)``
gives, or the :class:`ImageRefError` it raises (same class, same message), never
raising for one bad input. Their fast paths (the repository read once, the tags
checked in one pass, ``REFERENCE``'s one-match reading, the parser's pattern of its
known registries) are held here to that answer over generated input: valid
references, near misses, hostile text, every error class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memo_state
import strategies as gen
from imageref import (
    ImageRef,
    ImageRefError,
    ImageRefParser,
    ImageRefTypeError,
    InvalidImageName,
    InvalidImageTag,
)
from imageref._grammar import MAIN_VERSION
from imageref._reference import heads, known_pattern, parse_reference
from imageref._tags import (
    check_tag,
    is_main_version,
    is_valid_tag,
    valid_suffixes,
    valid_tags,
    valid_tags_of,
)
from imageref.compat import v2609
from imageref.compat.v2609 import ImageRef as V2609Ref

Outcome = tuple[str, Any]


def _outcome(made: object) -> Outcome:
    """What a ref or an error says: every field, or the error's class and message."""
    if isinstance(made, ImageRefError):
        return type(made).__name__, str(made)
    assert isinstance(made, ImageRef), made
    return "ok", (made.to_dict(), made.is_local)


def _one(call: Callable[[], ImageRef]) -> Outcome:
    try:
        return _outcome(call())
    except ImageRefError as exc:
        return _outcome(exc)


configs = st.one_of(gen.known_registries(), gen.boundary_configs())
architectures = st.one_of(st.none(), gen.architectures())

repositories = st.one_of(
    gen.paths(),
    st.builds(lambda registry, path: f"{registry}/{path}", gen.registries(), gen.paths()),
    st.builds(lambda ref: ref.rpartition(":")[0] or ref, gen.reference_text()),
    gen.boundary_references(),
    gen.hostile_text(),
)
tag_texts = st.one_of(
    gen.tags(),
    gen.tags(),
    gen.boundary_tags(),
    gen.near_misses(gen.tags()),
    st.sampled_from(["", "latest", "a:b", "a/b", "a@b", "1.0 ", "1-py3-py3", "x" * 200]),
    gen.hostile_text(),
)


@given(
    configs,
    architectures,
    st.lists(st.one_of(gen.reference_text(), gen.boundary_references()), max_size=12),
)
def test_parse_many_gives_each_references_own_outcome(
    known: Any, arch: str | None, values: list[str]
) -> None:
    parser = ImageRefParser(known)
    stored = "x86_64" if arch is None else arch
    expected = [_one(lambda v=v: ImageRef(v, known, stored)) for v in values]  # type: ignore[misc]
    got = parser.parse_many(values, architecture=arch)
    assert [_outcome(x) for x in got] == expected
    # A second reading (the tables now hold some parts) answers the same.
    assert [_outcome(x) for x in parser.parse_many(values, architecture=arch)] == expected


@given(configs, architectures, repositories, st.lists(tag_texts, max_size=12))
def test_parse_tags_gives_each_tags_own_outcome(
    known: Any, arch: str | None, repository: str, tags: list[str]
) -> None:
    parser = ImageRefParser(known)
    stored = "x86_64" if arch is None else arch
    expected = [
        _one(lambda t=t: ImageRef(f"{repository}:{t}", known, stored))  # type: ignore[misc]
        for t in tags
    ]
    got = parser.parse_tags(repository, tags, architecture=arch)
    assert [_outcome(x) for x in got] == expected
    memo_state.clear()  # from empty tables too
    assert [_outcome(x) for x in parser.parse_tags(repository, iter(tags), architecture=arch)] == (
        expected
    )


@given(configs, st.one_of(gen.reference_text(), gen.boundary_references()))
def test_the_one_match_readings_answer_as_the_steps_do(known: Any, value: str) -> None:
    """``REFERENCE`` and a parser's pattern of its registries give the answer (or the
    error) of the four steps, which a pattern that never matches leaves alone."""

    class Never:
        @staticmethod
        def fullmatch(_text: str) -> None:
            return None

    def read(pattern: Any) -> Outcome:
        try:
            return "ok", parse_reference(value, known, pattern)
        except ImageRefError as exc:
            return type(exc).__name__, str(exc)

    if isinstance(known, (str, bytes)):
        return
    steps = read(Never())
    assert read(parse_reference.__defaults__[0]) == steps  # type: ignore[index]
    assert read(known_pattern(known)) == steps
    memo_state.clear()
    assert read(known_pattern(known)) == steps


@given(st.lists(tag_texts, max_size=12))
def test_tags_are_checked_in_one_pass_as_one_by_one(tags: list[str]) -> None:
    assert valid_tags_of(tags) == [is_valid_tag(tag) for tag in tags]
    for tag, valid in zip(tags, valid_tags_of(tags), strict=True):
        try:
            check_tag(tag, tag)
        except InvalidImageTag:
            assert not valid, tag
        else:
            assert valid, tag


def test_every_error_class_comes_back_in_place() -> None:
    parser = ImageRefParser(["cr.backend.ai"])
    values = [
        "cr.backend.ai/a/b:1.0",
        "a//b:1",  # empty component
        "http://x/y:1",  # a URL
        "a b:1",  # a space
        "a:1@sha256:00",  # a bad digest
        "cr.backend.ai/:1",  # empty name
        "a:!",  # not a slug
        "a:1-py3-py3",  # a key twice
        "a:1-3x",  # a platform tag that is not one
        "python",
    ]
    got = parser.parse_many(values)
    kinds = [type(x) for x in got]
    assert kinds == [
        ImageRef,
        InvalidImageName,
        InvalidImageName,
        InvalidImageName,
        InvalidImageName,
        InvalidImageName,
        InvalidImageTag,
        InvalidImageTag,
        InvalidImageTag,
        ImageRef,
    ]
    tags = ["1.0", "", "!", "1-py3-py3", "1-3x", "a:b", "a b", "latest"]
    for repository in ["cr.backend.ai/a/b", "", "a//b", "cr.backend.ai/"]:
        for tag, made in zip(tags, parser.parse_tags(repository, tags), strict=True):
            assert _outcome(made) == _one(lambda t=tag, r=repository: parser.parse(f"{r}:{t}"))  # type: ignore[misc]


def test_wrong_argument_types_still_raise() -> None:
    parser = ImageRefParser()
    with pytest.raises(ImageRefTypeError):
        parser.parse_many("python:3.9")
    with pytest.raises(ImageRefTypeError):
        parser.parse_many(["python", 3])  # type: ignore[list-item]
    with pytest.raises(ImageRefTypeError):
        parser.parse_tags(b"python", ["3.9"])  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        parser.parse_tags("python", "3.9")
    with pytest.raises(ImageRefTypeError):
        parser.parse_tags("python", ["3.9", None])  # type: ignore[list-item]
    with pytest.raises(ImageRefTypeError):
        parser.parse_many([], architecture=3)  # type: ignore[arg-type]


def test_bulk_readings_take_str_subclasses_as_their_text() -> None:
    class Text(str):
        pass

    parser = ImageRefParser()
    (ref,) = parser.parse_tags(Text("python"), [Text("3.9")])
    assert isinstance(ref, ImageRef)
    assert type(ref.tag) is str
    assert ref.canonical == "index.docker.io/lablup/python:3.9"
    (ref,) = parser.parse_many([Text("python:3.9")])
    assert isinstance(ref, ImageRef)
    assert type(ref.tag) is str


def test_the_parser_memo_rests_on_new_references() -> None:
    """One caching policy: a memo that does not answer stops storing (imageref._memo)."""
    parser = ImageRefParser(cache_size=64)
    memo = parser._memo
    assert memo is not None
    for i in range(32):  # a window of new references, none asked for twice
        parser.parse(f"python{i}:1")
    assert memo.rest
    kept = dict(memo.entries)
    for i in range(100):
        parser.parse(f"other{i}:1")
    assert memo.entries == kept  # nothing new stored, lookups go on
    assert parser.parse("python0:1") is kept["python0:1"]


def test_a_known_registries_list_changed_in_place_is_read_again() -> None:
    """The constructor keeps the last list's pattern; a list whose names change is new."""
    known = ["cr.example.com"]
    assert ImageRef("cr.example.com/a/b:1.0-py3", known).registry == "cr.example.com"
    known[0] = "other.example.com"
    ref = ImageRef("cr.example.com/c/d:2.0-py3", known)
    assert (ref.registry, ref.name) == ("index.docker.io", "cr.example.com/c/d")
    known.append("cr.example.com")
    ref = ImageRef("cr.example.com/e/f:3.0-py3", known)
    assert (ref.registry, ref.name) == ("cr.example.com", "e/f")


def test_a_resting_head_table_keeps_no_tag_of_a_configured_registry() -> None:
    """On a configured registry the match decides the tag: while the head table rests,
    the tag is not kept alone (and a resting tag table counts the offer down)."""
    memo_state.clear()
    heads.rest = 5
    ref = ImageRef("cr.example.com/a/b:7.1-cuda11", ["cr.example.com"])
    assert (ref.registry, ref.name, ref.tag) == ("cr.example.com", "a/b", "7.1-cuda11")
    assert (heads.rest, heads.last) == (4, "cr.example.com/a/b")
    assert "7.1-cuda11" not in valid_tags.entries
    heads.rest = 0
    valid_tags.rest = 5
    ImageRef("cr.example.com/a/c:7.2-cuda11", ["cr.example.com"])
    assert "cr.example.com/a/c" in heads.entries
    assert (valid_tags.rest, valid_tags.last) == (4, "7.2-cuda11")
    memo_state.clear()


# ---------------------------------------------------------------------------
# Backend.AI 26.09's surface: from_image_str per input
# ---------------------------------------------------------------------------

projects = st.one_of(
    st.none(), st.sampled_from(["", "stable", "team/a", "a//b", "x y"]), gen.paths()
)
registries_2609 = st.one_of(
    st.none(), st.sampled_from(["", "*", "cr.backend.ai", "127.0.0.1:5000", "a b"])
)


@given(
    projects,
    registries_2609,
    gen.architectures(),
    st.booleans(),
    repositories,
    st.lists(tag_texts, max_size=8),
)
def test_v2609_bulk_readings_give_each_inputs_own_outcome(
    project: str | None,
    registry: str | None,
    arch: str,
    is_local: bool,
    repository: str,
    tags: list[str],
) -> None:
    def one(value: str) -> Outcome:
        try:
            made: object = V2609Ref.from_image_str(
                value, project, registry, architecture=arch, is_local=is_local
            )
        except ImageRefError as exc:
            made = exc
        return _outcome_2609(made)

    values = [f"{repository}:{tag}" for tag in tags]
    expected = [one(value) for value in values]
    options: dict[str, Any] = {"architecture": arch, "is_local": is_local}
    got = v2609.parse_tags(repository, tags, project, registry, **options)
    assert [_outcome_2609(x) for x in got] == expected
    got = v2609.parse_many(values, project, registry, **options)
    assert [_outcome_2609(x) for x in got] == expected


def _outcome_2609(made: object) -> Outcome:
    if isinstance(made, ImageRefError):
        return type(made).__name__, str(made)
    assert isinstance(made, V2609Ref), made
    return "ok", (made.to_dict(), made.project, made.registry, made.is_local)


def test_v2609_wrong_argument_types_still_raise() -> None:
    with pytest.raises(ImageRefTypeError):
        v2609.parse_many(["python"], 3, None)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        v2609.parse_tags("python", ["1"], None, None, is_local=1)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        v2609.parse_tags("python", "1", None, None)
    with pytest.raises(ImageRefTypeError):
        v2609.parse_tags(None, ["1"], None, None)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        v2609.parse_many(["python", 1], None, None)  # type: ignore[list-item]


@given(
    st.one_of(
        gen.main_versions(),
        gen.near_misses(gen.main_versions()),
        st.text(max_size=12),
        st.text(alphabet="aZ09._-/: \u00e9", max_size=12),
    )
)
def test_the_main_version_reading_follows_its_pattern(text: str) -> None:
    assert is_main_version(text) == (MAIN_VERSION.fullmatch(text) is not None)


def test_a_tag_is_valid_by_its_suffix_only_when_its_main_version_is() -> None:
    memo_state.clear()
    assert valid_tags_of(["1.0-py3-cuda11"]) == [True]  # the suffix is now known valid
    assert "py3-cuda11" in valid_suffixes.entries
    tags = ["2.0-py3-cuda11", "-py3-cuda11", ".2-py3-cuda11", "2!-py3-cuda11", "\u00e9-py3-cuda11"]
    assert valid_tags_of(tags) == [True, False, False, False, False]
    assert valid_tags_of(tags) == [is_valid_tag(tag) for tag in tags]
