"""The order of two images of one name (Backend.AI's ``<``, with divergence D6).

Main versions compare as PEP 440 versions (:func:`imageref._pep440.order_bytes`,
bytes that sort as the versions do, so a comparison is one ``memcmp``). When the
main versions are equal as versions but spelled alike, the platform tags
decide (:func:`version_tie_less`): for each platform key of the left side, in
order, that the right side also has, where both versions are non-empty and differ
as versions, that decides; else the side with more platform tags is less.

What ordering derives from a :class:`~imageref._platform.PlatformTagSet` (its
versioned keys as a shared :class:`KeySequence` and their ranks) is computed
the first time it is compared and kept on the set, which every tag with the same
suffix shares.
"""

from __future__ import annotations

from ._key_sequence import KeySequence
from ._memo import remember, table
from ._pep440 import order_bytes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._key_sequence import Alignment
    from ._platform import PlatformTagSet
    from ._tags import TagRecord

__all__ = [
    "KeySequence",
    "alignment",
    "platform_order",
    "tag_less",
    "version_tie_less",
]


# Key sequences by their keys, so that tags with the same versioned platform keys in
# the same order share one KeySequence and version_tie_less can tell so by identity.
_key_sequence_cache: dict[tuple[str, ...], KeySequence] = table()
_KEY_SEQUENCE_CACHE_LIMIT = 1024
_ALIGNMENTS_LIMIT = 256


def platform_order(platform: PlatformTagSet) -> KeySequence:
    """*platform*'s versioned keys; fills in its ``_keys`` and ``_ranks`` the first time.

    ``_ranks`` is the order bytes of those keys' versions, in order, then minus the
    number of platform tags: for two sets with the same keys, comparing their ranks
    as tuples is the whole platform rule of :func:`version_tie_less`.
    """
    try:
        return platform._keys
    except AttributeError:
        pass
    order = {key: order_bytes(ver) for key, ver in platform._data.items() if ver}
    keys = tuple(order)
    sequence = _key_sequence_cache.get(keys)
    if sequence is None:
        sequence = remember(_key_sequence_cache, keys, KeySequence(keys), _KEY_SEQUENCE_CACHE_LIMIT)
    platform._ranks = (*order.values(), -len(platform._data))
    platform._keys = sequence
    return sequence


def alignment(mine: KeySequence, theirs: KeySequence) -> Alignment:
    """How to compare the platform versions of tags with key sequences *mine*, *theirs*.

    What matters are the keys both have, in *mine*'s order. The answer is ``()``
    when there is none; else the positions of the first such key in each side's
    ``_ranks``, and two getters that pick the versions of the others (so that
    the first pair that differs decides, as in a tuple comparison), or ``None``
    when there are no others. Remembered per pair of sequences.
    """
    found = mine.alignments.get(theirs)
    if found is not None:
        return found
    position = {key: index for index, key in enumerate(theirs.keys)}
    pairs = [(index, position[key]) for index, key in enumerate(mine.keys) if key in position]
    found = ()
    if len(pairs) == 1:
        found = (*pairs[0], None, None)
    elif pairs:
        from operator import itemgetter  # noqa: PLC0415 - rarely needed

        rest = pairs[1:]
        found = (
            *pairs[0],
            itemgetter(*[a for a, _ in rest]),
            itemgetter(*[b for _, b in rest]),
        )
    return remember(mine.alignments, theirs, found, _ALIGNMENTS_LIMIT)


def version_tie_less(record_a: TagRecord, record_b: TagRecord) -> bool:
    """Whether tag *record_a* sorts before *record_b*, their main versions being equal as versions.

    Different texts of one version (``1.0``, ``1.0.0``) are neither less. For the
    same text the platform tags decide: for each versioned key of *record_a*'s, in
    order, that *record_b*'s also has, the first pair of versions that differ
    decides; else the side with more platform tags is less. (One function, not
    two: ties are where sorting spends its time, and a call costs as much as the
    comparison.)
    """
    if record_a is record_b or record_a[1] != record_b[1]:
        return False
    platform_a = record_a[2]
    platform_b = record_b[2]
    if platform_a is platform_b:  # the same platform tags: neither is less
        return False
    try:  # filled in by platform_order the first time (a call saved on every later one)
        keys_a = platform_a._keys
    except AttributeError:
        keys_a = platform_order(platform_a)
    try:
        keys_b = platform_b._keys
    except AttributeError:
        keys_b = platform_order(platform_b)
    ranks_a = platform_a._ranks
    ranks_b = platform_b._ranks
    if keys_a is keys_b:  # the same keys in the same order: one tuple comparison
        return ranks_a < ranks_b
    align = keys_a.alignments.get(keys_b)
    if align is None:
        align = alignment(keys_a, keys_b)
    if align:
        first_a, first_b, pick_a, pick_b = align
        order_a: object = ranks_a[first_a]
        order_b: object = ranks_b[first_b]
        if order_a == order_b and pick_a is not None and pick_b is not None:
            order_a = pick_a(ranks_a)
            order_b = pick_b(ranks_b)
        if order_a != order_b:
            return order_a < order_b  # type: ignore[operator,no-any-return]
    return ranks_a[-1] < ranks_b[-1]  # type: ignore[operator]  # more platform tags


def tag_less(record_a: TagRecord, record_b: TagRecord) -> bool:
    """Whether tag *record_a* sorts before *record_b*: main versions first, then platform tags.

    (:class:`imageref.ImageRef` keeps each main version's order bytes on the ref
    and runs the same two steps inline.)
    """
    order_a = order_bytes(record_a[1])
    order_b = order_bytes(record_b[1])
    if order_a != order_b:
        return order_a < order_b
    return version_tie_less(record_a, record_b)
