"""The command-line declarations commands share, and the rules they select.

* :func:`add_command`: declares a command (its help line, description and examples).
* ``-r/--registry`` (:func:`add_registry_option`) and ``--oci``
  (:func:`add_oci_option`), with :func:`check_oci`, which rejects ``--oci``
  given together with a Backend.AI option.
* ``--compat {24.03,26.09}`` and ``--project`` (:func:`add_compat_option`), with
  :func:`check_compat`, which rejects ``--project`` without ``--compat 26.09``,
  ``--compat 26.09`` with ``--oci`` and more than one ``-r`` under 26.09.
* The function that reads one reference by the rules the options chose:
  :func:`backendai_reader` (Backend.AI 24.03's: ``-r``, ``-a``, ``--local``),
  :func:`v2609_reader` (26.09's: ``--project``, ``-r`` as the ``registry``
  argument, ``-a``, ``--local``), :func:`oci_reader` (``--oci``; :mod:`imageref.oci`
  is imported only then) and :func:`reader`, which picks one of them; and
  :func:`label_validator`, the ``validate_image_labels`` of the ``--compat`` release.

This module is imported only to parse a command line (never for ``--version``
alone), so it imports ``argparse`` directly.
"""

from __future__ import annotations

import argparse

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TypeAlias

    from ..compat import v2609
    from ..image import ImageRef, ImageRefParser
    from ..oci import Reference

    #: What ``add_parser(commands)`` of a command module declares its command in.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = [
    "COMPAT_RELEASES",
    "Registries",
    "add_command",
    "add_compat_option",
    "add_oci_option",
    "add_registry_option",
    "backendai_reader",
    "check_compat",
    "check_oci",
    "label_validator",
    "oci_reader",
    "reader",
    "v2609_reader",
]

#: The Backend.AI releases ``--compat`` names; the first is the default.
COMPAT_RELEASES = ("24.03", "26.09")


def add_command(
    commands: Commands, name: str, summary: str, description: str, examples: str
) -> argparse.ArgumentParser:
    """Declare the command *name*: *summary* is its line in ``imageref --help``,
    *description* opens and *examples* closes its own ``--help`` (as written)."""
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


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


def add_registry_option(command: argparse.ArgumentParser) -> None:
    """Declare ``-r/--registry`` (Backend.AI's known registries) for *command*."""
    command.add_argument(
        "-r",
        "--registry",
        action=Registries,
        metavar="NAME",
        help="a known registry (repeatable); '*' means any registry",
    )


def add_oci_option(command: argparse.ArgumentParser, conflicts: str) -> None:
    """Declare ``--oci`` for *command*, whose Backend.AI options are *conflicts*."""
    command.add_argument(
        "--oci",
        action="store_true",
        help="read references by Docker's / the OCI distribution rules"
        f" (imageref.oci.Reference) instead; not with {conflicts}",
    )


def check_oci(args: argparse.Namespace, command: argparse.ArgumentParser) -> None:
    """Exit through *command*'s usage error if ``--oci`` came with a Backend.AI option."""
    if not getattr(args, "oci", False):
        return
    given = [
        ("-r/--registry", args.registry is not None),
        ("-a/--arch", getattr(args, "arch", None) is not None),
        ("--local", getattr(args, "local", False)),
    ]
    conflicts = [option for option, present in given if present]
    if conflicts:
        listed, what = conflicts[0], "a Backend.AI option"
        if len(conflicts) > 1:
            listed = f"{', '.join(conflicts[:-1])} or {conflicts[-1]}"
            what = "Backend.AI options"
        command.error(f"--oci cannot be combined with {listed} ({what}; the OCI rules take none)")


