"""Dockerfiles: the labels and the base of the image a Dockerfile builds, checked before a build.

:func:`check_dockerfile` reads a Dockerfile as BuildKit (Docker's builder) reads
it, follows its stages to the image it builds (the last stage, or ``target``),
processes every word as BuildKit's shell lexer does (quotes, escapes, variables;
:mod:`imageref._shell`) and checks the image's labels by a Backend.AI release's
rules (:func:`imageref.validate_image_labels`, or 26.09's), its base reference by
Docker's rules (:mod:`imageref.oci`) and its ``--platform`` as containerd reads it
(:mod:`imageref.platforms`). Every problem has a line and a column:

>>> report = check_dockerfile('''\\
... ARG PY=3.11
... FROM python:${PY}-slim AS kernel
... LABEL ai.backend.kernelspec="1" \\\\
...       ai.backend.features="batch query uid-match" \\\\
...       ai.backend.service-ports="ssh:tcp:22"
... ''')
>>> report.base, report.image, report.labels["ai.backend.kernelspec"]
('python:3.11-slim', 'kernel', '1')
>>> for problem in report.problems:
...     print(problem.line, problem.column, problem.severity, problem.label)
2 1 warning ai.backend.base-distro
2 1 warning ai.backend.runtime-type
2 1 warning ai.backend.runtime-path
5 7 error ai.backend.service-ports

The three labels the image lacks may come from ``python:3.11-slim`` (a warning);
the service port is an error wherever the image comes from. docs/dockerfile.md
states every rule, and what is not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from operator import attrgetter

from ._dockerfile_read import RawInstruction, Reading, read
from ._memo import LONGEST_REMEMBERED, Table, remember, table
from ._shell import WordError, process_word
from ._value import ReadOnlyValue
from .errors import InvalidPlatform, InvalidReference, _show, _shown, _type_error
from .labels import _POLICY_2403, _LabelPolicy, _problems_by_policy
from .oci import Reference
from .platforms import parse_platform

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from typing import Any

__all__ = [
    "AUTOMATIC_ARGS",
    "COMPAT_RELEASES",
    "RULES",
    "SCRATCH",
    "DockerfileCheck",
    "DockerfileProblem",
    "Stage",
    "base_labels_from_inspect",
    "check_dockerfile",
]

#: The Backend.AI releases whose label rules :func:`check_dockerfile` applies.
COMPAT_RELEASES = ("24.03", "26.09")
#: The empty base image.
SCRATCH = "scratch"
#: BuildKit's automatic build args: unknown to a lint unless given as build args.
AUTOMATIC_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
)

#: The build args every stage's FROM sees without an ARG.
_GLOBAL_ARG_NAMES = frozenset({*AUTOMATIC_ARGS, "TARGETSTAGE"})

#: The rule of each kind of problem (``DockerfileProblem.rule``), with what it covers.
RULES = {
    "syntax": "the Dockerfile cannot be read as BuildKit reads it",
    "stage": "a FROM line, a stage name or --target is wrong",
    "word": "a word cannot be processed (quotes, variables)",
    "base": "a base image reference breaks Docker's rules",
    "platform": "a --platform value is not a platform",
    "label": "a label breaks the release's rules",
    "label-missing": "a label the release requires is missing",
    "label-unresolved": "a label depends on a variable with no value here",
}

#: The instructions BuildKit knows (an unknown one fails the build).
_INSTRUCTIONS = frozenset(
    {
        *("add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck"),
        *("label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume"),
        "workdir",
    }
)
#: The instructions that change nothing :func:`check_dockerfile` follows, once in a stage.
_NOT_FOLLOWED = _INSTRUCTIONS - {"from", "arg", "env", "label"}
#: A processed word may be this long, or four times the Dockerfile's length if more.
_MIN_WORD_LIMIT = 1 << 20
#: A stage name (in lower case): a letter, then letters, digits, "-", "_" and ".".
_STAGE_NAME = re.compile("[a-z][a-z0-9_.-]*")


class DockerfileProblem(ReadOnlyValue):
    """One problem of a Dockerfile: where (1-based ``line`` and ``column``), how bad
    (``severity``: ``"error"`` or ``"warning"``), which ``rule`` (a key of
    :data:`RULES`), the ``label`` it concerns (or None) and the ``message``."""

    __slots__ = ("column", "label", "line", "message", "rule", "severity")

    line: int
    column: int
    severity: str
    rule: str
    label: str | None
    message: str

    def __init__(  # noqa: PLR0917 - the fields, positional as LabelProblem's are
        self, line: int, column: int, severity: str, rule: str, label: str | None, message: str
    ) -> None:
        set_ = object.__setattr__
        set_(self, "line", line)
        set_(self, "column", column)
        set_(self, "severity", severity)
        set_(self, "rule", rule)
        set_(self, "label", label)
        set_(self, "message", message)

    def _fields(self) -> tuple[Any, ...]:
        return (self.line, self.column, self.severity, self.rule, self.label, self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (DockerfileProblem, self._fields())

    def __repr__(self) -> str:
        return f"DockerfileProblem{self._fields()!r}"

    def __str__(self) -> str:
        """``LINE:COLUMN: severity: [LABEL: ]message``."""
        label = "" if self.label is None else f"{self.label}: "
        return f"{self.line}:{self.column}: {self.severity}: {label}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-ready dict."""
        return {
            "label": self.label,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }


