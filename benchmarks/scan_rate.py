"""First sightings by shape, and a registry scan in bulk: imageref side by side with Backend.AI.

    python benchmarks/scan_rate.py --ref-python PATH              # every case, 5 rounds
    python benchmarks/scan_rate.py --ref-python PATH --cases known,scan --rounds 7

``PATH`` is a Python with backend.ai-common 24.3.0rc3 installed (``ai.backend.common.docker``);
imageref's children run on it too (this checkout's ``src`` first on ``sys.path``), so both
sides share one interpreter. A round starts one fresh process per (case, implementation),
in an order that rotates from round to round; each process builds its corpus, then times
two passes over it (CPU time, ``time.process_time_ns``, garbage collector on): pass 1 is
a first sighting of everything (imageref's tables and the reference's caches start
empty), pass 2 a repeat in the same process. The figure is the median over the rounds
(and the range), in microseconds per reference; the ratio is the reference's median over
imageref's. By default each ref is dropped as soon as it is made; ``--keep`` keeps them
all in a list, as a scanner does (then each side also pays for the objects it keeps
alive: backend.ai-common's refs are far larger, and the garbage collector walks them).

Cases (``benchmarks/workloads.py``; ``--seed`` adds to every corpus' seed):

- ``known``, ``hub``, ``ipv4``, ``ipv6``: 20,000 first sightings of one shape
  (``shape_sightings``);
- ``mixed``: 20,000 first sightings, half on a configured registry (``mixed_sightings``);
- ``scan``: 300 repositories listed with their tags (``scan``: each tag new for its
  repository, platform suffixes shared), about 18,000 references.

Implementations: ``ref`` (``ImageRef(value, known)`` of backend.ai-common, one by one;
for ``scan``, ``ImageRef(f"{repository}:{tag}", known)``), imageref's ``ctor`` (the same
call), ``parser`` (``ImageRefParser(known).parse``, default memo), ``many``
(``parse_many`` of the whole list) and ``tags`` (``parse_tags`` per repository; ``scan``
only).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES = ("known", "hub", "ipv4", "ipv6", "mixed", "scan")
IMPLS = ("ref", "ctor", "parser", "many", "tags")


def _corpus(case: str, seed: int) -> list[tuple[str, list[str]]]:
    """The case's references as ``(repository, tags)`` pairs (one tag each but for scan)."""
    sys.path.insert(0, str(HERE))
    import workloads

    if case == "scan":
        return workloads.scan(300, 23 + seed)
    if case == "mixed":
        values = workloads.mixed_sightings(20_000, 22 + seed)
    else:
        values = workloads.shape_sightings(case, 20_000, 21 + seed)
    return [(head, [tag]) for head, _, tag in (value.rpartition(":") for value in values)]


def child(impl: str, case: str, seed: int, keep: bool) -> None:
    """Print the µs per reference of passes 1 and 2 (JSON) for one implementation."""
    import warnings

    sys.path.insert(0, str(HERE))
    import workloads

    known = workloads.KNOWN
    pairs = _corpus(case, seed)
    values = [f"{repository}:{tag}" for repository, tags in pairs for tag in tags]
    # With --keep, every loop keeps what it made, as a scanner does (so each side pays
    # for the objects it keeps alive, the garbage collector's share included); else
    # each object is dropped as soon as it is made (as the issue measured).
    if impl == "ref":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ai.backend.common.docker import ImageRef as Reference

        def run() -> list[Any]:
            if keep:
                return [
                    Reference(f"{repository}:{tag}", known)
                    for repository, tags in pairs
                    for tag in tags
                ]
            for repository, tags in pairs:
                for tag in tags:
                    Reference(f"{repository}:{tag}", known)
            return []

    else:
        sys.path.insert(0, str(ROOT / "src"))
        from imageref import ImageRef, ImageRefParser

        parser = ImageRefParser(known)

        def run() -> list[Any]:
            if impl == "many":  # the list it returns is kept or dropped
                made = parser.parse_many(
                    [f"{repository}:{tag}" for repository, tags in pairs for tag in tags]
                )
                return made if keep else []
            if impl == "tags":
                parse_tags = parser.parse_tags
                if keep:
                    return [parse_tags(repository, tags) for repository, tags in pairs]
                for repository, tags in pairs:
                    parse_tags(repository, tags)
                return []
            if impl == "parser":
                parse = parser.parse
                if keep:
                    return [
                        parse(f"{repository}:{tag}") for repository, tags in pairs for tag in tags
                    ]
                for repository, tags in pairs:
                    for tag in tags:
                        parse(f"{repository}:{tag}")
                return []
            # The constructor is called as backend.ai-common's is above (positionally).
            if keep:
                return [
                    ImageRef(f"{repository}:{tag}", known)
                    for repository, tags in pairs
                    for tag in tags
                ]
            for repository, tags in pairs:
                for tag in tags:
                    ImageRef(f"{repository}:{tag}", known)
            return []

    out = []
    for _ in range(2):
        start = time.process_time_ns()
        made = run()
        out.append((time.process_time_ns() - start) / len(values) / 1e3)
        del made
    print(json.dumps(out))


def _run(python: str, impl: str, case: str, seed: int, keep: bool) -> list[float] | None:
    proc = subprocess.run(
        [python, __file__, "--child", impl, case, str(seed), "keep" if keep else "drop"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        print(f"note: {impl} on {case} failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    result: list[float] = json.loads(proc.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["--child"]:
        child(args_in[1], args_in[2], int(args_in[3]), args_in[4] == "keep")
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ref-python", default=sys.executable, help="a Python with backend.ai-common")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--impls", default=",".join(IMPLS))
    p.add_argument("--keep", action="store_true", help="keep every ref made (as a scanner)")
    p.add_argument("--json", type=Path)
    args = p.parse_args(args_in)
    cases = args.cases.split(",")
    impls = args.impls.split(",")
    samples: dict[tuple[str, str], list[list[float]]] = {}
    for i in range(args.rounds):
        for case in cases:
            todo = [impl for impl in impls if impl != "tags" or case == "scan"]
            shift = i % len(todo)
            for impl in todo[shift:] + todo[:shift]:
                got = _run(args.ref_python, impl, case, args.seed, args.keep)
                if got is not None:
                    samples.setdefault((case, impl), []).append(got)
        print(f"  round {i + 1}/{args.rounds} done", file=sys.stderr)
    version = subprocess.run(
        [args.ref_python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"\nPython {version}; µs per reference, median [range] of {args.rounds} fresh processes")
    print("pass 1 (first sighting) / pass 2 (repeat); ratio = reference / imageref")
    print("refs kept (a list per pass)\n" if args.keep else "refs dropped as made\n")
    results: dict[str, Any] = {}
    for case in cases:
        ref = samples.get((case, "ref"))
        for impl in impls:
            runs = samples.get((case, impl))
            if not runs:
                continue
            row = []
            for k in range(2):
                figures = [run[k] for run in runs]
                med = statistics.median(figures)
                ratio = statistics.median(run[k] for run in ref) / med if ref else float("nan")
                row.append(
                    {"median": med, "min": min(figures), "max": max(figures), "ratio": ratio}
                )
            results.setdefault(case, {})[impl] = row
            shown = "  /  ".join(
                f"{r['median']:.3f} [{r['min']:.2f}-{r['max']:.2f}] {r['ratio']:.2f}x" for r in row
            )
            print(f"{case:7} {impl:7} {shown}")
    if args.json:
        args.json.write_text(json.dumps({"python": version, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
