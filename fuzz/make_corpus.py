#!/usr/bin/env python3
"""(Re)write the seed corpora of the harnesses in this folder from the contract's
examples and the recorded reference vectors (``tests/data/backendai_24_03_vectors.json``,
``backendai_24_03_label_vectors.json`` for ``labels``, BuildKit's word vectors for ``shell``).

    python fuzz/make_corpus.py

Deterministic: the same inputs give the same files (named by the SHA-1 of their
bytes). It rewrites ``fuzz/corpus/{imageref,parser,platform_tags,cli,labels,shell}/`` only; other
harnesses (``oci``, ``v2609``) keep their own corpora. The byte layout of each seed is the one
its harness reads (see ``_common.py``): a selector byte, then UTF-8 text.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
VECTORS = ROOT / "tests" / "data" / "backendai_24_03_vectors.json"
LABEL_VECTORS = ROOT / "tests" / "data" / "backendai_24_03_label_vectors.json"
SHELL_VECTORS = ROOT / "tests" / "data" / "buildkit-shell-words.json"
SHELL_RECORDED = ROOT / "tests" / "data" / "buildkit_shell_recorded.json"
PER_HARNESS = 48

# (reference, selector): selector 0 = no known registries, 1 = the first path component
# is known, 2 = ["*"], 5 = Docker Hub names known (see _common.CONFIG_NAMES).
CONTRACT_EXAMPLES = [
    ("myregistry.org/lua", 0),
    ("myregistry.org/lua", 1),
    ("myregistry.org:999/mybase/python:3.6-cuda9-ubuntu", 1),
    ("127.0.0.1:5000/python:3.6-cuda9-ubuntu", 0),
    ("[::1]:5000/python:3.6-cuda9-ubuntu", 0),
    ("[212c:9cb9:eada:e57b:84c9:6a9:fbec:bdd2]:1024/python", 0),
    ("[fe80::1%25eth0]:5000/python:3.6", 0),
    ("::1/python:3.6-cuda9-ubuntu", 0),
    ("docker.io/x:1", 5),
    ("docker.io/x:1", 2),
    ("foo:bar:baz", 0),
    ("localhost:5000/python", 0),
    ("c:gcc6.3-alpine3.8", 8 * 2),
    ("a:!", 0),
    ("127.0.0.1:5000/a:-x-", 0),
    ("http://127.0.0.1:5000/xyz", 0),
    ("//127.0.0.1:5000/xyz", 0),
    ("python:", 0),
    (":3.6", 0),
    ("python:3.6--ubuntu", 0),
    ("python:3.6-ubuntu-", 0),
    ("python:3.6-py3-py3", 0),
    ("lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0", 0),
    ("cr.backend.ai/stable/python:3.9-ubuntu20.04", 1),
    ("python:3.6\n", 0),
    ("/python", 0),
    ("a//b", 0),
    ("user@1.2.3.4/x", 0),
    ("1.2.3.4:65536/x", 0),
    ("python@sha256:" + "a" * 64, 0),
]
CONTRACT_PLATFORM_TAGS = [
    "py36",
    "ubuntu16.04",
    "mkl2018.3",
    "myplatform9b1",
    "other",
    "cuda_12",
    "_a",
    "x1y",
    "1234",
    "ubuntu.1",
    "cuda11.3B",
    "py3.6.post1",
    "py36-py37",
    "cuda9-ubuntu",
]


def _selector(known: Any) -> int:
    if known is None:
        return 0
    if isinstance(known, dict):
        return 3
    return 2 if known == ["*"] else 1


def _spread(items: list[Any], count: int) -> list[Any]:
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _write(name: str, seeds: list[bytes]) -> None:
    target = CORPUS / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for seed in dict.fromkeys(seeds):
        (target / hashlib.sha1(seed).hexdigest()[:16]).write_bytes(seed)
    print(f"fuzz/corpus/{name}: {len(list(target.iterdir()))} seeds")


def main() -> None:
    vectors: list[dict[str, Any]] = []
    if VECTORS.exists():
        vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["parse"]
    picked = _spread(vectors, PER_HARNESS - len(CONTRACT_EXAMPLES))
    refs = CONTRACT_EXAMPLES + [(v["input"], _selector(v["known_registries"])) for v in picked]

    _write("imageref", [bytes([selector]) + text.encode() for text, selector in refs])

    groups = [refs[i : i + 4] for i in range(0, len(refs), 4)]
    _write(
        "parser",
        [
            bytes([group[0][1] | (i % 5) << 5]) + "\n".join(t for t, _ in group).encode()
            for i, group in enumerate(groups)
        ],
    )

    platform = list(CONTRACT_PLATFORM_TAGS)
    for vector in _spread(vectors, 400):
        tags = vector.get("result", {}).get("platform_tags")
        if tags:
            platform.append("-".join(key + version for key, version in tags))
    platform = list(dict.fromkeys(platform))[:PER_HARNESS]
    _write("platform_tags", [bytes([i & 1]) + text.encode() for i, text in enumerate(platform)])

    lines = [text for text, _ in refs]
    stdin = [
        "\n".join(lines[i : i + 3]).encode() + (b"\n" if i % 2 else b"")
        for i in range(0, len(lines), 3)
    ] + [b"", b"\n\n", b"python\r\n\r\n", b"\xff\xfe\n", b" python \n", b'a"b\\c:1\n']
    # The first byte picks the options (see fuzz_cli.options): vary it over the seeds.
    _write(
        "cli",
        [bytes([(i * 37) & 0x7F]) + seed for i, seed in enumerate(stdin)] + _cli_label_seeds(),
    )
    _write("labels", _label_seeds())
    _write("shell", _shell_seeds())


def _cli_label_seeds() -> list[bytes]:
    """Seeds for ``imageref labels -`` in fuzz_cli (selector 0x80 and up): label sets from
    the vectors as a JSON object, docker inspect output and KEY=VALUE lines."""
    if not LABEL_VECTORS.exists():
        return []
    data = json.loads(LABEL_VECTORS.read_text(encoding="utf-8"))
    seeds = [bytes([0x80]) + b"null\n", bytes([0x84]) + b"[]", bytes([0x81]) + b"[5, {}]"]
    for i, record in enumerate(_spread(data["validate"], 6)):
        labels = {k: v for k, v in record["labels"].items() if len(v) < 1000}
        image = {"Id": f"sha256:{i:064x}", "RepoTags": [f"app:{i}"], "Config": {"Labels": labels}}
        output = (i & 1) << 2  # text or --format json
        seeds.append(bytes([0x80 | output]) + json.dumps(labels).encode())
        seeds.append(bytes([0x80 | output]) + json.dumps([image], indent=1).encode())
        lines = "".join(f"{k}={v}\n" for k, v in labels.items() if "\n" not in k + v)
        seeds.append(bytes([0x83 | output]) + lines.encode())
    return seeds


def _label_seeds() -> list[bytes]:
    """Seeds for fuzz_labels: service-ports texts (modes 0, 1) and label sets (modes 2, 3)."""
    if not LABEL_VECTORS.exists():
        return []
    data = json.loads(LABEL_VECTORS.read_text(encoding="utf-8"))
    seeds = []
    for record in _spread(data["service_ports"], PER_HARNESS // 2):
        if isinstance(record["text"], str) and len(record["text"]) < 1000:
            endpoints = record["endpoints"]
            if not isinstance(endpoints, str):
                endpoints = ",".join(endpoints)
            seeds.append(bytes([0]) + f"{record['text']}\n{endpoints}".encode())
            seeds.append(bytes([1]) + "\n".join(record["text"].split(",")).encode())
    for record in _spread(data["validate"], PER_HARNESS // 2):
        lines = [f"{k}={v}" for k, v in record["labels"].items() if len(v) < 1000]
        inference = record["labels"].get("ai.backend.role") == "INFERENCE"
        seeds.append(bytes([3 if inference else 2]) + "\n".join(lines).encode())
    # Mode 4: hostile shapes, each unit repeated into labels of some 30,000 characters.
    for unit in HOSTILE_UNITS:
        seeds.append(bytes([4]) + unit.encode())
    return seeds


# Units that fuzz_labels' mode 4 repeats: one port, bad entries, a port used again, reserved
# and out-of-range ports, a protocol not allowed, a non-ASCII name, an unclosed list.
HOSTILE_UNITS = [
    "5000",
    "80",
    "99999",
    "2200",
    "x,",
    "a:tcp:5000,",
    "x:udp:80,",
    "p:tcp:7681,q:tcp:1,",
    "\u00e9:tcp:5000,",
    "a:b:[1,",
    "api",
]


def _shell_seeds() -> list[bytes]:
    """Seeds for fuzz_shell: BuildKit's word vectors (selector 2: its variables) and words
    recorded from BuildKit's lexer (selector 4: the harness's varied variables; bit 0 the
    escape character they were recorded with)."""
    seeds = []
    if SHELL_VECTORS.exists():
        vectors = json.loads(SHELL_VECTORS.read_text(encoding="utf-8"))["vectors"]
        seeds += [bytes([2]) + v["input"].encode() for v in _spread(vectors, PER_HARNESS // 2)]
    if SHELL_RECORDED.exists():
        records = json.loads(SHELL_RECORDED.read_text(encoding="utf-8"))["vectors"]
        seeds += [
            bytes([4 | (r["escape"] == "`")]) + r["word"].encode()
            for r in _spread(records, PER_HARNESS // 2)
        ]
    return seeds


if __name__ == "__main__":
    main()
