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

The generators take a seed, so other corpora of the same shapes are one argument
away (``--seed`` in ``compare.py``).
"""

from __future__ import annotations

import random

__all__ = ["KNOWN", "catalogue", "first_sightings", "rescan"]

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
