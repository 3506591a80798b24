"""``imageref labels`` on Dockerfiles: the options, the reading and the four outputs.

A FILE is a Dockerfile when ``--input-format dockerfile`` says so, or under
``--input-format auto`` when its name is one (:func:`is_dockerfile_name`). Each is
checked by :func:`imageref.dockerfile.check_dockerfile` with ``--compat``,
``--target``, ``--build-arg`` and ``--base-labels``; its problems are written as

* text: ``PATH:LINE:COL: LABEL: message`` (``PATH:LINE:COL: message`` for a
  problem of no one label), a line per problem;
* ``--format json``: a JSON line per Dockerfile (``source`` then
  :meth:`~imageref.dockerfile.DockerfileCheck.to_dict`'s fields);
* ``--format github``: GitHub Actions workflow commands
  (``::error file=PATH,line=L,col=C,title=LABEL::message``), which annotate the lines;
* ``--format sarif``: one SARIF 2.1.0 document for all the Dockerfiles, written at
  the end (for code scanning).

The exit status is 1 when a Dockerfile has an error (with ``--strict``, any problem).
"""

from __future__ import annotations

import json
import os

from ._io import EXIT_USAGE, one_line, show_short

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import IO, Any

    from ..dockerfile import DockerfileCheck
    from ._io import Run

__all__ = [
    "FORMATS",
    "SARIF_SCHEMA",
    "DockerfileLint",
    "add_options",
    "base_labels",
    "is_dockerfile_name",
    "json_line",
]

#: The output formats for Dockerfiles (``github`` and ``sarif`` only for them).
FORMATS = ("text", "json", "github", "sarif")
#: The schema a SARIF report names.
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


#: A str as JSON, escaped to ASCII: json.dumps's own function (in C).
_quote = json.encoder.encode_basestring_ascii


def _text(value: str | None) -> str:
    """*value* as JSON (``null`` for None), escaped to ASCII as ``json.dumps`` does."""
    return "null" if value is None else _quote(value)


def json_line(source: str, report: DockerfileCheck) -> str:
    """The ``--format json`` line of *report* (read from *source*), without its newline:
    ``source``, then :meth:`~imageref.dockerfile.DockerfileCheck.to_dict`'s fields,
    the same text as ``json.dumps({"source": source, **report.to_dict()})`` gives
    (a test holds the two together), written field by field: twice as fast, as a
    report's fields are known (strings, numbers, None)."""
    quote = _quote
    labels = ", ".join([f"{quote(key)}: {quote(value)}" for key, value in report.labels.items()])
    problems = ", ".join(
        [
            f'{{"label": {_text(problem.label)}, "line": {problem.line},'
            f' "column": {problem.column}, "severity": {quote(problem.severity)},'
            f' "rule": {quote(problem.rule)}, "message": {quote(problem.message)}}}'
            for problem in report.problems
        ]
    )
    return (
        f'{{"source": {quote(source)}, "image": {quote(report.image)},'
        f' "valid": {"true" if report.valid else "false"}, "base": {_text(report.base)},'
        f' "platform": {_text(report.platform)},'
        f' "architecture": {_text(report.architecture)}, "labels": {{{labels}}},'
        f' "unresolved": [{", ".join(map(quote, report.unresolved))}],'
        f' "problems": [{problems}]}}'
    )


def is_dockerfile_name(path: str) -> bool:
    """Whether *path* names a Dockerfile: ``Dockerfile``, ``Containerfile``,
    ``Dockerfile.*``, ``*.Dockerfile`` or ``*.containerfile`` (suffixes in any case).

    >>> [is_dockerfile_name(p) for p in ("ci/Dockerfile", "Dockerfile.cuda", "x.Dockerfile")]
    [True, True, True]
    >>> is_dockerfile_name("labels.env"), is_dockerfile_name("-")
    (False, False)
    """
    name = os.path.basename(path)
    lower = name.lower()
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith("Dockerfile.")
        or (lower.endswith((".dockerfile", ".containerfile")) and lower[0] != ".")
    )


