"""Reading a Dockerfile into instructions as BuildKit's parser does (private).

The facts below come from reading BuildKit's ``frontend/dockerfile/parser``
(``parser.go``, ``line_parsers.go``, ``split_command.go``, ``directives.go``); no
code is taken from it. :func:`read` turns the text of a Dockerfile into
:class:`RawInstruction` values (keyword, flags, raw words, where each starts) and
the problems met on the way, in time linear in the text's length:

* Parser directives (``# syntax=``, ``# escape=``, ``# check=``) are read from the
  top until the first line that is not one (an instruction, a comment, a blank
  line); a directive given twice is an error, an escape other than ``\\`` or
  `````` too.
* A line whose first non-blank character is ``#`` is a comment, also inside a
  continued instruction; there, blank lines are dropped too.
* The escape character as the last character of a line, blanks (space, tab)
  after it aside, and not itself escaped, continues the instruction on the next line.
* ``RUN``, ``COPY`` and ``ADD`` (also under ``ONBUILD``), when not in JSON form,
  read heredocs: ``<<NAME``, ``<<-NAME`` (leading tabs of the terminator ignored),
  a quoted name; the lines up to the terminator belong to the instruction.
* A physical line longer than 65,535 bytes ends the reading with an error, as Go's
  line scanner does in BuildKit.

Words of ``LABEL``, ``ENV`` and ``ARG`` are split as BuildKit's parser splits them
(:func:`split_words`): quotes and escapes kept, to be processed later by
:mod:`imageref._shell`.
"""

from __future__ import annotations

import json
import re

from ._shell import _SPACES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DIRECTIVES",
    "GO_SPACES",
    "MAX_LINE_BYTES",
    "RawInstruction",
    "ReadProblem",
    "Reading",
    "read",
    "split_words",
]

#: What Go's ``unicode.IsSpace`` calls a space, as one string (for ``str.strip``): the
#: characters of the lexer's one definition (Python's ``str.isspace`` also has \x1c-\x1f).
GO_SPACES = "".join(_SPACES.findall("".join(map(chr, range(0x3001)))))
#: The blanks BuildKit splits an instruction's keyword and FROM's words on (``[\t\v\f\r ]``).
_BLANKS = " \t\v\f\r"
#: The longest physical line (bytes, without its newline) BuildKit's scanner takes.
MAX_LINE_BYTES = 65535
#: The parser directives BuildKit knows.
DIRECTIVES = ("syntax", "escape", "check")

# `# name = value`: the name a letter then letters and digits, then `=`; the value is
# the rest without its trailing blanks, not empty (Go's \s is [\t\n\f\r ]). The value is
# taken by rstrip, not by a lazy pattern, which would take quadratic time on long blanks.
_DIRECTIVE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*")
_GO_REGEXP_SPACES = "\t\n\f\r "
# A heredoc word: an optional file descriptor, <<, an optional -, then the name.
_HEREDOC = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z", re.S)
_SPACE_RUN = re.compile(f"[{re.escape(GO_SPACES)}]+")
_BLANK_RUN = re.compile(f"[{re.escape(_BLANKS)}]+")
_NOT_SPACE_RUN = re.compile(f"[^{re.escape(GO_SPACES)}]+")
_NOT_BLANK_RUN = re.compile(f"[^{re.escape(_BLANKS)}]+")
_SPACE_SET = frozenset(GO_SPACES)
_FLAG_OR_SPACE = _SPACE_SET | {"-"}


def _words_pattern(escape: str) -> re.Pattern[str]:
    """A word of :func:`split_words` (group 1), or a character no word can start with
    here (an open quote, a final escape: group 1 is then None)."""
    e = re.escape(escape)
    space = re.escape(GO_SPACES)
    # Each alternative starts with its own character (no backtracking); a double-quoted
    # part is written unrolled, so an unclosed one fails in one pass.
    quoted = f'"[^"{e}]*(?:{e}[\\s\\S][^"{e}]*)*"'
    word = f"(?:{e}[\\s\\S]|{quoted}|'[^']*'|[^{space}\"'{e}]+)+"
    return re.compile(f"({word})|[^{space}]")


_WORDS = {escape: _words_pattern(escape) for escape in ("\\", "`")}

