"""Tags: the slug rule and the split into main version and platform tags.

:func:`check_tag` is the one place a tag is checked: one pass of
:data:`~imageref._grammar.TAG` (the slug rule and the platform-tag rule, built
from the same pieces as :data:`~imageref._grammar.TAG_SLUG` and
:data:`~imageref._grammar.PLATFORM_TAG`), which captures the keys of the first three
platform tags, and, when the tag has four platform tags or more, one ``findall`` of
their keys (no key twice). It builds nothing: a parse
only needs to know that the tag is valid. When it is not, :func:`tag_error` words
the first error by the pieces' rules in order (slug, then each platform tag).

:func:`read_tag` reads a tag into a :data:`TagRecord` ``(tag, main version,
platform tags)`` when one is first asked for (an :class:`~imageref.ImageRef`'s
``tag_set``, ordering, aliases); the platform tags come from
:func:`~imageref._platform.platform_tags`, built once per distinct suffix.
"""

from __future__ import annotations

from ._grammar import PLATFORM_KEY_AFTER_DASH, TAG, TAG_SLUG
from ._memo import Table
from ._platform import NO_PLATFORM, PlatformTagSet, platform_tags
from .errors import ImageRefError, InvalidImageTag, _show

__all__ = [
    "TagRecord",
    "check_slug",
    "check_tag",
    "is_main_version",
    "is_valid_tag",
    "keys_differ",
    "main_version",
    "read_tag",
    "tag_error",
    "tag_record",
    "valid_record",
    "valid_suffixes",
    "valid_tags",
    "valid_tags_of",
]

#: ``(tag, main version, platform tags)``: ``("3.6-py36", "3.6", PlatformTagSet(...))``.
TagRecord = tuple[str, str, PlatformTagSet]

#: Tags that passed :func:`check_tag` (each maps to itself). Bounded, see imageref._memo.
valid_tags = Table(2048)
_tag_table = valid_tags.entries


def check_tag(tag: str, value: str) -> None:
    """Check *tag* (raise :class:`InvalidImageTag` naming *value* when it breaks a rule).

    The tag is a slug (letters, digits, ``.``, ``_``, ``-``; first and last
    character a letter or digit). Its first ``-`` piece is the main version, any
    slug text; each other piece is a platform tag (a key of letters and ``_``,
    then an optional version), and no key comes twice. Memoised per tag.
    """
    if tag in _tag_table:
        return
    if not is_valid_tag(tag):
        raise tag_error(tag, value)
    if valid_tags.rest and tag != valid_tags.last:
        valid_tags.rest -= 1
        valid_tags.last = tag
    else:
        valid_tags.learn(tag, tag)


def is_valid_tag(tag: str) -> bool:
    """Whether *tag* follows the rules :func:`check_tag` states (nothing raised or kept)."""
    found = TAG.fullmatch(tag)
    return found is not None and (not found[4] or keys_differ(tag))


# Platform suffixes (the text after a valid tag's first "-") of valid tags: a suffix
# here makes a tag valid when its main version is (see valid_tags_of). Bounded, and
# resting while it does not answer (see imageref._memo).
valid_suffixes = Table(2048)
_suffix_table = valid_suffixes.entries

# What a main version is made of (_grammar's main-version piece of TAG): letters,
# digits, '.' and '_' (the first character a letter or digit).
_MAIN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"


def is_main_version(main: str) -> bool:
    """Whether *main* is a main version of ``TAG``: ``[A-Za-z0-9][A-Za-z0-9._]*``.

    With ``str`` methods (faster than a match here); the test suite holds it to the
    pattern.
    """
    return main[:1].isalnum() and main.isascii() and not main.lstrip(_MAIN_CHARS)


