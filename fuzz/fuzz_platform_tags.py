#!/usr/bin/env python3
"""Fuzz ``PlatformTagSet``: tags split from the input on ``-`` either build a set
or raise ``InvalidImageTag``; a built set gives back every key and version,
rebuilds from its own items, and agrees with the tag set ``ImageRef`` makes.

    python fuzz/fuzz_platform_tags.py [libFuzzer flags] [CORPUS_DIR...]
"""

from __future__ import annotations

import pickle
import sys

import atheris

atheris.enabled_hooks.add("RegEx")
atheris.enabled_hooks.add("str")

with atheris.instrument_imports():
    from _common import shows, split_input

    import imageref
    from imageref import ImageRef, InvalidImageTag, PlatformTagSet


def test_one_input(data: bytes) -> None:
    selector, text = split_input(data)
    tags = text.split("-") if text else []
    value = f"python:1-{text}" if selector & 1 else None
    try:
        tag_set = PlatformTagSet(tags, value)
    except InvalidImageTag as exc:
        message = str(exc)
        assert message.startswith("Invalid or duplicate image name tag: "), message
        if value is not None:
            assert shows(value, message), message
        return
    items = list(tag_set.items())
    assert len(items) == len(tags) == len(tag_set)
    assert [k + v for k, v in items] == tags
    for key, version in items:
        assert key
        assert tag_set.has(key)
        assert tag_set.has(key, version)
        assert tag_set[key] == version
    assert tag_set == {k for k, _ in items}
    assert tag_set == dict(items)
    assert PlatformTagSet([k + v for k, v in items]) == tag_set
    assert list(pickle.loads(pickle.dumps(tag_set)).items()) == items
    if tags and "" not in tags:
        try:
            ref = ImageRef("python:1-" + text)
        except imageref.ImageRefError:
            # The tags are valid platform tags, so only the slug rule can refuse.
            assert not text[-1].isalnum() or not text.isascii() or not text.isprintable()
        else:
            assert list(ref.tag_set[1].items()) == items


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
