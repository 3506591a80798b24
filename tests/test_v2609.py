"""Backend.AI 26.09 references: every statement and divergence of the contract's reference part,
the decisions taken where it is silent, and properties that the 24.03 and 26.09 surfaces
agree where the releases agree."""

from __future__ import annotations

import copy
import functools
import pickle
import sys
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import imageref
import memo_state
from imageref import ImageRefError, ImageRefTypeError
from imageref.compat import v2403, v2609
from imageref.compat.v2609 import (
    ImageRef,
    InvalidImageName,
    InvalidImageTag,
    ParsedImageStr,
    PlatformTagSet,
    ProjectMismatchWithCanonical,
)
from strategies import architectures, paths, registries, tags

_V2403 = imageref.ImageRef
_NAME = "Invalid image name: "
_TAG = "Invalid or duplicate image name tag: "


def _fields(ref: ImageRef) -> tuple[Any, ...]:
    return (ref.name, ref.project, ref.tag, ref.registry, ref.architecture, ref.is_local)


def _row(name: str = "python", project: str | None = "stable", tag: str = "3.9") -> ImageRef:
    return ImageRef(name, project, tag, "cr.backend.ai", "x86_64", False)


def _raises(cls: type[Exception], call: Callable[[], object], *parts: str) -> str:
    """*call* raises *cls* (one of the package's errors) whose message names each of *parts*."""
    with pytest.raises(cls) as info:
        call()
    assert isinstance(info.value, ImageRefError)
    message = str(info.value)
    for part in parts:
        assert part in message, (part, message)
    return message


# ---------------------------------------------------------------------------------------------
# The modules
# ---------------------------------------------------------------------------------------------


def test_v2403_names_what_import_imageref_gives() -> None:
    for name in v2403.__all__:
        assert getattr(v2403, name) is getattr(imageref, name)


def test_v2609_shares_the_unchanged_names() -> None:
    for name in (
        "PlatformTagSet",
        "InvalidImageName",
        "InvalidImageTag",
        "arch_name_aliases",
        "docker_api_arch_aliases",
        "default_registry",
        "default_repository",
    ):
        assert getattr(v2609, name) is getattr(imageref, name)
    assert set(v2609.__all__) <= set(dir(v2609))
    assert issubclass(ProjectMismatchWithCanonical, ValueError)
    assert issubclass(ProjectMismatchWithCanonical, ImageRefError)


# ---------------------------------------------------------------------------------------------
# parse_image_str
# ---------------------------------------------------------------------------------------------


def _parsed(value: str, registry: str | None = None) -> tuple[str, str, str]:
    return tuple(ImageRef.parse_image_str(value, registry))  # type: ignore[return-value]


@pytest.mark.parametrize("value", ["http://x/y", "//x/y", "a://b", "x/a://b:1"])
def test_parse_url_scheme_is_an_invalid_name(value: str) -> None:
    _raises(InvalidImageName, lambda: ImageRef.parse_image_str(value, "x"), _NAME, value)


@pytest.mark.parametrize("registry", [None, "docker.io", "cr.backend.ai", "*", ""])
def test_parse_without_slash_uses_the_default_registry(registry: str | None) -> None:
    assert _parsed("x:1", registry) == ("index.docker.io", "lablup/x", "1")


def test_parse_registry_choice() -> None:
    # the first component is the registry when it equals the argument ...
    assert _parsed("cr.backend.ai/stable/python:3.9", "cr.backend.ai") == (
        "cr.backend.ai",
        "stable/python",
        "3.9",
    )
    assert _parsed("REG/x", "reg") == ("reg", "REG/x", "latest")  # exact, case kept
    # ... when the argument is "*" ...
    assert _parsed("foo.docker.io/x", "*") == ("foo.docker.io", "lablup/x", "latest")
    assert _parsed("*/x:1", "*") == ("*", "x", "1")
    # ... or when it is an IP literal (with a port; IPv6 bracketed)
    assert _parsed("127.0.0.1:5000/p/x:1", "cr")[0] == "127.0.0.1:5000"
    assert _parsed("[::1]:5000/x", None)[:2] == ("[::1]:5000", "x")
    # otherwise the argument is the registry and the whole text the name
    assert _parsed("myregistry.org/lua", "cr") == ("cr", "myregistry.org/lua", "latest")
    assert _parsed("a/b", "127.0.0.1") == ("127.0.0.1", "a/b", "latest")
    # the default registry is the registry only when asked for (unlike 24.03)
    assert _parsed("index.docker.io/x:1") == ("index.docker.io", "index.docker.io/x", "1")
    assert _parsed("index.docker.io/x:1", "index.docker.io")[1] == "lablup/x"


