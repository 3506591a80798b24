"""imageref: exact, strict, typed and fast container image references.

A dependency-free drop-in for Backend.AI 24.03's ``ai.backend.common.docker``
``ImageRef`` and ``PlatformTagSet``:

>>> from imageref import ImageRef
>>> ref = ImageRef("python:3.6-ubuntu18.04")
>>> ref.canonical, ref.tag_set[0], dict(ref.tag_set[1])
('index.docker.io/lablup/python:3.6-ubuntu18.04', '3.6', {'ubuntu': '18.04'})
"""

from __future__ import annotations

from .errors import (
    ImageRefError,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    InvalidReference,
)
from .image import (
    ImageRef,
    ImageRefParser,
    KnownRegistries,
    PlatformTagSet,
    arch_name_aliases,
    default_registry,
    default_repository,
    docker_api_arch_aliases,
    is_known_registry,
)

__version__ = "0.1.0"

__all__ = [
    "ImageRef",
    "ImageRefError",
    "ImageRefParser",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "InvalidReference",
    "KnownRegistries",
    "PlatformTagSet",
    "__version__",
    "arch_name_aliases",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "is_known_registry",
]
