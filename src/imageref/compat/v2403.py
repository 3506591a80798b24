"""Backend.AI 24.03's ``ai.backend.common.docker`` references, by name.

The same objects as ``import imageref`` gives; import them from here to say that
the code follows 24.03:

>>> from imageref.compat.v2403 import ImageRef
>>> ImageRef("python:3.6-ubuntu18.04").canonical
'index.docker.io/lablup/python:3.6-ubuntu18.04'
"""

from __future__ import annotations

from ..errors import (
    ImageRefError,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
)
from ..image import (
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

__all__ = [
    "ImageRef",
    "ImageRefError",
    "ImageRefParser",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "KnownRegistries",
    "PlatformTagSet",
    "arch_name_aliases",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "is_known_registry",
]
