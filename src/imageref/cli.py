"""The ``imageref`` command line: ``python -m imageref parse REF...``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .errors import ImageRefError
from .image import ImageRef

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imageref", description="Parse container image references."
    )
    parser.add_argument("--version", action="version", version=f"imageref {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="print the parsed fields of each reference")
    parse.add_argument("refs", nargs="+", metavar="REF")
    parse.add_argument("-r", "--registry", action="append", default=None)
    parse.add_argument("-a", "--arch", default="x86_64")
    parse.add_argument("--local", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    status = 0
    for value in args.refs:
        try:
            ref = ImageRef(value, args.registry, args.arch, args.local)
        except ImageRefError as exc:
            print(
                json.dumps(
                    {"input": value, "error": {"type": type(exc).__name__, "message": str(exc)}}
                )
            )
            print(f"imageref: {exc}", file=sys.stderr)
            status = 1
        else:
            print(json.dumps({"input": value, **ref.to_dict()}))
    return status
