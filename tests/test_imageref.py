"""Example-based tests of the Backend.AI 24.03 contract (shared/spec) and its divergences."""

from __future__ import annotations

import copy
import pickle
import threading
from typing import Any

import pytest

import imageref
from imageref import (
    ImageRef,
    ImageRefError,
    ImageRefParser,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    PlatformTagSet,
    _memo,
    _order,
    arch_name_aliases,
    default_registry,
    default_repository,
    docker_api_arch_aliases,
    is_known_registry,
)

# (input, known_registries, expected registry, name, tag)
CONTRACT_EXAMPLES: list[tuple[str, Any, str, str, str]] = [
    ("myregistry.org/lua", None, "index.docker.io", "myregistry.org/lua", "latest"),
    ("myregistry.org/lua", ["myregistry.org"], "myregistry.org", "lua", "latest"),
    (
        "myregistry.org:999/mybase/python:3.6-cuda9-ubuntu",
        ["myregistry.org:999"],
        "myregistry.org:999",
        "mybase/python",
        "3.6-cuda9-ubuntu",
    ),
    (
        "127.0.0.1:5000/python:3.6-cuda9-ubuntu",
        None,
        "127.0.0.1:5000",
        "python",
        "3.6-cuda9-ubuntu",
    ),
    ("[::1]:5000/python:3.6-cuda9-ubuntu", None, "[::1]:5000", "python", "3.6-cuda9-ubuntu"),
    (
        "[212c:9cb9:eada:e57b:84c9:6a9:fbec:bdd2]:1024/python",
        None,
        "[212c:9cb9:eada:e57b:84c9:6a9:fbec:bdd2]:1024",
        "python",
        "latest",
    ),
    ("::1/python:3.6-cuda9-ubuntu", None, "index.docker.io", "::1/python", "3.6-cuda9-ubuntu"),
    ("docker.io/x:1", ["docker.io"], "docker.io", "lablup/x", "1"),
    ("docker.io/x:1", ["*"], "docker.io", "x", "1"),
    ("foo:bar:baz", None, "index.docker.io", "lablup/foo:bar", "baz"),
    ("python", None, "index.docker.io", "lablup/python", "latest"),
    ("python:3.6-ubuntu", None, "index.docker.io", "lablup/python", "3.6-ubuntu"),
    ("index.docker.io/python:3.6", None, "index.docker.io", "lablup/python", "3.6"),
    ("index.docker.io/python:3.6", ["*"], "index.docker.io", "lablup/python", "3.6"),
    (
        "registry-1.docker.io/python:3.6",
        ["registry-1.docker.io"],
        "registry-1.docker.io",
        "lablup/python",
        "3.6",
    ),
    ("cr.backend.ai/python:3.6", ["*"], "cr.backend.ai", "python", "3.6"),
    (
        "cr.backend.ai/python:3.6",
        {"cr.backend.ai": "https://cr.backend.ai"},
        "cr.backend.ai",
        "python",
        "3.6",
    ),
    ("cr.backend.ai/python:3.6", ["other.io"], "index.docker.io", "cr.backend.ai/python", "3.6"),
    (
        "lablup/python-tensorflow:1.10-py36-ubuntu",
        None,
        "index.docker.io",
        "lablup/python-tensorflow",
        "1.10-py36-ubuntu",
    ),
]


@pytest.mark.parametrize(("value", "known", "registry", "name", "tag"), CONTRACT_EXAMPLES)
def test_contract_examples(value: str, known: Any, registry: str, name: str, tag: str) -> None:
    ref = ImageRef(value, known)
    assert (ref.registry, ref.name, ref.tag) == (registry, name, tag)
    assert ref.canonical == f"{registry}/{name}:{tag}"
    assert ref.short == f"{name}:{tag}"
    assert str(ref) == ref.canonical


def test_contract_platform_details() -> None:
    ref = ImageRef("myregistry.org:999/mybase/python:3.6-cuda9-ubuntu", ["myregistry.org:999"])
    assert ref.tag_set[0] == "3.6"
    assert set(ref.tag_set[1]) == {"cuda", "ubuntu"}
    ref = ImageRef("c:gcc6.3-alpine3.8", architecture="aarch64")
    assert ref.name == "lablup/c"
    assert ref.tag_set[0] == "gcc6.3"
    assert ref.tag_set[1] == {"alpine"}
    assert ref.architecture == "aarch64"


def test_localhost_port_without_known_registry_is_a_bad_tag() -> None:
    with pytest.raises(InvalidImageTag) as info:
        ImageRef("localhost:5000/python")
    assert "5000/python" in str(info.value)
    assert "localhost:5000/python" in str(info.value)


