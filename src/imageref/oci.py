"""OCI / Docker distribution references: Docker's own grammar, normalisation and digests.

Backend.AI's :class:`~imageref.ImageRef` follows Backend.AI's lenient rules. Code that
talks to a registry needs the rules ``docker pull`` and every OCI registry use, those
of Go's ``github.com/distribution/reference`` (v0.6.0) with digests checked as
``github.com/opencontainers/go-digest`` (v1.0.0) does with sha256, sha384 and sha512
available. :meth:`Reference.parse` answers as ``ParseNormalizedNamed`` does, field for
field, and fails where it fails with the same error text (a part of the input longer
than 1024 characters, which no registry takes, is shown by its head, tail and length):

>>> ref = Reference.parse("python:3.6")
>>> ref.domain, ref.path, ref.tag, ref.digest
('docker.io', 'library/python', '3.6', None)
>>> str(ref), ref.familiar
('docker.io/library/python:3.6', 'python:3.6')
>>> Reference.parse("Python:3.6")
Traceback (most recent call last):
    ...
imageref.errors.InvalidReference: invalid reference format: repository name (library/Python) ...

:func:`registry_target` turns an ``ImageRef`` (or a :class:`Reference`) into what a
registry's HTTP API needs:

>>> from imageref import ImageRef
>>> registry_target(ImageRef("python:3.6-ubuntu")).manifest_url
'https://registry-1.docker.io/v2/lablup/python/manifests/3.6-ubuntu'

Parsing is a handful of string splits and anchored matches of the patterns in
:mod:`imageref._grammar`; it takes time linear in the input's length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._digest import DIGEST_ALGORITHMS as _DIGEST_ALGORITHMS
from ._digest import digest_error
from ._grammar import (
    OCI_DIGEST,
    OCI_DOMAIN,
    OCI_IDENTIFIER,
    OCI_PATH,
    OCI_PATH_COMPONENT,
    OCI_TAG,
)
from .errors import ImageRefTypeError, InvalidReference, _as_go, _type_error

if TYPE_CHECKING:
    from typing_extensions import Self

    from .image import ImageRef

__all__ = [
    "DIGEST_ALGORITHMS",
    "DOCKER_HUB_API_HOST",
    "DOCKER_HUB_DOMAIN",
    "REPOSITORY_PATH_MAX",
    "Reference",
    "RegistryTarget",
    "parse_digest",
    "registry_target",
]

#: The domain of Docker Hub in a normalised reference.
DOCKER_HUB_DOMAIN = "docker.io"

#: The host that serves Docker Hub's registry API.
DOCKER_HUB_API_HOST = "registry-1.docker.io"

#: The longest repository path (the part after the domain) a reference may have.
REPOSITORY_PATH_MAX = 255

#: The digest algorithms accepted, each with the length of its hex encoding. Read-only.
DIGEST_ALGORITHMS: Mapping[str, int] = MappingProxyType(_DIGEST_ALGORITHMS)

# The legacy name of Docker Hub ("the Docker Index"); normalised to docker.io.
_LEGACY_DOCKER_HUB_DOMAIN = "index.docker.io"
# Names Docker Hub is known by, in an ImageRef's registry field.
_DOCKER_HUB_NAMES = frozenset({DOCKER_HUB_DOMAIN, _LEGACY_DOCKER_HUB_DOMAIN, DOCKER_HUB_API_HOST})
# The namespace of Docker Hub's official images.
_OFFICIAL_PREFIX = "library/"
# The only first path component that is a domain without containing '.' or ':'.
_LOCALHOST = "localhost"

# Error texts, word for word those of distribution/reference (reference.go,
# normalize.go) and go-digest (digest.go).
_ERR_INVALID_FORMAT = "invalid reference format"
_ERR_UPPERCASE = "repository name must be lowercase"
_ERR_NAME_EMPTY = "repository name must have at least one component"
_ERR_NAME_TOO_LONG = f"repository name must not be more than {REPOSITORY_PATH_MAX} characters"
_ERR_TAG_FORMAT = "invalid tag format"
_ERR_DIGEST_FORMAT = "invalid digest format"
_ERR_PATH_CASE = "must be lowercase"  # after normalize.go's "repository name (P)"


def _repository_error(path: str, problem: str) -> InvalidReference:
    """``invalid reference format: repository name (<path>) <problem>``.

    normalize.go's wording for an uppercase path, which :func:`registry_target`
    also uses for a path no registry serves. The path is shown as Go shows it,
    whole up to 1024 characters, and past that by its head, tail and length
    (:func:`imageref.errors._as_go`).
    """
    return InvalidReference(f"{_ERR_INVALID_FORMAT}: repository name ({_as_go(path)}) {problem}")


def _go_lower(text: str) -> str:
    """*text* lowercased as Go's ``strings.ToLower`` does.

    Go maps each character through its simple lowercase mapping; Python's
    ``str.lower`` uses the full one, which differs for one character that matters
    here: U+0130 (capital I with dot) becomes plain ``i`` in Go but ``i`` plus a
    combining dot in Python.
    """
    if text.isascii():
        return text.lower()
    return text.replace("\u0130", "i").lower()


# ---------------------------------------------------------------------------
# Digests
# ---------------------------------------------------------------------------


def parse_digest(text: str) -> tuple[str, str]:
    """Split a content digest into ``(algorithm, hex)``, checking it as go-digest does.

    The algorithm must be ``sha256``, ``sha384`` or ``sha512`` and the hex part
    exactly 64, 96 or 128 lowercase hex digits. The checks run in go-digest's
    order, and a failure raises :class:`~imageref.InvalidReference` with its words:
    ``invalid checksum digest format``, ``unsupported digest algorithm`` (a
    well-formed digest of another algorithm) or ``invalid checksum digest length``.

    >>> parse_digest("sha256:" + "ab" * 32)[0]
    'sha256'
    >>> parse_digest("md5:" + "ab" * 16)
    Traceback (most recent call last):
        ...
    imageref.errors.InvalidReference: unsupported digest algorithm
    >>> parse_digest("sha256:abc")
    Traceback (most recent call last):
        ...
    imageref.errors.InvalidReference: invalid checksum digest length
    """
    if not isinstance(text, str):
        raise _type_error("a digest", "a str", text)
    error = digest_error(text)
    if error is not None:
        raise InvalidReference(error)
    algorithm, _, encoded = text.partition(":")
    return algorithm, encoded


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_Fields = tuple[str, str, str | None, str | None]


def _match(text: str) -> _Fields | None:
    """Split *text* by the reference grammar into (domain, path, tag, digest).

    Returns None when *text* is not ``[domain/]path[:tag][@digest]``. The split is
    the one Go's anchored ``referenceRegexp`` and ``anchoredNameRegexp`` capture:
    a name holds no '@', and past its last '/' no ':', so the '@' and the first ':'
    after the last '/' are the only places the parts can meet; the first path
    component is the domain when it is one and the rest is a path.
    """
    left, at, digest = text.partition("@")
    if at and ("@" in digest or OCI_DIGEST.fullmatch(digest) is None):
        return None
    colon = left.find(":", left.rfind("/") + 1)
    if colon >= 0:
        name, tag = left[:colon], left[colon + 1 :]
        if OCI_TAG.fullmatch(tag) is None:
            return None
    else:
        name, tag = left, ""
    first, slash, rest = name.partition("/")
    if slash:
        if OCI_PATH.fullmatch(rest) is None:
            return None
        if OCI_DOMAIN.fullmatch(first) is not None:
            return first, rest, tag or None, digest or None
        if OCI_PATH_COMPONENT.fullmatch(first) is None:
            return None
    elif OCI_PATH_COMPONENT.fullmatch(name) is None:
        return None
    return "", name, tag or None, digest or None


def _parse(text: str) -> _Fields:
    """``reference.Parse``: the grammar, then the path length, then the digest."""
    if not text:
        raise InvalidReference(_ERR_NAME_EMPTY)
    fields = _match(text)
    if fields is None:
        lower = _go_lower(text)
        if lower != text and _match(lower) is not None:
            raise InvalidReference(_ERR_UPPERCASE)
        raise InvalidReference(_ERR_INVALID_FORMAT)
    if len(fields[1]) > REPOSITORY_PATH_MAX:
        raise InvalidReference(_ERR_NAME_TOO_LONG)
    digest = fields[3]
    if digest is not None:
        error = digest_error(digest)
        if error is not None:
            raise InvalidReference(error)
    return fields


def _split_docker_domain(text: str) -> tuple[str, str]:
    """``splitDockerDomain``: (domain, remainder), defaulting to Docker Hub."""
    first, slash, rest = text.partition("/")
    if not slash:
        return DOCKER_HUB_DOMAIN, _OFFICIAL_PREFIX + text
    if first == _LEGACY_DOCKER_HUB_DOMAIN:
        domain, remainder = DOCKER_HUB_DOMAIN, rest
    elif first == _LOCALHOST or "." in first or ":" in first or _go_lower(first) != first:
        domain, remainder = first, rest
    else:
        domain, remainder = DOCKER_HUB_DOMAIN, text
    if domain == DOCKER_HUB_DOMAIN and "/" not in remainder:
        remainder = _OFFICIAL_PREFIX + remainder
    return domain, remainder


def _parse_normalized(text: str) -> _Fields:
    """``ParseNormalizedNamed``: refuse image IDs, add Docker Hub defaults, parse."""
    if OCI_IDENTIFIER.fullmatch(text) is not None:
        raise InvalidReference(  # 64 characters: the rule shows them whole
            f"invalid repository name ({_as_go(text)}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = _split_docker_domain(text)
    remote = remainder.partition(":")[0]
    if _go_lower(remote) != remote:
        raise _repository_error(remote, _ERR_PATH_CASE)
    return _parse(f"{domain}/{remainder}")


# ---------------------------------------------------------------------------
# Reference
# ---------------------------------------------------------------------------


class Reference:
    """An image reference under Docker's rules, parsed and normalised; immutable.

    Build one with :meth:`parse`. ``str()`` is the full form, ``familiar`` the short
    one ``docker`` prints; ``tag`` and ``digest`` are ``None`` when absent (no
    ``latest`` is assumed).

    >>> ref = Reference.parse("localhost:5000/foo/bar:1.0")
    >>> ref.domain, ref.path, ref.name, ref.tag
    ('localhost:5000', 'foo/bar', 'localhost:5000/foo/bar', '1.0')
    >>> Reference.parse("index.docker.io/lablup/python").familiar
    'lablup/python'
    """

    __slots__ = ("_digest", "_domain", "_path", "_tag")

    _domain: str
    _path: str
    _tag: str | None
    _digest: str | None

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise _type_error("a reference", "a str", text)
        self._domain, self._path, self._tag, self._digest = _parse_normalized(text)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Parse *text* as Go's ``ParseNormalizedNamed`` does.

        Raises :class:`~imageref.InvalidReference` with the Go error's text:

        - ``invalid reference format``: the text breaks the grammar;
        - ``invalid reference format: repository name (P) must be lowercase``: the
          repository path P (up to the first ``:``) has an uppercase letter; P is
          shown as it is up to 1024 characters, and past that as the ``repr`` of its
          first and last 512 characters and its length;
        - ``repository name must be lowercase``: only lowercasing would make the
          text valid (an uppercase letter in a place the check above does not see);
        - ``repository name must not be more than 255 characters``;
        - ``invalid repository name (...), cannot specify 64-byte hexadecimal
          strings``: the whole text is an image ID;
        - ``invalid checksum digest format``, ``invalid checksum digest length``,
          ``unsupported digest algorithm``: the digest, as go-digest checks it.
        """
        return cls(text)

    @classmethod
    def _from_fields(cls, domain: str, path: str, tag: str | None, digest: str | None) -> Self:
        new = cls.__new__(cls)
        new._domain, new._path, new._tag, new._digest = domain, path, tag, digest
        return new

    # -- fields -------------------------------------------------------------------

    @property
    def domain(self) -> str:
        """The registry domain with its port: ``docker.io``, ``localhost:5000``.

        Empty in one corner case of Go's rules: a first component that contains
        ``.`` but is no valid domain (``a_b.c/app``) is kept as part of the path.
        """
        return self._domain

    @property
    def path(self) -> str:
        """The repository path inside the registry: ``library/python``."""
        return self._path

    @property
    def name(self) -> str:
        """``domain/path`` (just the path when the domain is empty)."""
        return f"{self._domain}/{self._path}" if self._domain else self._path

    @property
    def tag(self) -> str | None:
        """The tag, or ``None``."""
        return self._tag

    @property
    def digest(self) -> str | None:
        """The digest ``algorithm:hex``, or ``None``."""
        return self._digest

    @property
    def familiar(self) -> str:
        """The short form (Go's ``FamiliarString``): no ``docker.io/``, no ``library/``.

        >>> Reference.parse("docker.io/library/python:3.6").familiar
        'python:3.6'
        """
        domain, path = self._domain, self._path
        if domain == DOCKER_HUB_DOMAIN:
            domain = ""
            if path.startswith(_OFFICIAL_PREFIX) and "/" not in path[len(_OFFICIAL_PREFIX) :]:
                path = path[len(_OFFICIAL_PREFIX) :]
        return self._format(f"{domain}/{path}" if domain else path)

    def _format(self, name: str) -> str:
        tag = f":{self._tag}" if self._tag is not None else ""
        digest = f"@{self._digest}" if self._digest is not None else ""
        return f"{name}{tag}{digest}"

    # -- derived references ---------------------------------------------------------

    def with_tag(self, tag: str) -> Reference:
        """This reference with *tag* (Go's ``WithTag``); the digest is kept.

        Raises :class:`~imageref.InvalidReference` ``invalid tag format``.

        >>> str(Reference.parse("python").with_tag("3.12"))
        'docker.io/library/python:3.12'
        """
        if not isinstance(tag, str):
            raise _type_error("a tag", "a str", tag)
        if OCI_TAG.fullmatch(tag) is None:
            raise InvalidReference(_ERR_TAG_FORMAT)
        return Reference._from_fields(self._domain, self._path, tag, self._digest)

    def with_digest(self, digest: str) -> Reference:
        """This reference with *digest* (Go's ``WithDigest``); the tag is kept.

        Raises :class:`~imageref.InvalidReference` ``invalid digest format`` when
        *digest* is not ``algorithm:hex``, as Go does; unlike Go, the digest must
        then also pass go-digest's checks (see :func:`parse_digest`), so that
        every :class:`Reference` prints as text that parses back to it.
        """
        if not isinstance(digest, str):
            raise _type_error("a digest", "a str", digest)
        if OCI_DIGEST.fullmatch(digest) is None:
            raise InvalidReference(_ERR_DIGEST_FORMAT)
        parse_digest(digest)
        return Reference._from_fields(self._domain, self._path, self._tag, digest)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain, JSON-ready dict.

        >>> Reference.parse("lablup/python").to_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'domain': 'docker.io', 'path': 'lablup/python', 'name': 'docker.io/lablup/python',
         'tag': None, 'digest': None, 'familiar': 'lablup/python',
         'string': 'docker.io/lablup/python'}
        """
        return {
            "domain": self._domain,
            "path": self._path,
            "name": self.name,
            "tag": self._tag,
            "digest": self._digest,
            "familiar": self.familiar,
            "string": str(self),
        }

    # -- comparison and representation ------------------------------------------------

    def _key(self) -> tuple[str, str, str | None, str | None]:
        return (self._domain, self._path, self._tag, self._digest)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reference):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self._format(self.name)

    def __repr__(self) -> str:
        return f"Reference({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Reference, (str(self),))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self


# ---------------------------------------------------------------------------
# Registry API bridge
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistryTarget:
    """Where a registry's HTTP API (the OCI distribution spec) finds an image.

    *host* is the API host (with port), *repository* the repository path and
    *reference* the digest, or else the tag.

    >>> target = RegistryTarget("registry-1.docker.io", "library/python", "3.12")
    >>> target.manifest_url
    'https://registry-1.docker.io/v2/library/python/manifests/3.12'
    >>> target.tags_url
    'https://registry-1.docker.io/v2/library/python/tags/list'
    """

    host: str
    repository: str
    reference: str

    @property
    def base_url(self) -> str:
        """``https://host/v2/repository`` (an IPv6 zone's ``%`` is escaped as ``%25``)."""
        return f"https://{self.host.replace('%', '%25')}/v2/{self.repository}"

    @property
    def manifest_url(self) -> str:
        """The URL to GET (or HEAD) the manifest: ``.../v2/<repository>/manifests/<reference>``."""
        return f"{self.base_url}/manifests/{self.reference}"

    @property
    def tags_url(self) -> str:
        """The URL that lists the repository's tags: ``.../v2/<repository>/tags/list``."""
        return f"{self.base_url}/tags/list"


