"""Platforms (``linux/arm64``, ``windows(10.0.17763)/amd64``) read and matched as containerd does.

:func:`parse_platform` reads a platform string as containerd's ``platforms.Parse``
reads it and normalises the result as ``platforms.Normalize`` does:

>>> p = parse_platform("Linux/aarch64/v8")
>>> str(p), p.os, p.architecture, p.variant, p.backendai_architecture
('linux/arm64', 'linux', 'arm64', '', 'aarch64')
>>> str(parse_platform("linux/armhf")), str(parse_platform("windows(10.0.17763)/x86_64"))
('linux/arm/v7', 'windows/amd64')
>>> parse_platform("windows(10.0.17763)/amd64").os_version
'10.0.17763'

:func:`matcher` answers which platforms an image built for *candidate* can run on a
*wanted* one, with containerd's fallbacks (``Only``) or without them (``OnlyStrict``),
and ranks the matches (lower is preferred):

>>> m = matcher("linux/arm64")
>>> [m.rank(c) for c in ("linux/arm64", "linux/arm/v7", "linux/arm/v5", "linux/amd64")]
[0, 2, 4, None]
>>> matcher("linux/arm64", strict=True).match("linux/arm/v7")
False

Facts from containerd's ``platforms`` package (github.com/containerd/platforms:
``platforms.go``, ``database.go``, ``compare.go``); the code here is written anew.
Two choices where containerd looks at the machine it runs on: a bare OS or a bare
architecture is completed with this machine's architecture or OS (as containerd does
with Go's ``runtime``), and the OS version never affects a match (containerd compares
Windows versions; a registry scan runs on no particular Windows host).
"""

from __future__ import annotations

from ._grammar import PLATFORM_COMPONENT, PLATFORM_OS_PART
from ._value import ReadOnlyValue
from .errors import InvalidPlatform, _show, _type_error
from .image import arch_name_aliases, docker_api_arch_aliases
from .oci import _go_lower

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "Matcher",
    "Platform",
    "format_platform",
    "matcher",
    "parse_platform",
    "platform_for_architecture",
]

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

