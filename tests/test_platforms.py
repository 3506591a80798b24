"""imageref.platforms against containerd's test tables (tests/data/containerd_platforms.json)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageref import arch_name_aliases, docker_api_arch_aliases
from imageref.errors import ImageRefError, ImageRefTypeError, InvalidPlatform
from imageref.platforms import (
    Platform,
    _host,
    format_platform,
    matcher,
    parse_platform,
    platform_for_architecture,
)

DATA = json.loads((Path(__file__).parent / "data" / "containerd_platforms.json").read_text("utf-8"))


def _host_parts() -> tuple[str, str, str]:
    """This machine's (os, architecture, variant) after normalisation."""
    host_os, architecture, variant = _host()
    normal = Platform(host_os, architecture, variant).normalized()
    return normal.os, normal.architecture, normal.variant


@pytest.mark.parametrize("case", DATA["parse"], ids=lambda case: case["input"])
def test_parse_table(case: dict[str, Any]) -> None:
    host_os, host_arch, host_variant = _host_parts()
    p = parse_platform(case["input"])
    assert p.os == (case["os"] or host_os)
    if case["architecture"] is None:
        assert (p.architecture, p.variant) == (host_arch, host_variant)
    else:
        assert (p.architecture, p.variant) == (case["architecture"], case["variant"])
    assert p.os_version == case["os_version"]
    assert p.os_features == tuple(case["os_features"])
    arch = "/".join(part for part in (host_arch, host_variant) if part)
    formatted = case["formatted"].format(os=host_os, arch=arch)
    assert format_platform(p, full=True) == formatted
    assert parse_platform(formatted) == p  # the formatted form reads back the same
    strict = matcher(p, strict=True)
    assert strict.match(p)
    for os, architecture, variant in case["matches"]:
        assert strict.match(Platform(os, architecture, variant)), (os, architecture, variant)


@pytest.mark.parametrize("text", DATA["parse_invalid"])
def test_parse_invalid_table(text: str) -> None:
    with pytest.raises(InvalidPlatform) as caught:
        parse_platform(text)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, ImageRefError)
    assert str(caught.value).startswith("platform ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("linux/arm/v7/x", "more than three '/'-separated parts"),
        ("nosuchthing", "not a known operating system or architecture"),
        ("windows(50%zz)/amd64", "has a '%' not followed by two hex digits"),
        ("windows(%ff)/amd64", "decodes to bytes that are not UTF-8"),
        ("lin ux/amd64", "is not an OS[(version)]"),
        ("linux/am!d64", "is not a component"),
        ("linux(1)(2)/amd64", "is not an OS[(version)]"),
        ("linux(++x)/amd64", "is not an OS[(version)]"),
        ("linux/amd64\n", "is not a component"),
    ],
)
def test_parse_errors_name_input_and_rule(text: str, reason: str) -> None:
    with pytest.raises(InvalidPlatform) as caught:
        parse_platform(text)
    assert reason in str(caught.value)
    assert repr(text)[1:-1] in str(caught.value) or text in str(caught.value)


def test_parse_error_on_huge_input_is_short() -> None:
    with pytest.raises(InvalidPlatform) as caught:
        parse_platform("linux(" + "+" * 65536 + ")/amd64")
    assert len(str(caught.value)) < 3000
    assert "65" in str(caught.value)  # the length is named


@pytest.mark.parametrize(("fields", "expected"), DATA["format_all"], ids=str)
def test_format_all_table(fields: list[Any], expected: str) -> None:
    os, architecture, variant, version, features = fields
    p = Platform(os, architecture, variant, version, features)
    assert format_platform(p, full=True) == expected
    back = parse_platform(expected)
    assert back.os_version == version
    assert back.os_features == tuple(sorted({f for f in features if f}))


def _table(name: str) -> list[tuple[str, str, bool]]:
    return [
        (wanted, candidate, should)
        for wanted, (yes, no) in DATA[name].items()
        for should, candidates in ((True, yes), (False, no))
        for candidate in candidates
    ]


@pytest.mark.parametrize(("wanted", "candidate", "should"), _table("only"))
def test_only_table(wanted: str, candidate: str, should: bool) -> None:
    m = matcher(wanted)
    assert m.match(candidate) is should
    assert m.match(parse_platform(candidate)) is should
    assert (m.rank(candidate) is not None) is should


@pytest.mark.parametrize(("wanted", "candidate", "should"), _table("only_strict"))
def test_only_strict_table(wanted: str, candidate: str, should: bool) -> None:
    assert matcher(wanted, strict=True).match(candidate) is should


@pytest.mark.parametrize(("wanted", "candidates", "order"), DATA["order"])
@pytest.mark.parametrize("strict", [False, True])
def test_order_of_matches(
    wanted: str, candidates: list[str], order: list[str], strict: bool
) -> None:
    # containerd's order lists every candidate; the matching ones come first, and
    # they are what rank orders (a stable sort, as the candidates were given).
    m = matcher(wanted, strict=strict)
    matching = [c for c in candidates if m.match(c)]
    ranked = sorted(matching, key=lambda c: m.rank(c) or 0)
    assert [format_platform(parse_platform(c), full=True) for c in ranked] == order[: len(matching)]


