"""The ``imageref`` command line: ``parse``, ``validate`` and ``aliases``.

Run it as ``python -m imageref`` or as the ``imageref`` console script;
``docs/cli.md`` is the full reference, and its examples are run by the tests.
``parse`` and ``validate`` read references by Backend.AI's rules
(:class:`~imageref.ImageRef`), or with ``--oci`` by Docker's / the OCI
distribution rules (:class:`imageref.oci.Reference`, imported only then).

How it behaves, in short:

* Exit status 0 when every reference is valid, 1 when any is invalid, 2 for a
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
* ``--version`` on its own is answered before ``argparse``, ``json`` and the
  parser are imported, so it starts as fast as the package import allows;
  :mod:`imageref.oci` is imported only when ``--oci`` is given.
"""

from __future__ import annotations

import os
import sys

from . import __version__

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator, Sequence
    from typing import IO, Any, Protocol, TypeAlias

    from .image import ImageRef
    from .oci import Reference

    class _Sink(Protocol):
        def write(self, data: bytes, /) -> object: ...
        def flush(self) -> None: ...

    # A line read: bytes, or _Overlong (kept loose: the hot loops index dicts with it).
    _Line: TypeAlias = Any

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_USAGE", "main"]

#: Some reference was invalid.
EXIT_INVALID = 1
#: Bad command line, or an input file that could not be read.
EXIT_USAGE = 2
#: Interrupted by Ctrl-C (SIGINT), as a shell reports a process killed by it.
EXIT_INTERRUPTED = 130
#: Standard output was closed by its reader, as a shell reports SIGPIPE.
EXIT_BROKEN_PIPE = 141

#: Lines longer than this (without their terminator) are reported, not parsed:
#: it keeps memory bounded whatever the input. Real references are far shorter.
MAX_LINE_BYTES = 65536

_PROG = "imageref"
_CHUNK_BYTES = 1 << 16
# Results are cached per distinct input line: at most this many lines, each at
# most _CACHE_KEY_BYTES long, so the cache stays small whatever the input.
_CACHE_ENTRIES = 16384
_CACHE_KEY_BYTES = 256
# How much of an over-long line is echoed back in its error report.
_OVERLONG_SHOWN = 64


# ---------------------------------------------------------------------------
# Output: binary, ASCII-only streams
# ---------------------------------------------------------------------------


class _NullWriter:
    """Discards everything: stands in for a closed stdout or stderr."""

    def write(self, data: bytes) -> None:
        pass

    def flush(self) -> None:
        pass


