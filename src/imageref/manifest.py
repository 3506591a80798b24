"""Registry documents: image indexes, image manifests, image configs and descriptors.

A registry scan reads, per tag, an image index (or Docker manifest list), picks the
manifest of one platform, then reads that image's config, which holds its labels.
These functions read each document strictly, as pure functions (no network I/O),
and return immutable, typed values; every failure is a :class:`ManifestError` that
names the JSON path of the offending part and the rule it breaks.

>>> index = parse_manifest(_EXAMPLE_INDEX)
>>> [(str(d.platform), d.kind) for d in index.manifests]
[('linux/amd64', 'image'), ('linux/arm64', 'image'), ('unknown/unknown', 'attestation')]
>>> index.select("linux/aarch64").digest == "sha256:" + "b" * 64
True
>>> parse_manifest('{"schemaVersion": 2, "manifests": [{"size": "7"}]}')
Traceback (most recent call last):
    ...
imageref.errors.ManifestError: $.manifests[0].mediaType: is required

Truth: the OCI image-spec v1.1 (its text and ``schema/*.json``), Docker's image
manifest v2 schema 2, containerd's platform selection and the CVE-2021-41190 rule
(an index must not carry ``config`` or ``layers``). The rules are written anew here;
``docs/manifest.md`` lists them and where imageref departs from the schemas.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ._digest import descriptor_digest_error, digest_error
from ._grammar import ENV_ENTRY, MEDIA_TYPE, RFC3339_DATE_TIME, URI
from ._value import ReadOnlyValue
from .errors import ManifestError, _shown, _shown_object, _type_error
from .platforms import Platform, matcher

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_DEPTH",
    "MEDIA_TYPE_DOCKER_MANIFEST",
    "MEDIA_TYPE_DOCKER_MANIFEST_LIST",
    "MEDIA_TYPE_EMPTY",
    "MEDIA_TYPE_OCI_CONFIG",
    "MEDIA_TYPE_OCI_INDEX",
    "MEDIA_TYPE_OCI_MANIFEST",
    "Descriptor",
    "ImageConfig",
    "ImageIndex",
    "ImageManifest",
    "ManifestError",
    "parse_config",
    "parse_descriptor",
    "parse_manifest",
]

MEDIA_TYPE_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_TYPE_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_TYPE_OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_TYPE_EMPTY = "application/vnd.oci.empty.v1+json"
MEDIA_TYPE_DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MEDIA_TYPE_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
_DOCKER_SCHEMA1 = frozenset(
    {
        "application/vnd.docker.distribution.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
    }
)
_INDEX_TYPES = frozenset({MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_MANIFEST_LIST})
_MANIFEST_TYPES = frozenset({MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST})

#: The largest document read by default: 4 MiB, the limit registries put on manifests.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
#: The deepest nesting of objects and arrays accepted (the top object is depth 1).
MAX_DEPTH = 64

# BuildKit marks the manifests of its attestations (provenance, SBOM) in an index with
# this annotation (BuildKit's attestation storage document).
_REFERENCE_TYPE = "vnd.docker.reference.type"
_ATTESTATION = "attestation-manifest"

_MISSING: Any = object()
_SIZE_LIMIT = 1 << 63
_MappingProxyType = type(type.__dict__)  # types.MappingProxyType
_EMPTY_MAP: Mapping[str, str] = _MappingProxyType({})
# Media types seen valid: most documents repeat a handful (bounded, see _media_type).
_VALID_MEDIA = set(_INDEX_TYPES | _MANIFEST_TYPES | {MEDIA_TYPE_OCI_CONFIG, MEDIA_TYPE_EMPTY})
_VALID_MEDIA_LIMIT = 256


# ---------------------------------------------------------------------------
# JSON under limits
# ---------------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside ``json.loads`` by a hook: a duplicate key, NaN or Infinity."""


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Refused
    return obj


def _refuse_constant(text: str) -> Any:
    raise _Refused


def _finite_float(text: str) -> float:
    value = float(text)
    if value - value != 0:  # inf - inf is nan: a literal too large for a float
        raise _Refused
    return value


# One decoder for every document (json.loads with hooks would build one per call).
_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_object, parse_constant=_refuse_constant, parse_float=_finite_float
)


class _Problem:
    """What the second, forgiving reading puts where the first one refused something."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Pairs(list):  # type: ignore[type-arg]
    """An object's members as read, duplicates kept (the forgiving reading)."""

    __slots__ = ()


def _forgiving_float(text: str) -> Any:
    value = float(text)
    return value if value - value == 0 else _Problem(f"{text[:40]} is too large for a number")


def _forgiving_int(text: str) -> Any:
    try:
        return int(text)
    except ValueError:  # past Python's limit on converting digits (4,300 by default)
        return _Problem(f"an integer of {len(text)} digits is too long to read")


