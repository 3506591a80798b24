"""Backend.AI image labels: ``validate_image_labels``, service ports, and a typed value.

A drop-in for ``validate_image_labels`` and ``parse_service_ports`` of Backend.AI
24.03 (``ai.backend.common.docker``), without ``trafaret``, plus
:class:`ImageLabels`, the checked labels as a typed, immutable value:

>>> labels = {
...     "ai.backend.kernelspec": "1",
...     "ai.backend.features": "batch query uid-match",
...     "ai.backend.base-distro": "ubuntu22.04",
...     "ai.backend.runtime-type": "python",
...     "ai.backend.runtime-path": "/usr/bin/python3",
...     "ai.backend.service-ports": "jupyter:http:8080,multi:tcp:[5100,5105]",
... }
>>> validate_image_labels(labels)["ai.backend.service-ports"]
['jupyter:http:8080', 'multi:tcp:[5100,5105]']
>>> image = ImageLabels.from_labels(labels)
>>> image.kernelspec, image.role, [port.name for port in image.service_ports]
(1, 'COMPUTE', ['jupyter', 'multi'])

Each rule is one function below (``_kernelspec``, ``_features``, ...); ``_read``
applies them all and collects every problem (divergence D14). The service-ports
grammar lives in :mod:`imageref._service_ports`. docs/labels.md describes every
label and every divergence from the reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice
from pathlib import PurePosixPath

from ._memo import LONGEST_REMEMBERED, Table
from ._service_ports import (
    LABEL_SERVICE_PORTS,
    PROTOCOLS_2403,
    CheckedEntries,
    Protocols,
    ServicePort,
    ServicePortProtocol,
    check_entries,
    entry_problems,
    parse_service_ports,
)
from ._value import ReadOnlyValue
from .errors import (
    SHOWN_PER_KIND,
    ImageLabelError,
    LabelProblem,
    _shown,
    _shown_bare,
    _shown_object,
    _summary,
    _Tally,
    _type_error,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

    from typing_extensions import Self

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
    "LabelProblem",
    "ServicePort",
    "ServicePortProtocol",
    "customized_image_name",
    "parse_service_ports",
    "validate_image_labels",
]

MIN_KERNELSPEC = 1
MAX_KERNELSPEC = 1

LABEL_KERNELSPEC = "ai.backend.kernelspec"
LABEL_FEATURES = "ai.backend.features"
LABEL_BASE_DISTRO = "ai.backend.base-distro"
LABEL_RUNTIME_TYPE = "ai.backend.runtime-type"
LABEL_RUNTIME_PATH = "ai.backend.runtime-path"
LABEL_ROLE = "ai.backend.role"
LABEL_ENVS_CORECOUNT = "ai.backend.envs.corecount"
LABEL_ACCELERATORS = "ai.backend.accelerators"
LABEL_ENDPOINT_PORTS = "ai.backend.endpoint-ports"
LABEL_MODEL_PATH = "ai.backend.model-path"
LABEL_MODEL_FORMAT = "ai.backend.model-format"
#: ``ai.backend.resource.min.<slot>``: the minimum of a resource slot (``cpu``, ``mem``, ...).
LABEL_RESOURCE_MIN_PREFIX = "ai.backend.resource.min."
LABEL_CUSTOMIZED_IMAGE_OWNER = "ai.backend.customized-image.owner"
LABEL_CUSTOMIZED_IMAGE_NAME = "ai.backend.customized-image.name"
LABEL_CUSTOMIZED_IMAGE_ID = "ai.backend.customized-image.id"
LABEL_CUSTOMIZED_IMAGE_USER_EMAIL = "ai.backend.customized-image.user.email"

#: The values ``ai.backend.role`` may take, and the one it gets when absent.
ROLES = ("COMPUTE", "INFERENCE", "SYSTEM")
DEFAULT_ROLE = "COMPUTE"
_INFERENCE = "INFERENCE"

_MappingProxyType = type(type.__dict__)  # types.MappingProxyType


class _Refused(Exception):
    """A rule refused a label's value; ``args[0]`` says why (never leaves this module)."""


# ---------------------------------------------------------------------------
# One function per rule: the converted value, or _Refused(reason)
# ---------------------------------------------------------------------------

# int() refuses text of more than this many digits (CPython's default limit); the
# limit is applied here whatever the interpreter's setting, so no long text is converted.
_MAX_INT_DIGITS = 4300

