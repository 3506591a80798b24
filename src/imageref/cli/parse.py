"""``imageref parse``: print the parsed fields of each reference.

:func:`add_parser` declares the command, :func:`run` runs it; :class:`Parse` does
the work: references given as arguments, or streamed from standard input (``-``),
each written as a JSON line or a table row (see :mod:`imageref.cli._io`).
"""

from __future__ import annotations

import os
from functools import partial

from .._memo import Table as MemoTable
from .._memo import remember
from ._io import (
    CACHE_ENTRIES,
    CACHE_KEY_BYTES,
    IMAGE_HEADER,
    OCI_HEADER,
    PROJECT_HEADER,
    Json,
    JsonBase,
    OciJson,
    Run,
    Table,
    decode_error,
    error_row,
    image_row,
    is_overlong,
    oci_row,
    one_line,
    overlong_error,
    project_row,
    read_lines,
    shown_overlong,
)
from ._options import (
    COMPAT_RELEASES,
    add_command,
    add_compat_option,
    add_oci_option,
    add_registry_option,
    backendai_reader,
    oci_reader,
    v2609_reader,
)

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import IO, Any

    from ._io import Line, Overlong
    from ._options import Commands

__all__ = ["Parse", "add_parser", "run"]

_EXAMPLES = """\
Each result is a line of JSON: the reference's fields (ImageRef.to_dict())
plus "input". An invalid reference gives {"input": ..., "error": {"type": ...,
"message": ...}} and a message on stderr. With "-", references are read from
standard input, one per line; blank lines are skipped. Put "--" before a
reference that starts with "-".

With --oci, references are read by Docker's rules (imageref.oci.Reference) and
the fields are domain, path, name, tag, digest, familiar and string; tag and
digest are null when absent, and errors have the type InvalidReference and Go's
message. -r, -a and --local do not apply to them.

examples:
  imageref parse python:3.6-ubuntu18.04
  imageref parse --format text -r cr.backend.ai cr.backend.ai/stable/python:3.9 alpine:3.8
  imageref parse -r '*' -a arm64 --local registry.example.com/team/app:1.0
  printf 'python:3.6\\nbad:!\\n' | imageref parse -
  imageref parse --oci python:3.6 localhost:5000/foo/bar:1.0
  imageref parse --oci --format text python:3.6 localhost:5000/foo/bar 'Python:3'
"""


def add_parser(commands: Commands) -> argparse.ArgumentParser:
    """Declare ``imageref parse`` and its options."""
    parse = add_command(
        commands,
        "parse",
        "print the parsed fields of each reference",
        "Print the parsed fields of each reference.",
        _EXAMPLES,
    )
    parse.add_argument("refs", nargs="+", metavar="REF", help="a reference, or - for stdin")
    add_registry_option(parse)
    # No default here: check_oci() must tell "-a x86_64" from no -a.
    parse.add_argument("-a", "--arch", metavar="NAME", help="architecture (default: x86_64)")
    parse.add_argument("--local", action="store_true", help="mark the images as local")
    parse.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="JSON Lines (default) or an aligned text table",
    )
    add_oci_option(parse, "-r, -a or --local")
    add_compat_option(parse)
    return parse


def run(args: argparse.Namespace) -> int:
    """Run ``imageref parse`` as *args* say; return the exit status."""
    text = args.format == "text"
    parse: Callable[[str], Any]
    parse_all: Callable[[list[str]], list[Any]] | None = None
    json_lines: JsonBase
    if args.oci:
        parse = oci_reader()
        json_lines = OciJson()
        table = Table(OCI_HEADER, oci_row) if text else None
    elif args.compat != COMPAT_RELEASES[0]:
        parse = v2609_reader(args)
        json_lines = JsonBase()  # every field by json.dumps, project included
        table = Table(PROJECT_HEADER, project_row) if text else None
    else:
        image_parser, parse = backendai_reader(args)
        json_lines = Json(image_parser.architecture, args.local)
        table = Table(IMAGE_HEADER, image_row) if text else None
        parse_all = partial(image_parser.parse_many, is_local=bool(args.local))
    command = Parse(parse, json_lines, table, parse_all)
    command.run(args.refs)
    return command.status