def test_parse_registry_argument_empty_is_kept() -> None:
    parsed = ImageRef.parse_image_str("x/y:1", "")
    assert tuple(parsed) == ("", "x/y", "1")
    assert parsed.canonical == "/x/y:1"  # literally, as the reference


def test_parse_name_and_tag() -> None:
    assert _parsed("foo:bar:baz") == ("index.docker.io", "lablup/foo:bar", "baz")
    assert _parsed("docker.io/x:1", "docker.io") == ("docker.io", "lablup/x", "1")
    assert _parsed("foo/x:1", "docker.io") == ("docker.io", "foo/x", "1")
    assert _parsed("cr/x", "cr") == ("cr", "x", "latest")  # not Docker Hub: no prefix
    _raises(InvalidImageName, lambda: ImageRef.parse_image_str(":1"), _NAME)
    _raises(InvalidImageName, lambda: ImageRef.parse_image_str(""), _NAME)
    _raises(InvalidImageName, lambda: ImageRef.parse_image_str("x/:1", "x"), _NAME, "x/:1")


@pytest.mark.parametrize("value", ["a:!", "python:", "localhost:5000/python", "a:-x-"])
def test_parse_tag_is_a_slug(value: str) -> None:
    _raises(InvalidImageTag, lambda: ImageRef.parse_image_str(value), _TAG, value)


def test_parsed_image_str() -> None:
    parsed = ImageRef.parse_image_str("reg.io/a/b:1.0-py36", registry="reg.io")
    assert isinstance(parsed, tuple)
    assert parsed._fields == ("registry", "project_and_image_name", "tag")
    assert parsed == ("reg.io", "a/b", "1.0-py36")
    assert parsed.canonical == str(parsed) == "reg.io/a/b:1.0-py36"
    assert parsed.short == "a/b:1.0-py36"
    assert parsed.tag_set == ("1.0", PlatformTagSet(["py36"]))
    assert ParsedImageStr("r", "p/x", "1")._replace(tag="2").canonical == "r/p/x:2"


def test_platform_tags_are_read_only_by_tag_set_and_name_the_reference() -> None:
    """D17: the error names the full reference, not only project_and_image_name."""
    for value in ("reg.io/a/b:1.0-py3.6.x", "reg.io/a/b:1.0-py3-py3", "reg.io/a/b:3.6--x"):
        parsed = ImageRef.parse_image_str(value, "reg.io")  # no error yet
        _raises(InvalidImageTag, lambda p=parsed: p.tag_set, _TAG, value)  # type: ignore[misc]


def test_parse_image_tag() -> None:
    parse = ImageRef.parse_image_tag
    assert parse("a:!") == ("a", "!")  # step 4 only: no slug check
    assert parse("a:") == ("a", "")
    assert parse("a:b:c") == ("a:b", "c")
    assert parse("a") == ("a", "latest")
    assert parse("a:b/c", using_default_repository=True) == ("lablup/a", "b/c")
    assert parse("x/a:1", using_default_repository=True) == ("x/a", "1")
    with pytest.raises(TypeError):
        parse("a", True)  # type: ignore[call-arg]  # the flag is keyword-only
    _raises(InvalidImageName, lambda: parse(":1"), _NAME)


# ---------------------------------------------------------------------------------------------
# from_image_str
# ---------------------------------------------------------------------------------------------


def test_from_image_str_project_split() -> None:
    ref = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9", "stable", "cr.backend.ai")
    assert _fields(ref) == ("python", "stable", "3.9", "cr.backend.ai", "x86_64", False)
    no_project = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9", None, "cr.backend.ai")
    assert (no_project.name, no_project.project) == ("stable/python", None)
    empty = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9", "", "cr.backend.ai")
    assert (empty.name, empty.project) == ("stable/python", "")
    same = ImageRef.from_image_str("cr.backend.ai/python:1", "python", "cr.backend.ai")
    assert (same.name, same.canonical) == ("", "cr.backend.ai/python:1")
    deep = ImageRef.from_image_str("cr/a/b/c:1", "a/b", "cr")
    assert deep.name == "c"


