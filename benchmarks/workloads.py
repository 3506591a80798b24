"""Real-workload corpora: a registry rescan and a list of first sightings (fixed seeds).

Both are about 20,000 references of the shapes a catalogue has: Docker Hub names
with and without a project, a configured registry (``KNOWN``), IPv4 and IPv6
registries with ports, tags of a main version and zero to three platform tags.

- :func:`rescan`: about 400 repositories, each listed with its tags; a tag is new
  for its repository but the same tags recur across repositories (as the tags of
  one registry do), so the parts repeat while the references do not.
- :func:`first_sightings`: no two references share a registry/name, a tag or a
  platform suffix (the text after the tag's first ``-``): every part is new.
- :func:`catalogue`: the first *count* references of a first-sighting corpus, for
  passes over catalogues of several sizes (the no-cliff check).

The shapes of issue 18 (a registry scan's references, one shape at a time):

- :func:`shape_sightings`: first sightings of one shape (:data:`SHAPES`): a configured
  registry ``registry/project/name:tag`` (the common case), Docker Hub
  ``project/name:tag``, an IPv4 registry with a port, a bracketed IPv6 registry with
  a port;
- :func:`mixed_sightings`: first sightings with a configured registry for half the
  references and the other shapes sharing the rest;
- :func:`scan`: a registry scan as a scanner meets it: *repositories* repositories
  (half on a configured registry) each listed with its tags, every tag new for its
  repository (a main version of its own) while the platform suffixes come from a
  shared pool; :func:`rescan_new` is the same references, flattened and shuffled.

The generators take a seed, so other corpora of the same shapes are one argument
away (``--seed`` in ``compare.py``).
"""

from __future__ import annotations

import random

__all__ = [
    "KNOWN",
    "SHAPES",
    "catalogue",
    "first_sightings",
    "mixed_sightings",
    "rescan",
    "rescan_new",
    "scan",
    "shape_sightings",
]

#: The registry list every workload is parsed with.
KNOWN = ["cr.backend.ai"]

_WORDS = [
    "python",
    "tensorflow",
    "pytorch",
    "julia",
    "r-base",
    "ngc-pytorch",
    "cuda-base",
    "jupyter",
    "triton",
    "vllm",
    "sklearn",
    "rapids",
]
_PLATFORM_KEYS = ["py", "cuda", "ubuntu", "cudnn", "alpine", "rocm", "debian", "gcc"]
_PLATFORM_VERSIONS = ["3", "36", "38", "311", "9", "10.0", "11.3", "12.1", "20.04", "3.18", "8"]


def _registry(rnd: random.Random, i: int) -> str:
    """A registry prefix (with its trailing ``/``, or none), port unique per *i*."""
    kind = rnd.randrange(6)
    if kind == 0:
        return ""
    if kind == 1:
        return "lablup/"
    if kind == 2:
        return "cr.backend.ai/stable/"
    if kind == 3:
        return f"cr.backend.ai/team{rnd.randrange(100)}/"
    if kind == 4:
        return f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.7:{1024 + i % 60000}/"
    return f"[fd00::{rnd.randrange(65536):x}]:{1024 + i % 60000}/"


def _tag(rnd: random.Random, unique: str) -> str:
    """A tag whose main version and every platform tag carry *unique* ("" for none)."""
    main = f"{rnd.randrange(1, 30)}.{rnd.randrange(20)}{'.' + unique if unique else ''}"
    keys = rnd.sample(_PLATFORM_KEYS, rnd.randrange(4))
    tags = [f"{key}{rnd.choice(_PLATFORM_VERSIONS)}{unique}" for key in keys]
    return "-".join([main, *tags])


