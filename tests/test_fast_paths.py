"""The hot path's hand-written checks give exactly the answers of the patterns they replace.

``imageref._grammar`` keeps every rule as a pattern; ``is_tag_slug``,
``split_platform_tag``, ``is_ip_registry`` and the bare-release branch of
``_pep440._compute_key`` answer the same questions with ``str`` methods for speed.
These tests compare them exhaustively over short strings of the characters that
matter, and over random longer ones.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

from imageref import ImageRef, InvalidImageTag, _grammar, _pep440, image


def _strings(alphabet: str, max_len: int) -> list[str]:
    return [
        "".join(chars)
        for n in range(max_len + 1)
        for chars in itertools.product(alphabet, repeat=n)
    ]


def _random(alphabet: str, count: int, max_len: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, max_len))) for _ in range(count)
    ]


TAG_TEXTS = (
    _strings("aB_1.0-x", 4)
    + _random("aZ_09.-by", 3000, 12, 1)
    + ["é1", "a²", "1²", "py3é", "١٢", "a\n", "ubuntu16.04", "cuda11.3B", "x1y", "py3.6.post1"]
)


def test_is_tag_slug_matches_pattern() -> None:
    for text in TAG_TEXTS:
        assert _grammar.is_tag_slug(text) == (_grammar.TAG_SLUG.fullmatch(text) is not None), text


def test_split_platform_tag_matches_pattern() -> None:
    for text in TAG_TEXTS:
        m = _grammar.PLATFORM_TAG.fullmatch(text)
        want = None if m is None else (m["key"], m["version"] or "")
        assert _grammar.split_platform_tag(text) == want, text


def test_is_ip_registry_matches_pattern() -> None:
    texts = (
        _strings("0125.:", 7)
        + _random("0125.:9", 5000, 18, 2)
        + [
            "127.0.0.1:5000",
            "255.255.255.255:65535",
            "256.1.1.1",
            "01.1.1.1",
            "0.0.0.0:00000",
            "1.2.3.4:65536",
            "1.2.3.4:",
            "1.2.3.4:123456",
            "\u0661.2.3.4",
            "1.2.3.4:\u0665",
            "[::1]:5000",
            "[fe80::1%eth0]:5000",
            "[::1",
        ]
    )
    for text in texts:
        want = _grammar.IP_REGISTRY.fullmatch(text) is not None
        assert _grammar.is_ip_registry(text) == want, text


IPV6_TEXTS = [
    "[::1]",
    "[::1]:5000",
    "[::]",
    "[1::]",
    "[::1:2:3:4:5:6:7]",
    "[::1:2:3:4:5:6:7:8]",
    "[1:2:3:4:5:6:7:8]",
    "[1:2:3:4:5:6:7]",
    "[1:2:3:4:5:6::7]",
    "[1:2:3:4:5:6:7::]",
    "[::ffff:1.2.3.4]",
    "[1:2:3:4:5:6:1.2.3.4]",
    "[1:2:3:4:5:1.2.3.4]",
    "[1.2.3.4::]",
    "[1::1.2.3.4:5]",
    "[fe80::1%eth0]:5000",
    "[fe80::1%]",
    "[fe80::1%%41]",
    "[fe80::1%e%4]",
    "[fe80::1%e%4g]",
    "[212c:9cb9:eada:e57b:84c9:6a9:fbec:bdd2]:1024",
    "[12345::]",
    "[:::]",
    "[1:::2]",
    "[1::2::3]",
    "[::1]:",
    "[::1]5000",
    "[::1]:65536",
    "[::1]:00080",
    "[]",
    "[",
    "[::1",
    "[::256.0.0.0]",
]


def test_is_ip_registry_matches_pattern_for_ipv6() -> None:
    rnd = random.Random(3)
    texts = list(IPV6_TEXTS)
    for _ in range(20_000):
        groups = [
            rnd.choice(["0", "1", "ff", "abcd", "12345", ""]) for _ in range(rnd.randint(0, 9))
        ]
        if rnd.random() < 0.3:
            groups.append(rnd.choice(["1.2.3.4", "256.1.1.1", "1.2.3"]))
        address = ":".join(groups)
        if rnd.random() < 0.5:
            cut = rnd.randint(0, len(address))
            address = address[:cut] + "::" + address[cut:]
        zone = rnd.choice(["", "", "%eth0", "%25", "%", "%zz", "%%4a"])
        texts.append(f"[{address}{zone}]" + rnd.choice(["", ":5000", ":", ":99999"]))
    texts += ["[" + s for s in _random("[]:1a.%e5", 5000, 22, 6)]
    for text in texts:
        want = _grammar.IP_REGISTRY.fullmatch(text) is not None
        assert _grammar.is_ip_registry(text) == want, text


def test_version_key_fast_branches_match_pattern() -> None:
    for text in [*_strings("019.vr", 5), "3.6", "20.04", "1.10", "00.01", "latest", "\u0661.2"]:
        assert _pep440._compute_key(text) == _pep440._pattern_key(text), text


def _versions(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    numbers = ["0", "1", "2", "10", "01", "255", "256", "65536", "99999999999999999999"]
    out = []
    for _ in range(count):
        text = rnd.choice(["", "v", "1!", "0!"])
        text += ".".join(rnd.choice(numbers) for _ in range(rnd.randint(1, 4)))
        text += rnd.choice(["", "a", "a1", "b2", "rc1", "c3", ".pre2", "-alpha"])
        text += rnd.choice(["", ".post1", "-1", "post", ".r2"])
        text += rnd.choice(["", ".dev0", "dev", ".dev3"])
        text += rnd.choice(["", "+abc", "+1", "+abc.5", "+5.abc", "+ab-c", "+1.2.3", "+a"])
        out.append(text)
    return [*out, "latest", "gcc6.3", "1y", "ubuntu", "1.0x", "", "a", "b", "ab"]


def test_order_bytes_sort_as_version_keys() -> None:
    versions = _versions(400, 4)
    rnd = random.Random(5)
    for a in versions:
        for b in rnd.sample(versions, 40):
            key_a, key_b = _pep440.version_key(a), _pep440.version_key(b)
            bytes_a, bytes_b = _pep440.order_bytes(a), _pep440.order_bytes(b)
            assert (key_a < key_b) == (bytes_a < bytes_b), (a, b)
            assert (key_a == key_b) == (bytes_a == bytes_b), (a, b)


def test_order_bytes_of_bare_releases_match_general_encoding() -> None:
    for text in [*_strings("019.v", 5), "3.6", "20.04", "1.10", "00.01", "1.0.0", "300.1"]:
        _pep440._bytes_cache.clear()
        assert _pep440.order_bytes(text) == _pep440._encode(_pep440._pattern_key(text)), text


def test_printable_screen_matches_pattern() -> None:
    # The constructor screens with str methods (isascii, isprintable, no space); the
    # rule it stands for is PRINTABLE (divergence D1).
    from imageref import ImageRef, ImageRefError  # noqa: PLC0415

    for code in [*range(0x3000), 0xD800, 0xFEFF, 0x1F600, 0x10FFFF]:
        text = "a" + chr(code)
        try:
            ImageRef(text)
        except ImageRefError as exc:
            screened = "printable ASCII without spaces" in str(exc)
        else:
            screened = False
        assert screened == (_grammar.PRINTABLE.fullmatch(text) is None), hex(code)


# --- ImageRef's cached path against the step-by-step parse ----------------------------------
#
# ImageRef.__init__ answers a plain ``head:tag`` from two caches (image._head_cache and
# image._tag_cache) and sends everything else, every error included, through
# image._parse. Both must give the same answer for every input, whatever the caches
# hold: empty, filled by this very input, or filled by other inputs.


def _outcome(call: Any, value: str, known: Any) -> tuple[Any, ...]:
    try:
        ref = call(value, known)
    except (ValueError, TypeError) as exc:
        return (type(exc), str(exc))
    if isinstance(ref, ImageRef):
        return (ref.registry, ref.name, ref.tag, ref.digest, ref.tag_set)
    registry, name, info, digest = ref
    return (registry, name, info.tag, digest, info.tag_set)


def _clear() -> None:
    image._head_cache.clear()
    image._tag_cache.clear()
    image._ip_cache.clear()
    image._suffix_cache.clear()
    image._platform_tag_cache.clear()


def _known(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {name: f"https://{name}" for name in spec["mapping"]}
    return spec


_VECTORS = json.loads((Path(__file__).parent / "data" / "backendai_24_03_vectors.json").read_text())
_CONFIGS = [None, ["*"], ["cr.backend.ai", "docker.io", "127.0.0.1:5000"], frozenset({"a.io"})]


def _cases() -> list[tuple[str, Any]]:
    cases = [(case["input"], _known(case["known_registries"])) for case in _VECTORS["parse"]]
    extra = [case["input"] for case in _VECTORS["parse"][:400]] + [
        "python",
        "python:3.6",
        "index.docker.io/python:3.6",
        "docker.io/python:3.6",
        "registry-1.docker.io/python:3.6",
        "cr.backend.ai/python:3.6",
        "cr.backend.ai/stable/python:3.6-ubuntu",
        "127.0.0.1:5000/python:3.6",
        "127.0.0.1:5000/python",
        "[::1]:5000/a/b:latest",
        "reg:5000/a:b/c",
        "a.io/b:c:1.0",
        "a/:1",
        "a//b:1",
        "/a:1",
        "a/:",
        ":1",
        "a:",
        "a:3.6-",
        "a:3.6--x",
        "a:3.6-py36-py37",
        "a b:1",
        "a:1 2",
        "a:1@sha256:" + "0" * 64,
    ]
    return cases + [(value, known) for value in extra for known in _CONFIGS]


def test_cached_path_agrees_with_parse_from_cold_caches() -> None:
    for value, known in _cases():
        want = _outcome(image._parse, value, known)
        _clear()
        assert _outcome(ImageRef, value, known) == want, (value, known)  # learns
        assert _outcome(ImageRef, value, known) == want, (value, known)  # cached


def test_cached_path_agrees_with_parse_whatever_came_before() -> None:
    _clear()
    for _ in range(2):  # the second pass starts with every cache filled by the first
        for value, known in _cases():
            want = _outcome(image._parse, value, known)
            assert _outcome(ImageRef, value, known) == want, (value, known)


def test_cached_heads_are_shared_and_bounded() -> None:
    _clear()
    a = ImageRef("cr.backend.ai/stable/python:3.6", ["cr.backend.ai"])
    b = ImageRef("cr.backend.ai/stable/python:3.7", ["cr.backend.ai"])
    assert a.name is b.name  # one string for every ref with this head
    for i in range(image._HEAD_CACHE_LIMIT + 10):
        ImageRef(f"python{i}:3.6")
    assert len(image._head_cache) <= image._HEAD_CACHE_LIMIT


# --- the tag parse against its own caches ---------------------------------------------------
#
# _parse_tag takes a known suffix (everything after the first "-") from _suffix_cache and
# its platform tags from _platform_tag_cache; the answer, or the error, must not depend on
# what those hold.

_MAINS = ["1", "3.6", "3.6.12", "1.0rc1", "a_b", "latest", "", "1.", ".1", "_1", "1_", "1..2"]
_MAINS += ["é", "1 2", "x!", "1-"]


def _vector_suffixes() -> list[str]:
    suffixes = set()
    for case in _VECTORS["parse"]:
        tag = case["input"].rpartition(":")[2].partition("@")[0]
        suffixes.add(tag.partition("-")[2])
    suffixes |= {"", "-", "py36-", "py36--ubuntu", "cuda_", "py36-py37", "PY36", "x-_y", "a.b"}
    return sorted(suffixes)


def _tag_outcome(tag: str) -> tuple[Any, ...]:
    try:
        info = image._parse_tag(tag, f"x:{tag}")
    except InvalidImageTag as exc:
        return (type(exc), str(exc))
    return (info.tag, info.main, info.tag_set)


def test_tag_parse_does_not_depend_on_its_caches() -> None:
    checked = 0
    for suffix in _vector_suffixes():
        for main in _MAINS:
            tag = f"{main}-{suffix}" if suffix else main
            _clear()
            want = _tag_outcome(tag)
            for warm in (f"1-{suffix}", f"2-{suffix}-x"):  # fill the caches, if valid
                _clear()
                _tag_outcome(warm)
                assert _tag_outcome(tag) == want, (tag, warm)
                assert _tag_outcome(tag) == want, (tag, warm)  # and from its own entry
            checked += 1
    assert checked > 1000
