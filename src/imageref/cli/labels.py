"""``imageref labels``: report the problems in images' labels, as ``validate`` does for references.

:func:`add_parser` declares the command, :func:`run` runs it. :class:`LintLabels`
reads each file (``-``: standard input), finds the images in it, and checks each
one's labels by the rules of the release ``--compat`` names: 24.03's with
:meth:`imageref.ImageLabels.from_labels`, 26.09's with
:func:`imageref.compat.v2609.validate_image_labels` (:func:`checker`; the rules are
imported only by :func:`run`, so that the other commands do not load them). The
forms of input, each read by one function:

* ``inspect`` (:func:`inspected_images`): ``docker inspect`` output, a JSON array of
  images; the labels are each image's ``Config.Labels`` (``null``: none) and its
  name is its first ``RepoTags`` entry, else its ``Id``, else its index (``[0]``);
* ``json`` (:func:`json_image`): one image's labels as a JSON object, the
  manager's GraphQL list ``[{"key": ..., "value": ...}]``, or ``null``;
* ``env`` (:func:`env_image`): one image's labels as ``KEY=VALUE`` lines, streamed.

``auto`` (:func:`sniff`) takes JSON when the first non-blank bytes are ``[``, ``{``
or ``null``, else lines; a JSON array is the GraphQL list when all its items are
objects with a ``"key"`` (:func:`json_images`). JSON is read whole, as it must be.

Output: one line per problem, ``SOURCE: IMAGE: LABEL: [VALUE: ]REASON``, where a
problem of the input rather than of a label has no LABEL, and one of the whole file
(not JSON, not UTF-8) no IMAGE either; or with ``--format json`` a JSON line per image,
whose checked labels are ``ImageLabels.to_dict()``'s fields (24.03) or a ``labels``
object keyed by the label texts (26.09).
"""

from __future__ import annotations

import os
from functools import partial

from ..errors import ImageLabelError, ImageRefError, _shown
from ._dockerfile import DockerfileLint, add_options, is_dockerfile_name
from ._io import (
    _CHUNK_BYTES,
    EXIT_USAGE,
    Run,
    decode_error,
    is_overlong,
    one_line,
    overlong_error,
    read_lines,
    show_short,
)
from ._options import COMPAT_RELEASES, add_command, add_compat_option, label_validator

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import IO, Any, TypeAlias

    from ._io import Source
    from ._options import Commands

    #: One problem: (label or None, its value as shown or None, reason).
    Problem: TypeAlias = tuple[str | None, str | None, str]

__all__ = [
    "INPUT_FORMATS",
    "ONE_IMAGE",
    "Image",
    "LintLabels",
    "add_parser",
    "checker",
    "env_image",
    "inspected_images",
    "json_image",
    "json_images",
    "run",
    "sniff",
]

#: The values of ``--input-format``.
INPUT_FORMATS = ("auto", "inspect", "json", "env", "dockerfile")
#: The name of the one image of a ``json`` or ``env`` input.
ONE_IMAGE = "-"

_EXAMPLES = """\
Each FILE (standard input for "-") is read in one of these forms, told by its
first bytes unless --input-format names it:
  inspect: docker inspect output (docker inspect IMAGE... > inspect.json), a
    JSON array of images; each image's labels are its Config.Labels, and its
    name its first RepoTags entry, else its Id, else its index ([0]);
  json: one image's labels, as a JSON object of label names to strings, the
    GraphQL list [{"key": ..., "value": ...}], or null;
  env: one image's labels as KEY=VALUE lines; blank lines and lines starting
    with "#" are skipped.
Each problem is printed as SOURCE: IMAGE: LABEL: message (IMAGE is "-" for
the one image of a json or env input); valid images print nothing. With
--format json, each image is a JSON line: "source", "image", "valid", and the
checked fields (ImageLabels.to_dict(); under --compat 26.09 "labels", the
checked labels keyed by their names) or "problems".

examples:
  imageref labels inspect.json
  imageref labels image.env; echo "exit status: $?"
  imageref labels --format json image.env
  printf 'ai.backend.kernelspec=2\\n' | imageref labels -
  imageref labels --compat 26.09 desktop.env
  imageref labels --quiet inspect.json || echo "inspect.json has invalid labels"
"""


