"""The reference's words in every label and service-port message (contract: "Messages").

Each problem's text contains the sentence backend.ai-common says for the same fault, verbatim,
then imageref's detail. Three sources hold imageref to it, on both releases:

- :data:`ROWS`: every row of the contract's table, one input each, with the sentence the
  table gives, through ``parse_service_ports`` (the default ``ValueError`` and a custom
  ``exception_cls``) and ``validate_image_labels``;
- the facts of Backend.AI's own ``test_service_ports.py`` (:data:`BACKEND_AI_FACTS`);
- ``tests/data/backendai_{24_03,26_09}_messages.json``: what each reference release said
  for each of about a hundred faulty inputs, recorded by ``tools/make_message_vectors.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import imageref
from imageref import ImageLabelError
from imageref.compat import v2609

DATA = Path(__file__).parent / "data"

#: The two releases' entry points: (name, parse_service_ports, validate_image_labels).
RELEASES: list[tuple[str, Callable[..., Any], Callable[..., Any]]] = [
    ("24_03", imageref.parse_service_ports, imageref.validate_image_labels),
    ("26_09", v2609.parse_service_ports, v2609.validate_image_labels),
]
RELEASE_IDS = [name for name, _, _ in RELEASES]

K = "ai.backend."
BASE = {
    K + "kernelspec": "1",
    K + "features": "batch",
    K + "base-distro": "ubuntu22.04",
    K + "runtime-type": "python",
    K + "runtime-path": "/usr/bin/python3",
}
INFERENCE = {
    **BASE,
    K + "role": "INFERENCE",
    K + "service-ports": "api:preopen:8000,web:http:8090",
    K + "endpoint-ports": "api",
    K + "model-path": "/models",
    K + "model-format": "onnx",
}

LOW = "The service port number {} must be larger than 1024 to run without the root privilege."
HIGH = "The service port number {} must be smaller than 65535."
RESERVED = "The service ports 2000 to 2003, 2200 and 7681 are reserved for internal use."

#: The contract's table, one service-ports text per row (and per limit): (text, sentence).
ROWS = [
    ("a:tcp", "Invalid service-ports format"),
    ("x:tcp:1234,abcdefg", "Invalid service-ports format"),
    ("a:udp:5000", "Unsupported service port protocol: udp"),
    ("a:internal:5000", "Unsupported service port protocol: internal"),
    ("a:tcp:1024", LOW.format(1024)),
    ("a:tcp:0080", LOW.format(80)),
    ("a:tcp:65535", HIGH.format(65535)),
    ("a:tcp:[5000,99999]", HIGH.format(99999)),
    ("a:tcp:5000,b:http:5000", "The port 5000 is already used by another service port."),
    ("a:tcp:[6000,6000]", "The port 6000 is already used by another service port."),
    *((f"a:tcp:{port}", RESERVED) for port in (2000, 2001, 2002, 2003, 2200, 7681)),
]
#: 26.09 also takes vnc and rdp; 24.03 does not.
PROTOCOL_ROWS = [("a:vnc:5900", "vnc"), ("a:rdp:3389", "rdp")]


class AgentError(Exception):
    """A caller's own exception class, as the agent passes one."""


def message_of(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ImageLabelError) as caught:  # a ValueError, as Backend.AI's tests catch
        call(*args, **kwargs)
    return str(caught.value)


