"""The command-line declarations commands share, and the rules they select.

* :func:`add_command`: declares a command (its help line, description and examples).
* ``-r/--registry`` (:func:`add_registry_option`) and ``--oci``
  (:func:`add_oci_option`), with :func:`check_oci`, which rejects ``--oci``
  given together with a Backend.AI option.
* The function that reads one reference by the rules the options chose:
  :func:`backendai_reader` (Backend.AI's: ``-r``, ``-a``, ``--local``),
  :func:`oci_reader` (``--oci``; :mod:`imageref.oci` is imported only then) and
  :func:`reader`, which picks one of them.

This module is imported only to parse a command line (never for ``--version``
alone), so it imports ``argparse`` directly.
"""

from __future__ import annotations

import argparse

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

    from ..image import ImageRef, ImageRefParser
    from ..oci import Reference

    #: What ``add_parser(commands)`` of a command module declares its command in.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = [
    "Registries",
    "add_command",
    "add_oci_option",
    "add_registry_option",
    "backendai_reader",
    "check_oci",
    "oci_reader",
    "reader",
]


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


def backendai_reader(args: argparse.Namespace) -> tuple[ImageRefParser, Callable[[str], ImageRef]]:
    """The parser of ``-r`` and ``-a``, and its parse function (with ``--local``)."""
    from ..image import ImageRefParser  # noqa: PLC0415 - not needed by --version

    arch = getattr(args, "arch", None)
    image_parser = ImageRefParser(args.registry, "x86_64" if arch is None else arch, cache_size=0)
    if getattr(args, "local", False):
        from functools import partial  # noqa: PLC0415

        return image_parser, partial(image_parser.parse, is_local=True)
    return image_parser, image_parser.parse


def oci_reader() -> Callable[[str], Reference]:
    """The parse function of ``--oci``: :meth:`imageref.oci.Reference.parse`."""
    from ..oci import Reference  # noqa: PLC0415 - imported only for --oci

    return Reference.parse


def reader(args: argparse.Namespace) -> Callable[[str], Any]:
    """The function that reads one reference by the rules *args* chose."""
    if getattr(args, "oci", False):
        return oci_reader()
    return backendai_reader(args)[1]
