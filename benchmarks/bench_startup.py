"""Import time and memory: what ``import imageref`` adds, and bytes per ``ImageRef``.

    python -m pytest benchmarks/bench_startup.py --benchmark-only -s

Import time is a fresh interpreter per round (``python -c "import imageref"``), with
bytecode caches written first, as an installed package has them; subtract the bare
start-up (``test_bare_start``) to get what imageref adds. Memory is measured with
tracemalloc over 100,000 refs and printed (``-s``); nothing here asserts a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import imageref
from imageref import ImageRef, PlatformTagSet

SRC = str(Path(imageref.__file__).resolve().parent.parent)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _start(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], env=ENV, check=True)


@pytest.mark.parametrize(
    "code",
    ["pass", f"import sys; sys.path.insert(0, {SRC!r}); import imageref"],
    ids=["bare_start", "import_imageref"],
)
def test_interpreter_start(benchmark: Any, code: str) -> None:
    _start(code)  # writes the bytecode caches
    benchmark.pedantic(_start, (code,), rounds=20)


def test_import_pulls_in_no_heavy_modules() -> None:
    code = (
        f"import sys; sys.path.insert(0, {SRC!r}); before = set(sys.modules); import imageref; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    added = subprocess.run(
        [sys.executable, "-c", code], env=ENV, check=True, capture_output=True, text=True
    ).stdout.split()
    print("modules imported by 'import imageref':", *added)
    assert not {"re", "typing", "threading", "collections", "enum"} & set(added), added


def test_bytes_per_ref() -> None:
    values = [f"registry.example/team/image{i}:3.{i % 20}-py3{i % 4 + 6}" for i in range(100_000)]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    refs = [ImageRef(v, ["registry.example"]) for v in values]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"\nbytes per ImageRef: {(after - before - sys.getsizeof(refs)) / len(refs):.1f}")
    assert not hasattr(refs[0], "__dict__")
    assert not hasattr(PlatformTagSet(["py36"]), "__dict__")