class Parse(Run):
    """``imageref parse``: a JSON line (or, given a *table*, a row) per reference."""

    def __init__(
        self,
        parse: Callable[[str], Any],
        json: JsonBase,
        table: Table | None,
        parse_all: Callable[[list[str]], list[Any]] | None = None,
    ) -> None:
        super().__init__(parse)
        # The bulk reader (ImageRefParser.parse_many) when there is one: a block of new
        # lines is read in one call, each outcome a ref or the error of its line.
        self.parse_all = parse_all
        self.table = table
        self.json = json
        json.check(parse)
        # line -> JSON line, for valid and blank lines; it rests while lines do not
        # repeat (see imageref._memo.Table), so new lines cost no bookkeeping.
        self.lines = MemoTable(CACHE_ENTRIES, module=False)
        self.bad: dict[Line, tuple[bytes, str]] = {}  # line -> (JSON line, message)
        # Results of arguments, written together so that a table is aligned.
        self.rows: list[tuple[str, ...]] = []
        self.errors: list[str] = []

    def run(self, values: Sequence[str]) -> None:
        """Parse each of *values*: a reference, or ``-`` for the lines of stdin."""
        for value in values:
            if value == "-":
                self._flush_rows()
                self.read("-", self._stream_json if self.table is None else self._stream_text)
            else:
                self._argument(value)
        self._flush_rows()
        self.out.flush()

    def _evaluate(self, raw: bytes, line: int | None) -> tuple[str, Any, str, str, str]:
        """(shown input, ref or None, error type, error message, stderr message)."""
        where = "" if line is None else f"line {line}: "
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            detail = decode_error(raw, exc)
            shown = raw.decode("utf-8", "backslashreplace")
            return shown, None, "UnicodeDecodeError", where + detail, where + detail
        try:
            ref = self.parse_ref(text)
        except Exception as exc:  # any failure is that reference's, reported as such
            message = str(exc)
            return text, None, type(exc).__name__, message, where + one_line(message)
        return text, ref, "", "", ""

    def _tabulate(self, raw: bytes, line: int | None, rows: list[tuple[str, ...]]) -> str | None:
        """Append the row of *raw* to *rows*; return its stderr message if it is invalid."""
        assert self.table is not None
        shown, ref, _kind, message, complaint = self._evaluate(raw, line)
        if ref is None:
            self.fail()
            rows.append(error_row(shown, message))
            return complaint
        rows.append(self.table.row(shown, ref))
        return None

    def _argument(self, value: str) -> None:
        raw = os.fsencode(value)  # undoes surrogateescape: the bytes as given
        if self.table is not None:
            complaint = self._tabulate(raw, None, self.rows)
            if complaint is not None:
                self.errors.append(complaint)
            return
        shown, ref, kind, message, complaint = self._evaluate(raw, None)
        if ref is not None:
            self.out.write(self.json.line(shown, ref))
            return
        self.fail()
        self.out.write(self.json.error(shown, kind, message))
        self.errors.append(complaint)

    def _flush_rows(self) -> None:
        """Write what the arguments so far gave: rows as one aligned table block."""
        if self.table is not None and self.rows:
            self.out.write(self.table.render(self.rows))
            self.rows = []
        if self.errors:
            self.out.flush()
            self.complain_all(self.errors)
            self.errors = []

    def _stream_json(self, stream: IO[bytes]) -> None:
        write = self.out.write
        flush = self.out.flush
        count = 0
        for lines in read_lines(stream):
            errors: list[str] = []
            write(self._json_block(lines, count, errors))
            flush()
            if errors:
                self.complain_all(errors)
            count += len(lines)

    def _json_block(self, lines: list[Line], count: int, errors: list[str]) -> bytes:
        """The JSON lines of *lines* (numbered from *count* + 1), adding the stderr
        messages of the invalid ones to *errors*.

        The loop runs once per line that is not in the cache (every line of a list
        of new references), so it does only what a valid line needs: decode, parse,
        format, and the cache's bookkeeping inlined (see imageref._memo.Table).
        Anything else (a blank, over-long, undecodable or invalid line, none of
        which parse) is :meth:`_json_unparsed`'s.
        """
        table = self.lines
        outs: list[Any] = list(map(table.entries.get, lines))
        misses = outs.count(None)
        table.hits += len(outs) - misses
        if not misses:  # every line seen before
            return b"".join(outs)
        if self.parse_all is not None:
            return self._json_bulk(lines, outs, count, errors)
        parse = self.parse_ref
        line = self.json.line
        done: list[bytes] = []
        add = done.append
        for raw, cached in zip(lines, outs, strict=True):
            if cached is not None:
                add(cached)
                continue
            try:
                text = raw.decode()
                ref = parse(text)
            except Exception:  # see _json_unparsed (an Overlong has no decode())
                add(self._json_unparsed(raw, count + len(done) + 1, errors))
                continue
            out = line(text, ref)
            if len(raw) <= CACHE_KEY_BYTES:
                if table.rest and raw != table.last:
                    table.rest -= 1
                    table.last = raw
                else:
                    table.learn(raw, out)
            add(out)
        return b"".join(done)

    def _json_bulk(
        self, lines: list[Line], outs: list[Any], count: int, errors: list[str]
    ) -> bytes:
        """:meth:`_json_block` with the bulk reader: the lines not in the cache (*outs*
        None) that decode are read in one call; the others, and those whose outcome is
        an error, are :meth:`_json_unparsed`'s."""
        table = self.lines
        texts: list[str] = []
        where: list[int] = []
        for i, cached in enumerate(outs):
            if cached is None:
                try:
                    texts.append(lines[i].decode())
                except (AttributeError, UnicodeDecodeError):  # an Overlong has no decode()
                    continue
                where.append(i)
        line = self.json.line
        for i, text, ref in zip(where, texts, self.parse_all(texts), strict=True):  # type: ignore[misc]
            if isinstance(ref, Exception):
                continue
            raw = lines[i]
            outs[i] = out = line(text, ref)
            if len(raw) <= CACHE_KEY_BYTES:
                table.offer(raw, out)
        return b"".join(
            [
                out if out is not None else self._json_unparsed(lines[i], count + i + 1, errors)
                for i, out in enumerate(outs)
            ]
        )

    def _json_unparsed(self, raw: Line, line: int, errors: list[str]) -> bytes:
        """The JSON line of the line *raw*, number *line*, that did not parse: none when
        it is blank (no reader accepts whitespace), else its error (cached by line)."""
        if is_overlong(raw):
            shown, message = self._overlong(raw, line, errors)
            return self.json.error(shown, "LineTooLong", message)
        if not raw or raw.isspace():
            lines = self.lines
            if not lines.rest and len(raw) <= CACHE_KEY_BYTES:  # blank lines recur
                lines.learn(raw, b"")
            return b""
        bad = self.bad.get(raw)
        if bad is not None:
            self.fail()
            errors.append(f"line {line}: {bad[1]}")
            return bad[0]
        shown, _ref, kind, message, complaint = self._evaluate(raw, line)
        self.fail()
        errors.append(complaint)
        out = self.json.error(shown, kind, message)
        # Invalid references are cached too (bulk input may repeat them), but not
        # undecodable lines: their message names the line.
        if kind != "UnicodeDecodeError" and len(raw) <= CACHE_KEY_BYTES:
            remember(self.bad, raw, (out, one_line(message)), CACHE_ENTRIES)
        return out

    def _overlong(self, raw: Overlong, line: int, errors: list[str]) -> tuple[str, str]:
        """Report the over-long line *raw*, number *line*: (its shown start, the message)."""
        self.fail()
        message = f"line {line}: {overlong_error()}"
        errors.append(message)
        return shown_overlong(raw), message

    def _stream_text(self, stream: IO[bytes]) -> None:
        assert self.table is not None
        count = 0
        for lines in read_lines(stream):
            rows: list[tuple[str, ...]] = []
            errors: list[str] = []
            for raw in lines:
                count += 1
                if is_overlong(raw):
                    rows.append(error_row(*self._overlong(raw, count, errors)))
                elif raw and not raw.isspace():
                    complaint = self._tabulate(raw, count, rows)
                    if complaint is not None:
                        errors.append(complaint)
            if rows:
                self.out.write(self.table.render(rows))
                self.out.flush()
            if errors:
                self.complain_all(errors)
