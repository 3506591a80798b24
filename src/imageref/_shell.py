"""Word processing of Dockerfile instruction arguments, as BuildKit's shell lexer does it.

BuildKit (moby/buildkit, ``frontend/dockerfile/shell``) reads each word of an instruction
such as ``LABEL`` or ``FROM`` through a small shell-like lexer: quotes are removed, the
escape character (``\\`` or the backtick chosen by ``# escape=``) escapes, and variables
are substituted. :func:`process_word` gives the word's value and :func:`process_words`
splits it at unquoted whitespace, as BuildKit's ``ProcessWord`` and ``ProcessWords`` do on
Linux. The rules, with examples, are in docs/dockerfile-words.md; every fact here was
read from BuildKit's lexer and its tests and checked against the recorded vectors
(``tests/data/buildkit-shell-words.json``).

Most words need no lexer: one pattern per context (:func:`_scanner`) reads a run of plain
text, a closed quoted string, an escaped character or a ``$NAME``/``${NAME}`` in one match,
and :func:`process_word` hands the lexer only what that scan leaves (``${X:-...}``, a
double-quoted string with variables, an open quote). The lexer keeps its nesting
(``${A:-${B:-...}}`` inside double quotes inside ...) on an explicit stack, not Python's, so
no input can raise ``RecursionError``, and hands values up as ropes joined once at the end.
Pattern forms (``${X#p}``, ``${X/p/r}``, ...) match with a Pike-style simulation of Go's
leftmost-first regular expressions, so no pattern takes exponential time; their work is
counted, and a word whose patterns would cost more than :data:`_WORK_LIMIT` steps (plus
:data:`_WORK_PER_CHAR` per character of the word) raises :class:`WordError` rather than
take quadratic time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .errors import ImageRefError, _shown, _type_error

__all__ = ["WordError", "process_word", "process_words"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    # A value under construction: text, or a list of values joined later (so a value
    # handed up through many levels of ``${A:-${B:-...}}`` is never copied at each level).
    _Rope: TypeAlias = "str | list[_Rope]"


class WordError(ImageRefError, ValueError):
    """A word BuildKit's lexer rejects (unterminated quote, bad substitution, ${X:?msg} unset, ...).

    ``word`` is the word as given, ``reason`` says what is wrong; the message names both
    (the word shortened when long).
    """

    word: str
    reason: str

    def __init__(self, word: str, reason: str) -> None:
        super().__init__(f"cannot process word {_shown(word)}: {reason}")
        self.word = word
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.word, self.reason))


# ---------------------------------------------------------------------------
# Characters
# ---------------------------------------------------------------------------

ESCAPES = ("\\", "`")  # the escape characters a Dockerfile's ``# escape=`` may choose

# Go's unicode.IsSpace: where ProcessWords splits (Python's str.isspace also takes \x1c-\x1f).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = re.compile(f"[{_GO_SPACE}]+")

# Shell special parameters ($@, $*, $#, ...); $0 is read as a number (below).
_SPECIAL_PARAMETERS = frozenset("@*#?-$!")
_DIGITS = re.compile(r"\d+")  # Unicode Nd: Go's unicode.IsDigit
_WORD_CHARS = re.compile(r"\w+")  # a superset of Go's letters, digits and "_" (checked below)

# A byte order mark as the first character of a word is dropped (Go's text/scanner does).
_BOM = "\ufeff"

# Heredoc markers: after "<<", spaces, tabs and carriage returns belong to the marker.
_HEREDOC_SPACE = re.compile("[ \t\r]+")

_MISSING = object()

_SAID_MAX_CHARS = 80

# Pattern matching may take this many steps per word, plus _WORK_PER_CHAR per character
# of the word, before the word is refused (see _Lexer.charge).
_WORK_LIMIT = 1_000_000
_WORK_PER_CHAR = 16

_SCANNERS: dict[tuple[str, str | None, str], re.Pattern[str]] = {}

# The groups of a scanner's alternatives (see _scanner), by match.lastindex; a
# ${NAME-word} is groups _DEFAULTED (the name), _COLON, _OPERATOR and _DEFAULT (the word).
_PLAIN, _SINGLE, _DOUBLE, _ESCAPED, _BRACED, _NAMED, _HEREDOC = range(1, 8)
_DEFAULTED, _COLON, _OPERATOR, _DEFAULT = range(8, 12)


def _scanner(kind: str, stop: str | None, escape: str) -> re.Pattern[str]:
    """The pattern of the next token of a context that needs no more than one match.

    *kind* is ``"word"`` (a word up to *stop*), ``"split"`` (the top of ProcessWords, where
    ``<`` and ``<<`` are read), ``"quoted"`` (inside double quotes) or ``"quoted, split"``
    (inside double quotes in ProcessWords). The alternatives, one
    group each (:data:`_PLAIN` ...): a run of characters that mean nothing there; a closed
    single-quoted string; a closed double-quoted string with no ``$`` or escape character
    in it; the escape character and what it escapes; ``${NAME}`` and ``$NAME`` with an
    ASCII name (a name followed by any other letter or digit is left to the lexer); a
    heredoc marker; ``${NAME-word}``, ``${NAME:-word}``, ``${NAME+word}`` or
    ``${NAME:+word}`` whose word has none of ``$``, quotes, the escape character or ``}``
    (not at the top of ProcessWords, where reading such a word clears the word being
    built). Anything else (``${X:-$Y}``, an open quote, ...) is the lexer's.
    """
    key = (kind, stop, escape)
    pattern = _SCANNERS.get(key)
    if pattern is None:
        esc = re.escape(escape)
        never = "(?!)()"
        if kind.startswith("quoted"):
            plain = f'([^"${esc}]+)'
            quotes = never + never
            escaped = f'{esc}(["${esc}])'
        else:
            special = "$'\"" + escape + (stop or "") + ("<" if kind == "split" else "")
            plain = f"([^{re.escape(special)}]+)"
            quotes = f"'([^']*)'|\"([^\"${esc}]*)\""
            escaped = f"{esc}([\\s\\S])"
        heredoc = "(<<[ \t\r]*|<)" if kind == "split" else never
        name = "([A-Za-z_][A-Za-z0-9_]*)"
        default = f"\\$\\{{{name}(:?)([-+])([^$'\"{esc}}}]*)\\}}"
        if kind.endswith("split"):
            default = never * 4
        pattern = re.compile(
            f"{plain}|{quotes}|{escaped}|\\$\\{{{name}\\}}|\\${name}(?!\\w)|{heredoc}|{default}"
        )
        _SCANNERS[key] = pattern
    return pattern


def _lookup(env: Mapping[str, str], unset: dict[str, None], name: str) -> str | None:
    """The value of *name* in *env*, or None (remembered in *unset*) when it has none."""
    value = env.get(name, _MISSING)
    if value is _MISSING:
        unset[name] = None
        return None
    if not isinstance(value, str):
        raise _type_error(f"env[{_shown(name)}]", "a str", value)
    return value


def _alternative(op: str, colon: bool, value: str | None, word: _Rope) -> _Rope:
    """``${NAME-word}``, ``${NAME:-word}``, ``${NAME+word}``, ``${NAME:+word}``: the value,
    or the (processed) *word*, by whether NAME is set (*value* not None) and, with
    *colon*, not empty."""
    empty = value is None or (colon and not value)
    if op == "-":
        return word if empty else value  # type: ignore[return-value]
    return "" if empty else word


def _scan(
    pattern: re.Pattern[str],
    text: str,
    pos: int,
    *,
    env: Mapping[str, str],
    unset: dict[str, None],
    raw: bool,
    splits: Callable[[str], object],
    whole: Callable[[str], object],
) -> tuple[int, int]:
    """Read the tokens *pattern* (a :func:`_scanner`) matches from *pos*: where it stops,
    and how many tokens it read (each at least one character).

    Unquoted text and variables' values go to *splits*, quoted and escaped text to
    *whole* (the same list's ``append`` but at the top of ProcessWords). With *raw*
    (pattern words), an escape character is kept with what it escapes.
    """
    tokens = 0
    match = pattern.match(text, pos)
    while match is not None:
        tokens += 1
        kind = match.lastindex
        if kind == _PLAIN:
            splits(match.group(_PLAIN))
        elif kind in (_BRACED, _NAMED):
            splits(_lookup(env, unset, match.group(kind)) or "")
        elif kind == _DEFAULT:
            name, colon, op, word = match.group(_DEFAULTED, _COLON, _OPERATOR, _DEFAULT)
            splits(_alternative(op, bool(colon), _lookup(env, unset, name), word))  # type: ignore[arg-type]
        elif kind == _ESCAPED and raw:
            whole(match.group())
        else:
            whole(match.group(kind))  # type: ignore[arg-type]
        pos = match.end()
        match = pattern.match(text, pos)
    return pos, tokens


def _said(text: str) -> str:
    """*text* (a name, a user's ``${X?message}``) in a reason: as-is when it is printable
    ASCII and short, else as a shortened ASCII literal."""
    if len(text) <= _SAID_MAX_CHARS and text.isascii() and text.isprintable():
        return text
    return _shown(text)


def _name_end(text: str, pos: int) -> int:
    """End of the run of letters, digits (Unicode Nd) and ``_`` at *pos* (Go's rule)."""
    match = _WORD_CHARS.match(text, pos)
    if match is None:
        return pos
    end = match.end()
    if not match.group().isascii():
        for index in range(pos, end):
            char = text[index]
            if not (char.isalpha() or char.isdecimal() or char == "_"):
                return index
    return end


def _read_name(text: str, pos: int) -> tuple[str, int]:
    """The variable name at *pos* after ``$`` or ``${`` and where it ends.

    Digits make a positional name (``$12``, read whole); one special parameter
    character is a name by itself; otherwise letters, digits and ``_``.
    """
    digits = _DIGITS.match(text, pos)
    if digits is not None:
        return digits.group(), digits.end()
    if pos < len(text) and text[pos] in _SPECIAL_PARAMETERS:
        return text[pos], pos + 1
    end = _name_end(text, pos)
    return text[pos:end], end


def _join(rope: _Rope) -> str:
    """The text of *rope*, flattened without recursion."""
    if isinstance(rope, str):
        return rope
    try:
        return "".join(rope)  # type: ignore[arg-type]
    except TypeError:  # lists in it: flattened below
        pass
    out: list[str] = []
    pending = [iter(rope)]
    while pending:
        for item in pending[-1]:
            if isinstance(item, str):
                out.append(item)
            else:
                pending.append(iter(item))
                break
        else:
            pending.pop()
    return "".join(out)


# ---------------------------------------------------------------------------
# Patterns: ${X#p}, ${X##p}, ${X%p}, ${X%%p}, ${X/p/r}, ${X//p/r}
# ---------------------------------------------------------------------------

_ANY = -1  # "?": one character other than a newline (Go's "." without the s flag)
_STAR = -2  # "*": any run of characters other than newlines


def _glob(pattern: str) -> list[str | int]:
    """*pattern* as tokens: literal characters, :data:`_ANY` and :data:`_STAR`.

    A backslash makes the next ``*``, ``?`` or backslash literal, and is dropped before
    ``}`` and ``/``; before anything else (or at the end) it is an error. These rules hold
    whatever the escape character, as in BuildKit. A leading byte order mark is dropped.
    """
    tokens: list[str | int] = []
    pos = 1 if pattern.startswith(_BOM) else 0
    end = len(pattern)
    while pos < end:
        char = pattern[pos]
        pos += 1
        if char == "*":
            tokens.append(_STAR)
        elif char == "?":
            tokens.append(_ANY)
        elif char != "\\":
            tokens.append(char)
        elif pos < end and pattern[pos] in "}/":
            continue  # the next character is read as itself
        elif pos < end and pattern[pos] in "*?\\":
            tokens.append(pattern[pos])
            pos += 1
        else:
            if pos >= end:
                raise ValueError("a backslash at its end escapes nothing")
            raise ValueError(f"a backslash before {_shown(pattern[pos])} escapes nothing")
    return tokens


def _reverse_pattern(pattern: str) -> str:
    """*pattern* backwards, each backslash kept before the character it escapes."""
    pieces = re.findall(r"\\[\s\S]|[\s\S]", pattern)
    pieces.reverse()
    return "".join(pieces)


class _OverLimit(Exception):
    """A match took more steps than its limit."""


class _Matcher:
    """Leftmost-first matching of glob tokens, as Go's ``regexp`` runs the equivalent
    expression: ``*`` as ``.*`` (greedy) or ``.*?`` (lazy), ``?`` as ``.``.

    A Pike-style simulation: at each character every live thread (one per token
    position, the highest-priority one kept) steps at once, so the cost is at most
    (characters) x (tokens + 1) steps, counted in ``steps``.
    """

    __slots__ = ("closures", "limit", "literal", "steps", "tokens")

    def __init__(self, tokens: list[str | int], greedy: bool) -> None:
        self.tokens = tokens
        self.steps = 0
        self.limit = _WORK_LIMIT  # more steps than this raise _OverLimit
        self.literal: str | None = None
        if all(isinstance(token, str) for token in tokens):
            self.literal = "".join(str(token) for token in tokens)
        # closures[i]: the token positions a thread entering position i waits at, in
        # priority order; len(tokens) means "matched".
        count = len(tokens)
        closures: list[tuple[int, ...]] = [()] * (count + 1)
        closures[count] = (count,)
        for index in range(count - 1, -1, -1):
            if tokens[index] != _STAR:
                closures[index] = (index,)
                continue
            after = closures[index + 1]
            ordered = (index, *after) if greedy else (*after, index)
            closures[index] = tuple(dict.fromkeys(ordered))
        self.closures = closures

    def search(self, text: str, start: int, anchored: bool) -> tuple[int, int] | None:
        """The span of the first match at or after *start* (only at *start* if *anchored*)."""
        literal = self.literal
        if literal is not None:
            self.steps += 1 + len(literal)
            if anchored:
                return (start, start + len(literal)) if text.startswith(literal, start) else None
            found = text.find(literal, start)
            self.steps += (len(text) - start) if found < 0 else (found - start)
            return None if found < 0 else (found, found + len(literal))
        tokens, closures = self.tokens, self.closures
        accept = len(tokens)
        entry = closures[0]
        threads: dict[int, int] = dict.fromkeys(entry, start)
        found_span: tuple[int, int] | None = None
        pos, end = start, len(text)
        while True:
            self.steps += len(threads)
            if self.steps > self.limit:
                raise _OverLimit
            char = text[pos] if pos < end else None
            following: dict[int, int] = {}
            for state, origin in threads.items():
                if state == accept:
                    found_span = (origin, pos)
                    break  # threads of lower priority can only find worse matches
                if char is None:
                    continue
                token = tokens[state]
                if token == _STAR:
                    if char != "\n":
                        for target in closures[state]:
                            following.setdefault(target, origin)
                elif (char != "\n") if token == _ANY else (char == token):
                    for target in closures[state + 1]:
                        following.setdefault(target, origin)
            if char is None:
                return found_span
            pos += 1
            if found_span is None and not anchored:
                for target in entry:
                    following.setdefault(target, pos)
            if not following:
                return found_span
            threads = following


def _expand_replacement(template: str, matched: str) -> str:
    """Go's ``Regexp.Expand`` of a replacement, for an expression without groups.

    ``$$`` is ``$``; ``$0``/``${0}`` is the match; any other ``$name``/``${name}`` is
    empty; a ``$`` that starts no name is itself.
    """
    out: list[str] = []
    pos, end = 0, len(template)
    while True:
        dollar = template.find("$", pos)
        if dollar < 0:
            out.append(template[pos:])
            return "".join(out)
        out.append(template[pos:dollar])
        if template.startswith("$$", dollar):
            out.append("$")
            pos = dollar + 2
            continue
        braced = template.startswith("${", dollar)
        name_start = dollar + (2 if braced else 1)
        name_end = _name_end(template, name_start)
        closed = not braced or (name_end < end and template[name_end] == "}")
        if name_end == name_start or not closed:
            out.append("$")
            pos = dollar + 1
            continue
        if template[name_start:name_end] == "0":
            out.append(matched)
        pos = name_end + (1 if braced else 0)


# ---------------------------------------------------------------------------
# The lexer
# ---------------------------------------------------------------------------


class _Word:
    """A run of text read up to *stop* (None: the end of the input)."""

    __slots__ = ("parts", "raw", "scanner", "stop")

    def __init__(self, stop: str | None, raw: bool, scanner: re.Pattern[str]) -> None:
        self.stop = stop
        self.raw = raw  # whether escape characters are kept (pattern forms)
        self.scanner = scanner
        self.parts: list[_Rope] = []


class _Quoted:
    """The inside of a double-quoted string."""

    __slots__ = ("parts", "raw")

    def __init__(self, raw: bool) -> None:
        self.raw = raw
        self.parts: list[_Rope] = []


class _Substitution:
    """A ``${name<op>...}`` waiting for its word (and, for ``/``, its replacement)."""

    __slots__ = ("colon", "name", "op", "pattern", "replace_all")

    def __init__(self, name: str, op: str, colon: bool, replace_all: bool = False) -> None:
        self.name = name
        self.op = op
        self.colon = colon
        self.replace_all = replace_all
        self.pattern: str | None = None  # "/": the pattern, once read


class _Lexer:
    """One word's processing. ``split`` (ProcessWords) collects words instead of the value."""

    __slots__ = (
        "buffer",
        "buffered",
        "env",
        "escape",
        "limit",
        "pos",
        "split",
        "stack",
        "steps",
        "text",
        "top",
        "unset",
        "word",
        "words",
    )

    def __init__(
        self,
        word: str,
        env: Mapping[str, str],
        escape: str,
        split: bool,
        *,
        start: int | None = None,
        parts: list[_Rope] | None = None,
        unset: dict[str, None] | None = None,
    ) -> None:
        """A lexer for *word*; *start*, *parts* and *unset* resume a scan of its top."""
        self.word = word
        self.text = word
        self.env = env
        self.escape = escape
        self.split = split
        self.pos = (1 if word.startswith(_BOM) else 0) if start is None else start
        self.unset: dict[str, None] = {} if unset is None else unset
        self.top = _Word(None, False, _scanner("split" if split else "word", None, escape))
        if parts is not None:
            self.top.parts = parts
        self.stack: list[_Word | _Quoted | _Substitution] = [self.top]
        self.steps = 0  # loop turns plus pattern work: the cost, for tests
        self.limit = _WORK_LIMIT + _WORK_PER_CHAR * len(word)
        # ProcessWords: the finished words and the pieces of the current one.
        self.words: list[str] = []
        self.buffer: list[str] = []
        self.buffered = 0

    # -- errors and variables -------------------------------------------------

    def fail(self, reason: str) -> WordError:
        """The error for *reason*; at the end of the input inside ``${...}``, a missing
        ``}`` (or ``/``) of the outermost open substitution is what is reported."""
        if self.pos >= len(self.text):
            for frame in self.stack:
                if isinstance(frame, _Substitution):
                    if frame.op == "/" and frame.pattern is None:
                        reason = f"missing '/' after the pattern of ${{{_said(frame.name)}/...}}"
                    else:
                        reason = f"missing '}}' to close ${{{_said(frame.name)}..."
                    break
        return WordError(self.word, reason)

    def lookup(self, name: str) -> tuple[str, bool]:
        """The value of *name* and whether it is set; an unset name is remembered."""
        value = _lookup(self.env, self.unset, name)
        return ("", False) if value is None else (value, True)

    def charge(self, steps: int) -> None:
        """Count *steps* of pattern work; past the word's limit, refuse the word."""
        self.steps += steps
        if self.steps > self.limit:
            raise self.over_limit()

    def over_limit(self) -> WordError:
        return WordError(
            self.word,
            f"its patterns take more than {self.limit} steps to match"
            " (imageref refuses rather than take quadratic time)",
        )

    def search(
        self, matcher: _Matcher, text: str, start: int, anchored: bool
    ) -> tuple[int, int] | None:
        """``matcher.search``, its steps counted in this word's."""
        matcher.steps = self.steps
        matcher.limit = self.limit
        try:
            return matcher.search(text, start, anchored)
        except _OverLimit:
            raise self.over_limit() from None
        finally:
            self.steps = matcher.steps

    # -- ProcessWords ---------------------------------------------------------

    def add_split(self, text: str) -> None:
        """Add *text* to the words, splitting at whitespace (unquoted text, variables)."""
        pieces = _SPACES.split(text)
        buffer = self.buffer
        buffer.append(pieces[0])
        self.buffered += len(pieces[0])
        for piece in pieces[1:]:
            if self.buffered:
                self.words.append("".join(buffer))
                buffer.clear()
                self.buffered = 0
            buffer.append(piece)
            self.buffered += len(piece)

    def add_raw(self, text: str) -> None:
        """Add *text* to the current word whole (quoted or escaped text)."""
        self.buffer.append(text)
        self.buffered += len(text)

    # -- the main loop ----------------------------------------------------------

    def add(self, frame: _Word | _Quoted, value: _Rope, splits: bool) -> None:
        """Append *value* to *frame*; at the top of ProcessWords, to the words."""
        if frame is self.top and self.split:
            text = _join(value)
            if splits:
                self.add_split(text)
            else:
                self.add_raw(text)
        else:
            frame.parts.append(value)

    def run(self) -> None:
        """Process the whole input: the value (or the words) is left in ``top``/``words``."""
        stack = self.stack
        while True:
            self.steps += 1
            frame = stack[-1]
            if isinstance(frame, _Quoted):
                self.step_quoted(frame)
            elif isinstance(frame, _Word):
                if self.step_word(frame):
                    return
            else:  # pragma: no cover - a substitution always has its word above it
                raise AssertionError(frame)

    def scan(
        self,
        scanner: re.Pattern[str],
        raw: bool,
        splits: Callable[[str], object],
        whole: Callable[[str], object],
    ) -> int:
        """:func:`_scan` from ``self.pos``; the position it stops at, kept in ``self.pos``
        (its tokens are counted in ``steps``)."""
        self.pos, tokens = _scan(
            scanner,
            self.text,
            self.pos,
            env=self.env,
            unset=self.unset,
            raw=raw,
            splits=splits,
            whole=whole,
        )
        self.steps += tokens
        return self.pos

    def step_quoted(self, frame: _Quoted) -> None:
        """Read inside double quotes up to the next token the scanner leaves, and that one."""
        text, escape = self.text, self.escape
        append = frame.parts.append
        kind = "quoted, split" if self.split else "quoted"
        pos = self.scan(_scanner(kind, None, escape), frame.raw, append, append)
        if pos >= len(text):
            raise self.fail("unterminated double-quoted string")
        char = text[pos]
        if char == '"':
            self.pos = pos + 1
            self.stack.pop()
            parent = self.stack[-1]
            assert isinstance(parent, _Word)
            self.add(parent, self.value_of(frame.parts), splits=False)
        elif char == "$":
            self.dollar(frame)
        else:  # the escape character before a character it does not escape, or the end
            if frame.raw:
                append(escape)
            if pos + 1 < len(text):
                append(escape)  # itself; what follows is read as usual
            self.pos = pos + 1

    def step_word(self, frame: _Word) -> bool:
        """Read a word up to the next token the scanner leaves, and that one; True at the
        end of the input."""
        text = self.text
        end = len(text)
        at_top = frame is self.top
        splits: Callable[[str], object]
        whole: Callable[[str], object]
        if at_top and self.split:
            splits, whole = self.add_split, self.add_raw
        else:
            splits = whole = frame.parts.append
        pos = self.scan(frame.scanner, frame.raw, splits, whole)
        if pos >= end:
            if at_top:
                return True
            raise self.fail("unterminated")
        char = text[pos]
        if char == frame.stop:
            self.pos = pos + 1
            self.stack.pop()
            self.finish(self.value_of(frame.parts))
        elif char == "$":
            self.dollar(frame)
        elif char == "'":
            self.pos = end
            raise self.fail("unterminated single-quoted string")
        elif char == '"':
            self.stack.append(_Quoted(frame.raw))
            self.pos = pos + 1
        else:  # the escape character, last: dropped (kept in a pattern, which is then open)
            if frame.raw:
                whole(self.escape)
            self.pos = end
        return False

    @staticmethod
    def value_of(parts: list[_Rope]) -> _Rope:
        """The value of a finished frame: its text, or a rope when it holds one."""
        try:
            return "".join(parts)  # type: ignore[arg-type]
        except TypeError:  # a rope handed up from a nested form: joined once, at the end
            return parts

    def open_word(self, stop: str, raw: bool) -> None:
        """Start reading the word of a substitution.

        BuildKit's ProcessWords keeps the current word in a buffer that reading such a
        word starts by clearing, so what came before on the same word is lost
        (``a${X:-b}`` gives the word ``b``); so is it here.
        """
        if self.split:
            self.buffer.clear()
            self.buffered = 0
        self.stack.append(_Word(stop, raw, _scanner("word", stop, self.escape)))

    def dollar(self, frame: _Word | _Quoted) -> None:
        """Read the ``$`` at ``self.pos``: a value for *frame*, or a substitution opened."""
        text = self.text
        end = len(text)
        pos = self.pos + 1
        if pos >= end or text[pos] != "{":
            name, self.pos = _read_name(text, pos)
            self.add(frame, self.lookup(name)[0] if name else "$", splits=True)
            return
        pos += 1
        self.pos = pos
        if pos >= end:
            raise self.fail("missing '}' to close '${'")
        if text[pos] in "{}:":
            raise self.fail(f"bad substitution: '${{{text[pos]}'")
        name, pos = _read_name(text, pos)
        self.pos = pos
        if pos >= end:
            raise self.fail(f"missing '}}' to close ${{{_said(name)}")
        char = text[pos]
        self.pos = pos = pos + 1
        if char == "}":
            self.add(frame, self.lookup(name)[0], splits=True)
        elif char == ":":
            if pos >= end:
                raise self.fail(f"missing '}}' to close ${{{_said(name)}:")
            modifier = text[pos]
            self.pos = pos + 1
            if modifier in "#%":
                raise self.fail(f"unsupported modifier ':{modifier}' in ${{{_said(name)}:...}}")
            # Only :- :+ :? exist; another is reported once its word is read, as BuildKit does.
            op = modifier if modifier in "-+?" else ":" + modifier
            self.stack.append(_Substitution(name, op, colon=True))
            self.open_word("}", raw=False)
        elif char in "+-?#%":
            self.stack.append(_Substitution(name, char, colon=False))
            self.open_word("}", raw=char in "#%")
        elif char == "/":
            replace_all = text.startswith("/", pos)
            if replace_all:
                self.pos = pos + 1
            self.stack.append(_Substitution(name, "/", colon=False, replace_all=replace_all))
            self.open_word("/", raw=True)
        else:
            raise self.fail(f"unsupported modifier {_shown(char)} in ${{{_said(name)}...}}")

    def finish(self, word: _Rope) -> None:
        """A substitution's word was read (up to its ``}`` or ``/``): apply it."""
        sub = self.stack[-1]
        assert isinstance(sub, _Substitution)
        if sub.op == "/" and sub.pattern is None:
            sub.pattern = _join(word)
            self.open_word("}", raw=True)
            return
        self.stack.pop()
        parent = self.stack[-1]
        assert not isinstance(parent, _Substitution)
        self.add(parent, self.substitute(sub, word), splits=True)

    def substitute(self, sub: _Substitution, word: _Rope) -> _Rope:
        """The value of a ``${name<op>word}`` whose word is read."""
        name, op = sub.name, sub.op
        if len(op) != 1:
            raise self.fail(f"unsupported modifier {_shown(op)} in ${{{_said(name)}...}}")
        value, is_set = self.lookup(name)
        empty = not is_set or (sub.colon and not value)
        if op in "-+":
            return _alternative(op, sub.colon, value if is_set else None, word)
        if op == "?":
            if empty:
                message = _join(word) or ("must be set" if not is_set else "must not be empty")
                raise self.fail(f"{_said(name)}: {_said(message)}")
            return value
        pattern = _join(word) if sub.pattern is None else sub.pattern
        self.charge(len(pattern) + len(value))
        if op == "/":
            return self.replace(sub, pattern, _join(word), value)
        greedy = pattern.startswith(op)
        if greedy:
            pattern = pattern[1:]
        if op == "#":
            return self.trim_prefix(pattern, value, greedy, pattern)
        return self.trim_prefix(_reverse_pattern(pattern), value[::-1], greedy, pattern)[::-1]

    def matcher(self, pattern: str, greedy: bool, shown: str) -> _Matcher:
        try:
            return _Matcher(_glob(pattern), greedy)
        except ValueError as error:
            raise self.fail(f"invalid pattern {_shown(shown)}: {error}") from None

    def trim_prefix(self, pattern: str, value: str, greedy: bool, shown: str) -> str:
        """*value* less the match of *pattern* at its start (shortest or, *greedy*, longest)."""
        span = self.search(self.matcher(pattern, greedy, shown), value, 0, anchored=True)
        return value if span is None else value[span[1] :]

    def replace(self, sub: _Substitution, pattern: str, template: str, value: str) -> str:
        """``${X/p/r}``: the first (``//``: every) match of *pattern* in *value* replaced."""
        matcher = self.matcher(pattern, True, pattern)
        # Only "//" reads "$" in the replacement (Go's ReplaceAllString); "/" pastes it.
        plain = "$" not in template or not sub.replace_all
        literal = matcher.literal
        if literal is not None:  # Go's ReplaceAll of a literal is str.replace
            self.charge(len(value) + len(template))
            replacement = template if plain else _expand_replacement(template, literal)
            return value.replace(literal, replacement, -1 if sub.replace_all else 1)
        out: list[str] = []
        last_end = search = 0
        end = len(value)
        while search <= end:
            span = self.search(matcher, value, search, anchored=False)
            self.charge(1)
            if span is None:
                break
            start, stop = span
            out.append(value[last_end:start])
            # An empty match right after a match is not replaced (Go's ReplaceAll).
            if stop > last_end or start == 0:
                out.append(template if plain else _expand_replacement(template, value[start:stop]))
            last_end = stop
            if not sub.replace_all:
                break
            search = max(search + 1, stop)
        out.append(value[last_end:])
        return "".join(out)


def _check(word: object, env: object, escape: object) -> None:
    if not isinstance(word, str):
        raise _type_error("word", "a str", word)
    if not isinstance(env, Mapping):
        raise _type_error("env", "a mapping of str to str", env)
    if not isinstance(escape, str):
        raise _type_error("escape", "a str", escape)
    if escape not in ESCAPES:
        raise WordError(word, f"the escape character must be '\\' or '`', not {_shown(escape)}")


_TOP_SCANNERS = {escape: _scanner("word", None, escape) for escape in ESCAPES}
_QUOTED_SCANNERS = {escape: _scanner("quoted", None, escape) for escape in ESCAPES}
_PLAIN_WORD = {escape: re.compile(f"[$'\"{re.escape(escape)}{_BOM}]") for escape in ESCAPES}


def process_word(
    word: str, env: Mapping[str, str], *, escape: str = "\\"
) -> tuple[str, tuple[str, ...]]:
    """Expand one word as BuildKit's ProcessWord does (Linux): quotes removed, escapes
    applied, variables substituted; unset variables expand to empty.

    Returns ``(value, unset)``: ``unset`` names the variables the lexer looked up that
    have no entry in *env*, once each, in the order of their first lookup.

    >>> process_word('"$NAME"-${TAG:-latest}', {"NAME": "python"})
    ('python-latest', ('TAG',))
    """
    if (
        type(word) is not str
        or escape not in ESCAPES
        or not (type(env) is dict or isinstance(env, Mapping))
    ):
        _check(word, env, escape)
    if not _PLAIN_WORD[escape].search(word):
        return word, ()
    # The top of the word as far as one scan reads it; the lexer only for what is left.
    parts: list[_Rope] = []
    unset: dict[str, None] = {}
    start = 1 if word.startswith(_BOM) else 0
    append = parts.append
    top = _TOP_SCANNERS[escape]
    pos = _scan(top, word, start, env=env, unset=unset, raw=False, splits=append, whole=append)[0]
    end = len(word)
    while pos < end and word[pos] == '"':  # double quotes with variables, closed by one scan
        inside: list[str] = []
        add = inside.append
        scanner = _QUOTED_SCANNERS[escape]
        close = _scan(
            scanner, word, pos + 1, env=env, unset=unset, raw=False, splits=add, whole=add
        )[0]
        if close >= end or word[close] != '"':
            break  # the lexer reads it again (the same lookups, in the same order)
        append("".join(inside))
        pos = _scan(
            top, word, close + 1, env=env, unset=unset, raw=False, splits=append, whole=append
        )[0]
    if pos < end:
        _Lexer(word, env, escape, False, start=pos, parts=parts, unset=unset).run()
        return _join(parts), tuple(unset)
    return "".join(parts), tuple(unset)  # type: ignore[arg-type]


def process_words(
    text: str, env: Mapping[str, str], *, escape: str = "\\"
) -> tuple[list[str], tuple[str, ...]]:
    """Split *text* into words as BuildKit's ProcessWords does: processed as
    :func:`process_word` processes a word, then split at whitespace that is not quoted,
    escaped or part of a variable's value in double quotes.

    >>> process_words("a 'b c' $X", {"X": "d e"})
    (['a', 'b c', 'd', 'e'], ())
    """
    _check(text, env, escape)
    lexer = _Lexer(text, env, escape, split=True)
    lexer.run()
    if lexer.buffered:
        lexer.words.append("".join(lexer.buffer))
    return lexer.words, tuple(lexer.unset)
