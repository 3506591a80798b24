"""The image-labels contract (shared spec ``backendai-labels-24.03.md``), statement by statement."""

from __future__ import annotations

import json
import pickle
from pathlib import PurePosixPath
from typing import Any

import pytest

import imageref
from imageref import (
    MAX_KERNELSPEC,
    MIN_KERNELSPEC,
    ImageLabelError,
    ImageLabels,
    ImageRefError,
    ImageRefTypeError,
    LabelProblem,
    ServicePort,
    ServicePortProtocol,
    customized_image_name,
    parse_service_ports,
    validate_image_labels,
)
from imageref import labels as lb

BASE = {
    lb.LABEL_KERNELSPEC: "1",
    lb.LABEL_FEATURES: "batch query uid-match",
    lb.LABEL_BASE_DISTRO: "ubuntu22.04",
    lb.LABEL_RUNTIME_TYPE: "python",
    lb.LABEL_RUNTIME_PATH: "/usr/bin/python3",
}
INFERENCE = {
    **BASE,
    lb.LABEL_ROLE: "INFERENCE",
    lb.LABEL_SERVICE_PORTS: "api:preopen:8000,web:http:8090",
    lb.LABEL_ENDPOINT_PORTS: "api",
    lb.LABEL_MODEL_PATH: "/models/llama",
    lb.LABEL_MODEL_FORMAT: "gguf",
}


def problems_of(labels: Any) -> list[tuple[str, str | None]]:
    """(label, shown value) of every problem validate_image_labels reports."""
    with pytest.raises(ImageLabelError) as caught:
        validate_image_labels(labels)
    return [(problem.label, problem.value) for problem in caught.value.problems]


def labels_with(**changes: str | None) -> dict[str, str]:
    """BASE with ``ai.backend.<name>`` set (``_`` -> ``-``, ``__`` -> ``.``), None removes."""
    labels = dict(BASE)
    for name, value in changes.items():
        label = "ai.backend." + name.replace("__", ".").replace("_", "-")
        if value is None:
            labels.pop(label, None)
        else:
            labels[label] = value
    return labels


# -- constants and names --------------------------------------------------------------------


def test_constants_and_label_names() -> None:
    assert (MIN_KERNELSPEC, MAX_KERNELSPEC) == (1, 1)
    assert lb.LABEL_KERNELSPEC == "ai.backend.kernelspec"
    assert lb.LABEL_ENVS_CORECOUNT == "ai.backend.envs.corecount"
    assert lb.LABEL_RESOURCE_MIN_PREFIX == "ai.backend.resource.min."
    assert lb.LABEL_CUSTOMIZED_IMAGE_USER_EMAIL == "ai.backend.customized-image.user.email"
    for name in lb.__all__:
        assert getattr(imageref, name) is getattr(lb, name), name
        assert name in imageref.__all__, name
    assert issubclass(ImageLabelError, ImageRefError)
    assert issubclass(ImageLabelError, ValueError)


# -- validate_image_labels: the schema ----------------------------------------------------


def test_valid_labels_convert_and_keep_everything() -> None:
    labels = {**BASE, "maintainer": "Lablup", lb.LABEL_ACCELERATORS: "cuda"}
    result = validate_image_labels(labels)
    assert result == {
        lb.LABEL_KERNELSPEC: 1,
        lb.LABEL_FEATURES: ["batch", "query", "uid-match"],
        lb.LABEL_BASE_DISTRO: "ubuntu22.04",
        lb.LABEL_RUNTIME_TYPE: "python",
        lb.LABEL_RUNTIME_PATH: PurePosixPath("/usr/bin/python3"),
        lb.LABEL_ROLE: "COMPUTE",
        lb.LABEL_ACCELERATORS: ["cuda"],
        "maintainer": "Lablup",
    }
    assert labels == {**BASE, "maintainer": "Lablup", lb.LABEL_ACCELERATORS: "cuda"}  # untouched
    assert result is not labels


def test_result_key_order_is_schema_then_input() -> None:
    labels = {"zzz": "1", lb.LABEL_SERVICE_PORTS: "a:tcp:5000", **BASE, "aaa": "2"}
    assert list(validate_image_labels(labels)) == [
        *BASE,
        lb.LABEL_ROLE,
        lb.LABEL_SERVICE_PORTS,
        "zzz",
        "aaa",
    ]


