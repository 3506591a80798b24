"""Platform tags: the ``-``-separated pieces of a tag after its main version.

One rule per function: :func:`split_platform_tag` (in :mod:`imageref._grammar`)
reads one platform tag as ``key`` + ``version``; :func:`platform_data` reads a list
of them into a ``key -> version`` dict (no key twice) and words every error;
:func:`platform_tags` gives the :class:`PlatformTagSet` of a tag's *suffix* (the
text after its first ``-``), built once per distinct suffix and shared by every tag
that ends with it. It reads a suffix with one ``findall`` of the same grammar
(:data:`~imageref._grammar.PLATFORM_PIECE`) and, when that shows something wrong,
lets :func:`platform_data` find and word the first error.
"""

from __future__ import annotations

from _collections_abc import Iterable, Iterator, Mapping

from ._grammar import PLATFORM_PIECE, split_platform_tag
from ._memo import Table
from .errors import InvalidImageTag, _quoted, _show, _type_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from typing_extensions import Self

    from ._key_sequence import KeySequence

__all__ = ["NO_PLATFORM", "PlatformTagSet", "platform_data", "platform_tags", "suffix_sets"]


def platform_data(tags: list[str] | tuple[str, ...], value: str | None) -> dict[str, str]:
    """Read *tags* (each a str) into key -> version, in order.

    Each tag is a key of letters and ``_`` then an optional version; a key may
    appear once. Errors name *value* (else the tags joined by ``-``).
    """
    data: dict[str, str] = {}
    for tag in tags:
        split = split_platform_tag(tag)
        if split is None:
            reason = (
                "empty platform tag"
                if not tag
                else f"platform tag {_show(tag)} is not a key of letters and underscores"
                " followed by an optional version (digits, '.digits' groups, then"
                " lowercase letters and digits)"
            )
            raise InvalidImageTag(_show(tag), _show(_full(tags, value)), reason)
        key, version = split
        if key in data:
            raise InvalidImageTag(
                _show(tag),
                _show(_full(tags, value)),
                f"platform tag key {_quoted(key)} appears more than once",
            )
        data[key] = version
    return data


def _full(tags: list[str] | tuple[str, ...], value: str | None) -> str:
    return value if value is not None else "-".join(tags)


class PlatformTagSet(Mapping[str, str]):
    """The platform tags of an image tag, as a read-only mapping of key -> version.

    Each tag is a key of letters and underscores followed by an optional version
    (digits, dotted digit groups, then lowercase letters and digits); a missing
    version is ``""``. A key may appear only once. *value* is the full image
    reference, named in error messages.

    >>> tags = PlatformTagSet(["py36", "ubuntu16.04", "cuda_12", "other"])
    >>> dict(tags)
    {'py': '36', 'ubuntu': '16.04', 'cuda_': '12', 'other': ''}
    >>> tags.has("py"), tags.has("py", "36"), tags.has("py", "3")
    (True, True, False)
    >>> tags == {"py", "ubuntu", "cuda_", "other"}
    True
    """

    # Besides _data, the slots hold what ordering and aliases derive from the tags,
    # filled in the first time one is asked for (see imageref._order and
    # imageref._aliases), and never changed after that.
    __slots__ = ("_alias_suffixes", "_data", "_keys", "_ranks")

    _data: dict[str, str]
    _keys: KeySequence
    _ranks: tuple[bytes | int, ...]
    _alias_suffixes: list[str]

    def __init__(self, tags: Iterable[str], value: str | None = None) -> None:
        if value is not None and not isinstance(value, str):
            raise _type_error("value", "a str or None", value)
        # A list or tuple skips the (slow) abstract-base-class check.
        if type(tags) is not list and type(tags) is not tuple:
            if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
                raise _type_error("tags", "an iterable of str", tags)
            tags = list(tags)
        for tag in tags:
            if not isinstance(tag, str):
                raise _type_error("each platform tag", "a str", tag)
        self._data = platform_data(tags, value)

    @classmethod
    def _from_data(cls, data: dict[str, str]) -> PlatformTagSet:
        new = cls.__new__(cls)
        new._data = data
        return new

    def has(self, key: str, version: str | None = None) -> bool:
        """Whether *key* is present (and, when *version* is given, has exactly it)."""
        if version is None:
            return key in self._data
        return self._data.get(key) == version

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (set, frozenset)):
            return self._data.keys() == other
        if isinstance(other, PlatformTagSet):
            return self._data == other._data
        return self._data == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # equal to dicts and sets alike

    def __repr__(self) -> str:
        return f"PlatformTagSet({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PlatformTagSet, ([key + ver for key, ver in self._data.items()],))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self


#: The platform tags of a tag without ``-``.
NO_PLATFORM = PlatformTagSet._from_data({})

# Platform tag sets by suffix (the text after a tag's first "-"), for valid
# suffixes only. Bounded (see imageref._memo).
suffix_sets = Table(2048)
_suffix_table = suffix_sets.entries
_new_set = object.__new__


def platform_tags(suffix: str, value: str) -> PlatformTagSet:
    """The platform tags of a tag's *suffix* (``"py36-cuda9"``); *value* is named in errors.

    One ``findall`` reads the suffix: it follows the rule when every piece matched
    (:data:`~imageref._grammar.PLATFORM_PIECE`) and no key came twice; else
    :func:`platform_data` reads the pieces in order to word the first error.
    Memoised per suffix: a pure function of it (but for the error message).
    """
    found = _suffix_table.get(suffix)
    if found is not None:
        suffix_sets.hits += 1
    else:
        pairs = PLATFORM_PIECE.findall(suffix)
        data = dict(pairs)
        if len(data) != suffix.count("-") + 1:  # a piece skipped, or a key twice
            platform_data(suffix.split("-"), value)  # raises the error
            raise AssertionError(suffix)  # pragma: no cover - platform_data raised
        found = _new_set(PlatformTagSet)
        found._data = data
        if suffix_sets.rest and suffix != suffix_sets.last:
            suffix_sets.rest -= 1
            suffix_sets.last = suffix
        else:
            suffix_sets.learn(suffix, found)
    return found
