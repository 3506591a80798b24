"""Backend.AI 26.09's image labels: the 24.03 checks under the 26.09 policy.

What 26.09 changed is one policy value (``_POLICY_2609``) that the shared code in
:mod:`imageref.labels` and :mod:`imageref._service_ports` takes: the labels an
image may leave out get defaults, the service ports may also use ``vnc`` and
``rdp``, and the result's keys for the schema labels are :class:`LabelName`
members. The rules themselves are not repeated here; the schemas below only
describe them, from the same tables.
"""

from __future__ import annotations

import enum

from .._service_ports import Protocols, read_service_ports
from .._value import ReadOnlyValue
from ..labels import (
    _INFERENCE_SCHEMA,
    _SCHEMA,
    DEFAULT_ROLE,
    LABEL_BASE_DISTRO,
    LABEL_FEATURES,
    LABEL_KERNELSPEC,
    LABEL_ROLE,
    LABEL_RUNTIME_PATH,
    LABEL_RUNTIME_TYPE,
    LABEL_SERVICE_PORTS,
    MAX_KERNELSPEC,
    MIN_KERNELSPEC,
    _LabelPolicy,
    validate_by_policy,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

__all__ = [
    "DEFAULT_KERNEL_FEATURE",
    "MAX_KERNELSPEC",
    "MIN_KERNELSPEC",
    "KernelFeatures",
    "LabelName",
    "LabelRule",
    "ServicePortProtocols",
    "common_image_label_schema",
    "inference_image_label_schema",
    "parse_service_ports",
    "validate_image_labels",
]


class _TextEnum(str, enum.Enum):
    """A ``str`` enum whose ``str()`` and ``format()`` give the value on every Python."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


class LabelName(_TextEnum):
    """The names of Backend.AI's image labels; each member equals its label text.

    >>> LabelName.KERNEL_SPEC == "ai.backend.kernelspec", str(LabelName.ROLE)
    (True, 'ai.backend.role')
    """

    # The common schema
    KERNEL_SPEC = "ai.backend.kernelspec"
    FEATURES = "ai.backend.features"
    BASE_DISTRO = "ai.backend.base-distro"
    RUNTIME_TYPE = "ai.backend.runtime-type"
    RUNTIME_PATH = "ai.backend.runtime-path"
    ROLE = "ai.backend.role"
    ENVS_CORECOUNT = "ai.backend.envs.corecount"
    ACCELERATORS = "ai.backend.accelerators"
    SERVICE_PORTS = "ai.backend.service-ports"
    BLOCK_SERVICE_PORTS = "ai.backend.internal.block-service-ports"
    # Identification of a running container
    AGENT_ID = "ai.backend.agent-id"
    KERNEL_ID = "ai.backend.kernel-id"
    SESSION_ID = "ai.backend.session-id"
    OWNER_AGENT = "ai.backend.owner"
    # The inference schema
    ENDPOINT_PORTS = "ai.backend.endpoint-ports"
    MODEL_PATH = "ai.backend.model-path"
    MODEL_FORMAT = "ai.backend.model-format"
    # Customized images
    CUSTOMIZED_OWNER = "ai.backend.customized-image.owner"
    CUSTOMIZED_NAME = "ai.backend.customized-image.name"
    CUSTOMIZED_ID = "ai.backend.customized-image.id"
    CUSTOMIZED_USER_EMAIL = "ai.backend.customized-image.user.email"
    # Ownership
    OWNER_USER = "ai.backend.owner-user-id"
    OWNER_PROJECT = "ai.backend.owner-project-id"


class KernelFeatures(_TextEnum):
    """The feature words Backend.AI knows in ``ai.backend.features``.

    A plain ``str`` enum: ``KernelFeatures.BATCH_MODE == "batch"``. The reference's
    set-like operators (``|``, ``&``, ``^`` between members) are not provided; use
    sets of members or of their text.
    """

    UID_MATCH = "uid-match"
    USER_INPUT = "user-input"
    BATCH_MODE = "batch"
    QUERY_MODE = "query"
    TTY_MODE = "tty"
    OPERATION = "operation"
    PRIVATE = "private"


#: The feature an image has when it does not list its features.
DEFAULT_KERNEL_FEATURE = KernelFeatures.UID_MATCH.value


class ServicePortProtocols(_TextEnum):
    """The protocols of Backend.AI 26.09's service ports (``internal`` is not allowed
    in a label)."""

    HTTP = "http"
    TCP = "tcp"
    PREOPEN = "preopen"
    INTERNAL = "internal"
    VNC = "vnc"
    RDP = "rdp"


_PROTOCOLS_2609 = Protocols(
    member for member in ServicePortProtocols if member is not ServicePortProtocols.INTERNAL
)

#: 26.09: every label the 24.03 schema requires has a default; vnc and rdp ports;
#: LabelName keys.
_POLICY_2609 = _LabelPolicy(
    {
        LABEL_KERNELSPEC: str(MIN_KERNELSPEC),
        LABEL_FEATURES: DEFAULT_KERNEL_FEATURE,
        LABEL_BASE_DISTRO: None,
        LABEL_RUNTIME_TYPE: "app",
        LABEL_RUNTIME_PATH: "/bin/true",
        LABEL_ROLE: DEFAULT_ROLE,
    },
    _PROTOCOLS_2609,
    LabelName,
)


def validate_image_labels(labels: Mapping[str, str]) -> dict[str, Any]:
    """Check an image's labels by Backend.AI 26.09's rules; the labels, converted.

    As :func:`imageref.validate_image_labels`, except that the labels 24.03
    requires have defaults, service ports may use ``vnc`` and ``rdp``, and the
    checked common labels are keyed by :class:`LabelName` members:

    >>> labels = validate_image_labels({"ai.backend.service-ports": "desktop:vnc:5900"})
    >>> labels[LabelName.FEATURES], labels["ai.backend.runtime-path"]
    (['uid-match'], PurePosixPath('/bin/true'))
    >>> [type(key).__name__ for key in labels][:2]
    ['LabelName', 'LabelName']
    """
    return validate_by_policy(labels, _POLICY_2609)


def parse_service_ports(
    service_ports_label: str | Sequence[str],
    endpoint_ports_label: str | Sequence[str],
    exception_cls: type[Exception] = ValueError,
) -> list[dict[str, Any]]:
    """:func:`imageref.parse_service_ports` with 26.09's protocols (also ``vnc``, ``rdp``).

    >>> [port["protocol"] for port in parse_service_ports("a:vnc:5900,b:rdp:3389", "")]
    [<ServicePortProtocols.VNC: 'vnc'>, <ServicePortProtocols.RDP: 'rdp'>]
    """
    return read_service_ports(
        service_ports_label, endpoint_ports_label, exception_cls, _PROTOCOLS_2609
    )


# ---------------------------------------------------------------------------
# The schemas, described
# ---------------------------------------------------------------------------


class LabelRule(ReadOnlyValue):
    """How one label is checked, described: a row of a label schema.

    ``label`` (a :class:`LabelName`), ``when_absent`` (``"required"``, ``"left
    out"`` or the value the result then holds, as its ``repr``) and ``check`` (what a
    given value must be, and what it becomes).
    """

    __slots__ = ("check", "label", "when_absent")

    label: LabelName
    when_absent: str
    check: str

    def __init__(self, label: LabelName, when_absent: str, check: str) -> None:
        set_ = object.__setattr__
        set_(self, "label", label)
        set_(self, "when_absent", when_absent)
        set_(self, "check", check)

    def _fields(self) -> tuple[str, str, str]:
        return (self.label, self.when_absent, self.check)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LabelRule, self._fields())

    def __repr__(self) -> str:
        return f"LabelRule({self.label.value!r}, {self.when_absent!r}, {self.check!r})"


def _checks(rule: Callable[[str], object]) -> str:
    """The one-line rule that *rule*'s docstring states, as plain text."""
    line = (rule.__doc__ or "").strip().splitlines()[0].replace("``", "")
    return line.replace("; remembered.", ".")


def _when_absent(label: str, rule: Callable[[str], object], required: bool) -> str:
    if label in _POLICY_2609.defaults:
        default = _POLICY_2609.defaults[label]
        return repr(None if default is None else rule(default))
    return "required" if required else "left out"


#: The labels every image is checked for, in the order the result lists them.
common_image_label_schema: tuple[LabelRule, ...] = (
    *(
        LabelRule(LabelName(label), _when_absent(label, rule, required), _checks(rule))
        for label, rule, required in _SCHEMA
    ),
    LabelRule(
        LabelName(LABEL_SERVICE_PORTS),
        "left out",
        "Entries NAME:PROTOCOL:PORTS joined by ','; the protocol one of "
        f"{_PROTOCOLS_2609.described} (pty entries skipped); see parse_service_ports.",
    ),
)

#: The labels an image whose role is INFERENCE must also have.
inference_image_label_schema: tuple[LabelRule, ...] = tuple(
    LabelRule(LabelName(label), "required", _checks(rule)) for label, rule in _INFERENCE_SCHEMA
)
