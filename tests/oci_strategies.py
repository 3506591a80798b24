"""Hypothesis strategies for OCI / Docker distribution references (``imageref.oci``).

Built from the rules of Docker's distribution/reference (regexp.go, normalize.go)
and go-digest, not from sample references. Valid strategies return the text
together with the fields a correct parser must find, worked out here from the
pieces (not by calling imageref), so a property can check parsing against them.
``near_misses`` breaks one rule of a valid reference and says which Go error that
must give; ``hostile_text`` is anything at all.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = [
    "DIGEST_SIZES",
    "Case",
    "NearMiss",
    "digests",
    "domain_components",
    "domains",
    "hostile_text",
    "near_misses",
    "path_components",
    "reference_cases",
    "tags",
]

LOWER_ALNUM = string.ascii_lowercase + string.digits
ALNUM = string.ascii_letters + string.digits
LOWER_HEX = "0123456789abcdef"
TAG_FIRST = ALNUM + "_"
TAG_REST = ALNUM + "_.-"
#: Hex length of each supported digest algorithm (go-digest algorithm.go).
DIGEST_SIZES = {"sha256": 64, "sha384": 96, "sha512": 128}
PATH_MAX = 255

_ERR_FORMAT = "invalid reference format"


@dataclass(frozen=True)
class Case:
    """A valid reference text, how it was written, and what it must parse to.

    ``written_domain`` and ``written_path`` are the pieces as they appear in
    ``text``; ``domain`` and ``path`` are the normalised fields
    (``ParseNormalizedNamed``).
    """

    text: str
    written_domain: str | None
    written_path: str
    domain: str
    path: str
    tag: str | None
    digest: str | None


@dataclass(frozen=True)
class NearMiss:
    """An invalid reference text, the exact error text Go gives for it, and the rule broken."""

    text: str
    error: str
    rule: str


def _runs(alphabet: str, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size)


@st.composite
def path_components(draw: st.DrawFn, max_runs: int = 3) -> str:
    """``[a-z0-9]+`` runs joined by ``.``, ``_``, ``__`` or a run of ``-``."""
    runs = draw(st.lists(_runs(LOWER_ALNUM, 6), min_size=1, max_size=max_runs))
    out = runs[0]
    for run in runs[1:]:
        out += draw(st.sampled_from([".", "_", "__", "-", "--", "---"])) + run
    return out


@st.composite
def domain_components(draw: st.DrawFn) -> str:
    """``[A-Za-z0-9]+`` runs joined by runs of ``-`` (a DNS-style label)."""
    runs = draw(st.lists(_runs(ALNUM, 6), min_size=1, max_size=3))
    out = runs[0]
    for run in runs[1:]:
        out += "-" * draw(st.integers(1, 3)) + run
    return out


@st.composite
def domains(draw: st.DrawFn) -> str:
    """A first component Docker takes as a domain: it has '.', ':' or uppercase, or is localhost.

    Also Docker Hub's two names, and bracketed IPv6 hosts (hex digits and ':'
    only, as distribution/reference allows). Ports are any run of digits.
    """
    kind = draw(st.sampled_from(["dotted", "port", "localhost", "upper", "ipv6", "hub"]))
    if kind == "hub":
        return draw(st.sampled_from(["docker.io", "index.docker.io"]))
    if kind == "localhost":
        host = "localhost"
    elif kind == "ipv6":
        # At least one ':' inside: "[0]" alone has neither '.' nor ':' and would
        # not be taken for a domain.
        groups = st.text(LOWER_HEX + "ABCDEF:", max_size=8)
        host = "[" + draw(groups) + ":" + draw(groups) + "]"
    elif kind == "upper":
        host = draw(domain_components())
        index = draw(st.integers(0, len(host) - 1))
        host = host[:index] + draw(st.sampled_from(string.ascii_uppercase)) + host[index + 1 :]
    else:
        min_labels = 2 if kind == "dotted" else 1
        host = ".".join(draw(st.lists(domain_components(), min_size=min_labels, max_size=4)))
    if kind == "port" or draw(st.booleans()):
        host += ":" + draw(st.text(string.digits, min_size=1, max_size=6))
    return host


def tags() -> st.SearchStrategy[str]:
    """``[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}``, sometimes exactly at the 128-character limit."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(TAG_FIRST),
        st.one_of(
            st.text(TAG_REST, max_size=12),
            st.text(TAG_REST, min_size=127, max_size=127),
        ),
    )


@st.composite
def digests(draw: st.DrawFn) -> str:
    """A supported digest: ``sha256``, ``sha384`` or ``sha512`` with lowercase hex."""
    algorithm = draw(st.sampled_from(sorted(DIGEST_SIZES)))
    size = DIGEST_SIZES[algorithm]
    return f"{algorithm}:" + draw(st.text(LOWER_HEX, min_size=size, max_size=size))


def _normalise(domain: str | None, path: str) -> tuple[str, str]:
    """The (domain, path) Docker's normalisation gives a written domain and path."""
    norm_domain = "docker.io" if domain in (None, "index.docker.io") else domain
    assert norm_domain is not None
    if norm_domain == "docker.io" and "/" not in path:
        return norm_domain, "library/" + path
    return norm_domain, path


