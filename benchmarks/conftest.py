"""Shared fixtures of the micro-benchmarks: the implementations and a cache clearer."""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from imageref import _memo


def clear_caches() -> None:
    """Empty every module-level cache of imageref (for the cold figures)."""
    _memo.clear_all()


def _import(module: str, attr: str) -> Any:
    try:
        with warnings.catch_warnings():  # a peer's import-time warnings are not ours
            warnings.simplefilter("ignore")
            found = importlib.import_module(module)
    except Exception as exc:  # any import failure: the peer is not available here
        pytest.skip(f"{module} not importable: {type(exc).__name__}: {exc}")
    obj: Any = found
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


#: Peer name -> (module, attribute) of the callable that turns a string into its answer.
PEERS = {
    "backend.ai-common": ("ai.backend.common.docker", "ImageRef"),
    "docker": ("docker.utils", "parse_repository_tag"),
    "oras": ("oras.container", "Container"),
    "docker-image-py": ("docker_image.reference", "Reference.parse_normalized_named"),
}


def peer(name: str) -> Callable[..., Any]:
    """The peer's parsing callable, or skip the benchmark when it is not installed."""
    module, attr = PEERS[name]
    return _import(module, attr)  # type: ignore[no-any-return]


def backend_ai() -> Any:
    """backend.ai-common's ``ai.backend.common.docker`` module, or skip."""
    _import("ai.backend.common.docker", "ImageRef")
    return importlib.import_module("ai.backend.common.docker")


@pytest.fixture
def cold() -> Iterator[Callable[[], None]]:
    """The cache clearer; also clears once after the benchmark, to leave no state."""
    yield clear_caches
    clear_caches()
