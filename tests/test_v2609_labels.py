"""Every labels statement of the 26.09 contract, D16, and agreement with 24.03."""

from __future__ import annotations

import pickle
from pathlib import PurePosixPath
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import imageref
from imageref import ImageLabelError, ImageRefTypeError
from imageref import labels as lb
from imageref._service_ports import _accept
from imageref.compat import v2403, v2609
from imageref.compat._v2609_labels import _PROTOCOLS_2609
from imageref.compat.v2609 import (
    KernelFeatures,
    LabelName,
    LabelRule,
    ServicePortProtocols,
    common_image_label_schema,
    inference_image_label_schema,
    parse_service_ports,
    validate_image_labels,
)
from test_labels_properties import label_sets

FULL = {
    "ai.backend.kernelspec": "1",
    "ai.backend.features": "batch uid-match",
    "ai.backend.base-distro": "ubuntu22.04",
    "ai.backend.runtime-type": "python",
    "ai.backend.runtime-path": "/usr/bin/python3",
}
#: The common schema's labels, in the order the result lists them.
SCHEMA_ORDER = [
    LabelName.KERNEL_SPEC,
    LabelName.FEATURES,
    LabelName.BASE_DISTRO,
    LabelName.RUNTIME_TYPE,
    LabelName.RUNTIME_PATH,
    LabelName.ROLE,
    LabelName.ENVS_CORECOUNT,
    LabelName.ACCELERATORS,
    LabelName.SERVICE_PORTS,
]
INFERENCE = {
    "ai.backend.role": "INFERENCE",
    "ai.backend.service-ports": "api:preopen:8000,web:http:8080",
    "ai.backend.endpoint-ports": "api",
    "ai.backend.model-path": "/models",
    "ai.backend.model-format": "onnx",
}


def _problem_labels(labels: dict[str, Any]) -> list[str]:
    with pytest.raises(ImageLabelError) as info:
        validate_image_labels(labels)
    return [problem.label for problem in info.value.problems]


# -- defaults ----------------------------------------------------------------------------------


def test_defaults_replace_required_labels() -> None:
    result = validate_image_labels({})
    assert result == {
        "ai.backend.kernelspec": 1,
        "ai.backend.features": ["uid-match"],  # D16: the reference says ["['uid-match']"]
        "ai.backend.base-distro": None,
        "ai.backend.runtime-type": "app",
        "ai.backend.runtime-path": PurePosixPath("/bin/true"),
        "ai.backend.role": "COMPUTE",
    }
    assert all(type(key) is LabelName for key in result)


def test_default_values_are_fresh_each_call() -> None:
    first = validate_image_labels({})
    first[LabelName.FEATURES].append("batch")
    assert validate_image_labels({})[LabelName.FEATURES] == ["uid-match"]


def test_the_24_03_release_still_requires_them() -> None:
    with pytest.raises(ImageLabelError) as info:
        imageref.validate_image_labels({})
    assert [p.label for p in info.value.problems] == [
        "ai.backend.kernelspec",
        "ai.backend.features",
        "ai.backend.base-distro",
        "ai.backend.runtime-type",
        "ai.backend.runtime-path",
    ]


@pytest.mark.parametrize("label", ["ai.backend.base-distro", "ai.backend.runtime-type"])
def test_a_given_value_must_not_be_empty(label: str) -> None:
    assert _problem_labels({label: ""}) == [label]


def test_given_values_are_checked_as_on_24_03() -> None:
    bad = {"ai.backend.kernelspec": "2", "ai.backend.features": "a  b", "ai.backend.role": "x"}
    assert _problem_labels(bad) == list(bad)
    assert validate_image_labels({"ai.backend.kernelspec": " +1"})[LabelName.KERNEL_SPEC] == 1


def test_non_str_values_are_errors() -> None:
    # The reference accepts some (kernelspec 1, base-distro None); imageref reports them.
    values: tuple[Any, ...] = (1, None, b"1")
    for value in values:
        with pytest.raises((ImageRefTypeError, ImageLabelError)):
            validate_image_labels({"ai.backend.kernelspec": value})


# -- keys ---------------------------------------------------------------------------------------


