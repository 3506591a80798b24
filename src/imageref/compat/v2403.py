"""Backend.AI 24.03's ``ai.backend.common.docker`` references, by name.

The same objects as ``import imageref`` gives (references and labels); import
them from here to say that the code follows 24.03:

>>> from imageref.compat.v2403 import ImageRef
>>> ImageRef("python:3.6-ubuntu18.04").canonical
'index.docker.io/lablup/python:3.6-ubuntu18.04'
"""

from __future__ import annotations

from ..errors import (
    ImageLabelError,
    ImageRefError,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    LabelProblem,
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
from ..labels import (
    MAX_KERNELSPEC,
    MIN_KERNELSPEC,
    ImageLabels,
    ServicePortProtocol,
    parse_service_ports,
    validate_image_labels,
)

__all__ = [
    "MAX_KERNELSPEC",
    "MIN_KERNELSPEC",
    "ImageLabelError",
    "ImageLabels",
    "ImageRef",
    "ImageRefError",
    "ImageRefParser",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "KnownRegistries",
    "LabelProblem",
    "PlatformTagSet",
    "ServicePortProtocol",
    "arch_name_aliases",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "is_known_registry",
    "parse_service_ports",
    "validate_image_labels",
]
