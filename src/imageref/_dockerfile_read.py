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
# The blanks before a word of FROM (group 1), and the word (group 2).
_FROM_WORDS = re.compile(f"([{re.escape(_BLANKS)}]*)([^{re.escape(_BLANKS)}]+)")
_SPACE_SET = frozenset(GO_SPACES)
_FLAG_OR_SPACE = _SPACE_SET | {"-"}
# What a line's first character after its leading spaces is when the line is blank or
# a comment.
_DROPPED = frozenset({"", "#"})
# The last characters of a line that may continue it or be trimmed (carriage return).
_LOOK_CLOSER = {escape: frozenset({escape, " ", "\t", "\r"}) for escape in ("\\", "`")}


def _words_pattern(escape: str) -> re.Pattern[str]:
    """The spaces before a word (group 1), then the word of :func:`split_words` (group
    2), or a character no word can start with here (group 3: an open quote, a final
    escape), or the end of the text (groups 2 and 3 empty)."""
    e = re.escape(escape)
    space = re.escape(GO_SPACES)
    # Each alternative starts with its own character (no backtracking); a double-quoted
    # part is written unrolled, so an unclosed one fails in one pass.
    quoted = f'"[^"{e}]*(?:{e}[\\s\\S][^"{e}]*)*"'
    word = f"(?:{e}[\\s\\S]|{quoted}|'[^']*'|[^{space}\"'{e}]+)+"
    return re.compile(f"([{space}]*)(?:({word})|([^{space}])|\\Z)")


_WORDS = {escape: _words_pattern(escape) for escape in ("\\", "`")}
# A --flag word without quotes or escapes (the usual), up to a space or the end.
_S = re.escape(GO_SPACES)
_PLAIN_FLAGS = {
    escape: re.compile(f"--[^{_S}\"'{re.escape(escape)}]*(?![^{_S}])") for escape in ("\\", "`")
}

