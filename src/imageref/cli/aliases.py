"""``imageref aliases``: list every alias of a reference.

:func:`add_parser` declares the command, :func:`run` runs it.
"""

from __future__ import annotations

from ._io import EXIT_INVALID, Run
from ._options import add_command, add_compat_option, add_registry_option, reader

# Not ``typing.TYPE_CHECKING``: importing typing would slow down --version.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from ._options import Commands

__all__ = ["add_parser", "run"]

_EXAMPLES = """\
Prints every alias of the reference (ImageRef.generate_aliases()), one per
line, sorted.

examples:
  imageref aliases lablup/python-tensorflow:1.5-py36
  imageref aliases -r cr.backend.ai cr.backend.ai/stable/python:3.9-ubuntu20.04
"""


def add_parser(commands: Commands) -> argparse.ArgumentParser:
    """Declare ``imageref aliases`` and its options."""
    aliases = add_command(
        commands,
        "aliases",
        "list every alias of a reference",
        "List every alias of a reference.",
        _EXAMPLES,
    )
    aliases.add_argument("ref", metavar="REF")
    add_registry_option(aliases)
    add_compat_option(aliases)
    return aliases


def run(args: argparse.Namespace) -> int:
    """Run ``imageref aliases`` as *args* say; return the exit status."""
    command = Run(reader(args))
    try:
        ref = command.parse_ref(args.ref)
    except Exception as exc:  # reported like every invalid reference
        command.complain(str(exc))
        return EXIT_INVALID
    aliases = sorted(ref.generate_aliases())
    command.out.write("".join(f"{alias}\n" for alias in aliases).encode())
    command.out.flush()
    return 0