@pytest.mark.parametrize(
    ("value", "error", "part"),
    [
        ("a:!", InvalidImageTag, "!"),
        ("127.0.0.1:5000/a:-x-", InvalidImageTag, "-x-"),
        ("http://127.0.0.1:5000/xyz", InvalidImageName, "://"),
        ("//127.0.0.1:5000/xyz", InvalidImageName, "'//'"),
        ("python:", InvalidImageTag, "empty tag"),
        (":3.6", InvalidImageName, "empty image name"),
        ("python:3.6--ubuntu", InvalidImageTag, "empty platform tag"),
        ("python:3.6-ubuntu-", InvalidImageTag, "3.6-ubuntu-"),
        ("python:3.6-py3-py3", InvalidImageTag, "'py' appears more than once"),
        ("python:3.6-1234", InvalidImageTag, "1234"),
        ("python:3.6-ubuntu.1", InvalidImageTag, "ubuntu.1"),
        ("python:3.6-cuda11.3B", InvalidImageTag, "cuda11.3B"),
        ("python:3.6-py3.6.post1", InvalidImageTag, "py3.6.post1"),
        ("", InvalidImageName, "empty image name"),
        ("python:.3", InvalidImageTag, ".3"),
        ("python:3_", InvalidImageTag, "3_"),
    ],
)
def test_contract_invalid(value: str, error: type[ImageRefError], part: str) -> None:
    with pytest.raises(error) as info:
        ImageRef(value)
    message = str(info.value)
    assert part in message
    assert value in message or repr(value) in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ImageRefError)


def test_message_prefixes_match_backendai() -> None:
    with pytest.raises(InvalidImageName, match=r"^Invalid image name: "):
        ImageRef("http://x/y")
    with pytest.raises(
        InvalidImageTag,
        match=r"^Invalid or duplicate image name tag: 3\.6-ubuntu-, full image name: "
        r"python:3\.6-ubuntu-",
    ):
        ImageRef("python:3.6-ubuntu-")


def test_tag_slug_rules() -> None:
    for tag in ["a", "1", "3.6", "a_b", "A.B-c", "latest", "9", "x" * 300]:
        assert ImageRef(f"python:{tag}").tag == tag
    for tag in ["-a", "a-", ".a", "a.", "_a", "a_", "a+b", "a/b"]:
        with pytest.raises(InvalidImageTag):
            ImageRef(f"python:{tag}")


# --- PlatformTagSet ------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "key", "version"),
    [
        ("py36", "py", "36"),
        ("ubuntu16.04", "ubuntu", "16.04"),
        ("mkl2018.3", "mkl", "2018.3"),
        ("myplatform9b1", "myplatform", "9b1"),
        ("other", "other", ""),
        ("cuda_12", "cuda_", "12"),
        ("_a", "_a", ""),
        ("x1y", "x", "1y"),
        ("CUDA11", "CUDA", "11"),
        ("a1.2.3x4", "a", "1.2.3x4"),
    ],
)
def test_platform_tag_parsing(tag: str, key: str, version: str) -> None:
    tags = PlatformTagSet([tag])
    assert dict(tags) == {key: version}
    assert tags[key] == version
    assert tags.has(key)
    assert tags.has(key, version)
    assert not tags.has(key, version + "0")


@pytest.mark.parametrize(
    "tag", ["1234", "ubuntu.1", "cuda11.3B", "py3.6.post1", "", "py3.", "py.3", "ü1", "py-3", "p y"]
)
def test_platform_tag_invalid(tag: str) -> None:
    with pytest.raises(InvalidImageTag):
        PlatformTagSet([tag], "img:1-" + tag)


def test_platform_tag_duplicate_key() -> None:
    with pytest.raises(InvalidImageTag, match="'py' appears more than once"):
        PlatformTagSet(["py3", "py36"], "img:1-py3-py36")


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        # A key twice at every pair of positions among the first platform tags (whose
        # keys the tag pattern captures), and beyond them (found by a second pass).
        ("1-py3-py36", False),
        ("1-py3-cuda9-py36", False),
        ("1-cuda9-py3-py36", False),
        ("1-py3-cuda9-gcc8-py36", False),
        ("1-a-b-c-d-e-f-e", False),
        ("1-a-b-c-d-e-f-g", True),
        ("1-py3-cuda9-gcc8", True),
        ("1-py-pyy-py_x", True),
        ("1-Py-py-PY", True),  # keys are case-sensitive
    ],
)
def test_platform_key_twice_anywhere(tag: str, valid: bool) -> None:
    value = f"img:{tag}"
    if valid:
        assert ImageRef(value).tag == tag
    else:
        with pytest.raises(InvalidImageTag, match="appears more than once"):
            ImageRef(value)


def test_platform_tag_error_names_full_value_d4() -> None:
    # Backend.AI reports a platform version in place of the image once an earlier
    # tag had a version; imageref always names the full input (D4).
    with pytest.raises(InvalidImageTag) as info:
        ImageRef("python:3.6-py36-ubuntu16.04-cuda11.3B")
    assert "full image name: python:3.6-py36-ubuntu16.04-cuda11.3B" in str(info.value)


