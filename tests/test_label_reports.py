"""Bounded problem reports: the first few problems of a kind in a label, then a count.

One ``ImageLabelError`` still carries every problem a caller needs (each kind of fault, each
label, the first ``SHOWN_PER_KIND`` of a kind with their entries and values), but the rest of
a kind is one problem whose ``more`` counts them, so that hostile labels (a list of 500,000
ports, 100,000 bad entries or extra labels) get a small report. Sizes and counts are asserted,
never the clock: cost is counted with ``test_labels_properties.work``.
"""

from __future__ import annotations

import json
import pickle
import tracemalloc
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageref import (
    ImageLabelError,
    LabelProblem,
    _service_ports,
    parse_service_ports,
    validate_image_labels,
)
from imageref import labels as lb
from imageref._service_ports import (
    PROTOCOLS_2403,
    Protocols,
    _check_entries,
    _read_label,
    split_entries,
)
from imageref.compat import v2609
from imageref.compat._v2609_labels import _PROTOCOLS_2609
from imageref.errors import SHOWN_PER_KIND
from test_cli import lines, run
from test_labels_properties import RELEASE_ENTRIES, work

BASE = {
    lb.LABEL_KERNELSPEC: "1",
    lb.LABEL_FEATURES: "batch",
    lb.LABEL_BASE_DISTRO: "ubuntu22.04",
    lb.LABEL_RUNTIME_TYPE: "python",
    lb.LABEL_RUNTIME_PATH: "/usr/bin/python3",
}
SPORTS = lb.LABEL_SERVICE_PORTS
RESERVED = {2000, 2001, 2002, 2003, 2200, 7681}
#: A report of one label stays under this many characters per kind of fault it has.
CHARS_PER_KIND = 1500


def error_of(labels: dict[str, Any]) -> ImageLabelError:
    with pytest.raises(ImageLabelError) as caught:
        validate_image_labels(labels)
    return caught.value


def with_ports(text: str) -> dict[str, Any]:
    return {**BASE, SPORTS: text}


def summaries(error: ImageLabelError) -> list[LabelProblem]:
    return [problem for problem in error.problems if problem.more]


def test_the_rule_first_five_of_a_kind_then_one_count() -> None:
    assert SHOWN_PER_KIND == 5
    # every entry two problems: its protocol and its port
    error = error_of(with_ports(",".join(f"p{i}:udp:{100 + i}" for i in range(12))))
    listed = [p for p in error.problems if not p.more]
    assert [p.value for p in listed] == [f"'p{i}:udp:{100 + i}'" for i in range(5) for _ in (1, 2)]
    assert [p.reason.split(":")[0] for p in listed[:2]] == [
        "Unsupported service port protocol",
        "The service port number 100 must be larger than 1024 to run without the root privilege."
        " (entry 1)",
    ]
    assert [(p.label, p.value, p.reason, p.more) for p in summaries(error)] == [
        (SPORTS, None, "... and 7 more problems of this kind (unsupported protocols)", 7),
        (SPORTS, None, "... and 7 more problems of this kind (ports not above 1024)", 7),
    ]
    assert error.count == 24
    assert str(error).startswith("invalid image labels (24 problems): ")
    assert str(error).endswith("... and 7 more problems of this kind (ports not above 1024)")
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.problems, clone.count, str(clone)) == (error.problems, 24, str(error))


@pytest.mark.parametrize("count", [1, 4, 5])
def test_up_to_five_of_a_kind_are_all_listed(count: int) -> None:
    error = error_of(with_ports(",".join(f"p{i}:tcp:{80 + i}" for i in range(count))))
    assert len(error.problems) == error.count == count
    assert not summaries(error)


def test_six_of_a_kind_are_five_and_one_more() -> None:
    """A 60,000-entry label whose ports run through the 6 reserved ones: 5 and 1 more."""
    error = error_of(with_ports(",".join(f"p{i}:tcp:{1025 + i}" for i in range(60_000))))
    assert error.count == 6
    assert [p.value for p in error.problems[:5]] == [
        "'p975:tcp:2000'",
        "'p976:tcp:2001'",
        "'p977:tcp:2002'",
        "'p978:tcp:2003'",
        "'p1175:tcp:2200'",
    ]
    assert str(error.problems[5]) == (
        "ai.backend.service-ports: ... and 1 more problem of this kind (reserved ports)"
    )


def expected_port_problems(ports: range) -> int:
    """How many ports of *ports*, each once, the port rules refuse (written from the rules)."""
    return sum(1 for port in ports if port <= 1024 or port >= 65535 or port in RESERVED)