@pytest.mark.parametrize("label", list(BASE))
def test_required_labels(label: str) -> None:
    labels = dict(BASE)
    del labels[label]
    assert problems_of(labels) == [(label, None)]


@pytest.mark.parametrize("text", ["1", " 1", "+1", "01", "\t1\n", "1_0"[:1], "\u0661"])
def test_kernelspec_by_int_rules(text: str) -> None:
    assert validate_image_labels(labels_with(kernelspec=text))[lb.LABEL_KERNELSPEC] == 1


@pytest.mark.parametrize("text", ["1.0", "", "x", "0x1", "2", "0", "-1", "1_0", "1\x00", "9" * 40])
def test_kernelspec_refused(text: str) -> None:
    assert problems_of(labels_with(kernelspec=text)) == [(lb.LABEL_KERNELSPEC, ascii(text))]


def test_kernelspec_past_int_digit_limit() -> None:
    assert problems_of(labels_with(kernelspec="0" * 5000 + "1"))[0][0] == lb.LABEL_KERNELSPEC
    assert (
        validate_image_labels(labels_with(kernelspec="0_" * 2000 + "1"))[lb.LABEL_KERNELSPEC] == 1
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [("batch", ["batch"]), ("a b c", ["a", "b", "c"]), ("a\tb", ["a\tb"]), ("\u00fc", ["\u00fc"])],
)
def test_features_split_on_single_spaces(text: str, words: list[str]) -> None:
    assert validate_image_labels(labels_with(features=text))[lb.LABEL_FEATURES] == words


@pytest.mark.parametrize("text", ["", " ", "a  b", " a", "a "])
def test_features_empty_word(text: str) -> None:
    assert problems_of(labels_with(features=text)) == [(lb.LABEL_FEATURES, ascii(text))]


@pytest.mark.parametrize("name", ["base_distro", "runtime_type"])
def test_non_empty_strings(name: str) -> None:
    assert validate_image_labels(labels_with(**{name: " "}))  # blank but not empty is fine
    label = "ai.backend." + name.replace("_", "-")
    assert problems_of(labels_with(**{name: ""})) == [(label, "''")]


@pytest.mark.parametrize(
    ("text", "path"), [("", "."), ("a//b/", "a/b"), ("//x", "//x"), ("/\x00", "/\x00")]
)
def test_runtime_path(text: str, path: str) -> None:
    result = validate_image_labels(labels_with(runtime_path=text))
    assert result[lb.LABEL_RUNTIME_PATH] == PurePosixPath(path)
    assert type(result[lb.LABEL_RUNTIME_PATH]) is PurePosixPath


@pytest.mark.parametrize("role", ["COMPUTE", "INFERENCE", "SYSTEM"])
def test_roles(role: str) -> None:
    labels = {**INFERENCE, lb.LABEL_ROLE: role}
    assert validate_image_labels(labels)[lb.LABEL_ROLE] == role


@pytest.mark.parametrize("role", ["compute", "", " COMPUTE", "Inference"])
def test_bad_roles(role: str) -> None:
    assert problems_of(labels_with(role=role)) == [(lb.LABEL_ROLE, ascii(role))]


@pytest.mark.parametrize("name", ["envs__corecount", "accelerators"])
def test_comma_lists(name: str) -> None:
    label = "ai.backend." + name.replace("__", ".")
    assert validate_image_labels(labels_with(**{name: ""}))[label] == [""]
    assert validate_image_labels(labels_with(**{name: "A,,B"}))[label] == ["A", "", "B"]
    assert validate_image_labels(labels_with(**{name: "cuda, rocm"}))[label] == ["cuda", " rocm"]


def test_service_ports_listed_and_checked() -> None:
    text = "ipython:pty:3000,jupyter:http:8080,"
    result = validate_image_labels(labels_with(service_ports=text))
    assert result[lb.LABEL_SERVICE_PORTS] == ["ipython:pty:3000", "jupyter:http:8080", ""]
    assert problems_of(labels_with(service_ports="a:udp:5000")) == [
        (lb.LABEL_SERVICE_PORTS, "'a:udp:5000'")
    ]


def test_every_failing_label_in_one_error() -> None:
    labels = labels_with(kernelspec="2", features="", runtime_type=None, role="x")
    labels[lb.LABEL_SERVICE_PORTS] = "a:tcp:80,b:udp:5000"
    found = [label for label, _ in problems_of(labels)]
    assert found == [
        lb.LABEL_KERNELSPEC,
        lb.LABEL_FEATURES,
        lb.LABEL_RUNTIME_TYPE,
        lb.LABEL_ROLE,
        lb.LABEL_SERVICE_PORTS,
        lb.LABEL_SERVICE_PORTS,
    ]