# The words of trafaret (the reference's checker) for a value it cannot convert to an
# int, for a blank string, and for a value outside a set of choices; a problem's reason
# starts with them, then says the rule in imageref's words.
_NOT_INT = "value can't be converted to int"
_BLANK = "blank value is not allowed"
_NO_VARIANT = "value doesn't match any variant"


def _kernelspec(text: str) -> int:
    """An integer by ``int()``'s rules for text, between MIN_KERNELSPEC and MAX_KERNELSPEC."""
    if len(text) > _MAX_INT_DIGITS:  # shorter text cannot have too many digits
        core = text.strip()
        digits = len(core) - core.count("_") - (core[:1] in ("+", "-"))
        if digits > _MAX_INT_DIGITS:
            raise _Refused(f"{_NOT_INT} (more than {_MAX_INT_DIGITS} digits)")
    try:
        value = int(text)
    except ValueError:
        raise _Refused(f"{_NOT_INT} (not an integer)") from None
    if not MIN_KERNELSPEC <= value <= MAX_KERNELSPEC:
        # trafaret's words (the reference's checker), then the range
        side = (
            f"greater than {MAX_KERNELSPEC}"
            if value > MAX_KERNELSPEC
            else f"less than {MIN_KERNELSPEC}"
        )
        raise _Refused(f"value is {side} (must be between {MIN_KERNELSPEC} and {MAX_KERNELSPEC})")
    return value


def _features(text: str) -> list[str]:
    """Words separated by single spaces, none empty."""
    words = text.split(" ")
    if "" in words:
        raise _Refused("an empty feature: features are words separated by single spaces")
    return words


def _non_empty(text: str) -> str:
    """Any text but the empty one."""
    if not text:
        raise _Refused(f"{_BLANK} (must not be empty)")
    return text


_PATHS_LIMIT = 256
#: The ``PurePosixPath`` of path texts (see imageref._memo.Table).
_paths = Table(_PATHS_LIMIT, longest=LONGEST_REMEMBERED)
_path_table = _paths.entries


def _path(text: str) -> PurePosixPath:
    """Any text, as a ``PurePosixPath`` (``""`` is ``PurePosixPath('.')``); memoised."""
    found: PurePosixPath | None = _path_table.get(text)
    if found is not None:
        _paths.hits += 1
        return found
    return _paths.offer(text, PurePosixPath(text))


def _role(text: str) -> str:
    """Exactly COMPUTE, INFERENCE or SYSTEM."""
    if text not in ROLES:
        raise _Refused(f"{_NO_VARIANT} (must be COMPUTE, INFERENCE or SYSTEM, upper case)")
    return text


def _comma_list(text: str) -> list[str]:
    """Items separated by ``,``; empty items allowed (``""`` is ``[""]``)."""
    return text.split(",")


def _endpoint_list(text: str) -> list[str]:
    """Items separated by ``,``; none empty."""
    items = text.split(",")
    if "" in items:
        raise _Refused("an empty endpoint port: names are separated by single ','")
    return items


# The checked labels in the order the result dict lists them: (label, rule, required).
_SCHEMA: tuple[tuple[str, Callable[[str], Any], bool], ...] = (
    (LABEL_KERNELSPEC, _kernelspec, True),
    (LABEL_FEATURES, _features, True),
    (LABEL_BASE_DISTRO, _non_empty, True),
    (LABEL_RUNTIME_TYPE, _non_empty, True),
    (LABEL_RUNTIME_PATH, _path, True),
    (LABEL_ROLE, _role, False),
    (LABEL_ENVS_CORECOUNT, _comma_list, False),
    (LABEL_ACCELERATORS, _comma_list, False),
)
# The labels an INFERENCE image must also have, each converted in place.
_INFERENCE_SCHEMA: tuple[tuple[str, Callable[[str], Any]], ...] = (
    (LABEL_ENDPOINT_PORTS, _endpoint_list),
    (LABEL_MODEL_PATH, _path),
    (LABEL_MODEL_FORMAT, _non_empty),
)
_SCHEMA_LABELS = frozenset({label for label, _, _ in _SCHEMA} | {LABEL_SERVICE_PORTS})
_INFERENCE_LABELS = frozenset(label for label, _ in _INFERENCE_SCHEMA)


# How _read treats a schema label an image leaves out, when the policy gives it no
# default: a problem, or nothing (the result then lacks it).
_REQUIRED = object()
_LEFT_OUT = object()