class _NoProject(argparse.Action):
    """``--project`` on a command that reads no references: a usage error that says so."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        parser.error(
            f"{option_string} is not an option of this command: a project belongs to an"
            " image reference (parse, validate, aliases), not to its labels"
        )


def add_compat_option(command: argparse.ArgumentParser, *, references: bool = True) -> None:
    """Declare ``--compat`` and ``--project`` for *command* (check with :func:`check_compat`).

    A command that reads no *references* (``labels``) takes ``--compat`` only; its
    ``--project`` is then a usage error that says why (not an unknown option).
    """
    command.add_argument(
        "--compat",
        choices=COMPAT_RELEASES,
        default=COMPAT_RELEASES[0],
        help="the Backend.AI release whose rules apply (default: %(default)s)",
    )
    if not references:
        command.add_argument("--project", action=_NoProject, nargs="?", help=argparse.SUPPRESS)
        return
    command.add_argument(
        "--project",
        metavar="PROJECT",
        help="the image's project (--compat 26.09 only; -r is then its registry argument)",
    )


def check_compat(args: argparse.Namespace, command: argparse.ArgumentParser) -> None:
    """Exit through *command*'s usage error if ``--compat`` and the other options clash."""
    compat = getattr(args, "compat", COMPAT_RELEASES[0])
    if compat == COMPAT_RELEASES[0]:
        if getattr(args, "project", None) is not None:
            command.error("--project needs --compat 26.09 (24.03 references have no project)")
        return
    if getattr(args, "oci", False):
        command.error(f"--oci cannot be combined with --compat {compat}")
    if len(getattr(args, "registry", None) or ()) > 1:
        command.error(f"--compat {compat} takes one -r/--registry (its registry argument)")


def v2609_reader(args: argparse.Namespace) -> Callable[[str], v2609.ImageRef]:
    """26.09's ``ImageRef.from_image_str`` under ``--project``, ``-r``, ``-a`` and ``--local``."""
    from functools import partial  # noqa: PLC0415 - not needed by --version

    from ..compat.v2609 import ImageRef as ImageRef2609  # noqa: PLC0415

    arch = getattr(args, "arch", None)
    return partial(
        ImageRef2609.from_image_str,
        project=args.project,
        registry=(args.registry or [None])[0],
        architecture="x86_64" if arch is None else arch,
        is_local=getattr(args, "local", False),
    )


def label_validator(args: argparse.Namespace) -> Callable[[Mapping[str, str]], dict[str, Any]]:
    """The ``validate_image_labels`` of the release ``--compat`` names."""
    if getattr(args, "compat", COMPAT_RELEASES[0]) == COMPAT_RELEASES[0]:
        from ..labels import validate_image_labels  # noqa: PLC0415 - not needed by --version
    else:
        from ..compat.v2609 import validate_image_labels  # noqa: PLC0415
    return validate_image_labels


def backendai_reader(args: argparse.Namespace) -> tuple[ImageRefParser, Callable[[str], ImageRef]]:
    """The parser of ``-r`` and ``-a``, and its parse function (with ``--local``)."""
    from ..image import ImageRef, ImageRefParser  # noqa: PLC0415 - not needed by --version

    arch = getattr(args, "arch", None)
    image_parser = ImageRefParser(args.registry, "x86_64" if arch is None else arch, cache_size=0)
    # ImageRef itself, as the parser would call it: the commands keep their own
    # per-line caches, and a parser without a memo would only add a failed lookup.
    known = args.registry
    architecture = image_parser.architecture
    is_local = bool(getattr(args, "local", False))

    def parse(value: str) -> ImageRef:
        return ImageRef(value, known, architecture, is_local)

    return image_parser, parse


def oci_reader() -> Callable[[str], Reference]:
    """The parse function of ``--oci``: :meth:`imageref.oci.Reference.parse`."""
    from ..oci import Reference  # noqa: PLC0415 - imported only for --oci

    return Reference.parse


def reader(args: argparse.Namespace) -> Callable[[str], Any]:
    """The function that reads one reference by the rules *args* chose."""
    if getattr(args, "oci", False):
        return oci_reader()
    if getattr(args, "compat", COMPAT_RELEASES[0]) != COMPAT_RELEASES[0]:
        return v2609_reader(args)
    return backendai_reader(args)[1]