@pytest.mark.parametrize("project", ["stab", "STABLE", "other", "stable/python/x"])
def test_from_image_str_project_mismatch(project: str) -> None:
    value = "cr/stable/python:3.9-py3-py3"  # the mismatch comes before the platform tags
    error = _raises(
        ProjectMismatchWithCanonical,
        lambda: ImageRef.from_image_str(value, project, "cr"),
        project,
        "cr/stable/python:3.9-py3-py3",
    )
    assert error


def test_from_image_str_names_the_parsed_canonical_in_a_mismatch() -> None:
    _raises(
        ProjectMismatchWithCanonical,
        lambda: ImageRef.from_image_str("python:3.6", "other", None),
        "index.docker.io/lablup/python:3.6",
        "other",
    )


def test_from_image_str_error_order() -> None:
    # parse errors first (name, slug), then the project, then the platform tags
    _raises(InvalidImageTag, lambda: ImageRef.from_image_str("cr/stable/python:!", "other", "cr"))
    _raises(
        InvalidImageTag,
        lambda: ImageRef.from_image_str("cr/stable/python:3.9-py3-py3", "stable", "cr"),
        "cr/stable/python:3.9-py3-py3",
    )


@pytest.mark.parametrize(
    ("value", "project", "keywords", "error", "part"),
    [
        # the name (parse) first ...
        ("cr/stable/:1", 5, {"architecture": None}, InvalidImageName, "cr/stable/:1"),
        # ... then the tag's slug ...
        ("cr/stable/python:!", 5, {}, InvalidImageTag, "cr/stable/python:!"),
        ("cr/stable/python:!", "a//b", {}, InvalidImageTag, "cr/stable/python:!"),
        ("cr/stable/python:!", "other", {"architecture": None}, InvalidImageTag, "python:!"),
        ("cr/stable/python:!", "stable", {"architecture": None}, InvalidImageTag, "python:!"),
        # ... then the project (its type, its form, the mismatch) ...
        ("cr/stable/python:1-py3-py3", 5, {"architecture": None}, ImageRefTypeError, "project"),
        ("cr/stable/python:1-py3-py3", "a//b", {"architecture": None}, InvalidImageName, "a//b"),
        ("cr/stable/python:1-py3", "x", {"architecture": None}, ProjectMismatchWithCanonical, "x"),
        # ... then the architecture, the platform tags, is_local
        ("cr/stable/python:1-py3-py3", "stable", {"architecture": None}, ImageRefTypeError, "arch"),
        ("cr/stable/python:1-py3-py3", "stable", {"is_local": 1}, InvalidImageTag, "py3"),
        ("cr/stable/python:1-py3", "stable", {"is_local": 1}, ImageRefTypeError, "is_local"),
    ],
)
def test_from_image_str_error_order_of_every_step(
    value: str, project: Any, keywords: dict[str, Any], error: type[Exception], part: str
) -> None:
    _raises(error, lambda: ImageRef.from_image_str(value, project, "cr", **keywords), part)


def test_from_image_str_str_subclass_arguments() -> None:
    class Text(str):
        pass

    ref = ImageRef.from_image_str(Text("cr/stable/python:3.9"), Text("stable"), Text("cr"))
    assert _fields(ref) == ("python", "stable", "3.9", "cr", "x86_64", False)
    assert type(ref.project) is Text
    assert ImageRef.from_image_str("cr/stable/python:3.9", Text(""), "cr").name == "stable/python"
    _raises(InvalidImageName, lambda: ImageRef.from_image_str("cr/a:1", Text("a/"), "cr"), "a/")
    mismatch = functools.partial(ImageRef.from_image_str, "cr/a:1", Text("b"), "cr")
    _raises(ProjectMismatchWithCanonical, mismatch, "cr/a:1")


