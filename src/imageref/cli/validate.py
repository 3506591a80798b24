"""``imageref validate``: report the invalid references in files of references.

:func:`add_parser` declares the command, :func:`run` runs it; :class:`Validate`
reads each file (``-``: standard input) as a stream of lines and writes
``FILE:LINE: message`` for each invalid one.
"""

from __future__ import annotations

import os
from functools import partial

from .._memo import remember
from ._io import (
    CACHE_ENTRIES,
    CACHE_KEY_BYTES,
    Run,
    decode_error,
    one_line,
    overlong_error,
    read_lines,
)
from ._options import (
    COMPAT_RELEASES,
    add_command,
    add_compat_option,
    add_oci_option,
    add_registry_option,
    backendai_reader,
    reader,
)

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import IO, Any

    from ._io import Line
    from ._options import Commands

__all__ = ["Validate", "add_parser", "run"]

_EXAMPLES = """\
Reads one reference per line; blank lines and lines starting with "#" are
skipped. Each invalid line is printed as FILE:LINE: message (standard input
is named "-"); valid lines print nothing. With --oci, the lines are checked
by Docker's rules (imageref.oci.Reference) and the messages are Go's.

examples:
  imageref validate images.txt
  imageref validate -r localhost:5000 images.txt more-images.txt
  printf 'python:3.6\\n\\n# base images\\nalpine:3.8\\n' | imageref validate -
  imageref validate --quiet images.txt || echo "images.txt has invalid references"
  imageref validate --oci images.txt
  printf 'python:3.6\\nPython:3\\n' | imageref validate --oci -
"""


def add_parser(commands: Commands) -> argparse.ArgumentParser:
    """Declare ``imageref validate`` and its options."""
    validate = add_command(
        commands,
        "validate",
        "report the invalid references in lists of references",
        "Report the invalid references in files of references.",
        _EXAMPLES,
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for stdin")
    add_registry_option(validate)
    add_compat_option(validate)
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing; only the exit status tells"
    )
    add_oci_option(validate, "-r")
    return validate


def run(args: argparse.Namespace) -> int:
    """Run ``imageref validate`` as *args* say; return the exit status."""
    if getattr(args, "oci", False) or args.compat != COMPAT_RELEASES[0]:
        command = Validate(reader(args), args.quiet)
    else:  # Backend.AI 24.03's rules: new lines are read in bulk
        image_parser, parse = backendai_reader(args)
        command = Validate(parse, args.quiet, image_parser.parse_many)
    command.run(args.files)
    return command.status


class Validate(Run):
    """``imageref validate``: ``FILE:LINE: message`` per invalid line (none if *quiet*)."""

    def __init__(
        self,
        parse: Callable[[str], Any],
        quiet: bool,
        parse_all: Callable[[list[str]], list[Any]] | None = None,
    ) -> None:
        super().__init__(parse)
        # The bulk reader (ImageRefParser.parse_many) when there is one: the new lines
        # of a block are read in one call, each outcome a ref or its line's error.
        self.parse_all = parse_all
        self.quiet = quiet
        self.ok: set[Line] = set()  # lines known to be valid, blank or comments
        self.bad: dict[Line, str] = {}  # line -> its message

    def run(self, files: Sequence[str]) -> None:
        """Check the lines of each of *files* (``-``: standard input)."""
        for name in files:
            self.read(name, partial(self._check, name=os.fsencode(name)))
        self.out.flush()

    def _check(self, stream: IO[bytes], name: bytes) -> None:
        ok = self.ok
        count = 0
        for lines in read_lines(stream):
            misses = [i for i, raw in enumerate(lines) if raw not in ok]
            if self.parse_all is not None and misses:
                misses = self._valid_in_bulk(lines, misses)
            reports = [self._check_line(lines[i], count + i + 1, name) for i in misses]
            count += len(lines)
            if any(reports):
                self.out.write(b"".join(reports))
                self.out.flush()

    def _valid_in_bulk(self, lines: list[Line], misses: list[int]) -> list[int]:
        """The lines of *misses* left to check one by one: those that are not plain
        references that the bulk reader finds valid (which are remembered as valid)."""
        ok = self.ok
        texts: list[str] = []
        where: list[int] = []
        rest: list[int] = []
        for i in misses:
            raw = lines[i]
            try:
                texts.append(raw.decode())
            except (AttributeError, UnicodeDecodeError):  # an Overlong has no decode()
                rest.append(i)
                continue
            where.append(i)
        assert self.parse_all is not None
        for i, outcome in zip(where, self.parse_all(texts), strict=True):
            if isinstance(outcome, Exception):  # a blank line or a comment too
                rest.append(i)
            elif len(lines[i]) <= CACHE_KEY_BYTES:
                if len(ok) >= CACHE_ENTRIES:
                    ok.clear()
                ok.add(lines[i])
        rest.sort()
        return rest

    def _check_line(self, raw: Line, line: int, name: bytes) -> bytes:
        # Run once per distinct line: is_overlong() and remember() inlined for speed.
        if raw.__class__ is not bytes:
            return self._report(name, line, overlong_error())
        message = self.bad.get(raw)
        if message is None:
            message = self._problem(raw)
            if len(raw) <= CACHE_KEY_BYTES:
                if message is None:
                    if len(self.ok) >= CACHE_ENTRIES:
                        self.ok.clear()
                    self.ok.add(raw)
                else:
                    remember(self.bad, raw, message, CACHE_ENTRIES)
            if message is None:
                return b""
        return self._report(name, line, message)

    def _problem(self, raw: bytes) -> str | None:
        """What is wrong with the line *raw*, or None if it is valid, blank or a comment."""
        content = raw.lstrip()
        if not content or content[:1] == b"#":
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return decode_error(raw, exc)
        try:
            self.parse_ref(text)
        except Exception as exc:  # any failure is that line's, reported as such
            return str(exc)
        return None

    def _report(self, name: bytes, line: int, message: str) -> bytes:
        self.fail()
        if self.quiet:
            return b""
        return name + f":{line}: {one_line(message)}\n".encode("ascii")
