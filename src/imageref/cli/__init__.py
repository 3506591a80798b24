"""The ``imageref`` command line: ``parse``, ``validate``, ``aliases`` and ``labels``.

Run it as ``python -m imageref`` or as the ``imageref`` console script;
``docs/cli.md`` is the full reference, and its examples are run by the tests.
``parse`` and ``validate`` read references by Backend.AI's rules
(:class:`~imageref.ImageRef`: 24.03's, or 26.09's with ``--compat 26.09``), or with
``--oci`` by Docker's / the OCI distribution rules (:class:`imageref.oci.Reference`,
imported only then). ``labels`` checks images' labels by 24.03's or 26.09's rules
(:class:`~imageref.ImageLabels` or :mod:`imageref.compat.v2609`, imported only then).

This module assembles the argument parser and dispatches to the commands, one
module each (:mod:`~imageref.cli.parse`, :mod:`~imageref.cli.validate`,
:mod:`~imageref.cli.aliases`, :mod:`~imageref.cli.labels`). What they share is in
:mod:`imageref.cli._io` (streams, escaping, output formats, exit codes, error reports) and
:mod:`imageref.cli._options` (shared options, and the rules they select);
``docs/cli.md`` says how to add a command.

How it behaves, in short:

* Exit status 0 when every reference (or image) is valid, 1 when any is invalid, 2 for a
  usage error (or a file that cannot be read), 130 on Ctrl-C and 141 when the
  reader of standard output went away (``| head``); never a traceback.
* Everything written is ASCII: JSON is written with ``\\uXXXX`` escapes, and any
  other text escapes what is not ASCII with backslashes.
* Lines are read as bytes and split on ``\\n`` only; the terminator (``\\n`` or
  ``\\r\\n``) is removed and nothing else is stripped, so a reference with stray
  whitespace is reported as invalid. A line that is not UTF-8, or is longer than
  :data:`MAX_LINE_BYTES`, is reported for that line and reading goes on.
* Standard input is streamed in chunks: memory use does not grow with the input.
  Results are cached per distinct line (a bounded cache), so bulk input with
  repeated references is written at memory speed.
* ``--version`` on its own is answered before ``argparse``, ``json``, the
  commands and the parser are imported, so it starts as fast as the package
  import allows; :mod:`imageref.oci` is imported only when ``--oci`` is given.
"""

from __future__ import annotations

import sys

from .. import __version__
from ._io import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_USAGE,
    PROG,
    flush_stdout,
    silence_output,
    writer,
)
from ._io import MAX_LINE_BYTES as MAX_LINE_BYTES

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_USAGE",
    "main",
]

_MAIN_EXAMPLES = """\
examples:
  imageref parse python:3.6-ubuntu18.04
  printf 'python:3.6\\nbad:!\\n' | imageref parse -
  imageref validate images.txt
  imageref aliases lablup/python-tensorflow:1.5-py36
  imageref parse --oci python:3.6
  imageref validate --oci images.txt
  imageref labels inspect.json

Exit status: 0 when everything is valid, 1 when anything is invalid,
2 for a usage error or an unreadable file, 130 on Ctrl-C, 141 when the
reader of the output went away.
"""


def _parse_args(argv: list[str]) -> argparse.Namespace:
    """*argv* parsed; raises SystemExit for ``--help``, ``--version`` and usage errors."""
    import argparse  # noqa: PLC0415 - not needed by --version

    from . import aliases, labels, parse, validate  # noqa: PLC0415 - nor are the commands
    from . import manifest as manifest_command  # noqa: PLC0415
    from ._options import check_compat, check_oci  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Parse, validate and list aliases of container image references\n"
        "(Backend.AI's ImageRef rules: 24.03's, or 26.09's with --compat 26.09; with --oci,\n"
        "Docker's / the OCI distribution rules), and check images' labels (Backend.AI's\n"
        "validate_image_labels: 24.03's, or 26.09's with --compat 26.09).",
        epilog=_MAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # The commands, in the order --help lists them: each module declares its
    # command with add_parser(commands) and runs it with run(args).
    for command in (parse, validate, aliases, labels, manifest_command):
        command.add_parser(commands).set_defaults(run=command.run)
    args = parser.parse_args(argv)
    # Found after parsing, but reported as the command's usage error all the same.
    check_oci(args, commands.choices[args.command])
    check_compat(args, commands.choices[args.command])
    return args


def _exit_code(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    return code if isinstance(code, int) else EXIT_USAGE


def _run(argv: list[str]) -> int:
    if argv == ["--version"]:  # answered before anything heavy is imported
        writer(sys.stdout).write(f"{PROG} {__version__}\n".encode())
        return 0
    try:
        args = _parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        flush_stdout()
        return _exit_code(exc)
    status: int = args.run(args)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default ``sys.argv[1:]``); return the exit status."""
    try:
        try:
            status = _run(list(sys.argv[1:] if argv is None else argv))
            flush_stdout()
        except BrokenPipeError:
            silence_output()
            return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        try:
            flush_stdout()
        except (OSError, ValueError):
            silence_output()
        return EXIT_INTERRUPTED
    return status
