"""Reading a Dockerfile into instructions as BuildKit's parser does (private).

The facts below come from reading BuildKit's ``frontend/dockerfile/parser``
(``parser.go``, ``line_parsers.go``, ``split_command.go``, ``directives.go``); no
code is taken from it. :func:`read` turns the text of a Dockerfile into
:class:`RawInstruction` values (keyword, flags, raw words, where each starts) and
the problems met on the way, in time linear in the text's length. One match of
:func:`_instruction_pattern` finds an instruction with the blank and comment lines
before it and every line that continues it; one substitution of the continuation
pattern joins its lines; where a word starts (line and column) is worked out only
when a problem asks for it. The rules:

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

from ._memo import LONGEST_REMEMBERED, Table
from ._shell import _SPACES, process_words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DIRECTIVES",
    "GO_SPACES",
    "MAX_LINE_BYTES",
    "Opener",
    "RawInstruction",
    "ReadProblem",
    "Reading",
    "Shape",
    "heredoc_name",
    "read",
    "split_instruction",
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


def _instruction_pattern(escape: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern of one instruction, and the pattern of what joining its lines removes.

    The first matches, from the start of a line: the blank and comment lines before
    the instruction, its leading spaces (group 1), its continued lines with what
    follows each (group 2, empty for an instruction on one line), and its last line
    (group 3) with the newline after it. A line is continued when it ends with the
    escape character, then blanks (space, tab) and carriage returns, and that escape
    is not itself escaped (BuildKit's rule has no look-behind for an escaped
    escape before it, so ``a\\\\`` does not continue). The second pattern is that
    ending, its newline and the blank and comment lines after it: what is dropped
    between two lines' texts.
    """
    e = re.escape(escape)
    space = re.escape(GO_SPACES.replace("\n", ""))
    # A blank or comment line (in two alternatives, each of whose spaces is followed
    # by one character, which Python's engine skips to fast).
    dropped = f"(?:[{space}]*#[^\\n]*\\n|[{space}]*\\n)"
    # The end of a continued line (the escape not after another: a look-behind after
    # it, which again lets the engine skip to it), and the dropped lines after it.
    ending = f"{e}(?<!{e}{e})[ \\t]*\\r*\\n(?:{dropped})*"
    first = f"(?:{dropped})*([{space}]*)(?=[^{space}#\\n])"  # lookahead: not dropped
    # The last line's newline is missing after a continued last line of the text.
    return re.compile(f"{first}((?:[^\\n]*{ending})*)([^\\n]*)\\n?"), re.compile(ending)


_INSTRUCTION = {escape: _instruction_pattern(escape) for escape in ("\\", "`")}


def _word_piece(escape: str) -> str:
    """The pattern of one piece of a word (BuildKit's parser keeps quotes and escapes
    in it): an escaped character, a double-quoted part, a single-quoted part, or a run
    of other characters but spaces. Each alternative starts with its own character
    (no backtracking); a double-quoted part is written unrolled, so an unclosed one
    fails in one pass."""
    e = re.escape(escape)
    quoted = f'"[^"{e}]*(?:{e}[\\s\\S][^"{e}]*)*"'
    return f"{e}[\\s\\S]|{quoted}|'[^']*'|[^{re.escape(GO_SPACES)}\"'{e}]+"


def _words_pattern(escape: str) -> re.Pattern[str]:
    """The spaces before a word (group 1), then the word of :func:`split_words` (group
    2), or a character no word can start with here (group 3: an open quote, a final
    escape), or the end of the text (groups 2 and 3 empty)."""
    space = re.escape(GO_SPACES)
    return re.compile(f"([{space}]*)(?:((?:{_word_piece(escape)})+)|([^{space}])|\\Z)")


def _pair_pattern(escape: str) -> re.Pattern[str]:
    """The usual word of LABEL and ENV: the spaces before it (group 1), a key of plain
    characters (group 2: no quote, escape or ``=``), ``=`` and the value (group 3:
    the rest of the word, as :func:`split_words` reads it)."""
    e = re.escape(escape)
    space = re.escape(GO_SPACES)
    return re.compile(f"([{space}]*)([^{space}\"'{e}=]+)=((?:{_word_piece(escape)})*)")


_WORDS = {escape: _words_pattern(escape) for escape in ("\\", "`")}
_PAIR = {escape: _pair_pattern(escape) for escape in ("\\", "`")}
# A --flag word without quotes or escapes (the usual), up to a space or the end.
_S = re.escape(GO_SPACES)
_PLAIN_FLAGS = {
    escape: re.compile(f"--[^{_S}\"'{re.escape(escape)}]*(?![^{_S}])") for escape in ("\\", "`")
}