def test_platform_tag_set_mapping_behaviour() -> None:
    tags = PlatformTagSet(["py36", "ubuntu16.04", "gpu"], "x")
    assert list(tags) == ["py", "ubuntu", "gpu"]
    assert len(tags) == 3
    assert "py" in tags
    assert "cuda" not in tags
    assert tags.get("cuda") is None
    assert tags.get("cuda", "?") == "?"
    assert tags == {"py": "36", "ubuntu": "16.04", "gpu": ""}
    assert tags == {"py", "ubuntu", "gpu"}
    assert tags == frozenset({"py", "ubuntu", "gpu"})
    assert tags != {"py", "ubuntu"}
    assert tags != {"py": "3", "ubuntu": "16.04", "gpu": ""}
    assert tags == PlatformTagSet(["py36", "ubuntu16.04", "gpu"])
    assert tags != ["py", "ubuntu", "gpu"]
    assert not hasattr(tags, "__setitem__")
    assert not hasattr(tags, "__dict__")
    with pytest.raises(TypeError):
        hash(tags)
    assert repr(tags) == "PlatformTagSet({'py': '36', 'ubuntu': '16.04', 'gpu': ''})"
    assert tags.keys() == {"py", "ubuntu", "gpu"}
    assert list(tags.values()) == ["36", "16.04", ""]
    assert next(iter(tags.items())) == ("py", "36")


def test_platform_tag_set_types() -> None:
    with pytest.raises(ImageRefTypeError, match="not str"):
        PlatformTagSet("py36")
    with pytest.raises(ImageRefTypeError, match="not int"):
        PlatformTagSet([36])  # type: ignore[list-item]
    with pytest.raises(ImageRefTypeError):
        PlatformTagSet(None)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        PlatformTagSet(["py3"], 5)  # type: ignore[arg-type]
    assert dict(PlatformTagSet(t for t in ["py3"])) == {"py": "3"}
    assert dict(PlatformTagSet([])) == {}


def test_platform_tag_set_pickle_and_copy() -> None:
    tags = PlatformTagSet(["cuda_12", "py36", "x1y", "other"])
    clone = pickle.loads(pickle.dumps(tags))
    assert clone == tags
    assert list(clone.items()) == list(tags.items())
    assert copy.copy(tags) == tags
    assert copy.deepcopy(tags) == tags


# --- known registries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        ("index.docker.io", True),
        ("1.2.3.4", True),
        ("1.2.3.4:5000", True),
        ("255.255.255.255:65535", True),
        ("0.0.0.0:0", True),
        ("[::1]", True),
        ("[::1]:5000", True),
        ("[fe80::1%eth0]:5000", True),
        ("[::ffff:1.2.3.4]:80", True),
        ("[2001:db8::]", True),
        ("[1:2:3:4:5:6:7:8]", True),
        ("docker.io", False),
        ("localhost", False),
        ("localhost:5000", False),
        ("::1", False),
        ("1.2.3", False),
        ("256.1.1.1", False),
        ("01.2.3.4", False),
        ("1.2.3.4:", False),
        ("1.2.3.4:65536", False),
        ("1.2.3.4:123456", False),
        ("user@1.2.3.4", False),
        ("1.2.3.4#x", False),
        ("[::1", False),
        ("[1:2:3:4:5:6:7:8:9]", False),
        ("[::1]:", False),
        ("[:::1]", False),
        ("[fe80::1%]", False),
        ("", False),
    ],
)
def test_is_known_registry_ip_literals(registry: str, expected: bool) -> None:
    assert is_known_registry(registry) is expected


def test_is_known_registry_configurations() -> None:
    assert is_known_registry("cr.backend.ai", ["cr.backend.ai"])
    assert is_known_registry("cr.backend.ai", ("cr.backend.ai",))
    assert is_known_registry("cr.backend.ai", {"cr.backend.ai": object()})
    assert not is_known_registry("cr.backend.ai", ["*"])
    assert not is_known_registry("cr.backend.ai", [])
    assert is_known_registry(default_registry, [])
    with pytest.raises(ImageRefTypeError):
        is_known_registry(5)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError):
        ImageRef("a/b", 5)  # type: ignore[arg-type]


# A str known_registries is one registry name, matched exactly (D8, amended). Facts
# observed on backend.ai-common 24.3.0rc3 (its test is `first in known_registries`):
# ImageRef("cr.backend.ai/stable/python:3.9", "cr.backend.ai") has registry
# cr.backend.ai, name stable/python; "x/y:1" with "*" has the default registry and the
# name x/y ("*" as a str is not the wildcard ["*"]), while "*/y:1" with "*" has registry
# "*", name y; it also takes any substring of the name ("m/lua" with "myreg.org" gets
# registry m, and is_known_registry("cr", "cr.backend.ai") is True), where imageref does
# not; bytes raise TypeError there as here.


@pytest.mark.parametrize(
    ("value", "known", "registry", "name"),
    [
        ("cr.backend.ai/stable/python:3.9", "cr.backend.ai", "cr.backend.ai", "stable/python"),
        ("python:3.9", "cr.backend.ai", "index.docker.io", "lablup/python"),
        (
            "other.io/stable/python:3.9",
            "cr.backend.ai",
            "index.docker.io",
            "other.io/stable/python",
        ),
        ("docker.io/x:1", "docker.io", "docker.io", "lablup/x"),
        ("x/y:1", "*", "index.docker.io", "x/y"),
        ("*/y:1", "*", "*", "y"),
        ("cr.backend.ai/python:3.9", "*", "index.docker.io", "cr.backend.ai/python"),
        # Where the reference matches a substring, imageref matches the whole name.
        ("m/lua", "myreg.org", "index.docker.io", "m/lua"),
        ("cr/python:1", "cr.backend.ai", "index.docker.io", "cr/python"),
    ],
)
def test_str_known_registries_is_one_name(value: str, known: str, registry: str, name: str) -> None:
    ref = ImageRef(value, known)
    assert (ref.registry, ref.name) == (registry, name)
    assert ref == ImageRef(value, (known,))  # as a tuple of that one name (("*",) is no wildcard)
    assert ImageRefParser(known).parse(value) == ref
    assert is_known_registry(registry, known) is (registry in {known, default_registry})


