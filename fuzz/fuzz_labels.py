"""Coverage-guided fuzzing of ``imageref.labels`` with atheris (libFuzzer).

Run it as::

    python fuzz/fuzz_labels.py -max_total_time=10 fuzz/corpus/labels

Input layout: the first byte picks the mode, the rest is UTF-8 text (bytes that are not
UTF-8 become lone surrogates, so every byte string is some ``str``):

- mode 0: ``parse_service_ports(first line, second line)``;
- mode 1: ``parse_service_ports(lines, [])``: the list form;
- mode 2: ``validate_image_labels`` of a valid compute image with each ``KEY=VALUE`` line
  set (``KEY`` without ``.`` means ``ai.backend.KEY``); mode 3 the same on an INFERENCE image;
- mode 4: hostile shapes built from the first line, a unit repeated until the label is about
  :data:`HOSTILE_CHARS` characters: a service-ports label of the unit repeated, one
  bracketed list of it (``a:tcp:[UNIT,UNIT,...]``), endpoint ports of it on an INFERENCE
  image, and as many extra labels (each the unit as its value, then as a non-``str``).

What must hold for every input:

- the only exception is :class:`imageref.ImageLabelError`, with at least one problem, each
  shown as printable ASCII, and a message that is ASCII;
- the report is bounded: per label at most ``SHOWN_PER_KIND`` problems of each kind and one
  summary per kind (whose ``more`` counts the rest), so no more problems in all than a few per
  kind, and the error's ``count`` is the listed problems plus the counted ones;
- parsed service ports have unique ports in 1025..65534, ASCII names, ``(None,)`` host ports;
- the entries of a service-ports text joined by ``,`` give the text back;
- Backend.AI 26.09's ``validate_image_labels`` and ``parse_service_ports``
  (``imageref.compat.v2609``) agree with 24.03's wherever the releases agree: the same
  values (26.09's schema keys being ``LabelName`` members) or problems with the same labels
  and values, since every label set here has the labels 24.03 requires; service ports
  agree unless the text names ``vnc`` or ``rdp``, which only 26.09 allows;
- valid labels round-trip: ``ImageLabels`` gives back the validated dict, its ``to_labels()``
  check into an equal value, its ``to_dict()`` survives JSON, and the GraphQL list form gives
  the same value.

Without atheris the script replays the corpus files through the same checks once.
"""

from __future__ import annotations

import json
from collections.abc import Callable

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None

if atheris is not None:
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports():
        from imageref import ImageLabelError, ImageLabels, labels
        from imageref._service_ports import split_entries
        from imageref.compat import v2609
        from imageref.errors import SHOWN_PER_KIND
else:  # pragma: no cover
    from imageref import ImageLabelError, ImageLabels, labels
    from imageref._service_ports import split_entries
    from imageref.compat import v2609
    from imageref.errors import SHOWN_PER_KIND

#: The size of a label that mode 4 builds (characters), and the most kinds of fault one
#: label can have (service ports: malformed, protocol, too low, too high, reserved, used,
#: too many digits; endpoint ports: two; labels that are not str: one across labels).
HOSTILE_CHARS = 30_000
MOST_KINDS = 8
#: The longest a problem's text can be: its label, its value and a value in its reason, each
#: shown in at most 80 characters (each escaped in at most 10: ``\U0001f600``) and a length,
#: and the words of a reason.
LONGEST_PROBLEM = 3 * (80 * 10 + 40) + 300

COMPUTE = {
    labels.LABEL_KERNELSPEC: "1",
    labels.LABEL_FEATURES: "batch query",
    labels.LABEL_BASE_DISTRO: "ubuntu22.04",
    labels.LABEL_RUNTIME_TYPE: "python",
    labels.LABEL_RUNTIME_PATH: "/usr/bin/python3",
    labels.LABEL_SERVICE_PORTS: "jupyter:http:8080,api:preopen:[8000,8001]",
}
INFERENCE = {
    **COMPUTE,
    labels.LABEL_ROLE: "INFERENCE",
    labels.LABEL_ENDPOINT_PORTS: "api",
    labels.LABEL_MODEL_PATH: "/models",
    labels.LABEL_MODEL_FORMAT: "onnx",
}


def _check_error(error: ImageLabelError) -> None:
    assert error.problems, error
    by_label: dict[str, list[int]] = {}
    for problem in error.problems:
        assert problem.reason, problem
        if problem.value is not None:
            assert problem.value.isascii(), problem
            assert problem.value.isprintable(), problem
        assert len(str(problem)) <= LONGEST_PROBLEM, problem
        assert problem.more >= 0, problem
        if problem.more:
            assert problem.value is None, problem
            assert problem.reason.startswith(f"... and {problem.more:,} more problem"), problem
        by_label.setdefault(str(problem.label), []).append(problem.more)
    for label, mores in by_label.items():
        summaries = sum(1 for more in mores if more)
        assert summaries <= MOST_KINDS, (label, mores)
        assert len(mores) - summaries <= SHOWN_PER_KIND * MOST_KINDS, (label, len(mores))
    assert error.count == sum(problem.more or 1 for problem in error.problems), error
    assert str(error).isascii(), error


