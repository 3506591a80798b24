"""Measure the command line as operators run it: bulk rate from stdin, and start-up time.

    python benchmarks/cli_rate.py                      # defaults (about half a minute)
    python benchmarks/cli_rate.py --lines 300000 --runs 3 --startup-runs 20

Bulk rate: each corpus is written to a temporary file and timed, wall clock, as

    python -m imageref parse - < CORPUS > /dev/null

(and ``validate -`` for the ``repeated`` and ``first`` corpora); the rate is lines over
the median time of ``--runs`` runs, start-up included: wall-clock time, and the CPU time
(user + system) of the child process, which is the steadier figure on a shared, busy
machine. Corpora:

- ``repeated``: ``--lines`` lines drawn at random from ``--distinct`` references (a mix
  of Docker Hub, known-registry and IP-registry references with platform tags), as
  image lists and logs repeat their images;
- ``distinct``: ``--lines`` lines, no two alike, so the CLI's per-line cache never hits:
  every line is parsed and formatted (the library's per-tag cache still helps, as the
  tags come from a set of under 2,000);
- ``first``: ``--lines`` lines of the first-sighting workload
  (``workloads.first_sightings``): no two share a registry/name, a tag or a platform
  suffix, so no cache helps at all;
- ``rescan``: ``--lines`` lines of the registry-rescan workload (``workloads.rescan``).

``--corpora first,rescan`` times only those.

Start-up: the median wall time of ``--startup-runs`` runs each of ``python -c pass``,
``python -m imageref --version`` and, for scale, ``python -m`` of an empty package (the
floor of any ``-m`` command: importing ``runpy``), interleaved so that they share the
machine's noise. The child processes may write bytecode caches, as an installed package
has them (``PYTHONDONTWRITEBYTECODE`` is dropped from their environment unless
``--keep-env``); one warm-up run of each comes first.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGISTRIES = ["", "lablup/", "cr.backend.ai/stable/", "cr.backend.ai/multiarch/", "10.0.0.7:5000/"]
NAMES = ["python", "python-tensorflow", "python-pytorch", "ngc-pytorch", "r-base", "julia"]
TAGS = [
    "3.6-ubuntu18.04",
    "3.9-ubuntu20.04",
    "1.15-py36-cuda10.0",
    "2.3-py38-cuda11.2-ubuntu20.04",
    "21.03-py3",
    "latest",
]


def repeated_corpus(lines: int, distinct: int, seed: int = 7) -> list[str]:
    pool = [
        f"{registry}{name}{i}:{tag}"
        for i in range(distinct)
        for registry, name, tag in [
            (REGISTRIES[i % len(REGISTRIES)], NAMES[i % len(NAMES)], TAGS[i % len(TAGS)])
        ]
    ]
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(lines)]


def distinct_corpus(lines: int) -> list[str]:
    return [
        f"{REGISTRIES[i % len(REGISTRIES)]}{NAMES[i % len(NAMES)]}-{i}:3.{i % 10}-py3{i % 9}"
        f"-cuda1{i % 3}.{i % 7}"
        for i in range(lines)
    ]


def child_env(keep: bool) -> dict[str, str]:
    env = dict(os.environ)
    if not keep:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_run(
    args: list[str], env: dict[str, str], stdin_path: Path | None = None
) -> tuple[float, float]:
    """Run once; return (wall seconds, CPU seconds of the child: user + system)."""
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, stdin=stdin, stdout=subprocess.DEVNULL, env=env, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def time_run(args: list[str], env: dict[str, str], stdin_path: Path | None = None) -> float:
    return cpu_run(args, env, stdin_path)[0]


def bulk(python: str, env: dict[str, str], args: argparse.Namespace, tmp: Path) -> None:
    print(f"bulk rate, {args.lines:,} lines per corpus, median of {args.runs} runs:")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import workloads

    makers = {
        "repeated": lambda: repeated_corpus(args.lines, args.distinct),
        "distinct": lambda: distinct_corpus(args.lines),
        "first": lambda: workloads.first_sightings(args.lines),
        "rescan": lambda: workloads.rescan(args.lines),
    }
    chosen = args.corpora.split(",")
    corpora = {name: makers[name]() for name in chosen}
    known = [arg for registry in workloads.KNOWN for arg in ("-r", registry)]
    commands = [
        (name, [verb, *known, "-"])
        for name in chosen
        for verb in (["parse", "validate"] if name in ("repeated", "first") else ["parse"])
    ]
    for name, corpus in corpora.items():
        (tmp / name).write_text("".join(f"{line}\n" for line in corpus))
    for name, command in commands:
        argv = [python, "-m", "imageref", *command]
        time_run(argv, env, tmp / name)  # warm-up: caches, bytecode
        runs = [cpu_run(argv, env, tmp / name) for _ in range(args.runs)]
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        shown = "imageref " + " ".join(command)
        print(
            f"  {name:9} {shown:40} {args.lines / wall:>10,.0f} refs/s wall ({wall:5.2f} s),"
            f" {args.lines / cpu:>10,.0f} refs/s CPU ({cpu:5.2f} s)"
        )


def startup(python: str, env: dict[str, str], runs: int, tmp: Path) -> None:
    floor = tmp / "floor" / "_imageref_floor"
    floor.mkdir(parents=True)
    (floor / "__init__.py").write_text("")
    (floor / "__main__.py").write_text("")
    floor_env = {**env, "PYTHONPATH": str(floor.parent)}
    cases = {
        "python -c pass": ([python, "-c", "pass"], env),
        "python -m <empty package>": ([python, "-m", "_imageref_floor"], floor_env),
        "python -m imageref --version": ([python, "-m", "imageref", "--version"], env),
    }
    times: dict[str, list[float]] = {label: [] for label in cases}
    for argv, case_env in cases.values():
        time_run(argv, case_env)  # warm-up
    for _ in range(runs):
        for label, (argv, case_env) in cases.items():
            times[label].append(time_run(argv, case_env))
    base = statistics.median(times["python -c pass"])
    print(f"start-up, median of {runs} interleaved runs:")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:30} {median * 1000:6.1f} ms  (+{(median - base) * 1000:5.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--corpora", default="repeated,distinct,first,rescan", help="comma-separated"
    )
    parser.add_argument("--startup-runs", type=int, default=20)
    parser.add_argument("--keep-env", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    env = child_env(args.keep_env)
    print(f"{python} ({sys.version.split()[0]}), {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not args.skip_bulk:
            bulk(python, env, args, tmp)
        if not args.skip_startup:
            startup(python, env, args.startup_runs, tmp)


if __name__ == "__main__":
    main()
