"""Time BuildKit's word processing (``imageref._shell``) on the words of real Dockerfiles.

    python benchmarks/shell_words.py                 # defaults (a few seconds)
    python benchmarks/shell_words.py --calls 20000 --rounds 9

Each kind of word below is timed alone: ``--rounds`` rounds, interleaved (every kind once
per round), of ``--calls`` calls each; the figure is the best round, in nanoseconds per
word, the steadiest figure on a shared, busy machine. "mix" is the whole list, as a
kernel image's Dockerfile has them (keys, quoted values, variables, FROM lines).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from imageref._shell import process_word, process_words

ENV = {
    "PYTHON_VERSION": "3.11",
    "UBUNTU_VERSION": "22.04",
    "CUDA_VERSION": "12.1.1",
    "BASE_IMAGE": "nvidia/cuda",
    "TARGETARCH": "amd64",
}

# (kind, word): the words a LABEL, FROM or ARG instruction of a kernel image hands over.
WORDS = [
    ("plain key", "ai.backend.kernelspec"),
    ("plain key", "ai.backend.resource.min.mem"),
    ("plain value", "ubuntu22.04"),
    ("plain value", "/opt/conda/bin/python3"),
    ("double-quoted", '"1"'),
    ("double-quoted", '"query batch uid-match user-input"'),
    ("double-quoted", '"jupyter:http:8081,jupyterlab:http:8090,vscode:http:8180"'),
    ("single-quoted", "'lablup/python:3.9'"),
    ("variable", "${CUDA_VERSION}"),
    ("variable", "$TARGETARCH"),
    ("quoted variables", '"${BASE_IMAGE}:${CUDA_VERSION}-cudnn8-devel-ubuntu${UBUNTU_VERSION}"'),
    ("default", "${CUDA_VERSION:-11.8}"),
    ("escaped", "a\\ b"),
    ("pattern", "${CUDA_VERSION%.*}"),
]


def timed(call: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=5000, help="calls per round and kind")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds")
    args = parser.parse_args(argv)

    kinds: dict[str, list[str]] = {}
    for kind, word in WORDS:
        kinds.setdefault(kind, []).append(word)
    words = [word for _, word in WORDS]
    cases: dict[str, Callable[[], object]] = {}
    for kind, group in kinds.items():
        cases[kind] = lambda group=group: [process_word(word, ENV) for word in group]
    cases["mix"] = lambda: [process_word(word, ENV) for word in words]
    cases["mix, process_words"] = lambda: [process_words(word, ENV) for word in words]
    sizes = {kind: len(group) for kind, group in kinds.items()}
    sizes["mix"] = sizes["mix, process_words"] = len(words)

    best = dict.fromkeys(cases, float("inf"))
    for _ in range(args.rounds):
        for name, call in cases.items():
            best[name] = min(best[name], timed(call, args.calls) / sizes[name])

    print(f"Python {platform.python_version()} on {platform.machine()}, best of {args.rounds}")
    print(f"{'words':<22} {'ns/word':>8}")
    for name, seconds in best.items():
        print(f"{name:<22} {seconds * 1e9:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