def test_only_ranks_follow_containerd_fallback_order() -> None:
    m = matcher("linux/arm64/v9.2")
    ladder = [
        "linux/arm64/v9.2",
        "linux/arm64/v9.1",
        "linux/arm64/v9",
        "linux/arm64/v8.7",
        "linux/arm64/v8.6",
        "linux/arm64/v8.5",
        "linux/arm64/v8.4",
        "linux/arm64/v8.3",
        "linux/arm64/v8.2",
        "linux/arm64/v8.1",
        "linux/arm64",
        "linux/arm/v8",
        "linux/arm/v7",
        "linux/arm/v6",
        "linux/arm/v5",
    ]
    assert [m.rank(c) for c in ladder] == list(range(len(ladder)))
    assert m.rank("linux/arm64/v8.8") is None
    assert matcher("linux/arm64/v7").rank("linux/arm64/v7") is None  # containerd: no list


def test_os_version_never_affects_a_match() -> None:
    m = matcher("windows(10.0.17763)/amd64")
    assert m.match("windows(10.0.20348)/amd64")
    assert m.match(Platform("windows", "amd64", os_version="6.3.9600"))
    assert matcher("windows/amd64", strict=True).match("windows(10.0.17763)/amd64")


def test_os_features_must_be_a_subset_and_windows_ignores_win32k() -> None:
    assert not matcher("linux/amd64").match("linux(+gpu)/amd64")
    assert matcher("linux(+gpu+simd)/amd64").match("linux(+gpu)/amd64")
    assert matcher("windows/amd64").match("windows(+win32k)/amd64")
    assert not matcher("linux/amd64").match("linux(+win32k)/amd64")


def test_platform_value() -> None:
    p = Platform("Linux", "AArch64", "V8", "", ["b", "a", "b"])
    assert (p.os, p.architecture, p.variant, p.os_features) == (
        "Linux",
        "AArch64",
        "V8",
        ("b", "a", "b"),
    )
    assert p.normalized() == Platform("linux", "arm64", "", "", ("a", "b"))
    assert str(p) == "linux/arm64"
    assert p.backendai_architecture == "aarch64"
    assert hash(p) == hash(Platform("Linux", "AArch64", "V8", "", ("b", "a", "b")))
    assert pickle.loads(pickle.dumps(p)) == p
    assert eval(repr(p)) == p
    with pytest.raises(AttributeError):
        p.os = "windows"
    assert str(Platform("", "amd64")) == "unknown"
    assert Platform("linux", "amd64") != "linux/amd64"


@pytest.mark.parametrize(
    ("architecture", "expected"),
    [
        ("amd64", "x86_64"),
        ("x86_64", "x86_64"),
        ("arm64", "aarch64"),
        ("aarch64", "aarch64"),
        ("386", "386"),
        ("i386", "386"),
        ("s390x", "s390x"),
        ("arm", "arm"),
        ("riscv64", "riscv64"),
    ],
)
def test_backendai_architecture(architecture: str, expected: str) -> None:
    assert Platform("linux", architecture).backendai_architecture == expected


def test_backendai_names_come_from_imageref_tables() -> None:
    assert Platform("linux", "amd64").backendai_architecture == arch_name_aliases["amd64"]
    assert Platform("linux", "arm64").backendai_architecture == arch_name_aliases["arm64"]
    for stored, docker in docker_api_arch_aliases.items():
        p = platform_for_architecture(stored)
        assert p == parse_platform(f"linux/{docker}"), stored
    assert platform_for_architecture("x86_64").backendai_architecture == "x86_64"
    assert platform_for_architecture("aarch64", "windows") == Platform("windows", "arm64")
    assert platform_for_architecture("ppc64le") == Platform("linux", "ppc64le")


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_platform(b"linux/amd64"),  # type: ignore[arg-type]
        lambda: Platform("linux", 64),  # type: ignore[arg-type]
        lambda: Platform("linux", "amd64", os_features="gpu"),
        lambda: Platform("linux", "amd64", os_features=[1]),  # type: ignore[list-item]
        lambda: matcher(None),  # type: ignore[arg-type]
        lambda: matcher("linux/amd64").match(3),  # type: ignore[arg-type]
        lambda: format_platform("linux/amd64"),  # type: ignore[arg-type]
        lambda: platform_for_architecture(None),  # type: ignore[arg-type]
    ],
)
def test_type_errors(call: Any) -> None:
    with pytest.raises(ImageRefTypeError):
        call()


_PIECE = st.text(alphabet="aAzZ09_.-%+()/ *x", max_size=12)


@given(st.lists(_PIECE, max_size=5).map("/".join) | st.text(max_size=30))
def test_parse_platform_is_total_and_stable(text: str) -> None:
    try:
        p = parse_platform(text)
    except InvalidPlatform:
        return
    assert p == p.normalized()
    again = parse_platform(format_platform(p, full=True))
    assert again == p
    assert matcher(p, strict=True).rank(p) == 0
    assert matcher(p).rank(p) == 0 or matcher(p).rank(p) is None  # arm64/v7: no list


def test_full_format_escapes_what_the_grammar_does_not_take() -> None:
    p = Platform("windows", "amd64", os_version="25 oe", os_features=["a/b", "caf\u00e9"])
    text = format_platform(p, full=True)
    assert text == "windows(25%20oe+a%2Fb+caf%C3%A9)/amd64"
    assert parse_platform(text) == p.normalized()
