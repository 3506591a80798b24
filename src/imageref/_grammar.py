"""Every pattern imageref matches, in one place.

Each pattern is assembled from small named pieces; the comment above a piece
states the rule it encodes. Patterns are compiled once, at import, with
``re.ASCII``, and are only ever used with ``fullmatch`` so both ends are
anchored. No piece nests a quantifier over text that another quantifier can
also take, so no pattern backtracks super-linearly on long hostile input.

This module only answers "does this text follow the rule?"; deciding what the
parts of a reference mean (registry resolution, defaults, normalisation) is
done by the modules that use it.
"""

from __future__ import annotations

import re

__all__ = [
    "IP_REGISTRY",
    "NOT_PRINTABLE",
    "PEP440",
    "PLATFORM_TAG",
    "PLATFORM_VERSION",
    "PRINTABLE",
    "TAG_SLUG",
]

# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

# One ASCII letter or digit.
_ALNUM = r"[A-Za-z0-9]"

# One printable ASCII character other than the space: what a reference may contain.
_PRINTABLE_CHAR = r"[!-~]"

# ---------------------------------------------------------------------------
# Backend.AI 24.03 rules (the contract in shared/spec)
# ---------------------------------------------------------------------------

# A reference is one or more printable, non-space ASCII characters (divergence D1).
_PRINTABLE = rf"{_PRINTABLE_CHAR}+"

# Any character a reference may not contain (searched for to explain a D1 failure).
_NOT_PRINTABLE = r"[^!-~]"

# A tag is a slug: letters, digits, '.', '_', '-', starting and ending alphanumeric.
_TAG_SLUG = rf"{_ALNUM}(?:[A-Za-z0-9._-]*{_ALNUM})?"

# A platform-tag key is one or more letters or underscores: "cuda", "py", "cuda_".
_PLATFORM_KEY = r"[A-Za-z_]+"

# A platform-tag version is digits, then ".digits" groups, then an optional run of
# lowercase letters and digits that starts with a letter ("16.04", "9b1", "1y").
# (Written so that the digits belong to one piece only: a trailing digit run is
# always part of the numeric groups, never of the suffix.)
_PLATFORM_VERSION = r"[0-9]+(?:\.[0-9]+)*(?:[a-z][a-z0-9]*)?"

# A platform tag is a key immediately followed by an optional version.
_PLATFORM_TAG = rf"(?P<key>{_PLATFORM_KEY})(?P<version>{_PLATFORM_VERSION})?"

# An IPv4 octet is a decimal number 0..255 without leading zeros.
_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

# An IPv4 address is four octets joined by dots.
_IPV4 = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"

# An IPv6 group is one to four hex digits.
_H16 = r"[0-9A-Fa-f]{1,4}"

# The low 32 bits of an IPv6 address are two groups or an embedded IPv4 address.
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"

# An IPv6 address is eight groups, with one run of zero groups optionally written as
# "::" (RFC 3986 section 3.2.2, one alternative per position of the "::").
_IPV6 = (
    "(?:"
    + "|".join(
        [
            rf"(?:{_H16}:){{6}}{_LS32}",
            rf"::(?:{_H16}:){{5}}{_LS32}",
            rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
            rf"(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}",
            rf"(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}",
            rf"(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
            rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}",
            rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}",
            rf"(?:(?:{_H16}:){{0,6}}{_H16})?::",
        ]
    )
    + ")"
)

# An IPv6 zone is one or more unreserved or percent-encoded characters (RFC 6874).
_ZONE_ID = r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+"

# A port is one to five decimal digits whose value is at most 65535.
_PORT = r"(?:[0-5]?[0-9]{1,4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"

# An IP-literal registry is IPv4 or a bracketed IPv6 (with optional zone), then an
# optional ":port" (divergence D7).
_IP_REGISTRY = rf"(?:{_IPV4}|\[{_IPV6}(?:%{_ZONE_ID})?\])(?::{_PORT})?"


# ---------------------------------------------------------------------------
# PEP 440 versions (for ordering only; imageref never rejects a tag for this)
# ---------------------------------------------------------------------------

# A PEP 440 separator is one optional '-', '_' or '.'.
_PEP440_SEP = r"[-_.]?"

# An epoch is a decimal number followed by '!'.
_PEP440_EPOCH = r"(?:(?P<epoch>[0-9]+)!)?"

# A release is decimal numbers joined by dots.
_PEP440_RELEASE = r"(?P<release>[0-9]+(?:\.[0-9]+)*)"

# A pre-release is a phase spelling then an optional number ("a1", ".beta", "-rc.2").
_PEP440_PRE = (
    rf"(?:{_PEP440_SEP}(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc){_PEP440_SEP}(?P<pre_n>[0-9]+)?)?"
)

# A post-release is "-N", or a post spelling then an optional number (".post1", "r").
_PEP440_POST = (
    r"(?:-(?P<post_n1>[0-9]+)"
    rf"|{_PEP440_SEP}(?P<post_l>post|rev|r){_PEP440_SEP}(?P<post_n2>[0-9]+)?)?"
)

# A development release is "dev" then an optional number (".dev0", "dev").
_PEP440_DEV = rf"(?:{_PEP440_SEP}(?P<dev_l>dev){_PEP440_SEP}(?P<dev_n>[0-9]+)?)?"

# A local label is '+' then alphanumeric segments joined by '-', '_' or '.'.
_PEP440_LOCAL = r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?"

# A PEP 440 version: optional 'v', epoch, release, pre, post, dev, local (any case).
_PEP440 = (
    rf"v?{_PEP440_EPOCH}{_PEP440_RELEASE}{_PEP440_PRE}{_PEP440_POST}{_PEP440_DEV}{_PEP440_LOCAL}"
)


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII | flags)


PRINTABLE = _compile(_PRINTABLE)
NOT_PRINTABLE = _compile(_NOT_PRINTABLE)
TAG_SLUG = _compile(_TAG_SLUG)
PLATFORM_VERSION = _compile(_PLATFORM_VERSION)
PLATFORM_TAG = _compile(_PLATFORM_TAG)
IP_REGISTRY = _compile(_IP_REGISTRY)
PEP440 = _compile(_PEP440, re.IGNORECASE)
