"""Property-based tests: the parser's guarantees, checked over generated input.

Most properties compare imageref with an *independent model* written here from the
contract (``shared/spec/backendai-imageref-24.03.md``) using plain string
operations, :mod:`ipaddress` and :mod:`packaging.version`, never imageref's own
patterns. The rest check algebraic laws: totality, round trips, parser ==
constructor, equality/hash, the order's laws where they hold, aliases, pickling.

Profiles (``tests/conftest.py``): quick by default, ``CI=true`` for the heavier
``ci`` profile. ``docs/testing.md`` says how to reproduce a failure.
"""

from __future__ import annotations

import contextlib
import copy
import ipaddress
import itertools
import json
import pickle
import string
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import assume, event, example, given, note
from hypothesis import strategies as st
from packaging.version import InvalidVersion, Version

import memo_state
import strategies as gen
from imageref import (
    ImageRef,
    ImageRefError,
    ImageRefParser,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    PlatformTagSet,
    arch_name_aliases,
    default_registry,
    default_repository,
    is_known_registry,
)
from imageref._pep440 import is_pep440, order_bytes, version_key

# ---------------------------------------------------------------------------
# An independent model of the contract
# ---------------------------------------------------------------------------

ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
SLUG_CHARS = ASCII_ALNUM | frozenset("._-")
KEY_CHARS = frozenset(string.ascii_letters + "_")
ZONE_CHARS = ASCII_ALNUM | frozenset("-._~")
HEX = frozenset(string.hexdigits)


class ModelNameError(Exception):
    """The contract says: invalid image name."""


class ModelTagError(Exception):
    """The contract says: invalid image tag."""


@dataclass(frozen=True)
class Parsed:
    registry: str
    name: str
    tag: str
    main: str
    platform: dict[str, str]
    digest: str | None = None


DIGEST_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}


def model_digest(text: str) -> bool:
    """D10 as the OCI work settled it: ``sha256``/``sha384``/``sha512``, then ``:`` and
    exactly that many lowercase hex digits (go-digest's rules)."""
    algorithm, colon, encoded = text.partition(":")
    size = DIGEST_HEX_LENGTHS.get(algorithm)
    return (
        bool(colon)
        and size is not None
        and len(encoded) == size
        and set(encoded) <= set("0123456789abcdef")
    )


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def model_port(text: str) -> bool:
    return 1 <= len(text) <= 5 and _is_ascii_digits(text) and int(text) <= 65535


def model_zone(text: str) -> bool:
    i = 0
    while i < len(text):
        if text[i] == "%":
            if len(text[i + 1 : i + 3]) != 2 or not set(text[i + 1 : i + 3]) <= HEX:
                return False
            i += 3
        elif text[i] in ZONE_CHARS:
            i += 1
        else:
            return False
    return bool(text)


def model_ip_registry(text: str) -> bool:
    """D7: ``IPv4``, ``[IPv6]`` or ``[IPv6%zone]``, then an optional ``:port``."""
    port: str | None = None
    if text.startswith("["):
        inner, bracket, rest = text[1:].partition("]")
        if not bracket:
            return False
        if rest:
            if not rest.startswith(":"):
                return False
            port = rest[1:]
        address, percent, zone = inner.partition("%")
        if percent and not model_zone(zone):
            return False
        if not set(address) <= HEX | {":", "."}:
            return False
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return False
    else:
        host, colon, rest = text.partition(":")
        if colon:
            port = rest
        if not set(host) <= set("0123456789."):
            return False
        try:
            ipaddress.IPv4Address(host)  # rejects leading zeros and octets > 255
        except ValueError:
            return False
    return port is None or model_port(port)


def model_known(val: str, known: Any) -> bool:
    if isinstance(known, str):  # one registry name, matched exactly (D8)
        return val in (default_registry, known) or model_ip_registry(val)
    return val == default_registry or (known is not None and val in known) or model_ip_registry(val)