def problems_of(validate: Callable[..., Any], labels: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ImageLabelError) as caught:
        validate(labels)
    return [(str(problem.label), problem.reason) for problem in caught.value.problems]


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
@pytest.mark.parametrize(("text", "sentence"), ROWS)
def test_every_row_of_the_table(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any], text: str, sentence: str
) -> None:
    assert sentence in message_of(parse, text, "")
    assert sentence in message_of(parse, text.split(",") if "[" not in text else [text], [])
    with pytest.raises(AgentError) as caught:
        parse(text, "", exception_cls=AgentError)
    assert sentence in str(caught.value)
    assert isinstance(caught.value.__cause__, ImageLabelError)
    # validate_image_labels names the label, and says the sentence in one problem's reason
    reasons = problems_of(validate, {**BASE, K + "service-ports": text})
    assert any(label == K + "service-ports" and sentence in why for label, why in reasons)


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
@pytest.mark.parametrize(("text", "protocol"), PROTOCOL_ROWS)
def test_vnc_and_rdp_are_unsupported_only_on_24_03(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any], text: str, protocol: str
) -> None:
    if release == "26_09":
        assert parse(text, "")[0]["protocol"] == protocol
        return
    sentence = f"Unsupported service port protocol: {protocol}"
    assert sentence in message_of(parse, text, "")
    reasons = problems_of(validate, {**BASE, K + "service-ports": text})
    assert [sentence in why for _, why in reasons] == [True]


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
def test_the_label_rows_of_the_table(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any]
) -> None:
    del parse
    kernelspec, role = K + "kernelspec", K + "role"
    assert problems_of(validate, {**BASE, kernelspec: "2"}) == [
        (kernelspec, "value is greater than 1 (must be between 1 and 1)")
    ]
    assert problems_of(validate, {**BASE, kernelspec: " -7"}) == [
        (kernelspec, "value is less than 1 (must be between 1 and 1)")
    ]
    [(label, why)] = problems_of(validate, {**BASE, role: "compute"})
    assert label == role
    assert why.startswith("value doesn't match any variant")
    # A required label: its name and "is required" (26.09: only the inference labels are
    # required, the others have defaults).
    for missing in [K + "endpoint-ports", K + "model-path", K + "model-format"]:
        labels = {key: value for key, value in INFERENCE.items() if key != missing}
        [(label, why)] = problems_of(validate, labels)
        assert label == missing
        assert "is required" in why
    if release == "24_03":
        assert [why for _, why in problems_of(validate, {})] == ["is required"] * 5
    # The endpoint ports of an INFERENCE image
    endpoints = K + "endpoint-ports"
    assert problems_of(validate, {**INFERENCE, endpoints: "api,nope"}) == [
        (endpoints, "ai.backend.endpoint-ports contains an undefined service port: nope")
    ]
    [(label, why)] = problems_of(validate, {**INFERENCE, endpoints: "web"})
    assert label == endpoints
    assert why.startswith("The endpoint-port web must be a preopen service-port.")
    assert why.endswith("(its protocol is http)")


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
def test_every_problem_has_its_sentence_when_several(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any]
) -> None:
    """The reference names the first fault; imageref names each, each with its words."""
    text = "a:tcp:80,b:udp:5000,c:tcp:70000,d:tcp:2200,e:tcp:5000,f:tcp:5000,oops"
    sentences = [
        LOW.format(80),
        "Unsupported service port protocol: udp",
        HIGH.format(70000),
        RESERVED,
        "The port 5000 is already used by another service port.",
        "Invalid service-ports format",
    ]
    message = message_of(parse, text, "")
    assert all(sentence in message for sentence in sentences)
    reasons = [why for _, why in problems_of(validate, {**BASE, K + "service-ports": text})]
    assert len(reasons) == len(sentences)
    for why, sentence, number in zip(reasons, sentences, [1, 2, 3, 4, 6, 7], strict=True):
        assert why.startswith(sentence)  # the reference's words first,
        assert f"(entry {number}" in why  # then imageref's detail


def test_values_that_are_not_plain_are_shown_quoted_in_the_sentence() -> None:
    """A name with a space or beyond ASCII cannot be shown bare: it is quoted and escaped."""
    [(_, why)] = problems_of(
        imageref.validate_image_labels, {**INFERENCE, K + "endpoint-ports": "é"}
    )
    assert why == "ai.backend.endpoint-ports contains an undefined service port: '\\xe9'"
    port = "9" * 100
    message = message_of(imageref.parse_service_ports, f"a:tcp:{port}", "")
    assert f"The service port number '{'9' * 40}'...'{'9' * 40}' (100 characters) must" in message


# -- Backend.AI's own tests ---------------------------------------------------------------------