def _problems(error: ImageLabelError) -> list[tuple[str, str | None]]:
    """The labels and values of *error*'s problems (the reasons name a release's protocols)."""
    return [(problem.label, problem.value) for problem in error.problems]


def _check_releases_agree(
    check: Callable[[], object], check_2609: Callable[[], object], agree: bool
) -> None:
    """26.09's answer is well formed, and 24.03's when the releases *agree* on the input."""
    try:
        new = check_2609()
    except ImageLabelError as error:
        _check_error(error)
        if agree:
            found = _problems(error)
            try:
                check()
            except ImageLabelError as old:
                expected = _problems(old)
            else:
                expected = []  # 24.03 accepted it
            assert expected == found, (expected, found)
        return
    if agree:
        old = check()
        assert isinstance(new, (list, dict)), new
        assert new == old, (old, new)
        if isinstance(new, dict):
            assert [isinstance(key, v2609.LabelName) for key in new] == [
                type(key) is not str or key in labels._SCHEMA_LABELS for key in old
            ]


def _check_ports(service_ports: str | list[str], endpoints: str | list[str]) -> None:
    text = service_ports if isinstance(service_ports, str) else ",".join(service_ports)
    _check_releases_agree(
        lambda: labels.parse_service_ports(service_ports, endpoints),
        lambda: v2609.parse_service_ports(service_ports, endpoints),
        "vnc" not in text and "rdp" not in text,
    )
    try:
        ports = labels.parse_service_ports(service_ports, endpoints)
    except ImageLabelError as error:
        _check_error(error)
        return
    seen: set[int] = set()
    for port in ports:
        assert port["name"].isascii(), port
        assert port["host_ports"] == (None,) * len(port["container_ports"]), port
        for number in port["container_ports"]:
            assert 1024 < number < 65535, port
            assert number not in seen, port
            seen.add(number)
    if isinstance(service_ports, str):
        assert ",".join(split_entries(service_ports)) == service_ports


def _check_labels(base: dict[str, str], lines: list[str]) -> None:
    given = dict(base)
    for line in lines:
        key, _, value = line.partition("=")
        given[key if "." in key else f"ai.backend.{key}"] = value
    _check_releases_agree(
        lambda: labels.validate_image_labels(given),
        lambda: v2609.validate_image_labels(given),
        "vnc" not in given.get(labels.LABEL_SERVICE_PORTS, "")
        and "rdp" not in given.get(labels.LABEL_SERVICE_PORTS, ""),
    )
    try:
        result = labels.validate_image_labels(given)
    except ImageLabelError as error:
        _check_error(error)
        return
    value = ImageLabels.from_labels(given)
    assert value.validated() == result
    assert ImageLabels.from_labels(value.to_labels()) == value
    data = value.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert ImageLabels.from_labels([{"key": k, "value": v} for k, v in given.items()]) == value


def _check_hostile(unit: str) -> None:
    """Labels made of *unit* repeated to about HOSTILE_CHARS characters (mode 4)."""
    if not unit:
        return
    times = max(1, HOSTILE_CHARS // len(unit))
    _check_ports(unit * times, "")
    _check_ports("a:tcp:[" + ",".join([unit] * times) + "]", "")
    endpoints = {**INFERENCE, labels.LABEL_ENDPOINT_PORTS: ",".join([unit] * times)}
    _check_releases_agree(
        lambda: labels.validate_image_labels(endpoints),
        lambda: v2609.validate_image_labels(endpoints),
        True,  # the service ports are COMPUTE's: no vnc, no rdp
    )
    count = min(times, 5000)
    extra = {f"{unit[:20]}.{i}": unit for i in range(count)}
    assert len(labels.validate_image_labels({**COMPUTE, **extra})) == len(COMPUTE) + count + 1
    not_str: dict[str, object] = {**COMPUTE, **dict.fromkeys(extra, len(unit))}
    found: ImageLabelError | None = None
    try:
        labels.validate_image_labels(not_str)  # type: ignore[arg-type]
    except ImageLabelError as error:
        found = error
    assert found is not None, "values that are not str were accepted"
    _check_error(found)
    assert found.count == count, found


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris looks for
    """Check every invariant on one input."""
    if not data:
        return
    mode = data[0] % 5
    text = data[1:].decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if mode == 0:
        _check_ports(lines[0], lines[1] if len(lines) > 1 else "")
    elif mode == 1:
        _check_ports(lines, [])
    elif mode == 4:
        _check_hostile(lines[0])
    else:
        _check_labels(COMPUTE if mode == 2 else INFERENCE, lines)


def main() -> None:
    from _runner import run

    run(atheris, TestOneInput)


if __name__ == "__main__":
    main()