def model_platform(tags: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in tags:
        cut = 0
        while cut < len(tag) and tag[cut] in KEY_CHARS:
            cut += 1
        key, version = tag[:cut], tag[cut:]
        if not key or key in out:
            raise ModelTagError(tag)
        if version:
            letter = next((i for i, c in enumerate(version) if c in string.ascii_lowercase), None)
            numeric = version if letter is None else version[:letter]
            suffix = "" if letter is None else version[letter:]
            if not all(_is_ascii_digits(group) for group in numeric.split(".")):
                raise ModelTagError(tag)
            if not set(suffix) <= set(string.ascii_lowercase + string.digits):
                raise ModelTagError(tag)
        out[key] = version
    return out


def model_parse(value: str, known: Any) -> Parsed:
    """The contract's parsing rules, step by step."""
    if not value or not all("!" <= c <= "~" for c in value):  # D1
        raise ModelNameError
    if "://" in value or value.startswith("//"):
        raise ModelNameError
    digest = None
    if "@" in value:  # D10: "name[:tag]@algorithm:hex"
        value, _, digest = value.partition("@")
        if not model_digest(digest):
            raise ModelNameError
    if "/" in value and "" in value.split("/"):  # D2
        raise ModelNameError
    if "/" not in value:
        registry, path, prefix = default_registry, value, True
    else:
        first, rest = value.split("/", 1)
        if model_known(first, known):
            registry, path = first, rest
            prefix = first == "docker.io" or first.endswith(".docker.io")
        elif isinstance(known, list) and known == ["*"]:
            registry, path, prefix = first, rest, False
        else:
            registry, path, prefix = default_registry, value, True
    if ":" in path:
        name, tag = path.rsplit(":", 1)
    else:
        name, tag = path, "latest"
    if not name:
        raise ModelNameError
    if "" in name.split("/"):  # D2: "a/:1" leaves an empty last name component
        raise ModelNameError
    if prefix and "/" not in name:
        name = f"{default_repository}/{name}"
    if not tag or not set(tag) <= SLUG_CHARS or not {tag[0], tag[-1]} <= ASCII_ALNUM:
        raise ModelTagError(tag)
    main, *platform = tag.split("-")
    return Parsed(registry, name, tag, main, model_platform(platform), digest)


def model_aliases(name: str, main: str, platform: Mapping[str, str]) -> set[str]:
    """The contract's alias rules."""
    basename = name.rpartition("/")[2]
    candidates = [basename, *([basename.split("-")[1]] if "-" in basename else [])]
    options: list[list[str | None]] = []
    for key, ver in platform.items():
        opts: list[str | None] = [None, key, key + ver]
        if "." in ver:
            opts.append(key + ver.split(".")[0])
        elif key == "py" and len(ver) > 1:
            opts.append(key + ver[0])
        if "cuda" in key:
            opts.append("gpu")
        options.append(opts)
    out = set(candidates)
    for candidate in candidates:
        for combo in itertools.product(*options):
            out.add(f"{candidate}:" + "-".join([main, *(c for c in combo if c is not None)]))
    return out


def model_lt(a: ImageRef, b: ImageRef) -> bool:
    """The contract's ``<`` for PEP 440 versions, computed with ``packaging``."""
    if a == b:
        return False
    main_a, plat_a = a.tag_set
    main_b, plat_b = b.tag_set
    if main_a != main_b:
        return Version(main_a) < Version(main_b)
    for key, ver in plat_a.items():
        other = plat_b.get(key)
        if ver and other and Version(ver) != Version(other):
            return Version(ver) < Version(other)
    return len(plat_a) > len(plat_b)


# Reference errors name an input of up to this many characters whole.
_SHOW_MAX_CHARS = 1024


def shows(value: str, message: str) -> bool:
    """D4: the message names the full input (as is, or as its repr when unprintable); one
    longer than any real reference as the reprs of its head and tail, and its length."""
    if len(value) <= _SHOW_MAX_CHARS:
        return value in message or repr(value) in message
    half = _SHOW_MAX_CHARS // 2
    return f"{value[:half]!r}...{value[-half:]!r} ({len(value)} characters)" in message


def raised(call: Callable[[], object]) -> ImageRefError | None:
    """The package error *call* raises, or None; anything else propagates."""
    try:
        call()
    except ImageRefError as exc:
        return exc
    return None


def outcome(call: Callable[[], ImageRef]) -> tuple[str, Any]:
    try:
        ref = call()
    except ImageRefError as exc:
        return type(exc).__name__, str(exc)
    return "ok", (ref.to_dict(), ref.tag_set)


# ---------------------------------------------------------------------------
# Shared strategies
# ---------------------------------------------------------------------------

# Registries shared between references and configurations, so that "known" happens.
registry_pool = st.one_of(
    gen.registries(),
    st.sampled_from(gen.DOCKER_HUB_REGISTRIES),
    st.sampled_from(gen.LOOKALIKE_REGISTRIES),
    gen.near_ip_registries(),
)
configs = gen.known_registries(registry_pool)


@st.composite
def value_and_config(draw: st.DrawFn) -> tuple[str, Any]:
    """A reference and a configuration; half the time the configuration knows the
    reference's first path component (as a list, tuple, set, mapping, or ``["*"]``)."""
    value = draw(gen.reference_text())
    known = draw(configs)
    first, slash, _ = value.partition("/")
    if slash and draw(st.booleans()):
        kind = draw(st.sampled_from(["list", "tuple", "set", "mapping", "wildcard"]))
        others = draw(st.lists(registry_pool, max_size=2))
        if kind == "list":
            known = list(others)
            known.insert(draw(st.integers(0, len(others))), first)
        elif kind == "tuple":
            known = (first, *others)
        elif kind == "set":
            known = {first, *others}
        elif kind == "mapping":
            known = {**dict.fromkeys(others, "x"), first: {"url": "https://" + first}}
        else:
            known = ["*"]
    return value, known


def _pep440_platform_version(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


_order_versions = st.one_of(
    st.sampled_from(["1", "2", "10", "1.0", "9b1", "16.04", "0"]), gen.platform_versions()
)


@st.composite
def same_name_refs(
    draw: st.DrawFn, n: int, *, same_keys: bool, pep440: bool = False
) -> list[ImageRef]:
    """*n* refs of one image whose platform keys follow one common order.

    ``same_keys``: every ref has every key, and a key's version is empty in all
    refs or in none (the case where the contract's order is transitive).
    """
    keys = draw(st.lists(gen.platform_keys(), unique=True, max_size=3))
    empty = [draw(st.booleans()) for _ in keys]
    mains = st.sampled_from(["1", "1.0", "2", "1.0rc1", "10"])
    if not pep440:
        mains = st.one_of(mains, st.sampled_from(["latest", "gcc6.3", "1y"]))
    versions = _order_versions
    if pep440:
        versions = versions.filter(_pep440_platform_version)
    refs = []
    for _ in range(n):
        parts = [draw(mains)]
        for key, is_empty in zip(keys, empty, strict=True):
            if not same_keys and draw(st.booleans()):
                continue
            version = "" if (same_keys and is_empty) else draw(st.one_of(st.just(""), versions))
            if same_keys and not is_empty:
                version = draw(versions)
            parts.append(key + version)
        tag = "-".join(parts)
        assume(tag[-1].isalnum())
        arch = draw(st.sampled_from(["x86_64", "aarch64"]))
        refs.append(ImageRef(f"lablup/python:{tag}", architecture=arch))
    return refs


# ---------------------------------------------------------------------------
# Totality and types
# ---------------------------------------------------------------------------


@given(value=gen.reference_text(), known=configs, arch=gen.architectures())
def test_totality_every_str_parses_or_raises_a_package_error(
    value: str, known: Any, arch: str
) -> None:
    error = raised(lambda: ImageRef(value, known, arch))
    if error is None:
        assert ImageRef(value, known, arch).canonical.isascii()
    else:
        assert isinstance(error, (InvalidImageName, InvalidImageTag))
        assert isinstance(error, ValueError)


@given(
    value_config=value_and_config(),
    before=st.lists(st.tuples(gen.reference_text(), configs), max_size=6),
    state=st.sampled_from(["cleared", "as left", "tiny", "resting"]),
)
@example(value_config=("docker.io/python:1", ["docker.io"]), before=[], state="cleared")
@example(value_config=("index.docker.io/python:1", ["*"]), before=[], state="cleared")
@example(value_config=("127.0.0.1:5000/a:1", {"127.0.0.1:5000": 1}), before=[], state="tiny")
@example(value_config=("localhost:5000/a", ["localhost:5000"]), before=[], state="as left")
@example(value_config=("a:1-py3-py3", None), before=[("a:1-py3", None)], state="resting")
def test_answers_do_not_depend_on_what_was_parsed_before(
    value_config: tuple[str, Any], before: list[tuple[str, Any]], state: str
) -> None:
    # The parse memoises pure functions of one part (head, tag, platform suffix); what
    # the tables hold (nothing, this input, inputs sharing its head or tag, under any
    # registry list, in any order, with tables so small they evict all the time) must
    # never change an answer or an error; nor whether a table is storing new entries
    # or resting (see imageref._memo.Table).
    value, known = value_config
    memo_state.clear()
    want = outcome(lambda: ImageRef(value, known))  # from empty tables
    head = value.rpartition(":")[0]
    others = [*before, (f"{head}:1", None), (f"{head}:x y", known), (f"{head}:1-py3", known)]
    with memo_state.limits(2) if state == "tiny" else contextlib.nullcontext():
        if state == "cleared":
            memo_state.clear()
        for index, (other, other_known) in enumerate(others):
            if state == "resting" and index == len(others) // 2:
                memo_state.rest_all()  # some parts stored, then nothing new
            raised(lambda other=other, k=other_known: ImageRef(other, k))  # type: ignore[misc]
        assert outcome(lambda: ImageRef(value, known)) == want
        assert outcome(lambda: ImageRef(value, known)) == want  # and from its own entries
    memo_state.clear()


@given(value=gen.non_str_values(), known=configs)
def test_non_str_reference_raises_type_error(value: object, known: Any) -> None:
    with pytest.raises(TypeError, match=type(value).__name__):
        ImageRef(value, known)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ImageRefParser(known).parse(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        is_known_registry(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PlatformTagSet(["py3", value])  # type: ignore[list-item]


@given(value=gen.non_str_values())
def test_type_errors_say_what_and_which_type(value: Any) -> None:
    got = type(value).__name__

    def message(call: Callable[[], object]) -> str:
        with pytest.raises(TypeError) as info:
            call()
        return str(info.value)

    reference = f"an image reference must be a str, not {got}"
    assert message(lambda: ImageRef(value)) == reference
    assert message(lambda: ImageRefParser().parse(value)) == reference
    assert message(lambda: ImageRefParser(cache_size=0).parse(value, is_local=True)) == reference
    assert message(lambda: is_known_registry(value)) == f"registry must be a str, not {got}"
    assert message(lambda: PlatformTagSet(["py3", value])) == (
        f"each platform tag must be a str, not {got}"
    )
    if value is not None:
        assert message(lambda: PlatformTagSet(["py3"], value)) == (
            f"value must be a str or None, not {got}"
        )
        assert message(lambda: ImageRef("python", architecture=value)) == (
            f"architecture must be a str, not {got}"
        )
        rebuild: Any = ImageRef._from_fields  # how unpickling rebuilds a ref
        assert message(lambda: rebuild(value, "n", "t", "x86_64", False)) == (
            f"registry must be a str, not {got}"
        )
        assert message(lambda: rebuild("r", value, "t", "x86_64", False)) == (
            f"name must be a str, not {got}"
        )
        assert message(lambda: rebuild("r", "n", value, "x86_64", False)) == (
            f"tag must be a str, not {got}"
        )
        assert message(lambda: rebuild("r", "n", "t", "x86_64", False, value)) == (
            f"digest must be a str or None, not {got}"
        )


@pytest.mark.parametrize("tags", [3, None, "py3", b"py3"])
def test_platform_tag_set_needs_an_iterable_of_str(tags: Any) -> None:
    with pytest.raises(
        TypeError, match=f"^tags must be an iterable of str, not {type(tags).__name__}$"
    ):
        PlatformTagSet(tags)


def test_parser_configuration_is_checked_and_exposed() -> None:
    odd_flag: Any = 1  # a non-bool is_local is answered (not memoised) with the same configuration
    assert ImageRefParser(["r"]).parse("r/x", is_local=odd_flag).registry == "r"
    assert ImageRefParser().cache_size == 4096
    assert ImageRefParser().architecture == "x86_64"
    assert ImageRefParser(architecture="arm64").architecture == "aarch64"
    with pytest.raises(TypeError, match=r"^cache_size must be an int, not str$"):
        ImageRefParser(cache_size="1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^cache_size must be an int, not bool$"):
        ImageRefParser(cache_size=True)
    with pytest.raises(ValueError, match=r"^cache_size must be >= 0, not -1$"):
        ImageRefParser(cache_size=-1)
    with pytest.raises(TypeError) as info:
        ImageRefParser(5)  # type: ignore[arg-type]
    assert str(info.value) == (
        "known_registries must be a sequence or mapping of registry names, a str, or None, not int"
    )


# ---------------------------------------------------------------------------
# Agreement with the contract model
# ---------------------------------------------------------------------------


@given(case=value_and_config())
@example(case=("myregistry.org/lua", None))
@example(case=("myregistry.org:999/mybase/python:3.6-cuda9-ubuntu", ["myregistry.org:999"]))
@example(case=("docker.io/x:1", ["*"]))
@example(case=("docker.io/x:1", ["docker.io"]))
@example(case=("docker.io/x/y:1", ["docker.io"]))
@example(case=("registry-1.docker.io/x", {"registry-1.docker.io": {}}))
@example(case=("index.docker.io/x", None))
@example(case=("foo.docker.io/x:1", {"foo.docker.io": 1}))
@example(case=("[::1%eth0]:65535/x", None))
@example(case=("1.2.3.4:65536/x", None))
def test_parse_matches_contract_model(case: tuple[str, Any]) -> None:
    value, known = case
    try:
        expected = model_parse(value, known)
    except ModelNameError:
        event("model: invalid name")
        with pytest.raises(InvalidImageName):
            ImageRef(value, known)
        return
    except ModelTagError:
        event("model: invalid tag")
        with pytest.raises(InvalidImageTag):
            ImageRef(value, known)
        return
    event(
        f"model: parsed, registry {'default' if expected.registry == default_registry else 'given'}"
    )
    ref = ImageRef(value, known)
    main, platform = ref.tag_set
    assert (ref.registry, ref.name, ref.tag) == (expected.registry, expected.name, expected.tag)
    assert ref.digest == expected.digest
    assert main == expected.main
    assert list(platform.items()) == list(expected.platform.items())


@given(registry=registry_pool, known=configs)
@example(registry="255.255.255.255:65535", known=None)
@example(registry="256.1.1.1", known=None)
@example(registry="[1:2:3:4:5:6:7::]", known=None)
@example(registry="[::ffff:1.2.3.4%25eth0]:0", known=None)
def test_is_known_registry_matches_model(registry: str, known: Any) -> None:
    assert is_known_registry(registry, known) == model_known(registry, known)


@given(text=gen.near_misses(gen.registries()))
def test_ip_literal_recognition_matches_ipaddress(text: str) -> None:
    assert is_known_registry(text) == (text == default_registry or model_ip_registry(text))


@given(case=value_and_config())
def test_errors_carry_contract_prefix_and_full_input(case: tuple[str, Any]) -> None:
    value, known = case
    error = raised(lambda: ImageRef(value, known))
    if isinstance(error, InvalidImageName):
        assert str(error).startswith("Invalid image name: ")
        assert shows(value, str(error))
    elif isinstance(error, InvalidImageTag):
        assert str(error).startswith("Invalid or duplicate image name tag: ")
        assert shows(value, str(error).partition(", full image name: ")[2])
    else:
        assert error is None


@given(registry=gen.boundary_ip_registries())
@example(registry="01.2.3.4")
@example(registry="1.2.3.4:000080")
@example(registry="1.2.3.4.5")
@example(registry="[1:2:3:4:5:6:7:8:9]")
@example(registry="[12345::1]")
@example(registry="[::1%a:b]")
@example(registry="1.2.3.4:65536")
@example(registry="[::1%]")
@example(registry="[1.2.3.4::1]")
@example(registry="[a:1.2.3.4::]")
@example(registry="[1:2:3:4:5:6:1.2.3.4]")
@example(registry="[1:2:3:4::5:6:7:8]")
@example(registry="[::1%a%41:]")
@example(registry="[::1%25x]")
def test_ip_literal_boundaries_match_model(registry: str) -> None:
    assert is_known_registry(registry) == model_ip_registry(registry)
    value = f"{registry}/python:3.6"
    try:
        expected = model_parse(value, None)
    except (ModelNameError, ModelTagError):
        with pytest.raises(ImageRefError):
            ImageRef(value)
        return
    assert ImageRef(value).registry == expected.registry


@given(case=gen.resolution_cases())
def test_registry_resolution_matches_model(case: tuple[str, Any]) -> None:
    value, known = case
    try:
        expected = model_parse(value, known)
    except (ModelNameError, ModelTagError):
        with pytest.raises(ImageRefError):
            ImageRef(value, known)
        return
    ref = ImageRef(value, known)
    assert (ref.registry, ref.name, ref.tag) == (expected.registry, expected.name, expected.tag)
    assert ImageRefParser(known).parse(value) == ref


@given(value=gen.boundary_references(), known=gen.boundary_configs())
@example(value="x.docker.io/a:1", known=None)
@example(value="docker.io/a:1", known=["docker.io"])
@example(value="x.docker.io/a:1", known=["x.docker.io"])
@example(value="xdocker.io/a:1", known=frozenset({"xdocker.io"}))
@example(value="index.docker.io/a", known=None)
@example(value="a/b:1", known=("*",))
@example(value="a:5000/b", known=["a:5000"])
def test_registry_resolution_boundaries_match_model(value: str, known: Any) -> None:
    try:
        expected = model_parse(value, known)
    except ModelNameError:
        with pytest.raises(InvalidImageName):
            ImageRef(value, known)
        return
    except ModelTagError:
        with pytest.raises(InvalidImageTag):
            ImageRef(value, known)
        return
    ref = ImageRef(value, known)
    assert (ref.registry, ref.name, ref.tag) == (expected.registry, expected.name, expected.tag)
    parser = ImageRefParser(known)
    assert parser.parse(value) == ref


@given(path=gen.paths(), tag=st.one_of(st.just(""), gen.tags()), digest=gen.digests(valid=False))
@example(path="python", tag="", digest="sha256:" + "A" * 64)
@example(path="python", tag="3.6", digest="sha512:" + "0" * 127)
@example(path="python", tag="", digest="md5:" + "0" * 32)
def test_digests_match_model(path: str, tag: str, digest: str) -> None:
    value = f"{path}:{tag}@{digest}" if tag else f"{path}@{digest}"
    if not model_digest(digest):
        with pytest.raises(InvalidImageName) as info:
            ImageRef(value)
        assert shows(value, str(info.value))
        return
    ref = ImageRef(value)
    assert ref.digest == digest
    assert ref.tag == (tag or "latest")
    assert ref.canonical.endswith(f":{ref.tag}@{digest}")
    assert ImageRef(ref.canonical) == ref


@given(tag=gen.boundary_tags())
@example(tag="a+b")
@example(tag="a.")
@example(tag="_a")
def test_tag_slug_boundaries_match_model(tag: str) -> None:
    value = f"python:{tag}"
    try:
        expected = model_parse(value, None)
    except ModelNameError:
        with pytest.raises(InvalidImageName):
            ImageRef(value)
        return
    except ModelTagError:
        with pytest.raises(InvalidImageTag):
            ImageRef(value)
        return
    ref = ImageRef(value)
    assert (ref.name, ref.tag, ref.tag_set[0]) == (expected.name, expected.tag, expected.main)
    assert dict(ref.tag_set[1]) == expected.platform


@given(tags=st.lists(gen.boundary_platform_tags(), max_size=3))
@example(tags=["py1."])
@example(tags=["py.1"])
@example(tags=["py1..2"])
@example(tags=["py1a.2"])
@example(tags=["py1Z"])
def test_platform_tag_boundaries_match_model(tags: list[str]) -> None:
    try:
        expected = model_platform(tags)
    except ModelTagError:
        with pytest.raises(InvalidImageTag):
            PlatformTagSet(tags)
        return
    assert list(PlatformTagSet(tags).items()) == list(expected.items())


SLUG_REASON = (
    "a tag is letters, digits, '.', '_' and '-', starting and ending with a letter or digit"
)
PLATFORM_REASON = (
    "is not a key of letters and underscores followed by an optional version (digits,"
    " '.digits' groups, then lowercase letters and digits)"
)


@pytest.mark.parametrize(
    ("value", "known", "error", "message"),
    [
        ("/python", None, InvalidImageName, "/python (empty path component)"),
        ("python/", None, InvalidImageName, "python/ (empty path component)"),
        ("a//b", None, InvalidImageName, "a//b (empty path component)"),
        ("a/:1", None, InvalidImageName, "a/:1 (empty path component)"),
        (":1", None, InvalidImageName, ":1 (empty image name)"),
        ("", None, InvalidImageName, "'' (empty image name)"),
        ("@sha256:" + "0" * 64, None, InvalidImageName, "0" * 64 + " (empty image name)"),
        ("r/:1", ["r"], InvalidImageName, "r/:1 (empty image name)"),
        (
            "http://x/y",
            None,
            InvalidImageName,
            "http://x/y (a URL scheme or '//' is not part of an image reference)",
        ),
        (
            "//x/y",
            None,
            InvalidImageName,
            "//x/y (a URL scheme or '//' is not part of an image reference)",
        ),
        ("python:", None, InvalidImageTag, "tag: '', full image name: python: (empty tag)"),
        (
            "python:-a",
            None,
            InvalidImageTag,
            f"tag: -a, full image name: python:-a ({SLUG_REASON})",
        ),
        (
            "python:3.6--ubuntu",
            None,
            InvalidImageTag,
            "tag: '', full image name: python:3.6--ubuntu (empty platform tag)",
        ),
        (
            "python:3.6-ubuntu.1",
            None,
            InvalidImageTag,
            f"tag: ubuntu.1, full image name: python:3.6-ubuntu.1 (platform tag ubuntu.1"
            f" {PLATFORM_REASON})",
        ),
        (
            "python:3.6-py3-py36",
            None,
            InvalidImageTag,
            "tag: py36, full image name: python:3.6-py3-py36 (platform tag key 'py' appears"
            " more than once)",
        ),
    ],
)
def test_errors_say_why(value: str, known: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        ImageRef(value, known)
    assert str(info.value).endswith(message)


@given(
    prefix=st.text(alphabet=gen.PRINTABLE, max_size=6),
    bad=st.characters(exclude_categories=[]).filter(lambda c: not "!" <= c <= "~"),
    suffix=st.text(max_size=6),
)
@example(prefix="py", bad=" ", suffix="thon")
@example(prefix="py", bad="\t", suffix="")
@example(prefix="", bad="\x00", suffix="")
@example(prefix="x", bad="\u00e9", suffix="")
def test_unprintable_errors_point_at_the_first_bad_character(
    prefix: str, bad: str, suffix: str
) -> None:
    value = prefix + bad + suffix
    kind = (
        "whitespace"
        if bad.isspace()
        else "control character"
        if bad.isascii()
        else "non-ASCII character"
    )
    with pytest.raises(InvalidImageName) as info:
        ImageRef(value)
    assert str(info.value) == (
        f"Invalid image name: {value!r} ({kind} {bad!r} at index {len(prefix)};"
        " a reference is printable ASCII without spaces)"
    )


def test_unpickling_checks_tag_and_digest_again() -> None:
    rebuild: Any = ImageRef._from_fields
    with pytest.raises(InvalidImageName) as info:
        rebuild("r", "n", "t", "x86_64", False, "sha256:abc")
    assert str(info.value) == (
        "Invalid image name: r/n:t@sha256:abc (invalid checksum digest length: sha256:abc)"
    )
    with pytest.raises(InvalidImageTag) as tag_info:
        rebuild("r", "n", "-t", "x86_64", False)
    assert "full image name: r/n:-t (" in str(tag_info.value)
    digest = "sha256:" + "0" * 64
    ref = rebuild("r", "n", "1-py3", "arm64", True, digest)
    assert (ref.canonical, ref.architecture, ref.is_local) == (
        f"r/n:1-py3@{digest}",
        "aarch64",
        True,
    )
    assert ref.tag_set == ("1", {"py": "3"})


def test_order_errors_say_why() -> None:
    a, b = ImageRef("a:1"), ImageRef("b:1")
    with pytest.raises(IncomparableImages) as info:
        _ = a < b
    assert str(info.value) == "only images with the same name compare: 'lablup/a' vs 'lablup/b'"
    with pytest.raises(TypeError) as type_info:
        _ = a < "x"  # type: ignore[operator]
    assert str(type_info.value) == "'<' is not supported between ImageRef and str"
    with pytest.raises(TypeError) as type_info:
        _ = a > 1  # type: ignore[operator]
    assert str(type_info.value) == "'>' is not supported between ImageRef and int"
    look_alike: Any = types.SimpleNamespace(_name="other", _record=None)  # not an ImageRef
    with pytest.raises(TypeError) as type_info:
        _ = a < look_alike
    assert str(type_info.value) == "'<' is not supported between ImageRef and SimpleNamespace"


@pytest.mark.parametrize(
    ("tags", "value", "message"),
    [
        (["1x"], "full", f"tag: 1x, full image name: full (platform tag 1x {PLATFORM_REASON})"),
        ([""], None, "tag: '', full image name: '' (empty platform tag)"),
        (
            ["a", "a1"],
            None,
            "tag: a1, full image name: a-a1 (platform tag key 'a' appears more than once)",
        ),
    ],
)
def test_platform_tag_errors_say_why(tags: list[str], value: str | None, message: str) -> None:
    with pytest.raises(InvalidImageTag) as info:
        PlatformTagSet(tags, value)
    assert str(info.value) == f"Invalid or duplicate image name {message}"


# ---------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------


@given(case=value_and_config(), arch=gen.architectures(), is_local=st.booleans())
def test_canonical_round_trip(case: tuple[str, Any], arch: str, is_local: bool) -> None:
    value, known = case
    try:
        ref = ImageRef(value, known, arch, is_local)
    except ImageRefError:
        return
    again = ImageRef(ref.canonical, known, arch, is_local)
    assert again == ref
    assert again.tag_set == ref.tag_set
    assert again.to_dict() == ref.to_dict()
    wildcard_hub = known == ["*"] and (
        ref.registry == "docker.io" or ref.registry.endswith(".docker.io")
    )
    if not wildcard_hub:  # docs/testing.md: Docker Hub under ["*"] is not prefixed
        known_only = ImageRef(ref.canonical, [ref.registry], arch, is_local)
        assert known_only.to_dict() == ref.to_dict()


@given(case=value_and_config(), arch=gen.architectures(), is_local=st.booleans())
def test_to_dict_agrees_with_fields_and_is_json(
    case: tuple[str, Any], arch: str, is_local: bool
) -> None:
    value, known = case
    try:
        ref = ImageRef(value, known, arch, is_local)
    except ImageRefError:
        return
    data = ref.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["registry"] == ref.registry
    assert data["name"] == ref.name
    assert data["tag"] == ref.tag
    assert data["architecture"] == ref.architecture
    assert data["is_local"] is is_local
    pinned = "" if ref.digest is None else f"@{ref.digest}"
    assert data["digest"] == ref.digest
    assert data["canonical"] == f"{ref.registry}/{ref.name}:{ref.tag}{pinned}" == str(ref)
    assert data["short"] == f"{ref.name}:{ref.tag}{pinned}" == ref.short
    assert data["version"] == ref.tag_set[0] == ref.tag.split("-")[0]
    assert data["platform_tags"] == dict(ref.tag_set[1])
    assert repr(ref) == f'<ImageRef: "{ref.canonical}" ({ref.architecture})>'


@given(case=value_and_config(), arch=gen.architectures(), is_local=st.booleans())
def test_pickle_and_copy_keep_the_ref(case: tuple[str, Any], arch: str, is_local: bool) -> None:
    value, known = case
    try:
        ref = ImageRef(value, known, arch, is_local)
    except ImageRefError:
        return
    clone = pickle.loads(pickle.dumps(ref))
    assert clone == ref
    assert clone.to_dict() == ref.to_dict()
    assert copy.copy(ref) is ref
    assert copy.deepcopy(ref) is ref
    tags = pickle.loads(pickle.dumps(ref.tag_set[1]))
    assert list(tags.items()) == list(ref.tag_set[1].items())


@given(
    value=gen.image_refs(),
    attr=st.sampled_from(
        ["registry", "name", "tag", "architecture", "is_local", "tag_set", "canonical", "digest"]
    ),
)
def test_fields_are_read_only(value: str, attr: str) -> None:
    ref = ImageRef(value, ["*"])
    with pytest.raises(AttributeError):
        setattr(ref, attr, "x")


@given(value=gen.image_refs(), arch=gen.architectures())
def test_architecture_is_stored_through_aliases(value: str, arch: str) -> None:
    ref = ImageRef(value, ["*"], arch)
    assert ref.architecture == arch_name_aliases.get(arch, arch)
    assert ImageRefParser(["*"], arch).architecture == ref.architecture


# ---------------------------------------------------------------------------
# ImageRefParser
# ---------------------------------------------------------------------------


@given(
    values=st.lists(gen.reference_text(), min_size=1, max_size=6),
    known=configs,
    arch=gen.architectures(),
    cache_size=st.sampled_from([0, 1, 2, 4096]),
)
def test_parser_equals_constructor(
    values: list[str], known: Any, arch: str, cache_size: int
) -> None:
    parser = ImageRefParser(known, arch, cache_size=cache_size)
    for value in [*values, *reversed(values)]:
        for is_local in (False, True):
            expected = outcome(lambda: ImageRef(value, known, arch, is_local))  # noqa: B023
            actual = outcome(lambda: parser.parse(value, is_local=is_local))  # noqa: B023
            assert actual == expected
    parser.cache_clear()
    assert outcome(lambda: parser.parse(values[0])) == outcome(
        lambda: ImageRef(values[0], known, arch)
    )
    if cache_size and outcome(lambda: parser.parse(values[-1]))[0] == "ok":
        for is_local in (False, True):  # memoised: the very same object comes back
            first = parser.parse(values[-1], is_local=is_local)
            assert parser.parse(values[-1], is_local=is_local) is first
            assert first.is_local is is_local


# ---------------------------------------------------------------------------
# Equality, hash, order
# ---------------------------------------------------------------------------


@given(a=gen.image_refs(), b=gen.image_refs(), arch=st.sampled_from(["x86_64", "amd64", "arm64"]))
def test_equality_hash_and_is_local_agree(a: str, b: str, arch: str) -> None:
    ra, ra_local = ImageRef(a, ["*"], arch), ImageRef(a, ["*"], arch, is_local=True)
    rb = ImageRef(b, ["*"], "x86_64")
    assert ra == ra_local
    assert hash(ra) == hash(ra_local)
    assert ra_local.is_local
    assert not ra.is_local
    same = (ra.registry, ra.name, ra.tag, ra.architecture, ra.digest) == (
        rb.registry,
        rb.name,
        rb.tag,
        rb.architecture,
        rb.digest,
    )
    assert (ra == rb) is same
    assert (ra != rb) is not same
    if same:
        assert hash(ra) == hash(rb)
    assert ra != a  # D5
    assert ra != object()


@given(values=st.lists(gen.image_refs(), min_size=3, max_size=6, unique=True))
def test_hash_tells_different_refs_apart(values: list[str]) -> None:
    refs = {ImageRef(value, ["*"]) for value in values}
    assume(len(refs) >= 3)
    assert len({hash(ref) for ref in refs}) >= 2


@given(refs=same_name_refs(2, same_keys=False))
def test_order_is_irreflexive_and_asymmetric(refs: list[ImageRef]) -> None:
    a, b = refs
    assert not a < a
    assert not a > a
    assert not (a < b and b < a)
    assert (a > b) is (b < a)
    if a == b:
        assert not a < b


@given(refs=same_name_refs(3, same_keys=True))
def test_order_is_transitive_with_shared_keys(refs: list[ImageRef]) -> None:
    a, b, c = refs
    if a < b and b < c:
        assert a < c


@given(refs=same_name_refs(2, same_keys=False, pep440=True))
def test_order_matches_packaging_on_pep440_versions(refs: list[ImageRef]) -> None:
    a, b = refs
    assert (a < b) is model_lt(a, b)
    assert (a > b) is model_lt(b, a)


@given(a=gen.main_versions(), b=gen.main_versions())
def test_order_never_raises_and_puts_non_pep440_first(a: str, b: str) -> None:
    assume(a[-1].isalnum() and b[-1].isalnum())
    ra, rb = ImageRef(f"x:{a}"), ImageRef(f"x:{b}")
    lt, gt = ra < rb, ra > rb
    if a != b and is_pep440(a) != is_pep440(b):
        assert lt is is_pep440(b)
        assert gt is is_pep440(a)
    elif a != b and not is_pep440(a):  # D6: text order among non-PEP 440 versions
        assert lt is (a < b)


@given(a=gen.image_refs(), b=gen.image_refs())
def test_order_needs_same_name_and_an_image_ref(a: str, b: str) -> None:
    ra, rb = ImageRef(a, ["*"]), ImageRef(b, ["*"])
    if ra.name != rb.name:
        with pytest.raises(IncomparableImages):
            _ = ra < rb
        with pytest.raises(ValueError, match="same name"):
            _ = ra > rb
    with pytest.raises(TypeError):
        _ = ra < b  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = ra > b  # type: ignore[operator]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # The deciding key is looked up in the left operand's order: both "less".
        (("1-x1-y2", "1-y1-x2"), (True, True)),
        # A three-cycle: a < b (x), b < c (y), c < a (no shared key, more keys).
        (("1-x1", "1-x2-y1", "1-y2-w"), (True, True, True)),
        # Empty versions are skipped: a < b (y), b < c (y), yet not a < c (x).
        (("1-x1-y1", "1-x-y2", "1-x0-y3"), (True, True, False)),
    ],
    ids=["asymmetry", "cycle", "empty-version"],
)
def test_documented_ordering_counterexamples(
    tags: tuple[str, ...], expected: tuple[bool, ...]
) -> None:
    """Pinned from docs/compatibility.md; the reference answers the same."""
    refs = [ImageRef(f"python:{tag}") for tag in tags]
    if len(refs) == 2:
        a, b = refs
        assert (a < b, b < a) == expected
    else:
        a, b, c = refs
        first = (a < b, b < c)
        third = c < a if expected[2] else a < c
        assert (*first, third) == expected


# ---------------------------------------------------------------------------
# Aliases
# ---------------------------------------------------------------------------


@given(path=gen.paths(), tag=gen.tags(), registry=gen.registries())
def test_aliases_match_contract_model(path: str, tag: str, registry: str) -> None:
    ref = ImageRef(f"{registry}/{path}:{tag}", [registry])
    aliases = ref.generate_aliases()
    main, platform = ref.tag_set
    assert set(aliases) == model_aliases(ref.name, main, platform)
    assert all(target is ref for target in aliases.values())


def _aliases_parse_precondition(path: str, tag: str) -> bool:
    """When every alias is a valid reference (docs/testing.md lists the exceptions)."""
    main, *platform = tag.split("-")
    keys = [_key_of(t) for t in platform]
    basename = path.rpartition("/")[2]
    return (
        main[-1].isalnum()
        and not any(k.endswith("_") for k in keys)
        and sum("cuda" in k or k == "gpu" for k in keys) <= 1
        and "" not in basename.split("-")[1:2]
    )


def _key_of(tag: str) -> str:
    cut = 0
    while cut < len(tag) and tag[cut] in KEY_CHARS:
        cut += 1
    return tag[:cut]


@given(path=gen.paths(), tag=gen.tags())
def test_aliases_keep_main_version_and_parse(path: str, tag: str) -> None:
    ref = ImageRef(f"{path}:{tag}")
    main = ref.tag_set[0]
    basename = ref.name.rpartition("/")[2]
    bare = {basename, *basename.split("-")[1:2]}
    parsable = _aliases_parse_precondition(path, tag)
    for alias in ref.generate_aliases():
        if alias in bare:
            continue
        alias_name, _, alias_tag = alias.rpartition(":")
        assert alias_tag.split("-")[0] == main
        if parsable:
            parsed = ImageRef(alias)
            assert parsed.tag_set[0] == main
            assert parsed.tag == alias_tag
            assert parsed.name.rpartition("/")[2] == alias_name


@pytest.mark.parametrize(
    ("value", "alias"),
    [
        ("python:1-cuda9-cuda_12", "python:1-gpu-gpu"),  # two keys yield "gpu"
        ("python:1-cuda9-cuda_12", "python:1-cuda_"),  # a tag ending in "_"
        ("python:3.-cuda9", "python:3."),  # a main version ending in "."
        ("a--b:1-x", ":1-x"),  # an empty second "-" piece of the basename
    ],
)
def test_documented_aliases_that_are_not_references(value: str, alias: str) -> None:
    """The contract generates these aliases (as the reference does); none parses."""
    assert alias in ImageRef(value).generate_aliases()
    with pytest.raises(ImageRefError):
        ImageRef(alias)


def test_alias_count_from_the_contract() -> None:
    ref = ImageRef("lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0")
    aliases = ref.generate_aliases()
    assert len(aliases) == 162
    assert "tensorflow:1.5-py3-ubuntu16-gpu" in aliases
    assert "python-tensorflow:py36" not in aliases


@given(
    path=gen.paths(),
    tags_a=st.lists(gen.tags(platform=gen.platform_tag_lists(max_size=3)), min_size=1, max_size=3),
    tags_b=st.lists(gen.tags(platform=gen.platform_tag_lists(max_size=3)), min_size=1, max_size=3),
)
def test_merge_aliases_is_idempotent_and_keeps_every_key(
    path: str, tags_a: list[str], tags_b: list[str]
) -> None:
    def fold(tags: list[str]) -> dict[str, ImageRef]:
        out: dict[str, ImageRef] = {}
        for tag in tags:
            out = ImageRef.merge_aliases(out, ImageRef(f"{path}:{tag}").generate_aliases())
        return out

    a, b = fold(tags_a), fold(tags_b)
    merged = ImageRef.merge_aliases(a, b)
    assert set(merged) == set(a) | set(b)
    assert ImageRef.merge_aliases(merged, merged) == merged
    assert ImageRef.merge_aliases(merged, b) == merged
    assert ImageRef.merge_aliases(a, a) == a
    for key, ref in merged.items():
        if key in a and key in b:
            assert ref in (a[key], b[key])
            loser = b[key] if ref is a[key] else a[key]
            assert not loser > ref
        else:
            assert ref is (a[key] if key in a else b[key])


# ---------------------------------------------------------------------------
# PlatformTagSet
# ---------------------------------------------------------------------------


@given(tags=gen.platform_tag_lists())
def test_platform_tag_set_gives_back_keys_and_versions(tags: list[tuple[str, str]]) -> None:
    tag_set = PlatformTagSet([key + version for key, version in tags])
    assert list(tag_set.items()) == tags
    assert len(tag_set) == len(tags)
    assert tag_set == {key for key, _ in tags}
    assert tag_set == dict(tags)
    for key, version in tags:
        assert tag_set.has(key)
        assert tag_set.has(key, version)
        assert not tag_set.has(key, version + "0")
        assert key in tag_set
        assert tag_set[key] == version
        assert tag_set.get(key) == version
    assert not tag_set.has("-")
    assert tag_set.get("-", "none") == "none"


@given(
    tags=st.lists(
        st.one_of(
            st.builds(lambda kv: kv[0] + kv[1], gen.platform_tags()),
            gen.near_misses(st.builds(lambda kv: kv[0] + kv[1], gen.platform_tags())),
        ),
        max_size=4,
    ),
    value=st.one_of(st.none(), gen.image_refs()),
)
def test_platform_tag_set_matches_model(tags: list[str], value: str | None) -> None:
    try:
        expected = model_platform(tags)
    except ModelTagError:
        with pytest.raises(InvalidImageTag) as info:
            PlatformTagSet(tags, value)
        if value is not None:
            assert shows(value, str(info.value))
        return
    assert dict(PlatformTagSet(tags, value)) == expected


# ---------------------------------------------------------------------------
# PEP 440
# ---------------------------------------------------------------------------


def _sign(x: Any, y: Any) -> int:
    return int(x > y) - int(x < y)


@given(a=gen.pep440_versions(), b=gen.pep440_versions())
@example(a="1.0.dev1", b="1.0a1")
@example(a="1.0.post1.dev1", b="1.0.post1")
@example(a="1.0+abc", b="1.0+1")
@example(a="1.0.dev5", b="1.0a0.dev1")
@example(a="1.0.dev0", b="1.0a0.dev0")
@example(a="1.0", b="1.0.0.0")
@example(a="1.0.post0", b="1.0-0")
@example(a="1.0.post", b="1.0")
@example(a="1.0rc", b="1.0rc0")
@example(a="1!0", b="2.0")
@example(a="1.0.dev", b="1.0.dev0")
@example(a="1.0.dev", b="1.0.dev1")
@example(a="1.0.post", b="1.0.post1")
def test_pep440_key_orders_like_packaging(a: str, b: str) -> None:
    assert is_pep440(a)
    assert is_pep440(b)
    assert _sign(version_key(a), version_key(b)) == _sign(Version(a), Version(b))


_local_segment = st.sampled_from(["0", "1", "2", "10", "01", "a", "b", "A", "ab", "abc", "z9"])


@given(
    public=st.sampled_from(["1.0", "1", "1.0.post1", "1.0a1", "2"]),
    a=st.lists(_local_segment, min_size=1, max_size=3),
    b=st.lists(_local_segment, min_size=1, max_size=3),
    sep_a=st.sampled_from(".-_"),
    sep_b=st.sampled_from(".-_"),
    local_b=st.booleans(),
)
def test_pep440_local_labels_order_like_packaging(
    public: str, a: list[str], b: list[str], sep_a: str, sep_b: str, local_b: bool
) -> None:
    va = f"{public}+{sep_a.join(a)}"
    vb = f"{public}+{sep_b.join(b)}" if local_b else public
    assert _sign(version_key(va), version_key(vb)) == _sign(Version(va), Version(vb))
    assert _sign(order_bytes(va), order_bytes(vb)) == _sign(Version(va), Version(vb))


_any_version = st.one_of(
    gen.pep440_versions(),
    gen.main_versions(),
    st.builds(
        lambda numbers: ".".join(map(str, numbers)),
        st.lists(st.integers(0, 2**70), min_size=1, max_size=3),
    ),
    st.text(max_size=6),
    st.text(alphabet=st.characters(categories=["Cs", "Lo"]), max_size=3),
)


@given(a=_any_version, b=_any_version)
@example(a="255", b="256")
@example(a="65535", b="65536")
@example(a="1.0+a", b="1.0+1")
@example(a="1.0.post0", b="1.0")
@example(a="\ud800", b="\U0001f600")
def test_order_bytes_sort_like_version_key(a: str, b: str) -> None:
    """The byte keys ``<`` uses order every text exactly as :func:`version_key` does."""
    assert _sign(order_bytes(a), order_bytes(b)) == _sign(version_key(a), version_key(b))


@given(text=st.one_of(gen.near_pep440_versions(), gen.pep440_versions(), st.text(max_size=12)))
def test_is_pep440_matches_packaging(text: str) -> None:
    assume(text.isascii() and text == text.strip())
    try:
        Version(text)
    except InvalidVersion:
        accepted = False
    else:
        accepted = True
    note(f"packaging accepts: {accepted}")
    assert is_pep440(text) is accepted


@given(
    version=gen.pep440_versions(), where=st.integers(0, 40), char=st.characters(min_codepoint=128)
)
@example(version="1.0post1", where=4, char="\u017f")  # LATIN SMALL LETTER LONG S folds to "s"
@example(version="1.0.dev1", where=3, char="\u0130")
def test_pep440_is_ascii_only(version: str, where: int, char: str) -> None:
    """Case-insensitive matching must not let non-ASCII look-alikes in (``re.ASCII``)."""
    text = version[:where] + char + version[where + 1 :]
    assert not is_pep440(text)
    assert version_key(text)[0] == 0


@given(a=st.text(max_size=8), b=st.text(max_size=8))
def test_version_key_is_a_total_order_on_any_text(a: str, b: str) -> None:
    ka, kb = version_key(a), version_key(b)
    assert sum([ka < kb, ka == kb, ka > kb]) == 1
    if not is_pep440(a) and not is_pep440(b):
        assert (ka < kb) is (a < b)


# ---------------------------------------------------------------------------
# A bug the properties found (fixed): an empty last name component before the tag
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "known"), [("a/:1", None), ("r/a/:1", ["r"]), ("a/b/:1", None), ("x/y/:z", ["*"])]
)
def test_d2_empty_name_component(value: str, known: Any) -> None:
    try:
        ImageRef(value, known)
    except InvalidImageName:
        return
    raise AssertionError(f"{value!r} parsed; the contract says InvalidImageName (D2)")