class Stage(ReadOnlyValue):
    """One build stage: ``index`` (0-based), ``name`` (lower case, or None), ``line``
    and ``column`` of its ``FROM``, ``base`` (the image after word processing, None
    when it depends on a variable with no value), ``written_base`` (as written),
    ``parent`` (the index of the earlier stage it starts from, or None), ``platform``
    (its ``--platform`` read and normalised, or None), ``labels`` (the labels it
    ends with, resolved ones only) and ``unresolved`` (the names of its labels that
    depend on a variable with no value)."""

    __slots__ = (
        "base",
        "column",
        "index",
        "labels",
        "line",
        "name",
        "parent",
        "platform",
        "unresolved",
        "written_base",
    )

    index: int
    name: str | None
    line: int
    column: int
    base: str | None
    written_base: str
    parent: int | None
    platform: str | None
    labels: Mapping[str, str]
    unresolved: tuple[str, ...]

    def __init__(  # noqa: PLR0917 - the fields in order, as _fields() gives them
        self,
        index: int,
        name: str | None,
        line: int,
        column: int,
        base: str | None,
        written_base: str,
        parent: int | None,
        platform: str | None,
        labels: Mapping[str, str],
        unresolved: Iterable[str],
    ) -> None:
        set_ = object.__setattr__
        set_(self, "index", index)
        set_(self, "name", name)
        set_(self, "line", line)
        set_(self, "column", column)
        set_(self, "base", base)
        set_(self, "written_base", written_base)
        set_(self, "parent", parent)
        set_(self, "platform", platform)
        set_(self, "labels", labels if labels is _NO_LABELS else _MappingProxyType(dict(labels)))
        set_(self, "unresolved", tuple(unresolved))

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.index,
            self.name,
            self.line,
            self.column,
            self.base,
            self.written_base,
            self.parent,
            self.platform,
            tuple(self.labels.items()),
            self.unresolved,
        )

    def __repr__(self) -> str:
        return f"<Stage {self.index} {self.name or '-'} FROM {self.written_base} line {self.line}>"


_MappingProxyType = type(type.__dict__)  # types.MappingProxyType
_NO_LABELS: Mapping[str, str] = _MappingProxyType({})  # a new stage's, until it closes

#: The values of words without ``$`` (escape character + word -> process_word's
#: answer), which no variable changes; see imageref._memo.Table.
_PLAIN_WORDS = {escape: Table(4096, longest=LONGEST_REMEMBERED) for escape in ("\\", "`")}
#: Words with ``$`` (per escape character) -> (the variables processing read, with
#: their values then; its answer): the answer holds while those values do.
_VARIABLE_WORDS = {escape: Table(1024, longest=LONGEST_REMEMBERED) for escape in ("\\", "`")}
#: The texts of LABEL and ENV instructions without ``$`` (and without problems) ->
#: their pairs (see _Checker.pairs), one table per escape character.
_PLAIN_PAIRS = {escape: Table(1024, longest=LONGEST_REMEMBERED) for escape in ("\\", "`")}
#: Base references -> why Docker's rules refuse them ("" when they do not).
_REFERENCES = Table(1024, longest=LONGEST_REMEMBERED)
_reference_table = _REFERENCES.entries
#: Platform texts that parse -> their normalised form.
_PLATFORMS = Table(256, longest=LONGEST_REMEMBERED)
_platform_table = _PLATFORMS.entries
#: Normalised platforms -> their architecture in Backend.AI's terms.
_architectures: dict[str, str] = table()