@st.composite
def reference_cases(draw: st.DrawFn) -> Case:
    """A valid reference, familiar or full, with the fields it must parse to.

    Paths stay within 255 characters once normalised (sometimes exactly at it),
    and a name written without a domain never starts with a component that
    Docker would take for one (see ``domains``).
    """
    domain = draw(st.none() | domains())
    components = draw(st.lists(path_components(), min_size=1, max_size=4))
    if domain is None and len(components) > 1:
        components[0] = components[0].replace(".", "_")
        if components[0] == "localhost":
            components[0] = "local_host"
    path = "/".join(components)
    norm_domain, norm_path = _normalise(domain, path)
    if draw(st.booleans()):
        # Pad the last component towards the 255-character limit ('z' is no hex
        # digit, so the name can never read as a 64-hex image ID).
        room = PATH_MAX - len(norm_path)
        pad = "z" * draw(st.sampled_from([room, max(room - 1, 0), draw(st.integers(0, room))]))
        path += pad
        norm_path += pad
    tag = draw(st.none() | tags())
    digest = draw(st.none() | digests())
    text = (f"{domain}/" if domain is not None else "") + path
    text += (f":{tag}" if tag is not None else "") + (f"@{digest}" if digest is not None else "")
    return Case(text, domain, path, norm_domain, norm_path, tag, digest)


_NEAR_MISS_RULES = [
    "trailing whitespace",
    "uppercase in path",
    "tag too long",
    "tag starts with separator",
    "empty component",
    "doubled separator",
    "digest length",
    "digest algorithm",
    "digest uppercase hex",
    "path too long",
    "image id",
]


@st.composite
def near_misses(draw: st.DrawFn) -> NearMiss:
    """A valid reference broken in exactly one way, with the error Go gives for it.

    Only the last path component, the tag or the digest is changed, so the
    domain Docker picks stays the same and the expected error is certain.
    """
    case = draw(reference_cases())
    rule = draw(st.sampled_from(_NEAR_MISS_RULES))
    prefix = f"{case.written_domain}/" if case.written_domain is not None else ""
    name = prefix + case.written_path
    tag = f":{case.tag}" if case.tag is not None else ""
    digest = f"@{case.digest}" if case.digest is not None else ""

    if rule == "trailing whitespace":
        end = draw(st.sampled_from(["\n", " ", "\t", "\r\n"]))
        return NearMiss(name + tag + digest + end, _ERR_FORMAT, rule)
    if rule == "uppercase in path":
        last = case.written_path.rfind("/") + 1
        index = draw(st.integers(last, len(case.written_path) - 1))
        char = case.written_path[index]
        upper = char.upper() if char.isalpha() else "Q" + char
        path = case.written_path[:index] + upper + case.written_path[index + 1 :]
        # Go checks the text up to the first ':' after the domain: with no tag,
        # that runs into the digest's algorithm ("library/Foo@sha256").
        remote = _normalise(case.written_domain, path)[1]
        if case.tag is None and case.digest is not None:
            remote += "@" + case.digest.partition(":")[0]
        error = f"{_ERR_FORMAT}: repository name ({remote}) must be lowercase"
        return NearMiss(prefix + path + tag + digest, error, rule)
    if rule == "tag too long":
        return NearMiss(name + ":" + "t" * 129 + digest, _ERR_FORMAT, rule)
    if rule == "tag starts with separator":
        bad = draw(st.sampled_from([".", "-"])) + (case.tag or "x")[:100]
        return NearMiss(f"{name}:{bad}{digest}", _ERR_FORMAT, rule)
    if rule == "empty component":
        where = draw(st.sampled_from(["lead", "trail", "double"]))
        # A leading '/' leaves Docker no domain, so the whole name is then checked
        # for case: only lead with it when the name is lowercase.
        if where == "lead" and name == name.lower():
            broken = "/" + name
        elif where == "trail" or "/" not in name:
            broken = name + "/"
        else:
            broken = name.replace("/", "//", 1)
        return NearMiss(broken + tag + digest, _ERR_FORMAT, rule)
    if rule == "doubled separator":
        sep = draw(st.sampled_from(["..", "._", "-.", "___", ".-", "_-"]))
        return NearMiss(name + sep + "x" + tag + digest, _ERR_FORMAT, rule)
    if rule == "digest length":
        algorithm = draw(st.sampled_from(sorted(DIGEST_SIZES)))
        size = DIGEST_SIZES[algorithm] + draw(st.sampled_from([-1, 1, -32, 64]))
        text = f"{name}{tag}@{algorithm}:" + "a" * size
        return NearMiss(text, "invalid checksum digest length", rule)
    if rule == "digest algorithm":
        algorithm = draw(st.sampled_from(["md5", "sha1", "sha224", "blake3", "sha256+b64", "x.y"]))
        text = f"{name}{tag}@{algorithm}:" + "b" * draw(st.sampled_from([32, 40, 64]))
        return NearMiss(text, "unsupported digest algorithm", rule)
    if rule == "digest uppercase hex":
        algorithm = draw(st.sampled_from(sorted(DIGEST_SIZES)))
        text = f"{name}{tag}@{algorithm}:A" + "a" * (DIGEST_SIZES[algorithm] - 1)
        return NearMiss(text, "invalid checksum digest format", rule)
    if rule == "path too long":
        pad = "z" * (PATH_MAX + 1 - len(case.path) + draw(st.integers(0, 10)))
        error = "repository name must not be more than 255 characters"
        return NearMiss(name + pad + tag + digest, error, rule)
    image_id = draw(st.text(LOWER_HEX, min_size=64, max_size=64))
    error = f"invalid repository name ({image_id}), cannot specify 64-byte hexadecimal strings"
    return NearMiss(image_id, error, rule)


def hostile_text() -> st.SearchStrategy[str]:
    """Any text, weighted towards the characters that steer the grammar."""
    steering = "aZ09._-/:@[]%\n \x00\u0130\u212a\u00e9"
    return st.one_of(
        st.text(),
        st.text(st.sampled_from(steering), max_size=40),
        st.builds(
            lambda piece, count: piece * count,
            st.sampled_from(["a", "a-", "a.", "a/", "A", "a__", "[:", "0" * 8]),
            st.integers(1, 400),
        ),
    )