_HEREDOC_COMMANDS = frozenset({"run", "copy", "add"})
# The instructions whose arguments are split (or checked) by _Reader.arguments.
_ARGUMENT_COMMANDS = frozenset(
    {"label", "env", "arg", "from", "healthcheck", "cmd", "entrypoint", "run", "shell"}
    | {"add", "copy", "volume"}
)
_MAYBE_JSON = frozenset({"cmd", "entrypoint", "run", "shell"})
_MAYBE_JSON_LIST = frozenset({"add", "copy", "volume"})
_NAME_VALUE = frozenset({"label", "env"})


class ReadProblem:
    """A problem met while reading: 1-based *line* and *column*, and *message*."""

    __slots__ = ("column", "line", "message")

    def __init__(self, line: int, column: int, message: str) -> None:
        self.line = line
        self.column = column
        self.message = message


class RawInstruction:
    """One instruction as read, before any word is processed.

    ``keyword`` as written and ``command`` in lower case (under ``ONBUILD``, the
    command it holds); ``line``/``end_line`` the physical lines it spans (heredocs
    included); ``text`` the joined logical line; ``flags`` its ``--flag`` words
    (quotes and escapes removed, as BuildKit does); ``words``: ``(word, offset)`` of
    its arguments in *text* (FROM: split on blanks; ARG: words; LABEL/ENV:
    ``(key, offset)``, ``(value, offset)`` pairs flattened, see ``legacy``);
    ``legacy``: LABEL/ENV in the ``KEY value`` form; ``heredocs``: their names;
    ``position(offset)`` gives the 1-based (line, column) of an offset in *text*.
    """

    __slots__ = (
        "_pieces",
        "column",
        "command",
        "end_line",
        "flags",
        "heredocs",
        "keyword",
        "legacy",
        "line",
        "text",
        "words",
    )

    def __init__(self, text: str, pieces: list[tuple[int, int, int]], end_line: int) -> None:
        self.text = text
        self._pieces = pieces  # (offset in text, physical line, column offset in it)
        self.keyword = ""
        self.command = ""
        self.line = pieces[0][1]
        self.end_line = end_line
        self.column = pieces[0][2] + 1
        self.flags: tuple[str, ...] = ()
        self.words: list[tuple[str, int]] = []
        self.legacy = False
        self.heredocs: list[str] = []

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of *offset* in :attr:`text`."""
        pieces = self._pieces
        if len(pieces) == 1 or offset < pieces[1][0]:  # on the first line: the usual
            start, line, column = pieces[0]
            return line, column + offset - start + 1
        low, high = 1, len(pieces) - 1
        while low < high:  # the last piece starting at or before offset
            middle = (low + high + 1) // 2
            if pieces[middle][0] <= offset:
                low = middle
            else:
                high = middle - 1
        start, line, column = pieces[low]
        return line, column + offset - start + 1


class Reading:
    """What :func:`read` found: directives, escape, instructions, problems, line count."""

    __slots__ = ("directives", "escape", "instructions", "lines", "problems")

    def __init__(self) -> None:
        self.directives: dict[str, tuple[str, int]] = {}
        self.escape = "\\"
        self.instructions: list[RawInstruction] = []
        self.problems: list[ReadProblem] = []
        self.lines = 0


def _continued(line: str, escape: str) -> tuple[str, bool]:
    """*line* without its continuation escape, and whether it had one.

    The escape is the last character but blanks (space, tab), and is not preceded
    by another escape (BuildKit's regular expression has no look-behind for an
    escaped escape before it: ``a\\\\\\`` does not continue).
    """
    end = len(line.rstrip(" \t"))
    if end and line[end - 1] == escape and (end == 1 or line[end - 2] != escape):
        return line[: end - 1], True
    return line, False


def split_words(rest: str, escape: str) -> list[tuple[str, int]]:
    """The words of *rest* as BuildKit's parser splits them: ``(word, offset)``.

    Words are separated by spaces outside quotes; quotes and escapes are kept in
    the word (the shell lexer removes them later); an escape at the very end is
    dropped; an unclosed quote runs to the end.
    """
    if '"' not in rest and "'" not in rest and escape not in rest:
        return [(match.group(), match.start()) for match in _NOT_SPACE_RUN.finditer(rest)]
    # One match per word, unless a quote is left open or the text ends with the
    # escape: those few take the loop below, which spells the rule out.
    found = []
    for match in _WORDS[escape].finditer(rest):
        word = match.group(1)
        if word is None:
            return _split_words_slowly(rest, escape)
        found.append((word, match.start()))
    return found


def _split_words_slowly(rest: str, escape: str) -> list[tuple[str, int]]:
    """:func:`split_words` one character at a time (for an open quote or a final escape)."""
    words: list[tuple[str, int]] = []
    spaces = GO_SPACES
    size = len(rest)
    pos = 0
    while True:
        while pos < size and rest[pos] in spaces:
            pos += 1
        if pos == size:
            return words
        start = pos
        chars: list[str] = []
        quote = ""
        blank_ok = False
        while pos < size:
            char = rest[pos]
            if not quote:
                if char in spaces:
                    break
                if char in "'\"":
                    quote = char
                    blank_ok = True
                if char == escape:
                    if pos + 1 == size:
                        pos += 1
                        continue  # an escape at the end is dropped
                    chars.append(char)
                    pos += 1
                    char = rest[pos]
                chars.append(char)
                pos += 1
                continue
            if char == quote:
                quote = ""
            if char == escape and quote != "'":
                if pos + 1 == size:
                    quote = ""
                    pos += 1
                    continue
                chars.append(char)
                pos += 1
                char = rest[pos]
            chars.append(char)
            pos += 1
        if blank_ok or chars:
            words.append(("".join(chars), start))


def _builder_flags(line: str, escape: str, pos: int = 0) -> tuple[int, list[str]]:
    """The ``--flag`` words of *line* from offset *pos* on (quotes and escapes removed)
    and the offset where the rest starts (``len(line)`` when nothing follows)."""
    flags: list[str] = []
    size = len(line)
    spaces = GO_SPACES
    while True:
        while pos < size and line[pos] in spaces:
            pos += 1
        if pos == size:
            return size, flags
        if not line.startswith("--", pos):
            return pos, flags
        chars: list[str] = []
        quote = ""
        blank_ok = False
        while pos < size:
            char = line[pos]
            if quote:
                if char == quote:
                    quote = ""
                    pos += 1
                    continue
            else:
                if char in spaces:
                    break
                if char in "'\"":
                    quote = char
                    blank_ok = True
                    pos += 1
                    continue
            if char == escape:
                if pos + 1 == size:
                    pos += 1
                    quote = ""
                    continue
                pos += 1
                char = line[pos]
            chars.append(char)
            pos += 1
        word = "".join(chars)
        if pos < size and word == "--":
            return pos, flags
        if word != "--" and (blank_ok or word):
            flags.append(word)


def _json_array(rest: str) -> bool | None:
    """Whether *rest* is a JSON array of strings (True), another JSON array (None),
    or not JSON at all (False), as BuildKit tells an instruction's JSON form."""
    rest = rest.lstrip(GO_SPACES)
    if not rest.startswith("["):
        return False
    try:
        value = _JSON.decode(rest)
    except (ValueError, RecursionError):
        return False
    if not isinstance(value, list):
        return False
    return True if all(isinstance(item, str) for item in value) else None


