"""Side by side: linting Dockerfiles with imageref against BuildKit's parser just parsing them.

    python benchmarks/compare_dockerfile.py            # 300 files, 15 rounds
    python benchmarks/compare_dockerfile.py --files 500 --rounds 30
    python benchmarks/compare_dockerfile.py --dir ../backend.ai-kernels   # real ones

imageref's side is the whole lint, in one process: read each Dockerfile
(:func:`imageref.dockerfile.check_dockerfile`: directives, continuations, heredocs,
stages, word processing of every LABEL/ENV/ARG/FROM word, the label checks, the base
reference and platform checks) and write its JSON report line (with the function
``imageref labels --format json`` writes it with, into memory). BuildKit's side is
``dockerfile.parse_string`` (the ``dockerfile`` package: BuildKit's Go parser as a
Python extension) on the same texts: the parse only, no word processing and no checks.

Times are CPU time of this process (``time.process_time``), so that other work on a
shared machine disturbs the figures less; imageref's memo tables (instruction splits,
words, base references, platforms) are emptied before each of its rounds, so every round
starts cold and only repetition inside the batch of files helps, as it would in one
``imageref labels`` run. With ``--warm`` they are kept: each round lints files linted
before (the repeats: a linter run again on the same files in one process).

The files are :func:`dockerfile_cases.dockerfiles`: kernel-image Dockerfiles made from
the test corpus, all distinct, short and dense in what the lint reads (ARG, FROM, ENV,
LABEL), the harder case; or, with ``--dir``, every file under a directory whose name is
a Dockerfile's (``imageref labels``'s rule), such as a clone of Backend.AI's kernel
images (github.com/lablup/backend.ai-kernels), read as UTF-8 (bad bytes replaced). A
file BuildKit's parser refuses still counts: its time to refuse it. Each figure is the
median over interleaved rounds (BuildKit, then imageref, in the same round), so noise
hits both alike; the ratio is taken per round. The target (issue 17): imageref's lint
in less than half BuildKit's parse time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dockerfile_cases import dockerfiles

from imageref import _memo
from imageref.cli._dockerfile import is_dockerfile_name, json_line
from imageref.dockerfile import check_dockerfile


def lint_all(texts: list[str]) -> int:
    """Lint every text and write its JSON line (the command's own function for it); the
    number of problems found."""
    out = io.StringIO()
    found = 0
    for index, text in enumerate(texts):
        report = check_dockerfile(text)
        found += len(report.problems)
        out.write(json_line(f"Dockerfile.{index}", report))
        out.write("\n")
    return found


def parse_all(texts: list[str], parse: Callable[[str], list[object]], error: type) -> int:
    """BuildKit's parser on every text; the number of instructions read."""
    found = 0
    for text in texts:
        with contextlib.suppress(error):
            found += len(parse(text))
    return found


def real_dockerfiles(root: Path, count: int | None) -> list[str]:
    """The texts of the (first *count*) Dockerfiles under *root*, by path."""
    paths = sorted(path for path in root.rglob("*") if is_dockerfile_name(str(path)))
    paths = [path for path in paths if path.is_file()][:count]
    if not paths:
        sys.exit(f"compare_dockerfile: no Dockerfile under {root}")
    return [path.read_bytes().decode("utf-8", "replace") for path in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=None, help="default: 300 (all with --dir)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="no ARG/FROM/ENV/LABEL instruction written alike in two files",
    )
    parser.add_argument(
        "--dir", type=Path, help="lint the Dockerfiles under this directory instead"
    )
    parser.add_argument(
        "--warm", action="store_true", help="keep the memo tables from round to round"
    )
    args = parser.parse_args()
    try:
        import dockerfile
    except ImportError:
        sys.exit("compare_dockerfile: the dockerfile package (BuildKit's parser) is not installed")
    if args.dir is not None:
        if args.distinct:
            sys.exit("compare_dockerfile: --distinct is for the made-up files, not --dir")
        texts = real_dockerfiles(args.dir, args.files)
    else:
        texts = dockerfiles(args.files or 300, distinct=args.distinct)
    parse = dockerfile.parse_string
    error = dockerfile.GoParseError
    size = sum(len(text.encode()) for text in texts)
    lines = sum(text.count("\n") for text in texts)
    problems = lint_all(texts)  # warm-up, and imports
    instructions = parse_all(texts, parse, error)
    theirs: list[float] = []
    ours: list[float] = []
    for _ in range(args.rounds):
        start = time.process_time()
        parse_all(texts, parse, error)
        middle = time.process_time()
        if not args.warm:
            _memo.clear_all()
        lint_all(texts)
        end = time.process_time()
        theirs.append(middle - start)
        ours.append(end - middle)
    ratios = [mine / buildkit for mine, buildkit in zip(ours, theirs, strict=True)]
    lscpu = platform.processor() or platform.machine()
    print(f"Python {platform.python_version()} on {lscpu}")
    print(
        f"{len(texts)} Dockerfiles, {lines} lines, {size / 1024:.0f} KiB,"
        f" {instructions} instructions, {problems} problems found; {args.rounds} rounds"
        + ("; no instruction alike in two files" if args.distinct else "")
        + (f"; from {args.dir}" if args.dir is not None else "")
        + ("; memo tables kept from round to round" if args.warm else "")
    )
    buildkit_ms = statistics.median(theirs) * 1000
    ours_ms = statistics.median(ours) * 1000
    print(f"BuildKit's parser (dockerfile.parse_string), parse only: {buildkit_ms:8.1f} ms")
    print(f"imageref: read, words, labels, base, JSON:               {ours_ms:8.1f} ms")
    print(
        f"imageref / BuildKit: median {statistics.median(ratios):.2f}"
        f" (min {min(ratios):.2f}, max {max(ratios):.2f}); target < 0.50"
    )


if __name__ == "__main__":
    main()
