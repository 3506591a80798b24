"""The 26.09 workloads: :mod:`workloads`' corpora as ``(image_str, project, registry)`` triples.

Each reference of :func:`workloads.first_sightings` or :func:`workloads.rescan` is
given with the registry argument a manager would pass (``workloads.KNOWN[0]``) and
its project: the first path component below the registry, ``lablup`` for a
single-component Docker Hub name, none under an IP-literal registry.
"""

from __future__ import annotations

import workloads

__all__ = ["triples"]


def _project(value: str) -> str | None:
    path = value.rpartition(":")[0] if "/" not in value.rpartition(":")[2] else value
    first, slash, rest = path.partition("/")
    if not slash:
        return "lablup"
    if first[:1].isdigit() or first[:1] == "[":
        return None
    if first == workloads.KNOWN[0]:
        return rest.partition("/")[0]
    return first


def triples(kind: str, count: int = 20_000) -> list[tuple[str, str | None, str]]:
    """*count* triples of the ``first`` (first sightings) or ``rescan`` corpus."""
    corpus = workloads.first_sightings(count) if kind == "first" else workloads.rescan(count)
    return [(value, _project(value), workloads.KNOWN[0]) for value in corpus]
