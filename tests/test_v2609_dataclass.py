"""26.09's ``ImageRef`` where a dataclass is expected: ``dataclasses`` and pydantic v2.

In backend.ai-common 26.9.6 ``ImageRef`` is a (mutable) dataclass, and Backend.AI main
declares pydantic v2 model fields typed ``ImageRef`` and ``ImageRef | None`` (image events,
the agent's kernel registry). Observed there (pydantic 2.13, Python 3.13), and held here:

- ``dataclasses.is_dataclass`` is True for the class and a ref; ``fields`` are ``name``,
  ``project``, ``tag``, ``registry``, ``architecture``, ``is_local`` in that order, every
  one an ``__init__`` argument without a default; ``asdict`` / ``astuple`` give those six
  values; ``replace`` builds a new ref through the constructor (a tag with a repeated
  platform key raises ``InvalidImageTag`` there).
- A model with such fields can be defined; it takes a ref as it is (the same object) or the
  dict ``{"name", "project", "tag", "registry", "architecture", "is_local"}`` (checked like
  the constructor: the architecture ``arm64`` is stored as ``aarch64``, repeated platform
  keys are a ``ValidationError`` with a value error; extra keys are ignored; a ``str``, a
  missing field or a non-``str`` tag is a ``ValidationError``), and ``model_dump`` /
  ``model_dump_json`` give that dict. Its JSON schema has the six properties, all required.

imageref differs where its contract does: the fields stay read-only (D9; the reference's
dataclass lets ``ref.tag = ...`` through), and ``registry`` is typed ``str | None`` (the
field-wise constructor takes None, as the reference's does at run time).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from imageref.compat import _v2609_ref
from imageref.compat.v2609 import ImageRef, InvalidImageName, InvalidImageTag
from strategies import architectures, paths, registries, tags

_FIELDS = ("name", "project", "tag", "registry", "architecture", "is_local")
_DICT: dict[str, Any] = {
    "name": "python",
    "project": "stable",
    "tag": "3.9-ubuntu20.04",
    "registry": "cr.backend.ai",
    "architecture": "x86_64",
    "is_local": False,
}


def _ref(**changes: Any) -> ImageRef:
    return ImageRef(**{**_DICT, **changes})


class Event(BaseModel):
    image: ImageRef
    previous: ImageRef | None = None


# ---------------------------------------------------------------------------------------------
# dataclasses
# ---------------------------------------------------------------------------------------------


def test_is_a_dataclass_of_the_six_fields() -> None:
    ref = _ref()
    assert dataclasses.is_dataclass(ImageRef)
    assert dataclasses.is_dataclass(ref)
    fields = dataclasses.fields(ref)
    assert tuple(field.name for field in fields) == _FIELDS
    for field in fields:
        assert field.init
        assert field.default is dataclasses.MISSING
        assert field.default_factory is dataclasses.MISSING
    assert ImageRef.__match_args__ == _FIELDS


def test_asdict_and_astuple_are_the_six_fields() -> None:
    ref = ImageRef.from_image_str(
        "cr.backend.ai/stable/python:3.9-ubuntu20.04", "stable", "cr.backend.ai"
    )
    assert dataclasses.asdict(ref) == _DICT
    assert dataclasses.astuple(ref) == tuple(_DICT.values())
    assert ImageRef(**dataclasses.asdict(ref)) == ref
    # The tag's record is no field: reading tag_set first changes nothing.
    assert ref.tag_set[0] == "3.9"
    assert dataclasses.asdict(ref) == _DICT


def test_replace_makes_a_new_checked_ref() -> None:
    ref = _ref()
    newer = dataclasses.replace(ref, tag="3.10-ubuntu20.04", architecture="arm64")
    assert newer is not ref
    assert (newer.tag, newer.architecture, newer.tag_set[0]) == (
        "3.10-ubuntu20.04",
        "aarch64",
        "3.10",
    )
    assert ref.tag == "3.9-ubuntu20.04"
    assert newer == ref.replace(tag="3.10-ubuntu20.04", architecture="arm64")
    assert dataclasses.replace(ref) == ref
    with pytest.raises(InvalidImageTag):
        dataclasses.replace(ref, tag="3.9-py3-py3")
    with pytest.raises(InvalidImageName):
        dataclasses.replace(ref, name="py thon")
    with pytest.raises(TypeError):
        dataclasses.replace(ref, canonical="x")  # type: ignore[call-arg]  # not a field


def test_fields_stay_read_only() -> None:
    ref = _ref()
    for name in (*_FIELDS, "extra", "_record", "__class__"):
        with pytest.raises(AttributeError, match="read-only"):
            setattr(ref, name, "x")
    for name in (*_FIELDS, "_record"):
        with pytest.raises(AttributeError, match="read-only"):
            delattr(ref, name)
    assert dataclasses.asdict(ref) == _DICT
    assert type(ref) is ImageRef
    assert not hasattr(ref, "__dict__")


def test_value_behaviour_is_unchanged() -> None:
    ref = _ref(tag="3.9-py3")
    twin = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9-py3", "stable", "cr.backend.ai")
    assert ref == twin
    assert hash(ref) == hash(twin)
    assert ref != _ref(tag="3.9-py3", is_local=True)
    assert hash(ref) == hash(_ref(tag="3.9-py3", is_local=True))
    assert repr(ref) == '<ImageRef: "cr.backend.ai/stable/python:3.9-py3" (x86_64)>'
    assert str(ref) == ref.canonical
    assert sorted([_ref(tag="3.10"), _ref(tag="3.9")])[0].tag == "3.9"
    for clone in (pickle.loads(pickle.dumps(ref)), copy.copy(ref), copy.deepcopy(ref)):
        assert clone == ref
        assert type(clone) is ImageRef


def test_refs_are_built_as_drafts_of_the_same_layout() -> None:
    # from_image_str and the constructor fill a _Draft and assign __class__, which
    # CPython allows only between classes of one layout: the same slots, in order.
    assert _v2609_ref._Draft.__slots__ == ImageRef.__slots__ == _FIELDS
    assert _v2609_ref._Draft.__bases__ == ImageRef.__bases__
    assert type(ImageRef.from_image_str("cr/stable/python:3.9", "stable", "cr")) is ImageRef
    assert type(ImageRef(**_DICT)) is ImageRef


def test_a_subclass_is_built_slot_by_slot() -> None:
    class Mine(ImageRef):
        __slots__ = ("note",)

    ref = Mine.from_image_str("cr/stable/python:3.9", "stable", "cr")
    assert type(ref) is Mine
    assert dataclasses.asdict(ref)["name"] == "python"
    assert type(Mine(**_DICT)) is Mine
    assert type(ref.replace(tag="3.10")) is Mine
    with pytest.raises(AttributeError):
        ref.tag = "1"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# pydantic v2
# ---------------------------------------------------------------------------------------------


def test_model_takes_a_ref_as_it_is() -> None:
    ref = _ref()
    event = Event(image=ref)
    assert event.image is ref
    assert event.previous is None
    assert Event(image=ref, previous=ref).previous is ref


def test_model_takes_the_dict_form_checked_like_the_constructor() -> None:
    event = Event.model_validate({"image": _DICT, "previous": {**_DICT, "architecture": "arm64"}})
    assert event.image == _ref()
    assert type(event.image) is ImageRef
    assert event.previous is not None
    assert event.previous.architecture == "aarch64"
    assert event.image.tag_set[1] == {"ubuntu": "20.04"}
    extra = {**_DICT, "extra": 1}
    assert Event.model_validate({"image": extra}).image == _ref()  # extra keys are ignored
    with pytest.raises(AttributeError):
        event.image.tag = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "error_type"),
    [
        ({**_DICT, "tag": "3.9-py3-py3"}, "value_error"),  # InvalidImageTag from the checks
        ({**_DICT, "name": "py thon"}, "value_error"),  # InvalidImageName (D1)
        ({**_DICT, "tag": 5}, "string_type"),
        ({"name": "python"}, "missing"),
        ("cr.backend.ai/stable/python:3.9", "dataclass_type"),
    ],
)
def test_model_refuses_bad_input(value: Any, error_type: str) -> None:
    with pytest.raises(ValidationError) as info:
        Event.model_validate({"image": value})
    assert error_type in {error["type"] for error in info.value.errors()}


def test_model_dumps_the_dict_form() -> None:
    ref = ImageRef.from_image_str(
        "cr.backend.ai/stable/python:3.9-ubuntu20.04", "stable", "cr.backend.ai"
    )
    event = Event(image=ref)
    assert event.model_dump() == {"image": _DICT, "previous": None}
    assert json.loads(event.model_dump_json()) == {"image": _DICT, "previous": None}
    assert event.model_dump(mode="json") == {"image": _DICT, "previous": None}
    assert Event.model_validate_json(event.model_dump_json()).image == ref
    assert Event.model_validate(event.model_dump()) == event


def test_model_json_schema_has_the_six_required_fields() -> None:
    schema = Event.model_json_schema()
    (definition,) = schema["$defs"].values()
    assert tuple(definition["properties"]) == _FIELDS
    assert definition["required"] == list(_FIELDS)
    assert schema["required"] == ["image"]


# ---------------------------------------------------------------------------------------------
# Round trips over generated refs
# ---------------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(
    project=st.one_of(st.none(), st.just(""), paths()),
    name=paths(),
    tag=tags(),
    registry=st.one_of(st.none(), registries()),
    arch=architectures(),
    is_local=st.booleans(),
)
def test_dict_form_round_trips(
    project: str | None, name: str, tag: str, registry: str | None, arch: str, is_local: bool
) -> None:
    ref = ImageRef(name, project, tag, registry, arch, is_local)
    as_dict = dataclasses.asdict(ref)
    assert as_dict == dict(zip(_FIELDS, _values(ref), strict=True))
    assert ImageRef(**as_dict) == ref
    assert dataclasses.replace(ref) == ref
    event = Event(image=ref)
    assert event.model_dump()["image"] == as_dict
    back = Event.model_validate_json(event.model_dump_json()).image
    assert back == ref
    assert back.tag_set == ref.tag_set
    assert Event.model_validate({"image": as_dict}).image == ref


def _values(ref: ImageRef) -> tuple[Any, ...]:
    return tuple(getattr(ref, field) for field in _FIELDS)
