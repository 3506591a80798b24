"""How a harness runs (not a harness: no ``fuzz_`` prefix): atheris, or a corpus replay.

With atheris installed, :func:`run` hands the harness to libFuzzer with the
command line's flags and corpus folders. Without it (atheris has no build for
every Python), it feeds each file of the corpus folders or files named on the
command line through the harness once, so the harness's own checks still run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def replay(test_one_input: Callable[[bytes], None], paths: list[str]) -> int:
    """Feed every file under *paths* (folders or files) to *test_one_input*; their count."""
    count = 0
    for name in paths:
        path = Path(name)
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            test_one_input(file.read_bytes())
            count += 1
    return count


def run(atheris: Any, test_one_input: Callable[[bytes], None]) -> None:
    """Fuzz *test_one_input* with the *atheris* module, or replay the corpus when it is None."""
    if atheris is None:
        paths = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
        count = replay(test_one_input, paths)
        print(f"atheris is not installed; replayed {count} corpus inputs")
        sys.exit(0)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