class _LabelPolicy:
    """What a Backend.AI release decides about the labels; the rules are the same.

    ``defaults``: the schema labels that an image may leave out, each with the text
    it then counts as having (converted by the label's rule), or None for a ``None``
    value; a required label (the third column of ``_SCHEMA``) left out, without a
    default, is a problem. ``protocols``: the service-port protocols allowed.
    ``keys``: the key of each schema label in the result (``key(label)``: ``str``
    for 24.03, an enum member equal to the text for 26.09); ``schema``: the rows of
    ``_SCHEMA`` as ``_read`` uses them, ``(label, key, rule, when absent)`` where
    *when absent* is the default text (or None), ``_REQUIRED`` or ``_LEFT_OUT``, so
    that reading a label set looks nothing up but the labels; ``template``: the keys
    of the checked labels in the order the result lists them (values None).
    """

    __slots__ = ("defaults", "keys", "protocols", "schema", "service_ports_key", "template")

    def __init__(
        self,
        defaults: Mapping[str, str | None],
        protocols: Protocols,
        key: Callable[[str], str] = str,
    ) -> None:
        self.defaults = dict(defaults)
        self.protocols = protocols
        self.keys = {label: key(label) for label in _SCHEMA_LABELS}
        self.service_ports_key = self.keys[LABEL_SERVICE_PORTS]
        self.schema = tuple(
            (
                label,
                self.keys[label],
                rule,
                self.defaults.get(label, _REQUIRED if required else _LEFT_OUT),
            )
            for label, rule, required in _SCHEMA
        )
        self.template = dict.fromkeys([row[1] for row in self.schema] + [self.service_ports_key])


#: Backend.AI 24.03: the role defaults to COMPUTE; tcp, http and preopen; ``str`` keys.
_POLICY_2403 = _LabelPolicy({LABEL_ROLE: DEFAULT_ROLE}, PROTOCOLS_2403)


# ---------------------------------------------------------------------------
# Reading a whole label set
# ---------------------------------------------------------------------------


def _check_keys(labels: object) -> Mapping[str, object]:
    """*labels* if it is a mapping whose keys are ``str``; else the type error.

    Its values are checked with the rules (:func:`_str_problems`), so a value that
    is not a ``str`` is reported with every other problem.
    """
    if type(labels) is not dict and not isinstance(labels, Mapping):  # dict: the usual, fast
        raise _type_error("image labels", "a mapping of label names to str values", labels)
    try:
        "".join(labels)  # a TypeError unless every name is a str: one pass in C
    except TypeError:
        for key in labels:
            if not isinstance(key, str):
                raise _type_error("a label name", "a str", key) from None
    return labels


def _not_a_str(label: str, value: object) -> LabelProblem:
    return LabelProblem(label, _shown_object(value), f"expected a str, got {type(value).__name__}")


def _not_str(labels: Mapping[str, object]) -> dict[str, object]:
    """The labels whose value is not a ``str``, with their values."""
    return {label: value for label, value in labels.items() if not isinstance(value, str)}


# The kind of problem (see imageref.errors._Tally) of the labels, other than the
# schema's, whose value is not a str: one kind across labels, as each has one value.
_NOT_STR_LABELS = "labels whose value is not a str, from this one on"


def _not_str_problems(not_str: dict[str, object]) -> list[LabelProblem]:
    """A problem for each of the first :data:`SHOWN_PER_KIND` labels of *not_str*, then
    one that counts the rest (named by the first label it counts)."""
    items = iter(not_str.items())
    problems = [_not_a_str(label, value) for label, value in islice(items, SHOWN_PER_KIND)]
    rest = next(items, None)
    if rest is not None:
        problems.append(_summary(rest[0], len(not_str) - SHOWN_PER_KIND, _NOT_STR_LABELS))
    return problems


def _refused(label: str, text: str | None, reason: str) -> LabelProblem:
    return LabelProblem(label, None if text is None else _shown(text), reason)


# The kinds of problem (see imageref.errors._Tally) of the endpoint ports.
_UNDEFINED = "endpoint ports that name no service port"
_NOT_PREOPEN = "endpoint ports whose service port is not preopen"