def test_manager_endpoint_call_with_registry_given_or_not() -> None:
    # Backend.AI's endpoint update: ImageRef(image_name, image.get("registry") or ["*"]).
    for image in ({"registry": "cr.backend.ai"}, {"registry": None}, {}):
        registry = image.get("registry") or ["*"]
        ref = ImageRef("cr.backend.ai/stable/python:3.9-ubuntu20.04", registry)
        assert (ref.registry, ref.name) == ("cr.backend.ai", "stable/python")


def test_str_known_registries_is_matched_exactly() -> None:
    assert is_known_registry("cr.backend.ai", "cr.backend.ai")
    assert not is_known_registry("cr", "cr.backend.ai")
    assert not is_known_registry("cr.backend.ai.x", "cr.backend.ai")
    assert not is_known_registry("", "x")
    assert is_known_registry("*", "*")
    assert not is_known_registry("x", "*")
    assert is_known_registry("127.0.0.1:5000", "cr.backend.ai")  # IP literals always are

    class Name(str):
        __slots__ = ()

        def __eq__(self, other: object) -> bool:  # a subclass is read as its text
            return True

        __hash__ = str.__hash__

    assert not is_known_registry("other", Name("cr.backend.ai"))
    for bad in (b"cr.backend.ai", bytearray(b"cr"), 5, 1.5, object()):
        with pytest.raises(ImageRefTypeError, match=type(bad).__name__):
            is_known_registry("cr.backend.ai", bad)  # type: ignore[arg-type]
        with pytest.raises(ImageRefTypeError, match="known_registries"):
            ImageRef("cr.backend.ai/x", bad)  # type: ignore[arg-type]
        with pytest.raises(ImageRefTypeError, match="known_registries"):
            ImageRefParser(bad)  # type: ignore[arg-type]


def test_ip_literal_registry_divergence_d7() -> None:
    # The reference also took these as registries; imageref does not (D7), so the
    # first component stays part of the name and the usual last-':' split applies.
    with pytest.raises(InvalidImageName):
        ImageRef("user@1.2.3.4/python")
    with pytest.raises(InvalidImageTag, match="tag: /python,"):
        ImageRef("1.2.3.4:/python")
    with pytest.raises(InvalidImageTag, match="tag: 99999/python,"):
        ImageRef("1.2.3.4:99999/python")
    ref = ImageRef("1.2.3.4:99999/python:1")
    assert ref.registry == default_registry
    assert ref.name == "1.2.3.4:99999/python"
    ref = ImageRef("[fe80::1%eth0]:5000/python:1")
    assert ref.registry == "[fe80::1%eth0]:5000"


# --- divergences -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "python:3.6\n",
        "\npython",
        "py thon",
        " ",
        "python:3.6\t",
        "pyth\x00on",
        "python\x7f",
        "pythön:3.6",
        "python:\uff13",  # a fullwidth digit three
        "\u200bpython",
        "python:3.6\r",
    ],
)
def test_d1_printable_ascii_only(value: str) -> None:
    with pytest.raises(InvalidImageName) as info:
        ImageRef(value)
    assert repr(value) in str(info.value)
    assert "index" in str(info.value)


@pytest.mark.parametrize(
    "value", ["/python", "python/", "a//b", "a/b/", "reg.io//x:1", "/", "a/:1", "reg.io/x/:1"]
)
def test_d2_empty_path_component(value: str) -> None:
    with pytest.raises(InvalidImageName, match="empty path component"):
        ImageRef(value, ["reg.io"])


def test_d3_ascii_digits_only() -> None:
    with pytest.raises(InvalidImageTag):
        PlatformTagSet(["py٣٦"])


def test_d5_equality_and_order_with_other_types() -> None:
    ref = ImageRef("python:3.6")
    assert (ref == "python:3.6") is False
    assert (ref != "python:3.6") is True
    assert ref != object()
    with pytest.raises(TypeError):
        ref < "python:3.6"  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        ref > 3  # type: ignore[operator]  # noqa: B015
    with pytest.raises(ImageRefTypeError):
        ref.__lt__(None)  # type: ignore[operator]


def test_d8_non_str_value() -> None:
    for value in [b"python", None, 3, ["python"], ImageRef("python")]:
        with pytest.raises(ImageRefTypeError, match=type(value).__name__):
            ImageRef(value)  # type: ignore[arg-type]
    with pytest.raises(ImageRefTypeError, match="architecture"):
        ImageRef("python", architecture=None)  # type: ignore[arg-type]


def test_d9_read_only_fields() -> None:
    ref = ImageRef("python:3.6")
    for field in [
        "registry",
        "name",
        "tag",
        "architecture",
        "is_local",
        "tag_set",
        "canonical",
        "short",
    ]:
        with pytest.raises(AttributeError):
            setattr(ref, field, "x")
    with pytest.raises(AttributeError):
        ref.extra = 1  # type: ignore[attr-defined]
    assert not hasattr(ref, "__dict__")


