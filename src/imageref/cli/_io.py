"""What every command of the command line shares: bytes in, bytes out, exit status.

* Exit codes (:data:`EXIT_INVALID`, :data:`EXIT_USAGE`, :data:`EXIT_INTERRUPTED`,
  :data:`EXIT_BROKEN_PIPE`).
* Output: binary, ASCII-only sinks under ``sys.stdout`` and ``sys.stderr``
  (:func:`writer`), and the safe display of hostile text (:func:`ascii_escaped`,
  :func:`one_line`, :func:`show`, :func:`show_short`).
* Output formats: :class:`Json` and :class:`OciJson` write the JSON line of an
  :class:`~imageref.ImageRef` or an :class:`imageref.oci.Reference` result with
  one f-string when a check at start-up shows that is what ``json.dumps`` writes
  (:class:`JsonBase`), and error lines; :class:`Table` is an aligned text table
  printed as rows arrive, with the cells of each kind of result
  (:func:`image_row`, :func:`oci_row`) and of an error (:func:`error_row`).
* Input: the streaming line reader (:func:`read_lines`) with its over-long line
  stand-in (:class:`Overlong`), and the messages about lines that cannot be read.
* :class:`Run`: one invocation of a command, with its exit status so far, its error
  reporting (``imageref: message`` on stderr) and the opening of its input files.

Adding a command: write ``imageref/cli/NAME.py`` with ``add_parser(commands)``,
which declares the command with :func:`imageref.cli._options.add_command` and
returns its parser, and ``run(args) -> int``, which runs it (usually through a
:class:`Run` subclass and :func:`read_lines`); then list the module in
``_parse_args`` in ``imageref/cli/__init__.py``. ``docs/cli.md`` (section
"Adding a command") says more.
"""

from __future__ import annotations

import os
import sys

from .._memo import Table as MemoTable
from ..errors import _SHOWN_MAX_CHARS, _is_plain, _shorten

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import IO, Any, Protocol, TypeAlias

    class Sink(Protocol):
        def write(self, data: bytes, /) -> object: ...
        def flush(self) -> None: ...

    class Source(Protocol):
        """What :func:`read_lines` reads: a binary file, or anything with its ``read``."""

        def read(self, size: int, /) -> bytes: ...

    from ..compat import v2609
    from ..image import ImageRef
    from ..oci import Reference

    # A line read: bytes, or Overlong (kept loose: the hot loops index dicts with it).
    Line: TypeAlias = Any

__all__ = [
    "CACHE_ENTRIES",
    "CACHE_KEY_BYTES",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_USAGE",
    "IMAGE_HEADER",
    "MAX_LINE_BYTES",
    "OCI_HEADER",
    "PROG",
    "PROJECT_HEADER",
    "Json",
    "JsonBase",
    "NullWriter",
    "OciJson",
    "Overlong",
    "Run",
    "Table",
    "TextWriter",
    "ascii_escaped",
    "decode_error",
    "error_row",
    "flush_stdout",
    "image_row",
    "is_overlong",
    "oci_row",
    "one_line",
    "overlong_error",
    "project_row",
    "read_lines",
    "show",
    "show_short",
    "shown_overlong",
    "silence_output",
    "writer",
]

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

#: The program's name, as messages and usage lines give it.
PROG = "imageref"
#: Results are cached per distinct input line: at most this many lines, each at
#: most CACHE_KEY_BYTES long, so the caches stay small whatever the input (and
#: ``parse``'s JSON line ends, per tag). Small on purpose: a table that rests
#: (imageref._memo.Table) first admits a window of half its limit, and on a list
#: of new references that window costs more the larger it is (16,384 cost about
#: 4% of the first-sighting rate); lists repeat far fewer distinct lines than this.
CACHE_ENTRIES = 4096
CACHE_KEY_BYTES = 256

_CHUNK_BYTES = 1 << 16
# How much of an over-long line is echoed back in its error report.
_OVERLONG_SHOWN = 64


# ---------------------------------------------------------------------------
# Output: binary, ASCII-only streams
# ---------------------------------------------------------------------------


class NullWriter:
    """Discards everything: stands in for a closed stdout or stderr."""

    def write(self, data: bytes) -> None:
        pass

    def flush(self) -> None:
        pass


class TextWriter:
    """Writes ASCII bytes to a text stream without ``.buffer`` (e.g. doctest's)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes) -> None:
        self._stream.write(data.decode("ascii"))

    def flush(self) -> None:
        self._stream.flush()


def writer(stream: IO[str] | None) -> Sink:
    """The binary stream under *stream*, after flushing its text layer."""
    if stream is None:
        return NullWriter()
    stream.flush()
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    if buffer is None:
        return TextWriter(stream)
    return buffer


def flush_stdout() -> None:
    """Flush ``sys.stdout``'s text layer, if there is a stdout."""
    if sys.stdout is not None:
        sys.stdout.flush()