def _locate(text: str) -> ManifestError:
    """Where a document the strict reading refused breaks a rule, found by a forgiving one."""
    try:
        tree = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_constant=lambda name: _Problem(f"{name} is not allowed (not JSON)"),
            parse_float=_forgiving_float,
            parse_int=_forgiving_int,
        )
    except (ValueError, RecursionError):  # pragma: no cover - the strict reading failed alike
        return ManifestError("$", "the document is not JSON")
    stack: list[tuple[Any, str]] = [(tree, "$")]
    while stack:  # in document order: the first problem is reported
        value, path = stack.pop()
        if isinstance(value, _Problem):
            return ManifestError(path, value.reason)
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            for key, _ in value:
                if key in seen:
                    return ManifestError(
                        _member(path, key), "duplicate key (JSON readers disagree on which wins)"
                    )
                seen.add(key)
            stack.extend((item, _member(path, key)) for key, item in reversed(value))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(value))))
    return ManifestError("$", "the document is not JSON")  # pragma: no cover


def _load(
    body: bytes | str,
    max_bytes: int,
    digest: str | Descriptor | None,
    *,
    depth_by_reader: bool = False,
) -> Any:
    """*body* read as JSON under the limits, after its size and (given one) digest check.

    With *depth_by_reader*, the caller checks the nesting depth as it reads: what it
    reads by its rules cannot nest deep, and it gives every member it does not read
    to :func:`_check_depth` (faster than counting the whole body's brackets).
    """
    if max_bytes.__class__ is not int:
        raise _type_error("max_bytes", "an int", max_bytes)
    if body.__class__ is bytes:
        data = body
        text = ""
    elif isinstance(body, str):
        if len(body) > max_bytes:  # a character is at least a byte
            raise ManifestError(
                "$", f"the document is over {max_bytes} bytes ({len(body)} characters)"
            )
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ManifestError(
                "$", f"not UTF-8: character {exc.start} is a lone surrogate"
            ) from None
        text = body
    elif isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
        text = ""
    else:
        raise _type_error("a registry document", "bytes or a str", body)
    if len(data) > max_bytes:
        raise ManifestError("$", f"the document is {len(data)} bytes, over {max_bytes}")
    if digest is not None:
        _check_content(data, digest)
    if not text:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ManifestError(
                "$", f"not UTF-8: byte {exc.start} ({data[exc.start]:#04x}) {exc.reason}"
            ) from None
    try:
        tree = _DECODER.decode(text)
    except RecursionError:
        raise ManifestError("$", f"nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(
            "$", f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (_Refused, ValueError):
        raise _locate(text) from None
    if not depth_by_reader and data.count(b"{") + data.count(b"[") > MAX_DEPTH:
        _check_depth(tree)  # (with no more brackets than that, no nesting can be deeper)
    return tree


def _check_depth(value: Any, depth: int = 1) -> None:
    """No object or array nested deeper than :data:`MAX_DEPTH` in *value*, found at
    *depth* (the top of a document is depth 1); one level at a time."""
    if value.__class__ is not dict and value.__class__ is not list:
        return
    level = [value]
    for _ in range(MAX_DEPTH + 1 - depth):  # after the last pass: containers at depth 65
        level = [
            item
            for container in level
            for item in (container.values() if container.__class__ is dict else container)
            if item.__class__ is dict or item.__class__ is list
        ]
        if not level:
            return
    raise ManifestError("$", f"nested deeper than {MAX_DEPTH} levels")


def _check_content(data: bytes, expected: str | Descriptor) -> None:
    """The bytes' digest (and, from a descriptor, size) must be the expected ones."""
    if isinstance(expected, Descriptor):
        if len(data) != expected.size:
            raise ManifestError(
                "$", f"the document is {len(data)} bytes, not the {expected.size} expected"
            )
        expected = expected.digest
    if not isinstance(expected, str):
        raise _type_error("digest", "a str or a Descriptor", expected)
    error = descriptor_digest_error(expected)
    if error is not None:
        raise ManifestError("$", f"the expected digest {_shown(expected)} is invalid: {error}")
    algorithm, _, encoded = expected.partition(":")
    if algorithm not in ("sha256", "sha384", "sha512"):
        raise ManifestError("$", f"cannot check a {_shown(algorithm)} digest")
    import hashlib  # noqa: PLC0415 - only a digest check needs it

    actual = hashlib.new(algorithm, data).hexdigest()
    if actual != encoded:
        raise ManifestError(
            "$", f"the document's digest is {algorithm}:{actual}, not {_shown(expected)}"
        )


# ---------------------------------------------------------------------------
# Field rules (each one function; errors name the JSON path)
# ---------------------------------------------------------------------------


def _member(path: str, key: str) -> str:
    """The JSON path of member *key* of the object at *path*."""
    if key.isidentifier() and key.isascii():
        return f"{path}.{key}"
    return f"{path}[{_shown(key) if len(key) > 80 else json.dumps(key)}]"


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"a string {_shown(value)}"
    if isinstance(value, int):
        return f"an integer ({_shown_object(value)})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, dict):
        return "an object"
    return "an array"


def _wrong(path: str, expected: str, value: object) -> ManifestError:
    if value is _MISSING:
        return ManifestError(path, "is required")
    return ManifestError(path, f"must be {expected}, not {_kind_of(value)}")


def _object(value: Any, path: str, what: str = "an object") -> dict[str, Any]:
    if value.__class__ is not dict:
        raise _wrong(path, what, value)
    return value


def _string(obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = obj.get(key, _MISSING)
    if value.__class__ is str:
        return value
    if value is _MISSING and not required:
        return None
    raise _wrong(_member(path, key), "a string", value)


def _strings(value: Any, path: str, what: str = "an array of strings") -> tuple[str, ...]:
    if value.__class__ is not list:
        raise _wrong(path, what, value)
    for i, item in enumerate(value):
        if item.__class__ is not str:
            raise _wrong(f"{path}[{i}]", "a string", item)
    return tuple(value)


def _at(path: str, key: str | None) -> str:
    """*path*, or its member *key* (callers pass both so that the path is made on error only)."""
    return path if key is None else f"{path}.{key}"


def _string_map(value: Any, path: str, key: str | None = None) -> Mapping[str, str]:
    """An object of string values (annotations, labels), read-only."""
    if value.__class__ is not dict:
        raise _wrong(_at(path, key), "an object of strings", value)
    for name, item in value.items():
        if item.__class__ is not str:
            raise _wrong(_member(_at(path, key), name), "a string", item)
    return _MappingProxyType(value) if value else _EMPTY_MAP


def _object_map(value: Any, path: str) -> None:
    """An object whose members are objects (``Volumes``, ``ExposedPorts``)."""
    if value.__class__ is not dict:
        raise _wrong(path, "an object of objects", value)
    for key, item in value.items():
        if item.__class__ is not dict:
            raise _wrong(_member(path, key), "an object", item)


def _media_type(value: Any, path: str) -> str:
    if value.__class__ is not str:
        raise _wrong(path, "a media type string", value)
    if value not in _VALID_MEDIA:
        if MEDIA_TYPE.fullmatch(value) is None:
            raise ManifestError(
                path,
                f"{_shown(value)} is not a media type (type/subtype: each a letter or digit,"
                " then at most 126 of letters, digits and !#$&^_.+-)",
            )
        if len(_VALID_MEDIA) < _VALID_MEDIA_LIMIT:
            _VALID_MEDIA.add(value)
    return value


def _digest(value: Any, path: str) -> str:
    if value.__class__ is not str:
        raise _wrong(path, "a digest string", value)
    error = descriptor_digest_error(value)
    if error is not None:
        raise ManifestError(
            path,
            f"{_shown(value)} is not a digest ({error}: algorithm:encoded, sha256 with 64"
            " and sha512 with 128 lowercase hex digits)",
        )
    return value


def _size(value: Any, path: str) -> int:
    if value.__class__ is not int or not 0 <= value < _SIZE_LIMIT:
        if value.__class__ is int:
            raise ManifestError(path, f"{_shown_object(value)} is not a size (0 to 2^63-1)")
        raise _wrong(path, "an integer", value)
    return value


def _data(value: Any, path: str, size: int, digest: str) -> bytes:
    if value.__class__ is not str:
        raise _wrong(path, "a base64 string", value)
    import base64  # noqa: PLC0415 - only embedded data needs it
    import binascii  # noqa: PLC0415

    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ManifestError(path, "not base64 (the standard alphabet, padded with '=')") from None
    if len(data) != size:
        raise ManifestError(path, f"decodes to {len(data)} bytes, but size is {size}")
    algorithm, _, encoded = digest.partition(":")
    if algorithm in ("sha256", "sha384", "sha512"):
        import hashlib  # noqa: PLC0415

        if hashlib.new(algorithm, data).hexdigest() != encoded:
            raise ManifestError(path, "decodes to bytes whose digest is not the descriptor's")
    return data


def _platform(value: Any, path: str, key: str | None = None, depth: int = 1) -> Platform:
    """A platform object (at *depth*; its path *path*, or member *key* of it)."""
    if value.__class__ is dict and len(value) > 2:
        known = 2 + ("variant" in value) + ("os.version" in value) + ("os.features" in value)
        if len(value) > known:  # members this does not read: only their depth matters
            for name, member in value.items():
                if name not in _PLATFORM_MEMBERS:
                    _check_depth(member, depth + 1)
    if value.__class__ is dict and "os.features" not in value:
        get = value.get
        fields = (get("os"), get("architecture"), get("variant", ""), get("os.version", ""))
        try:
            return _PLATFORMS[fields]  # seen before: strings all, a valid platform
        except (KeyError, TypeError):  # not seen, or a member is an array or object
            pass
    path = _at(path, key)
    obj = _object(value, path)
    architecture = _string(obj, "architecture", path, required=True)
    os = _string(obj, "os", path, required=True)
    variant = _string(obj, "variant", path) or ""
    version = _string(obj, "os.version", path) or ""
    features = obj.get("os.features")
    if features is not None:
        features = _strings(features, _member(path, "os.features"))
        return Platform(os, architecture, variant, version, features)  # type: ignore[arg-type]
    platform = Platform(os, architecture, variant, version)  # type: ignore[arg-type]
    if len(_PLATFORMS) < _PLATFORMS_LIMIT:
        _PLATFORMS[os, architecture, variant, version] = platform
    return platform


_PLATFORM_MEMBERS = frozenset({"architecture", "os", "variant", "os.version", "os.features"})
_DESCRIPTOR_MEMBERS = frozenset(
    {"mediaType", "digest", "size", "platform", "annotations", "artifactType", "urls", "data"}
)
_DOCUMENT_MEMBERS = frozenset(
    {"schemaVersion", "mediaType", "manifests", "config", "layers", "annotations"}
    | {"artifactType", "subject"}
)

# Platforms without OS features by (os, architecture, variant, os.version): immutable
# values, shared by every document that has them; bounded.
_PLATFORMS: dict[tuple[Any, ...], Platform] = {}
_PLATFORMS_LIMIT = 1024


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


class _Value(ReadOnlyValue):
    """A document's value: read-only, compared by its fields, pickled as its JSON."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def __reduce__(self) -> tuple[object, ...]:
        return (_PARSERS[type(self)], (json.dumps(self.to_dict()),))


class _Document(_Value):
    """What an index and a manifest share: a media type, annotations, artifactType, subject."""

    __slots__ = ("annotations", "artifact_type", "media_type", "subject")

    media_type: str
    annotations: Mapping[str, str]
    artifact_type: str | None
    subject: Descriptor | None

    def _shared_members(self, out: dict[str, Any]) -> dict[str, Any]:
        """*out* with the optional members the document has."""
        if self.artifact_type is not None:
            out["artifactType"] = self.artifact_type
        if self.subject is not None:
            out["subject"] = self.subject.to_dict()
        if self.annotations:
            out["annotations"] = dict(self.annotations)
        return out


def _set(obj: object, **fields: object) -> None:
    for name, value in fields.items():
        object.__setattr__(obj, name, value)


def _frozen(mapping: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(mapping.items())


class Descriptor:
    """A content descriptor: what a document points at (a manifest, a config, a layer).

    ``kind`` says what an index entry is: ``"index"`` (a nested index or manifest
    list), ``"attestation"`` (BuildKit's attestation manifests, annotated
    ``vnd.docker.reference.type: attestation-manifest``), ``"artifact"``
    (``artifactType`` set), ``"image"`` (an image manifest) or ``"unknown"`` (any
    other media type: allowed, never an error). Built by :func:`parse_descriptor`
    and the document parsers; its fields are read-only properties.
    """

    # Private slots behind read-only properties: an index builds one per entry, and
    # plain slot stores cost a quarter of object.__setattr__ calls.
    __slots__ = ("_annotations", "_digest", "_media_type", "_platform", "_rare", "_size")

    _media_type: str
    _digest: str
    _size: int
    _platform: Platform | None
    _annotations: Mapping[str, str]
    _rare: tuple[str | None, tuple[str, ...], bytes | None] | None  # artifactType, urls, data

    def __init__(self) -> None:
        raise _type_error(
            "Descriptor()", "built by parse_descriptor, parse_manifest or parse_config", self
        )

    @property
    def media_type(self) -> str:
        """``mediaType``."""
        return self._media_type

    @property
    def digest(self) -> str:
        """``digest``: ``algorithm:encoded``."""
        return self._digest

    @property
    def size(self) -> int:
        """``size`` in bytes."""
        return self._size

    @property
    def platform(self) -> Platform | None:
        """``platform`` (index entries), as written; None when absent."""
        return self._platform

    @property
    def annotations(self) -> Mapping[str, str]:
        """``annotations``, read-only (empty when absent)."""
        return self._annotations

    @property
    def artifact_type(self) -> str | None:
        """``artifactType``, or None."""
        return None if self._rare is None else self._rare[0]

    @property
    def urls(self) -> tuple[str, ...]:
        """``urls`` (empty when absent)."""
        return () if self._rare is None else self._rare[1]

    @property
    def data(self) -> bytes | None:
        """``data`` decoded, or None."""
        return None if self._rare is None else self._rare[2]

    @property
    def kind(self) -> str:
        """``index``, ``image``, ``attestation``, ``artifact`` or ``unknown`` (see above)."""
        media_type = self._media_type
        if media_type in _INDEX_TYPES:
            return "index"
        if self._annotations.get(_REFERENCE_TYPE) == _ATTESTATION:
            return "attestation"
        if self._rare is not None and self._rare[0] is not None:
            return "artifact"
        if media_type in _MANIFEST_TYPES:
            return "image"
        return "unknown"

    def _fields(self) -> tuple[object, ...]:
        return (
            self._media_type,
            self._digest,
            self._size,
            self._platform,
            _frozen(self._annotations),
            self.artifact_type,
            self.urls,
            self.data,
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not Descriptor:
            return NotImplemented
        assert isinstance(other, Descriptor)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self) -> tuple[object, ...]:
        return (parse_descriptor, (json.dumps(self.to_dict()),))

    def __repr__(self) -> str:
        platform = "" if self._platform is None else f", platform={str(self._platform)!r}"
        kind, media_type = self.kind, self._media_type
        return f"<Descriptor {kind} {media_type} {self._digest} size={self._size}{platform}>"

    def to_dict(self) -> dict[str, Any]:
        """The descriptor as JSON-ready data (what :func:`parse_descriptor` reads back)."""
        out: dict[str, Any] = {
            "mediaType": self.media_type,
            "digest": self.digest,
            "size": self.size,
        }
        if self.urls:
            out["urls"] = list(self.urls)
        if self.data is not None:
            import base64  # noqa: PLC0415

            out["data"] = base64.b64encode(self.data).decode("ascii")
        if self.artifact_type is not None:
            out["artifactType"] = self.artifact_type
        if self.annotations:
            out["annotations"] = dict(self.annotations)
        if self.platform is not None:
            out["platform"] = _platform_dict(self.platform)
        return out


def _platform_dict(p: Platform) -> dict[str, Any]:
    out: dict[str, Any] = {"architecture": p.architecture, "os": p.os}
    if p.variant:
        out["variant"] = p.variant
    if p.os_version:
        out["os.version"] = p.os_version
    if p.os_features:
        out["os.features"] = list(p.os_features)
    return out


def _descriptor(value: Any, path: str, depth: int = 1) -> Descriptor:
    """A descriptor read from *value* (at JSON path *path*, at *depth*), every member checked."""
    if value.__class__ is not dict:
        raise _wrong(path, "an object (a descriptor)", value)
    get = value.get
    media_type = get("mediaType", _MISSING)
    if media_type.__class__ is not str or media_type not in _VALID_MEDIA:
        _media_type(media_type, f"{path}.mediaType")
    digest = get("digest", _MISSING)
    if digest.__class__ is not str or digest_error(digest) is not None:
        _digest(digest, f"{path}.digest")  # raises, or accepts an algorithm it cannot check
    size = get("size", _MISSING)
    if size.__class__ is not int or not 0 <= size < _SIZE_LIMIT:
        _size(size, f"{path}.size")
    d = object.__new__(Descriptor)
    d._media_type = media_type
    d._digest = digest
    d._size = size
    platform = None
    annotations: Mapping[str, str] = _EMPTY_MAP
    rare = None
    extra = len(value) - 3  # members past the three required ones
    if extra:
        member = get("platform", _MISSING)
        if member is not _MISSING:
            platform = _platform(member, path, "platform", depth + 1)
            extra -= 1
        member = get("annotations", _MISSING)
        if member is not _MISSING:
            annotations = _string_map(member, path, "annotations")
            extra -= 1
        if extra:
            rare = _rare_members(value, path, size, digest, depth)
    d._platform = platform
    d._annotations = annotations
    d._rare = rare
    return d


def _rare_members(
    value: dict[str, Any], path: str, size: int, digest: str, depth: int
) -> tuple[str | None, tuple[str, ...], bytes | None] | None:
    """A descriptor's ``artifactType``, ``urls`` and ``data``; None when it has none.

    The depth of the members it does not read is checked here too.
    """
    for name, member in value.items():
        if name not in _DESCRIPTOR_MEMBERS:
            _check_depth(member, depth + 1)
    get = value.get
    artifact_type = get("artifactType", _MISSING)
    urls = get("urls", _MISSING)
    data = get("data", _MISSING)
    if artifact_type is _MISSING and urls is _MISSING and data is _MISSING:
        return None  # only members this does not read
    return (
        None if artifact_type is _MISSING else _media_type(artifact_type, f"{path}.artifactType"),
        () if urls is _MISSING else _urls(urls, f"{path}.urls"),
        None if data is _MISSING else _data(data, f"{path}.data", size, digest),
    )


def _urls(value: Any, path: str) -> tuple[str, ...]:
    urls = _strings(value, path, "an array of URLs")
    for i, url in enumerate(urls):
        if URI.fullmatch(url) is None:
            raise ManifestError(f"{path}[{i}]", f"{_shown(url)} is not an absolute URL")
    return urls


class ImageIndex(_Document):
    """An OCI image index or a Docker manifest list: one entry per platform (and more).

    ``media_type``, ``manifests`` (a tuple of :class:`Descriptor`), ``annotations``,
    ``artifact_type`` and ``subject`` (a :class:`Descriptor` or None).
    """

    __slots__ = ("manifests",)

    manifests: tuple[Descriptor, ...]

    def _fields(self) -> tuple[object, ...]:
        return (
            self.media_type,
            self.manifests,
            _frozen(self.annotations),
            self.artifact_type,
            self.subject,
        )

    def __repr__(self) -> str:
        return f"<ImageIndex {self.media_type} {len(self.manifests)} entries>"

    def images(self) -> tuple[Descriptor, ...]:
        """The entries of kind ``image`` or ``index``: what a platform can select."""
        return tuple(d for d in self.manifests if d.kind in ("image", "index"))

    def select(self, platform: Platform | str, *, strict: bool = False) -> Descriptor | None:
        """The entry containerd would pull for *platform*, or None.

        Among the entries of kind ``image`` or ``index``, those whose platform the
        :func:`~imageref.platforms.matcher` accepts, best rank first and index
        order between equals; entries without a platform come after every matching
        one. Attestations and artifacts are never selected.
        """
        m = matcher(platform, strict=strict)
        best: Descriptor | None = None
        best_rank: int | None = None
        fallback: Descriptor | None = None
        for d in self.images():
            if d.platform is None:
                if fallback is None:
                    fallback = d
                continue
            rank = m.rank(d.platform)
            if rank is not None and (best_rank is None or rank < best_rank):
                best, best_rank = d, rank
        return best if best is not None else fallback

    def to_dict(self) -> dict[str, Any]:
        """The index as JSON-ready data (what :func:`parse_manifest` reads back)."""
        return self._shared_members(
            {
                "schemaVersion": 2,
                "mediaType": self.media_type,
                "manifests": [d.to_dict() for d in self.manifests],
            }
        )


class ImageManifest(_Document):
    """An OCI image manifest or a Docker schema 2 manifest: a config and layers.

    ``media_type``, ``config`` (a :class:`Descriptor`), ``layers`` (a tuple of them),
    ``annotations``, ``artifact_type``, ``subject`` and ``total_size``.
    """

    __slots__ = ("config", "layers")

    config: Descriptor
    layers: tuple[Descriptor, ...]

    def _fields(self) -> tuple[object, ...]:
        return (
            self.media_type,
            self.config,
            self.layers,
            _frozen(self.annotations),
            self.artifact_type,
            self.subject,
        )

    def __repr__(self) -> str:
        return f"<ImageManifest {self.media_type} {len(self.layers)} layers>"

    @property
    def total_size(self) -> int:
        """The config's size plus the layers' sizes (what Backend.AI stores as an image's size)."""
        return self.config.size + sum(layer.size for layer in self.layers)

    def to_dict(self) -> dict[str, Any]:
        """The manifest as JSON-ready data (what :func:`parse_manifest` reads back)."""
        return self._shared_members(
            {
                "schemaVersion": 2,
                "mediaType": self.media_type,
                "config": self.config.to_dict(),
                "layers": [d.to_dict() for d in self.layers],
            }
        )


class ImageConfig(_Value):
    """An image config: the platform it was built for, its labels, its layers' diff IDs."""

    __slots__ = ("created", "diff_ids", "labels", "platform")

    platform: Platform
    labels: Mapping[str, str]
    created: str | None
    diff_ids: tuple[str, ...]

    def _fields(self) -> tuple[object, ...]:
        return (self.platform, _frozen(self.labels), self.created, self.diff_ids)

    def __repr__(self) -> str:
        return f"<ImageConfig {self.platform} {len(self.labels)} labels>"

    @property
    def architecture(self) -> str:
        """The ``architecture`` member, as written."""
        return self.platform.architecture

    @property
    def os(self) -> str:
        """The ``os`` member, as written."""
        return self.platform.os

    @property
    def variant(self) -> str:
        """The ``variant`` member, as written (``""`` when absent)."""
        return self.platform.variant

    def to_dict(self) -> dict[str, Any]:
        """The fields read, as JSON-ready config data (what :func:`parse_config` reads back)."""
        out = _platform_dict(self.platform)
        if self.created is not None:
            out["created"] = self.created
        out["config"] = {"Labels": dict(self.labels)}
        out["rootfs"] = {"type": "layers", "diff_ids": list(self.diff_ids)}
        return out


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------


def _declared(media_type: str | None) -> str | None:
    if media_type is None:
        return None
    if not isinstance(media_type, str):
        raise _type_error("media_type", "a str or None", media_type)
    return media_type.partition(";")[0].strip().lower()


def parse_manifest(
    body: bytes | str,
    media_type: str | None = None,
    *,
    digest: str | Descriptor | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImageIndex | ImageManifest:
    """Read an image index (or manifest list) or an image manifest.

    *media_type* is the ``Content-Type`` it came with (parameters such as
    ``; charset=`` are ignored); with the body's own ``mediaType`` it must agree.
    Without either, a document with ``manifests`` is an OCI index and one with
    ``config`` an OCI manifest. *digest* (a digest, or the :class:`Descriptor`
    that pointed here, whose size is checked too) must be that of the exact bytes.

    >>> m = parse_manifest(_EXAMPLE_MANIFEST)
    >>> m.config.media_type, len(m.layers), m.total_size
    ('application/vnd.oci.image.config.v1+json', 1, 32655)
    """
    declared = _declared(media_type)
    if declared is None and isinstance(digest, Descriptor):
        declared = digest.media_type
    doc = _object(_load(body, max_bytes, digest, depth_by_reader=True), "$", "a JSON object")
    for name, member in doc.items():
        if name not in _DOCUMENT_MEMBERS:  # what is read cannot nest deep; the rest may
            _check_depth(member, 2)
    body_type = doc.get("mediaType")
    if body_type is not None or "mediaType" in doc:
        _media_type(body_type, "$.mediaType")
    version = doc.get("schemaVersion", _MISSING)
    if (
        declared in _DOCKER_SCHEMA1
        or body_type in _DOCKER_SCHEMA1
        or (version.__class__ is int and version == 1)
    ):
        raise ManifestError(
            "$", "a Docker image manifest schema 1, which registries no longer serve; not read"
        )
    if declared is not None and body_type is not None and declared != body_type.lower():
        raise ManifestError(
            "$.mediaType",
            f"{_shown(body_type)} disagrees with the media type given ({_shown(declared)})",
        )
    if "manifests" in doc and ("config" in doc or "layers" in doc):
        raise ManifestError(
            "$",
            "both manifests and config/layers: an index and a manifest at once is ambiguous"
            " (CVE-2021-41190)",
        )
    if version.__class__ is not int or version != 2:
        raise _wrong("$.schemaVersion", "2", version)
    kind = declared or (body_type.lower() if body_type is not None else None)
    if kind is None:
        kind = MEDIA_TYPE_OCI_INDEX if "manifests" in doc else MEDIA_TYPE_OCI_MANIFEST
    if kind in _INDEX_TYPES:
        return _index(doc, body_type or kind)
    if kind in _MANIFEST_TYPES:
        return _manifest(doc, body_type or kind)
    raise ManifestError(
        "$.mediaType" if body_type is not None else "$",
        f"{_shown(kind)} is not an image index or manifest media type this reads (OCI index"
        " and manifest, Docker manifest list and schema 2 manifest)",
    )


def _common(doc: dict[str, Any], value: _Document) -> None:
    """The members an index and a manifest share: annotations, artifactType, subject."""
    get = doc.get
    member = get("annotations", _MISSING)
    setattr_ = object.__setattr__
    setattr_(
        value,
        "annotations",
        _EMPTY_MAP if member is _MISSING else _string_map(member, "$", "annotations"),
    )
    member = get("artifactType", _MISSING)
    setattr_(
        value,
        "artifact_type",
        None if member is _MISSING else _media_type(member, "$.artifactType"),
    )
    member = get("subject", _MISSING)
    setattr_(value, "subject", None if member is _MISSING else _descriptor(member, "$.subject", 2))


# The paths of the first entries and layers, made once (most documents have fewer).
_ENTRY_PATHS = tuple(f"$.manifests[{i}]" for i in range(64))
_LAYER_PATHS = tuple(f"$.layers[{i}]" for i in range(64))


def _entry_path(paths: tuple[str, ...], position: int) -> str:
    if position < 64:
        return paths[position]
    return f"{paths[0].partition('[')[0]}[{position}]"


def _index(doc: dict[str, Any], media_type: str) -> ImageIndex:
    entries = doc.get("manifests", _MISSING)
    if entries.__class__ is not list:
        raise _wrong("$.manifests", "an array of descriptors", entries)
    index = object.__new__(ImageIndex)
    _set(
        index,
        media_type=media_type,
        manifests=tuple(
            [_descriptor(entry, _entry_path(_ENTRY_PATHS, i), 3) for i, entry in enumerate(entries)]
        ),
    )
    _common(doc, index)
    return index


def _manifest(doc: dict[str, Any], media_type: str) -> ImageManifest:
    layers = doc.get("layers", _MISSING)
    config = _descriptor(doc.get("config", _MISSING), "$.config", 2)
    if layers.__class__ is not list:
        raise _wrong("$.layers", "an array of descriptors", layers)
    if not layers:
        raise ManifestError("$.layers", "must have at least one layer (the schema's rule)")
    manifest = object.__new__(ImageManifest)
    _set(
        manifest,
        media_type=media_type,
        config=config,
        layers=tuple(
            [_descriptor(layer, _entry_path(_LAYER_PATHS, i), 3) for i, layer in enumerate(layers)]
        ),
    )
    _common(doc, manifest)
    return manifest


def parse_descriptor(body: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Descriptor:
    """Read one content descriptor (``application/vnd.oci.descriptor.v1+json``).

    >>> d = parse_descriptor('{"mediaType": "text/plain", "size": 3, "data": "aGkK",'
    ...     ' "digest": "sha256:4a1b4b0b6d47d4e1a4b1e6a5b2e2b3ba3c5a1e34c0c2b86b8a1a2b0c2e8d0f0a"}')
    Traceback (most recent call last):
        ...
    imageref.errors.ManifestError: $.data: decodes to bytes whose digest is not the descriptor's
    """
    return _descriptor(_load(body, max_bytes, None, depth_by_reader=True), "$")


_CONFIG_STRINGS = ("User", "WorkingDir", "StopSignal")
# The types of a history step's members (the spec's schema).
_HISTORY_FIELDS: dict[str, type] = {
    "created": str,
    "author": str,
    "created_by": str,
    "comment": str,
    "empty_layer": bool,
}
_CONFIG_ARRAYS = ("Entrypoint", "Cmd")


def _config_section(value: Any) -> Mapping[str, str]:
    """``config`` of an image config: its field types; its labels."""
    path = "$.config"
    obj = _object(value, path, "an object or null")
    get = obj.get
    for key in _CONFIG_STRINGS:
        if key in obj:
            _string(obj, key, path)
    env = get("Env")
    if env is not None:
        for i, entry in enumerate(_strings(env, f"{path}.Env")):
            if ENV_ENTRY.fullmatch(entry) is None:
                raise ManifestError(
                    f"{path}.Env[{i}]", f"{_shown(entry)} is not NAME=value (one line)"
                )
    for key in _CONFIG_ARRAYS:
        value = get(key)
        if value is not None:
            _strings(value, f"{path}.{key}")
    if "ExposedPorts" in obj:
        _object_map(obj["ExposedPorts"], f"{path}.ExposedPorts")
    volumes = get("Volumes")
    if volumes is not None:
        _object_map(volumes, f"{path}.Volumes")
    if "ArgsEscaped" in obj and get("ArgsEscaped").__class__ is not bool:
        raise _wrong(f"{path}.ArgsEscaped", "a boolean", get("ArgsEscaped"))
    labels = get("Labels")
    return _EMPTY_MAP if labels is None else _string_map(labels, f"{path}.Labels")


def _date_time(obj: dict[str, Any], key: str, path: str) -> str | None:
    value = _string(obj, key, path)
    if value is not None and RFC3339_DATE_TIME.fullmatch(value) is None:
        raise ManifestError(_member(path, key), f"{_shown(value)} is not an RFC 3339 date-time")
    return value


def parse_config(
    body: bytes | str,
    *,
    digest: str | Descriptor | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImageConfig:
    """Read an image config (OCI, or Docker's ``container.image.v1``).

    ``labels`` is empty when ``config`` or ``config.Labels`` is null or absent, and
    goes to :func:`imageref.validate_image_labels` as it is.

    >>> c = parse_config(_EXAMPLE_CONFIG)
    >>> str(c.platform), dict(c.labels)
    ('linux/amd64', {'ai.backend.kernelspec': '1'})
    """
    doc = _object(_load(body, max_bytes, digest), "$", "a JSON object")
    _string(doc, "author", "$")
    created = _date_time(doc, "created", "$")
    platform = _platform(
        {
            key: doc[key]
            for key in ("architecture", "os", "variant", "os.version", "os.features")
            if key in doc
        },
        "$",
    )
    section = doc.get("config")
    labels = _EMPTY_MAP if section is None else _config_section(section)
    rootfs = _object(doc.get("rootfs", _MISSING), "$.rootfs")
    if rootfs.get("type", _MISSING) != "layers":
        raise _wrong("$.rootfs.type", '"layers"', rootfs.get("type", _MISSING))
    diff_ids = _strings(rootfs.get("diff_ids", _MISSING), "$.rootfs.diff_ids")
    for i, diff_id in enumerate(diff_ids):
        if descriptor_digest_error(diff_id) is not None:
            _digest(diff_id, f"$.rootfs.diff_ids[{i}]")
    history = doc.get("history", _MISSING)
    if history is not _MISSING:
        if history.__class__ is not list:
            raise _wrong("$.history", "an array", history)
        for i, entry in enumerate(history):
            if entry.__class__ is not dict:
                raise _wrong(f"$.history[{i}]", "an object", entry)
            for key, value in entry.items():
                expected = _HISTORY_FIELDS.get(key)
                if expected is not None and value.__class__ is not expected:
                    raise _wrong(
                        _member(f"$.history[{i}]", key),
                        "a boolean" if expected is bool else "a string",
                        value,
                    )
    config = object.__new__(ImageConfig)
    _set(config, platform=platform, labels=labels, created=created, diff_ids=diff_ids)
    return config


_PARSERS: dict[type, Any] = {
    Descriptor: parse_descriptor,
    ImageIndex: parse_manifest,
    ImageManifest: parse_manifest,
    ImageConfig: parse_config,
}

# Small documents for the examples above.
_EXAMPLE_INDEX = """{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1000,
     "digest": "sha256:%(a)s", "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1000,
     "digest": "sha256:%(b)s", "platform": {"architecture": "arm64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 566,
     "digest": "sha256:%(c)s", "platform": {"architecture": "unknown", "os": "unknown"},
     "annotations": {"vnd.docker.reference.digest": "sha256:%(a)s",
                     "vnd.docker.reference.type": "attestation-manifest"}}
  ]
}""" % {"a": "a" * 64, "b": "b" * 64, "c": "c" * 64}  # noqa: UP031 - JSON braces
_EXAMPLE_MANIFEST = """{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1469,
             "digest": "sha256:%(a)s"},
  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 31186,
              "digest": "sha256:%(b)s"}]
}""" % {"a": "a" * 64, "b": "b" * 64}  # noqa: UP031
_EXAMPLE_CONFIG = """{
  "architecture": "amd64", "os": "linux", "created": "2024-05-01T10:00:00Z",
  "config": {"Env": ["PATH=/usr/bin"], "Labels": {"ai.backend.kernelspec": "1"}},
  "rootfs": {"type": "layers", "diff_ids": ["sha256:%(a)s"]}
}""" % {"a": "a" * 64}  # noqa: UP031