def add_parser(commands: Commands) -> argparse.ArgumentParser:
    """Declare ``imageref labels`` and its options."""
    labels = add_command(
        commands,
        "labels",
        "report the problems in images' labels (docker inspect output, JSON, KEY=VALUE)",
        "Check images' labels by Backend.AI's rules (validate_image_labels; 24.03's\n"
        "unless --compat 26.09) and report every problem.",
        _EXAMPLES,
    )
    add_compat_option(labels, references=False)
    labels.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for stdin")
    labels.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="the form of every FILE (default: auto, told by its first bytes)",
    )
    output = labels.add_mutually_exclusive_group()
    output.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="text: a line per problem (default); json: a JSON line per image;"
        " github, sarif: annotations, code scanning (Dockerfiles only)",
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing; only the exit status tells"
    )
    add_options(labels)
    return labels


def run(args: argparse.Namespace) -> int:
    """Run ``imageref labels`` as *args* say; return the exit status."""
    check, fields = checker(args)
    command = LintLabels(check, fields, args.input_format, args.format, args.quiet)
    command.dockerfiles = DockerfileLint(args, command)
    if command.dockerfiles.load():
        command.run(args.files)
        command.dockerfiles.finish()
    return command.status


def checker(
    args: argparse.Namespace,
) -> tuple[Callable[[Any], Any], Callable[[Any], dict[str, Any]]]:
    """The check of one image's labels by the ``--compat`` release, and the JSON fields
    of what it returns.

    24.03: :meth:`~imageref.ImageLabels.from_labels`, whose fields are
    ``to_dict()``'s. 26.09: its ``validate_image_labels`` after the GraphQL list
    form is made a mapping (as ``from_labels`` does), whose fields are ``labels``:
    each checked label by its text (``str(key)``), a path as its text.
    """
    # Only this command needs the rules.
    from ..labels import ImageLabels, _as_mapping  # noqa: PLC0415

    if args.compat == COMPAT_RELEASES[0]:
        return ImageLabels.from_labels, ImageLabels.to_dict
    validate = label_validator(args)
    return lambda labels: validate(_as_mapping(labels)), _labels_fields  # type: ignore[arg-type]


def _labels_fields(labels: dict[str, Any]) -> dict[str, Any]:
    """The JSON fields of labels checked by 26.09's rules: ``labels``, by label text."""
    from pathlib import PurePath  # noqa: PLC0415 - the rules imported it already

    return {
        "labels": {
            str(label): str(value) if isinstance(value, PurePath) else value
            for label, value in labels.items()
        }
    }


# ---------------------------------------------------------------------------
# The images in an input
# ---------------------------------------------------------------------------


class Image:
    """An image found in an input: its name, its labels (None: nothing to check) and
    the problems of the input found while reading it."""

    __slots__ = ("labels", "name", "problems")

    def __init__(self, name: str | None, labels: object, problems: list[Problem]) -> None:
        self.name = name
        self.labels = labels
        self.problems = problems


def _broken(name: str | None, reason: str) -> Image:
    """An image (or, without *name*, a whole file) that could not be read: *reason*."""
    return Image(name, None, [(None, None, reason)])


_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean"}


def _json_type(value: object) -> str:
    """The JSON name of the type of the parsed JSON *value*."""
    if value is None:
        return "null"
    return _JSON_TYPES.get(type(value), "number")


def sniff(stream: IO[bytes]) -> tuple[bytes, str]:
    """The bytes read from *stream* and the form they start: ``"json"`` or ``"env"``.

    Reads until the first non-blank bytes say: ``[`` or ``{``, or ``null`` alone
    (``docker inspect --format '{{json .Config.Labels}}'`` of an image without labels).
    """
    read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
    head = bytearray()
    start = 0  # where the first non-blank byte is, once one is read
    while True:
        data = read(_CHUNK_BYTES)
        if start == len(head):  # only blanks so far
            start += len(data) - len(data.lstrip(b" \t\r\n"))  # JSON's whitespace
        head += data
        content = bytes(head[start : start + 5])
        if content[:1] in (b"[", b"{") or len(content) == 5 or not data:
            break
    null = content[:4] == b"null" and content[4:] in (b"", b" ", b"\t", b"\r", b"\n")
    is_json = content[:1] in (b"[", b"{") or null
    return bytes(head), "json" if is_json else "env"