# -- types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "named"),
    [
        (None, "NoneType"),
        ([("a", "b")], "list"),
        ("ai.backend.kernelspec=1", "str"),
        ({5: "x"}, "int"),
        ({**BASE, b"maintainer": "x"}, "bytes"),  # type: ignore[misc]
    ],
)
def test_labels_not_a_mapping_or_a_key_not_a_str_is_a_type_error(labels: Any, named: str) -> None:
    with pytest.raises(ImageRefTypeError, match=named):
        validate_image_labels(labels)


class Text(str):
    """A str subclass: a str for every rule."""


def test_a_value_not_a_str_is_a_label_problem_reported_with_the_others() -> None:
    """D14 and the contract's "a value that is not a str is an error": one ValueError."""
    labels: dict[str, Any] = {
        **BASE,
        lb.LABEL_KERNELSPEC: 1,
        lb.LABEL_FEATURES: ["batch", "query"],
        lb.LABEL_BASE_DISTRO: "",
        lb.LABEL_SERVICE_PORTS: None,
        "maintainer": True,
        "huge": [10**400] * 100_000,
    }
    with pytest.raises(ValueError, match="invalid image labels") as caught:  # as drop-in code
        validate_image_labels(labels)
    error = caught.value
    assert isinstance(error, ImageLabelError)
    found = {(p.label, p.value, p.reason) for p in error.problems}
    assert found == {
        (lb.LABEL_KERNELSPEC, "1", "expected a str, got int"),
        (lb.LABEL_FEATURES, "['batch', 'query']", "expected a str, got list"),
        (lb.LABEL_BASE_DISTRO, "''", "blank value is not allowed (must not be empty)"),
        (lb.LABEL_SERVICE_PORTS, "None", "expected a str, got NoneType"),
        ("maintainer", "True", "expected a str, got bool"),
        ("huge", error.problems[-1].value, "expected a str, got list"),
    }
    shown = error.problems[-1].value
    assert shown is not None
    assert len(shown) < 200
    assert shown.isascii()
    assert shown.isprintable()
    assert "expected a str, got int" in str(error)
    # a required label that is not a str is reported once, not also as missing
    assert [p.label for p in error.problems].count(lb.LABEL_KERNELSPEC) == 1


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "None"),
        (5, "5"),
        (1.5, "1.5"),
        (b"1", "b'1'"),
        ({"a": "\u00e9\n"}, "{'a': '\\xe9\\n'}"),
        (10**5000, "<int of 16610 bits>"),
    ],
    ids=["None", "int", "float", "bytes", "dict", "huge-int"],
)
def test_a_value_not_a_str_is_shown_safely(value: object, shown: str) -> None:
    assert problems_of({**BASE, "x": value}) == [("x", shown)]


def test_str_subclasses_are_str() -> None:
    result = validate_image_labels({Text(k): Text(v) for k, v in BASE.items()})
    assert result[lb.LABEL_KERNELSPEC] == 1


def test_inference_labels_not_a_str() -> None:
    labels: dict[str, Any] = {**INFERENCE, lb.LABEL_MODEL_PATH: 7}
    assert problems_of(labels) == [(lb.LABEL_MODEL_PATH, "7")]
    # the label of another role is an ordinary label, but still a str
    assert problems_of({**BASE, lb.LABEL_MODEL_PATH: 7}) == [(lb.LABEL_MODEL_PATH, "7")]


# -- INFERENCE images ---------------------------------------------------------------------


def test_inference_labels_converted() -> None:
    result = validate_image_labels(INFERENCE)
    assert result[lb.LABEL_ENDPOINT_PORTS] == ["api"]
    assert result[lb.LABEL_MODEL_PATH] == PurePosixPath("/models/llama")
    assert result[lb.LABEL_MODEL_FORMAT] == "gguf"


@pytest.mark.parametrize(
    "label", [lb.LABEL_ENDPOINT_PORTS, lb.LABEL_MODEL_PATH, lb.LABEL_MODEL_FORMAT]
)
def test_inference_labels_required(label: str) -> None:
    labels = dict(INFERENCE)
    del labels[label]
    assert problems_of(labels) == [(label, None)]