class DockerfileCheck(ReadOnlyValue):
    """What :func:`check_dockerfile` found.

    ``stages`` (every :class:`Stage`, in order), ``target`` (the index of the stage
    built), ``image`` (its name, or ``"-"``), ``base`` (its ``FROM`` image after word
    processing, or None), ``platform`` (normalised ``os/arch[/variant]``, or None)
    and ``architecture`` (the platform's architecture in Backend.AI's terms, or
    None), ``labels`` (the image's final labels, values after word processing;
    unresolved ones left out), ``unresolved`` (the names of the labels that depend on
    a variable with no value), ``label_positions`` (label -> (line, column) of the
    ``LABEL`` that set it), ``directives`` (parser directive -> value),
    ``problems`` (:class:`DockerfileProblem`, by line); ``valid``: no error.
    """

    __slots__ = (
        "architecture",
        "base",
        "directives",
        "image",
        "label_positions",
        "labels",
        "platform",
        "problems",
        "stages",
        "target",
        "unresolved",
    )

    stages: tuple[Stage, ...]
    target: int | None
    image: str
    base: str | None
    platform: str | None
    architecture: str | None
    labels: Mapping[str, str]
    unresolved: tuple[str, ...]
    label_positions: Mapping[str, tuple[int, int]]
    directives: Mapping[str, str]
    problems: tuple[DockerfileProblem, ...]

    def __init__(
        self,
        *,
        stages: tuple[Stage, ...],
        target: int | None,
        image: str,
        base: str | None,
        platform: str | None,
        architecture: str | None,
        labels: dict[str, str],
        unresolved: tuple[str, ...],
        label_positions: Mapping[str, tuple[int, int]],
        directives: dict[str, str],
        problems: tuple[DockerfileProblem, ...],
    ) -> None:
        set_ = object.__setattr__
        set_(self, "stages", stages)
        set_(self, "target", target)
        set_(self, "image", image)
        set_(self, "base", base)
        set_(self, "platform", platform)
        set_(self, "architecture", architecture)
        set_(self, "labels", _MappingProxyType(labels))
        set_(self, "unresolved", unresolved)
        set_(self, "label_positions", label_positions)
        set_(self, "directives", _MappingProxyType(directives))
        set_(self, "problems", problems)

    def _fields(self) -> tuple[Any, ...]:
        return tuple(
            tuple(value.items()) if isinstance(value, (_MappingProxyType, _Positions)) else value
            for value in (getattr(self, name) for name in self.__slots__)
        )

    @property
    def valid(self) -> bool:
        """Whether no problem is an error."""
        return all(problem.severity != "error" for problem in self.problems)

    def failed(self, strict: bool = False) -> bool:
        """Whether a problem is an error (with *strict*, any problem)."""
        return bool(self.problems) if strict else not self.valid

    def to_dict(self) -> dict[str, Any]:
        """The fields a JSON report gives (``image``, ``valid``, ``base``, ...)."""
        return {
            "image": self.image,
            "valid": self.valid,
            "base": self.base,
            "platform": self.platform,
            "architecture": self.architecture,
            "labels": dict(self.labels),
            "unresolved": list(self.unresolved),
            "problems": [problem.to_dict() for problem in self.problems],
        }

    def __repr__(self) -> str:
        return (
            f"<DockerfileCheck image={self.image} base={self.base} labels={len(self.labels)}"
            f" problems={len(self.problems)}>"
        )


# ---------------------------------------------------------------------------
# Base images' labels (docker inspect output)
# ---------------------------------------------------------------------------


def _reference_key(text: str) -> str:
    """*text* as the key base images are matched by: Docker's normalised reference
    (a bare name gets ``:latest``), or *text* itself when it is not a reference."""
    try:
        ref = Reference.parse(text)
    except InvalidReference:
        return text
    if ref.tag is None and ref.digest is None:
        ref = ref.with_tag("latest")
    return str(ref)


def base_labels_from_inspect(doc: object) -> dict[str, dict[str, str]]:
    """The labels of each image of ``docker inspect`` output (parsed JSON), keyed by
    every name it has (``RepoTags`` and ``RepoDigests``, normalised as Docker
    normalises references) and its ``Id``.

    >>> labels = base_labels_from_inspect(
    ...     [{"RepoTags": ["python:3.11"], "Config": {"Labels": {"a": "1"}}}])
    >>> labels["docker.io/library/python:3.11"]
    {'a': '1'}
    """
    if not isinstance(doc, list):
        raise _type_error("docker inspect output", "a JSON array of images", doc)
    found: dict[str, dict[str, str]] = {}
    for index, item in enumerate(doc):
        if not isinstance(item, dict):
            raise _type_error(f"docker inspect image {index}", "a JSON object", item)
        config = item.get("Config")
        labels = config.get("Labels") if isinstance(config, dict) else None
        if labels is None:
            labels = {}
        if not isinstance(labels, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in labels.items()
        ):
            raise _type_error(
                f"Config.Labels of docker inspect image {index}",
                "a JSON object of strings",
                labels,
            )
        names = [
            name
            for field in ("RepoTags", "RepoDigests")
            for name in (item.get(field) or ())
            if isinstance(name, str)
        ]
        ident = item.get("Id")
        if isinstance(ident, str) and ident:
            found[ident] = labels
        for name in names:
            found[_reference_key(name)] = labels
    return found


