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

# The OCI rules (imageref.oci) load on first use: importing them here would add
# their patterns to every ``import imageref``, which most callers never need.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from .oci import Reference, RegistryTarget, parse_digest, registry_target

_OCI_NAMES = frozenset({"Reference", "RegistryTarget", "parse_digest", "registry_target"})

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    if name in _OCI_NAMES:
        from . import oci  # noqa: PLC0415 - deferred on purpose, see above

        return getattr(oci, name)
    raise AttributeError(f"module 'imageref' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_OCI_NAMES})


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
    "Reference",
    "RegistryTarget",
    "__version__",
    "arch_name_aliases",
    "default_registry",
    "default_repository",
    "docker_api_arch_aliases",
    "is_known_registry",
    "parse_digest",
    "registry_target",
]
