"""``python -m imageref``: the command-line interface (see :mod:`imageref.cli`).

``--version`` alone is answered here, before :mod:`imageref.cli` (and with it
``argparse``, ``json`` and the parser) is even imported, so that it starts
about as fast as a bare ``python -c pass``.
"""

from __future__ import annotations

import sys


def _version() -> int:
    from . import __version__  # noqa: PLC0415 - the package is already imported

    if sys.stdout is None:  # standard output is closed: nothing to write to
        return 0
    try:
        sys.stdout.write(f"imageref {__version__}\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away: say nothing more (see cli.main)
        from .cli._io import EXIT_BROKEN_PIPE, silence_output  # noqa: PLC0415

        silence_output()
        return EXIT_BROKEN_PIPE
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--version"]:
        sys.exit(_version())
    from .cli import main

    sys.exit(main())