class _TextWriter:
    """Writes ASCII bytes to a text stream without ``.buffer`` (e.g. doctest's)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes) -> None:
        self._stream.write(data.decode("ascii"))

    def flush(self) -> None:
        self._stream.flush()


def _writer(stream: IO[str] | None) -> _Sink:
    """The binary stream under *stream*, after flushing its text layer."""
    if stream is None:
        return _NullWriter()
    stream.flush()
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    if buffer is None:
        return _TextWriter(stream)
    return buffer


def _ascii(text: str) -> str:
    """*text* with every non-ASCII character escaped with backslashes."""
    if text.isascii():
        return text
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _one_line(text: str) -> str:
    """*text* as one line of printable ASCII (escapes what is not)."""
    text = _ascii(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _show(text: str) -> str:
    """An input as a table cell: as-is when plain, else its quoted ``ascii()``."""
    if text and text.isascii() and text.isprintable() and " " not in text:
        return text
    return ascii(text)


# ---------------------------------------------------------------------------
# Input: lines from a binary stream, in chunks
# ---------------------------------------------------------------------------


class _Overlong:
    """Stands in for a line longer than MAX_LINE_BYTES; keeps only its start."""

    __slots__ = ("head",)

    def __init__(self, head: bytes) -> None:
        self.head = head


def _read_lines(stream: IO[bytes]) -> Iterator[list[_Line]]:
    """Yield the lines of *stream* (without ``\\n``) in lists, one per chunk read.

    Reads with ``read1`` so that a pipe or terminal is answered as data arrives,
    and never holds more than one chunk plus one line of at most MAX_LINE_BYTES.
    """
    read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
    tail = b""
    overlong: _Overlong | None = None
    while True:
        data = read(_CHUNK_BYTES)
        if not data:
            break
        lines: list[_Line]
        if overlong is not None:  # discarding the rest of an over-long line
            end = data.find(b"\n")
            if end < 0:
                continue
            lines = [overlong, *data[end + 1 :].split(b"\n")]
            overlong = None
        else:
            lines = data.split(b"\n")
            if tail:
                lines[0] = tail + lines[0]
        tail = lines.pop()
        if len(tail) > MAX_LINE_BYTES:
            overlong = _Overlong(tail[:_OVERLONG_SHOWN])
            tail = b""
        if lines:
            yield lines
    if overlong is not None:
        yield [overlong]
    elif tail:
        yield [tail]


def _strip_cr(raw: bytes) -> bytes:
    return raw[:-1] if raw[-1:] == b"\r" else raw


def _decode_error(raw: bytes, exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8: {exc.reason} 0x{raw[exc.start]:02x} at byte offset {exc.start}"


def _overlong_error() -> str:
    return f"line longer than {MAX_LINE_BYTES} bytes; not parsed"


def _shown_overlong(line: _Overlong) -> str:
    return line.head.decode("utf-8", "backslashreplace") + "..."


# ---------------------------------------------------------------------------
# Output formats
# ---------------------------------------------------------------------------


class _JsonBase:
    """Builds the JSON line of a result: ``{"input": ..., **ref.to_dict()}``.

    ``json.dumps`` per line is the bottleneck of bulk parsing, so the subclasses
    format a valid ref whose input is plain (printable ASCII without ``"`` or
    ``\\``, so that none of its fields needs escaping either: they are taken from
    the input, or are constants) with one f-string in :meth:`line`. :meth:`check`
    compares that with ``json.dumps`` once per run, on :attr:`SAMPLES`, and falls
    back to it on any difference (such as a field added to ``to_dict``).
    """

    #: References whose fast and generic lines are compared by :meth:`check`.
    SAMPLES: tuple[str, ...] = ()

    def __init__(self) -> None:
        import json  # noqa: PLC0415 - not needed by --version

        self._dumps = json.dumps
        self.fast = True

    def check(self, parse: Callable[[str], Any]) -> None:
        """Use the fast path only if it writes what ``json.dumps`` writes."""
        try:
            refs = [(text, parse(text)) for text in self.SAMPLES]
        except Exception:  # no sample, no fast path: every line goes through json.dumps
            self.fast = False
            return
        self.fast = all(self.line(text, ref) == self.generic(text, ref) for text, ref in refs)

    def line(self, text: str, ref: Any) -> bytes:
        return self.generic(text, ref)

    def generic(self, text: str, ref: Any) -> bytes:
        return (self._dumps({"input": text, **ref.to_dict()}) + "\n").encode()

    def error(self, shown: str, kind: str, message: str) -> bytes:
        obj = {"input": shown, "error": {"type": kind, "message": message}}
        return (self._dumps(obj) + "\n").encode()


class _Json(_JsonBase):
    """JSON lines of :class:`~imageref.ImageRef` results.

    The input of a valid ref is printable ASCII (rule D1), so only ``"`` and
    ``\\`` need checking; the tag-dependent end of the line is cached per tag.
    """

    SAMPLES = ("python:3.6-ubuntu18.04-py36",)

    def __init__(self, architecture: str, is_local: bool) -> None:
        super().__init__()
        dumps = self._dumps
        self._middle = (
            f'", "architecture": {dumps(architecture)},'
            f' "is_local": {dumps(is_local)}, "canonical": "'
        )
        self._tails: dict[str, str] = {}

    def line(self, text: str, ref: ImageRef) -> bytes:
        if not self.fast or '"' in text or "\\" in text or ref.digest is not None:
            return self.generic(text, ref)
        tag = ref.tag
        tail = self._tails.get(tag)
        if tail is None:
            main, platform = ref.tag_set
            tags = ", ".join([f'"{key}": "{ver}"' for key, ver in platform.items()])
            tail = f'", "version": "{main}", "platform_tags": {{{tags}}}, "digest": null}}\n'
            if len(self._tails) >= _CACHE_ENTRIES:
                self._tails.clear()
            self._tails[tag] = tail
        registry = ref.registry
        name = ref.name
        return (
            f'{{"input": "{text}", "registry": "{registry}", "name": "{name}", "tag": "{tag}'
            f'{self._middle}{registry}/{name}:{tag}", "short": "{name}:{tag}{tail}'
        ).encode()


class _OciJson(_JsonBase):
    """JSON lines of :class:`imageref.oci.Reference` results (``--oci``).

    The grammar admits only ASCII letters, digits and ``._-:/@[]``, but the
    fast path checks the input anyway rather than rely on that.
    """

    SAMPLES = ("python:3.6", "localhost:5000/foo/bar:1.0@sha256:" + "0123456789abcdef" * 4)

    def line(self, text: str, ref: Reference) -> bytes:
        if (
            not self.fast
            or '"' in text
            or "\\" in text
            or not text.isascii()
            or not text.isprintable()
        ):
            return self.generic(text, ref)
        tag = ref.tag
        digest = ref.digest
        tag_json = "null" if tag is None else f'"{tag}"'
        digest_json = "null" if digest is None else f'"{digest}"'
        domain = ref.domain
        path = ref.path
        name = f"{domain}/{path}" if domain else path
        return (
            f'{{"input": "{text}", "domain": "{domain}", "path": "{path}", "name": "{name}",'
            f' "tag": {tag_json}, "digest": {digest_json}, "familiar": "{ref.familiar}",'
            f' "string": "{ref}"}}\n'
        ).encode()


class _Table:
    """An aligned text table that is printed as rows arrive.

    Column widths only grow: each batch is aligned to the widest cell seen so
    far, so a stream stays aligned unless a later row is wider. *row* turns an
    input and its parsed ref into the row's cells.
    """

    def __init__(self, header: tuple[str, ...], row: Callable[[str, Any], tuple[str, ...]]) -> None:
        self._header = header
        self.row = row
        self._widths = [len(cell) for cell in header]
        self._started = False

    def render(self, rows: list[tuple[str, ...]]) -> bytes:
        if not self._started:
            rows.insert(0, self._header)
            self._started = True
        widths = self._widths
        for row in rows:
            for i, cell in enumerate(row[:-1]):
                widths[i] = max(widths[i], len(cell))
        out = []
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
            cells.append(row[-1])
            out.append("  ".join(cells) + "\n")
        return "".join(out).encode("ascii")


_HEADER = ("INPUT", "REGISTRY", "NAME", "TAG", "ARCH")
_OCI_HEADER = ("INPUT", "DOMAIN", "PATH", "TAG", "DIGEST")


def _row(text: str, ref: ImageRef) -> tuple[str, ...]:
    return (text, ref.registry, ref.name, ref.tag, _ascii(ref.architecture))


def _oci_row(text: str, ref: Reference) -> tuple[str, ...]:
    # "-" for an absent part: no domain, tag or digest can be "-".
    return (text, ref.domain or "-", ref.path, ref.tag or "-", ref.digest or "-")


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


class _Run:
    """One invocation: the parsing function, the outputs and the exit status so far.

    *parse* takes the text of one reference and returns the parsed ref (anything
    with ``to_dict()``) or raises; what it raises is reported for that reference.
    """

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse_ref = parse
        self.out = _writer(sys.stdout)
        self.err = _writer(sys.stderr)
        self.status = 0

    def fail(self, status: int = EXIT_INVALID) -> None:
        self.status = max(self.status, status)

    def complain(self, message: str) -> None:
        """Write ``imageref: message`` to stderr at once."""
        self.err.write(f"{_PROG}: {_one_line(message)}\n".encode("ascii"))
        self.err.flush()

    def open_stdin(self) -> IO[bytes] | None:
        stdin = sys.stdin
        if stdin is None:
            self.complain("cannot read standard input: it is closed")
            self.fail(EXIT_USAGE)
            return None
        buffer: IO[bytes] | None = getattr(stdin, "buffer", None)
        if buffer is None:  # a text stream without bytes underneath (in-process use)
            import io  # noqa: PLC0415

            buffer = io.BytesIO(stdin.read().encode("utf-8", "surrogateescape"))
        return buffer


# -- parse ---------------------------------------------------------------------


class _Parse(_Run):
    def __init__(self, parse: Callable[[str], Any], json: _JsonBase, table: _Table | None) -> None:
        super().__init__(parse)
        self.table = table
        self.json = json
        json.check(parse)
        self.cache: dict[_Line, bytes] = {}  # line -> JSON line, for valid and blank lines
        self.bad: dict[_Line, tuple[bytes, str]] = {}  # line -> (JSON line, message)
        # Results of arguments, written together so that a table is aligned.
        self.rows: list[tuple[str, ...]] = []
        self.errors: list[str] = []

    def run(self, values: Sequence[str]) -> None:
        for value in values:
            if value == "-":
                self._flush_rows()
                stream = self.open_stdin()
                if stream is None:
                    continue
                try:
                    if self.table is None:
                        self._stream_json(stream)
                    else:
                        self._stream_text(stream)
                except BrokenPipeError:
                    raise
                except OSError as exc:
                    self.complain(f"cannot read standard input: {exc.strerror or exc}")
                    self.fail(EXIT_USAGE)
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
            detail = _decode_error(raw, exc)
            shown = raw.decode("utf-8", "backslashreplace")
            return shown, None, "UnicodeDecodeError", where + detail, where + detail
        try:
            ref = self.parse_ref(text)
        except Exception as exc:  # any failure is that reference's, reported as such
            message = str(exc)
            return text, None, type(exc).__name__, message, where + _one_line(message)
        return text, ref, "", "", ""

    def _argument(self, value: str) -> None:
        raw = os.fsencode(value)  # undoes surrogateescape: the bytes as given
        shown, ref, kind, message, complaint = self._evaluate(raw, None)
        if ref is not None:
            if self.table is None:
                self.out.write(self.json.line(shown, ref))
            else:
                self.rows.append(self.table.row(shown, ref))
            return
        self.fail()
        if self.table is None:
            self.out.write(self.json.error(shown, kind, message))
        else:
            self.rows.append((_show(shown), f"error: {_one_line(message)}"))
        self.errors.append(complaint)

    def _flush_rows(self) -> None:
        """Write what the arguments so far gave: rows as one aligned table block."""
        if self.table is not None and self.rows:
            self.out.write(self.table.render(self.rows))
            self.rows = []
        if self.errors:
            self.out.flush()
            for complaint in self.errors:
                self.complain(complaint)
            self.errors = []

    def _stream_json(self, stream: IO[bytes]) -> None:
        cache = self.cache
        get = cache.get
        write = self.out.write
        flush = self.out.flush
        count = 0
        for lines in _read_lines(stream):
            outs: list[Any] = list(map(get, lines))
            if None in outs:
                errors: list[str] = []
                for i, out in enumerate(outs):
                    if out is None:
                        outs[i] = self._json_miss(lines[i], count + i + 1, errors)
                write(b"".join(outs))
                flush()
                if errors:
                    self.err.write("".join(errors).encode("ascii"))
                    self.err.flush()
            else:
                write(b"".join(outs))
                flush()
            count += len(lines)

    def _json_miss(self, raw: _Line, line: int, errors: list[str]) -> bytes:
        """The JSON line for a line not in the cache; caches it when valid."""
        if raw.__class__ is not bytes or len(raw) > MAX_LINE_BYTES:
            return self._json_overlong(raw, line, errors)
        bad = self.bad.get(raw)
        if bad is not None:
            self.fail()
            errors.append(f"{_PROG}: line {line}: {bad[1]}\n")
            return bad[0]
        stripped = raw[:-1] if raw[-1:] == b"\r" else raw
        if not stripped or stripped.isspace():
            out = b""
        else:
            try:
                text = stripped.decode()
                ref = self.parse_ref(text)
            except Exception:  # the slow path below says what is wrong
                return self._json_invalid(raw, stripped, line, errors)
            out = self.json.line(text, ref)
        if len(raw) <= _CACHE_KEY_BYTES:
            if len(self.cache) >= _CACHE_ENTRIES:
                self.cache.clear()
            self.cache[raw] = out
        return out

    def _json_invalid(self, raw: bytes, stripped: bytes, line: int, errors: list[str]) -> bytes:
        shown, _ref, kind, message, complaint = self._evaluate(stripped, line)
        self.fail()
        errors.append(f"{_PROG}: {complaint}\n")
        out = self.json.error(shown, kind, message)
        # Invalid references are cached too (bulk input may repeat them), but not
        # undecodable lines: their message names the line.
        if kind != "UnicodeDecodeError" and len(raw) <= _CACHE_KEY_BYTES:
            if len(self.bad) >= _CACHE_ENTRIES:
                self.bad.clear()
            self.bad[raw] = (out, _one_line(message))
        return out

    def _json_overlong(self, raw: _Line, line: int, errors: list[str]) -> bytes:
        if not isinstance(raw, _Overlong):
            raw = _Overlong(raw[:_OVERLONG_SHOWN])
        self.fail()
        message = f"line {line}: {_overlong_error()}"
        errors.append(f"{_PROG}: {message}\n")
        return self.json.error(_shown_overlong(raw), "LineTooLong", message)

    def _stream_text(self, stream: IO[bytes]) -> None:
        assert self.table is not None
        count = 0
        for lines in _read_lines(stream):
            rows: list[tuple[str, ...]] = []
            errors: list[str] = []
            for raw in lines:
                count += 1
                if isinstance(raw, _Overlong) or len(raw) > MAX_LINE_BYTES:
                    head = raw if isinstance(raw, _Overlong) else _Overlong(raw[:_OVERLONG_SHOWN])
                    self.fail()
                    message = f"line {count}: {_overlong_error()}"
                    rows.append((_show(_shown_overlong(head)), f"error: {message}"))
                    errors.append(f"{_PROG}: {message}\n")
                    continue
                stripped = _strip_cr(raw)
                if not stripped.strip():
                    continue
                shown, ref, _kind, message, complaint = self._evaluate(stripped, count)
                if ref is None:
                    self.fail()
                    rows.append((_show(shown), f"error: {_one_line(message)}"))
                    errors.append(f"{_PROG}: {complaint}\n")
                else:
                    rows.append(self.table.row(shown, ref))
            if rows:
                self.out.write(self.table.render(rows))
                self.out.flush()
            if errors:
                self.err.write("".join(errors).encode("ascii"))
                self.err.flush()


# -- validate ------------------------------------------------------------------


class _Validate(_Run):
    def __init__(self, parse: Callable[[str], Any], quiet: bool) -> None:
        super().__init__(parse)
        self.quiet = quiet
        self.ok: set[_Line] = set()  # lines known to be valid, blank or comments
        self.bad: dict[_Line, str] = {}  # line -> its message

    def run(self, files: Sequence[str]) -> None:
        for name in files:
            try:
                if name == "-":
                    stream = self.open_stdin()
                    if stream is not None:
                        self._check(stream, b"-")
                else:
                    with open(name, "rb") as stream:
                        self._check(stream, os.fsencode(name))
            except BrokenPipeError:
                raise
            except OSError as exc:
                what = "standard input" if name == "-" else repr(name)
                self.complain(f"cannot read {what}: {exc.strerror or exc}")
                self.fail(EXIT_USAGE)
        self.out.flush()

    def _check(self, stream: IO[bytes], name: bytes) -> None:
        ok = self.ok
        count = 0
        for lines in _read_lines(stream):
            misses = [i for i, raw in enumerate(lines) if raw not in ok]
            reports = [self._check_line(lines[i], count + i + 1, name) for i in misses]
            count += len(lines)
            if any(reports):
                self.out.write(b"".join(reports))
                self.out.flush()

    def _check_line(self, raw: _Line, line: int, name: bytes) -> bytes:
        if isinstance(raw, _Overlong) or len(raw) > MAX_LINE_BYTES:
            return self._report(name, line, _overlong_error())
        message = self.bad.get(raw)
        if message is None:
            message = self._problem(raw)
            if len(raw) <= _CACHE_KEY_BYTES:
                if message is None:
                    if len(self.ok) >= _CACHE_ENTRIES:
                        self.ok.clear()
                    self.ok.add(raw)
                else:
                    if len(self.bad) >= _CACHE_ENTRIES:
                        self.bad.clear()
                    self.bad[raw] = message
            if message is None:
                return b""
        return self._report(name, line, message)

    def _problem(self, raw: bytes) -> str | None:
        """What is wrong with the line *raw*, or None if it is valid, blank or a comment."""
        stripped = _strip_cr(raw)
        content = stripped.lstrip()
        if not content or content[:1] == b"#":
            return None
        try:
            text = stripped.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _decode_error(stripped, exc)
        try:
            self.parse_ref(text)
        except Exception as exc:  # any failure is that line's, reported as such
            return str(exc)
        return None

    def _report(self, name: bytes, line: int, message: str) -> bytes:
        self.fail()
        if self.quiet:
            return b""
        return name + f":{line}: {_one_line(message)}\n".encode("ascii")


# -- aliases -------------------------------------------------------------------


def _aliases(parse: Callable[[str], ImageRef], value: str) -> int:
    run = _Run(parse)
    try:
        ref = run.parse_ref(value)
    except Exception as exc:  # reported like every invalid reference
        run.complain(str(exc))
        return EXIT_INVALID
    run.out.write("".join(f"{alias}\n" for alias in sorted(ref.generate_aliases())).encode())
    run.out.flush()
    return 0


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

_MAIN_EXAMPLES = """\
examples:
  imageref parse python:3.6-ubuntu18.04
  printf 'python:3.6\\nbad:!\\n' | imageref parse -
  imageref validate images.txt
  imageref aliases lablup/python-tensorflow:1.5-py36
  imageref parse --oci python:3.6
  imageref validate --oci images.txt