def silence_output() -> None:
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


def ascii_escaped(text: str) -> str:
    """*text* with every non-ASCII character escaped with backslashes."""
    if text.isascii():
        return text
    return text.encode("ascii", "backslashreplace").decode("ascii")


def one_line(text: str) -> str:
    """*text* as one line of printable ASCII (escapes what is not)."""
    text = ascii_escaped(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def show(text: str) -> str:
    """An input as a table cell: as-is when plain, else its quoted ``ascii()``."""
    return text if _is_plain(text) else ascii(text)


def show_short(text: str) -> str:
    """A name from the input (an image, a label) in a message: :func:`show`'s form,
    or when long its head and tail, quoted, and its length (as label errors show values)."""
    return _shorten(text, _SHOWN_MAX_CHARS, bare_if_plain=True)


# ---------------------------------------------------------------------------
# Output formats: JSON lines and text tables of results
# ---------------------------------------------------------------------------


class JsonBase:
    """Builds the JSON line of a result: ``{"input": ..., **ref.to_dict()}``.

    ``json.dumps`` per line is the bottleneck of bulk parsing, so the subclasses
    format a valid ref whose input is plain (printable ASCII without ``"`` or
    ``\\``, so that none of its fields needs escaping either: they are taken from
    the input, or are constants) with one f-string in :meth:`plain_line`.
    :meth:`check` compares that with ``json.dumps`` once per run, on :attr:`SAMPLES`,
    and makes :attr:`line` the fast one only if they agree (a field added to
    ``to_dict`` turns it off). Lines are ASCII bytes (``json.dumps`` escapes what is
    not), each ending in ``\\n``: encoding each line while it is fresh is cheaper than
    encoding a block's text.
    """

    #: References whose fast and generic lines are compared by :meth:`check`.
    SAMPLES: tuple[str, ...] = ()

    def __init__(self) -> None:
        import json  # noqa: PLC0415 - not needed by --version

        self._dumps = json.dumps
        self.fast = False
        #: The JSON line of a ref, given its input text: :meth:`generic` until
        #: :meth:`check` finds :meth:`plain_line` writes the same.
        self.line: Callable[[str, Any], bytes] = self.generic

    def check(self, parse: Callable[[str], Any]) -> None:
        """Use the fast path only if it writes what ``json.dumps`` writes."""
        try:
            refs = [(text, parse(text)) for text in self.SAMPLES]
        except Exception:  # no sample, no fast path: every line goes through json.dumps
            refs = []
        self.fast = bool(refs) and all(
            self.plain_line(text, ref) == self.generic(text, ref) for text, ref in refs
        )
        self.line = self.plain_line if self.fast else self.generic

    def plain_line(self, text: str, ref: Any) -> bytes:
        """The JSON line of *ref*, read from *text*, without ``json.dumps`` where it can."""
        return self.generic(text, ref)

    def generic(self, text: str, ref: Any) -> bytes:
        """The JSON line of *ref*, read from *text*, written by ``json.dumps``."""
        return (self._dumps({"input": text, **ref.to_dict()}) + "\n").encode()

    def error(self, shown: str, kind: str, message: str) -> bytes:
        """The JSON line of an input that gave an error."""
        return (
            self._dumps({"input": shown, "error": {"type": kind, "message": message}}) + "\n"
        ).encode()


class Json(JsonBase):
    """JSON lines of :class:`~imageref.ImageRef` results.

    The input of a valid ref is printable ASCII (rule D1), so only ``"`` and
    ``\\`` need checking; the digest, when there is one, is part of the input. The
    end of the line that depends on the tag alone (main version, platform tags) is
    cached per tag: refs of one registry share their tags.
    """

    SAMPLES = (
        "python:3.6-ubuntu18.04-py36",
        "cr.backend.ai/stable/python:3.9-cuda11.3@sha256:" + "0123456789abcdef" * 4,
        "lablup/python",
    )

    def __init__(self, architecture: str, is_local: bool) -> None:
        super().__init__()
        dumps = self._dumps
        self._middle = (
            f'", "architecture": {dumps(architecture)},'
            f' "is_local": {dumps(is_local)}, "canonical": "'
        )
        # tag -> the end of its JSON line; rests while tags do not repeat.
        self._tails = MemoTable(CACHE_ENTRIES, module=False)

    def plain_line(self, text: str, ref: ImageRef) -> bytes:
        if '"' in text or "\\" in text:
            return self.generic(text, ref)
        tag = ref.tag
        tails = self._tails
        tail = tails.entries.get(tag)
        if tail is not None:
            tails.hits += 1
        else:
            main, platform = ref.tag_set
            data = platform._data
            tags = f'{{"{_PAIRS.join(map(_PAIR.join, data.items()))}"}}' if data else "{}"
            tail = f'", "version": "{main}", "platform_tags": {tags}, "digest": '
            if tails.rest and tag != tails.last:
                tails.rest -= 1
                tails.last = tag
            else:
                tails.learn(tag, tail)
        registry = ref.registry
        name = ref.name
        digest = ref.digest
        if digest is None:
            return (
                f'{{"input": "{text}", "registry": "{registry}", "name": "{name}", "tag": "{tag}'
                f'{self._middle}{registry}/{name}:{tag}", "short": "{name}:{tag}{tail}null}}\n'
            ).encode()
        return (
            f'{{"input": "{text}", "registry": "{registry}", "name": "{name}", "tag": "{tag}'
            f'{self._middle}{registry}/{name}:{tag}@{digest}", "short": "{name}:{tag}@{digest}'
            f'{tail}"{digest}"}}\n'
        ).encode()


# Between the platform tags and within one, in Json's line: "key": "version", ...
_PAIRS = '", "'
_PAIR = '": "'


class OciJson(JsonBase):
    """JSON lines of :class:`imageref.oci.Reference` results (``--oci``).

    The grammar admits only ASCII letters, digits and ``._-:/@[]``, but the
    fast path checks the input anyway rather than rely on that.
    """

    SAMPLES = ("python:3.6", "localhost:5000/foo/bar:1.0@sha256:" + "0123456789abcdef" * 4)

    def plain_line(self, text: str, ref: Reference) -> bytes:
        if '"' in text or "\\" in text or not text.isascii() or not text.isprintable():
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


class Table:
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
        """The lines of *rows* (after the header, the first time), aligned."""
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


IMAGE_HEADER = ("INPUT", "REGISTRY", "NAME", "TAG", "ARCH")
OCI_HEADER = ("INPUT", "DOMAIN", "PATH", "TAG", "DIGEST")
PROJECT_HEADER = ("INPUT", "REGISTRY", "PROJECT", "NAME", "TAG", "ARCH")


def image_row(text: str, ref: ImageRef) -> tuple[str, ...]:
    """The cells of an :class:`~imageref.ImageRef` under :data:`IMAGE_HEADER`."""
    return (text, ref.registry, ref.name, ref.tag, ascii_escaped(ref.architecture))


def project_row(text: str, ref: v2609.ImageRef) -> tuple[str, ...]:
    """The cells of a 26.09 ``ImageRef`` under :data:`PROJECT_HEADER` ("-": no part)."""
    registry, project = ref.registry, ref.project
    return (
        text,
        ascii_escaped(registry) if registry else "-",
        ascii_escaped(project) if project else "-",
        ref.name or "-",
        ref.tag,
        ascii_escaped(ref.architecture),
    )


def oci_row(text: str, ref: Reference) -> tuple[str, ...]:
    """The cells of an :class:`imageref.oci.Reference` under :data:`OCI_HEADER`."""
    # "-" for an absent part: no domain, tag or digest can be "-".
    return (text, ref.domain or "-", ref.path, ref.tag or "-", ref.digest or "-")


def error_row(shown: str, message: str) -> tuple[str, str]:
    """The cells of an input that gave an error: the input, then the message."""
    return (show(shown), f"error: {one_line(message)}")


# ---------------------------------------------------------------------------
# Input: lines from a binary stream, in chunks
# ---------------------------------------------------------------------------


class Overlong:
    """Stands in for a line longer than MAX_LINE_BYTES; keeps only its start."""

    __slots__ = ("head",)

    def __init__(self, head: bytes) -> None:
        self.head = head


def read_lines(stream: Source) -> Iterator[list[Line]]:
    """Yield the lines of *stream* in lists, one per chunk read.

    Each line comes without its terminator (``\\n``, or ``\\r\\n``: one ``\\r`` before
    the ``\\n``, or at the very end, is removed too), as ``bytes`` of at most
    MAX_LINE_BYTES, or as an :class:`Overlong` for a longer line (its length counted
    with its ``\\r``). Reads with ``read1`` so that a pipe or terminal is answered as data
    arrives, and never holds more than one chunk plus one line of at most MAX_LINE_BYTES.
    The work per line is done in C (splitting, and scans of the whole chunk for ``\\r``
    and for over-long lines); only a chunk with such lines is walked in Python.
    """
    read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
    tail = b""
    long_line: Overlong | None = None
    while True:
        data = read(_CHUNK_BYTES)
        if not data:
            break
        lines: list[Line]
        if long_line is not None:  # discarding the rest of an over-long line
            end = data.find(b"\n")
            if end < 0:
                continue
            lines = data[end + 1 :].split(b"\n")
        else:
            lines = data.split(b"\n")
            if tail:
                lines[0] = tail + lines[0]
        carry = lines.pop()
        if lines:
            lines = _clean(lines, b"\r" in data or tail[-1:] == b"\r")
        if long_line is not None:
            lines = [long_line, *lines]
            long_line = None
        tail = carry
        if len(tail) > MAX_LINE_BYTES:
            long_line = Overlong(tail[:_OVERLONG_SHOWN])
            tail = b""
        if lines:
            yield lines
    if long_line is not None:
        yield [long_line]
    elif tail:
        yield _clean([tail], tail[-1:] == b"\r")


def _clean(lines: list[bytes], has_cr: bool) -> list[Line]:
    """*lines* as :func:`read_lines` gives them: one ``\\r`` at the end of each removed
    (when *has_cr*: the chunk holds one), and over-long lines made :class:`Overlong`."""
    limit = MAX_LINE_BYTES
    if has_cr:  # lengths are counted with the \r: only lines within the limit lose it
        lines = [raw[:-1] if raw[-1:] == b"\r" and len(raw) <= limit else raw for raw in lines]
    if max(map(len, lines)) > limit:
        return [Overlong(raw[:_OVERLONG_SHOWN]) if len(raw) > limit else raw for raw in lines]
    return lines


def is_overlong(raw: Line) -> bool:
    """Whether the line *raw* (from :func:`read_lines`) was too long to be parsed."""
    return raw.__class__ is Overlong


def decode_error(raw: bytes, exc: UnicodeDecodeError) -> str:
    """Why the line *raw* is not UTF-8, naming the byte and its offset."""
    return f"not valid UTF-8: {exc.reason} 0x{raw[exc.start]:02x} at byte offset {exc.start}"


def overlong_error() -> str:
    """Why an over-long line was not parsed."""
    return f"line longer than {MAX_LINE_BYTES} bytes; not parsed"


def shown_overlong(raw: Overlong) -> str:
    """The start of the over-long line *raw*, as its error report echoes it."""
    return raw.head.decode("utf-8", "backslashreplace") + "..."


# ---------------------------------------------------------------------------
# One invocation: status, error reports, input files
# ---------------------------------------------------------------------------


class Run:
    """One invocation: the parsing function, the outputs and the exit status so far.

    *parse* takes the text of one reference and returns the parsed ref (anything
    with ``to_dict()``) or raises; what it raises is reported for that reference.
    """

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse_ref = parse
        self.out = writer(sys.stdout)
        self.err = writer(sys.stderr)
        self.status = 0

    def fail(self, status: int = EXIT_INVALID) -> None:
        """Raise the exit status to *status* (never lowers it)."""
        self.status = max(self.status, status)

    def complain(self, message: str) -> None:
        """Write ``imageref: message`` to stderr at once."""
        self.err.write(f"{PROG}: {one_line(message)}\n".encode("ascii"))
        self.err.flush()

    def complain_all(self, messages: list[str]) -> None:
        """Write ``imageref: message`` to stderr for each of *messages* (one-line ASCII)."""
        self.err.write("".join([f"{PROG}: {message}\n" for message in messages]).encode("ascii"))
        self.err.flush()

    def open_stdin(self) -> IO[bytes] | None:
        """Standard input as bytes, or None (reported) when it is closed."""
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

    def read(self, name: str, consume: Callable[[IO[bytes]], object]) -> None:
        """Give the file *name* (``-``: standard input) to *consume*, as bytes.

        A file that cannot be opened or read is reported as a usage error, and the
        run goes on; a closed standard output (BrokenPipeError) stops it.
        """
        try:
            if name == "-":
                stream = self.open_stdin()
                if stream is not None:
                    consume(stream)
            else:
                with open(name, "rb") as stream:
                    consume(stream)
        except BrokenPipeError:
            raise
        except OSError as exc:
            what = "standard input" if name == "-" else repr(name)
            self.complain(f"cannot read {what}: {exc.strerror or exc}")
            self.fail(EXIT_USAGE)
