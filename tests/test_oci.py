"""Tests of ``imageref.oci``: Docker's reference grammar, normalisation and digests.

``tests/data/oci_vectors.json`` is the table of valid and invalid inputs, each with
its source and the reason for its outcome; the outcomes were recorded from Docker's
own Go code (see the file's ``description``). The properties below check the
parser against the grammar pieces, against fields worked out independently by
``oci_strategies``, and for round trips through both string forms.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from imageref import ImageRef, ImageRefError, ImageRefTypeError, InvalidReference, oci
from imageref._grammar import (
    OCI_DOMAIN,
    OCI_IDENTIFIER,
    OCI_NAME,
    OCI_REFERENCE,
)
from imageref.oci import Reference, RegistryTarget, parse_digest, registry_target
from oci_strategies import (
    Case,
    NearMiss,
    digests,
    domains,
    hostile_text,
    near_misses,
    reference_cases,
    tags,
)

_DATA = json.loads((Path(__file__).parent / "data" / "oci_vectors.json").read_text("utf-8"))
_VECTORS: list[dict[str, Any]] = _DATA["vectors"]
_HEX64 = "0123456789abcdef" * 4


def _vector_id(vector: dict[str, Any]) -> str:
    text = vector["input"]
    short = text if len(text) <= 40 else f"{text[:30]}...({len(text)})"
    return f"{vector['function']}:{short!r}"


def _fields(ref: Reference) -> dict[str, Any]:
    return {
        "domain": ref.domain,
        "path": ref.path,
        "name": ref.name,
        "tag": ref.tag,
        "digest": ref.digest,
        "string": str(ref),
        "familiar": ref.familiar,
    }


# ---------------------------------------------------------------------------
# The vector table
# ---------------------------------------------------------------------------


def test_vector_table_is_well_formed() -> None:
    assert len(_VECTORS) >= 700
    for vector in _VECTORS:
        assert vector["source"]
        assert vector["reason"]
        assert ("error" in vector) + ("expect" in vector) + ("match" in vector) == 1
    functions = {v["function"] for v in _VECTORS}
    assert functions == set(_DATA["functions"])
    # Every kind of failure Go reports is represented.
    errors = {v["error"].split(" (")[0] for v in _VECTORS if "error" in v}
    assert {
        "invalid reference format",
        "invalid reference format: repository name",
        "repository name must be lowercase",
        "repository name must not be more than 255 characters",
        "repository name must have at least one component",
        "invalid repository name",
        "invalid checksum digest format",
        "invalid checksum digest length",
        "unsupported digest algorithm",
    } <= errors


def _run(function: str, text: str) -> Any:
    if function == "ParseNormalizedNamed":
        return _fields(Reference.parse(text))
    if function == "Parse":
        domain, path, tag, digest = oci._parse(text)
        return _fields(Reference._from_fields(domain, path, tag, digest))
    if function == "digest.Parse":
        algorithm, encoded = parse_digest(text)
        return {"algorithm": algorithm, "hex": encoded}
    raise AssertionError(function)  # pragma: no cover


@pytest.mark.parametrize(
    "vector",
    [v for v in _VECTORS if "match" not in v],
    ids=_vector_id,
)
def test_vector(vector: dict[str, Any]) -> None:
    if "error" in vector:
        with pytest.raises(InvalidReference) as info:
            _run(vector["function"], vector["input"])
        assert str(info.value) == vector["error"], vector["reason"]
    else:
        assert _run(vector["function"], vector["input"]) == vector["expect"], vector["reason"]


def _groups(function: str, text: str) -> list[str] | None:
    if function == "DomainRegexp":
        return [] if OCI_DOMAIN.fullmatch(text) else None
    if function == "anchoredIdentifierRegexp":
        return [text] if OCI_IDENTIFIER.fullmatch(text) else None
    if function == "anchoredNameRegexp":
        m = OCI_NAME.fullmatch(text)
        return None if m is None else [m["domain"] or "", m["path"]]
    if function == "referenceRegexp":
        m = OCI_REFERENCE.fullmatch(text)
        return None if m is None else [m["name"], m["tag"] or "", m["digest"] or ""]
    raise AssertionError(function)  # pragma: no cover


@pytest.mark.parametrize("vector", [v for v in _VECTORS if "match" in v], ids=_vector_id)
def test_grammar_vector(vector: dict[str, Any]) -> None:
    groups = _groups(vector["function"], vector["input"])
    assert (groups is not None) == vector["match"], vector["reason"]
    if groups is not None:
        assert groups == vector["groups"], vector["reason"]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@given(reference_cases())
def test_valid_references_parse_to_their_fields(case: Case) -> None:
    ref = Reference.parse(case.text)
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (
        case.domain,
        case.path,
        case.tag,
        case.digest,
    )
    assert ref.name == f"{case.domain}/{case.path}"
    suffix = (f":{case.tag}" if case.tag else "") + (f"@{case.digest}" if case.digest else "")
    assert str(ref) == ref.name + suffix


def _familiar_is_ambiguous(ref: Reference) -> bool:
    """Docker's own blind spots in the familiar form of Docker Hub references.

    ``docker.io/foo.bar/baz`` prints as ``foo.bar/baz``, which reads as domain
    ``foo.bar`` (likewise a first component ``localhost``), and
    ``docker.io/library/<64 hex>`` prints as a bare image ID, which is refused.
    """
    if ref.domain != "docker.io":
        return False
    if OCI_IDENTIFIER.fullmatch(ref.familiar):  # docker.io/<64 hex> prints as an image ID
        return True
    first, _, rest = ref.familiar.partition("/")
    return bool(rest) and (first == "localhost" or "." in first or ":" in first)


@given(reference_cases())
def test_round_trips(case: Case) -> None:
    ref = Reference.parse(case.text)
    assert Reference.parse(str(ref)) == ref
    if not _familiar_is_ambiguous(ref):
        assert Reference.parse(ref.familiar) == ref


@given(near_misses())
@example(NearMiss("python:3.6\n", "invalid reference format", "trailing whitespace"))
@example(
    NearMiss(
        "Python",
        "invalid reference format: repository name (library/Python) must be lowercase",
        "uppercase in path",
    )
)
def test_near_misses_fail_with_the_go_error(miss: NearMiss) -> None:
    with pytest.raises(InvalidReference) as info:
        Reference.parse(miss.text)
    assert str(info.value) == miss.error, miss.rule


_STEERING = st.text(st.sampled_from("ab0.-_/:@[]A"), max_size=24)


@given(_STEERING | hostile_text())
def test_split_parser_agrees_with_the_full_pattern(text: str) -> None:
    """The string-splitting parser finds exactly what the one-piece grammar pattern does."""
    m = OCI_REFERENCE.fullmatch(text)
    got = oci._match(text)
    if m is None:
        assert got is None
    else:
        assert got == (m["domain"] or "", m["path"], m["tag"], m["digest"])


@given(hostile_text())
def test_anything_either_parses_or_raises_invalid_reference(text: str) -> None:
    try:
        ref = Reference.parse(text)
    except InvalidReference:
        return
    assert Reference.parse(str(ref)) == ref
    assert text.isascii()
    assert len(ref.path) <= oci.REPOSITORY_PATH_MAX


@given(domains(), st.lists(tags(), max_size=1), st.lists(digests(), max_size=1))
def test_digest_and_tag_survive_with_tag_with_digest(
    domain: str, tag_list: list[str], digest_list: list[str]
) -> None:
    ref = Reference.parse(f"{domain}/app")
    for tag in tag_list:
        ref = ref.with_tag(tag)
        assert ref.tag == tag
    for digest in digest_list:
        ref = ref.with_digest(digest)
        assert ref.digest == digest
    assert Reference.parse(str(ref)) == ref


# ---------------------------------------------------------------------------
# Examples and API details
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "string", "familiar"),
    [
        ("python:3.6", "docker.io/library/python:3.6", "python:3.6"),
        ("lablup/python", "docker.io/lablup/python", "lablup/python"),
        ("index.docker.io/lablup/python", "docker.io/lablup/python", "lablup/python"),
        (
            f"localhost:5000/foo@sha256:{_HEX64}",
            f"localhost:5000/foo@sha256:{_HEX64}",
            f"localhost:5000/foo@sha256:{_HEX64}",
        ),
        (
            f"python:3.6@sha256:{_HEX64}",
            f"docker.io/library/python:3.6@sha256:{_HEX64}",
            f"python:3.6@sha256:{_HEX64}",
        ),
    ],
)
def test_issue_examples(text: str, string: str, familiar: str) -> None:
    ref = Reference.parse(text)
    assert str(ref) == string
    assert ref.familiar == familiar


def test_errors_are_value_errors_of_the_package() -> None:
    with pytest.raises(ValueError, match="invalid reference format"):
        Reference.parse("python:3.6\n")
    assert issubclass(InvalidReference, ImageRefError)
    assert issubclass(InvalidReference, ValueError)


@pytest.mark.parametrize("value", [None, b"python", 3, ["python"]])
def test_non_str_raises_type_error(value: Any) -> None:
    with pytest.raises(ImageRefTypeError, match="must be a str"):
        Reference.parse(value)
    with pytest.raises(TypeError):
        parse_digest(value)


def test_reference_is_immutable_and_slotted() -> None:
    ref = Reference.parse("python:3.6")
    assert not hasattr(ref, "__dict__")
    with pytest.raises(AttributeError):
        ref.tag = "3.7"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ref.extra = 1  # type: ignore[attr-defined]


def test_equality_hash_copy_pickle() -> None:
    a = Reference.parse("python:3.6")
    b = Reference.parse("docker.io/library/python:3.6")
    assert a == b
    assert hash(a) == hash(b)
    assert a != Reference.parse("python:3.7")
    assert a != "docker.io/library/python:3.6"
    assert copy.copy(a) is a
    assert copy.deepcopy(a) is a
    assert pickle.loads(pickle.dumps(a)) == a
    assert repr(a) == "Reference('docker.io/library/python:3.6')"


def test_to_dict_is_json_ready() -> None:
    ref = Reference.parse(f"cr.backend.ai/stable/python:3.9@sha512:{'f' * 128}")
    data = ref.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "domain": "cr.backend.ai",
        "path": "stable/python",
        "name": "cr.backend.ai/stable/python",
        "tag": "3.9",
        "digest": f"sha512:{'f' * 128}",
        "familiar": f"cr.backend.ai/stable/python:3.9@sha512:{'f' * 128}",
        "string": f"cr.backend.ai/stable/python:3.9@sha512:{'f' * 128}",
    }


def test_with_tag_and_with_digest_errors() -> None:
    ref = Reference.parse("python")
    with pytest.raises(InvalidReference, match=r"^invalid tag format$"):
        ref.with_tag("-foo")
    with pytest.raises(InvalidReference, match=r"^invalid digest format$"):
        ref.with_digest("foo")
    # Go's WithDigest would take this (it checks only the shape); imageref also
    # applies go-digest's checks so the result always parses back.
    with pytest.raises(InvalidReference, match=r"^invalid checksum digest length$"):
        ref.with_digest("sha256:1234567890098765432112345667890098765")
    with pytest.raises(TypeError):
        ref.with_tag(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ref.with_digest(None)  # type: ignore[arg-type]


def test_empty_domain_corner_case() -> None:
    # A first component with '.' that is no valid domain: Go keeps it in the path.
    ref = Reference.parse("a_b.c/app:1")
    assert (ref.domain, ref.path, ref.name, str(ref), ref.familiar) == (
        "",
        "a_b.c/app",
        "a_b.c/app",
        "a_b.c/app:1",
        "a_b.c/app:1",
    )
    with pytest.raises(InvalidReference, match="no registry domain"):
        registry_target(ref)


@pytest.mark.parametrize(
    ("text", "familiar", "error"),
    [
        ("docker.io/foo.bar/app", "foo.bar/app", None),
        ("docker.io/localhost/app", "localhost/app", None),
        ("docker.io/" + _HEX64, _HEX64, "invalid repository name"),
    ],
)
def test_familiar_forms_docker_cannot_read_back(
    text: str, familiar: str, error: str | None
) -> None:
    ref = Reference.parse(text)
    assert ref.familiar == familiar
    assert _familiar_is_ambiguous(ref)
    assert Reference.parse(str(ref)) == ref
    if error is None:
        assert Reference.parse(familiar) != ref
    else:
        with pytest.raises(InvalidReference, match=error):
            Reference.parse(familiar)


def test_unicode_case_mapping_follows_go() -> None:
    # Go lowercases U+0130 to a plain "i": only the case is wrong, not the text.
    with pytest.raises(InvalidReference, match=r"^repository name must be lowercase$"):
        Reference.parse("foo:\u0130")
    with pytest.raises(InvalidReference, match=r"^invalid reference format$"):
        Reference.parse("foo:i\u0307")


_FORMAT = "invalid reference format"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a" * 100_000 + "!", _FORMAT),
        ("a-" * 50_000 + "/", _FORMAT),
        ("a." * 50_000 + "!", _FORMAT),
        (
            # Past 1024 characters the path is shown by its head, tail and length (1 MB and
            # 10 MB paths, with the work counted: tests/test_error_messages.py).
            "a/" * 50_000 + "A",
            f"{_FORMAT}: repository name ('{'a/' * 256}'...'{'/a' * 255}/A' (100001 characters))"
            " must be lowercase",
        ),
        ("a/" * 50_000 + "a", "repository name must not be more than 255 characters"),
        ("a__" * 33_000 + "_", _FORMAT),
        ("x@sha256:" + "a" * 100_000, "invalid checksum digest length"),
        ("x@" + "a." * 50_000 + ":" + "0" * 40, _FORMAT),
        ("[" + ":" * 100_000 + "/x", _FORMAT),
        ("a" * 100_000 + ":1/x!", _FORMAT),
        ("a" * 100_000 + "." + "b" * 100_000 + "/x:" + "t" * 129, _FORMAT),
    ],
    ids=lambda value: f"{value[:12]!r}x{len(value)}",
)
def test_long_hostile_input_is_rejected(text: str, error: str) -> None:
    # No timing assertion here: the patterns are linear by construction (see the
    # comments in imageref._grammar); this only checks the answers.
    with pytest.raises(InvalidReference) as info:
        Reference.parse(text)
    assert str(info.value) == error


def _target_of(name: str) -> RegistryTarget:
    """registry_target of an image named *name* (any text: Backend.AI's rules aside)."""
    image = SimpleNamespace(registry="index.docker.io", name=name, tag="1")
    return registry_target(image)  # type: ignore[arg-type]


_LOWER = "must be lowercase"


@pytest.mark.parametrize(
    ("check", "path", "problem"),
    [
        (Reference.parse, "x/" + "A" * 1022, _LOWER),
        (Reference.parse, "x/\u00c9 \n" + "A" * 1019, _LOWER),
        (_target_of, "x/" + "A" * 1022, _LOWER),
        (_target_of, "x/\u00c9 \n" + "A" * 1019, "is not an OCI repository path"),
    ],
    ids=["parse", "parse not plain", "target", "target not plain"],
)
def test_a_repository_name_is_shown_as_go_shows_it_up_to_1024_characters(
    check: Callable[[str], object], path: str, problem: str
) -> None:
    # Up to 1024 characters the path is shown whole and as it is (Go's %s), even when it
    # is not plain; one character more and it is shown by its head, tail and length.
    assert len(path) == 1024
    with pytest.raises(InvalidReference) as info:
        check(path)
    assert str(info.value) == f"{_FORMAT}: repository name ({path}) {problem}"
    longer = path + "A"
    with pytest.raises(InvalidReference) as info:
        check(longer)
    shown = f"{longer[:512]!r}...{longer[-512:]!r} (1025 characters)"
    assert str(info.value) == f"{_FORMAT}: repository name ({shown}) {problem}"


def test_long_domains_and_brackets_are_valid() -> None:
    # distribution/reference sets no length limit on the domain, and its IPv6
    # pattern is just hex digits and ':' between brackets.
    assert Reference.parse("[" + ":" * 10_000 + "]/x").path == "x"
    assert Reference.parse("a" * 10_000 + ":1/x").domain == "a" * 10_000 + ":1"


# ---------------------------------------------------------------------------
# Digests
# ---------------------------------------------------------------------------


@given(digests())
def test_parse_digest_splits_valid_digests(digest: str) -> None:
    algorithm, encoded = parse_digest(digest)
    assert f"{algorithm}:{encoded}" == digest
    assert len(encoded) == oci.DIGEST_ALGORITHMS[algorithm]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "invalid checksum digest format"),
        ("sha256", "invalid checksum digest format"),
        ("sha256:", "invalid checksum digest format"),
        (":" + _HEX64, "invalid checksum digest format"),
        ("SHA256:" + _HEX64, "invalid checksum digest format"),
        ("sha256:" + _HEX64.upper(), "invalid checksum digest format"),
        ("sha256:" + _HEX64 + "\n", "invalid checksum digest length"),
        ("sha256:" + _HEX64[:-1] + "g", "invalid checksum digest format"),
        ("sha512:" + _HEX64, "invalid checksum digest length"),
        ("md5:" + _HEX64[:32], "unsupported digest algorithm"),
        ("sha256+b64:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "unsupported digest algorithm"),
        ("sha384__foo+bar:" + "0" * 96, "invalid checksum digest format"),
    ],
)
def test_parse_digest_errors(text: str, error: str) -> None:
    with pytest.raises(InvalidReference) as info:
        parse_digest(text)
    assert str(info.value) == error