def _check_endpoints(
    result: dict[str, Any], service_ports: CheckedEntries | None, problems: list[LabelProblem]
) -> None:
    """Each endpoint port of an INFERENCE image names a ``preopen`` service port."""
    endpoints = result.get(LABEL_ENDPOINT_PORTS)
    if not isinstance(endpoints, list):
        return  # missing or refused: already a problem
    tally = _Tally()  # bounds the report: a few problems of each kind, then a count
    for name in endpoints:
        protocol = None if service_ports is None else service_ports.protocol_of(name)
        if protocol is None:
            kind = _UNDEFINED
        elif protocol != ServicePortProtocol.PREOPEN.value:
            kind = _NOT_PREOPEN
        else:
            continue
        if not tally.listed(kind):
            continue
        # The reference's sentences, then (for the protocol) imageref's detail.
        if kind is _UNDEFINED:
            why = f"{LABEL_ENDPOINT_PORTS} contains an undefined service port: {_shown_bare(name)}"
        else:
            why = (
                f"The endpoint-port {_shown_bare(name)} must be a preopen service-port."
                f" (its protocol is {protocol})"
            )
        problems.append(_refused(LABEL_ENDPOINT_PORTS, name, why))
    problems += tally.summaries(LABEL_ENDPOINT_PORTS)


_NONE_NOT_STR: dict[str, object] = {}  # read only: _read pops only labels it holds


def _read(
    labels: Mapping[str, object], policy: _LabelPolicy = _POLICY_2403
) -> tuple[dict[str, Any], list[LabelProblem], CheckedEntries | None]:
    """Apply every rule to *labels* (keys already checked) by a release's *policy*:
    the validated dict, every problem found, and the checked service ports."""
    texts: Mapping[str, str]
    try:
        "".join(labels.values())  # type: ignore[arg-type]  # a TypeError unless all are str
    except TypeError:
        not_str = _not_str(labels)
        texts = {label: value for label, value in labels.items() if isinstance(value, str)}
    else:  # the usual case, found in one pass in C
        not_str = _NONE_NOT_STR
        texts = labels  # type: ignore[assignment]  # every value is a str
    # The checked labels first (in schema order, keyed by the policy: the template),
    # then the others as given (a key equal to a checked one keeps the policy's key);
    # each checked label's text is then replaced by its value, or removed if absent.
    result: dict[str, Any] = policy.template.copy()
    result.update(texts)
    problems: list[LabelProblem] = []
    for label, key, rule, absent in policy.schema:
        text = texts.get(label)
        if text is not None:
            try:
                result[key] = rule(text)
            except _Refused as refused:
                problems.append(_refused(label, text, refused.args[0]))
        elif label in not_str:
            problems.append(_not_a_str(label, not_str.pop(label)))
        elif absent is _REQUIRED:
            problems.append(_refused(label, None, "is required"))
        elif absent is _LEFT_OUT:
            del result[key]
        else:  # the policy's default
            result[key] = rule(absent) if isinstance(absent, str) else None
    service_ports_text = texts.get(LABEL_SERVICE_PORTS)
    service_ports = None
    if service_ports_text is None:
        del result[policy.service_ports_key]
    else:
        service_ports = check_entries(service_ports_text, policy.protocols)
        result[policy.service_ports_key] = service_ports.entries()
        if service_ports.problems:
            problems.extend(entry_problems(service_ports))
    if result.get(LABEL_ROLE) == _INFERENCE:
        for label, rule in _INFERENCE_SCHEMA:
            text = texts.get(label)
            if text is None:
                if label not in not_str:
                    why = "is required when the role is INFERENCE"
                    problems.append(_refused(label, None, why))
                continue
            try:
                result[label] = rule(text)
            except _Refused as refused:
                problems.append(_refused(label, text, refused.args[0]))
        _check_endpoints(result, service_ports, problems)
    if not_str:
        problems += _not_str_problems(not_str)
    return result, problems, service_ports


def validate_image_labels(labels: Mapping[str, str]) -> dict[str, Any]:
    """Check an image's labels; the labels with the checked ones converted.

    Every label is kept; ``ai.backend.kernelspec`` becomes an ``int``, the feature,
    core-count, accelerator, service-ports and endpoint-ports labels lists,
    the runtime and model paths ``PurePosixPath``, and ``ai.backend.role`` is added
    as ``"COMPUTE"`` when absent. Raises :class:`ImageLabelError` (a ``ValueError``)
    listing every problem (a value that is not a ``str`` is one), or
    :class:`~imageref.ImageRefTypeError` when *labels* is not a mapping or a label
    name is not a ``str``.
    """
    return validate_by_policy(labels, _POLICY_2403)


