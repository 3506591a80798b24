#!/usr/bin/env python3
"""Run every fuzz harness (``fuzz/fuzz_*.py``) for a fixed time; fail on any finding.

    python fuzz/run_all.py --seconds 12            # each harness 12 s (CI default)
    python fuzz/run_all.py --seconds 600 --only imageref --only parser

``--seconds N`` is the time given to EACH harness (libFuzzer ``-max_total_time``),
so the whole run takes about N x (number of harnesses) plus a few seconds of start-up.

Each harness runs in its own subprocess on a temporary copy of its seed corpus
(``fuzz/corpus/<name>/`` for ``fuzz/fuzz_<name>.py``), so new corpus entries never
land in the repository. A crash, a failed invariant (an ``AssertionError``), a
timeout or running out of memory is written to ``fuzz/artifacts/`` (git-ignored) and
makes this script exit 1; ``docs/testing.md`` says how to replay it and turn it into
a regression test. Without atheris (it has wheels for CPython 3.8-3.12 only) the
script says so and exits 0 without fuzzing.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent
CORPUS_DIR = FUZZ_DIR / "corpus"
ARTIFACT_DIR = FUZZ_DIR / "artifacts"

RSS_LIMIT_MB = 2048
TIMEOUT_PER_INPUT_S = 10  # a single input taking this long is a finding (ReDoS, hang)
MAX_LEN = 4096


def harnesses(only: list[str]) -> list[Path]:
    found = sorted(FUZZ_DIR.glob("fuzz_*.py"))
    if only:
        wanted = {name.removeprefix("fuzz_").removesuffix(".py") for name in only}
        found = [path for path in found if harness_name(path) in wanted]
        missing = wanted - {harness_name(path) for path in found}
        if missing:
            sys.exit(f"run_all: no harness named {', '.join(sorted(missing))}")
    return found


def harness_name(path: Path) -> str:
    return path.stem.removeprefix("fuzz_")


def stat(output: str, name: str) -> str:
    match = re.search(rf"stat::{name}:\s*(\d+)", output)
    return match.group(1) if match else "?"


def run_one(path: Path, seconds: int, verbose: bool) -> tuple[bool, str, str]:
    """Fuzz one harness; returns (passed, executions, executions per second)."""
    name = harness_name(path)
    ARTIFACT_DIR.mkdir(exist_ok=True)
    before = set(ARTIFACT_DIR.iterdir())
    with tempfile.TemporaryDirectory(prefix=f"imageref-fuzz-{name}-") as work:
        corpus = Path(work) / "corpus"
        seeds = CORPUS_DIR / name
        if seeds.is_dir():
            shutil.copytree(seeds, corpus)
        else:
            corpus.mkdir()
            print(f"  note: no seed corpus at {seeds.relative_to(FUZZ_DIR.parent)}")
        command = [
            sys.executable,
            str(path),
            f"-max_total_time={seconds}",
            f"-rss_limit_mb={RSS_LIMIT_MB}",
            f"-timeout={TIMEOUT_PER_INPUT_S}",
            f"-max_len={MAX_LEN}",
            f"-artifact_prefix={ARTIFACT_DIR}/{name}-",
            "-print_final_stats=1",
            str(corpus),
        ]
        try:
            proc = subprocess.run(
                command,
                cwd=FUZZ_DIR,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=seconds * 2 + 120,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or "") + (exc.stderr or "")
            if isinstance(output, bytes):
                output = output.decode(errors="replace")
            print(output[-4000:])
            print(f"  FAILED: {name} did not stop on its own")
            return False, "?", "?"
    output = proc.stdout + proc.stderr
    if verbose:
        print(output)
    new_artifacts = sorted(set(ARTIFACT_DIR.iterdir()) - before)
    passed = proc.returncode == 0 and not new_artifacts
    executions = stat(output, "number_of_executed_units")
    per_second = stat(output, "average_exec_per_sec")
    if not passed:
        if not verbose:
            print(output[-6000:])
        print(f"  FAILED: {name} (exit status {proc.returncode})")
        for artifact in new_artifacts:
            print(f"  finding: {artifact.relative_to(FUZZ_DIR.parent)}")
            print(f"  replay:  {sys.executable} fuzz/{path.name} {artifact}")
    return passed, executions, per_second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds",
        type=int,
        default=20,
        metavar="N",
        help="fuzzing time for EACH harness, in seconds (default 20)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this harness (imageref for fuzz_imageref.py); repeatable",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show libFuzzer's output")
    args = parser.parse_args(argv)
    if args.seconds < 1:
        parser.error("--seconds must be at least 1")

    if importlib.util.find_spec("atheris") is None:
        print(
            "run_all: atheris is not importable in this Python "
            f"({sys.version.split()[0]}); fuzzing SKIPPED. Install it with "
            "`pip install -e '.[fuzz]'` (wheels exist for CPython 3.8-3.12)."
        )
        return 0

    found = harnesses(args.only)
    if not found:
        print("run_all: no fuzz/fuzz_*.py harness found")
        return 1
    print(f"fuzzing {len(found)} harnesses for {args.seconds} s each")
    results = []
    for path in found:
        print(f"- {path.name}", flush=True)
        start = time.monotonic()
        passed, executions, per_second = run_one(path, args.seconds, args.verbose)
        elapsed = time.monotonic() - start
        results.append((path.name, passed, executions, per_second, elapsed))

    print(f"\n{'harness':<24} {'result':<7} {'runs':>10} {'exec/s':>8} {'wall s':>7}")
    for name, passed, executions, per_second, elapsed in results:
        result = "ok" if passed else "FAILED"
        print(f"{name:<24} {result:<7} {executions:>10} {per_second:>8} {elapsed:>7.1f}")
    failed = [name for name, passed, *_ in results if not passed]
    if failed:
        print(f"\nfuzzing found problems in: {', '.join(failed)} (see fuzz/artifacts/)")
        return 1
    print("\nfuzzing found nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
