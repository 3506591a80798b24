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
    ImageLabelError,
    ImageRefError,
    ImageRefTypeError,
    IncomparableImages,
    InvalidImageName,
    InvalidImageTag,
    InvalidReference,
    LabelProblem,
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

# The OCI rules (imageref.oci) and the label rules (imageref.labels) load on first
# use: importing them here would add their patterns, enum and pathlib to every
# ``import imageref``, which most callers never need.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from .labels import (
        DEFAULT_ROLE,
        LABEL_ACCELERATORS,
        LABEL_BASE_DISTRO,
        LABEL_CUSTOMIZED_IMAGE_ID,
        LABEL_CUSTOMIZED_IMAGE_NAME,
        LABEL_CUSTOMIZED_IMAGE_OWNER,
        LABEL_CUSTOMIZED_IMAGE_USER_EMAIL,
        LABEL_ENDPOINT_PORTS,
        LABEL_ENVS_CORECOUNT,
        LABEL_FEATURES,
        LABEL_KERNELSPEC,
        LABEL_MODEL_FORMAT,
        LABEL_MODEL_PATH,
        LABEL_RESOURCE_MIN_PREFIX,
        LABEL_ROLE,
        LABEL_RUNTIME_PATH,
        LABEL_RUNTIME_TYPE,
        LABEL_SERVICE_PORTS,
        MAX_KERNELSPEC,
        MIN_KERNELSPEC,
        ROLES,
        ImageLabels,
        ServicePort,
        ServicePortProtocol,
        customized_image_name,
        parse_service_ports,
        validate_image_labels,
    )
    from .oci import Reference, RegistryTarget, parse_digest, registry_target

# What __getattr__ loads on first use. These sets, the imports above and __all__ name the
# same things; tests/test_namespace.py holds them in step with imageref.labels.__all__
# and imageref.oci.__all__.
_OCI_NAMES = frozenset({"Reference", "RegistryTarget", "parse_digest", "registry_target"})
_LABEL_NAMES = frozenset(
    {
        "DEFAULT_ROLE",
        "LABEL_ACCELERATORS",
        "LABEL_BASE_DISTRO",
        "LABEL_CUSTOMIZED_IMAGE_ID",
        "LABEL_CUSTOMIZED_IMAGE_NAME",
        "LABEL_CUSTOMIZED_IMAGE_OWNER",
        "LABEL_CUSTOMIZED_IMAGE_USER_EMAIL",
        "LABEL_ENDPOINT_PORTS",
        "LABEL_ENVS_CORECOUNT",
        "LABEL_FEATURES",
        "LABEL_KERNELSPEC",
        "LABEL_MODEL_FORMAT",
        "LABEL_MODEL_PATH",
        "LABEL_RESOURCE_MIN_PREFIX",
        "LABEL_ROLE",
        "LABEL_RUNTIME_PATH",
        "LABEL_RUNTIME_TYPE",
        "LABEL_SERVICE_PORTS",
        "MAX_KERNELSPEC",
        "MIN_KERNELSPEC",
        "ROLES",
        "ImageLabels",
        "ServicePort",
        "ServicePortProtocol",
        "customized_image_name",
        "parse_service_ports",
        "validate_image_labels",
    }
)

__version__ = "0.2.0"


def __getattr__(name: str) -> object:
    if name in _OCI_NAMES:
        from . import oci  # noqa: PLC0415 - deferred on purpose, see above

        return getattr(oci, name)
    if name in _LABEL_NAMES:
        from . import labels  # noqa: PLC0415 - deferred on purpose, see above

        return getattr(labels, name)
    raise AttributeError(f"module 'imageref' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_OCI_NAMES, *_LABEL_NAMES})


__all__ = [
    "DEFAULT_ROLE",
    "LABEL_ACCELERATORS",
    "LABEL_BASE_DISTRO",
    "LABEL_CUSTOMIZED_IMAGE_ID",
    "LABEL_CUSTOMIZED_IMAGE_NAME",
    "LABEL_CUSTOMIZED_IMAGE_OWNER",
    "LABEL_CUSTOMIZED_IMAGE_USER_EMAIL",
    "LABEL_ENDPOINT_PORTS",
    "LABEL_ENVS_CORECOUNT",
    "LABEL_FEATURES",
    "LABEL_KERNELSPEC",
    "LABEL_MODEL_FORMAT",
    "LABEL_MODEL_PATH",
    "LABEL_RESOURCE_MIN_PREFIX",
    "LABEL_ROLE",
    "LABEL_RUNTIME_PATH",
    "LABEL_RUNTIME_TYPE",
    "LABEL_SERVICE_PORTS",
    "MAX_KERNELSPEC",
    "MIN_KERNELSPEC",
    "ROLES",
    "ImageLabelError",
    "ImageLabels",
    "ImageRef",
    "ImageRefError",
    "ImageRefParser",
    "ImageRefTypeError",
    "IncomparableImages",
    "InvalidImageName",
    "InvalidImageTag",
    "InvalidReference",
    "KnownRegistries",
    "LabelProblem",
    "PlatformTagSet",
    "Reference",
    "RegistryTarget",
    "ServicePort",
    "ServicePortProtocol",
    "__version__",
    "arch_name_aliases",
    "customized_image_name",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "is_known_registry",
    "parse_digest",
    "parse_service_ports",
    "registry_target",
    "validate_image_labels",
]