def _api_host(domain: str) -> str:
    return DOCKER_HUB_API_HOST if domain in _DOCKER_HUB_NAMES else domain


def registry_target(ref: ImageRef | Reference) -> RegistryTarget:
    """The registry API coordinates of *ref*: host, repository path, and reference.

    Docker Hub (``index.docker.io``, ``docker.io``) is served by
    ``registry-1.docker.io``. The reference is the digest when *ref* has one, else
    its tag (``latest`` for a :class:`Reference` without either). The repository
    path and tag are checked against the OCI rules, since a registry refuses
    anything else: Backend.AI accepts names (``Lablup/Python``) and tags (longer
    than 128 characters) that no registry serves, and those raise
    :class:`~imageref.InvalidReference`.

    >>> from imageref import ImageRef
    >>> target = registry_target(ImageRef("cr.backend.ai/stable/python:3.9", ["cr.backend.ai"]))
    >>> target
    RegistryTarget(host='cr.backend.ai', repository='stable/python', reference='3.9')
    >>> target.manifest_url
    'https://cr.backend.ai/v2/stable/python/manifests/3.9'
    >>> registry_target(Reference.parse("python@sha256:" + "0" * 64)).reference[:10]
    'sha256:000'
    """
    if isinstance(ref, Reference):
        if not ref.domain:  # Go kept a malformed first component in the path
            raise InvalidReference(  # at most 520 characters: the rule shows them whole
                f"{_ERR_INVALID_FORMAT}: no registry domain in {_as_go(str(ref))}"
            )
        return RegistryTarget(_api_host(ref.domain), ref.path, ref.digest or ref.tag or "latest")
    registry = getattr(ref, "registry", None)
    name = getattr(ref, "name", None)
    tag = getattr(ref, "tag", None)
    if not (isinstance(registry, str) and isinstance(name, str) and isinstance(tag, str)):
        raise ImageRefTypeError(
            f"registry_target() takes an ImageRef or a Reference, not {type(ref).__name__}"
        )
    if OCI_PATH.fullmatch(name) is None:
        if OCI_PATH.fullmatch(_go_lower(name)) is not None:
            raise _repository_error(name, _ERR_PATH_CASE)
        raise _repository_error(name, "is not an OCI repository path")
    if len(name) > REPOSITORY_PATH_MAX:
        raise InvalidReference(_ERR_NAME_TOO_LONG)
    digest = getattr(ref, "digest", None)
    if digest is not None:
        parse_digest(digest)
        return RegistryTarget(_api_host(registry), name, digest)
    if OCI_TAG.fullmatch(tag) is None:
        raise InvalidReference(_ERR_TAG_FORMAT)
    return RegistryTarget(_api_host(registry), name, tag)
