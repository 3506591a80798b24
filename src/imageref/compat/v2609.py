"""Backend.AI 26.09's ``ai.backend.common.docker`` references (the parts without I/O).

Since 24.09 an image lives under a registry, a *project* and a name:

>>> from imageref.compat.v2609 import ImageRef
>>> ref = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9", "stable", "cr.backend.ai")
>>> ref.project, ref.name, ref.short
('stable', 'python', 'stable/python:3.9')

The string rules, tags, platform tags, order and aliases are the ones of
:mod:`imageref.compat.v2403`; what 26.09 changed is in
:mod:`imageref.compat._v2609_ref` (and ``docs/compatibility.md``).
"""

from __future__ import annotations

from ..errors import (
    ImageRefError,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    ProjectMismatchWithCanonical,
)
from ..image import (
    PlatformTagSet,
    arch_name_aliases,
    default_registry,
    default_repository,
    docker_api_arch_aliases,
)
from ._v2609_ref import ImageRef, ParsedImageStr

__all__ = [
    "ImageRef",
    "ImageRefError",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "ParsedImageStr",
    "PlatformTagSet",
    "ProjectMismatchWithCanonical",
    "arch_name_aliases",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
]