@pytest.mark.parametrize(
    ("endpoints", "bad"),
    [
        ("", [""]),
        ("api,", ["'api,'"]),
        ("nope", ["'nope'"]),  # names no service port
        ("web", ["'web'"]),  # not preopen
        ("api,web,nope", ["'web'", "'nope'"]),
    ],
)
def test_endpoint_ports(endpoints: str, bad: list[str]) -> None:
    labels = {**INFERENCE, lb.LABEL_ENDPOINT_PORTS: endpoints}
    shown = [value for label, value in problems_of(labels) if label == lb.LABEL_ENDPOINT_PORTS]
    assert shown == (["''"] if bad == [""] else bad)


def test_endpoint_lookup_rules() -> None:
    def endpoint_ok(service_ports: str) -> bool:
        try:
            validate_image_labels({**INFERENCE, lb.LABEL_SERVICE_PORTS: service_ports})
        except ImageLabelError:
            return False
        return True

    assert not endpoint_ok("api:pty:8000")  # pty entries are skipped
    assert endpoint_ok("api:tcp:8000,api:preopen:8001")  # a later entry wins
    assert not endpoint_ok("api:preopen:8000,api:tcp:8001")
    assert endpoint_ok("api:preopen:[8000,8001]")  # D11: the reference loses this entry
    assert not endpoint_ok("")


def test_inference_labels_are_extras_for_other_roles() -> None:
    labels = {
        **BASE,
        lb.LABEL_ENDPOINT_PORTS: "",
        lb.LABEL_MODEL_PATH: "x",
        lb.LABEL_MODEL_FORMAT: "",
    }
    result = validate_image_labels(labels)
    assert result[lb.LABEL_ENDPOINT_PORTS] == ""
    assert result[lb.LABEL_MODEL_PATH] == "x"


# -- parse_service_ports --------------------------------------------------------------------


def test_parse_service_ports_shape() -> None:
    got = parse_service_ports("a:http:8080,b:preopen:[5100,5105],c:pty:3000,", "b")
    assert got == [
        {
            "name": "a",
            "protocol": ServicePortProtocol.HTTP,
            "container_ports": (8080,),
            "host_ports": (None,),
            "is_inference": False,
        },
        {
            "name": "b",
            "protocol": ServicePortProtocol.PREOPEN,
            "container_ports": (5100, 5105),
            "host_ports": (None, None),
            "is_inference": True,
        },
    ]
    protocol = got[0]["protocol"]
    assert isinstance(protocol, str)
    assert protocol == "http"
    assert str(protocol) == f"{protocol}" == "http"


@pytest.mark.parametrize(
    "text",
    [
        ",",
        ",,",
        ",a:tcp:5000",
        "a:tcp:5000,,",
        "a:tcp",
        "a::5000",
        ":tcp:5000",
        "a:tcp:5000:1",
        "a b:tcp:5000",
        "a.b:tcp:5000",
        "a:tcp:+5000",
        "a:tcp: 5000",
        "a:tcp:5000\n",
        "a:tcp:[]",
        "a:tcp:[5000,]",
        "a:tcp:[5000",
        "a:tcp:5000]",
        "a:t-cp:5000",
        "a:pty:x",
        "a:udp:5000",
        "a:TCP:5000",
        "a:tcp:1024",
        "a:tcp:65535",
        "a:tcp:2000",
        "a:tcp:2003",
        "a:tcp:2200",
        "a:tcp:7681",
        "a:tcp:5000,b:tcp:5000",
        "a:tcp:[5000,5000]",
        "a:tcp:" + "0" * 4301 + "5000",
    ],
)
def test_parse_service_ports_refuses(text: str) -> None:
    with pytest.raises(ImageLabelError) as caught:
        parse_service_ports(text, "")
    assert all(problem.label == lb.LABEL_SERVICE_PORTS for problem in caught.value.problems)


@pytest.mark.parametrize(
    ("text", "ports"),
    [
        ("", []),
        ("a:tcp:1025,b:tcp:65534,c:tcp:2004", [(1025,), (65534,), (2004,)]),
        ("a:tcp:05000", [(5000,)]),
        ("a:pty:80,b:tcp:80"[:8], []),
        ("a:pty:5000,b:tcp:5000", [(5000,)]),
        ("a:tcp:5000,a:http:5001", [(5000,), (5001,)]),
        ("-:tcp:5000", [(5000,)]),
    ],
)
def test_parse_service_ports_accepts(text: str, ports: list[tuple[int, ...]]) -> None:
    assert [item["container_ports"] for item in parse_service_ports(text, "")] == ports