def validate_by_policy(labels: Mapping[str, str], policy: _LabelPolicy) -> dict[str, Any]:
    """:func:`validate_image_labels` by a release's *policy*."""
    result, problems, _ = _read(_check_keys(labels), policy)
    if problems:
        raise ImageLabelError(problems)
    return result


def _problems_by_policy(labels: dict[str, str], policy: _LabelPolicy) -> list[LabelProblem]:
    """The problems :func:`validate_by_policy` would raise for *labels*, a dict of
    ``str`` to ``str`` already (for callers that only need them and made the dict
    themselves, such as a Dockerfile's lint: no error message is made)."""
    return _read(labels, policy)[1]


# ---------------------------------------------------------------------------
# Labels in the manager's GraphQL form
# ---------------------------------------------------------------------------


def _pairs(labels: object) -> Iterator[tuple[str, object]]:
    """The ``(key, value)`` pairs of the GraphQL form ``[{"key": k, "value": v}, ...]``.

    An item that is not such a mapping, or whose key is not a ``str``, is a type
    error; a value that is not a ``str`` is left for the rules to report.
    """
    if not isinstance(labels, (list, tuple)):
        raise _type_error(
            "image labels", 'a mapping or a list of {"key": str, "value": str}', labels
        )
    for index, item in enumerate(labels):
        if not (isinstance(item, Mapping) and isinstance(item.get("key"), str) and "value" in item):
            raise _type_error(
                f"image labels item {index}", 'a {"key": str, "value": str} mapping', item
            )
        yield item["key"], item["value"]


def _as_mapping(labels: object) -> Mapping[str, object]:
    """*labels* as a mapping: a mapping as is, the GraphQL list form converted.

    A key that appears more than once in the list form is an error (which value
    would count is anyone's guess).
    """
    if isinstance(labels, Mapping):
        return _check_keys(labels)
    found: dict[str, object] = {}
    repeated: dict[str, int] = {}
    for key, value in _pairs(labels):
        if key in found:
            repeated[key] = repeated.get(key, 1) + 1
        found[key] = value
    if repeated:
        raise ImageLabelError(
            [
                _refused(key, None, f"appears {count} times; a label may appear once")
                for key, count in repeated.items()
            ]
        )
    return found


def customized_image_name(labels: Mapping[str, str] | Sequence[Mapping[str, str]]) -> str:
    """The value of ``ai.backend.customized-image.name``, which must appear exactly once.

    *labels* is a mapping or the manager's GraphQL list form:

    >>> customized_image_name([{"key": "ai.backend.customized-image.name", "value": "my-env"}])
    'my-env'
    >>> customized_image_name({"ai.backend.kernelspec": "1"})
    Traceback (most recent call last):
    ...
    imageref.errors.ImageLabelError: invalid image labels (1 problem):
    ai.backend.customized-image.name: is required: the image is not a customized image
    """
    pairs: Iterable[tuple[str, object]] = (
        _check_keys(labels).items() if isinstance(labels, Mapping) else _pairs(labels)
    )
    values = [value for key, value in pairs if key == LABEL_CUSTOMIZED_IMAGE_NAME]
    if len(values) > 1:
        why = f"appears {len(values)} times; a customized image has one name"
        raise ImageLabelError([LabelProblem(LABEL_CUSTOMIZED_IMAGE_NAME, None, why)])
    if not values:
        why = "is required: the image is not a customized image"
        raise ImageLabelError([LabelProblem(LABEL_CUSTOMIZED_IMAGE_NAME, None, why)])
    value = values[0]
    if not isinstance(value, str):
        raise ImageLabelError([_not_a_str(LABEL_CUSTOMIZED_IMAGE_NAME, value)])
    return value


# ---------------------------------------------------------------------------
# The typed value
# ---------------------------------------------------------------------------

_CUSTOMIZED = (
    ("customized_image_owner", LABEL_CUSTOMIZED_IMAGE_OWNER),
    ("customized_image_name", LABEL_CUSTOMIZED_IMAGE_NAME),
    ("customized_image_id", LABEL_CUSTOMIZED_IMAGE_ID),
    ("customized_image_user_email", LABEL_CUSTOMIZED_IMAGE_USER_EMAIL),
)
_OWN_FIELD_LABELS = _SCHEMA_LABELS | {label for _, label in _CUSTOMIZED}