def test_registry_argument_is_checked_on_every_call() -> None:
    """Registry arguments are remembered once valid; a bad one fails however often it comes."""
    for _ in range(3):
        assert ImageRef.from_image_str("x/y:1", None, "cr").registry == "cr"
        for bad in ("c r", "cr\n", "crä"):
            _raises(InvalidImageName, functools.partial(_parsed, "x/y:1", bad), "registry")
        wrong_types: list[Any] = [b"cr", ["cr"], 5]
        for wrong in wrong_types:
            _raises(ImageRefTypeError, functools.partial(_parsed, "x/y:1", wrong), "registry")
    with memo_state.limits(1):  # every registry evicts the one before
        for index in range(5):
            assert ImageRef.parse_image_str("x/y:1", f"r{index}").registry == f"r{index}"
            _raises(InvalidImageName, lambda: ImageRef.parse_image_str("x/y:1", "r "), "registry")


def test_from_image_str_registry_field_is_the_argument() -> None:
    ref = ImageRef.from_image_str("127.0.0.1:5000/p/x:1", "p", "cr")
    assert (ref.registry, ref.canonical) == ("cr", "cr/p/x:1")
    star = ImageRef.from_image_str("cr/stable/python:3.9", "stable", "*")
    assert star.canonical == "*/stable/python:3.9"
    hub = ImageRef.from_image_str("x:1", "lablup", "docker.io")
    assert (hub.registry, hub.name) == ("docker.io", "x")
    for registry in (None, ""):
        ref = ImageRef.from_image_str("python:3.6", "lablup", registry)
        assert (ref.registry, ref.canonical) == (registry, "lablup/python:3.6")


def test_from_image_str_architecture_and_is_local() -> None:
    ref = ImageRef.from_image_str("python:3.6", None, None, architecture="arm64", is_local=True)
    assert (ref.architecture, ref.is_local) == ("aarch64", True)
    assert repr(ref) == '<ImageRef: "lablup/python:3.6" (aarch64)>'
    with pytest.raises(TypeError):
        ImageRef.from_image_str("python:3.6", None, None, "x86_64")  # type: ignore[call-arg]
    for bad in ({"architecture": None}, {"is_local": "yes"}, {"is_local": 1}):
        with pytest.raises(ImageRefTypeError):
            ImageRef.from_image_str("python:3.6", None, None, **bad)


@pytest.mark.parametrize("project", ["stable/", "/stable", "a//b", "st able", "stäble", "a\n"])
def test_project_argument_d1_d2(project: str) -> None:
    """Decision: D1/D2 extend to the project argument (the reference answers a mismatch)."""
    with pytest.raises(InvalidImageName) as info:
        ImageRef.from_image_str("cr/stable/python:1", project, "cr")
    message = str(info.value)
    assert message.startswith(_NAME)
    assert project in message or repr(project) in message
    assert "project" in message


def test_from_image_str_non_str() -> None:
    """D8: the package's TypeError naming the type."""
    for call in (
        lambda: ImageRef.from_image_str(b"x:1", None, None),  # type: ignore[arg-type]
        lambda: ImageRef.from_image_str("x:1", 5, None),  # type: ignore[arg-type]
        lambda: ImageRef.from_image_str("x:1", None, 5),  # type: ignore[arg-type]
        lambda: ImageRef.parse_image_str(5),  # type: ignore[arg-type]
        lambda: ImageRef.parse_image_tag(None),  # type: ignore[arg-type]
    ):
        with pytest.raises(ImageRefTypeError, match="must be"):
            call()


@pytest.mark.parametrize(
    "value",
    [
        "python:3.6\n",  # D1
        " ",
        "é:1",
        "x/",  # D2
        "/x",
        "a//b",
        "cr/stable//python",
        "cr/stable/:3.9",
        "user@1.2.3.4/a",  # D7 / no digests
        "a@sha256:abc",
    ],
)
def test_string_divergences(value: str) -> None:
    _raises(InvalidImageName, lambda: ImageRef.from_image_str(value, "stable", "cr"), _NAME)


@pytest.mark.parametrize("first", ["1.2.3.4#x", "1.2.3.4:", "[::1]x", "1.2.3.4:65536", "01.2.3.4"])
def test_d7_exact_ip_literals(first: str) -> None:
    parsed = ImageRef.parse_image_str(f"{first}/python:1", "cr")
    assert parsed.registry == "cr"  # not taken for an IP literal
    assert parsed.project_and_image_name == f"{first}/python"


# ---------------------------------------------------------------------------------------------
# from_image_config
# ---------------------------------------------------------------------------------------------

