"""Helpers shared by the fuzz harnesses (not a harness: no ``fuzz_`` prefix).

Input layout for the reference harnesses: the first byte picks the configuration
(known registries, architecture), the rest is the reference as UTF-8; bytes that
are not UTF-8 become lone surrogates (``surrogateescape``), so every byte string
maps to some ``str`` and hostile text is reached. ``make_corpus.py`` writes seeds
in this layout.
"""

from __future__ import annotations

import operator
import pickle
from typing import Any

from imageref import (
    ImageRef,
    ImageRefError,
    InvalidImageName,
    InvalidImageTag,
    PlatformTagSet,
    arch_name_aliases,
)

ARCHITECTURES = ("x86_64", "arm64", "aarch64", "amd64", "riscv64")
N_CONFIGS = 8

# Which configuration each value of ``selector % N_CONFIGS`` means; "first" is the
# input's first path component, so the fuzzer reaches the known-registry branch.
CONFIG_NAMES = (
    "none",
    "list-first",
    "wildcard",
    "mapping-first",
    "tuple-first",
    "docker-hub",
    "set-first",
    "list-other",
)


def config(selector: int, value: str) -> Any:
    first = value.partition("/")[0]
    kind = CONFIG_NAMES[selector % N_CONFIGS]
    if kind == "none":
        return None
    if kind == "list-first":
        return ["cr.backend.ai", first]
    if kind == "wildcard":
        return ["*"]
    if kind == "mapping-first":
        return {first: {"url": "https://example.invalid"}, "cr.backend.ai": {}}
    if kind == "tuple-first":  # or the one name as a str (D8), which reads the same
        return (first,) if selector & 0x80 else first
    if kind == "docker-hub":
        return ["docker.io", "registry-1.docker.io"]
    if kind == "set-first":
        return {first, "*"}
    return ["cr.backend.ai", "localhost:5000"]


def split_input(data: bytes) -> tuple[int, str]:
    """(selector, text) from raw fuzzer bytes."""
    if not data:
        return 0, ""
    return data[0], data[1:].decode("utf-8", "surrogateescape")


def architecture(selector: int) -> str:
    return ARCHITECTURES[(selector // N_CONFIGS) % len(ARCHITECTURES)]


# Reference errors show an input of up to this many characters whole (D4), and a longer
# one as the repr of its first and last half of it, then its length (docs/api.md).
SHOW_MAX_CHARS = 1024


def shows(value: str, message: str) -> bool:
    """Whether *message* names the full input *value*, as the error docs say it does."""
    if len(value) <= SHOW_MAX_CHARS:
        return value in message or repr(value) in message
    half = SHOW_MAX_CHARS // 2
    return f"{value[:half]!r}...{value[-half:]!r} ({len(value)} characters)" in message


def outcome(call: Any) -> tuple[str, Any]:
    """("ok", fields) or (exception class name, message); other exceptions propagate."""
    try:
        ref = call()
    except ImageRefError as exc:
        return type(exc).__name__, str(exc)
    return "ok", (ref.to_dict(), ref.tag_set, ref.is_local)


def check_error(value: str, exc: ImageRefError) -> None:
    message = str(exc)
    if isinstance(exc, InvalidImageName):
        assert message.startswith("Invalid image name: "), message
    elif isinstance(exc, InvalidImageTag):
        assert message.startswith("Invalid or duplicate image name tag: "), message
    else:
        raise AssertionError(f"unexpected error class {type(exc).__name__}: {message}")
    assert shows(value, message), (value, message)


def check_ref(value: str, known: Any, arch: str, ref: ImageRef) -> None:
    """Every invariant a successfully parsed ref must keep."""
    registry, name, tag = ref.registry, ref.name, ref.tag
    for field in (registry, name, tag):
        assert field, (ref, field)
        assert field.isascii(), field
        assert field.isprintable(), field
        assert " " not in field, field
    pinned = "" if ref.digest is None else f"@{ref.digest}"
    assert ref.canonical == f"{registry}/{name}:{tag}{pinned}" == str(ref)
    assert ref.short == f"{name}:{tag}{pinned}"
    assert ref.digest is None or value.endswith(pinned)
    assert ref.architecture == arch_name_aliases.get(arch, arch)
    main, platform = ref.tag_set
    assert main == tag.split("-")[0]
    assert "-".join([main, *(k + v for k, v in platform.items())]) == tag
    assert PlatformTagSet(tag.split("-")[1:]) == dict(platform)

    # Round trip: the canonical form parses to the same ref under the same configuration.
    again = ImageRef(ref.canonical, known, arch, ref.is_local)
    assert again == ref, (ref, again)
    assert again.to_dict() == ref.to_dict()
    assert hash(again) == hash(ref)

    clone = pickle.loads(pickle.dumps(ref))
    assert clone == ref
    assert clone.is_local == ref.is_local
    assert not operator.lt(ref, ref)
    assert not operator.gt(ref, ref)

    if len(platform) <= 4:
        aliases = ref.generate_aliases()
        assert all(target is ref for target in aliases.values())
        merged = ImageRef.merge_aliases(aliases, aliases)
        assert merged == aliases
