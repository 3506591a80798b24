"""Properties of the label rules (hypothesis), and their linear cost on hostile input (D15).

Cost is measured by counting work, never by the clock: characters scanned by
``str.find`` (through a counting ``str`` subclass), Python calls (``sys.setprofile``)
and memory allocated (``tracemalloc``), each at two sizes of the same input shape.
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, SupportsIndex

import pytest
from hypothesis import given
from hypothesis import strategies as st

import memo_state
from imageref import (
    ImageLabelError,
    ImageLabels,
    ImageRefTypeError,
    parse_service_ports,
    validate_image_labels,
)
from imageref import labels as lb
from imageref._service_ports import (
    PROTOCOLS_2403,
    Protocols,
    _accept,
    _check_entries,
    split_entries,
)
from imageref.compat._v2609_labels import _PROTOCOLS_2609

# -- strategies ----------------------------------------------------------------------------

NAMES = st.text("abcxyzABC019_-", min_size=1, max_size=8)
PROTOCOLS = st.sampled_from(["tcp", "http", "preopen", "pty", "udp", "TCP", "x_1"])
PORT_NUMBERS = st.one_of(
    st.integers(1025, 65534), st.sampled_from([0, 80, 1024, 2000, 2200, 7681, 65535, 99999])
)
PORT_TEXTS = st.one_of(
    PORT_NUMBERS.map(str),
    st.lists(PORT_NUMBERS.map(str), min_size=1, max_size=4).map(lambda p: f"[{','.join(p)}]"),
)
ENTRIES = st.one_of(
    st.builds(lambda n, p, q: f"{n}:{p}:{q}", NAMES, PROTOCOLS, PORT_TEXTS),
    st.text("ab:[],0159 \u00e9", max_size=12),
)
SERVICE_PORTS = st.one_of(
    st.lists(ENTRIES, max_size=6).map(",".join),
    st.text(max_size=40),
    st.text(":[],0123456789abtcp", max_size=60),
)


def _values(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(good), st.sampled_from([*good, *bad]), st.text(max_size=6))


LABEL_VALUES: dict[str, st.SearchStrategy[str]] = {
    lb.LABEL_KERNELSPEC: _values(["1", " 1", "+1", "01"], ["2", "1.0", ""]),
    lb.LABEL_FEATURES: _values(["batch query", "uid-match"], ["", "a  b"]),
    lb.LABEL_BASE_DISTRO: _values(["ubuntu22.04"], [""]),
    lb.LABEL_RUNTIME_TYPE: _values(["python"], [""]),
    lb.LABEL_RUNTIME_PATH: _values(["/usr/bin/python3", ""], []),
    lb.LABEL_ROLE: _values(["COMPUTE", "INFERENCE", "SYSTEM"], ["compute"]),
    lb.LABEL_ENVS_CORECOUNT: _values(["A,B", ""], []),
    lb.LABEL_ACCELERATORS: _values(["cuda"], []),
    lb.LABEL_SERVICE_PORTS: SERVICE_PORTS,
    lb.LABEL_ENDPOINT_PORTS: _values(["a", "a,b"], ["", "a,"]),
    lb.LABEL_MODEL_PATH: _values(["/models"], []),
    lb.LABEL_MODEL_FORMAT: _values(["onnx"], [""]),
    "ai.backend.resource.min.cpu": st.text(max_size=4),
    lb.LABEL_CUSTOMIZED_IMAGE_NAME: st.text(max_size=6),
    "maintainer": st.text(max_size=6),
}
REQUIRED = [lb.LABEL_KERNELSPEC, lb.LABEL_FEATURES, lb.LABEL_BASE_DISTRO, lb.LABEL_RUNTIME_TYPE]


@st.composite
def label_sets(draw: st.DrawFn) -> dict[str, str]:
    """Mostly-valid label sets: each label present with some chance, values good or bad."""
    labels: dict[str, str] = {}
    for label, values in LABEL_VALUES.items():
        if draw(st.integers(0, 9)) < (9 if label in REQUIRED else 5):
            labels[label] = draw(values)
    return labels


# -- properties -------------------------------------------------------------------------------


@given(label_sets())
def test_validated_output_round_trips_through_the_typed_value(labels: dict[str, str]) -> None:
    try:
        result = validate_image_labels(labels)
    except ImageLabelError as error:
        problems = error.problems
    else:
        value = ImageLabels.from_labels(labels)
        assert value.validated() == result
        assert ImageLabels.from_labels(value.to_labels()) == value
        assert ImageLabels.from_labels([{"key": k, "value": v} for k, v in labels.items()]) == value
        data = value.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert set(result) >= set(labels)
        return
    assert problems
    for problem in problems:
        assert problem.label in labels or problem.value is None
        assert problem.value is None or (problem.value.isascii() and problem.value.isprintable())
        assert problem.reason


def _validated(labels: dict[str, str]) -> Any:
    try:
        return validate_image_labels(labels)
    except ImageLabelError as error:
        return error.problems


@given(st.lists(label_sets(), min_size=1, max_size=6))
def test_answers_do_not_depend_on_the_memo_tables(label_lists: list[dict[str, str]]) -> None:
    """The label tables (imageref._memo) cleared, as earlier sets left them, full and
    evicting all the time, or resting: the same answer as from empty tables."""
    cold = []
    for labels in label_lists:
        memo_state.clear()
        cold.append(_validated(labels))
    assert [_validated(labels) for labels in label_lists] == cold  # as left: hits
    with memo_state.limits(2):
        assert [_validated(labels) for labels in label_lists] == cold
    memo_state.rest_all()
    assert [_validated(labels) for labels in label_lists] == cold
    memo_state.clear()


@given(SERVICE_PORTS, st.text(max_size=10))
def test_any_service_ports_text_parses_or_raises_the_label_error(text: str, ends: str) -> None:
    try:
        ports = parse_service_ports(text, ends)
    except ImageLabelError as error:
        problems = error.problems
    else:
        problems = ()
    if problems:
        assert all(problem.label == lb.LABEL_SERVICE_PORTS for problem in problems)
        return
    used = [port for item in ports for port in item["container_ports"]]
    assert len(used) == len(set(used))
    assert all(1024 < port < 65535 for port in used)
    assert all(item["host_ports"] == (None,) * len(item["container_ports"]) for item in ports)
    names = set(ends.split(","))
    assert all(item["is_inference"] == (item["name"] in names) for item in ports)


@given(st.text(max_size=60))
def test_arbitrary_text_never_escapes_the_label_error(text: str) -> None:
    with suppress(ImageLabelError):
        parse_service_ports(text, text)
    with suppress(ImageLabelError):
        validate_image_labels({**dict.fromkeys(LABEL_VALUES, text)})


@given(st.lists(st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=4))
def test_wrong_types_raise_the_type_error(items: list[Any]) -> None:
    if all(isinstance(item, str) for item in items):
        return
    try:
        parse_service_ports(items, "")
    except ImageRefTypeError:
        return
    raise AssertionError("a list with a non-str item must be refused")


# Entries of the protocols some release allows (26.09 adds vnc and rdp) or none does.
RELEASE_ENTRIES = st.builds(
    lambda n, p, q: f"{n}:{p}:{q}",
    NAMES,
    st.sampled_from(["tcp", "http", "preopen", "pty", "vnc", "rdp", "udp"]),
    PORT_TEXTS,
)


@pytest.mark.parametrize("allowed", [PROTOCOLS_2403, _PROTOCOLS_2609], ids=["24.03", "26.09"])
@given(
    st.one_of(
        SERVICE_PORTS,
        st.lists(ENTRIES, max_size=6).map(lambda e: ",".join(e) + ","),
        st.lists(RELEASE_ENTRIES, max_size=6).map(",".join),
    )
)
def test_one_pass_reading_agrees_with_the_step_by_step_one(allowed: Protocols, text: str) -> None:
    """The bulk reading accepts the plain labels the scanner finds no problem in, alike,
    under each release's protocols (24.03 refuses vnc, 26.09 takes it)."""
    fast, slow = _accept(text, allowed), _check_entries(split_entries(text), allowed)
    if slow.problems or "[" in text:
        assert fast is None
        return
    if any(len(port) > 5 for entry in slow.entries() for port in entry.split(":")[2:]):
        return  # a port of leading zeros: read entry by entry (either answer is right)
    if fast is None:  # refused in bulk for a pty entry's port, which is not checked
        assert ":pty:" in text
        return
    assert fast.entries() == slow.entries()
    assert fast.ports() == slow.ports()
    names = [name for entry in slow.entries() for name in entry.split(":")[:1]]
    assert all(fast.protocol_of(name) == slow.protocol_of(name) for name in names)