def test_schema_keys_are_label_names_in_order_then_the_others_as_given() -> None:
    labels = {
        "maintainer": "x",
        "ai.backend.service-ports": "a:tcp:5000",
        "ai.backend.accelerators": "cuda",
        **FULL,
        "ai.backend.envs.corecount": "OMP",
    }
    result = validate_image_labels(labels)
    assert list(result) == [*SCHEMA_ORDER, "maintainer"]
    assert [type(key) for key in result] == [LabelName] * 9 + [str]


def test_inference_labels_keep_the_input_keys() -> None:
    result = validate_image_labels(INFERENCE)
    assert result["ai.backend.endpoint-ports"] == ["api"]
    assert result["ai.backend.model-path"] == PurePosixPath("/models")
    inference = {LabelName.ENDPOINT_PORTS, LabelName.MODEL_PATH, LabelName.MODEL_FORMAT}
    assert {type(key) for key in result if key in inference} == {str}
    given_as_members: dict[str, str] = {LabelName(key): value for key, value in INFERENCE.items()}
    result = validate_image_labels(given_as_members)
    assert {type(key) for key in result} == {LabelName}


def test_label_name_is_the_label_text() -> None:
    text: str = LabelName.KERNEL_SPEC
    assert text == "ai.backend.kernelspec"
    assert hash(LabelName.ROLE) == hash("ai.backend.role")
    assert (str(LabelName.ROLE), f"{LabelName.ROLE}") == ("ai.backend.role", "ai.backend.role")
    assert LabelName("ai.backend.owner") is LabelName.OWNER_AGENT
    with pytest.raises(ValueError, match=r"ai\.backend\.nope"):
        LabelName("ai.backend.nope")
    assert pickle.loads(pickle.dumps(LabelName.ROLE)) is LabelName.ROLE


# -- features and service ports ----------------------------------------------------------------


def test_kernel_features_are_plain_text_members() -> None:
    word: str = KernelFeatures.BATCH_MODE
    assert word == "batch"
    assert str(KernelFeatures.UID_MATCH) == "uid-match"
    assert v2609.DEFAULT_KERNEL_FEATURE == "uid-match"
    # Not the reference's set algebra: | is str's (none), & is undefined.
    with pytest.raises(TypeError):
        KernelFeatures.BATCH_MODE | KernelFeatures.QUERY_MODE  # type: ignore[operator]
    # Any word is accepted in the label; the items are plain text.
    features = validate_image_labels({"ai.backend.features": "batch whatever"})[LabelName.FEATURES]
    assert features == ["batch", "whatever"]


@pytest.mark.parametrize("protocol", ["vnc", "rdp"])
def test_vnc_and_rdp_are_26_09_protocols(protocol: str) -> None:
    label = f"desk:{protocol}:5900"
    (port,) = parse_service_ports(label, "")
    assert port["protocol"] is ServicePortProtocols(protocol)
    assert validate_image_labels({"ai.backend.service-ports": label})[LabelName.SERVICE_PORTS] == [
        label
    ]
    with pytest.raises(ImageLabelError, match="tcp, http or preopen"):
        imageref.parse_service_ports(label, "")
    with pytest.raises(ImageLabelError):
        imageref.validate_image_labels({**FULL, "ai.backend.service-ports": label})


def test_each_release_remembers_its_own_verdicts() -> None:
    """A label's verdict depends on the protocols allowed: 24.03 refusing a label first
    does not make 26.09 refuse it, nor the other way round; 26.09 reads it in bulk too."""
    label = "web:http:8080,desk:vnc:5901,shell:pty:3000,"
    with pytest.raises(ImageLabelError, match="tcp, http or preopen"):
        imageref.parse_service_ports(label, "")
    ports = parse_service_ports(label, "web")
    assert [(port["name"], port["protocol"], port["is_inference"]) for port in ports] == [
        ("web", ServicePortProtocols.HTTP, True),
        ("desk", ServicePortProtocols.VNC, False),
    ]
    assert all(type(port["protocol"]) is ServicePortProtocols for port in ports)
    with pytest.raises(ImageLabelError, match="tcp, http or preopen"):
        imageref.parse_service_ports(label, "")
    assert _accept(label) is None
    assert _accept(label, _PROTOCOLS_2609) is not None


