"""Content digests (``sha256:<hex>``), checked as go-digest v1.0.0 checks them.

Shared by :mod:`imageref.oci` (``Reference``) and :mod:`imageref.image` (digests on
``ImageRef``), so that both accept exactly the same digests and fail with the
same words. Kept apart from :mod:`imageref.oci` so that an ``ImageRef`` with a
digest does not load the whole OCI module.
"""

from __future__ import annotations

from ._grammar import GO_DIGEST, is_lower_hex

__all__ = [
    "DIGEST_ALGORITHMS",
    "ERR_CHECKSUM_FORMAT",
    "ERR_CHECKSUM_LENGTH",
    "ERR_CHECKSUM_UNSUPPORTED",
    "descriptor_digest_error",
    "digest_error",
]

# The digest algorithms accepted, each with the length of its hex encoding.
DIGEST_ALGORITHMS = {"sha256": 64, "sha384": 96, "sha512": 128}

# Error texts, word for word those of go-digest (digest.go).
ERR_CHECKSUM_FORMAT = "invalid checksum digest format"
ERR_CHECKSUM_LENGTH = "invalid checksum digest length"
ERR_CHECKSUM_UNSUPPORTED = "unsupported digest algorithm"


def digest_error(text: str) -> str | None:
    """Why *text* is not a valid digest (go-digest's ``Digest.Validate``), or None.

    The checks run in go-digest's order: an ``algorithm:encoded`` shape, a known
    algorithm (a well-formed digest of another algorithm is *unsupported*, anything
    else is a *format* error), the encoded length, then lowercase hex.
    """
    algorithm, colon, encoded = text.partition(":")
    if not colon or not algorithm or not encoded:
        return ERR_CHECKSUM_FORMAT
    size = DIGEST_ALGORITHMS.get(algorithm)
    if size is None:
        return ERR_CHECKSUM_UNSUPPORTED if GO_DIGEST.fullmatch(text) else ERR_CHECKSUM_FORMAT
    if len(encoded) != size:
        return ERR_CHECKSUM_LENGTH
    if not is_lower_hex(encoded):  # LOWER_HEX, by str methods (encoded is not empty here)
        return ERR_CHECKSUM_FORMAT
    return None


def descriptor_digest_error(text: str) -> str | None:
    """Why *text* is not a descriptor's digest (the OCI image-spec), or None.

    The spec's grammar for every algorithm, and :func:`digest_error`'s checks for
    the algorithms it knows (sha256, sha384, sha512: their length and lowercase
    hex); a well-formed digest of another algorithm is accepted, as the spec's own
    validator accepts it.
    """
    error = digest_error(text)
    return None if error == ERR_CHECKSUM_UNSUPPORTED else error
