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

__all__ = ["VersionKey", "is_pep440", "version_key"]

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

_cache: dict[str, VersionKey] = {}
_CACHE_LIMIT = 4096


def is_pep440(text: str) -> bool:
    """Whether *text* is a version PEP 440 accepts (whitespace not allowed)."""
    return PEP440.fullmatch(text) is not None


def version_key(text: str) -> VersionKey:
    """The sort key of *text*; see the module docstring for the order it gives."""
    key = _cache.get(text)
    if key is None:
        key = _compute_key(text)
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[text] = key
    return key


def _compute_key(text: str) -> VersionKey:
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