def _strings(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


class ImageLabels(ReadOnlyValue):
    """An image's labels, checked, as a typed and immutable value.

    Build it with :meth:`from_labels` from a mapping or the GraphQL list form; it
    raises what :func:`validate_image_labels` raises. Fields:

    - ``kernelspec`` (``int``), ``features`` (``tuple[str, ...]``), ``base_distro``,
      ``runtime_type`` (``str``), ``runtime_path`` (``PurePosixPath``), ``role``
      (``str``, ``"COMPUTE"`` when absent);
    - ``envs_corecount``, ``accelerators`` (``tuple[str, ...]``, ``None`` when absent);
    - ``service_ports`` (``tuple[ServicePort, ...]``, empty when absent; ``pty``
      entries skipped as ``parse_service_ports`` does) and ``service_port_entries``
      (the label's entries as :func:`validate_image_labels` lists them, ``None`` when
      absent);
    - ``endpoint_ports`` (``tuple[str, ...]``), ``model_path`` (``PurePosixPath``),
      ``model_format`` (``str``): set for an INFERENCE image, else ``None`` (the labels
      are then in ``extra``);
    - ``min_resources``: slot name -> text as given, from ``ai.backend.resource.min.*``;
    - ``customized_image_owner``, ``customized_image_name``, ``customized_image_id``,
      ``customized_image_user_email``: ``str``, ``None`` when absent;
    - ``extra``: every other label, unchanged (a read-only mapping).
    """

    __slots__ = (
        "accelerators",
        "base_distro",
        "customized_image_id",
        "customized_image_name",
        "customized_image_owner",
        "customized_image_user_email",
        "endpoint_ports",
        "envs_corecount",
        "extra",
        "features",
        "kernelspec",
        "min_resources",
        "model_format",
        "model_path",
        "role",
        "runtime_path",
        "runtime_type",
        "service_port_entries",
        "service_ports",
    )

    kernelspec: int
    features: tuple[str, ...]
    base_distro: str
    runtime_type: str
    runtime_path: PurePosixPath
    role: str
    envs_corecount: tuple[str, ...] | None
    accelerators: tuple[str, ...] | None
    service_ports: tuple[ServicePort, ...]
    service_port_entries: tuple[str, ...] | None
    endpoint_ports: tuple[str, ...] | None
    model_path: PurePosixPath | None
    model_format: str | None
    min_resources: Mapping[str, str]
    customized_image_owner: str | None
    customized_image_name: str | None
    customized_image_id: str | None
    customized_image_user_email: str | None
    extra: Mapping[str, str]

    def __init__(self, labels: Mapping[str, str] | Sequence[Mapping[str, str]]) -> None:
        """The same as :meth:`from_labels`."""
        result, problems, service_ports = _read(_as_mapping(labels))
        if problems:
            raise ImageLabelError(problems)
        self._set_from(result, service_ports)

    @classmethod
    def from_labels(cls, labels: Mapping[str, str] | Sequence[Mapping[str, str]]) -> Self:
        """Check *labels* (a mapping, or ``[{"key": ..., "value": ...}, ...]``) into a value."""
        return cls(labels)

    def _set_from(self, result: dict[str, Any], checked: CheckedEntries | None) -> None:
        inference = result[LABEL_ROLE] == _INFERENCE
        endpoints = set(result[LABEL_ENDPOINT_PORTS]) if inference else set()
        ports: tuple[ServicePort, ...] = ()
        if checked is not None:
            ports = tuple(
                ServicePort(name, protocol, container, hosts, name in endpoints)
                for name, protocol, container, hosts in checked.ports()
            )
        minimum: dict[str, str] = {}
        extra: dict[str, str] = {}
        for label, value in result.items():
            if label in _OWN_FIELD_LABELS or (inference and label in _INFERENCE_LABELS):
                continue
            slot = label[len(LABEL_RESOURCE_MIN_PREFIX) :]
            if slot and label.startswith(LABEL_RESOURCE_MIN_PREFIX):
                minimum[slot] = value
            else:
                extra[label] = value
        set_ = object.__setattr__
        set_(self, "kernelspec", result[LABEL_KERNELSPEC])
        set_(self, "features", tuple(result[LABEL_FEATURES]))
        set_(self, "base_distro", result[LABEL_BASE_DISTRO])
        set_(self, "runtime_type", result[LABEL_RUNTIME_TYPE])
        set_(self, "runtime_path", result[LABEL_RUNTIME_PATH])
        set_(self, "role", result[LABEL_ROLE])
        set_(self, "envs_corecount", _strings(result.get(LABEL_ENVS_CORECOUNT)))
        set_(self, "accelerators", _strings(result.get(LABEL_ACCELERATORS)))
        set_(self, "service_ports", ports)
        set_(self, "service_port_entries", _strings(result.get(LABEL_SERVICE_PORTS)))
        set_(self, "endpoint_ports", tuple(result[LABEL_ENDPOINT_PORTS]) if inference else None)
        set_(self, "model_path", result[LABEL_MODEL_PATH] if inference else None)
        set_(self, "model_format", result[LABEL_MODEL_FORMAT] if inference else None)
        set_(self, "min_resources", _MappingProxyType(minimum))
        for field, label in _CUSTOMIZED:
            set_(self, field, result.get(label))
        set_(self, "extra", _MappingProxyType(extra))

    # -- reading it back -------------------------------------------------------

    def validated(self) -> dict[str, Any]:
        """What :func:`validate_image_labels` returned for the labels (equal, key order aside)."""
        result: dict[str, Any] = {
            LABEL_KERNELSPEC: self.kernelspec,
            LABEL_FEATURES: list(self.features),
            LABEL_BASE_DISTRO: self.base_distro,
            LABEL_RUNTIME_TYPE: self.runtime_type,
            LABEL_RUNTIME_PATH: self.runtime_path,
            LABEL_ROLE: self.role,
        }
        for label, value in (
            (LABEL_ENVS_CORECOUNT, self.envs_corecount),
            (LABEL_ACCELERATORS, self.accelerators),
            (LABEL_SERVICE_PORTS, self.service_port_entries),
            (LABEL_ENDPOINT_PORTS, self.endpoint_ports),
        ):
            if value is not None:
                result[label] = list(value)
        if self.model_path is not None:
            result[LABEL_MODEL_PATH] = self.model_path
        if self.model_format is not None:
            result[LABEL_MODEL_FORMAT] = self.model_format
        for slot, text in self.min_resources.items():
            result[LABEL_RESOURCE_MIN_PREFIX + slot] = text
        for field, label in _CUSTOMIZED:
            value = getattr(self, field)
            if value is not None:
                result[label] = value
        result.update(self.extra)
        return result

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain, JSON-ready dict (paths as text, tuples as lists)."""

        def listed(value: tuple[str, ...] | None) -> list[str] | None:
            return None if value is None else list(value)

        return {
            "kernelspec": self.kernelspec,
            "features": list(self.features),
            "base_distro": self.base_distro,
            "runtime_type": self.runtime_type,
            "runtime_path": str(self.runtime_path),
            "role": self.role,
            "envs_corecount": listed(self.envs_corecount),
            "accelerators": listed(self.accelerators),
            "service_ports": [port.to_dict() for port in self.service_ports],
            "service_port_entries": listed(self.service_port_entries),
            "endpoint_ports": listed(self.endpoint_ports),
            "model_path": None if self.model_path is None else str(self.model_path),
            "model_format": self.model_format,
            "min_resources": dict(self.min_resources),
            "customized_image_owner": self.customized_image_owner,
            "customized_image_name": self.customized_image_name,
            "customized_image_id": self.customized_image_id,
            "customized_image_user_email": self.customized_image_user_email,
            "extra": dict(self.extra),
        }

    # -- value protocol ----------------------------------------------------------

    def _fields(self) -> tuple[Any, ...]:
        return tuple(
            frozenset(value.items()) if isinstance(value, _MappingProxyType) else value
            for value in (getattr(self, name) for name in self.__slots__)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (ImageLabels, (self.to_labels(),))

    def to_labels(self) -> dict[str, str]:
        """Labels (``str`` to ``str``) that check into an equal value."""
        return {label: _label_text(label, value) for label, value in self.validated().items()}

    def __repr__(self) -> str:
        return (
            f"<ImageLabels kernelspec={self.kernelspec} role={self.role}"
            f" runtime={self.runtime_type}:{self.runtime_path}"
            f" service_ports={[port.name for port in self.service_ports]}"
            f" extra={len(self.extra)}>"
        )


def _label_text(label: str, value: Any) -> str:
    """A validated value back as the text of *label*."""
    if isinstance(value, list):
        return (" " if label == LABEL_FEATURES else ",").join(value)
    return str(value)
