"""Tags: the slug rule and the split into main version and platform tags.

:func:`tag_record` is the one place a tag is checked and read. Its answer, a
:data:`TagRecord`, is a plain tuple ``(tag, main version, platform tags)``, so that
``record[1:]`` is an :class:`~imageref.ImageRef`'s ``tag_set``. It is a pure
function of the tag (the full input is only named in errors), memoised per tag.
"""

from __future__ import annotations

from ._grammar import TAG_SLUG
from ._memo import evict, table
from ._platform import NO_PLATFORM, PlatformTagSet, platform_tags
from .errors import InvalidImageTag, _show

__all__ = ["TagRecord", "read_tag", "tag_record"]

#: ``(tag, main version, platform tags)``: ``("3.6-py36", "3.6", PlatformTagSet(...))``.
TagRecord = tuple[str, str, PlatformTagSet]

# Records of valid tags, by tag text. Bounded (see imageref._memo).
_tag_cache: dict[str, TagRecord] = table()
_TAG_CACHE_LIMIT = 2048


def tag_record(tag: str, value: str) -> TagRecord:
    """Check *tag* and read it into a :data:`TagRecord`; *value* is named in errors.

    The tag is a slug (letters, digits, ``.``, ``_``, ``-``; first and last
    character a letter or digit). Its first ``-`` piece is the main version, any
    slug text; the rest are platform tags (:func:`~imageref._platform.platform_tags`).
    """
    found = _tag_cache.get(tag)
    if found is None:
        if TAG_SLUG.fullmatch(tag) is None:
            reason = (
                "empty tag"
                if not tag
                else "a tag is letters, digits, '.', '_' and '-', starting and ending"
                " with a letter or digit"
            )
            raise InvalidImageTag(_show(tag), _show(value), reason)
        found = read_tag(tag, value)
        if len(_tag_cache) >= _TAG_CACHE_LIMIT:
            evict(_tag_cache, _TAG_CACHE_LIMIT)
        _tag_cache[tag] = found
    return found


def read_tag(tag: str, value: str) -> TagRecord:
    """Read *tag* (not checked as a slug) into a :data:`TagRecord`; *value* is named in errors.

    Its first ``-`` piece is the main version, the rest its platform tags. Only
    :func:`tag_record` and Backend.AI 26.09's field-wise construction (which takes
    the tag as stored, see :mod:`imageref.compat.v2609`) call it.
    """
    main, dash, suffix = tag.partition("-")
    return (tag, main, platform_tags(suffix, value) if dash else NO_PLATFORM)
