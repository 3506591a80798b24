"""Time the real workloads (benchmarks/workloads.py): each implementation in a fresh process.

    python benchmarks/workload_rate.py                        # rescan + first sightings
    python benchmarks/workload_rate.py --rounds 7 --extra before=OLD_SRC
    python benchmarks/workload_rate.py --cliff                # passes over 1k..100k

A round starts one fresh interpreter per implementation (in an order that rotates
from round to round), which builds the corpus, then times passes over it: pass 1
is what a new process pays (for imageref, every cache starts empty), passes 2 and 3
parse the same references again in the same process. The clock is the child's CPU
time (``time.process_time_ns``), the garbage collector is on (as in real use); the
figure is the median over the rounds, in microseconds per reference.

Implementations: ``imageref`` (this checkout), ``--extra LABEL=DIR`` (the imageref
package in DIR), and each installed peer: backend.ai-common's ``ImageRef(value,
known)``, the docker SDK's ``parse_repository_tag`` (a bare split), oras'
``Container`` and docker-image-py's ``parse_normalized_named``.

``--cliff``: passes 1 to 3 over first-sighting catalogues of 1,000, 4,000, 20,000
and 100,000 references (imageref only, plus backend.ai-common when installed).
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

PEERS = {
    "backend.ai-common": ("ai.backend.common.docker", "ImageRef", True),
    "docker SDK": ("docker.utils", "parse_repository_tag", False),
    "oras": ("oras.container", "Container", False),
    "docker-image-py": ("docker_image.reference", "Reference.parse_normalized_named", False),
}


def _callable(impl: str) -> tuple[Any, bool]:
    """The parsing callable of *impl*, and whether it takes known_registries."""
    import importlib

    if impl == "imageref" or impl.startswith("imageref="):
        src = impl.partition("=")[2] or str(ROOT / "src")
        sys.path.insert(0, src)
        from imageref import ImageRef

        return ImageRef, True
    module, attr, known = PEERS[impl]
    found: Any = importlib.import_module(module)
    for part in attr.split("."):
        found = getattr(found, part)
    return found, known


def child(impl: str, workload: str, seed: int, size: int, passes: int) -> None:
    """Print the µs per reference of each pass (JSON) for one implementation."""
    import warnings

    sys.path.insert(0, str(HERE))
    import workloads

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fn, takes_known = _callable(impl)
    make = {
        "rescan": workloads.rescan,
        "first": workloads.first_sightings,
        "catalogue": workloads.catalogue,
    }[workload]
    values = make(size, seed)
    known = workloads.KNOWN
    out = []
    for _ in range(passes):
        if takes_known:
            start = time.process_time_ns()
            for value in values:
                fn(value, known)
        else:
            start = time.process_time_ns()
            for value in values:
                fn(value)
        out.append((time.process_time_ns() - start) / len(values) / 1e3)
    print(json.dumps(out))


def _run_child(python: str, impl: str, workload: str, seed: int, size: int, passes: int) -> Any:
    proc = subprocess.run(
        [python, __file__, "--child", impl, workload, str(seed), str(size), str(passes)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        return None
    return json.loads(proc.stdout)


def available(python: str, impls: list[str]) -> list[str]:
    found = []
    for impl in impls:
        code = f"import sys; sys.argv=['x']; sys.path.insert(0, {str(HERE)!r});"
        code += f"import workload_rate as w; w._callable({impl!r})"
        proc = subprocess.run([python, "-c", code], capture_output=True, check=False)
        if proc.returncode == 0:
            found.append(impl)
        else:
            print(f"note: {impl} not available", file=sys.stderr)
    return found


def measure(
    impls: list[str], workloads: list[tuple[str, int]], rounds: int, seed: int, passes: int = 3
) -> dict[str, dict[str, list[float]]]:
    """{workload@size: {impl: [median µs of pass 1, 2, 3]}} over *rounds* interleaved rounds."""
    python = sys.executable
    samples: dict[tuple[str, str], list[list[float]]] = {}
    for i in range(rounds):
        for workload, size in workloads:
            shift = i % len(impls)
            for impl in impls[shift:] + impls[:shift]:
                got = _run_child(python, impl, workload, seed, size, passes)
                if got is not None:
                    samples.setdefault((f"{workload}@{size}", impl), []).append(got)
        print(f"  round {i + 1}/{rounds} done", file=sys.stderr)
    results: dict[str, dict[str, list[float]]] = {}
    for (case, impl), runs in samples.items():
        results.setdefault(case, {})[impl] = [
            statistics.median(run[k] for run in runs) for k in range(passes)
        ]
    return results


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["--child"]:
        impl, workload, seed, size, passes = args_in[1:6]
        child(impl, workload, int(seed), int(size), int(passes))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seed", type=int, default=0, help="added to each corpus' own seed")
    p.add_argument("--size", type=int, default=20_000)
    p.add_argument("--extra", action="append", default=[], metavar="LABEL=DIR")
    p.add_argument("--no-peers", action="store_true")
    p.add_argument("--cliff", action="store_true", help="passes over catalogues of 1k..100k")
    p.add_argument("--json", type=Path)
    args = p.parse_args(args_in)
    impls = ["imageref", *[f"imageref={spec.partition('=')[2]}" for spec in args.extra]]
    labels = {"imageref": "imageref"}
    for spec in args.extra:
        labels[f"imageref={spec.partition('=')[2]}"] = spec.partition("=")[0]
    if args.cliff:
        peers = [] if args.no_peers else ["backend.ai-common"]
        work = [("catalogue", n) for n in (1_000, 4_000, 20_000, 100_000)]
        work.append(("first", args.size))
    else:
        peers = [] if args.no_peers else list(PEERS)
        work = [("rescan", args.size), ("first", args.size)]
    impls = available(sys.executable, impls + peers)
    seeds = {"rescan": 12, "first": 11, "catalogue": 13}
    results: dict[str, dict[str, list[float]]] = {}
    for workload, size in work:
        got = measure(impls, [(workload, size)], args.rounds, seeds[workload] + args.seed)
        results.update(got)
    print(f"\nPython {sys.version.split()[0]}; µs per reference, medians of {args.rounds} rounds")
    print("(fresh process per implementation and round; passes 1 / 2 / 3 in one process)\n")
    for case, row in results.items():
        base = row.get("imageref", [None])[0]
        for impl, figures in row.items():
            ratio = f"  ({figures[0] / base:.2f}x imageref's pass 1)" if base else ""
            shown = " / ".join(f"{v:.3f}" for v in figures)
            print(f"{case:18} {labels.get(impl, impl):22} {shown}{ratio}")
    if args.json:
        args.json.write_text(json.dumps({"python": sys.version.split()[0], "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
