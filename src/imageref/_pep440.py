"""An ordering key for version strings, following PEP 440 without ``packaging``.

Backend.AI orders image tags with ``packaging.version``. imageref has no runtime
dependencies, so this module computes an equivalent sort key: for any two PEP 440
versions ``a`` and ``b``, ``version_key(a) < version_key(b)`` exactly when
``Version(a) < Version(b)``, and the keys are equal exactly when the versions are
(the test suite checks this against ``packaging`` itself).

Text that is not a PEP 440 version (``latest``, ``gcc6.3``, ``1y``) still gets a
key, so ordering never raises (divergence D6): such text sorts before every PEP
440 version, and among itself by its characters (``"gcc6.3" < "latest"``).
"""

from __future__ import annotations

from ._grammar import PEP440
from ._memo import remember, table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["VersionKey", "is_pep440", "order_bytes", "version_key"]

# A key is (0, text) for non-PEP 440 text and (1, epoch, release, pre, post, dev,
# local) for a PEP 440 version; the leading 0/1 puts the former first.
VersionKey = tuple[int | str | tuple[object, ...], ...]

# Pre-release phases in order; every spelling PEP 440 allows maps onto one of them.
_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}

# Where a release without a pre-release sorts among pre-releases: after all of them.
_NO_PRE = (3, 0)
# Where a bare development release ("1.0.dev1") sorts: before every pre-release.
_DEV_ONLY = (-1, 0)
# A release without a .devN sorts after every .devN of itself.
_NO_DEV = (1, 0)

_cache: dict[str, VersionKey] = table()
_CACHE_LIMIT = 4096


def is_pep440(text: str) -> bool:
    """Whether *text* is a version PEP 440 accepts (whitespace not allowed)."""
    return PEP440.fullmatch(text) is not None


def version_key(text: str) -> VersionKey:
    """The sort key of *text*; see the module docstring for the order it gives."""
    key = _cache.get(text)
    if key is None:
        key = remember(_cache, text, _compute_key(text), _CACHE_LIMIT)
    return key


def order_bytes(text: str) -> bytes:
    """:func:`version_key` of *text* as bytes that sort the same way.

    ``order_bytes(a) < order_bytes(b)`` exactly when ``version_key(a) <
    version_key(b)``, and they are equal exactly when the keys are. Comparing two
    ``bytes`` is one ``memcmp``, several times cheaper than comparing the nested
    tuples, which is what sorting many refs spends its time on.
    """
    found = _bytes_cache.get(text)
    if found is None:
        release = _bare_release(text)
        if release is not None:  # the common case, written directly
            found = b"".join([_BARE_RELEASE_HEAD, *release, _BARE_RELEASE_TAIL])
        else:
            found = _encode(version_key(text))
        remember(_bytes_cache, text, found, _CACHE_LIMIT)
    return found


_bytes_cache: dict[str, bytes] = table()


def _uint_bytes(number: int) -> bytes:
    """A non-negative int as its length in bytes (two bytes) then the bytes, big-endian.

    More bytes means a larger number (there is no leading zero byte), so these sort
    as the numbers do; and each one says where it ends.
    """
    size = (number.bit_length() + 7) // 8
    return size.to_bytes(2, "big") + number.to_bytes(size, "big")


# The numbers versions are made of are mostly small: those are looked up.
_SMALL_UINTS = tuple(_uint_bytes(number) for number in range(256))


def _uint(number: int) -> bytes:
    return _SMALL_UINTS[number] if number < 256 else _uint_bytes(number)


# One release number as _encode writes it (b"\x01", then the number); small ones looked up.
_SMALL_PIECES = tuple(b"\x01" + small for small in _SMALL_UINTS)


def _release_piece(number: int) -> bytes:
    return _SMALL_PIECES[number] if number < 256 else b"\x01" + _uint_bytes(number)


# The release pieces of the numbers below 256 by their usual spellings ("7", "07"),
# so that a bare release made of them is read without int().
_PIECES_BY_TEXT = dict(zip(map(str, range(256)), _SMALL_PIECES, strict=True))
_PIECES_BY_TEXT.update((f"0{number}", _SMALL_PIECES[number]) for number in range(10))
_piece_of_text = _PIECES_BY_TEXT.get
_ZERO_PIECE = _SMALL_PIECES[0]


# What _encode writes before the release of a version with epoch 0 (most versions).
_BARE_RELEASE_HEAD = b"\x01" + _uint(0)