def test_parse_service_ports_list_inputs() -> None:
    got = parse_service_ports(["a:tcp:5000", "b:tcp:[5001,5002]", ""], ["b"])
    assert [(item["name"], item["is_inference"]) for item in got] == [("a", False), ("b", True)]
    assert parse_service_ports([], ()) == []
    assert parse_service_ports("a:tcp:5000,b:tcp:5001", "a, b")[1]["is_inference"] is False
    with pytest.raises(ImageLabelError):
        parse_service_ports(["a:tcp:5000", "bad"], [])  # D12 (the reference drops it)


@pytest.mark.parametrize(
    ("service_ports", "endpoints"), [(None, ""), (5, ""), ("a:tcp:5000", None), (["a", 5], "")]
)
def test_parse_service_ports_types(service_ports: Any, endpoints: Any) -> None:
    with pytest.raises(ImageRefTypeError):
        parse_service_ports(service_ports, endpoints)


def test_parse_service_ports_exception_cls() -> None:
    class AgentError(Exception):
        pass

    with pytest.raises(AgentError) as caught:
        parse_service_ports("a:tcp:80", "", exception_cls=AgentError)
    assert isinstance(caught.value.__cause__, ImageLabelError)
    assert "The service port number 80 must be larger than 1024" in str(caught.value)
    with pytest.raises(ImageLabelError):
        parse_service_ports("a:tcp:80", "", exception_cls=Exception)
    with pytest.raises(ImageRefTypeError):
        parse_service_ports("a:tcp:5000", "", exception_cls=int)  # type: ignore[arg-type]


# -- divergences ------------------------------------------------------------------------------


def test_d11_bracketed_list_is_one_checked_entry() -> None:
    result = validate_image_labels(labels_with(service_ports="multi:tcp:[5100,5105],x:tcp:5200"))
    assert result[lb.LABEL_SERVICE_PORTS] == ["multi:tcp:[5100,5105]", "x:tcp:5200"]
    assert problems_of(labels_with(service_ports="multi:tcp:[5100,80]")) == [
        (lb.LABEL_SERVICE_PORTS, "'multi:tcp:[5100,80]'")
    ]


@pytest.mark.parametrize("text", ["bad", "a:tcp:5000,,b:tcp:5001", ",", "a:tcp:x", "a:tcp:[1,"])
def test_d12_malformed_entry_is_an_error(text: str) -> None:
    assert {label for label, _ in problems_of(labels_with(service_ports=text))} == {
        lb.LABEL_SERVICE_PORTS
    }


@pytest.mark.parametrize("text", ["", "a:tcp:5000,"])
def test_d12_one_trailing_comma_allowed(text: str) -> None:
    assert validate_image_labels(labels_with(service_ports=text))[lb.LABEL_SERVICE_PORTS][-1] == ""


@pytest.mark.parametrize(
    "text",
    ["\u00e9:tcp:5000", "\ufb01:tcp:5000", "a:tcp:\u0665\u0660\u0660\u0660", "a:\u00e9:5000"],
)
def test_d13_ascii_grammar(text: str) -> None:
    with pytest.raises(ImageLabelError) as caught:
        parse_service_ports(text, "")
    assert str(caught.value).isascii()
    assert problems_of(labels_with(service_ports=text))[0][0] == lb.LABEL_SERVICE_PORTS


def test_d14_every_problem_with_label_value_and_reason() -> None:
    text = "a:udp:80,,b:tcp:5000,c:tcp:5000"
    with pytest.raises(ImageLabelError) as caught:
        validate_image_labels(labels_with(kernelspec="2", service_ports=text))
    error = caught.value
    reasons = [(p.label, p.value, p.reason) for p in error.problems]
    sports = lb.LABEL_SERVICE_PORTS
    low = "The service port number 80 must be larger than 1024 to run without the root privilege."
    assert reasons == [
        (lb.LABEL_KERNELSPEC, "'2'", "value is greater than 1 (must be between 1 and 1)"),
        (
            sports,
            "'a:udp:80'",
            "Unsupported service port protocol: udp"
            " (entry 1: the protocol must be tcp, http or preopen)",
        ),
        (sports, "'a:udp:80'", f"{low} (entry 1)"),
        (
            sports,
            "''",
            "Invalid service-ports format"
            " (entry 2: an empty entry; only the last one may be empty)",
        ),
        (
            sports,
            "'c:tcp:5000'",
            "The port 5000 is already used by another service port. (entry 4)",
        ),
    ]
    message = str(error)
    assert message.startswith("invalid image labels (5 problems): ")
    assert all(str(problem) in message for problem in error.problems)
    assert str(error.problems[0]) == (
        "ai.backend.kernelspec = '2': value is greater than 1 (must be between 1 and 1)"
    )
    assert str(LabelProblem("x", None, "is required")) == "x: is required"
    clone = pickle.loads(pickle.dumps(error))
    assert clone.problems == error.problems
    assert str(clone) == message


