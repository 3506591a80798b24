"""The inputs every benchmark uses, in one place, so pytest-benchmark and compare.py agree.

The five construction inputs and the alias input are the ones issue 5 quotes
backend.ai-common's timings for. Everything is built deterministically (fixed seeds).
"""

from __future__ import annotations

import random
from typing import Any

#: (reference, known_registries) pairs timed for construction.
CONSTRUCT_CASES: list[tuple[str, list[str] | None]] = [
    ("python:3.6-ubuntu", None),
    ("lablup/python-tensorflow:1.10-py36-ubuntu", None),
    ("cr.backend.ai/stable/python:3.9-ubuntu20.04", ["cr.backend.ai"]),
    ("127.0.0.1:5000/python:3.6-cuda9-ubuntu", None),
    ("[::1]:5000/python:3.6-cuda9-ubuntu", None),
]

#: Short labels for the construction inputs (tables and chart).
CONSTRUCT_LABELS = ["hub-short", "hub-project", "known-registry", "ipv4-port", "ipv6-port"]

#: The reference whose aliases are generated (162 aliases).
ALIAS_REF = "lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0"

#: The platform tags PlatformTagSet is built from.
PLATFORM_TAGS = ["py36", "ubuntu16.04", "cuda10.0"]


def distinct_variants(value: str, count: int, start: int = 0) -> list[str]:
    """*count* references like *value* whose tags all differ (``3.6`` -> ``3.6.N``).

    Used for the cold figures: no two share a tag, so no per-tag cache can help.
    """
    name, _, tag = value.rpartition(":")
    main, dash, rest = tag.partition("-")
    return [f"{name}:{main}.{i}{dash}{rest}" for i in range(start, start + count)]


def new_references(value: str, count: int, start: int = 0) -> list[str]:
    """*count* references shaped like *value* of which no two share any part.

    The name gets a number (``python`` becomes ``python7``), so does the main
    version (``3.6.7``) and every platform tag (``ubuntu7``, ``cuda97``), and an
    IP-literal registry gets a port of its own: a first sighting of every part,
    as when a list of unrelated images is parsed once. Used for the "new" figures.
    """
    head, _, tag = value.rpartition(":")
    first, slash, rest = head.partition("/")
    main, *platform = tag.split("-")
    out = []
    for i in range(start, start + count):
        registry = first
        if slash and first[:1] in "0123456789[":
            registry = f"{first.rpartition(':')[0]}:{1024 + i}"
        name = f"{registry}{slash}{rest}{i}" if slash else f"{first}{i}"
        out.append(":".join([name, "-".join([f"{main}.{i}", *(f"{p}{i}" for p in platform)])]))
    return out


def sort_tags(count: int = 1000, seed: int = 5) -> list[str]:
    """*count* distinct tags of one image, PEP 440 main versions, shuffled.

    Four platform variants per main version, so equal main versions (which fall
    through to the platform-tag comparison) happen too.
    """
    variants = [
        "py36-cuda9-ubuntu16.04",
        "py37-cuda10.0-ubuntu18.04",
        "py38-cuda11.3-ubuntu20.04",
        "py38-ubuntu20.04",
    ]
    mains = [f"{major}.{minor}" for major in range(1, 1000) for minor in range(10)]
    tags = [f"{main}-{variant}" for main in mains for variant in variants][:count]
    random.Random(seed).shuffle(tags)
    return tags


def sort_refs(count: int = 1000, seed: int = 5, name: str = "lablup/python") -> list[str]:
    """References of one name with :func:`sort_tags` tags."""
    return [f"{name}:{tag}" for tag in sort_tags(count, seed)]


def merge_refs() -> list[str]:
    """50 references of two images whose alias maps overlap within each image only."""
    tf = [
        f"lablup/python-tensorflow:{major}.{minor}-py3{minor % 3 + 6}-cuda{9 + minor % 2}"
        for major in (1, 2)
        for minor in range(12)
    ] + ["lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0"]
    py = [f"lablup/python:3.{minor}-ubuntu{18 + 2 * (minor % 3)}.04" for minor in range(6, 15)]
    py += [f"lablup/python:3.{minor}-alpine3.{minor}" for minor in range(6, 14)]
    py += [f"lablup/python:2.{minor}-debian{minor}" for minor in range(8)]
    refs = tf + py
    random.Random(7).shuffle(refs)
    assert len(refs) == 50, len(refs)
    return refs


def fold(merge: Any, alias_maps: list[Any]) -> Any:
    """Fold *merge* (``ImageRef.merge_aliases``) over *alias_maps*, left to right."""
    merged = alias_maps[0]
    for other in alias_maps[1:]:
        merged = merge(merged, other)
    return merged