# Go's list of operating systems and architectures (database.go, from go/build's syslist).
_KNOWN_OS = frozenset(
    {
        *("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js"),
        *("linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos"),
    }
)
_KNOWN_ARCH = frozenset(
    {
        *("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le"),
        *("loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le"),
        *("ppc", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"),
    }
)

# Backend.AI's names for the two architectures it renames (imageref.image's table).
_BACKENDAI_NAMES = {name: arch_name_aliases[name] for name in ("amd64", "arm64")}

# arm64 variants and the (major, highest minor) runs they can run, best first (compare.go).
_ARM64_RUNS: dict[str, tuple[tuple[int, int], ...]] = {
    **{f"v8.{minor}": ((8, minor),) for minor in range(10)},
    "v8": ((8, 0),),
    **{f"v9.{minor}": ((9, minor), (8, min(minor + 5, 9))) for minor in range(8)},
    "v9": ((9, 0), (8, 5)),
}


def _normalize_os(os: str) -> str:
    """containerd's ``normalizeOS``: lower case, ``macos`` is ``darwin``; none is this machine's."""
    if not os:
        return _host()[0]
    os = _go_lower(os)
    return "darwin" if os == "macos" else os


def _normalize_arch(architecture: str, variant: str) -> tuple[str, str]:
    """containerd's ``normalizeArch``: the canonical (architecture, variant) pair."""
    architecture, variant = _go_lower(architecture), _go_lower(variant)
    if architecture == "i386":
        return "386", ""
    if architecture in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if architecture in ("aarch64", "arm64"):
        if variant in ("8", "v8", "v8.0"):
            variant = ""
        elif variant in ("9", "9.0", "v9.0"):
            variant = "v9"
        return "arm64", variant
    if architecture == "armhf":
        return "arm", "v7"
    if architecture == "armel":
        return "arm", "v6"
    if architecture == "arm":
        if variant in ("", "7"):
            variant = "v7"
        elif variant in ("5", "6", "8"):
            variant = "v" + variant
    return architecture, variant


def _host() -> tuple[str, str, str]:
    """This machine's (os, architecture, variant), as containerd reads its own from Go."""
    global _HOST  # noqa: PLW0603 - computed once, on first need
    if _HOST is None:
        import platform  # noqa: PLC0415 - only a bare OS or architecture needs it
        import sys  # noqa: PLC0415

        os = {"win32": "windows", "cygwin": "windows"}.get(sys.platform, sys.platform)
        os = os.rstrip("0123456789")  # freebsd14 -> freebsd
        machine = platform.machine().lower()
        machine = {"armv7l": "armhf", "armv6l": "armel"}.get(machine, machine)
        architecture, variant = _normalize_arch(machine, "")
        if architecture == "arm" and variant == "v7":
            variant = ""  # containerd leaves the common arm variant out of its default
        _HOST = (os, architecture, variant)
    return _HOST


_HOST: tuple[str, str, str] | None = None


def _normalized_features(features: Iterable[str]) -> tuple[str, ...]:
    """OS features as containerd normalises them: sorted, without repeats."""
    return tuple(sorted(set(features)))


class Platform(ReadOnlyValue):
    """A platform: OS, architecture, variant, OS version and OS features, as given.

    The fields hold what was given (a document's values stay as written);
    ``str()`` and :meth:`normalized` give containerd's normal form.

    >>> p = Platform("linux", "arm")
    >>> p.variant, str(p), str(p.normalized()), p.normalized().variant
    ('', 'linux/arm/v7', 'linux/arm/v7', 'v7')
    >>> Platform("windows", "amd64", os_version="10.0.20348.1").os_version
    '10.0.20348.1'
    """

    __slots__ = ("architecture", "os", "os_features", "os_version", "variant")

    os: str
    architecture: str
    variant: str
    os_version: str
    os_features: tuple[str, ...]

    def __init__(
        self,
        os: str,
        architecture: str,
        variant: str = "",
        os_version: str = "",
        os_features: Iterable[str] = (),
    ) -> None:
        for what, value in (
            ("os", os),
            ("architecture", architecture),
            ("variant", variant),
            ("os_version", os_version),
        ):
            if not isinstance(value, str):
                raise _type_error(f"a platform's {what}", "a str", value)
        if isinstance(os_features, str):
            raise _type_error("a platform's os_features", "an iterable of str", os_features)
        features = tuple(os_features)
        for feature in features:
            if not isinstance(feature, str):
                raise _type_error("an OS feature", "a str", feature)
        object.__setattr__(self, "os", os)
        object.__setattr__(self, "architecture", architecture)
        object.__setattr__(self, "variant", variant)
        object.__setattr__(self, "os_version", os_version)
        object.__setattr__(self, "os_features", features)

    def _fields(self) -> tuple[str, str, str, str, tuple[str, ...]]:
        return (self.os, self.architecture, self.variant, self.os_version, self.os_features)

    def __reduce__(self) -> tuple[object, ...]:
        return (Platform, self._fields())

    def __repr__(self) -> str:
        extra = ""
        if self.variant:
            extra += f", variant={self.variant!r}"
        if self.os_version:
            extra += f", os_version={self.os_version!r}"
        if self.os_features:
            extra += f", os_features={self.os_features!r}"
        return f"Platform({self.os!r}, {self.architecture!r}{extra})"

    def __str__(self) -> str:
        """The normalised ``os/architecture[/variant]`` (containerd's ``Format``)."""
        return format_platform(self)

    def normalized(self) -> Platform:
        """This platform as containerd's ``Normalize`` gives it (lower case, canonical names)."""
        architecture, variant = _normalize_arch(self.architecture, self.variant)
        return Platform(
            _normalize_os(self.os),
            architecture,
            variant,
            self.os_version,
            _normalized_features(self.os_features),
        )

    @property
    def backendai_architecture(self) -> str:
        """Backend.AI's name of the normalised architecture: ``amd64`` is ``x86_64``,
        ``arm64`` is ``aarch64``, others as they are."""
        architecture = _normalize_arch(self.architecture, self.variant)[0]
        return _BACKENDAI_NAMES.get(architecture, architecture)


def format_platform(platform: Platform, *, full: bool = False) -> str:
    """``os/architecture[/variant]`` of *platform* normalised (``unknown`` without an OS).

    With *full*, the OS version and features too, as containerd's ``FormatAll`` writes
    them: ``os(version+feature+...)``, with ``%``, ``+``, ``(``, ``)``, ``/`` (and any
    other character the grammar does not take) percent-encoded, so that
    :func:`parse_platform` reads the result back.

    >>> format_platform(Platform("windows", "AMD64", os_version="10.0+b"), full=True)
    'windows(10.0%2Bb)/amd64'
    """
    if not isinstance(platform, Platform):
        raise _type_error("a platform", "a Platform", platform)
    if not platform.os:
        return "unknown"
    p = platform.normalized()
    head = p.os
    if full:
        version = _encode_option(p.os_version)
        features = "+".join(_encode_option(f) for f in p.os_features if f)
        if version or features:
            head += f"({version}{'+' if features else ''}{features})"
    return "/".join(part for part in (head, p.architecture, p.variant) if part)


def _encode_option(text: str) -> str:
    """*text* with every byte outside the option alphabet as ``%XX`` (``%`` included).

    containerd's ``FormatAll`` escapes ``%``, ``+``, ``(``, ``)`` and ``/`` only, so
    that a version with a space in it does not read back; escaping every byte the
    grammar does not take gives the same text for everything else, and a form that
    :func:`parse_platform` (and containerd's ``Parse``) always reads back.
    """
    if _OPTION_CHARS.issuperset(text):
        return text
    return "".join(
        chr(byte) if chr(byte) in _OPTION_CHARS else f"%{byte:02X}"
        for byte in text.encode("utf-8", "surrogatepass")
    )


_OPTION_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def _decode_option(text: str, specifier: str) -> str:
    """An OS version or feature with its ``%XX`` escapes decoded (Go's ``PathUnescape``)."""
    if "%" not in text:
        return text
    head, *escaped = text.split("%")
    raw = bytearray(head.encode("ascii"))  # the grammar lets only ASCII through
    for piece in escaped:
        if len(piece) < 2 or not _HEX_DIGITS.issuperset(piece[:2]):
            raise InvalidPlatform(
                f"platform {_show(specifier)}: {_show(text)} has a '%' not followed by two"
                " hex digits"
            )
        raw.append(int(piece[:2], 16))
        raw += piece[2:].encode("ascii")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidPlatform(
            f"platform {_show(specifier)}: {_show(text)} decodes to bytes that are not UTF-8"
        ) from None


def parse_platform(text: str) -> Platform:
    """Read a platform string as containerd reads one, then normalise it.

    ``os[(version[+feature...])][/architecture[/variant]]``, or a bare OS or
    architecture (completed with this machine's architecture or OS). Names are
    normalised: ``x86_64`` is ``amd64``, ``aarch64`` is ``arm64`` (its ``v8`` variant
    dropped), ``armhf`` is ``arm/v7``, ``armel`` is ``arm/v6``, ``arm`` is ``arm/v7``,
    ``i386`` is ``386``, ``macos`` is ``darwin``, all in lower case.

    >>> str(parse_platform("linux/x86-64/v1")), str(parse_platform("linux/arm64/9.0"))
    ('linux/amd64', 'linux/arm64/v9')
    >>> parse_platform("linux(+gpu+erofs)/amd64").os_features
    ('erofs', 'gpu')
    >>> parse_platform("linux/arm/v7/x")
    Traceback (most recent call last):
        ...
    imageref.errors.InvalidPlatform: platform linux/arm/v7/x: more than three '/'-separated parts
    """
    if not isinstance(text, str):
        raise _type_error("a platform", "a str", text)
    if "*" in text:
        raise InvalidPlatform(f"platform {_show(text)}: wildcards are not supported")
    parts = text.split("/", 3)
    head = PLATFORM_OS_PART.fullmatch(parts[0])
    if head is None:
        raise InvalidPlatform(
            f"platform {_show(text)}: {_show(parts[0])} is not an OS[(version)] of letters,"
            " digits, '_' and '-'"
        )
    for part in parts[1:]:
        if PLATFORM_COMPONENT.fullmatch(part) is None:
            raise InvalidPlatform(
                f"platform {_show(text)}: {_show(part)} is not a component of letters,"
                " digits, '_', '.' and '-'"
            )
    if len(parts) == 4:
        raise InvalidPlatform(f"platform {_show(text)}: more than three '/'-separated parts")
    os = _normalize_os(head[1])
    version = _decode_option(head[2] or "", text)
    features = [_decode_option(f, text) for f in (head[3] or "").split("+")[1:]]
    if len(parts) == 1:
        if os in _KNOWN_OS:
            _, architecture, variant = _host()
        else:
            architecture, variant = _normalize_arch(parts[0], "")
            if architecture not in _KNOWN_ARCH:
                raise InvalidPlatform(
                    f"platform {_show(text)}: not a known operating system or architecture"
                )
            os = _host()[0]
    elif len(parts) == 2:
        architecture, variant = _normalize_arch(parts[1], "")
    else:
        architecture, variant = _normalize_arch(parts[1], parts[2])
    return Platform(os, architecture, variant, version, features).normalized()


def platform_for_architecture(architecture: str, os: str = "linux") -> Platform:
    """The platform of a Backend.AI architecture name (``x86_64``, ``aarch64``, ...).

    Backend.AI's stored names go through ``imageref.docker_api_arch_aliases`` to the
    Docker API's, then containerd's normalisation; names it does not list are
    normalised as they are.

    >>> str(platform_for_architecture("aarch64")), str(platform_for_architecture("x86"))
    ('linux/arm64', 'linux/386')
    """
    if not isinstance(architecture, str):
        raise _type_error("an architecture", "a str", architecture)
    return Platform(os, docker_api_arch_aliases.get(architecture, architecture)).normalized()


def _fallbacks(p: Platform) -> list[tuple[str, str]]:
    """The (architecture, variant) pairs containerd's ``Only`` accepts for *p*, best first."""
    architecture, variant = p.architecture, p.variant
    if architecture == "amd64":
        pairs = [("amd64", variant)]
        level = _version_number(variant)
        if level is not None and level > 1:
            pairs += [("amd64", f"v{n}") for n in range(level - 1, 0, -1)]
        return [*pairs, ("386", "")]
    if architecture == "arm":
        pairs = [("arm", variant)]
        level = _version_number(variant)
        if level is not None and level > 5:
            pairs += [("arm", f"v{n}") for n in range(level - 1, 4, -1)]
        return pairs
    if architecture == "arm64":
        runs = _ARM64_RUNS.get(variant or "v8")
        if runs is None:
            return []  # containerd's list for an unknown arm64 variant is empty
        pairs = [
            ("arm64", f"v{major}" if minor == 0 else f"v{major}.{minor}")
            for major, top in runs
            for minor in range(top, -1, -1)
        ]
        return pairs + _fallbacks(Platform(p.os, "arm", "v8"))
    return [(architecture, variant)]


def _version_number(variant: str) -> int | None:
    """``vN`` or ``N`` as N (Go's ``strconv.Atoi`` after the ``v``), else None."""
    digits = variant[1:] if variant.startswith("v") else variant
    sign = digits[:1] in ("+", "-")
    body = digits[1:] if sign else digits
    if not body.isascii() or not body.isdigit():
        return None
    return int(digits)


class Matcher:
    """Which platforms match a wanted one, and how well (see :func:`matcher`)."""

    __slots__ = ("_features", "_ranks", "_strip_win32k", "platform", "strict")

    platform: Platform
    strict: bool
    _ranks: dict[tuple[str, str, str], int]
    _features: frozenset[str]
    _strip_win32k: bool

    def __init__(self, wanted: Platform | str, *, strict: bool = False) -> None:
        p = _as_platform(wanted)
        pairs = [(p.architecture, p.variant)] if strict else _fallbacks(p)
        ranks: dict[tuple[str, str, str], int] = {}
        for position, (architecture, variant) in enumerate(pairs):
            key = (p.os, *_normalize_arch(architecture, variant))
            ranks.setdefault(key, position)
        object.__setattr__(self, "platform", p)
        object.__setattr__(self, "strict", bool(strict))
        object.__setattr__(self, "_ranks", ranks)
        object.__setattr__(self, "_features", frozenset(p.os_features))
        object.__setattr__(self, "_strip_win32k", p.os == "windows")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Matcher is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        return f"matcher({format_platform(self.platform, full=True)!r}, strict={self.strict})"

    def rank(self, candidate: Platform | str) -> int | None:
        """How well *candidate* matches: 0 is best, larger is worse, None is no match.

        The position of its architecture and variant in containerd's list of
        fallbacks, then, between equals, more OS features first (with wanted OS
        features, a candidate's must be a subset of them).
        """
        c = _as_platform(candidate)
        position = self._ranks.get((c.os, c.architecture, c.variant))
        if position is None:
            return None
        features = c.os_features
        if self._strip_win32k and "win32k" in features:
            features = tuple(f for f in features if f != "win32k")
        if not self._features.issuperset(features):
            return None
        slots = len(self._features) + 1
        return position * slots + (slots - 1 - len(features))

    def match(self, candidate: Platform | str) -> bool:
        """Whether an image for *candidate* runs on the wanted platform."""
        return self.rank(candidate) is not None


def _as_platform(value: Platform | str) -> Platform:
    if isinstance(value, str):
        return parse_platform(value)
    if isinstance(value, Platform):
        return value.normalized()
    raise _type_error("a platform", "a Platform or a str", value)


def matcher(wanted: Platform | str, *, strict: bool = False) -> Matcher:
    """A :class:`Matcher` for *wanted*: containerd's ``Only`` (or, *strict*, ``OnlyStrict``).

    ``Only`` also accepts what the wanted platform runs: ``amd64/vN`` runs ``amd64``
    down to ``v1`` and ``386``; ``arm/vN`` runs ``arm`` down to ``v5``; ``arm64/v8.x``
    and ``v9.x`` run the lower arm64 levels containerd lists, then ``arm/v8`` to
    ``v5``. ``OnlyStrict`` accepts the normalised platform alone. Platforms are
    ``Platform`` values or strings (read by :func:`parse_platform`).

    >>> m = matcher("linux/amd64/v3")
    >>> [m.rank(c) for c in ("linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386")]
    [0, 1, 2, 3]
    >>> m.match("linux/amd64/v4"), m.match("windows/amd64")
    (False, False)
    """
    return Matcher(wanted, strict=strict)