def test_d14_values_shown_safely_and_shortened() -> None:
    huge = "\x1b[31m\u00e9" + "x" * 1_000_000
    [(label, shown)] = problems_of(labels_with(base_distro="ok", runtime_type="", features="a"))
    assert (label, shown) == (lb.LABEL_RUNTIME_TYPE, "''")
    [(label, shown)] = problems_of(labels_with(kernelspec=huge))
    assert shown is not None
    assert shown.isascii()
    assert shown.isprintable()
    assert len(shown) < 200
    assert "(1000006 characters)" in shown
    assert shown.startswith("'\\x1b[31m\\xe9xxx")


# -- the typed value --------------------------------------------------------------------------


FULL = {
    **INFERENCE,
    lb.LABEL_ENVS_CORECOUNT: "OMP_NUM_THREADS,NPROC",
    lb.LABEL_ACCELERATORS: "cuda",
    lb.LABEL_SERVICE_PORTS: "ipython:pty:3000,api:preopen:8000,web:http:[8090,8091],",
    "ai.backend.resource.min.cpu": "1",
    "ai.backend.resource.min.cuda.device": "0.5",
    "ai.backend.resource.min.": "odd",
    lb.LABEL_CUSTOMIZED_IMAGE_NAME: "my-env",
    lb.LABEL_CUSTOMIZED_IMAGE_OWNER: "user:1",
    "maintainer": "Lablup",
}


def test_image_labels_fields() -> None:
    value = ImageLabels.from_labels(FULL)
    assert value.kernelspec == 1
    assert value.features == ("batch", "query", "uid-match")
    assert (value.base_distro, value.runtime_type) == ("ubuntu22.04", "python")
    assert value.runtime_path == PurePosixPath("/usr/bin/python3")
    assert value.role == "INFERENCE"
    assert value.envs_corecount == ("OMP_NUM_THREADS", "NPROC")
    assert value.accelerators == ("cuda",)
    assert value.service_ports == (
        ServicePort("api", "preopen", (8000,), is_inference=True),
        ServicePort("web", ServicePortProtocol.HTTP, (8090, 8091)),
    )
    assert value.service_port_entries == (
        "ipython:pty:3000",
        "api:preopen:8000",
        "web:http:[8090,8091]",
        "",
    )
    assert value.endpoint_ports == ("api",)
    assert value.model_path == PurePosixPath("/models/llama")
    assert value.model_format == "gguf"
    assert dict(value.min_resources) == {"cpu": "1", "cuda.device": "0.5"}
    assert value.customized_image_name == "my-env"
    assert value.customized_image_owner == "user:1"
    assert value.customized_image_id is None
    assert value.customized_image_user_email is None
    assert dict(value.extra) == {"maintainer": "Lablup", "ai.backend.resource.min.": "odd"}


def test_image_labels_defaults_when_absent() -> None:
    value = ImageLabels.from_labels({**BASE, lb.LABEL_MODEL_PATH: "/m"})
    assert value.role == "COMPUTE"
    absent = (value.envs_corecount, value.accelerators, value.service_port_entries)
    assert absent == (None, None, None)
    assert value.service_ports == ()
    assert (value.endpoint_ports, value.model_path, value.model_format) == (None, None, None)
    assert dict(value.extra) == {lb.LABEL_MODEL_PATH: "/m"}