@pytest.mark.parametrize(
    ("text", "count", "kinds"),
    [
        pytest.param(
            "a:tcp:[" + ",".join(["5000"] * 500_000) + "]",
            499_999,
            ["ports already used"],
            id="500,000 copies of one port",
        ),
        pytest.param(
            "a:tcp:[" + ",".join(map(str, range(1, 500_001))) + "]",
            expected_port_problems(range(1, 500_001)),
            ["ports not above 1024", "reserved ports", "ports not below 65535"],
            id="ports 1 to 500,000",
        ),
        pytest.param(
            "x," * 100_000,
            100_000,
            ["entries not NAME:PROTOCOL:PORTS"],
            id="100,000 bad entries",
        ),
        pytest.param(
            ",".join(f"p{i}:tcp:5000" for i in range(100_000)),
            99_999,
            ["ports already used"],
            id="100,000 entries of one port",
        ),
    ],
)
def test_hostile_service_ports_get_a_small_report(text: str, count: int, kinds: list[str]) -> None:
    error = error_of(with_ports(text))
    assert error.count == count
    assert [p.reason.rpartition("(")[2].rstrip(")") for p in summaries(error)] == kinds
    assert len(error.problems) == (SHOWN_PER_KIND + 1) * len(kinds)
    assert len(str(error)) < CHARS_PER_KIND * len(kinds)
    # parse_service_ports reports the same, under any exception class
    with pytest.raises(ImageLabelError) as caught:
        parse_service_ports(text, "")
    assert caught.value.problems == error.problems
    with pytest.raises(ZeroDivisionError) as agent:
        v2609.parse_service_ports(text, "", ZeroDivisionError)
    assert len(str(agent.value)) < CHARS_PER_KIND * len(kinds)


def test_100000_extra_labels() -> None:
    extra = {f"org.example.label{i}": f"value {i}" for i in range(100_000)}
    result = validate_image_labels({**BASE, **extra})
    assert len(result) == len(BASE) + 1 + len(extra)  # and the role
    # values that are not str: one kind across the labels
    error = error_of({**BASE, **dict.fromkeys(extra, 5)})
    assert error.count == 100_000
    assert [str(p) for p in error.problems] == [
        *(f"org.example.label{i} = 5: expected a str, got int" for i in range(5)),
        "org.example.label5: ... and 99,995 more problems of this kind"
        " (labels whose value is not a str, from this one on)",
    ]


def test_100000_endpoint_ports() -> None:
    names = [f"api{i}" for i in range(100_000)]
    labels = {
        **BASE,
        lb.LABEL_ROLE: "INFERENCE",
        SPORTS: "api0:tcp:8000",
        lb.LABEL_ENDPOINT_PORTS: ",".join(names),
        lb.LABEL_MODEL_PATH: "/models",
        lb.LABEL_MODEL_FORMAT: "onnx",
    }
    error = error_of(labels)
    assert error.count == 100_000
    reasons = [p.reason for p in error.problems]
    assert reasons[0] == (
        "The endpoint-port api0 must be a preopen service-port. (its protocol is tcp)"
    )
    assert reasons[1:6] == [
        f"ai.backend.endpoint-ports contains an undefined service port: api{i}" for i in range(1, 6)
    ]
    assert reasons[6:] == [
        "... and 99,994 more problems of this kind (endpoint ports that name no service port)"
    ]


def test_megabyte_values_of_every_kind() -> None:
    huge = "x" * 1_000_000
    labels = {
        **BASE,
        lb.LABEL_ROLE: huge,
        SPORTS: f"a:{huge}:5000,{huge}:tcp:80,a:tcp:{'7' * 1_000_000}," + "y:tcp:80," * 10,
        "org.example.big": huge,
    }
    error = error_of(labels)
    # the role; the protocol; port 80 of the entry with the huge name, then ten more; the
    # million-digit port
    assert error.count == 1 + 1 + 1 + 10 + 1
    assert len(str(error)) < 3 * CHARS_PER_KIND


# -- linear cost --------------------------------------------------------------------------------

WORKLOADS: dict[str, Callable[[int], Callable[[], object]]] = {
    "one port repeated in a list": lambda n: (
        lambda: parse_service_ports("a:tcp:[" + ",".join(["5000"] * n) + "]", "")
    ),
    "extra labels not str": lambda n: (
        lambda: validate_image_labels({**BASE, **{f"l{i}": i for i in range(n)}})  # type: ignore[misc]
    ),
    "undefined endpoint ports": lambda n: (
        lambda: validate_image_labels(
            {
                **BASE,
                lb.LABEL_ROLE: "INFERENCE",
                lb.LABEL_ENDPOINT_PORTS: ",".join(f"e{i}" for i in range(n)),
                lb.LABEL_MODEL_PATH: "/m",
                lb.LABEL_MODEL_FORMAT: "x",
            }
        )
    ),
}


