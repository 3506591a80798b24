"""The str-method checks give exactly the answers of the patterns they stand for.

``imageref._grammar`` keeps every rule as a pattern; ``split_platform_tag``,
``is_ip_registry`` (for IPv6: a shape pattern and a count of groups) and the bare-release branch of
``_pep440.order_bytes`` answer the same questions with ``str`` methods for speed,
``platform_tags`` reads a whole suffix with one ``findall``, and ``check_tag`` decides
the slug rule, the platform-tag rule and "no key twice" with one pattern (and a
second pass only past three platform tags).
These tests compare them exhaustively over short strings of the characters that
matter, and over random longer ones.
"""

from __future__ import annotations

import itertools
import random
import re

from imageref import _grammar, _memo, _pep440, _platform, _tags
from imageref.errors import InvalidImageTag


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


def test_platform_tags_reads_a_suffix_as_platform_data_does() -> None:
    # platform_tags reads a suffix with one findall of PLATFORM_PIECE; platform_data
    # reads it piece by piece: the same mapping, or an error for the same suffixes.
    suffixes = [*TAG_TEXTS, *_strings("a1-_.", 5), "py3-py3", "py3-cuda9-py", "a--b", "-a", "a-"]
    for text in suffixes:
        _memo.clear_all()
        try:
            want: object = _platform.platform_data(text.split("-"), text)
        except InvalidImageTag as exc:
            want = type(exc)
        try:
            got: object = dict(_platform.platform_tags(text, text))
        except InvalidImageTag as exc:
            got = type(exc)
        assert got == want, text


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
    "[::1.2.3.4]",
    "[1::1.2.3.4]",
    "[1:2:3:4:5:6:7:1.2.3.4]",
    "[1::2:3:4:5:6:1.2.3.4]",
    "[1::2:3:4:5:1.2.3.4]",
    "[::2:3:4:5:6:7:8]",
    "[1:2:3:4:5:6:7::]",
    "[1:2:3:4:5:6:7:8::]",
    "[::1%eth0.5]:1",
    "[1.2.3.4]",
    "[::ffff:255.255.255.255]",
    "[::ffff:256.1.1.1]",
    "[::1.2.3]",
    "[::1..2.3.4]",
    "[::.1.2.3.4]",
    "[::1.2.3.4.]",
    "[1::2:1.2.3.4:5]",
    "[::01.2.3.4]",
    "[1.2.3.4::]",
    "[::1.2.3.4:5]",
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
    texts = ["3.6", "20.04", "1.10", "00.01", "1.0.0", "300.1", "255.256", "007.0255", "65536"]
    for text in [*_strings("019.v", 5), *texts]:
        _pep440._bytes_cache.clear()
        assert _pep440.order_bytes(text) == _pep440._encode(_pep440._pattern_key(text)), text


def test_printable_screen_matches_pattern() -> None:
    # The screen (and 26.09's field checks, and the errors' choice to show a text
    # bare) ask _grammar.is_printable, three str methods; the rule it stands for is
    # PRINTABLE (divergence D1).
    from imageref import ImageRef, ImageRefError  # noqa: PLC0415

    for code in [*range(0x3000), 0xD800, 0xFEFF, 0x1F600, 0x10FFFF]:
        text = "a" + chr(code)
        assert _grammar.is_printable(text) == (_grammar.PRINTABLE.fullmatch(text) is not None)
        try:
            ImageRef(text)
        except ImageRefError as exc:
            screened = "printable ASCII without spaces" in str(exc)
        else:
            screened = False
        assert screened == (_grammar.PRINTABLE.fullmatch(text) is None), hex(code)


def _tag_rule_piece_by_piece(tag: str) -> bool:
    """The tag rule as the contract states it: a slug, then platform tags, no key twice."""
    if _grammar.TAG_SLUG.fullmatch(tag) is None:
        return False
    keys = []
    for piece in tag.split("-")[1:]:
        found = _grammar.PLATFORM_TAG.fullmatch(piece)
        if found is None:
            return False
        keys.append(found["key"])
    return len(set(keys)) == len(keys)


def test_check_tag_is_the_rule_piece_by_piece() -> None:
    # Short tags of every shape, and long ones with up to seven platform tags whose
    # keys repeat at any two positions (the pattern captures the first three keys).
    rnd = random.Random(5)
    texts = [*TAG_TEXTS, *_strings("a1-_.", 6)]
    for _ in range(5000):
        pieces = [
            rnd.choice(["py", "a", "cu_da", "Py"]) + rnd.choice(["", "3", "3.6", "9b1", "1.", "x"])
            for _ in range(rnd.randint(0, 7))
        ]
        texts.append("-".join([rnd.choice(["1", "3.6", "a_b", "x."]), *pieces]))
    for text in texts:
        _memo.clear_all()
        try:
            _tags.check_tag(text, text)
            got = True
        except InvalidImageTag:
            got = False
        assert got == _tag_rule_piece_by_piece(text), text


def test_optional_pieces_match_as_zero_or_one_repeats() -> None:
    # _grammar writes an optional piece as "(?:piece|)" (faster in Python's engine);
    # each pattern must answer, groups included, as with "(?:piece)?".
    rnd = random.Random(8)
    for name in ("_TAG", "_TAG_SLUG", "_PLATFORM_TAG", "_PLATFORM_PIECE", "_IPV4_REGISTRY"):
        source = getattr(_grammar, name)
        assert "|)" in source, name
        plain = re.compile(source.replace("|)", ")?"), re.ASCII)
        fast = re.compile(source, re.ASCII)
        texts = [*TAG_TEXTS, *_random("aZ_19.-b:%", 20_000, 16, rnd.randrange(1000))]
        texts += ["1.2.3.4", "1.2.3.4:5000", "1.2.3.4:65536", "255.1.1.1:0"]
        for text in texts:
            want, got = plain.fullmatch(text), fast.fullmatch(text)
            assert (want is None) == (got is None), (name, text)
            if want is not None and got is not None:
                assert want.groups() == got.groups(), (name, text)


def test_is_lower_hex_matches_pattern() -> None:
    texts = _strings("0aAfg9\u00e9 ", 4) + _random("0123456789abcdefABCDEFgz:\u0660", 3000, 70, 7)
    for text in texts:
        if text:
            expected = _grammar.LOWER_HEX.fullmatch(text) is not None
            assert _grammar.is_lower_hex(text) is expected, repr(text)
    assert _grammar.is_lower_hex("0123456789abcdef" * 8)