def _no_constant(name: str) -> object:
    raise ValueError(name)  # NaN and Infinity are not JSON to Go


_JSON = json.JSONDecoder(parse_constant=_no_constant)


_NOT_STRINGS = "when using JSON array syntax, arrays must be comprised of strings only"


class _Reader:
    """The state of one reading (see :func:`read`)."""

    def __init__(
        self, text: str, heredoc_name: Callable[[str], str | None], reading: Reading
    ) -> None:
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()  # the text ends with a newline: no line after it
        self.heredoc_name = heredoc_name
        self.reading = reading
        self.directives_done = False

    def problem(self, line: int, column: int, message: str) -> None:
        self.reading.problems.append(ReadProblem(line, column, message))

    def directive(self, line: str, number: int) -> bool:
        """Read *line* (number *number*) as a parser directive; whether it was one."""
        if self.directives_done:
            return False
        if not line.startswith("#"):
            self.directives_done = True
            return False
        text = line[1:].lstrip(GO_SPACES)
        match = _DIRECTIVE.match(text)
        value = text[match.end() :].rstrip(_GO_REGEXP_SPACES) if match else ""
        if match and not value and not match.group().endswith("="):
            value = match.group()[-1]  # only blanks after "=": Go's (.+?) takes the last one
        name = match.group(1).lower() if match and value else ""
        if name not in DIRECTIVES:
            self.directives_done = True
            return False
        assert match is not None
        reading = self.reading
        if name in reading.directives:
            self.problem(number, 1, f"only one {name} parser directive can be used")
            return True
        reading.directives[name] = (value, number)
        if name == "escape":
            if value not in ("\\", "`"):
                self.problem(number, 1, f"invalid escape token {value!r} does not match ` or \\")
            else:
                reading.escape = value
        return True

    def run(self) -> None:
        lines = self.lines
        count = len(lines)
        reading = self.reading
        spaces = GO_SPACES
        long_line = MAX_LINE_BYTES // 4  # a shorter line cannot have too many bytes
        escape = reading.escape
        index = 0
        while index < count:
            raw = lines[index]
            if raw[-1:] == "\r":
                raw = raw.rstrip("\r")
            if len(raw) > long_line and self.too_long(raw, index):
                return
            stripped = raw.lstrip(spaces)
            if not self.directives_done:
                self.directive(stripped, index + 1)
                escape = reading.escape
            index += 1
            if stripped[:1] == "#":
                continue
            # _continued(stripped, escape), written out: once per line of the file
            end = len(stripped.rstrip(" \t"))
            more = bool(end) and stripped[end - 1] == escape
            if more and (end == 1 or stripped[end - 2] != escape):
                content = stripped[: end - 1]
            else:
                more = False
                content = stripped
                if not content:
                    continue
            pieces = [(0, index, len(raw) - len(stripped))]
            if more:
                index, content = self.continuation(index, content, pieces)
                if index < 0:
                    return
            instruction = RawInstruction(content, pieces, index)
            index = self.instruction(instruction, index)
        reading.lines = count

    def continuation(
        self, index: int, content: str, pieces: list[tuple[int, int, int]]
    ) -> tuple[int, str]:
        """The lines that continue an instruction from line *index* on, joined after
        *content*: the index after them, and the text (index -1: a line too long)."""
        lines = self.lines
        count = len(lines)
        spaces = GO_SPACES
        escape = self.reading.escape
        parts = [content]
        size = len(content)
        more = True
        while more and index < count:
            raw = lines[index]
            if raw[-1:] == "\r":
                raw = raw.rstrip("\r")
            if len(raw) > MAX_LINE_BYTES // 4 and self.too_long(raw, index):
                return -1, ""
            index += 1
            lead = raw.lstrip(spaces)
            if not lead or lead[0] == "#":
                continue  # blank and comment lines inside an instruction are dropped
            content, more = _continued(raw, escape)
            pieces.append((size, index, 0))
            parts.append(content)
            size += len(content)
        return index, "".join(parts)

    def too_long(self, raw: str, index: int) -> bool:
        """Whether the line *raw* at *index* is longer than BuildKit's scanner takes (then
        a problem that ends the reading)."""
        if len(raw.encode("utf-8", "surrogatepass")) <= MAX_LINE_BYTES:
            return False
        number = index + 1
        why = f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"
        self.problem(number, 1, why)
        self.reading.lines = number
        return True

    def instruction(self, instruction: RawInstruction, index: int) -> int:
        """Split *instruction*'s text, read its heredocs (from line *index* on), keep it;
        the index of the line after it."""
        text = instruction.text
        escape = self.reading.escape
        if text[:1] in _SPACE_SET:  # the first line held only the escape: rare
            start = len(text) - len(text.lstrip(GO_SPACES))
            line, column = instruction.position(start)
            instruction.column = column
            body = text[start:]
        else:
            start = 0
            line, column = instruction.line, instruction.column
            body = text
        if body[-1:] in _SPACE_SET:
            body = body.rstrip(GO_SPACES)
        split = _BLANK_RUN.search(body)
        keyword = body if split is None else body[: split.start()]
        rest_at = len(body) if split is None else split.end()
        command = keyword.lower()
        instruction.keyword = keyword
        flags: list[str] = []
        size = len(body)
        while True:  # ONBUILD ONBUILD ... without recursion, and without copying the rest
            if body[rest_at : rest_at + 1] in _FLAG_OR_SPACE:  # else no flags: the usual
                rest_at, flags = _builder_flags(body, escape, rest_at)
                while rest_at < size and body[rest_at] in _SPACE_SET:  # after a "--" word
                    rest_at += 1
            if command != "onbuild" or rest_at == size:
                break
            split = _BLANK_RUN.search(body, rest_at)
            command = body[rest_at : size if split is None else split.start()].lower()
            rest_at = size if split is None else split.end()
        rest = body[rest_at:]
        instruction.command = command
        if flags:
            instruction.flags = tuple(flags)
        if command in _ARGUMENT_COMMANDS:
            problem = self.arguments(instruction, command, rest, start + rest_at)
            if problem:
                self.problem(line, column, problem)
        if command in _HEREDOC_COMMANDS and "<<" in text and _json_array(rest) is False:
            index = self.heredocs(instruction, text, index)
        self.reading.instructions.append(instruction)
        return index

    def arguments(self, instruction: RawInstruction, command: str, rest: str, offset: int) -> str:
        """Split *rest* (at *offset* in the text) as *command* takes it; a problem or ""."""
        escape = self.reading.escape
        if command in _NAME_VALUE:
            words = split_words(rest, escape)
            if not words:
                return ""
            if "=" not in words[0][0]:
                instruction.legacy = True
                split = _BLANK_RUN.search(rest)
                if split is None:
                    return f"{command.upper()} must have two arguments"
                instruction.words = [
                    (rest[: split.start()], offset),
                    (rest[split.end() :], offset + split.end()),
                ]
                return ""
            pairs: list[tuple[str, int]] = []
            for word, at in words:
                key, equals, value = word.partition("=")
                if not equals:
                    return (
                        f"Syntax error - can't find = in {json.dumps(word)}."
                        " Must be of the form: name=value"
                    )
                pairs += [(key, offset + at), (value, offset + at + len(key) + 1)]
            instruction.words = pairs
        elif command == "arg":
            instruction.words = [(word, offset + at) for word, at in split_words(rest, escape)]
        elif command == "from":
            instruction.words = [
                (match.group(), offset + match.start()) for match in _NOT_BLANK_RUN.finditer(rest)
            ]
        elif command in _MAYBE_JSON or command in _MAYBE_JSON_LIST:
            if rest[:1] == "[" and _json_array(rest) is None:
                return _NOT_STRINGS
        elif command == "healthcheck":
            split = _SPACE_RUN.search(rest)
            if split is not None and _json_array(rest[split.end() :]) is None:
                return _NOT_STRINGS
        return ""

    def heredocs(self, instruction: RawInstruction, text: str, index: int) -> int:
        """Read the heredocs *text* opens from line *index* on; the index after them."""
        lines = self.lines
        count = len(lines)
        for word, _ in split_words(text, "\\"):
            match = _HEREDOC.match(word)
            if match is None or not match.group(3):
                continue
            try:
                name = self.heredoc_name(match.group(3))
            except ValueError as exc:
                self.problem(instruction.line, instruction.column, str(exc))
                continue
            if name is None:
                continue
            chomp = match.group(2) == "-"
            while True:
                if index == count:
                    self.problem(
                        instruction.line,
                        instruction.column,
                        f"unterminated heredoc {name!r}: no line {name!r} before the end",
                    )
                    instruction.end_line = count
                    return index
                line = lines[index].rstrip("\r")
                index += 1
                if (line.lstrip("\t") if chomp else line) == name:
                    break
            instruction.heredocs.append(name)
            instruction.end_line = index
        return index


def read(text: str, heredoc_name: Callable[[str], str | None]) -> Reading:
    """Read *text* (a Dockerfile) into instructions.

    *heredoc_name* turns the text after ``<<`` or ``<<-`` into the heredoc's name
    (None: not one word, so no heredoc); it raises ``ValueError`` on bad quoting.
    """
    reading = Reading()
    if text.startswith("\ufeff"):  # a byte-order mark before the first line is dropped
        text = text[1:]
    _Reader(text, heredoc_name, reading).run()
    if not reading.instructions and not reading.problems:
        reading.problems.append(ReadProblem(max(reading.lines, 1), 1, "file with no instructions"))
    return reading