class _Replay:
    """A binary stream that gives *head* first, then reads on from *stream*."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)

    def read(self, size: int) -> bytes:
        head = self._head
        if head:
            self._head = b""
            return head
        return self._read(size)


def env_image(stream: Source) -> Image:
    """The one image of ``KEY=VALUE`` lines (streamed; a later KEY wins, as in Docker's
    label files). A line that cannot be read is a problem naming its number."""
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    number = 0
    for lines in read_lines(stream):
        for line in lines:
            number += 1
            if is_overlong(line):
                problems.append((None, None, f"line {number}: {overlong_error()}"))
                continue
            content = line.lstrip()
            if not content or content[:1] == b"#":
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append((None, None, f"line {number}: {decode_error(line, exc)}"))
                continue
            key, equals, value = text.partition("=")
            if not equals:
                why = f"line {number}: not KEY=VALUE (no '='): {_shown(text)}"
            elif not key:
                why = f"line {number}: no label name before '=': {_shown(text)}"
            else:
                labels[key] = value
                continue
            problems.append((None, None, why))
    return Image(ONE_IMAGE, labels, problems)


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    """Why *data* is not UTF-8, naming the line and the offset in it."""
    start = data.rfind(b"\n", 0, exc.start) + 1
    line = data.count(b"\n", 0, start) + 1
    raw = data[start : exc.end]
    in_line = UnicodeDecodeError(exc.encoding, raw, exc.start - start, exc.end - start, exc.reason)
    return f"line {line}: {decode_error(raw, in_line)}"


# int() of a long digit run takes quadratic time (and Python 3.11+ refuses over 4300 digits).
_MAX_INT_DIGITS = 4300


def _json_int(text: str) -> int:
    if len(text) > _MAX_INT_DIGITS:
        raise ValueError(f"a number of more than {_MAX_INT_DIGITS} digits")
    return int(text)


def json_images(data: bytes, form: str) -> list[Image]:
    """The images of the JSON *data*, read as *form* (``auto``, ``inspect`` or ``json``)."""
    import json  # noqa: PLC0415 - not needed by --version

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_broken(None, _not_utf8(data, exc))]
    del data  # hold one copy of the input at a time
    try:
        doc = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        why = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    except RecursionError:
        why = "not valid JSON: nested too deeply"
    except ValueError as exc:
        why = f"not valid JSON: {exc}"
    else:
        del text
        if form == "auto":
            graphql = isinstance(doc, list) and all(
                isinstance(item, dict) and "key" in item for item in doc
            )
            form = "inspect" if isinstance(doc, list) and not (doc and graphql) else "json"
        return inspected_images(doc) if form == "inspect" else [json_image(doc)]
    return [_broken(None, why)]


def json_image(doc: object) -> Image:
    """The one image whose labels are the parsed JSON *doc* (``null``: no labels)."""
    if doc is None:
        doc = {}
    if not isinstance(doc, (dict, list)):
        return _broken(
            None,
            'labels must be a JSON object of label names to strings, or a list of {"key": ...,'
            f' "value": ...}} objects, not {_json_type(doc)}',
        )
    return Image(ONE_IMAGE, doc, [])


def inspected_images(doc: object) -> list[Image]:
    """The images of the parsed ``docker inspect`` output *doc*."""
    if not isinstance(doc, list):
        why = f"docker inspect output must be a JSON array of images, not {_json_type(doc)}"
        return [_broken(None, why)]
    return [_inspected(index, item) for index, item in enumerate(doc)]


def _inspected(index: int, item: object) -> Image:
    """The image *item* of ``docker inspect`` output, the *index*-th."""
    if not isinstance(item, dict):
        return _broken(f"[{index}]", f"an image must be a JSON object, not {_json_type(item)}")
    name = f"[{index}]"
    tags, ident = item.get("RepoTags"), item.get("Id")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and tags[0]:
        name = tags[0]
    elif isinstance(ident, str) and ident:
        name = ident
    config = item.get("Config")
    if not isinstance(config, dict):
        why = f"Config must be a JSON object, not {_json_type(config)} (not docker inspect output?)"
        return _broken(name, why)
    labels = config.get("Labels")
    if labels is None:  # what docker gives for an image without labels
        labels = {}
    if not isinstance(labels, dict):
        what = "a JSON object of label names to strings"
        why = f"Config.Labels must be {what}, not {_json_type(labels)}"
        return _broken(name, why)
    return Image(name, labels, [])


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


class LintLabels(Run):
    """``imageref labels``: each image's problems as text lines, or a JSON line per image.

    *check* checks one image's labels (raising :class:`~imageref.ImageLabelError`)
    and *fields* gives the JSON fields of what it returned (:func:`checker`);
    *input_format* is one of :data:`INPUT_FORMATS`; *output* ``"text"`` or
    ``"json"``; *quiet* prints nothing.
    """

    def __init__(
        self,
        check: Callable[[Any], Any],
        fields: Callable[[Any], dict[str, Any]],
        input_format: str,
        output: str,
        quiet: bool,
    ) -> None:
        super().__init__(check)
        self.check = check
        self.fields = fields
        import json  # noqa: PLC0415 - not needed by --version

        self._dumps = json.dumps
        self.input_format = input_format
        self.json = output == "json"
        self.quiet = quiet
        self.dockerfiles: DockerfileLint  # set by run()

    def run(self, files: Sequence[str]) -> None:
        """Check the images of each of *files* (``-``: standard input)."""
        for name in files:
            self.read(name, partial(self._lint, source=name))
        self.out.flush()

    def _lint(self, stream: IO[bytes], source: str) -> None:
        form, head = self.input_format, b""
        if form == "dockerfile" or (form == "auto" and is_dockerfile_name(source)):
            self.dockerfiles.lint(stream, source)
            return
        if self.dockerfiles.format in ("github", "sarif"):
            self.complain(f"{source}: --format {self.dockerfiles.format} reads Dockerfiles only")
            self.fail(EXIT_USAGE)
            return
        if form == "auto":
            head, sniffed = sniff(stream)
            form = "env" if sniffed == "env" else form  # JSON: inspect or labels, told later
        if form == "env":
            images = [env_image(_Replay(head, stream))]
        else:
            images = json_images(head + stream.read(), form)
        for image in images:
            self._report(source, image)
        self.out.flush()

    def _report(self, source: str, image: Image) -> None:
        problems = image.problems
        checked = None
        if image.labels is not None:
            try:
                checked = self.check(image.labels)
            except ImageLabelError as exc:
                problems += [(p.label, p.value, p.reason) for p in exc.problems]
            except ImageRefError as exc:  # labels or values of the wrong type
                problems.append((None, None, str(exc)))
        if problems:
            self.fail()
        if self.quiet:
            return
        if self.json:
            self.out.write(self._json_line(source, image.name, checked, problems))
        elif problems:
            self.out.write(self._text_lines(source, image.name, problems))

    def _json_line(
        self, source: str, name: str | None, checked: object, problems: list[Problem]
    ) -> bytes:
        obj: dict[str, Any] = {"source": source, "image": name, "valid": not problems}
        if problems:
            keys = ("label", "value", "reason")
            obj["problems"] = [dict(zip(keys, problem, strict=True)) for problem in problems]
        elif checked is not None:
            obj.update(self.fields(checked))
        return (self._dumps(obj) + "\n").encode("ascii")

    @staticmethod
    def _text_lines(source: str, name: str | None, problems: list[Problem]) -> bytes:
        prefix = os.fsencode(source) + b": "
        if name is not None:
            prefix += f"{show_short(name)}: ".encode("ascii")
        out = []
        for label, value, reason in problems:
            message = reason if value is None else f"{value}: {reason}"
            if label is not None:
                message = f"{show_short(label)}: {message}"
            out.append(prefix + f"{one_line(message)}\n".encode("ascii"))
        return b"".join(out)