@given(st.text(",[]ab", max_size=40))
def test_split_entries_partitions_the_text(text: str) -> None:
    entries = split_entries(text)
    assert ",".join(entries) == text
    if "[" not in text:
        assert entries == text.split(",")


@given(st.lists(st.builds(lambda n, p: f"{n}:tcp:{p}", NAMES, PORT_TEXTS), max_size=5))
def test_well_formed_entries_split_as_given(entries: list[str]) -> None:
    assert split_entries(",".join(entries)) == (entries or [""])


# -- linear cost (D15) --------------------------------------------------------------------------


class CountingStr(str):
    """A ``str`` whose ``find`` adds the characters it scanned to ``CountingStr.scanned``."""

    scanned = 0

    def find(
        self,
        sub: str,
        start: SupportsIndex | None = None,
        end: SupportsIndex | None = None,
        /,
    ) -> int:
        begin = 0 if start is None else int(start)
        stop = len(self) if end is None else int(end)
        found = str.find(self, sub, begin, stop)
        CountingStr.scanned += (stop if found < 0 else found + len(sub)) - begin
        return found


def scanned(text: str) -> int:
    CountingStr.scanned = 0
    split_entries(CountingStr(text))
    return CountingStr.scanned


HOSTILE_SHAPES: dict[str, Callable[[int], str]] = {
    "unclosed brackets": lambda n: "a:b:[1," * n,
    "far close": lambda n: "a:b:[1," * n + "]",
    "brackets, no commas": lambda n: "[" * n,
    "closes before commas": lambda n: "a:tcp:[5000]," * n,
    "alternating": lambda n: "[,]," * n,
}