_HEREDOC_COMMANDS = frozenset({"run", "copy", "add"})
# A keyword of letters, blanks, then the first character of the rest on the same
# line, which starts neither flags nor a JSON form (nor is a space or an escape).
_KEYWORD_THEN_REST = re.compile(f"([A-Za-z]+)[ \t]+[^{re.escape(GO_SPACES)}\\\\`\\[-]")
# The instructions whose arguments are split (or checked) by _arguments.
_ARGUMENT_COMMANDS = frozenset({"label", "env", "arg", "from", "healthcheck"})
# The other instructions that BuildKit reads as a JSON array when they look like one.
_MAYBE_JSON = frozenset({"cmd", "entrypoint", "run", "shell", "add", "copy", "volume"})
# The instructions of which nothing but flags, a JSON form or heredocs is read.
_NOTHING_TO_SPLIT = _MAYBE_JSON | {"workdir", "user", "expose", "stopsignal", "maintainer"}
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
        "_continued",
        "_last",
        "_text",
        "column",
        "command",
        "end_line",
        "flags",
        "heredocs",
        "keyword",
        "legacy",
        "line",
        "words",
    )

    def __init__(  # noqa: PLR0917 - what one match of the instruction pattern found
        self,
        text: str | None,
        line: int,
        lead: int,
        continued: str | None,
        joint: re.Pattern[str] | None,
        shape: Shape,
        last: str = "",
    ) -> None:
        self._text = text
        if text is None:  # joined when first asked: (continued lines joint-removed) + last
            self._last = last
        # For an instruction on several lines: its lines as written, up to its last
        # (group 2 of the instruction pattern), and the pattern of what joining them
        # removed, to find where an offset of the text was (see position).
        self._continued: tuple[str, re.Pattern[str]] | list[tuple[int, int, int]] | None = None
        if continued and joint is not None:
            self._continued = (continued, joint)
        self.line = self.end_line = line
        self.column = lead + 1
        keyword, command, flags, words, legacy, _, _ = shape
        self.keyword = keyword
        self.command = command
        self.flags = flags
        self.words = words
        self.legacy = legacy
        self.heredocs: Sequence[str] = ()

    @property
    def text(self) -> str:
        """The joined logical line (its lines joined where RUN, COPY... need no more)."""
        text = self._text
        if text is None:
            found = self._continued
            assert isinstance(found, tuple)  # (lines, joint) until text is asked for
            last = self._last
            last = last.rstrip("\r") if last[-1:] == "\r" else last
            text = self._text = found[1].sub("", found[0]) + last
        return text

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of *offset* in :attr:`text`."""
        if self._continued is None:  # one line: the usual
            return self.line, self.column + offset
        pieces = self._continued
        if isinstance(pieces, tuple):  # where each line's text starts, found when first asked
            pieces = self._continued = self._pieces(*pieces)
        low, high = 0, len(pieces) - 1
        while low < high:  # the last line whose text starts at or before offset
            middle = (low + high + 1) // 2
            if pieces[middle][0] <= offset:
                low = middle
            else:
                high = middle - 1
        start, line, column = pieces[low]
        return line, column + offset - start

    def _pieces(self, lines: str, joint: re.Pattern[str]) -> list[tuple[int, int, int]]:
        """(offset in :attr:`text`, line, column) where each physical line's text starts,
        from *lines* (the lines as written, up to the last) and *joint* (what joining
        them removes: an escape at the end of a line, and the blank and comment lines
        after it). A line continued last in the text has no line after it."""
        pieces = [(0, self.line, self.column)]
        line, done, at = self.line, 0, 0
        size = len(self.text)
        for found in joint.finditer(lines):
            done += found.start() - at  # where the next line's text starts
            at = found.end()
            if at == len(lines) and done == size:
                break
            line += lines.count("\n", found.start(), at)
            pieces.append((done, line, 1))
        return pieces


class Reading:
    """What :func:`read` found: directives, escape, instructions, problems, line count."""

    __slots__ = ("directives", "escape", "instructions", "lines", "problems")

    def __init__(self) -> None:
        self.directives: dict[str, tuple[str, int]] = {}
        self.escape = "\\"
        self.instructions: list[RawInstruction] = []
        self.problems: list[ReadProblem] = []
        self.lines = 0


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


#: What opens a heredoc: its name and the pattern of the line that ends it (None: no
#: line can), or None and the problem its name has.
Opener = tuple[str, "re.Pattern[str] | None"] | tuple[None, str]
#: How an instruction's text splits (see :func:`split_instruction`): keyword, command,
#: flags, words, legacy form, a problem ("" for none), the heredocs that follow it.
Shape = tuple[str, str, tuple[str, ...], "Sequence[tuple[str, int]]", bool, str, tuple[Opener, ...]]

#: Instructions' lines as written -> (their text, its :data:`Shape`), one table per
#: escape character: kernel images repeat their ARG, FROM, ENV and LABEL lines (see
#: imageref._memo.Table). A text remembered is one object: its hash is kept.
_SHAPES = {escape: Table(2048, longest=LONGEST_REMEMBERED) for escape in ("\\", "`")}
_NO_SHAPE: Shape = ("", "", (), (), False, "", ())


def split_instruction(body: str, escape: str, start: int = 0) -> Shape:
    """How BuildKit splits *body*, an instruction's text from its keyword on (at
    offset *start* of the text): its keyword, its command (lower case; under
    ``ONBUILD``, the command it holds), its ``--flag`` words, its words with their
    offsets in the text (see :class:`RawInstruction`), whether it is LABEL's or ENV's
    legacy form, the problem BuildKit's parser reports ("" for none) and the
    heredocs it opens."""
    if body[-1:] in _SPACE_SET:
        body = body.rstrip(GO_SPACES)
    split = _BLANK_RUN.search(body)
    keyword = body if split is None else body[: split.start()]
    rest_at = len(body) if split is None else split.end()
    command = keyword.lower()
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
    words: Sequence[tuple[str, int]] = ()
    legacy = False
    problem = ""
    if command in _ARGUMENT_COMMANDS:
        words, legacy, problem = _arguments(command, rest, escape, start + rest_at)
    elif rest[:1] == "[" and command in _MAYBE_JSON and _json_array(rest) is None:
        problem = _NOT_STRINGS
    heredocs: tuple[Opener, ...] = ()
    if command in _HEREDOC_COMMANDS and "<<" in body and _json_array(rest) is False:
        heredocs = _openers(body)
    return keyword, command, tuple(flags), words, legacy, problem, heredocs


def _openers(body: str) -> tuple[Opener, ...]:
    """The heredocs the words of *body* open, in order (see :data:`Opener`)."""
    found: list[Opener] = []
    for word, _ in split_words(body, "\\"):
        if "<<" not in word:
            continue
        match = _HEREDOC.match(word)
        if match is None or not match.group(3):
            continue
        try:
            name = heredoc_name(match.group(3))
        except ValueError as exc:
            found.append((None, str(exc)))
            continue
        if name is not None:
            found.append((name, _terminator(name, match.group(2) == "-")))
    return tuple(found)


#: The text after "<<" -> (its heredoc name or None,): EOF, 'EOF', "EOT"... repeat.
_HEREDOC_NAMES = Table(256, longest=LONGEST_REMEMBERED)


def heredoc_name(text: str) -> str | None:
    """The heredoc name of the text after ``<<`` or ``<<-``, processed as BuildKit
    processes it (quotes removed); None when it is not one word. Raises
    :class:`~imageref._shell.WordError` (a ``ValueError``) on bad quoting."""
    found: tuple[str | None] | None = _HEREDOC_NAMES.entries.get(text)
    if found is not None:
        _HEREDOC_NAMES.hits += 1
        return found[0]
    words, _ = process_words(text, {}, escape="\\")
    return _HEREDOC_NAMES.offer(text, (words[0] if len(words) == 1 else None,))[0]


def _terminator(name: str, chomp: bool) -> re.Pattern[str] | None:
    """The pattern of the line that ends heredoc *name* (multi-line mode): the line
    is *name* once its carriage returns at the end are removed (and, with *chomp*
    (``<<-``), its tabs at the start). None when no line can be."""
    if "\n" in name or name.endswith("\r") or (chomp and name.startswith("\t")):
        return None
    tabs = "\t*" if chomp else ""
    return re.compile(f"^{tabs}{re.escape(name)}\r*$", re.M)


def _plain_pairs(rest: str, escape: str, offset: int) -> tuple[tuple[str, int], ...]:
    """The words of *rest* (at *offset*) as :func:`_arguments` splits a LABEL or ENV,
    when each is ``key=value`` with a plain key (the usual); else ``()``. One match a
    word, from where the last ended: the first that fails ends the try (linear)."""
    match = _PAIR[escape].match
    found: list[tuple[str, int]] = []
    append = found.append
    pos, size = 0, len(rest)
    while pos < size:
        pair = match(rest, pos)
        if pair is None:
            return ()
        spaces, key, value = pair.groups()
        at = offset + pos + len(spaces)
        append((key, at))
        append((value, at + len(key) + 1))
        pos = pair.end()
    return tuple(found)


def _arguments(
    command: str, rest: str, escape: str, offset: int
) -> tuple[Sequence[tuple[str, int]], bool, str]:
    """Split *rest* (at *offset* in the text) as *command* takes it: the words, whether
    it is the legacy form, and a problem or ""."""
    if command in _NAME_VALUE:
        pairs = _plain_pairs(rest, escape, offset)
        if pairs:  # (else the general way: quoted keys, the legacy form, problems)
            return pairs, False, ""
        words = split_words(rest, escape, offset)
        if not words:
            return (), False, ""
        if "=" not in words[0][0]:
            split = _BLANK_RUN.search(rest)
            if split is None:
                return (), True, f"{command.upper()} must have two arguments"
            return (
                ((rest[: split.start()], offset), (rest[split.end() :], offset + split.end())),
                True,
                "",
            )
        found: list[tuple[str, int]] = []
        append = found.append
        for word, at in words:
            key, equals, value = word.partition("=")
            if not equals:
                return (
                    (),
                    False,
                    (
                        f"Syntax error - can't find = in {json.dumps(word)}."
                        " Must be of the form: name=value"
                    ),
                )
            append((key, at))
            append((value, at + len(key) + 1))
        return tuple(found), False, ""
    if command == "arg":
        return tuple(split_words(rest, escape, offset)), False, ""
    if command == "from":
        found = []
        at = offset
        for blanks, word in _FROM_WORDS.findall(rest):
            at += len(blanks)
            found.append((word, at))
            at += len(word)
        return tuple(found), False, ""
    if command == "healthcheck":
        split = _SPACE_RUN.search(rest)
        if split is not None and _json_array(rest[split.end() :]) is None:
            return (), False, _NOT_STRINGS
    return (), False, ""


class _Reader:
    """The state of one reading (see :func:`read`): the text, and the problems found."""

    __slots__ = ("count", "reading", "text", "unterminated")

    def __init__(self, text: str, reading: Reading) -> None:
        self.text = text
        self.reading = reading
        # The number of lines (a newline at the very end starts no line).
        self.count = text.count("\n") + (1 if text and text[-1] != "\n" else 0)
        self.unterminated = False  # the reading ended in a heredoc

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

    def directives(self) -> tuple[int, int]:
        """Read the parser directives at the top; the offset and the number of the
        line after them."""
        text = self.text
        if text[:1] not in _SPACE_SET and text[:1] != "#":  # no directive: the usual
            return 0, 1
        size = len(text)
        pos, number = 0, 1
        while pos < size:
            end = text.find("\n", pos)
            if end < 0:
                end = size
            if not self.directive(text[pos:end].rstrip("\r").lstrip(GO_SPACES), number):
                break
            pos, number = end + 1, number + 1
        return pos, number

    def too_long(self) -> int:
        """The number of the first line longer than BuildKit's scanner takes (0: none);
        the text is cut before it, as the scanner stops there."""
        text = self.text
        if len(text) <= MAX_LINE_BYTES // 4:  # no line can have too many bytes: the usual
            return 0
        start = 0
        for index, line in enumerate(text.split("\n")):
            if (
                len(line) > MAX_LINE_BYTES // 4
                and len(line.rstrip("\r").encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES
            ):
                self.text = text[:start]
                self.count = index
                return index + 1
            start += len(line) + 1
        return 0

    def start(self) -> tuple[int, int, int]:
        """Find a line too long and read the directives: the number of the line too
        long (0: none; the text is cut before it), and the offset and number of the
        line after the directives. The text then ends with a newline."""
        cut = self.too_long()
        pos, line = self.directives()
        if self.text[-1:] != "\n":  # every line ends with a newline for the patterns
            self.text += "\n"
        return cut, pos, line

    def run(self) -> None:
        reading = self.reading
        cut, pos, line = self.start()
        text = self.text
        escape = reading.escape
        match = _INSTRUCTION[escape][0].match
        join = _INSTRUCTION[escape][1]
        count = text.count
        shapes = _SHAPES[escape]
        while True:
            found = match(text, pos)
            if found is None:
                break
            lead, continued, last = found.groups()
            start = found.start(1)
            if start != pos:
                line += count("\n", pos, start)  # the blank and comment lines before it
            pos = found.end()
            if continued and cut and not last and pos == len(text):
                break  # still continued where the line too long starts: dropped
            # The text and how it splits, by the lines as written: remembered, as
            # instructions repeat (the usual).
            written = continued + last if continued else last
            known: tuple[str | None, Shape | None] | None = shapes.entries.get(written)
            if known is not None:
                shapes.hits += 1
            else:
                known = self.split(written, continued, last, join)
            body, shape = known
            if shape is not None:
                instruction = RawInstruction(body, line, len(lead), continued, join, shape, last)
            else:  # the first line held only the escape (rare)
                assert body is not None
                shape, column = self.spaced(body, line, len(lead), continued, join)
                instruction = RawInstruction(body, line, len(lead), continued, join, shape)
                instruction.column = column
            if continued:
                line += count("\n", start, pos)
                instruction.end_line = line if text[pos - 1] != "\n" else line - 1
            else:  # one line (end_line is line), ended by a newline
                line += 1
            if shape[5]:  # a problem
                self.problem(instruction.line, instruction.column, shape[5])
            if shape[6]:  # heredocs
                pos, line = self.heredocs(instruction, shape[6], pos, line)
            reading.instructions.append(instruction)
        self.finish(cut)

    def finish(self, cut: int) -> None:
        """The number of lines read, and the problem of a line too long (number *cut*)."""
        self.reading.lines = cut or self.count
        if cut and not self.unterminated:  # else BuildKit names the heredoc only
            why = f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"
            self.problem(cut, 1, why)

    def split(
        self, written: str, continued: str, last: str, joint: re.Pattern[str]
    ) -> tuple[str | None, Shape | None]:
        """The text of an instruction (its *continued* lines and its *last* as
        *written*, what *joint* matches removed) and its split (None when its first
        line held only the escape: see :meth:`spaced`), remembered by *written*.

        An instruction of which nothing but the keyword is read (RUN, COPY... on
        several lines, its keyword and blanks first, then neither flags, nor a JSON
        form, nor any ``<``) is split from its first line: its text is joined only
        when asked for (None here), and it is not remembered (it rarely repeats)."""
        if continued and "<" not in written:  # RUN, COPY... on lines: the keyword only
            head = _KEYWORD_THEN_REST.match(continued)
            if head is not None and head.group(1).lower() in _NOTHING_TO_SPLIT:
                keyword = head.group(1)
                return None, (keyword, keyword.lower(), (), (), False, "", ())
        body = last.rstrip("\r") if last[-1:] == "\r" else last
        if continued:
            body = joint.sub("", continued) + body
        if body[:1] in _SPACE_SET:
            return body, None
        return _SHAPES[self.reading.escape].offer(
            written, (body, split_instruction(body, self.reading.escape))
        )

    def spaced(
        self, text: str, line: int, lead: int, continued: str | None, joint: re.Pattern[str]
    ) -> tuple[Shape, int]:
        """The split of an instruction (*text*, from line *line*) whose first line held
        only the escape, and the column of its keyword: it starts after the spaces
        that start its text, where a problem of the split is reported (the shape
        returned has none)."""
        start = len(text) - len(text.lstrip(GO_SPACES))
        at = RawInstruction(text, line, lead, continued, joint, _NO_SHAPE).position(start)
        shape = split_instruction(text[start:], self.reading.escape, start)
        if shape[5]:
            self.problem(at[0], at[1], shape[5])
        return (*shape[:5], "", shape[6]), at[1]

    def heredocs(
        self, instruction: RawInstruction, openers: tuple[Opener, ...], pos: int, line: int
    ) -> tuple[int, int]:
        """Read the heredocs *instruction* opens (*openers*) from offset *pos* (line
        *line*) on; the offset and the number of the line after them."""
        text = self.text
        names: list[str] = []
        for name, end in openers:
            if name is None:  # a name with bad quoting: end is the problem
                self.problem(instruction.line, instruction.column, end)  # type: ignore[arg-type]
                continue
            found = None if end is None else end.search(text, pos)  # type: ignore[union-attr]
            if found is None:  # no line ends it
                self.problem(
                    instruction.line,
                    instruction.column,
                    f"unterminated heredoc {name!r}: no line {name!r} before the end",
                )
                instruction.end_line = self.count
                instruction.heredocs = tuple(names)
                self.unterminated = True
                return len(text), self.count + 1
            line += text.count("\n", pos, found.end()) + 1
            pos = found.end() + 1
            names.append(name)
            instruction.end_line = line - 1
        instruction.heredocs = tuple(names)
        return pos, line


def read(text: str) -> Reading:
    """Read *text* (a Dockerfile) into instructions."""
    reading = Reading()
    if text.startswith("\ufeff"):  # a byte-order mark before the first line is dropped
        text = text[1:]
    _Reader(text, reading).run()
    if not reading.instructions and not reading.problems:
        reading.problems.append(ReadProblem(max(reading.lines, 1), 1, "file with no instructions"))
    return reading