SHA256 = "sha256:" + "0123456789abcdef" * 4
SHA512 = "sha512:" + "ab" * 64


def test_digest_references() -> None:
    # Digests replace divergence D10: name@digest and name:tag@digest parse.
    ref = ImageRef(f"python@{SHA256}")
    assert (ref.registry, ref.name, ref.tag, ref.digest) == (
        "index.docker.io",
        "lablup/python",
        "latest",
        SHA256,
    )
    assert ref.canonical == f"index.docker.io/lablup/python:latest@{SHA256}"
    assert ref.short == f"lablup/python:latest@{SHA256}"
    assert str(ref) == ref.canonical
    assert repr(ref) == f'<ImageRef: "{ref.canonical}" (x86_64)>'
    assert ref.to_dict()["digest"] == SHA256
    ref = ImageRef(f"cr.backend.ai/stable/python:3.9-ubuntu20.04@{SHA512}", ["cr.backend.ai"])
    assert (ref.registry, ref.name, ref.tag, ref.digest) == (
        "cr.backend.ai",
        "stable/python",
        "3.9-ubuntu20.04",
        SHA512,
    )
    assert ref.tag_set[0] == "3.9"
    ref = ImageRef(f"127.0.0.1:5000/python:3.6@sha384:{'f' * 96}")
    assert (ref.registry, ref.tag) == ("127.0.0.1:5000", "3.6")
    assert ImageRef("python:3.6").digest is None


def test_digest_equality_hash_and_aliases() -> None:
    plain = ImageRef("python:3.6-ubuntu")
    pinned = ImageRef(f"python:3.6-ubuntu@{SHA256}")
    other = ImageRef(f"python:3.6-ubuntu@sha256:{'f' * 64}")
    assert pinned != plain
    assert pinned != other
    assert pinned == ImageRef(f"index.docker.io/lablup/python:3.6-ubuntu@{SHA256}")
    assert hash(pinned) == hash(ImageRef(f"python:3.6-ubuntu@{SHA256}"))
    assert len({plain, pinned, other}) == 3
    assert pinned.generate_aliases().keys() == plain.generate_aliases().keys()
    assert not pinned < other
    assert not other < pinned
    assert plain < ImageRef(f"python:3.7-ubuntu@{SHA256}")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        clone = pickle.loads(pickle.dumps(pinned, protocol))
        assert clone == pinned
        assert clone.digest == SHA256
    parser = ImageRefParser()
    assert parser.parse(f"python:3.6-ubuntu@{SHA256}") == pinned
    assert parser.parse(f"python:3.6-ubuntu@{SHA256}").digest == SHA256


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("python@sha256:abc", "invalid checksum digest length"),
        ("python@sha256:" + "A" * 64, "invalid checksum digest format"),
        ("python@md5:" + "a" * 32, "unsupported digest algorithm"),
        ("python@sha256", "invalid checksum digest format"),
        ("python@", "invalid checksum digest format"),
        ("python@" + SHA256 + "@" + SHA256, "invalid checksum digest length"),
        ("python:3.6@@" + SHA256, "invalid checksum digest format"),
        ("@" + SHA256, "empty image name"),
        ("python:@" + SHA256, "empty tag"),
        ("a/@" + SHA256, "empty path component"),
        ("http://x/y@" + SHA256, "URL scheme"),
        ("python:3.6-py3-py3@" + SHA256, "more than once"),
    ],
)
def test_digest_errors(value: str, reason: str) -> None:
    with pytest.raises(ImageRefError, match=reason) as info:
        ImageRef(value)
    assert value in str(info.value)


# --- architecture ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("arm64", "aarch64"),
        ("amd64", "x86_64"),
        ("x64", "x86_64"),
        ("x32", "x86"),
        ("i686", "x86"),
        ("aarch64", "aarch64"),
        ("x86_64", "x86_64"),
        ("riscv64", "riscv64"),
        ("ARM64", "ARM64"),
    ],
)
def test_architecture_aliases(given: str, stored: str) -> None:
    assert ImageRef("python", architecture=given).architecture == stored


def test_constants() -> None:
    assert default_registry == "index.docker.io"
    assert default_repository == "lablup"
    assert dict(arch_name_aliases) == {
        "arm64": "aarch64",
        "amd64": "x86_64",
        "x64": "x86_64",
        "x32": "x86",
        "i686": "x86",
    }
    assert docker_api_arch_aliases["aarch64"] == "arm64"
    assert docker_api_arch_aliases["x86_64"] == "amd64"
    assert docker_api_arch_aliases["i686"] == "386"
    assert len(docker_api_arch_aliases) == 9
    with pytest.raises(TypeError):
        arch_name_aliases["z"] = "y"  # type: ignore[index]


# --- reading, equality, hashing ----------------------------------------------------------