def valid_tags_of(tags: list[str]) -> list[bool]:
    """Whether each of *tags* is valid (:func:`is_valid_tag`), in one pass over them.

    A tag whose main version is valid (:func:`is_main_version`) and whose platform
    suffix (after its first ``-``) was seen valid before is valid (a registry's tags
    share a few suffixes while their versions are new); so is a tag without a
    suffix that :func:`check_tag` kept. Any other tag is matched whole; nothing is
    raised.
    """
    out: list[bool] = []
    add = out.append
    tag_table = _tag_table
    suffix_table = _suffix_table
    for tag in tags:
        main, dash, suffix = tag.partition("-")
        if dash:
            if suffix in suffix_table and is_main_version(main):
                valid_suffixes.hits += 1
                add(True)
                continue
        elif tag in tag_table:
            add(True)
            continue
        valid = is_valid_tag(tag)
        if valid and dash:
            valid_suffixes.offer(suffix, True)
        add(valid)
    return out


def keys_differ(tag: str) -> bool:
    """Whether no platform-tag key comes twice in a *tag* that matched ``TAG``.

    ``TAG`` itself keeps each of the first three keys apart from the earlier ones;
    a caller asks this only when the tag has more platform tags (``TAG``'s last
    group is not empty), whose keys are found again.
    """
    keys = PLATFORM_KEY_AFTER_DASH.findall(tag)
    return len(set(keys)) == len(keys)


def check_slug(tag: str, value: str) -> None:
    """Check only that *tag* is a slug (its platform tags unread); the error names *value*.

    Backend.AI 26.09 checks the slug before the project and the architecture, and
    the platform tags after them. A tag that passed :func:`check_tag` is a slug.
    """
    if tag not in _tag_table and TAG_SLUG.fullmatch(tag) is None:
        raise tag_error(tag, value)


def tag_error(tag: str, value: str) -> ImageRefError:
    """The first error of an invalid *tag* (the slug rule, then each platform tag in order)."""
    if TAG_SLUG.fullmatch(tag) is None:
        reason = (
            "empty tag"
            if not tag
            else "a tag is letters, digits, '.', '_' and '-', starting and ending"
            " with a letter or digit"
        )
        return InvalidImageTag(_show(tag), _show(value), reason)
    try:
        read_tag(tag, value)
    except ImageRefError as exc:
        return exc
    raise AssertionError(tag)  # pragma: no cover - only called for an invalid tag


def main_version(tag: str) -> str:
    """The main version of a valid *tag*: its first ``-`` piece (``"3.6"`` of ``"3.6-py36"``)."""
    return tag.partition("-")[0]


def read_tag(tag: str, value: str) -> TagRecord:
    """Read *tag* (not checked as a slug) into a :data:`TagRecord`; *value* is named in errors.

    Its first ``-`` piece is the main version, the rest its platform tags (whose
    errors it raises). :func:`tag_record`, an :class:`~imageref.ImageRef`'s derived
    fields and Backend.AI 26.09's field-wise construction (which takes the tag as
    stored, see :mod:`imageref.compat.v2609`) call it.
    """
    main, dash, suffix = tag.partition("-")  # main_version's split, keeping the rest
    if not dash:
        return (tag, main, NO_PLATFORM)
    return (tag, main, platform_tags(suffix, value))


# Records of valid tags, read when first asked for (see valid_record). Bounded, and
# resting while it does not answer (see imageref._memo).
records = Table(2048)
_record_table = records.entries


def valid_record(tag: str) -> TagRecord:
    """The :data:`TagRecord` of a *tag* that passed :func:`check_tag`; memoised per tag.

    Only asked for when a reader needs it (ordering, ``tag_set``, aliases), so
    refs with one tag share one record (and sorting finds equal tags by identity).
    A stream of tags that never come back (a command line listing new references)
    pays the reading and a lookup, nothing more: the table rests.
    """
    found: TagRecord | None = _record_table.get(tag)
    if found is not None:
        records.hits += 1
        return found
    return records.offer(tag, read_tag(tag, tag))


def tag_record(tag: str, value: str) -> TagRecord:
    """Check *tag* (:func:`check_tag`) and read it into a :data:`TagRecord`."""
    check_tag(tag, value)
    return read_tag(tag, value)