# What _encode writes after the release of a version with no pre, post, dev or local
# label (most versions): the general branch's bytes for those fields, once.
_BARE_RELEASE_TAIL = b"".join(
    (
        b"\x00",  # end of release
        bytes([_NO_PRE[0] + 1]),
        _uint(_NO_PRE[1]),
        _uint(-1 + 1),  # no post-release
        bytes([_NO_DEV[0]]),
        _uint(_NO_DEV[1]),
        b"\x00",  # no local label
    )
)


def _encode(key: VersionKey) -> bytes:
    # Each field is written so that no encoding is a prefix of another of the same
    # field: then the bytes compare field by field, as the tuple does. Variable-length
    # fields (release, local) put b"\x01" before each element and b"\x00" after the
    # last, so a shorter one that is a prefix of a longer one sorts first.
    fields: Any = key  # the shapes are documented above VersionKey
    if fields[0] == 0:
        text: str = fields[1]
        return b"\x00" + text.encode("utf-8", "surrogatepass")  # keeps code point order
    _, epoch, release, pre, post, dev, local = fields
    parts = [b"\x01", _uint(epoch)]
    parts += map(_release_piece, release)
    if pre is _NO_PRE and post == -1 and dev is _NO_DEV and not local:  # a bare release
        parts.append(_BARE_RELEASE_TAIL)
        return b"".join(parts)
    parts.append(b"\x00")
    rank, pre_number = pre
    dev_flag, dev_number = dev
    parts += (bytes([rank + 1]), _uint(pre_number))
    parts.append(_uint(post + 1))
    parts += (bytes([dev_flag]), _uint(dev_number))
    for numeric, number, segment in local:
        if numeric:
            parts += (b"\x01\x01", _uint(number))
        else:  # lowercase letters and digits: no zero byte inside
            parts += (b"\x01\x00", segment.encode(), b"\x00")
    parts.append(b"\x00")
    return b"".join(parts)


# A PEP 440 version starts with 'v' or a digit; anything else is answered at once.
_FIRST_CHARS = frozenset("vV0123456789")


def _bare_release(text: str) -> list[bytes] | None:
    """The release of a bare release ("3.6", "20.04") as :func:`_encode` writes its
    numbers, trailing zeros dropped; None for any other text.

    A bare release is ASCII digits and dots, with no empty part. Numbers below 256
    spelled as usual are looked up (:data:`_PIECES_BY_TEXT`); other text is checked
    and read with ``int``.
    """
    pieces = [_piece_of_text(part) for part in text.split(".")]
    if None in pieces:  # a larger number, another spelling, or not a bare release
        if not (text.isascii() and text.replace(".", "").isdigit()):  # digits and dots
            return None
        try:
            pieces = [_release_piece(int(part)) for part in text.split(".")]
        except ValueError:  # an empty part: a leading, trailing or doubled dot
            return None
    while pieces and pieces[-1] is _ZERO_PIECE:
        pieces.pop()
    return pieces  # type: ignore[return-value]  # no None left


def _compute_key(text: str) -> VersionKey:
    if text[:1] not in _FIRST_CHARS:  # not a version: no need for the pattern
        return (0, text)
    return _pattern_key(text)


def _pattern_key(text: str) -> VersionKey:
    """The key of any text, by the PEP 440 pattern (the general, slower path)."""
    m = PEP440.fullmatch(text)
    if m is None:
        return (0, text)
    release = [int(part) for part in m["release"].split(".")]
    while release and release[-1] == 0:
        release.pop()

    pre_l = m["pre_l"]
    post_text = m["post_n1"] or (m["post_n2"] or "0" if m["post_l"] else None)
    dev_l = m["dev_l"]
    pre: tuple[int, int]
    if pre_l is not None:
        pre = (_PRE_RANK[pre_l.lower()], int(m["pre_n"] or 0))
    elif post_text is None and dev_l is not None:
        pre = _DEV_ONLY
    else:
        pre = _NO_PRE
    post = -1 if post_text is None else int(post_text)
    dev = _NO_DEV if dev_l is None else (0, int(m["dev_n"] or 0))

    local: tuple[tuple[int, int, str], ...] = ()
    if m["local"] is not None:
        # Numeric segments sort after alphanumeric ones and compare as numbers;
        # alphanumeric segments compare case-insensitively as text.
        local = tuple(
            (1, int(seg), "") if seg.isdigit() else (0, 0, seg.lower())
            for seg in m["local"].replace("-", ".").replace("_", ".").split(".")
        )
    return (1, int(m["epoch"] or 0), tuple(release), pre, post, dev, local)