_CONFIG: dict[str, Any] = {
    "canonical": "cr.backend.ai/stable/python:3.9-ubuntu20.04",
    "project": "stable",
    "registry": {"name": "cr.backend.ai", "url": "https://cr.backend.ai"},
    "architecture": "arm64",
    "is_local": True,
    "digest": "sha256:...",  # extra keys are ignored
}


def test_from_image_config() -> None:
    ref = ImageRef.from_image_config(MappingProxyType(_CONFIG))
    assert _fields(ref) == ("python", "stable", "3.9-ubuntu20.04", "cr.backend.ai", "aarch64", True)
    assert ref == ImageRef.from_image_str(
        _CONFIG["canonical"], "stable", "cr.backend.ai", architecture="arm64", is_local=True
    )


@pytest.mark.parametrize("key", ["canonical", "project", "registry", "architecture", "is_local"])
def test_from_image_config_missing_key(key: str) -> None:
    config = {k: v for k, v in _CONFIG.items() if k != key}
    with pytest.raises(v2609.ImageRefError) as info:
        ImageRef.from_image_config(config)
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, KeyError)
    assert repr(key) in str(info.value)


def test_from_image_config_wrong_shapes() -> None:
    _raises(ValueError, lambda: ImageRef.from_image_config({**_CONFIG, "registry": {}}), "'name'")
    _raises(
        ImageRefTypeError, lambda: ImageRef.from_image_config({**_CONFIG, "registry": "cr"}), "str"
    )
    _raises(ImageRefTypeError, lambda: ImageRef.from_image_config([]), "list")  # type: ignore[arg-type]
    # registry name None: the default-registry parse, so the project does not match
    with pytest.raises(ProjectMismatchWithCanonical):
        ImageRef.from_image_config({**_CONFIG, "registry": {"name": None}})


# ---------------------------------------------------------------------------------------------
# The value
# ---------------------------------------------------------------------------------------------


def test_positional_and_keyword_construction() -> None:
    ref = ImageRef("python", "stable", "3.9-py3", "cr", "amd64", True)
    assert _fields(ref) == ("python", "stable", "3.9-py3", "cr", "x86_64", True)
    assert ref == ImageRef(
        name="python", project="stable", tag="3.9-py3", registry="cr", architecture="x86_64",
        is_local=True,
    )  # fmt: skip
    assert ref.__match_args__ == ("name", "project", "tag", "registry", "architecture", "is_local")
    with pytest.raises(TypeError):
        ImageRef("python", "lablup", "3.6", "r")  # type: ignore[call-arg]  # all six required


def test_positional_construction_checks() -> None:
    """Decisions: types (D8) and D1 per field; the tag is not slug-checked; platform tags are."""
    empty = PlatformTagSet([])
    assert ImageRef("python", None, "!!", "r", "x86_64", False).tag_set == ("!!", empty)
    assert ImageRef("python", None, "", "r", "x86_64", False).tag_set == ("", empty)
    assert ImageRef("", None, "1", None, "x86_64", False).canonical == ":1"
    bad_types: list[tuple[Any, ...]] = [
        (5, None, "1", "r", "x86_64", False),
        ("p", 5, "1", "r", "x86_64", False),
        ("p", None, 1.0, "r", "x86_64", False),
        ("p", None, "1", b"r", "x86_64", False),
        ("p", None, "1", "r", None, False),
        ("p", None, "1", "r", "x86_64", "yes"),
        ("p", None, "1", "r", "x86_64", 0),
    ]
    for args in bad_types:
        with pytest.raises(ImageRefTypeError):
            ImageRef(*args)
    bad_text: list[tuple[Any, ...]] = [
        ("py thon", None, "1", "r", "x86_64", False),
        ("p", "st\tab", "1", "r", "x86_64", False),
        ("p", None, "1\n", "r", "x86_64", False),
        ("p", None, "1", "ré", "x86_64", False),
    ]
    for args in bad_text:
        _raises(InvalidImageName, functools.partial(ImageRef, *args), _NAME)
    _raises(
        InvalidImageTag,
        lambda: ImageRef("python", "stable", "3.6-py3-py3", "r", "x86_64", False),
        "r/stable/python:3.6-py3-py3",  # D4: the full reference
    )


def test_canonical_short_str_repr() -> None:
    ref = _row()
    assert ref.canonical == str(ref) == "cr.backend.ai/stable/python:3.9"
    assert ref.short == "stable/python:3.9"
    assert repr(ref) == '<ImageRef: "cr.backend.ai/stable/python:3.9" (x86_64)>'
    assert ImageRef("python", None, "1", None, "x86_64", False).canonical == "python:1"
    assert ImageRef("", "p", "1", "", "x86_64", False).short == "p:1"