def test_internal_is_a_member_but_not_allowed() -> None:
    assert ServicePortProtocols("internal") is ServicePortProtocols.INTERNAL
    with pytest.raises(ImageLabelError, match="http, tcp, preopen, vnc or rdp"):
        parse_service_ports("x:internal:5000", "")
    with pytest.raises(KeyError):
        parse_service_ports("x:internal:5000", "", KeyError)


def test_a_vnc_endpoint_port_is_refused() -> None:
    labels = {**INFERENCE, "ai.backend.service-ports": "api:vnc:5900"}
    assert _problem_labels(labels) == ["ai.backend.endpoint-ports"]


def test_d11_to_d14_hold_on_26_09() -> None:
    # D11: a bracketed list is one entry; D12/D13: malformed or non-ASCII entries are errors;
    # D14: everything in one error.
    got = validate_image_labels({"ai.backend.service-ports": "m:tcp:[5100,5105]"})
    assert got[LabelName.SERVICE_PORTS] == ["m:tcp:[5100,5105]"]
    bad = {"ai.backend.service-ports": "garbage,\u00e9:tcp:5000", "ai.backend.kernelspec": "0"}
    with pytest.raises(ImageLabelError) as info:
        validate_image_labels(bad)
    assert len(info.value.problems) == 3


# -- the schemas, described ------------------------------------------------------------------


def test_common_schema_describes_each_label() -> None:
    rows = {rule.label: rule for rule in common_image_label_schema}
    assert list(rows) == SCHEMA_ORDER
    assert rows[LabelName.FEATURES].when_absent == "['uid-match']"
    assert rows[LabelName.BASE_DISTRO].when_absent == "None"
    assert rows[LabelName.RUNTIME_PATH].when_absent == "PurePosixPath('/bin/true')"
    assert rows[LabelName.ACCELERATORS].when_absent == "left out"
    assert "vnc or rdp" in rows[LabelName.SERVICE_PORTS].check
    assert all(rule.check and "``" not in rule.check for rule in common_image_label_schema)


def test_inference_schema_lists_the_three_required_labels() -> None:
    assert [(r.label, r.when_absent) for r in inference_image_label_schema] == [
        (LabelName.ENDPOINT_PORTS, "required"),
        (LabelName.MODEL_PATH, "required"),
        (LabelName.MODEL_FORMAT, "required"),
    ]


def test_schema_rows_are_read_only_values() -> None:
    rule = common_image_label_schema[0]
    with pytest.raises(AttributeError):
        rule.check = "x"
    assert pickle.loads(pickle.dumps(rule)) == rule
    assert rule == LabelRule(rule.label, rule.when_absent, rule.check)
    assert repr(rule).startswith("LabelRule('ai.backend.kernelspec', '1', ")


def test_v2403_names_the_24_03_labels_surface() -> None:
    assert v2403.validate_image_labels is imageref.validate_image_labels
    assert v2403.parse_service_ports is imageref.parse_service_ports
    assert (v2403.MIN_KERNELSPEC, v2403.MAX_KERNELSPEC) == (v2609.MIN_KERNELSPEC, 1)


# -- both releases agree where they agree ------------------------------------------------------


@given(label_sets())
def test_24_03_and_26_09_agree_when_every_required_label_is_given(labels: dict[str, str]) -> None:
    labels = {**FULL, **labels}
    try:
        old = imageref.validate_image_labels(labels)
    except ImageLabelError as error:
        old_problems = error.problems
    else:
        new = validate_image_labels(labels)
        assert list(new.items()) == list(old.items())
        schema = lb._SCHEMA_LABELS
        assert [type(key) is LabelName for key in new] == [key in schema for key in old]
        return
    with pytest.raises(ImageLabelError) as info:
        validate_image_labels(labels)
    # The same labels and values; only the list of allowed protocols differs.
    got = [(p.label, p.value) for p in info.value.problems]
    assert got == [(p.label, p.value) for p in old_problems]


@given(st.text("abcz:[],05 tcpvnrdhtp", max_size=40))
def test_service_ports_agree_without_vnc_and_rdp(text: str) -> None:
    if "vnc" in text or "rdp" in text:
        return
    try:
        old = imageref.parse_service_ports(text, "")
    except ImageLabelError:
        with pytest.raises(ImageLabelError):
            parse_service_ports(text, "")
        return
    assert parse_service_ports(text, "") == old
