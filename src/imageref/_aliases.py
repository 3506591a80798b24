"""Aliases: the short names an image may be asked for (Backend.AI's ``generate_aliases``).

:func:`alias_names` gives the candidate names of an image name, and
:func:`alias_suffixes` every way an alias may spell a tag's platform tags after
its main version (kept on the :class:`~imageref._platform.PlatformTagSet`, which
every tag with the same suffix shares). :func:`aliases` puts them together.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    from ._platform import PlatformTagSet

    T = TypeVar("T")

__all__ = ["alias_names", "alias_suffixes", "aliases"]

# A PlatformTagSet keeps its alias suffixes when there are at most this many (tags
# with many platform tags have exponentially many; those are rebuilt when asked).
_ALIAS_SUFFIXES_KEPT = 4096


def alias_names(name: str) -> list[str]:
    """The last path component of *name* and, when it has a ``-``, its second ``-`` piece."""
    basename = name.rpartition("/")[2]
    pieces = basename.split("-")
    return [basename, pieces[1]] if len(pieces) > 1 else [basename]


def alias_suffixes(platform: PlatformTagSet) -> list[str]:
    """Every way an alias may spell *platform* after the main version.

    Per platform tag, in order: nothing, the key, key and version, key and major
    version (or the first digit of a ``py`` version), or ``gpu`` for CUDA; each
    suffix is one choice per tag, in the order of nested loops over the tags.
    """
    try:
        return platform._alias_suffixes
    except AttributeError:
        pass
    suffixes = [""]
    for key, ver in platform._data.items():
        options = ["", f"-{key}", f"-{key}{ver}"]
        if "." in ver:
            options.append(f"-{key}{ver.partition('.')[0]}")
        elif key == "py" and len(ver) > 1:
            options.append(f"-{key}{ver[0]}")
        if "cuda" in key:
            options.append("-gpu")
        suffixes = [suffix + option for suffix in suffixes for option in options]
    if len(suffixes) <= _ALIAS_SUFFIXES_KEPT:
        platform._alias_suffixes = suffixes
    return suffixes


def aliases(name: str, main: str, platform: PlatformTagSet, target: T) -> dict[str, T]:
    """Every alias of image *name* with main version *main* and *platform*, each -> *target*.

    An empty main version (only Backend.AI 26.09's field-wise construction allows
    one) gives ``name:`` alone after the names: no platform-tag aliases.
    """
    names = alias_names(name)
    suffixes = alias_suffixes(platform) if main else [""]
    keys = names.copy()
    for candidate in names:
        prefix = f"{candidate}:{main}"
        keys += [prefix + suffix for suffix in suffixes]
    return dict.fromkeys(keys, target)