def _build_arg(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        import argparse  # noqa: PLC0415 - only a command line gets here

        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def add_options(command: argparse.ArgumentParser) -> None:
    """Declare the Dockerfile options of ``imageref labels``."""
    group = command.add_argument_group("Dockerfiles")
    group.add_argument(
        "--target", metavar="STAGE", help="the stage built (default: the last; any case)"
    )
    group.add_argument(
        "--build-arg",
        dest="build_args",
        action="append",
        type=_build_arg,
        default=[],
        metavar="NAME=VALUE",
        help="set an ARG as docker build --build-arg does (repeatable)",
    )
    group.add_argument(
        "--base-labels",
        metavar="FILE",
        help="docker inspect output of the base images: their labels are then known",
    )
    group.add_argument("--strict", action="store_true", help="warnings fail too (exit status 1)")


def base_labels(path: str) -> dict[str, dict[str, str]]:
    """The labels of the images in the ``docker inspect`` output *path*; raises
    ``OSError`` or ``ValueError`` (the reason) when it cannot be used."""
    from ..dockerfile import base_labels_from_inspect  # noqa: PLC0415

    with open(path, "rb") as stream:
        data = stream.read()
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    try:
        return base_labels_from_inspect(doc)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub Actions reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class DockerfileLint:
    """The Dockerfiles of one ``imageref labels`` run, reported through *run*."""

    def __init__(self, args: argparse.Namespace, run: Run) -> None:
        self.run = run
        self.compat: str = args.compat
        self.target: str | None = args.target
        self.build_args = dict(args.build_args)
        self.format: str = "quiet" if args.quiet else args.format
        self.strict: bool = args.strict
        self.known: dict[str, dict[str, str]] | None = None
        self.base_labels_file: str | None = args.base_labels
        self.results: list[dict[str, Any]] = []

    def load(self) -> bool:
        """Read ``--base-labels``; False (reported) when it cannot be used."""
        if self.base_labels_file is None:
            return True
        try:
            self.known = base_labels(self.base_labels_file)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.run.complain(f"--base-labels {self.base_labels_file!r}: {reason}")
            self.run.fail(EXIT_USAGE)
            return False
        return True

    def lint(self, stream: IO[bytes], source: str) -> None:
        """Check the Dockerfile *stream* (named *source*) and report it."""
        from ..dockerfile import check_dockerfile  # noqa: PLC0415

        report = check_dockerfile(
            stream.read(),
            target=self.target,
            build_args=self.build_args,
            base_labels=self.known,
            compat=self.compat,
        )
        if report.failed(self.strict):
            self.run.fail()
        out = self.run.out
        if self.format == "text":
            out.write(self._text(source, report))
        elif self.format == "json":
            out.write(f"{json_line(source, report)}\n".encode("ascii"))
        elif self.format == "github":
            out.write(self._github(source, report))
        elif self.format == "sarif":
            self.results += self._sarif_results(source, report)
        out.flush()

    @staticmethod
    def _text(source: str, report: DockerfileCheck) -> bytes:
        prefix = os.fsencode(source)
        lines = []
        for problem in report.problems:
            label = "" if problem.label is None else f"{show_short(problem.label)}: "
            where = f":{problem.line}:{problem.column}: "
            lines.append(prefix + f"{where}{label}{one_line(problem.message)}\n".encode("ascii"))
        return b"".join(lines)

    @staticmethod
    def _github(source: str, report: DockerfileCheck) -> bytes:
        lines = []
        for problem in report.problems:
            title = problem.label or problem.rule
            fields = (
                f"file={_escape_property(source)},line={problem.line},col={problem.column},"
                f"title={_escape_property(title)}"
            )
            message = _escape_data(problem.message)
            lines.append(one_line(f"::{problem.severity} {fields}::{message}") + "\n")
        return "".join(lines).encode("ascii")

    @staticmethod
    def _sarif_results(source: str, report: DockerfileCheck) -> list[dict[str, Any]]:
        from urllib.parse import quote  # noqa: PLC0415

        uri = quote(source.replace(os.sep, "/"))
        results = []
        for problem in report.problems:
            message = problem.message
            if problem.label is not None:
                message = f"{problem.label}: {message}"
            results.append(
                {
                    "ruleId": problem.rule,
                    "level": problem.severity,
                    "message": {"text": message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": {
                                    "startLine": problem.line,
                                    "startColumn": problem.column,
                                },
                            }
                        }
                    ],
                }
            )
        return results

    def finish(self) -> None:
        """Write what is written at the end: the SARIF document."""
        if self.format != "sarif":
            return
        from .. import __version__  # noqa: PLC0415
        from ..dockerfile import RULES  # noqa: PLC0415

        doc = {
            "version": "2.1.0",
            "$schema": SARIF_SCHEMA,
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "imageref",
                            "version": __version__,
                            "informationUri": "https://pypi.org/project/imageref/",
                            "rules": [
                                {"id": rule, "shortDescription": {"text": text}}
                                for rule, text in RULES.items()
                            ],
                        }
                    },
                    "results": self.results,
                }
            ],
        }
        self.run.out.write((json.dumps(doc, indent=2) + "\n").encode("ascii"))
        self.run.out.flush()
