"""pytest-benchmark: ``ImageRefParser.parse`` on a repeated reference, next to ``dict.get``;
the bulk readers on a repository's tags and on first sightings.

    python -m pytest benchmarks/bench_parser.py --benchmark-only

The memo hit is the whole cost of a repeated reference; ``dict.get`` on a dict that
holds it is the floor it is compared with (issue 5: within 2x).
"""

from __future__ import annotations

from typing import Any

from imageref import ImageRef, ImageRefParser

VALUE = "cr.backend.ai/stable/python:3.9-ubuntu20.04"


def test_parser_parse_repeated(benchmark: Any) -> None:
    parser = ImageRefParser(["cr.backend.ai"])
    first = parser.parse(VALUE)
    assert benchmark(parser.parse, VALUE) is first


def test_dict_get_floor(benchmark: Any) -> None:
    memo = {VALUE: ImageRef(VALUE, ["cr.backend.ai"])}
    benchmark(memo.get, VALUE)


def test_parser_parse_miss(benchmark: Any) -> None:
    parser = ImageRefParser(["cr.backend.ai"], cache_size=0)  # every call parses
    benchmark(parser.parse, VALUE)


def test_parser_parse_tags_of_a_repository(benchmark: Any) -> None:
    """A registry scan's unit: one repository's tags (each new for it), in bulk."""
    import workloads

    repository, tags = workloads.scan(2, 23)[1]
    parser = ImageRefParser(workloads.KNOWN)
    made = benchmark(parser.parse_tags, repository, tags)
    assert [ref.tag for ref in made if isinstance(ref, ImageRef)] == tags


def test_parser_parse_many_first_sightings(benchmark: Any) -> None:
    import workloads

    values = workloads.mixed_sightings(200, 22)
    parser = ImageRefParser(workloads.KNOWN)
    made = benchmark(parser.parse_many, values)
    assert all(isinstance(ref, ImageRef) for ref in made)