_HEREDOC_COMMANDS = frozenset({"run", "copy", "add"})
# The instructions whose arguments are split (or checked) by _Reader.arguments.
_ARGUMENT_COMMANDS = frozenset({"label", "env", "arg", "from", "healthcheck"})
# The other instructions that BuildKit reads as a JSON array when they look like one.
_MAYBE_JSON = frozenset({"cmd", "entrypoint", "run", "shell", "add", "copy", "volume"})
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

    def __init__(
        self, text: str, line: int, lead: int, pieces: list[tuple[int, int, int]] | None
    ) -> None:
        self.text = text
        # Where each physical line starts in text (offset, line, column offset in it),
        # for an instruction continued on other lines; None for one line.
        self._pieces = pieces
        self.keyword = ""
        self.command = ""
        self.line = self.end_line = line
        self.column = lead + 1
        self.flags: tuple[str, ...] = ()
        self.words: list[tuple[str, int]] = []
        self.legacy = False
        self.heredocs: list[str] = []

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of *offset* in :attr:`text`."""
        pieces = self._pieces
        if pieces is None:  # one line: the usual
            return self.line, self.column + offset
        if len(pieces) == 1 or offset < pieces[1][0]:
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
    end = len(line) if line[-1:] == escape else len(line.rstrip(" \t"))
    if end and line[end - 1] == escape and (end == 1 or line[end - 2] != escape):
        return line[: end - 1], True
    return line, False


def split_words(rest: str, escape: str, offset: int = 0) -> list[tuple[str, int]]:
    """The words of *rest* as BuildKit's parser splits them: ``(word, offset)`` (the
    offset in *rest*, plus *offset*).

    Words are separated by spaces outside quotes; quotes and escapes are kept in
    the word (the shell lexer removes them later); an escape at the very end is
    dropped; an unclosed quote runs to the end.
    """
    # One match per word (found all at once: the offsets follow from the lengths),
    # unless a quote is left open or the text ends with the escape: those few take
    # the loop below, which spells the rule out.
    found: list[tuple[str, int]] = []
    append = found.append
    at = offset
    for spaces, word, other in _WORDS[escape].findall(rest):
        if not word:
            if other:
                return _split_words_slowly(rest, escape, offset)
            break  # the end
        at += len(spaces)
        append((word, at))
        at += len(word)
    return found


def _split_words_slowly(rest: str, escape: str, offset: int) -> list[tuple[str, int]]:
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
            words.append(("".join(chars), offset + start))


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
        plain = _PLAIN_FLAGS[escape].match(line, pos)
        if plain is not None:  # no quote or escape to remove: the word as it is
            pos = plain.end()
            if plain.group() != "--":
                flags.append(plain.group())
            elif pos < size:
                return pos, flags
            continue
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

    def problem(self, line: int, column: int, message: str) -> None:
        self.reading.problems.append(ReadProblem(line, column, message))

    def directive(self, line: str, number: int) -> bool:
        """Read *line* (number *number*, leading spaces removed) as a parser
        directive; whether it was one."""
        if not line.startswith("#"):
            return False
        text = line[1:].lstrip(GO_SPACES)
        match = _DIRECTIVE.match(text)
        value = text[match.end() :].rstrip(_GO_REGEXP_SPACES) if match else ""
        if match and not value and not match.group().endswith("="):
            value = match.group()[-1]  # only blanks after "=": Go's (.+?) takes the last one
        name = match.group(1).lower() if match and value else ""
        if name not in DIRECTIVES:
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

    def directives(self) -> int:
        """Read the parser directives at the top; the index of the line after them
        (-1: a line too long)."""
        lines = self.lines
        index = 0
        while index < len(lines):
            raw = lines[index].rstrip("\r")
            if len(raw) > MAX_LINE_BYTES // 4 and self.too_long(raw, index):
                return -1
            if not self.directive(raw.lstrip(GO_SPACES), index + 1):
                break
            index += 1
        return index

    def run(self) -> None:
        lines = self.lines
        count = len(lines)
        reading = self.reading
        index = self.directives()
        if index < 0:
            return
        spaces = GO_SPACES
        long_line = MAX_LINE_BYTES // 4  # a shorter line cannot have too many bytes
        escape = reading.escape
        # A line ending in none of these is not continued and has no carriage return.
        look_closer = _LOOK_CLOSER[escape]
        while index < count:
            raw = lines[index]
            if len(raw) > long_line and self.too_long(raw.rstrip("\r"), index):
                return
            index += 1
            if raw[-1:] in look_closer:
                raw = raw.rstrip("\r")
                stripped = raw.lstrip(spaces)
                if stripped[:1] in _DROPPED:  # a blank line or a comment
                    continue
                # The escape last but blanks, not itself escaped (see _continued)
                content, more = _continued(stripped, escape)
            else:  # the usual
                stripped = raw.lstrip(spaces)
                if stripped[:1] in _DROPPED:
                    continue
                content, more = stripped, False
            lead = len(raw) - len(stripped)
            if more:
                pieces = [(0, index, lead)]
                index, content = self.continuation(index, content, pieces)
                if index < 0:
                    return
                instruction = RawInstruction(content, pieces[0][1], lead, pieces)
                instruction.end_line = index
            else:
                instruction = RawInstruction(content, index, lead, None)
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
        look_closer = _LOOK_CLOSER[escape]
        parts = [content]
        size = len(content)
        more = True
        while more and index < count:
            raw = lines[index]
            if len(raw) > MAX_LINE_BYTES // 4 and self.too_long(raw.rstrip("\r"), index):
                return -1, ""
            index += 1
            if raw.lstrip(spaces)[:1] in _DROPPED:
                continue  # blank and comment lines inside an instruction are dropped
            last = raw[-1:]
            if last not in look_closer:
                content, more = raw, False
            else:  # an escape last: the usual here
                content, more = _continued(raw.rstrip("\r") if last == "\r" else raw, escape)
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
        elif rest[:1] == "[" and command in _MAYBE_JSON and _json_array(rest) is None:
            self.problem(line, column, _NOT_STRINGS)
        if command in _HEREDOC_COMMANDS and "<<" in text and _json_array(rest) is False:
            index = self.heredocs(instruction, text, index)
        self.reading.instructions.append(instruction)
        return index

    def arguments(self, instruction: RawInstruction, command: str, rest: str, offset: int) -> str:
        """Split *rest* (at *offset* in the text) as *command* takes it; a problem or ""."""
        escape = self.reading.escape
        if command in _NAME_VALUE:
            words = split_words(rest, escape, offset)
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
            append = pairs.append
            for word, at in words:
                key, equals, value = word.partition("=")
                if not equals:
                    return (
                        f"Syntax error - can't find = in {json.dumps(word)}."
                        " Must be of the form: name=value"
                    )
                append((key, at))
                append((value, at + len(key) + 1))
            instruction.words = pairs
        elif command == "arg":
            instruction.words = split_words(rest, escape, offset)
        elif command == "from":
            words = instruction.words
            at = offset
            for blanks, word in _FROM_WORDS.findall(rest):
                at += len(blanks)
                words.append((word, at))
                at += len(word)
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
            if "<<" not in word:
                continue
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