def test_work_grows_linearly() -> None:
    for name, workload in WORKLOADS.items():
        work(workload(3))  # see test_labels_properties.test_work_grows_linearly_with_the_label
        small, large = work(workload(500)), work(workload(2000))
        assert large <= 4.4 * small, (name, small, large)


def test_the_report_does_not_grow_with_the_label() -> None:
    """The error's size is the same for 1,000 and 100,000 bad entries; the memory a check
    takes grows with the label only (its entries), not with a problem object per entry."""

    def measure(n: int) -> tuple[int, int]:
        text = "x:udp:80," * n
        tracemalloc.start()
        with suppress(ImageLabelError):
            parse_service_ports(text, "")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        with pytest.raises(ImageLabelError) as caught:
            parse_service_ports(text, "")
        return len(pickle.dumps(caught.value)), peak

    (small_size, small_peak), (large_size, large_peak) = measure(1000), measure(100_000)
    assert abs(large_size - small_size) < 50  # only the counts' digits differ
    assert large_peak <= 100 * small_peak * 1.1
    assert large_peak < 60 * len("x:udp:80,") * 100_000  # a few words per entry, no more


# -- the labels command --------------------------------------------------------------------------


def test_cli_text_and_json_show_the_summary() -> None:
    labels = json.dumps({**BASE, SPORTS: f"a:tcp:[{','.join(['5000'] * 50_000)}]"})
    proc = run("labels", "-", stdin=labels.encode())
    assert proc.returncode == 1
    out = lines(proc.stdout)
    assert len(out) == SHOWN_PER_KIND + 1
    assert out[0].endswith("The port 5000 is already used by another service port. (entry 1)")
    assert out[-1] == (
        "-: -: ai.backend.service-ports: ... and 49,994 more problems of this kind"
        " (ports already used)"
    )
    proc = run("labels", "--format", "json", "-", stdin=labels.encode())
    [image] = [json.loads(line) for line in lines(proc.stdout)]
    assert image["valid"] is False
    assert image["problems"][-1] == {
        "label": SPORTS,
        "value": None,
        "reason": "... and 49,994 more problems of this kind (ports already used)",
    }
    assert len(image["problems"]) == SHOWN_PER_KIND + 1


def test_label_names_are_shown_safely_too() -> None:
    """A label's name is any text an image carries: a megabyte, control characters."""
    huge, odd = "n" * 1_000_000, "\x1b[2J\u00e9"
    error = error_of({**BASE, huge: 1, odd: None})
    assert [p.label for p in error.problems] == [huge, odd]  # the names themselves
    assert str(error.problems[1]) == "'\\x1b[2J\\xe9' = None: expected a str, got NoneType"
    assert str(error.problems[0]).startswith(f"{'n' * 40!r}...{'n' * 40!r} (1000000 characters)")
    assert len(str(error)) < 400
    assert str(error).isascii()


# -- a plain label refused for a port: its entries taken from the bulk reading's fields --------


@pytest.mark.parametrize("allowed", [PROTOCOLS_2403, _PROTOCOLS_2609], ids=["24.03", "26.09"])
@settings(max_examples=150)
@given(
    st.lists(RELEASE_ENTRIES, min_size=1, max_size=8).map(",".join),
    st.booleans(),
)
def test_a_plain_label_refused_for_a_port_reads_as_entry_by_entry(
    allowed: Protocols, text: str, trailing: bool
) -> None:
    """The same entries, ports, names and problems as reading each entry again."""
    text += "," if trailing else ""
    read, slow = _read_label(text, allowed), _check_entries(split_entries(text), allowed)
    assert list(read.problems) == list(slow.problems)
    if read.problems:  # the fast path's own entries, ports and names otherwise
        assert read.entries() == slow.entries()
        assert read.ports() == slow.ports()
        names = [entry.partition(":")[0] for entry in slow.entries()]
        assert all(read.protocol_of(name) == slow.protocol_of(name) for name in names)


def test_the_fields_path_is_taken_and_reads_no_entry_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(entry: str) -> str:
        calls.append(entry)
        return "x"

    monkeypatch.setattr(_service_ports, "read_entry", counted)
    text = ",".join(f"p{i}:tcp:{1020 + i}" for i in range(10))  # five ports too low
    checked = _read_label(text, PROTOCOLS_2403)
    assert calls == []
    assert [p.value for p in checked.problems] == [f"'p{i}:tcp:{1020 + i}'" for i in range(5)]
    assert len(checked.ports()) == 5