def test_read_only_and_replace() -> None:
    """D9: fields are read-only; replace() makes a changed, checked copy."""
    ref = _row(tag="3.9-py3")
    for field in ref.__match_args__:
        with pytest.raises(AttributeError):
            setattr(ref, field, "x")
    with pytest.raises(AttributeError):
        ref.extra = 1  # type: ignore[attr-defined]
    newer = ref.replace(tag="3.10-py3", architecture="arm64")
    assert (newer.tag, newer.tag_set[0], newer.architecture) == ("3.10-py3", "3.10", "aarch64")
    assert ref.tag == "3.9-py3"
    assert ref.replace() == ref
    with pytest.raises(InvalidImageTag):
        ref.replace(tag="3.9-py3-py3")
    if sys.version_info >= (3, 13):
        assert copy.replace(ref, project=None).canonical == "cr.backend.ai/python:3.9-py3"  # type: ignore[attr-defined]


def test_equality_and_hash() -> None:
    ref = _row()
    local = ImageRef("python", "stable", "3.9", "cr.backend.ai", "x86_64", True)
    assert ref != local  # is_local counts ...
    assert hash(ref) == hash(local)  # ... but not in the hash
    assert ref == ImageRef("python", "stable", "3.9", "cr.backend.ai", "amd64", False)
    for other in (_row(project=None), _row(project=""), _row(name="py"), _row(tag="3.10")):
        assert ref != other
    assert ref.__eq__("cr.backend.ai/stable/python:3.9") is NotImplemented  # D5
    assert ref != "cr.backend.ai/stable/python:3.9"
    assert ref != _V2403("cr.backend.ai/stable/python:3.9", ["cr.backend.ai"])
    assert len({ref, local, _row()}) == 2


def test_ordering() -> None:
    a, b = _row(tag="3.9"), _row(tag="3.10")
    assert a < b
    assert b > a
    assert not b < a
    assert not a < _row(tag="3.9")  # equal refs are not less
    ordered = sorted([_row(tag="latest"), b, a, _row(tag="gcc6.3")])  # D6: no raise
    assert ordered.index(a) < ordered.index(b)
    assert _row(tag="1.0-py36-cuda9") < _row(tag="1.0-py37-cuda9")
    for other in (_row(name="java"), _row(project="other"), _row(project=None)):
        with pytest.raises(ValueError, match="same name and project"):
            a < other  # noqa: B015
    assert a.__lt__(object()) is NotImplemented
    with pytest.raises(TypeError):
        a < 1  # noqa: B015
    with pytest.raises(TypeError):
        a <= b  # type: ignore[operator]  # noqa: B015


def test_aliases() -> None:
    ref = ImageRef(
        "python-tensorflow", "lablup", "1.5-py36-ubuntu16.04-cuda10.0", "r", "x86_64", False
    )
    aliases = ref.generate_aliases()
    assert len(aliases) == 162
    assert "tensorflow:1.5-py3-ubuntu16-gpu" in aliases
    assert all(value is ref for value in aliases.values())
    assert not any(key.startswith(("lablup/", "lablup")) for key in aliases)  # no project
    # an empty main version gives no versioned aliases (only "name:")
    assert list(_row(tag="-py3").generate_aliases()) == ["python", "python:"]


def test_merge_aliases() -> None:
    old, new = _row(tag="3.9"), _row(tag="3.10")
    merged = ImageRef.merge_aliases(old.generate_aliases(), new.generate_aliases())
    assert merged["python"] is new
    local = ImageRef("python", "stable", "3.9", "cr.backend.ai", "x86_64", True)
    tie = ImageRef.merge_aliases(local.generate_aliases(), old.generate_aliases())
    assert tie["python"] is local  # a tie keeps the first map's ref
    with pytest.raises(ValueError):  # noqa: PT011
        ImageRef.merge_aliases(old.generate_aliases(), _row(project="x").generate_aliases())