# ---------------------------------------------------------------------------
# Registry targets
# ---------------------------------------------------------------------------


def test_registry_target_from_imageref_on_docker_hub() -> None:
    target = registry_target(ImageRef("python:3.6-ubuntu18.04"))
    assert target == RegistryTarget("registry-1.docker.io", "lablup/python", "3.6-ubuntu18.04")
    assert target.manifest_url == (
        "https://registry-1.docker.io/v2/lablup/python/manifests/3.6-ubuntu18.04"
    )
    assert target.tags_url == "https://registry-1.docker.io/v2/lablup/python/tags/list"


def test_registry_target_from_imageref_elsewhere() -> None:
    target = registry_target(ImageRef("cr.backend.ai/stable/python:3.9", ["cr.backend.ai"]))
    assert (target.host, target.repository, target.reference) == (
        "cr.backend.ai",
        "stable/python",
        "3.9",
    )
    zoned = registry_target(ImageRef("[fe80::1%eth0]:5000/team/app:1.0"))
    assert zoned.host == "[fe80::1%eth0]:5000"
    assert zoned.manifest_url == "https://[fe80::1%25eth0]:5000/v2/team/app/manifests/1.0"


class _DigestedImageRef:
    """Stands in for an ImageRef once it carries a digest (the lead's part of issue 6)."""

    registry = "index.docker.io"
    name = "lablup/python"
    tag = "3.6"
    digest = f"sha256:{_HEX64}"