Exit status: 0 when every reference is valid, 1 when any is invalid,
2 for a usage error or an unreadable file, 130 on Ctrl-C, 141 when the
reader of the output went away.
"""

_PARSE_EXAMPLES = """\
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

_VALIDATE_EXAMPLES = """\
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

_ALIASES_EXAMPLES = """\
Prints every alias of the reference (ImageRef.generate_aliases()), one per
line, sorted.

examples:
  imageref aliases lablup/python-tensorflow:1.5-py36
  imageref aliases -r cr.backend.ai cr.backend.ai/stable/python:3.9-ubuntu20.04
"""


def _build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser, and the parser of each command (to report usage errors found later)."""
    import argparse  # noqa: PLC0415 - not needed by --version

    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Parse, validate and list aliases of container image references\n"
        "(Backend.AI 24.03 ImageRef rules; with --oci, Docker's / the OCI distribution rules).",
        epilog=_MAIN_EXAMPLES,
        formatter_class=raw,
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    class Registries(argparse.Action):
        """Collects -r values; '*' (any registry) cannot be combined with names."""

        def __call__(
            self,
            parser: argparse.ArgumentParser,
            namespace: argparse.Namespace,
            values: Any,
            option_string: str | None = None,
        ) -> None:
            names: list[str] = list(dict.fromkeys([*(getattr(namespace, self.dest) or ()), values]))
            if "*" in names and len(names) > 1:
                parser.error("-r '*' (any registry) cannot be combined with registry names")
            setattr(namespace, self.dest, names)

    def registries(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-r",
            "--registry",
            action=Registries,
            metavar="NAME",
            help="a known registry (repeatable); '*' means any registry",
        )

    def oci(sub: argparse.ArgumentParser, conflicts: str) -> None:
        sub.add_argument(
            "--oci",
            action="store_true",
            help="read references by Docker's / the OCI distribution rules"
            f" (imageref.oci.Reference) instead; not with {conflicts}",
        )

    parse = commands.add_parser(
        "parse",
        help="print the parsed fields of each reference",
        description="Print the parsed fields of each reference.",
        epilog=_PARSE_EXAMPLES,
        formatter_class=raw,
    )
    parse.add_argument("refs", nargs="+", metavar="REF", help="a reference, or - for stdin")
    registries(parse)
    # No default here: _oci_conflicts() must tell "-a x86_64" from no -a.
    parse.add_argument("-a", "--arch", metavar="NAME", help="architecture (default: x86_64)")
    parse.add_argument("--local", action="store_true", help="mark the images as local")
    parse.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="JSON Lines (default) or an aligned text table",
    )
    oci(parse, "-r, -a or --local")

    validate = commands.add_parser(
        "validate",
        help="report the invalid references in lists of references",
        description="Report the invalid references in files of references.",
        epilog=_VALIDATE_EXAMPLES,
        formatter_class=raw,
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for stdin")
    registries(validate)
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing; only the exit status tells"
    )
    oci(validate, "-r")

    aliases = commands.add_parser(
        "aliases",
        help="list every alias of a reference",
        description="List every alias of a reference.",
        epilog=_ALIASES_EXAMPLES,
        formatter_class=raw,
    )
    aliases.add_argument("ref", metavar="REF")
    registries(aliases)
    return parser, {"parse": parse, "validate": validate, "aliases": aliases}