def test_image_labels_is_immutable_and_a_value() -> None:
    value = ImageLabels.from_labels(FULL)
    with pytest.raises(AttributeError):
        value.kernelspec = 2
    with pytest.raises(AttributeError):
        del value.role
    with pytest.raises(TypeError):
        value.extra["x"] = "y"  # type: ignore[index]
    with pytest.raises(TypeError):
        value.min_resources["x"] = "y"  # type: ignore[index]
    with pytest.raises(AttributeError):
        value.service_ports[0].name = "x"
    assert not hasattr(value, "__dict__")
    again = ImageLabels.from_labels(dict(reversed(list(FULL.items()))))
    assert again == value
    assert hash(again) == hash(value)
    assert value != ImageLabels.from_labels(BASE)
    assert pickle.loads(pickle.dumps(value)) == value
    assert "ImageLabels" in repr(value)


def test_image_labels_to_dict_is_json_ready() -> None:
    value = ImageLabels.from_labels(FULL)
    data = value.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["runtime_path"] == "/usr/bin/python3"
    assert data["service_ports"][0] == {
        "name": "api",
        "protocol": "preopen",
        "container_ports": [8000],
        "host_ports": [None],
        "is_inference": True,
    }
    assert data["min_resources"] == {"cpu": "1", "cuda.device": "0.5"}
    assert data["customized_image_name"] == "my-env"
    assert data["extra"]["maintainer"] == "Lablup"


def test_image_labels_round_trips() -> None:
    value = ImageLabels.from_labels(FULL)
    assert value.validated() == validate_image_labels(FULL)
    assert ImageLabels.from_labels(value.to_labels()) == value


def test_image_labels_errors_as_validate() -> None:
    with pytest.raises(ImageLabelError):
        ImageLabels.from_labels(labels_with(kernelspec="2"))
    with pytest.raises(ImageRefTypeError):
        ImageLabels.from_labels("ai.backend.kernelspec=1")  # type: ignore[arg-type]


# -- the GraphQL list form and the customized image name ------------------------------------


def as_graphql(labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in labels.items()]


def test_graphql_list_form() -> None:
    assert ImageLabels.from_labels(as_graphql(FULL)) == ImageLabels.from_labels(FULL)
    twice = [*as_graphql(BASE), {"key": "x", "value": "1"}, {"key": "x", "value": "2"}]
    with pytest.raises(ImageLabelError, match="appears 2 times"):
        ImageLabels.from_labels(twice)
    bad_items: list[Any] = [{"key": "x"}, {"key": 1, "value": "x"}, "x=1", {"value": None}]
    for item in bad_items:
        with pytest.raises(ImageRefTypeError):
            ImageLabels.from_labels([item])
    with pytest.raises(ImageLabelError) as caught:  # a value that is not a str: a problem
        ImageLabels.from_labels([*as_graphql(BASE), {"key": "x", "value": None}])  # type: ignore[dict-item]
    assert caught.value.problems == (LabelProblem("x", "None", "expected a str, got NoneType"),)


def test_customized_image_name() -> None:
    assert customized_image_name(FULL) == "my-env"
    assert customized_image_name(as_graphql(FULL)) == "my-env"
    with pytest.raises(ImageLabelError, match="not a customized image"):
        customized_image_name(BASE)
    pair = {"key": lb.LABEL_CUSTOMIZED_IMAGE_NAME, "value": "a"}
    with pytest.raises(ImageLabelError, match="appears 2 times") as caught:
        customized_image_name([pair, {**pair, "value": "b"}])
    assert caught.value.problems[0].label == lb.LABEL_CUSTOMIZED_IMAGE_NAME
    with pytest.raises(ImageLabelError, match="expected a str, got int"):
        customized_image_name({lb.LABEL_CUSTOMIZED_IMAGE_NAME: 5})  # type: ignore[dict-item]
    with pytest.raises(ImageLabelError, match="expected a str, got NoneType"):
        customized_image_name([{"key": lb.LABEL_CUSTOMIZED_IMAGE_NAME, "value": None}])  # type: ignore[dict-item]
    with pytest.raises(ImageRefTypeError):
        customized_image_name({5: "x"})  # type: ignore[dict-item]


def test_service_port_value() -> None:
    port = ServicePort("a", "tcp", [5000, 5001])
    assert port.container_ports == (5000, 5001)
    assert port.host_ports == (None, None)
    assert port == ServicePort("a", ServicePortProtocol.TCP, (5000, 5001), (None, None), False)
    assert port != ServicePort("a", "tcp", (5000, 5001), is_inference=True)
    assert pickle.loads(pickle.dumps(port)) == port
    assert repr(port) == "ServicePort('a', 'tcp', (5000, 5001))"
    with pytest.raises(ValueError, match="udp"):
        ServicePort("a", "udp", (5000,))