def _base_labels(
    base: str, known: Mapping[str, Mapping[str, str]] | None
) -> Mapping[str, str] | None:
    """The labels of the external image *base* if *known* has them, else None."""
    if not known:
        return None
    key = _reference_key(base)
    found = known.get(key)
    if found is None:
        found = known.get(base)
    if found is None and "@" in key:  # name:tag@digest matches name@digest
        name, _, digest = key.partition("@")
        head, colon, tag = name.rpartition(":")
        if colon and "/" not in tag:
            found = known.get(f"{head}@{digest}")
    return found


# ---------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------


class _StageState:
    """A stage being followed: its variables and labels, with where each was set."""

    __slots__ = (
        "base_known",
        "env",
        "from_scratch",
        "labels",
        "no_value",
        "positions",
        "root_base",
        "unresolved",
    )

    def __init__(self, root_base: str | None = None) -> None:
        self.env: dict[str, str] = {}
        self.no_value: set[str] = set()  # variables whose value depends on one with none
        self.labels: dict[str, str] = {}
        # label -> the instruction that set it and the offset of its key there
        # (-1: the instruction itself; found when asked, see _position)
        self.positions: dict[str, tuple[RawInstruction, int]] = {}
        self.unresolved: dict[str, tuple[str, ...]] = {}  # label -> the names without value
        self.root_base = root_base  # the external image the chain starts from
        self.from_scratch = False
        self.base_known = False  # the external base's labels are known (base_labels)

    def copy(self) -> _StageState:
        other = _StageState(self.root_base)
        other.env = dict(self.env)
        other.no_value = set(self.no_value)
        other.labels = dict(self.labels)
        other.positions = dict(self.positions)
        other.unresolved = dict(self.unresolved)
        other.from_scratch = self.from_scratch
        other.base_known = self.base_known
        return other


class _Reads(Mapping[str, str]):
    """A view of variables that keeps the names looked up in it (in :attr:`names`)."""

    __slots__ = ("env", "names")

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.names: dict[str, None] = {}

    def __getitem__(self, name: str) -> str:
        self.names[name] = None
        return self.env[name]

    def get(self, name: str, default: Any = None) -> Any:
        self.names[name] = None
        return self.env.get(name, default)

    def __iter__(self) -> Iterator[str]:  # (word processing never iterates: all read)
        self.names.update(dict.fromkeys(self.env))
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)