def _oci_conflicts(args: argparse.Namespace) -> list[str]:
    """The Backend.AI options given together with --oci."""
    given = [
        ("-r/--registry", args.registry is not None),
        ("-a/--arch", getattr(args, "arch", None) is not None),
        ("--local", getattr(args, "local", False)),
    ]
    return [option for option, present in given if present]


def _exit_code(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    return code if isinstance(code, int) else EXIT_USAGE


def _run(argv: list[str]) -> int:
    if argv == ["--version"]:  # answered before anything heavy is imported
        _writer(sys.stdout).write(f"{_PROG} {__version__}\n".encode())
        return 0
    parser, commands = _build_parser()
    try:
        args = parser.parse_args(argv)
        conflicts = _oci_conflicts(args) if getattr(args, "oci", False) else []
        if conflicts:
            listed, what = conflicts[0], "a Backend.AI option"
            if len(conflicts) > 1:
                listed = f"{', '.join(conflicts[:-1])} or {conflicts[-1]}"
                what = "Backend.AI options"
            commands[args.command].error(
                f"--oci cannot be combined with {listed} ({what}; the OCI rules take none)"
            )
    except SystemExit as exc:  # --help, --version or a usage error
        _flush_stdout()
        return _exit_code(exc)
    if getattr(args, "oci", False):
        return _run_oci(args)
    from .image import ImageRefParser  # noqa: PLC0415 - not needed by --version

    arch = getattr(args, "arch", None)
    image_parser = ImageRefParser(args.registry, "x86_64" if arch is None else arch, cache_size=0)
    parse: Callable[[str], ImageRef] = image_parser.parse
    if getattr(args, "local", False):
        from functools import partial  # noqa: PLC0415

        parse = partial(image_parser.parse, is_local=True)
    if args.command == "parse":
        json_lines = _Json(image_parser.architecture, args.local)
        table = _Table(_HEADER, _row) if args.format == "text" else None
        run = _Parse(parse, json_lines, table)
        run.run(args.refs)
        return run.status
    if args.command == "validate":
        check = _Validate(parse, args.quiet)
        check.run(args.files)
        return check.status
    return _aliases(parse, args.ref)


def _run_oci(args: argparse.Namespace) -> int:
    """``parse --oci`` and ``validate --oci``: the rules of :mod:`imageref.oci`."""
    from .oci import Reference  # noqa: PLC0415 - imported only for --oci

    parse: Callable[[str], Reference] = Reference.parse
    if args.command == "parse":
        table = _Table(_OCI_HEADER, _oci_row) if args.format == "text" else None
        run = _Parse(parse, _OciJson(), table)
        run.run(args.refs)
        return run.status
    check = _Validate(parse, args.quiet)
    check.run(args.files)
    return check.status


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _silence_output() -> None:
    """Point stdout and stderr at /dev/null so that exiting writes nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - nothing more can be done
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):  # not a real file (in-process use)
            pass
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default ``sys.argv[1:]``); return the exit status."""
    try:
        try:
            status = _run(list(sys.argv[1:] if argv is None else argv))
            _flush_stdout()
        except BrokenPipeError:
            _silence_output()
            return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        try:
            _flush_stdout()
        except (OSError, ValueError):
            _silence_output()
        return EXIT_INTERRUPTED
    return status