def test_reading_an_imageref() -> None:
    ref = ImageRef("python:3.6-cuda9-ubuntu", architecture="amd64", is_local=True)
    assert ref.is_local is True
    assert repr(ref) == '<ImageRef: "index.docker.io/lablup/python:3.6-cuda9-ubuntu" (x86_64)>'
    assert ref.to_dict() == {
        "registry": "index.docker.io",
        "name": "lablup/python",
        "tag": "3.6-cuda9-ubuntu",
        "architecture": "x86_64",
        "is_local": True,
        "canonical": "index.docker.io/lablup/python:3.6-cuda9-ubuntu",
        "short": "lablup/python:3.6-cuda9-ubuntu",
        "version": "3.6",
        "platform_tags": {"cuda": "9", "ubuntu": ""},
        "digest": None,
    }


def test_equality_and_hash() -> None:
    a = ImageRef("python:3.6", is_local=True)
    b = ImageRef("index.docker.io/lablup/python:3.6")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != ImageRef("python:3.6", architecture="aarch64")
    assert a != ImageRef("python:3.7")
    assert a != ImageRef("other/python:3.6")
    assert a != ImageRef("cr.io/lablup/python:3.6", ["cr.io"])


def test_pickle_and_copy_roundtrip() -> None:
    for ref in [
        ImageRef("docker.io/x:1", ["*"], "arm64", True),
        ImageRef("[::1]:5000/python:3.6-cuda9-ubuntu"),
        ImageRef("foo:bar:baz"),
    ]:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            clone = pickle.loads(pickle.dumps(ref, protocol))
            assert clone == ref
            assert clone.is_local == ref.is_local
            assert clone.tag_set == ref.tag_set
            assert type(clone) is ImageRef
        assert copy.copy(ref) == ref
        assert copy.deepcopy(ref) == ref


def test_subclass_pickles_as_itself() -> None:
    clone = pickle.loads(pickle.dumps(_MyRef("python:3.6")))
    assert type(clone) is _MyRef


class _MyRef(ImageRef):
    __slots__ = ()


# --- ordering ----------------------------------------------------------------------------


def _refs(*tags: str) -> list[ImageRef]:
    return [ImageRef(f"python:{tag}") for tag in tags]


def test_order_by_main_version_pep440() -> None:
    a, b, c, d = _refs("3.6", "3.10", "3.6.1", "3.10rc1")
    assert a < b
    assert b > a
    assert not b < a
    assert a < c
    assert d < b
    assert sorted([b, c, a, d]) == [a, c, d, b]


def test_order_equal_and_equivalent_versions() -> None:
    a = ImageRef("python:3.6")
    assert not a < ImageRef("python:3.6", is_local=True)
    one, one_zero = _refs("1", "1.0")
    assert not one < one_zero
    assert not one_zero < one


def test_order_by_platform_versions_then_count() -> None:
    a, b = _refs("3.6-cuda9-ubuntu16.04", "3.6-cuda10-ubuntu16.04")
    assert a < b
    a, b = _refs("3.6-ubuntu16.04-cuda10", "3.6-cuda9-ubuntu18.04")
    # a's keys in a's order: ubuntu decides first.
    assert a < b
    assert not b < a or b < a  # b's order starts with cuda: 9 < 10 gives b < a too
    assert b < a
    many, few = _refs("3.6-cuda9-ubuntu", "3.6-cuda9")
    assert many < few
    assert not few < many
    # An empty version on either side does not decide.
    a, b = _refs("3.6-cuda-py3", "3.6-cuda9-py2")
    assert b < a


def test_order_platform_keys_in_different_orders() -> None:
    # The first key of the left side that both have, with versions, decides...
    a, b = _refs("3.6-py36-cuda9-ubuntu16.04", "3.6-py38-ubuntu20.04")
    assert a < b
    assert not b < a
    # ... skipping keys the other lacks and versions that are equal as versions ...
    a, b = _refs("3.6-cuda9-py3.10-ubuntu16.04", "3.6-ubuntu18.04-py3.10.0-rocm5")
    assert a < b  # py equal as versions; ubuntu 16.04 < 18.04 decides
    assert not b < a
    a, b = _refs("3.6-x1-y2-z3", "3.6-z1-y2-x1")
    assert not a < b  # x and y are equal; z: 3 > 1
    assert b < a  # b's order: z decides first
    # ... else the one with more platform tags is less.
    a, b = _refs("3.6-py36-ubuntu16.04-gpu", "3.6-ubuntu16.04-py36")
    assert a < b
    assert not b < a
    a, b = _refs("3.6-cuda9-ubuntu", "3.6-py36")  # no versioned key in common
    assert a < b
    assert not b < a


def test_order_does_not_depend_on_what_was_compared_before() -> None:
    tags = ["3.6-py36-cuda9", "3.6-cuda10-py36", "3.6-py37", "3.6-py36-cuda9-ubuntu"]
    first = [[ImageRef(f"x:{t}") < ImageRef(f"x:{u}") for u in tags] for t in tags]
    _memo.clear_all()
    fresh = [ImageRef(f"x:{t}") for t in tags]
    again = []
    for t in tags:
        _order._key_sequence_cache.clear()  # equal key sequences, no longer one object
        again.append([ImageRef(f"x:{t}") < ref for ref in fresh])
    assert again == first


