"""Backend.AI 26.09's ``ai.backend.common.docker`` references (the parts without I/O).

Since 24.09 an image lives under a registry, a *project* and a name:

>>> from imageref.compat.v2609 import ImageRef
>>> ref = ImageRef.from_image_str("cr.backend.ai/stable/python:3.9", "stable", "cr.backend.ai")
>>> ref.project, ref.name, ref.short
('stable', 'python', 'stable/python:3.9')

and its labels have defaults and :class:`LabelName` keys:

>>> from imageref.compat.v2609 import LabelName, validate_image_labels
>>> validate_image_labels({})[LabelName.RUNTIME_TYPE]
'app'

The string rules, tags, platform tags, order, aliases and label checks are the
ones of :mod:`imageref.compat.v2403`; what 26.09 changed is in
:mod:`imageref.compat._v2609_ref` and :mod:`imageref.compat._v2609_labels` (and
``docs/compatibility.md``).
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
    ProjectMismatchWithCanonical,
)
from ..image import (
    PlatformTagSet,
    arch_name_aliases,
    default_registry,
    default_repository,
    docker_api_arch_aliases,
)
from ._v2609_bulk import parse_many, parse_tags
from ._v2609_labels import (
    DEFAULT_KERNEL_FEATURE,
    MAX_KERNELSPEC,
    MIN_KERNELSPEC,
    KernelFeatures,
    LabelName,
    LabelRule,
    ServicePortProtocols,
    common_image_label_schema,
    inference_image_label_schema,
    parse_service_ports,
    validate_image_labels,
)
from ._v2609_ref import ImageRef, ParsedImageStr

__all__ = [
    "DEFAULT_KERNEL_FEATURE",
    "MAX_KERNELSPEC",
    "MIN_KERNELSPEC",
    "ImageLabelError",
    "ImageRef",
    "ImageRefError",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "KernelFeatures",
    "LabelName",
    "LabelProblem",
    "LabelRule",
    "ParsedImageStr",
    "PlatformTagSet",
    "ProjectMismatchWithCanonical",
    "ServicePortProtocols",
    "arch_name_aliases",
    "common_image_label_schema",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "inference_image_label_schema",
    "parse_many",
    "parse_service_ports",
    "parse_tags",
    "validate_image_labels",
]