class _Checker:
    """One run of :func:`check_dockerfile`."""

    __slots__ = (
        "base_labels",
        "build_args",
        "copied",
        "escape",
        "global_env",
        "global_no_value",
        "limit",
        "longest",
        "names",
        "problems",
        "stages",
        "states",
    )

    def __init__(
        self,
        escape: str,
        build_args: Mapping[str, str],
        base_labels: Mapping[str, Mapping[str, str]] | None,
        size: int,
    ) -> None:
        self.escape = escape
        # The longest value a word may take (linear in the input), and the longest
        # value any variable holds: a word with n variables is at most n times that.
        self.limit = max(_MIN_WORD_LIMIT, 4 * size)
        self.longest = max(map(len, build_args.values())) if build_args else 0
        self.copied = 0  # entries copied from stage to stage (see inherit)
        self.build_args = build_args
        self.base_labels = base_labels
        self.problems: list[DockerfileProblem] = []
        self.global_env: dict[str, str] = {}
        self.global_no_value: set[str] = set()
        self.stages: list[Stage] = []
        self.states: list[_StageState] = []
        self.names: dict[str, int] = {}

    def problem(
        self,
        where: tuple[int, int],
        rule: str,
        message: str,
        label: str | None = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(DockerfileProblem(where[0], where[1], severity, rule, label, message))

    def word(
        self, instruction: RawInstruction, word: str, offset: int, env: Mapping[str, str]
    ) -> tuple[str, tuple[str, ...]] | None:
        """*word* processed with *env*: (value, names without value), or None after a
        problem. Its value is remembered, as Dockerfiles repeat their words: for a
        word without ``$`` (:data:`_PLAIN_WORDS`), which reads no variable, and for a
        word with (:data:`_VARIABLE_WORDS`) with the variables it read and their
        values, which must be the same again for the value to be."""
        escape = self.escape
        if "$" not in word:
            remembered = _PLAIN_WORDS[escape]
            found: tuple[str, tuple[str, ...]] | None = remembered.entries.get(word)
            if found is not None:
                remembered.hits += 1
                return found
            reads = None
        elif len(word) + word.count("$") * self.longest > self.limit:
            # Each variable doubling the last (ARG A=$A$A) would take exponential room.
            where = _position((instruction, offset))
            why = f"expands to more than {self.limit} characters (variables within variables)"
            self.problem(where, "word", f"the word {_shown(word)} {why}")
            return None
        else:
            remembered = _VARIABLE_WORDS[escape]
            seen: tuple[tuple[tuple[str, str | None], ...], tuple[str, tuple[str, ...]]] | None
            seen = remembered.entries.get(word)
            if seen is not None:
                for name, value in seen[0]:
                    if env.get(name) != value:
                        break
                else:  # every variable it read has the value it had
                    remembered.hits += 1
                    answer: tuple[str, tuple[str, ...]] = seen[1]
                    return answer
            reads = _Reads(env)
        try:
            value = process_word(word, env if reads is None else reads, escape=escape)
        except WordError as exc:
            self.problem(_position((instruction, offset)), "word", str(exc))
            return None
        if reads is None:
            return remembered.offer(word, value)
        remembered.offer(word, (tuple((name, env.get(name)) for name in reads.names), value))
        return value

    # -- ARG ------------------------------------------------------------------

    def args(
        self,
        instruction: RawInstruction,
        env: dict[str, str],
        no_value: set[str],
        inherit: Callable[[str], str | None] | None,
    ) -> None:
        """Declare the ARGs of *instruction* in *env* (a stage's when *inherit* gives
        the global value of a redeclared global ARG)."""
        build_args = self.build_args
        for word, offset in instruction.words:
            key, equals, default = word.partition("=")
            if equals and not key:
                self.problem(instruction.position(offset), "syntax", "ARG names can not be blank")
                continue
            value: str | None = None
            missing = False
            if key in build_args:
                value = build_args[key]
            elif equals:
                processed = self.word(instruction, default, offset + len(key) + 1, env)
                if processed is None:  # a problem: the ARG then has no value here
                    missing = True
                else:
                    value, names = processed
                    missing = bool(names)
            elif inherit is not None:
                value = inherit(key)
                missing = value is None and key in self.global_no_value
            if missing:
                env.pop(key, None)
                no_value.add(key)
            elif value is not None:
                env[key] = value
                self.longest = max(self.longest, len(value))
                if no_value:
                    no_value.discard(key)

    def global_arg(self, key: str) -> str | None:
        return self.global_env.get(key)

    # -- FROM -----------------------------------------------------------------

    def stage(self, instruction: RawInstruction) -> _StageState:
        """Start the stage *instruction* (a FROM) opens; its state."""
        index = len(self.stages)
        where = (instruction.line, instruction.column)
        words = instruction.words
        name: str | None = None
        if len(words) == 3 and words[1][0].lower() == "as":
            name = words[2][0].lower()
            if not _STAGE_NAME.fullmatch(name):
                self.problem(
                    instruction.position(words[2][1]),
                    "stage",
                    f"invalid name for build stage: {_shown(words[2][0])}, name can't start"
                    " with a number or contain symbols",
                )
                name = None
        elif len(words) != 1:
            self.problem(where, "stage", "FROM requires either one or three arguments")
        platform = self.platform(instruction)
        state: _StageState | None = None
        written = words[0][0] if words else ""
        base: str | None = None
        parent: int | None = None
        processed = self.word(instruction, written, words[0][1], self.global_env) if words else None
        if processed is not None:
            value, missing = processed
            if missing:
                state = _StageState(root_base=written)
            elif not value:
                self.problem(
                    instruction.position(words[0][1]),
                    "stage",
                    f"base name ({_shown(written)}) should not be blank",
                )
            else:
                base = value
                parent = self.names.get(value)
                if parent is not None and self.inherit(self.states[parent], instruction, words):
                    state = self.states[parent].copy()
                    platform = platform or self.stages[parent].platform
                elif parent is not None:  # too much to copy: followed no further
                    state = _StageState(root_base=value)
                elif value == SCRATCH:
                    state = _StageState()
                    state.from_scratch = True
                else:
                    self.check_reference(value, instruction, words[0][1])
                    state = _StageState(root_base=value)
                    known = _base_labels(value, self.base_labels)
                    if known is not None:
                        state.base_known = True
                        for label, text in known.items():
                            state.labels[label] = text
                            state.positions[label] = (instruction, -1)
        if state is None:
            state = _StageState()
        self.stages.append(
            Stage(index, name, where[0], where[1], base, written, parent, platform, _NO_LABELS, ())
        )
        self.states.append(state)
        if name is not None:
            self.names[name] = index
        return state

    def check_reference(self, text: str, instruction: RawInstruction, offset: int) -> None:
        """Report *text* (at *offset* in *instruction*) if Docker's rules refuse it
        (remembered: bases repeat)."""
        found: str | None = _reference_table.get(text)
        if found is None:
            try:
                Reference.parse(text)
            except InvalidReference as exc:
                found = str(exc)
            else:
                found = ""
            _REFERENCES.offer(text, found)
        else:
            _REFERENCES.hits += 1
        if found:
            self.problem(instruction.position(offset), "base", found)

    def platform(self, instruction: RawInstruction) -> str | None:
        """The stage's ``--platform``, normalised; None when absent or unresolved."""
        if not instruction.flags:  # the usual
            return None
        where = (instruction.line, instruction.column)
        found: str | None = None
        for flag in instruction.flags:
            name, equals, value = flag[2:].partition("=")
            if name != "platform":
                self.problem(where, "stage", f"unknown flag: {_shown(name)}")
                continue
            if not equals:
                self.problem(where, "stage", "missing a value on flag: --platform")
                continue
            found = value
        if found is None:
            return None
        processed = self.word(instruction, found, -1, self.global_env)
        if processed is None:
            return None
        value, missing = processed
        if missing:
            return None
        if not value:
            self.problem(where, "platform", f"empty platform value from expression {found}")
            return None
        normalised: str | None = _platform_table.get(value)
        if normalised is None:
            try:
                normalised = str(parse_platform(value))
            except InvalidPlatform as exc:
                self.problem(where, "platform", str(exc))
                return None
            _PLATFORMS.offer(value, normalised)
        else:
            _PLATFORMS.hits += 1
        return normalised

    # -- ENV and LABEL --------------------------------------------------------

    def pairs(
        self, instruction: RawInstruction, state: _StageState
    ) -> Sequence[tuple[str, str, tuple[str, ...], int]]:
        """The (key, value, names without value, key offset) of a LABEL or ENV, each
        word processed with the variables before the instruction. Those of an
        instruction without ``$`` read no variable: they are remembered
        (:data:`_PLAIN_PAIRS`), as Dockerfiles repeat their LABEL blocks."""
        text = instruction.text
        plain = "$" not in text
        if plain:
            remembered = _PLAIN_PAIRS[self.escape]
            known: Sequence[tuple[str, str, tuple[str, ...], int]] | None
            known = remembered.entries.get(text)
            if known is not None:
                remembered.hits += 1
                return known  # type: ignore[no-any-return]  # (the table holds Any)
        env = state.env
        words = iter(instruction.words)
        word = self.word
        problems = len(self.problems)
        found = []
        for (key_word, key_at), (value_word, value_at) in zip(words, words, strict=False):
            key = word(instruction, key_word, key_at, env)
            value = word(instruction, value_word, value_at, env)
            if key is None or value is None:
                continue
            name, missing = key
            if not name and not missing:
                self.problem(
                    instruction.position(key_at),
                    "syntax",
                    f"{instruction.command.upper()} names can not be blank",
                )
                continue
            if value[1]:
                missing = tuple(dict.fromkeys(missing + value[1])) if missing else value[1]
            found.append((name, value[0], missing, key_at))
        if plain and len(self.problems) == problems:  # problems are found again each time
            return remembered.offer(text, tuple(found))
        return found

    def env(self, instruction: RawInstruction, state: _StageState) -> None:
        env, no_value = state.env, state.no_value
        for key, value, missing, _ in self.pairs(instruction, state):
            if missing:
                env.pop(key, None)
                no_value.add(key)
            else:
                env[key] = value
                self.longest = max(self.longest, len(value))
                if no_value:
                    no_value.discard(key)

    def label(self, instruction: RawInstruction, state: _StageState) -> None:
        positions, labels, unresolved = state.positions, state.labels, state.unresolved
        for key, value, missing, at in self.pairs(instruction, state):
            positions[key] = (instruction, at)
            if missing:
                labels.pop(key, None)
                unresolved[key] = missing
            else:
                labels[key] = value
                if unresolved:
                    unresolved.pop(key, None)

    # -- the whole file -------------------------------------------------------

    def run(self, instructions: list[RawInstruction]) -> _StageState | None:
        state: _StageState | None = None
        for instruction in instructions:
            command = instruction.command
            if state is not None and command in _NOT_FOLLOWED:
                continue  # RUN, COPY...: nothing the image's labels or base depend on
            if command not in _INSTRUCTIONS:
                message = f"unknown instruction: {_show(instruction.keyword)}"
                self.problem((instruction.line, instruction.column), "syntax", message)
            elif len(instruction.keyword) == 7 and instruction.keyword.lower() == "onbuild":
                continue  # a trigger for images built from this one
            elif command == "label" and state is not None:  # (the most frequent first)
                self.label(instruction, state)
            elif command == "arg":
                if state is None:
                    self.args(instruction, self.global_env, self.global_no_value, None)
                else:
                    self.args(instruction, state.env, state.no_value, self.global_arg)
            elif command == "from":
                if state is not None:
                    self.close(state)
                state = self.stage(instruction)
            elif state is None:
                message = f"{instruction.keyword} comes before the first FROM (no build stage)"
                self.problem((instruction.line, instruction.column), "stage", message)
            elif command == "env":
                self.env(instruction, state)
        if state is not None:
            self.close(state)
        return state

    def inherit(
        self, parent: _StageState, instruction: RawInstruction, words: Sequence[tuple[str, int]]
    ) -> bool:
        """Whether the stage may copy what *parent* holds: the copies of one check are
        bounded by its word limit (linear in the input), else a located problem.

        A chain of stages, each starting from the last and adding to it, would
        otherwise copy a quadratic amount: no real Dockerfile comes near the bound.
        """
        size = len(parent.env) + len(parent.labels) + len(parent.no_value)
        size += len(parent.unresolved)
        self.copied += 2 * size  # the copy, and the stage's labels when it closes
        if self.copied <= self.limit:
            return True
        self.problem(
            instruction.position(words[0][1]),
            "stage",
            f"the stages before this one hold more variables and labels than {self.limit}"
            " copies allow: this stage is followed as if its base were an external image",
        )
        return False

    def close(self, state: _StageState) -> None:
        """Record the labels the current stage ends with (a view: *state* is not
        changed after this; a stage starting from this one copies it)."""
        stage = self.stages[-1]
        set_ = object.__setattr__
        set_(stage, "labels", _MappingProxyType(state.labels))
        set_(stage, "unresolved", tuple(state.unresolved))


def _position(where: tuple[RawInstruction, int]) -> tuple[int, int]:
    """The (line, column) of an offset in an instruction (-1: the instruction's own)."""
    instruction, offset = where
    if offset < 0:
        return instruction.line, instruction.column
    return instruction.position(offset)


_BY_PLACE = attrgetter("line", "column")


class _Positions(Mapping[str, tuple[int, int]]):
    """``DockerfileCheck.label_positions``: label -> (line, column), from where each
    label was set (the instruction and the offset of its key, see :func:`_position`),
    found when first asked (a lint that reports problems never asks)."""

    __slots__ = ("_found", "_places")

    def __init__(self, places: dict[str, tuple[RawInstruction, int]]) -> None:
        self._places = places
        self._found: dict[str, tuple[int, int]] | None = None

    def _positions(self) -> dict[str, tuple[int, int]]:
        if self._found is None:
            self._found = {label: _position(where) for label, where in self._places.items()}
        return self._found

    def __getitem__(self, label: str) -> tuple[int, int]:
        return self._positions()[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def __repr__(self) -> str:
        return repr(self._positions())


_POLICIES: dict[str, _LabelPolicy] = {COMPAT_RELEASES[0]: _POLICY_2403}


def _policy(compat: str) -> _LabelPolicy:
    """The label rules of the release *compat* (its ``validate_image_labels``'s)."""
    found = _POLICIES.get(compat)
    if found is not None:
        return found
    if compat == COMPAT_RELEASES[1]:
        from .compat._v2609_labels import _POLICY_2609  # noqa: PLC0415

        _POLICIES[compat] = _POLICY_2609
        return _POLICY_2609
    raise ValueError(f"compat must be one of {', '.join(COMPAT_RELEASES)}, not {compat!r}")


def _label_problems(
    checker: _Checker,
    state: _StageState,
    stage: Stage,
    policy: _LabelPolicy,
) -> None:
    """Check the image's labels by a release's *policy*; add the problems to *checker*."""
    found = _problems_by_policy(state.labels, policy)
    unknown_base = not state.from_scratch and not state.base_known
    base = state.root_base
    for problem in found:
        label = problem.label
        if label in state.unresolved:
            continue  # its rules are not applied to a guess
        message = problem.reason if problem.value is None else f"{problem.value}: {problem.reason}"
        if label in state.labels:
            checker.problem(_position(state.positions[label]), "label", message, label)
        elif unknown_base and base is not None:
            checker.problem(
                (stage.line, stage.column),
                "label-missing",
                f"{message} (may come from {_show(base)})",
                label,
                "warning",
            )
        else:
            checker.problem((stage.line, stage.column), "label-missing", message, label)
    for label, missing in state.unresolved.items():
        names = ", ".join(f"${name}" for name in missing)
        verb = "has" if len(missing) == 1 else "have"
        checker.problem(
            _position(state.positions[label]),
            "label-unresolved",
            f"unresolved: {names} {verb} no value here (a build gives what the builder"
            " passes, or empty); the label's rules are not applied",
            label,
            "warning",
        )


def _decode(data: bytes, problems: list[DockerfileProblem]) -> str:
    """*data* as text (invalid UTF-8 replaced after a problem that locates it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        problems.append(
            DockerfileProblem(
                line,
                column,
                "error",
                "syntax",
                None,
                f"not UTF-8: byte 0x{data[exc.start]:02x} ({exc.reason})",
            )
        )
        return data.decode("utf-8", "replace")


def _target(checker: _Checker, reading: Reading, target: str | None) -> int | None:
    """Follow the stages of *reading*; the index of the one built (None: none, reported)."""
    last = checker.run(reading.instructions)
    if last is None:
        if reading.instructions:
            what = "no FROM instruction: the Dockerfile has no stage to build"
            checker.problem((max(reading.lines, 1), 1), "stage", what)
        return None
    if target is None:
        return len(checker.stages) - 1
    chosen = checker.names.get(target.lower())
    if chosen is None:
        first = checker.stages[0]
        why = f"target stage {_shown(target)} could not be found"
        checker.problem((first.line, first.column), "stage", why)
    return chosen


def check_dockerfile(
    dockerfile: str | bytes,
    *,
    target: str | None = None,
    build_args: Mapping[str, str] | None = None,
    base_labels: Mapping[str, Mapping[str, str]] | None = None,
    compat: str = COMPAT_RELEASES[0],
) -> DockerfileCheck:
    """Read *dockerfile* (its text, or its bytes as UTF-8) and check the image it builds.

    *target* names the stage built (case-insensitive; default the last);
    *build_args* sets ARGs as ``docker build --build-arg`` does; *base_labels* gives
    the labels of external base images, by reference (see
    :func:`base_labels_from_inspect`); *compat* is the Backend.AI release whose
    label rules apply (:data:`COMPAT_RELEASES`). Problems of the file are reported,
    never raised; a wrong argument type raises :class:`~imageref.ImageRefTypeError`.
    """
    if not isinstance(dockerfile, (str, bytes)):
        raise _type_error("a Dockerfile", "str or bytes", dockerfile)
    if target is not None and not isinstance(target, str):
        raise _type_error("target", "a str or None", target)
    args = dict(build_args) if build_args else {}
    if args and not all(isinstance(k, str) and isinstance(v, str) for k, v in args.items()):
        raise _type_error("build_args", "a mapping of str to str", build_args)
    policy = _policy(compat)  # an unknown release is refused before reading
    problems: list[DockerfileProblem] = []
    text = _decode(dockerfile, problems) if isinstance(dockerfile, bytes) else dockerfile
    del dockerfile
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - text.rfind("\n", 0, nul)
        problems.append(DockerfileProblem(line, column, "error", "syntax", None, "a NUL character"))
    reading = read(text)
    size = len(text)
    del text
    for found in reading.problems:
        problems.append(
            DockerfileProblem(found.line, found.column, "error", "syntax", None, found.message)
        )
    if "TARGETSTAGE" not in args:
        args["TARGETSTAGE"] = target.lower() if target else "default"
    checker = _Checker(reading.escape, args, base_labels, size)
    checker.problems = problems
    for name, value in args.items():  # (usually TARGETSTAGE alone)
        if name in _GLOBAL_ARG_NAMES:
            checker.global_env[name] = value
    chosen = _target(checker, reading, target)
    stage = None if chosen is None else checker.stages[chosen]
    state = None if chosen is None else checker.states[chosen]
    if stage is not None and state is not None:
        _label_problems(checker, state, stage, policy)
    problems.sort(key=_BY_PLACE)
    platform = None if stage is None else stage.platform
    architecture = None
    if platform is not None:
        architecture = _architectures.get(platform)
        if architecture is None:
            architecture = parse_platform(platform).backendai_architecture
            remember(_architectures, platform, architecture, _PLATFORMS.limit)
    return DockerfileCheck(
        stages=tuple(checker.stages),
        target=chosen,
        image=(stage.name if stage is not None and stage.name else "-"),
        base=None if stage is None else stage.base,
        platform=platform,
        architecture=architecture,
        labels={} if state is None else state.labels,  # (not changed after the run)
        unresolved=() if state is None else tuple(state.unresolved),
        label_positions=_Positions(
            {}
            if state is None
            else {label: state.positions[label] for label in (*state.labels, *state.unresolved)}
        ),
        directives={name: value for name, (value, _) in reading.directives.items()},
        problems=tuple(problems),
    )