def test_order_with_an_object_that_looks_like_a_ref() -> None:
    class Impostor:
        _name = "lablup/python"

    ref = ImageRef("python:3.6")
    with pytest.raises(ImageRefTypeError, match="is not supported"):
        ref < Impostor()  # type: ignore[operator]  # noqa: B015
    Impostor._name = "lablup/other"
    with pytest.raises(ImageRefTypeError, match="is not supported"):
        ref < Impostor()  # type: ignore[operator]  # noqa: B015


def test_order_needs_same_name() -> None:
    with pytest.raises(IncomparableImages, match="same name"):
        ImageRef("python:3.6") < ImageRef("ubuntu:3.6")  # noqa: B015
    with pytest.raises(ValueError):  # noqa: PT011 - Backend.AI code catches ValueError
        ImageRef("python:3.6") > ImageRef("ubuntu:3.6")  # noqa: B015


def test_order_non_pep440_d6() -> None:
    latest, gcc, v36 = _refs("latest", "gcc6.3", "3.6")
    assert gcc < latest < v36
    assert sorted([v36, latest, gcc]) == [gcc, latest, v36]
    a, b = _refs("3.6-x1y", "3.6-x1z")
    assert a < b
    assert not b < a


def test_order_platform_pep440_agrees_with_packaging() -> None:
    packaging_version = pytest.importorskip("packaging.version")
    versions = ["9", "9b1", "10", "10.0", "9.1", "16.04", "18.04", "2018.3", "1"]
    for x in versions:
        for y in versions:
            a, b = ImageRef(f"python:1-cuda{x}"), ImageRef(f"python:1-cuda{y}")
            expected = packaging_version.Version(x) < packaging_version.Version(y)
            assert (a < b) is expected, (x, y)


# --- aliases -----------------------------------------------------------------------------


def test_generate_aliases_with_many_platform_tags() -> None:
    # 7 platform tags with 4 spellings each: 4**7 suffixes, too many to keep.
    tag = "1.0-" + "-".join(f"k{c}1.2" for c in "abcdefg")
    ref = ImageRef(f"lablup/x:{tag}")
    aliases = ref.generate_aliases()
    assert len(aliases) == 1 + 4**7  # "x" alone, and "x:" with each suffix
    assert not hasattr(ref.tag_set[1], "_alias_suffixes")
    assert ref.generate_aliases() == aliases
    assert "x:1.0-ka-kb1-kc1.2-kg" in aliases
    small = ImageRef("lablup/x:1.0-py36")
    small.generate_aliases()
    assert small.tag_set[1]._alias_suffixes == ["", "-py", "-py36", "-py3"]


def test_generate_aliases_tensorflow() -> None:
    ref = ImageRef("lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0")
    aliases = ref.generate_aliases()
    assert len(aliases) == 162
    assert all(value is ref for value in aliases.values())
    for alias in [
        "python-tensorflow",
        "tensorflow",
        "tensorflow:1.5-py3-ubuntu16-gpu",
        "python-tensorflow:1.5",
        "tensorflow:1.5-py36-ubuntu16.04-cuda10.0",
        "tensorflow:1.5-cuda10",
        "python-tensorflow:1.5-py-ubuntu-cuda",
    ]:
        assert alias in aliases
    assert "python-tensorflow:py36" not in aliases
    for alias in aliases:
        if ":" in alias:
            assert alias.split(":", 1)[1].startswith("1.5")


def test_generate_aliases_names() -> None:
    assert set(ImageRef("a/b-c-d:1.0").generate_aliases()) == {"b-c-d", "c", "b-c-d:1.0", "c:1.0"}
    assert set(ImageRef("python:3.6").generate_aliases()) == {"python", "python:3.6"}
    assert set(ImageRef("python:3.6-py").generate_aliases()) == {
        "python",
        "python:3.6",
        "python:3.6-py",
    }
    assert set(ImageRef("python:3.6-py3").generate_aliases()) == {
        "python",
        "python:3.6",
        "python:3.6-py",
        "python:3.6-py3",
    }


def test_merge_aliases() -> None:
    refs = [
        ImageRef("lablup/python-tensorflow:1.5-py36-ubuntu16.04"),
        ImageRef("lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda9.0"),
        ImageRef("lablup/python-tensorflow:1.4-py36-ubuntu16.04"),
        ImageRef("lablup/python-tensorflow:1.5-py36-ubuntu18.04"),
        ImageRef("lablup/python:3.6-ubuntu18.04"),
        ImageRef("lablup/python:3.7-ubuntu18.04"),
        ImageRef("lablup/python-tensorflow:1.3-py36"),
    ]
    merged: dict[str, ImageRef] = {}
    for ref in refs:
        merged = ImageRef.merge_aliases(merged, ref.generate_aliases())
    assert merged["python-tensorflow:1.5"] == refs[3]
    assert merged["python"] == refs[5]
    assert merged["python-tensorflow:1.4"] == refs[2]
    assert merged["tensorflow:1.5-gpu"] == refs[1]
    every_key = set().union(*(ref.generate_aliases() for ref in refs))
    assert set(merged) == every_key


def test_merge_aliases_conflicting_names_raise() -> None:
    a = {"x": ImageRef("lablup/x:1")}
    b = {"x": ImageRef("other/x:1")}
    with pytest.raises(IncomparableImages):
        ImageRef.merge_aliases(a, b)