def test_registry_target_prefers_the_digest() -> None:
    target = registry_target(_DigestedImageRef())  # type: ignore[arg-type]
    assert target.reference == f"sha256:{_HEX64}"
    assert target.manifest_url.endswith(f"/lablup/python/manifests/sha256:{_HEX64}")


def test_registry_target_refuses_what_no_registry_serves() -> None:
    with pytest.raises(
        InvalidReference, match=r"repository name \(Lablup/python\) must be lowercase"
    ):
        registry_target(ImageRef("Lablup/python:1.0"))
    with pytest.raises(InvalidReference, match="is not an OCI repository path"):
        registry_target(ImageRef("lablup/py..thon:1.0"))
    with pytest.raises(InvalidReference, match=r"^invalid tag format$"):
        registry_target(ImageRef("lablup/python:" + "1" * 129))
    with pytest.raises(ImageRefTypeError):
        registry_target("python")  # type: ignore[arg-type]


def test_registry_target_from_reference() -> None:
    assert registry_target(Reference.parse("python")) == RegistryTarget(
        "registry-1.docker.io", "library/python", "latest"
    )
    assert registry_target(Reference.parse("localhost:5000/a/b:2")).manifest_url == (
        "https://localhost:5000/v2/a/b/manifests/2"
    )
    digested = Reference.parse(f"quay.io/org/app:1@sha256:{_HEX64}")
    assert registry_target(digested).reference == f"sha256:{_HEX64}"


def test_registry_target_is_frozen() -> None:
    target = RegistryTarget("h", "r", "t")
    with pytest.raises(AttributeError):
        target.host = "x"  # type: ignore[misc]
