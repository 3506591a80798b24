"""Coverage-guided fuzzing of ``imageref.dockerfile`` (the Dockerfile reader and checks).

Run it as::

    python fuzz/fuzz_dockerfile.py -max_total_time=10 fuzz/corpus/dockerfile

Input layout: the first byte picks the options (bit 0: ``--compat 26.09``; bit 1: a
``target`` named after the first stage name found; bit 2: build args ``A=x`` and
``TARGETARCH=arm64``), the rest is the Dockerfile's bytes, given as they are (so
invalid UTF-8, NUL and every other hostile byte reach the reader).

What must hold for every input:

- :func:`~imageref.dockerfile.check_dockerfile` returns: no exception at all;
- every problem has a line and a column of at least 1, a severity ``error`` or
  ``warning``, a rule of :data:`~imageref.dockerfile.RULES` and a message;
  ``valid`` is "no error";
- the JSON report survives ``json.dumps`` and ``json.loads``;
- the labels and unresolved names do not overlap, and each has a position;
- the same bytes checked again give an equal report (no hidden state changes an answer).

Without atheris the script replays the corpus files through the same checks once.
"""

from __future__ import annotations

import json

try:
    import atheris
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None

if atheris is not None:
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports():
        from imageref.dockerfile import RULES, check_dockerfile
else:  # pragma: no cover
    from imageref.dockerfile import RULES, check_dockerfile


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris looks for
    """Check every invariant on one input."""
    if not data:
        return
    options, text = data[0], data[1:]
    target = None
    if options & 2:
        _, found, rest = text.partition(b" AS ")
        if found:
            target = rest.split(b"\n", 1)[0].decode("utf-8", "replace").strip() or None
    build_args = {"A": "x", "TARGETARCH": "arm64"} if options & 4 else None
    compat = "26.09" if options & 1 else "24.03"
    report = check_dockerfile(text, target=target, build_args=build_args, compat=compat)
    for problem in report.problems:
        assert problem.line >= 1, problem
        assert problem.column >= 1, problem
        assert problem.severity in ("error", "warning"), problem
        assert problem.rule in RULES, problem
        assert problem.message, problem
    assert report.valid == all(p.severity == "warning" for p in report.problems)
    fields = report.to_dict()
    assert json.loads(json.dumps(fields)) == fields
    assert not set(report.labels) & set(report.unresolved), report
    for label in (*report.labels, *report.unresolved):
        line, column = report.label_positions[label]
        assert line >= 1, (label, line)
        assert column >= 1, (label, column)
    again = check_dockerfile(text, target=target, build_args=build_args, compat=compat)
    assert again == report


def main() -> None:
    from _runner import run

    run(atheris, TestOneInput)


if __name__ == "__main__":
    main()