# --- ImageRefParser ------------------------------------------------------------------------


PARSER_CASES = [
    "python:3.6-ubuntu",
    "cr.backend.ai/stable/python:3.9-ubuntu20.04",
    "docker.io/x:1",
    "127.0.0.1:5000/python:3.6-cuda9-ubuntu",
    "myregistry.org/lua",
    "foo:bar:baz",
]


@pytest.mark.parametrize(
    "known",
    [None, [], ["cr.backend.ai"], ["docker.io"], ["*"], {"cr.backend.ai": 1, "docker.io": 2}],
)
@pytest.mark.parametrize("arch", ["x86_64", "arm64", "riscv64"])
def test_parser_agrees_with_constructor(known: Any, arch: str) -> None:
    parser = ImageRefParser(known, arch)
    for value in PARSER_CASES:
        for is_local in (False, True):
            for _ in range(2):  # cold, then memoised
                got = parser.parse(value, is_local=is_local)
                want = ImageRef(value, known, arch, is_local)
                assert got == want
                assert got.is_local is is_local
                assert got.tag_set == want.tag_set
                assert got.to_dict() == want.to_dict()


def test_parser_errors_match_constructor() -> None:
    parser = ImageRefParser()
    for value in ["a:!", "python:", "http://x/y", "a b", "python:3.6-py3-py3"]:
        with pytest.raises(ImageRefError) as want:
            ImageRef(value)
        for _ in range(2):
            with pytest.raises(type(want.value)) as got:
                parser.parse(value)
            assert str(got.value) == str(want.value)
    for bad in [None, b"x", 3, ["x"], {"x": 1}]:
        with pytest.raises(ImageRefTypeError):
            parser.parse(bad)  # type: ignore[arg-type]


def test_parser_memo_is_bounded_and_clearable() -> None:
    parser = ImageRefParser(cache_size=3)
    memo = parser._memo
    assert memo is not None
    first = parser.parse("python:3.0")
    assert parser.parse("python:3.0") is first  # kept while the memo admits
    refs = [parser.parse(f"python:3.{i}") for i in range(10)]
    assert len(memo.entries) <= 3
    assert memo.rest  # new values only: the memo rests (imageref._memo's policy)
    again = parser.parse("python:3.9")  # asked for twice in a row: kept, the rest ends
    assert again == refs[9]
    assert parser.parse("python:3.9") is again
    assert not memo.rest
    parser.cache_clear()
    assert len(memo.entries) == 0
    off = ImageRefParser(cache_size=0)
    assert off.parse("python") is not off.parse("python")
    assert off.cache_size == 0
    with pytest.raises(ValueError, match="cache_size"):
        ImageRefParser(cache_size=-1)
    with pytest.raises(ImageRefTypeError):
        ImageRefParser(cache_size="3")  # type: ignore[arg-type]
    one = ImageRefParser("cr.backend.ai")  # one registry name (D8)
    assert one.parse("cr.backend.ai/x:1").registry == "cr.backend.ai"
    assert one.parse("cr.backend/x:1").registry == "index.docker.io"


def test_parser_non_bool_is_local_is_kept_as_given() -> None:
    parser = ImageRefParser()
    assert parser.parse("python", is_local=1).is_local == 1  # type: ignore[arg-type]
    assert parser.parse("python").is_local is False


def test_parser_memo_thread_safety() -> None:
    parser = ImageRefParser(["cr.backend.ai"], cache_size=64)
    values = [f"cr.backend.ai/stable/python:3.{i}-ubuntu20.04" for i in range(200)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(offset: int) -> None:
        try:
            barrier.wait()
            for round_ in range(20):
                for i, value in enumerate(values):
                    if (i + offset + round_) % 3 == 0:
                        ref = parser.parse(value)
                        assert ref.tag == f"3.{i}-ubuntu20.04"
                        assert ref.registry == "cr.backend.ai"
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert parser._memo is not None
    assert len(parser._memo.entries) <= 64
    for value, ref in parser._memo.entries.items():
        assert ref == ImageRef(value, ["cr.backend.ai"])


def test_public_api() -> None:
    for name in imageref.__all__:
        assert hasattr(imageref, name), name
    assert isinstance(imageref.__version__, str)
    for exc in [InvalidImageName, InvalidImageTag, IncomparableImages]:
        assert issubclass(exc, ValueError)
        assert issubclass(exc, ImageRefError)
    assert issubclass(ImageRefTypeError, TypeError)


def test_long_hostile_input_is_rejected() -> None:
    # Behaviour only: these must be rejected (or parsed) cleanly; speed is covered
    # by benchmarks/, never asserted here.
    n = 1_000_000
    for value in [
        "a" * n + " ",
        "a:" + "1." * n + "!",
        "a:1-" + "x1" * n + ".",
        "a:1-py" + "1." * n,
        "[" + ":" * n + "]/x",
        "a:" + "-" * n,
    ]:
        with pytest.raises(ImageRefError):
            ImageRef(value)
    assert ImageRef("a" * n).name == "lablup/" + "a" * n
    # Not an IP literal, so the whole value is the name (names are not validated).
    assert ImageRef("1." * n + "/x:1").name == "1." * n + "/x"