def first_sightings(count: int = 20_000, seed: int = 11) -> list[str]:
    """*count* references of which no two share a registry/name, a tag or a suffix."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        name = f"{rnd.choice(_WORDS)}{i}"
        tag = _tag(rnd, str(i))
        if "-" not in tag:  # a suffix of its own for every reference
            tag += f"-build{i}"
        out.append(f"{_registry(rnd, i)}{name}:{tag}")
    return out


def rescan(count: int = 20_000, seed: int = 12, repositories: int = 400) -> list[str]:
    """*count* references: *repositories* repositories, each with distinct tags of a shared pool."""
    rnd = random.Random(seed)
    repos = [f"{_registry(rnd, i)}{rnd.choice(_WORDS)}{i}" for i in range(repositories)]
    per_repo = -(-count // repositories)
    pool = sorted({_tag(rnd, "") for _ in range(per_repo * 4)})
    out = []
    for repo in repos:
        out += [f"{repo}:{tag}" for tag in rnd.sample(pool, min(per_repo, len(pool)))]
    rnd.shuffle(out)
    return out[:count]


def catalogue(count: int, seed: int = 13) -> list[str]:
    """A first-sighting catalogue of *count* references (for repeated passes)."""
    return first_sightings(count, seed)


#: The shapes of :func:`shape_sightings`, the common one first.
SHAPES = ("known", "hub", "ipv4", "ipv6")


def _shaped(shape: str, rnd: random.Random, i: int) -> str:
    """A registry and project prefix of *shape* (with its trailing ``/``), unique per *i*."""
    if shape == "known":
        return f"cr.backend.ai/{rnd.choice(['stable', 'testing', 'team'])}{i}/"
    if shape == "hub":
        return f"{rnd.choice(['lablup', 'nvidia', 'library'])}{i}/"
    if shape == "ipv4":
        return f"10.{i % 256}.{i // 256 % 256}.{1 + rnd.randrange(254)}:{1024 + i % 60000}/"
    if shape == "ipv6":
        return f"[fd00::{i % 65536:x}:{rnd.randrange(65536):x}]:{1024 + i % 60000}/"
    raise ValueError(shape)


def shape_sightings(shape: str, count: int = 20_000, seed: int = 21) -> list[str]:
    """*count* references of one *shape* (:data:`SHAPES`) sharing no part."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        tag = _tag(rnd, str(i))
        if "-" not in tag:
            tag += f"-build{i}"
        out.append(f"{_shaped(shape, rnd, i)}{rnd.choice(_WORDS)}{i}:{tag}")
    return out


def mixed_sightings(count: int = 20_000, seed: int = 22) -> list[str]:
    """First sightings, half on a configured registry, the other shapes sharing the rest."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        shape = "known" if i % 2 else SHAPES[1 + rnd.randrange(3)]
        tag = _tag(rnd, str(i))
        if "-" not in tag:
            tag += f"-build{i}"
        out.append(f"{_shaped(shape, rnd, i)}{rnd.choice(_WORDS)}{i}:{tag}")
    return out


def scan(repositories: int = 300, seed: int = 23, tags: int = 60) -> list[tuple[str, list[str]]]:
    """``(repository, tags)`` pairs: each tag new for its repository, suffixes shared."""
    rnd = random.Random(seed)
    suffixes = sorted({_tag(rnd, "").partition("-")[2] for _ in range(200)})
    out = []
    for r in range(repositories):
        shape = "known" if r % 2 else SHAPES[1 + rnd.randrange(3)]
        repository = f"{_shaped(shape, rnd, r)}{rnd.choice(_WORDS)}{r}"
        listed = []
        for t in range(rnd.randrange(tags // 2, tags * 3 // 2)):
            suffix = rnd.choice(suffixes)
            main = f"{rnd.randrange(1, 30)}.{t}.{r}"
            listed.append(f"{main}-{suffix}" if suffix else main)
        out.append((repository, listed))
    return out


def rescan_new(count: int = 20_000, seed: int = 23) -> list[str]:
    """The references of :func:`scan` (about *count* of them), flattened and shuffled."""
    pairs = scan(max(count // 60, 1), seed)
    out = [f"{repository}:{tag}" for repository, tags in pairs for tag in tags]
    random.Random(seed).shuffle(out)
    return out[:count]
