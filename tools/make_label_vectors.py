"""Record the reference implementation's answers on image labels as test vectors.

The reference is Backend.AI's ``backend.ai-common`` 24.3.0rc3, driven strictly as a black box
through its public API (``ai.backend.common.docker.validate_image_labels`` and
``ai.backend.common.service_ports.parse_service_ports``). This script is only ever run by a
developer, inside a virtual environment that has the reference installed; the package and its
tests never import it::

    python3.12 -m venv .ref-venv
    .ref-venv/bin/pip install backend.ai-common==24.3.0rc3
    .ref-venv/bin/python tools/make_label_vectors.py

It does not import imageref either: which contract divergence (D11, D12, D13) a record falls
under is decided here from the contract's own words, so the tests check imageref against it.

The corpus is deterministic: a seeded ``random.Random`` builds realistic label sets (compute,
inference, system and customized images) and breaks them in counted ways.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import random
import re
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

# The one-record-per-line JSON writer of the reference vectors (same folder).
from make_reference_vectors import write_vectors

SEED = 20240310
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "tests/data/backendai_24_03_label_vectors.json"
)
REFERENCE_PACKAGE = "backend.ai-common"
REFERENCE_VERSION = "24.3.0rc3"
COMMAND = (
    "python3.12 -m venv .ref-venv && .ref-venv/bin/pip install backend.ai-common==24.3.0rc3"
    " && .ref-venv/bin/python tools/make_label_vectors.py"
)

K = "ai.backend."
KERNELSPEC, FEATURES, DISTRO = K + "kernelspec", K + "features", K + "base-distro"
RTYPE, RPATH, ROLE = K + "runtime-type", K + "runtime-path", K + "role"
CORECOUNT, ACCEL, SPORTS = K + "envs.corecount", K + "accelerators", K + "service-ports"
EPORTS, MPATH, MFORMAT = K + "endpoint-ports", K + "model-path", K + "model-format"
INFERENCE_LABELS = (EPORTS, MPATH, MFORMAT)

# ---------------------------------------------------------------------------------------------
# The contract's service-ports grammar, to classify records (not imageref's code)
# ---------------------------------------------------------------------------------------------

# The contract's entry: ASCII name (D13), word protocol, a decimal port or a bracketed list.
STRICT_ENTRY = re.compile(r"[A-Za-z0-9_-]+:[A-Za-z0-9_]+:(?:[0-9]+|\[[0-9]+(?:,[0-9]+)*\])")
# The same with Unicode word characters and digits, as the reference reads it.
LENIENT_ENTRY = re.compile(r"[\w-]+:\w+:(?:\d+|\[\d+(?:,\d+)*\])")


def bracket_split(text: str) -> list[str]:
    """Entries of a service-ports label, a bracketed list kept whole (D11)."""
    out, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            out.append("".join(current))
            current = []
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        current.append(char)
    out.append("".join(current))
    return out


def divergences(text: str | None, *, as_list: bool = False) -> list[str]:
    """Which of D11, D12, D13 apply to a service-ports label (text, or a list's entries)."""
    if text is None:
        return []
    found = set()
    entries = bracket_split(text) if not as_list else json.loads(text)
    if not as_list and entries != text.split(","):
        found.add("D11")
    for index, entry in enumerate(entries):
        if entry == "" and index == len(entries) - 1:
            continue
        if STRICT_ENTRY.fullmatch(entry):
            continue
        found.add("D13" if LENIENT_ENTRY.fullmatch(entry) else "D12")
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------

GOOD_PORT_ENTRIES = [
    "ipython:pty:3000",
    "jupyter:http:8081",
    "jupyterlab:http:8090",
    "vscode:http:8180",
    "tensorboard:http:6006",
    "mlflow-ui:preopen:5000",
    "nniboard:preopen:8080",
    "sftp:tcp:22022",
    "ttyd:http:7682",
    "h2o-dai:http:12345",
    "digits:http:5001",
    "spark_ui:http:4040",
    "rstudio:http:8787",
    "multi:tcp:[5100,5105]",
    "mpi:tcp:[30000,30001,30002]",
    "api:preopen:[8000]",
    "grpc:tcp:09090",
]
BAD_PORT_ENTRIES = [
    "ssh:tcp:22",  # root port
    "x:tcp:1024",
    "x:tcp:65535",
    "x:tcp:99999",
    "x:tcp:2000",
    "x:tcp:2003",
    "x:tcp:2200",
    "x:tcp:7681",
    "x:udp:5555",
    "x:TCP:5556",
    "x:tcp6:5557",
    "x:_:5558",
    "x:tcp:0",
    "x:tcp:[1,2]",
    "x:http:[5559,80]",
]
MALFORMED_ENTRIES = [
    "x:tcp",
    "x::5560",
    ":tcp:5561",
    "x:tcp:",
    "x:tcp:abc",
    "x y:tcp:5562",
    "x.y:tcp:5563",
    "x:tcp:5564:1",
    " x:tcp:5565",
    "x:tcp:5566 ",
    "x:tcp:+5567",
    "x:tcp:[]",
    "x:tcp:[5568,]",
    "x:tcp:[ 5569]",
    "x:t-cp:5570",
    "x:tcp:[5571",
    "x:tcp:5572]",
    "x:pty:abc",
    "x:tcp:5573\n",
    "jupyter",
    "",
]
NON_ASCII_ENTRIES = ["\u00e9t\u00e9:tcp:5574", "x:tcp:\u0665\u0660\u0660\u0660", "\ufb01:http:5575"]

KERNELSPEC_VALUES = [
    "1",
    " 1",
    "+1",
    "01",
    "1 ",
    "\t1\n",
    "0001",
    "1_0",
    "2",
    "0",
    "-1",
    "1.0",
    "",
    "x",
    "0x1",
    "\u0661",
    "1\x00",
    "9" * 30,
    "0" * 5000 + "1",
]
FEATURE_VALUES = [
    "batch query uid-match user-input",
    "batch",
    "uid-match",
    "",
    " ",
    "a  b",
    " a",
    "a ",
    "a\tb",
    "batch query",
    "operation-mode-v2 batch",
    "\u00fcber",
]
DISTRO_VALUES = ["ubuntu16.04", "ubuntu22.04", "alpine3.8", "centos7.6", "", " ", "\u00e9"]
RTYPE_VALUES = ["python", "app", "r", "julia", "lua", "", " "]
RPATH_VALUES = [
    "/usr/bin/python3",
    "/opt/conda/bin/python",
    "",
    "relative/path",
    "//x",
    "/a//b/",
    "/usr/local/bin/julia",
    "/\x00/x",
    ".",
]
ROLE_VALUES = ["COMPUTE", "INFERENCE", "SYSTEM", "compute", "", "Inference", " COMPUTE"]
LIST_VALUES = [
    "",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS,OMP_NUM_THREADS,NPROC",
    "A,,B",
    "cuda",
    "cuda,rocm",
    "cuda, rocm",
    ",",
]
EXTRA_LABELS = {
    "maintainer": ["Lablup Inc.", "", "x" * 300],
    "com.nvidia.cudnn.version": ["8.9.0"],
    "org.opencontainers.image.ref.name": ["ubuntu"],
    "ai.backend.resource.min.cpu": ["1", "0.5"],
    "ai.backend.resource.min.mem": ["1g", "256m", ""],
    "ai.backend.resource.min.cuda.device": ["1"],
    "ai.backend.resource.min.cuda.shares": ["0.1"],
    "ai.backend.customized-image.owner": ["user:3f7c8e2a-0b7e-4d2b-9a8e-000000000001"],
    "ai.backend.customized-image.name": ["my-env", ""],
    "ai.backend.customized-image.id": ["0a3f-4411"],
    "ai.backend.customized-image.user.email": ["user@example.com"],
    "ai.backend.envs.something": ["x"],
    "ai.backend.unknown": ["anything, really"],
}


def service_ports_text(rng: random.Random, *, broken: int, valid_only: bool = False) -> str:
    """A service-ports label of a few entries, *broken* of them bad (kind chosen at random)."""
    count = rng.randint(1, 7)
    pool = list(GOOD_PORT_ENTRIES)
    rng.shuffle(pool)
    entries = pool[:count]
    for _ in range(broken):
        kind = rng.random()
        if valid_only or kind < 0.45:
            bad = rng.choice(BAD_PORT_ENTRIES)
        elif kind < 0.85:
            bad = rng.choice(MALFORMED_ENTRIES)
        else:
            bad = rng.choice(NON_ASCII_ENTRIES)
        entries.insert(rng.randint(0, len(entries)), bad)
    if broken and rng.random() < 0.2:  # a port used twice
        entries.append("dup:tcp:" + rng.choice(["8081", "8090", "5000", "30001"]))
    text = ",".join(entries)
    if rng.random() < 0.15:
        text += ","
    return text


def base_labels(rng: random.Random, kind: str) -> dict[str, str]:
    labels = {
        KERNELSPEC: "1",
        FEATURES: rng.choice(["batch query uid-match user-input", "batch uid-match", "query"]),
        DISTRO: rng.choice(["ubuntu16.04", "ubuntu20.04", "ubuntu22.04", "alpine3.8"]),
        RTYPE: rng.choice(["python", "app"]),
        RPATH: rng.choice(["/usr/bin/python3", "/opt/conda/bin/python3", "/bin/true"]),
    }
    if rng.random() < 0.6:
        labels[CORECOUNT] = rng.choice(LIST_VALUES[1:4])
    if rng.random() < 0.5:
        labels[ACCEL] = rng.choice(["cuda", "cuda,rocm", "tpu"])
    if kind == "inference":
        labels[ROLE] = "INFERENCE"
        names = rng.sample(["api", "grpc-api", "openai", "metrics"], rng.randint(1, 2))
        ports = [f"{name}:preopen:{8000 + i}" for i, name in enumerate(names)]
        ports.append("web:http:8090")
        rng.shuffle(ports)
        labels[SPORTS] = ",".join(ports)
        labels[EPORTS] = ",".join(names)
        labels[MPATH] = rng.choice(["/models/llama", "/models", ""])
        labels[MFORMAT] = rng.choice(["onnx", "safetensors", "gguf"])
    else:
        if kind == "system":
            labels[ROLE] = "SYSTEM"
        elif rng.random() < 0.3:
            labels[ROLE] = "COMPUTE"
        if rng.random() < 0.85:
            labels[SPORTS] = service_ports_text(rng, broken=0)
        if kind == "customized":
            for key in EXTRA_LABELS:
                if key.startswith("ai.backend.customized-image."):
                    labels[key] = EXTRA_LABELS[key][0]
    for key in rng.sample(sorted(EXTRA_LABELS), rng.randint(0, 5)):
        labels[key] = rng.choice(EXTRA_LABELS[key])
    items = list(labels.items())
    rng.shuffle(items)
    return dict(items)


def break_labels(rng: random.Random, labels: dict[str, str]) -> set[str]:
    """Break one label of *labels* in place; the labels whose answer this may change."""
    inference = labels.get(ROLE) == "INFERENCE"
    target = rng.choice(
        [KERNELSPEC, FEATURES, DISTRO, RTYPE, RPATH, ROLE, CORECOUNT, ACCEL, SPORTS, SPORTS]
        + ([EPORTS, MPATH, MFORMAT, EPORTS] if inference else [])
    )
    touched = {target}
    if target in (ROLE, SPORTS) or (target == EPORTS and inference):
        touched |= {SPORTS, *INFERENCE_LABELS}
    choice = rng.random()
    if choice < 0.12 and target != ROLE:
        labels.pop(target, None)
        return touched
    values = {
        KERNELSPEC: KERNELSPEC_VALUES,
        FEATURES: FEATURE_VALUES,
        DISTRO: DISTRO_VALUES,
        RTYPE: RTYPE_VALUES,
        RPATH: RPATH_VALUES,
        ROLE: ROLE_VALUES,
        CORECOUNT: LIST_VALUES,
        ACCEL: LIST_VALUES,
        EPORTS: ["", "api,", ",api", "nope", "web", "api,api", "api,web", "metrics"],
        MPATH: RPATH_VALUES,
        MFORMAT: ["", "onnx", " "],
    }.get(target)
    if values is not None:
        labels[target] = rng.choice(values)
    elif inference:
        entries = labels.get(SPORTS, "").split(",")
        entries.insert(rng.randint(0, len(entries)), service_ports_text(rng, broken=1))
        labels[SPORTS] = ",".join(entries)
    else:
        labels[SPORTS] = service_ports_text(rng, broken=rng.randint(1, 3))
    return touched


# ---------------------------------------------------------------------------------------------
# Asking the reference
# ---------------------------------------------------------------------------------------------


class Reference:
    def __init__(self) -> None:
        from ai.backend.common.docker import validate_image_labels
        from ai.backend.common.service_ports import parse_service_ports

        self.validate_image_labels = validate_image_labels
        self.parse_service_ports = parse_service_ports


def encode(value: Any) -> Any:
    """A validated value as JSON: paths as {"path": text}."""
    if isinstance(value, PurePosixPath):
        return {"path": str(value)}
    return value


def error_labels(exc: Exception) -> list[str]:
    """The labels a reference error names: a DataError's keys, else by its message."""
    as_dict = getattr(exc, "as_dict", None)
    if as_dict is not None:
        answer = as_dict()
        return sorted(answer) if isinstance(answer, dict) else ["<input>"]
    if "endpoint-port" in str(exc):
        return [EPORTS]
    return [SPORTS]


def validate_record(ref: Reference, labels: dict[str, str], touched: Iterable[str]) -> Any:
    record: dict[str, Any] = {"labels": labels}
    try:
        result = ref.validate_image_labels(labels)
    except ValueError as exc:
        record["error"] = {"class": type(exc).__name__, "labels": error_labels(exc)}
        record["touched"] = sorted(set(touched))
    else:
        record["result"] = [[key, encode(value)] for key, value in result.items()]
    found = divergences(labels.get(SPORTS))
    if found:
        record["divergence"] = found
        text = labels[SPORTS]
        endpoints = labels.get(EPORTS, "")
        try:
            ref.parse_service_ports(text, endpoints)
        except ValueError:
            record["parse_service_ports"] = "error"
        else:
            record["parse_service_ports"] = "ok"
    return record


def service_ports_record(ref: Reference, text: Any, endpoints: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"text": text, "endpoints": endpoints}
    try:
        result = ref.parse_service_ports(text, endpoints)
    except ValueError as exc:
        record["error"] = type(exc).__name__
    else:
        record["result"] = [
            {
                "name": item["name"],
                "protocol": item["protocol"].value,
                "container_ports": list(item["container_ports"]),
                "host_ports": list(item["host_ports"]),
                "is_inference": item["is_inference"],
            }
            for item in result
        ]
    if isinstance(text, list):
        found = divergences(json.dumps(text), as_list=True)
    else:
        found = divergences(text)
    if found:
        record["divergence"] = found
    return record


def build_validate(ref: Reference, rng: random.Random, count: int) -> list[Any]:
    out = []
    kinds = ["compute", "compute", "inference", "system", "customized"]
    for index in range(count):
        labels = base_labels(rng, kinds[index % len(kinds)])
        touched: set[str] = set()
        if index % 3:
            for _ in range(1 if index % 3 == 1 else rng.randint(2, 4)):
                touched |= break_labels(rng, labels)
        out.append(validate_record(ref, labels, touched))
    # Edges the contract leaves open, each on a valid compute image.
    base = {
        KERNELSPEC: "1",
        FEATURES: "batch",
        DISTRO: "ubuntu22.04",
        RTYPE: "python",
        RPATH: "/usr/bin/python3",
    }
    edges: list[dict[str, str]] = [{}, dict(base)]
    edges += [dict(base, **{SPORTS: text}) for text in EDGE_SERVICE_PORTS]
    edges += [dict(base, **{KERNELSPEC: text}) for text in KERNELSPEC_VALUES]
    edges += [dict(base, **{FEATURES: text}) for text in FEATURE_VALUES]
    inference = dict(
        base,
        **{
            ROLE: "INFERENCE",
            SPORTS: "api:preopen:8000,web:http:8090",
            EPORTS: "api",
            MPATH: "/models",
            MFORMAT: "onnx",
        },
    )
    edges += [dict(inference, **{SPORTS: text}) for text in EDGE_INFERENCE_PORTS]
    edges += [dict(inference, **{EPORTS: text}) for text in EDGE_ENDPOINTS]
    edges += [{k: v for k, v in inference.items() if k != label} for label in INFERENCE_LABELS]
    edges.append({k: v for k, v in inference.items() if k not in INFERENCE_LABELS})
    edges.append(dict(base, **{EPORTS: "", MPATH: "x", MFORMAT: ""}))  # not INFERENCE: extras
    for labels in edges:
        touched = set(labels) | {
            SPORTS,
            *INFERENCE_LABELS,
            KERNELSPEC,
            FEATURES,
            DISTRO,
            RTYPE,
            RPATH,
            ROLE,
        }
        out.append(validate_record(ref, labels, touched))
    return out


EDGE_SERVICE_PORTS = [
    "",
    ",",
    ",,",
    "a:tcp:5000,",
    "a:tcp:5000,,",
    ",a:tcp:5000",
    "a:pty:80",
    "a:pty:[1,2]",
    "a:tcp:5000,b:pty:5000",
    "a:pty:5000,b:tcp:5000",
    "a:tcp:5000,a:http:5001",
    "a:tcp:[5000,5000]",
    "multi:tcp:[5100,5105]",
    "a:tcp:[5100,5105],b:tcp:5105",
    "a:tcp:[5100,5105",
    "a:tcp:5100,5105]",
    "a:tcp:05000",
    "-:tcp:5000",
    "_:tcp:5000",
    "9:tcp:5000",
    "a:tcp:1025",
    "a:tcp:65534",
    "a:tcp:2004",
    "a:tcp:7680",
    "a:tcp:7682",
    "a:tcp:" + "0" * 4290 + "5000",
    "a:tcp:" + "0" * 4301 + "5000",
    "a:tcp:" + "9" * 50,
    ",".join(f"p{i}:tcp:{10000 + i}" for i in range(300)),
]
EDGE_INFERENCE_PORTS = [
    "api:pty:8000",
    "api:tcp:8000",
    "api:http:8000",
    "api:preopen:[8000,8001]",
    "api:tcp:8000,api:preopen:8001",
    "api:preopen:8000,api:tcp:8001",
    "api:pty:8000,api:preopen:8001",
    "api:preopen:8000,",
    "api:preopen:80",
    "bad,api:preopen:8000",
]
EDGE_ENDPOINTS = ["", "api,", ",api", "api,api", "nope", "web", "api,web", " api", "API"]


def build_service_ports(ref: Reference, rng: random.Random, count: int) -> list[Any]:
    out = [
        service_ports_record(ref, text, endpoints)
        for text in EDGE_SERVICE_PORTS
        for endpoints in ("", "a,multi")
    ]
    for text, endpoints in [
        (["a:tcp:5000", "b:tcp:[5001,5002]"], ["b"]),
        (["a:tcp:5000", ""], []),
        ([], []),
        ([""], ""),
        (["a:tcp:5000", "bad"], []),
        (["", "a:tcp:5000"], []),
        (["a:tcp:5000,b:tcp:5001"], []),
        (["a:tcp:5000", "a:pty:5000"], ("a",)),
        ("a:tcp:5000,b:tcp:5001", ["a"]),
        ("a:tcp:5000,b:tcp:5001", "a, b"),
        ("a:tcp:5000", "a:tcp:5000"),
    ]:
        out.append(service_ports_record(ref, text, endpoints))
    for _ in range(count):
        broken = rng.choice([0, 0, 1, 2])
        text = service_ports_text(rng, broken=broken)
        names = [entry.partition(":")[0] for entry in text.split(",")]
        endpoints = ",".join(rng.sample(names, min(len(names), rng.randint(0, 2))))
        out.append(service_ports_record(ref, text, endpoints))
    return out


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


SCHEMA = {
    "validate": "{labels, result | error, touched?, divergence?, parse_service_ports?}: "
    "validate_image_labels(labels). result is [[key, value], ...] in the reference's key "
    'order, a PurePosixPath as {"path": text}. error is {class, labels}: the labels the '
    "reference named (a DataError's keys; for its plain ValueError, endpoint-ports or "
    "service-ports by its message; <input> when the input was not a dict); it stops at its "
    "first failing step, so these are a subset of every problem. touched: the labels the "
    "generator changed and those whose answer depends on them (a bound on every problem). "
    "divergence: the contract divergences (D11, D12, D13) that apply to the service-ports "
    "label, decided from the contract's grammar; then parse_service_ports is ok | error: the "
    "reference's parse_service_ports(service-ports, endpoint-ports or '') on the same text",
    "service_ports": "{text, endpoints, result | error, divergence?}: parse_service_ports("
    "text, endpoints); text and endpoints are a str or a list; result items with protocol as "
    "its value and ports as lists",
}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cases", type=int, default=1500, help="generated label sets")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(None if argv is None else list(argv))

    installed = importlib.metadata.version(REFERENCE_PACKAGE)
    if installed != REFERENCE_VERSION:
        print(
            f"expected {REFERENCE_PACKAGE}=={REFERENCE_VERSION}, found {installed}", file=sys.stderr
        )
        return 2
    ref = Reference()
    rng = random.Random(args.seed)
    validate = build_validate(ref, rng, args.cases)
    service_ports = build_service_ports(ref, rng, args.cases // 2)
    header: dict[str, Any] = {
        "format": "imageref-label-vectors/1",
        "reference": {
            "package": REFERENCE_PACKAGE,
            "version": installed,
            "trafaret": importlib.metadata.version("trafaret"),
            "python": platform.python_version(),
        },
        "command": COMMAND,
        "seed": args.seed,
        "notes": [
            "Generated by tools/make_label_vectors.py; do not edit by hand.",
            "Records on which the contract diverges (D11, D12, D13) are kept and marked.",
        ],
        "schema": SCHEMA,
        "counts": {
            "validate": len(validate),
            "validate_errors": sum("error" in record for record in validate),
            "validate_divergent": sum("divergence" in record for record in validate),
            "service_ports": len(service_ports),
            "service_ports_errors": sum("error" in record for record in service_ports),
        },
    }
    write_vectors(args.output, header, {"validate": validate, "service_ports": service_ports})
    print(f"wrote {args.output} ({header['counts']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
