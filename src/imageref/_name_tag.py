"""The name and tag of an image string, split at its last ``:``: one rule, three callers.

Backend.AI 26.09 reads the name and tag of an image string with this rule once
the registry is chosen (:func:`imageref.compat._v2609_ref.parse_image_str`), and
both releases offer the split alone: 26.09's ``ImageRef.parse_image_tag(image_str,
*, using_default_repository=False)`` and ``ImageRef._parse_image_tag(s,
using_default_registry=False)`` on the ImageRef of 24.03 and of 26.09 (the
manager's registry scan calls it). Backend.AI 24.03's own reading of a whole
reference splits its tag in :func:`imageref._reference.parse_reference`, where a
registry's port is not a tag.
"""

from __future__ import annotations

from ._reference import default_repository, screen
from .errors import _name_error

__all__ = ["name_and_tag", "parse_image_tag", "parse_image_tag_positional", "screen_no_digest"]


def screen_no_digest(value: object) -> str:
    """*value* screened as a whole (:func:`imageref._reference.screen`), without a digest.

    What passes is *value* itself: there is no digest to split off.
    """
    text, digest = screen(value)
    if digest is not None:
        raise _name_error(
            str(value), "a Backend.AI 26.09 reference, or a name and tag, has no '@digest'"
        )
    return text


def name_and_tag(text: str, value: str, prefix: bool) -> tuple[str, str]:
    """``(name, tag)``: *text* split at its last ``:`` (none: ``latest``); *value* names errors.

    The name is not empty and has no trailing ``/`` (D2); with *prefix*, a name
    without ``/`` gets the default repository. The tag is not checked.
    """
    name, colon, tag = text.rpartition(":")
    if not colon:
        name, tag = tag, "latest"
    if not name:
        raise _name_error(value, "empty image name")
    if name[-1] == "/":
        raise _name_error(value, "empty path component")
    if prefix and "/" not in name:
        name = f"{default_repository}/{name}"
    return name, tag


def parse_image_tag(image_str: str, *, using_default_repository: bool = False) -> tuple[str, str]:
    """``(name, tag)`` of *image_str*: split at its last ``:``; the tag is not checked.

    >>> parse_image_tag("python:3.6"), parse_image_tag("python", using_default_repository=True)
    (('python', '3.6'), ('lablup/python', 'latest'))
    """
    text = screen_no_digest(image_str)
    return name_and_tag(text, text, using_default_repository)


def parse_image_tag_positional(s: str, using_default_registry: bool = False) -> tuple[str, str]:
    """:func:`parse_image_tag` under Backend.AI's older, private name and signature.

    Both releases' ``ImageRef._parse_image_tag(s, using_default_registry=False)``
    (the flag adds the default repository, as its name does not say).
    """
    return parse_image_tag(s, using_default_repository=using_default_registry)