#: The facts of lablup/backend.ai's tests/common/test_service_ports.py (24.03.9 and main), in
#: imageref's words: a service-ports text and a fragment its pytest.raises(ValueError,
#: match=...) looks for in the message.
BACKEND_AI_FACTS = [
    ("x:unsupported:1234", "Unsupported"),  # an unknown protocol
    ("x:http:65536", "smaller than"),  # one past the highest port
    ("x:http:1000", "larger than"),  # a port that needs root
    ("x:http:-1", "Invalid service-ports format"),  # a sign is not a port
    ("abcdefg", "Invalid service-ports format"),  # not an entry at all
    ("x:tcp:1234,abcdefg", "Invalid service-ports format"),  # a bad entry after a good one
    ("abcdefg,x:tcp:1234", "Invalid service-ports format"),  # ... and before one
    ("x:tcp:1234,y:tcp:1234", "already used"),  # one port in two entries
    ("y:tcp:7711,x:tcp:2200", "reserved"),  # 2200 is the agent's
]


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
@pytest.mark.parametrize(("text", "fragment"), BACKEND_AI_FACTS)
def test_backend_ai_match_patterns(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any], text: str, fragment: str
) -> None:
    del validate
    with pytest.raises(ValueError, match=fragment):
        parse(text, "")


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
def test_backend_ai_good_labels_and_custom_exception(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any]
) -> None:
    """The rest of that file: good labels parse, pty is skipped, a custom class is raised."""
    del validate
    assert parse("", "") == []
    [port] = parse("a:preopen:1230", "a,b")  # named among the endpoint ports: inference
    assert (port["name"], port["protocol"], port["is_inference"]) == ("a", "preopen", True)
    ports = parse("a:tcp:[1230,1240,9000],x:http:3000,t:http:[5000,5001]", "")
    assert [p["container_ports"] for p in ports] == [(1230, 1240, 9000), (3000,), (5000, 5001)]
    assert [p["host_ports"] for p in ports] == [(None, None, None), (None,), (None, None)]
    assert [p["name"] for p in parse("x:pty:1234,y:tcp:1235", "")] == ["y"]
    with pytest.raises(ZeroDivisionError, match="Unsupported"):
        parse("x:unsupported:1234", [], ZeroDivisionError)


# -- The references' recorded answers ------------------------------------------------------------


def load(release: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"backendai_{release}_messages.json").read_text())
    return data


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
def test_recorded_service_port_sentences(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any]
) -> None:
    del validate
    records = load(release)["service_ports"]
    assert sum("error" in record for record in records) >= 40
    for record in records:
        if "ok" in record:
            parse(record["text"], "")
            continue
        sentence = record["error"]["message"]
        assert sentence in message_of(parse, record["text"], ""), record
        with pytest.raises(AgentError) as caught:
            parse(record["text"], [], exception_cls=AgentError)
        assert sentence in str(caught.value), record


@pytest.mark.parametrize(("release", "parse", "validate"), RELEASES, ids=RELEASE_IDS)
def test_recorded_label_sentences(
    release: str, parse: Callable[..., Any], validate: Callable[..., Any]
) -> None:
    del parse
    records = load(release)["validate"]
    assert sum("error" in record for record in records) >= 40
    for record in records:
        if "ok" in record:
            validate(record["labels"])
            continue
        error = record["error"]
        with pytest.raises(ImageLabelError) as caught:
            validate(record["labels"])
        problems = caught.value.problems
        if "reasons" not in error:  # a plain ValueError: its message is one problem's reason
            assert any(error["message"] in problem.reason for problem in problems), record
            continue
        for label, reason in error["reasons"].items():  # trafaret: a reason per label
            words = [reason] if isinstance(reason, str) else reason  # a union: any branch's
            assert any(
                str(problem.label) == label and any(word in problem.reason for word in words)
                for problem in problems
            ), (record, label)


def test_the_recordings_cover_every_row_of_the_table() -> None:
    """Every sentence of the table was said by each reference for some recorded input."""
    patterns = [
        "Invalid service-ports format",
        "Unsupported service port protocol: ",
        r"The service port number \d+ must be larger than 1024 to run without the root privilege\.",
        r"The service port number \d+ must be smaller than 65535\.",
        r"The port \d+ is already used by another service port\.",
        re.escape(RESERVED),
        "ai.backend.endpoint-ports contains an undefined service port: ",
        r"The endpoint-port \w+ must be a preopen service-port\.",
        "is required",
        "value is greater than 1",
        "value is less than 1",
        "value doesn't match any variant",
    ]
    for release in RELEASE_IDS:
        data = load(release)
        said = [r["error"]["message"] for r in data["service_ports"] if "error" in r]
        for record in data["validate"]:
            if "error" in record:
                said.append(record["error"]["message"])
                said.extend(map(str, record["error"].get("reasons", {}).values()))
        for pattern in patterns:
            assert any(re.search(pattern, text) for text in said), (release, pattern)