@pytest.mark.parametrize("tag", ["3.9", "3.9-py36-cuda9", "!!", "", "-py3"])
def test_pickle_and_copy(tag: str) -> None:
    ref = ImageRef("python", "stable", tag, None, "aarch64", True)
    for clone in (
        copy.copy(ref),
        copy.deepcopy(ref),
        *(
            pickle.loads(pickle.dumps(ref, protocol))
            for protocol in range(pickle.HIGHEST_PROTOCOL + 1)
        ),
    ):
        assert clone == ref
        assert _fields(clone) == _fields(ref)
        assert clone.tag_set == ref.tag_set


def test_to_dict() -> None:
    ref = ImageRef.from_image_str("cr/stable/python:3.9-cuda9", "stable", "cr", is_local=True)
    assert ref.to_dict() == {
        "registry": "cr",
        "project": "stable",
        "name": "python",
        "tag": "3.9-cuda9",
        "architecture": "x86_64",
        "is_local": True,
        "canonical": "cr/stable/python:3.9-cuda9",
        "short": "stable/python:3.9-cuda9",
        "version": "3.9",
        "platform_tags": {"cuda": "9"},
    }


def test_slots() -> None:
    assert not hasattr(_row(), "__dict__")
    assert not hasattr(ImageRef.parse_image_str("x"), "__dict__")


# ---------------------------------------------------------------------------------------------
# Both surfaces agree where the releases agree
# ---------------------------------------------------------------------------------------------

_names = paths()


@given(registry=registries(), path=_names, tag=tags(), arch=architectures())
def test_no_project_reads_as_the_2403_ref(registry: str, path: str, tag: str, arch: str) -> None:
    value = f"{registry}/{path}:{tag}"
    old = _V2403(value, [registry], arch)
    new = ImageRef.from_image_str(value, None, registry, architecture=arch)
    assert (new.registry, new.name, new.tag, new.architecture) == (
        old.registry,
        old.name,
        old.tag,
        old.architecture,
    )
    assert new.canonical == old.canonical
    assert new.tag_set == old.tag_set
    assert list(new.generate_aliases()) == list(old.generate_aliases())
    row = ImageRef(old.name, None, old.tag, old.registry, arch, False)
    assert row == new


@given(path=_names, tag=tags())
def test_plain_names_read_alike(path: str, tag: str) -> None:
    value = f"{path}:{tag}"
    old = _V2403(value)
    parsed = ImageRef.parse_image_str(value)
    if "/" not in path:
        assert tuple(parsed) == (old.registry, old.name, old.tag)
    assert parsed.canonical == f"{parsed.registry}/{parsed.project_and_image_name}:{tag}"


@given(project=_names, name=_names, tag=tags())
def test_the_project_moves_between_name_and_project(project: str, name: str, tag: str) -> None:
    value = f"cr/{project}/{name}:{tag}"
    with_project = ImageRef.from_image_str(value, project, "cr")
    without = ImageRef.from_image_str(value, None, "cr")
    assert (with_project.project, with_project.name) == (project, name)
    assert without.name == f"{project}/{name}"
    assert with_project.canonical == without.canonical == value
    assert with_project != without


@given(name=_names, tag_a=tags(), tag_b=tags())
def test_ordering_agrees(name: str, tag_a: str, tag_b: str) -> None:
    old_a, old_b = _V2403(f"{name}:{tag_a}"), _V2403(f"{name}:{tag_b}")
    new_a = ImageRef(old_a.name, "p", tag_a, None, "x86_64", False)
    new_b = ImageRef(old_b.name, "p", tag_b, None, "x86_64", False)
    assert (new_a < new_b) is (old_a < old_b)
    assert (new_a == new_b) is (old_a == old_b)
    merged_old = _V2403.merge_aliases(old_a.generate_aliases(), old_b.generate_aliases())
    merged_new = ImageRef.merge_aliases(new_a.generate_aliases(), new_b.generate_aliases())
    assert {k: v.tag for k, v in merged_new.items()} == {k: v.tag for k, v in merged_old.items()}


@given(st.text(max_size=40), st.sampled_from([None, "", "*", "cr", "127.0.0.1:5000"]))
def test_any_text_parses_or_raises_a_package_error(value: str, registry: str | None) -> None:
    try:
        ref = ImageRef.from_image_str(value, None, registry)
    except (InvalidImageName, InvalidImageTag):
        return
    assert ref == pickle.loads(pickle.dumps(ref))
    assert ImageRef(*_fields(ref)) == ref