def test_split_entries_scans_each_character_a_bounded_number_of_times() -> None:
    for name, shape in HOSTILE_SHAPES.items():
        for n in (1000, 4000):
            text = shape(n)
            assert scanned(text) <= 3 * len(text) + 10, name


@contextmanager
def counting_work() -> Iterator[list[int]]:
    """Count the Python bytecodes run and the C functions called inside the block."""
    count = [0]

    def local(frame: Any, event: str, arg: Any) -> Any:
        count[0] += 1
        return local

    def trace(frame: Any, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        return local

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            count[0] += 1

    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        yield count
    finally:
        sys.setprofile(None)
        sys.settrace(None)


def work(function: Callable[[], object]) -> int:
    with counting_work() as count, suppress(ImageLabelError):
        function()
    return count[0]


class CountingEq(str):
    """A ``str`` that counts how often it is compared for equality."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        CountingEq.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _entries(n: int, protocol: str = "preopen") -> str:
    return ",".join(f"p{i}:{protocol}:{10000 + i}" for i in range(n))


def _inference(n: int) -> dict[str, str]:
    return {
        lb.LABEL_KERNELSPEC: "1",
        lb.LABEL_FEATURES: "batch",
        lb.LABEL_BASE_DISTRO: "ubuntu",
        lb.LABEL_RUNTIME_TYPE: "python",
        lb.LABEL_RUNTIME_PATH: "/p",
        lb.LABEL_ROLE: "INFERENCE",
        lb.LABEL_SERVICE_PORTS: _entries(n),
        lb.LABEL_ENDPOINT_PORTS: ",".join(f"p{i}" for i in range(n)),
        lb.LABEL_MODEL_PATH: "/m",
        lb.LABEL_MODEL_FORMAT: "x",
    }


WORKLOADS: dict[str, Callable[[int], Callable[[], object]]] = {
    # The reference is quadratic here: every service port against every endpoint port.
    "inference endpoints": lambda n: lambda: validate_image_labels(_inference(n)),
    "parse with endpoints": lambda n: (
        lambda: parse_service_ports(_entries(n), ",".join(f"p{i}" for i in range(n)))
    ),
    "pty entries": lambda n: lambda: parse_service_ports(_entries(n, "pty"), ""),
    "one bracketed list": lambda n: (
        lambda: parse_service_ports(
            "a:tcp:[" + ",".join(str(10000 + i) for i in range(n)) + "]", ""
        )
    ),
    "every entry bad": lambda n: lambda: parse_service_ports("x:udp:80," * n, ""),
    "unclosed brackets": lambda n: lambda: parse_service_ports("a:b:[1," * n, ""),
}


def test_work_grows_linearly_with_the_label() -> None:
    for name, workload in WORKLOADS.items():
        # On CPython 3.12 the first traced call of a code object counts fewer events
        # (its instrumentation is set up during that call), so the first count would
        # be too small; a tiny run of the same workload first makes both counts comparable.
        work(workload(3))
        small, large = work(workload(500)), work(workload(2000))
        assert large <= 4.4 * small, (name, small, large)


def test_endpoint_lookup_compares_a_bounded_number_of_times() -> None:
    """Each service port is looked up among the endpoint ports, not compared with each."""
    for n in (500, 2000):
        CountingEq.compared = 0
        parse_service_ports(_entries(n), [CountingEq(f"p{i}") for i in range(n)])
        assert CountingEq.compared <= 2 * n


def test_memory_grows_linearly_with_the_label() -> None:
    def peak(n: int) -> int:
        text = "x:udp:80," * n  # every entry two problems: the worst case for memory
        tracemalloc.start()
        with suppress(ImageLabelError):
            parse_service_ports(text, "")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(5000), peak(20000)
    assert large <= 4.4 * small, (small, large)


def test_megabyte_values_are_refused_quickly_and_shown_short() -> None:
    huge = "a" * 1_000_000
    labels = {
        lb.LABEL_KERNELSPEC: huge,
        lb.LABEL_FEATURES: huge + "  x",
        lb.LABEL_BASE_DISTRO: huge,
        lb.LABEL_RUNTIME_TYPE: huge,
        lb.LABEL_RUNTIME_PATH: "/" + huge,
        lb.LABEL_SERVICE_PORTS: huge + ":tcp:" + "9" * 1_000_000,
    }
    assert work(lambda: validate_image_labels(labels)) < 5000
    with pytest.raises(ImageLabelError) as caught:
        validate_image_labels(labels)
    assert len(str(caught.value)) < 2000
