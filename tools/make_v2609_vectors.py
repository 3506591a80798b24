"""Record backend.ai-common 26.9.6's answers as test vectors for the 26.09 surface.

Since 24.09, Backend.AI's ``ai.backend.common.docker.ImageRef`` is a six-field value built with
``ImageRef.from_image_str(image_str, project, registry)``; this script drives that release
strictly as a black box through its public API (``ImageRef``, ``ParsedImageStr``,
``validate_image_labels``, ``parse_service_ports``, ``LabelName``, ``KernelFeatures`` and the
module's constants) and writes what it answered to ``tests/data/backendai_26_09_vectors.json``.
Only a developer runs it, in a virtual environment that has the reference installed (it needs
Python 3.13); the package and its tests never import it::

    python3.13 -m venv .venv-ref2609
    .venv-ref2609/bin/pip install backend.ai-common==26.9.6
    .venv-ref2609/bin/python tools/make_v2609_vectors.py

The corpus is seeded and deterministic: the image strings, registries and architectures come
from the same generators as the 24.03 vectors (``make_reference_vectors.py``), crossed with
project and registry arguments; every recorded order is independent of ``PYTHONHASHSEED``.
Inputs on which the contract deliberately diverges are kept but marked with the divergences
that apply (a ``divergence`` list such as ``["D2"]``), so that the tests can check the
reference's answer where the contract follows it and the contract's answer where it does not.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.metadata
import platform
import random
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import make_reference_vectors as v2403

SEED = 20260906
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "tests/data/backendai_26_09_vectors.json"
REFERENCE_PACKAGE = v2403.REFERENCE_PACKAGE
REFERENCE_VERSION = "26.9.6"
COMMAND = (
    "python3.13 -m venv .venv-ref2609 && .venv-ref2609/bin/pip install backend.ai-common==26.9.6"
    " && .venv-ref2609/bin/python tools/make_v2609_vectors.py"
)
DEFAULT_REGISTRY = v2403.DEFAULT_REGISTRY
ALIAS_KEYS_IN_FULL = 40  # alias maps up to this size are recorded whole, larger ones by digest
ALIAS_SAMPLE = 12

words = v2403.words

# ---------------------------------------------------------------------------------------------
# Image strings, projects and registry arguments
# ---------------------------------------------------------------------------------------------

# Registries and projects as a 26.09 deployment names them.
REGISTRIES_26 = words(
    """
    cr.backend.ai cr.backend.ai:8443 registry.example.com:5000 harbor.local ghcr.io nvcr.io
    docker.io index.docker.io foo.docker.io localhost:5000 127.0.0.1:5000 [::1]:5000
    """
)
PROJECTS_26 = words(
    """
    stable testing multiarch community lablup library ngc bai-internal my_team org/team
    org/team/sub user-1 a.b x
    """
)
IMAGES_26 = words(
    """
    python python-tensorflow python-pytorch ngc-pytorch vllm triton-server codeserver
    jupyter-hub r-base julia c lua sftp-upload base/python ml/deep/python
    """
)


def realistic_26(rng: random.Random) -> tuple[str, str | None]:
    """``registry/project/name:tag`` as the manager stores it, with the project used."""
    registry = rng.choice(REGISTRIES_26)
    project = rng.choice(PROJECTS_26)
    image = rng.choice(IMAGES_26)
    value = f"{registry}/{project}/{v2403.with_tag(rng, image)}"
    return value, project


def random_image_str(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return realistic_26(rng)[0]
    return v2403.random_case(rng)[0]


def registry_arguments(rng: random.Random, value: str) -> list[str | None]:
    """Registry arguments for one image string: the one it names, and others."""
    first = value.split("/", 1)[0] if "/" in value else None
    pool: list[str | None] = [None, "*", DEFAULT_REGISTRY, "docker.io", "cr.backend.ai"]
    chosen: list[str | None] = []
    if first is not None and rng.random() < 0.7:
        chosen.append(first)
    chosen.extend(rng.sample(pool, rng.randint(1, 2)))
    if rng.random() < 0.08:
        chosen.append(rng.choice(["", "127.0.0.1:5000", first.upper() if first else "REG"]))
    return list(dict.fromkeys(chosen))


def project_arguments(rng: random.Random, name: str | None) -> list[str | None]:
    """Project arguments for a parsed ``project_and_image_name`` (None when parsing failed)."""
    chosen: list[str | None] = []
    if name:
        parts = name.split("/")
        candidates: list[str | None] = [parts[0], parts[0], parts[0], None, "", name]
        if len(parts) > 2:
            candidates.append("/".join(parts[:2]))
        if len(parts[0]) > 1:
            candidates.append(parts[0][:-1])  # a prefix of the project: a mismatch
        candidates.extend([parts[0].upper(), rng.choice(PROJECTS_26)])
        if rng.random() < 0.05:
            candidates.append(parts[0] + "/")
        chosen.extend(rng.sample(candidates, rng.randint(1, 2)))
    else:
        chosen.append(rng.choice([None, "", rng.choice(PROJECTS_26)]))
    return list(dict.fromkeys(chosen))


# ---------------------------------------------------------------------------------------------
# Divergences
# ---------------------------------------------------------------------------------------------


def string_divergences(ref: Reference, value: str, registry: str | None) -> list[str]:
    """The contract's divergences that apply to parsing ``value`` with ``registry``."""
    found: list[str] = []
    if not v2403.is_clean_ascii(value):
        found.append("D1")
    if "@" in value:
        found.append("D10")
    if v2403.has_empty_component(value):
        found.append("D2")
    if "/" in value and "://" not in value and not value.startswith("//"):
        first = value.split("/", 1)[0]
        taken_as_ip = ref.is_ip_address_format(first)
        if registry not in ("*", first) and taken_as_ip != v2403.is_strict_ip_literal(first):
            found.append("D7")
    return found


def project_divergences(project: str | None) -> list[str]:
    if project is None:
        return []
    found: list[str] = []
    if not v2403.is_clean_ascii(project) and project != "":
        found.append("D1")
    if project and v2403.has_empty_component(project):
        found.append("D2")
    return found


# ---------------------------------------------------------------------------------------------
# The reference, as a black box
# ---------------------------------------------------------------------------------------------


def error_json(exc: BaseException) -> dict[str, Any]:
    return {"class": type(exc).__name__, "message": str(exc)}


class Reference:
    """Thin black-box wrapper around backend.ai-common 26.9.6."""

    def __init__(self) -> None:
        from ai.backend.common import docker
        from ai.backend.common.types import ServicePortProtocols

        self.docker: Any = docker
        self.ImageRef: Any = docker.ImageRef
        self.ParsedImageStr: Any = docker.ParsedImageStr
        self.LabelName: Any = docker.LabelName
        self.is_ip_address_format: Callable[[str], bool] = docker.is_ip_address_format
        self.protocols: Any = ServicePortProtocols

    @staticmethod
    def tag_set_json(tag_set: Any) -> dict[str, Any]:
        version, platform_tags = tag_set
        return {"version": version, "platform_tags": [[k, platform_tags[k]] for k in platform_tags]}

    def parse(self, value: str, registry: str | None) -> dict[str, Any]:
        record: dict[str, Any] = {"input": value, "registry": registry}
        try:
            parsed = self.ImageRef.parse_image_str(value, registry)
        except Exception as exc:  # the class and message are the recorded answer
            record["error"] = error_json(exc)
            return record
        result: dict[str, Any] = {
            "registry": parsed.registry,
            "project_and_image_name": parsed.project_and_image_name,
            "tag": parsed.tag,
            "canonical": parsed.canonical,
            "short": parsed.short,
        }
        try:
            result["tag_set"] = self.tag_set_json(parsed.tag_set)
        except Exception as exc:
            result["tag_set_error"] = error_json(exc)
        record["result"] = result
        return record

    @staticmethod
    def ref_fields(ref: Any) -> list[Any]:
        """The six fields in positional order."""
        return [ref.name, ref.project, ref.tag, ref.registry, ref.architecture, ref.is_local]

    def ref_json(self, ref: Any) -> dict[str, Any]:
        return {
            "fields": self.ref_fields(ref),
            "canonical": ref.canonical,
            "short": ref.short,
            **self.tag_set_json(ref.tag_set),
        }

    def from_image_str(
        self, value: str, project: str | None, registry: str | None, arch: str, is_local: bool
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "input": value,
            "project": project,
            "registry": registry,
            "architecture": arch,
            "is_local": is_local,
        }
        try:
            ref = self.ImageRef.from_image_str(
                value, project, registry, architecture=arch, is_local=is_local
            )
        except Exception as exc:
            record["error"] = error_json(exc)
            return record
        record["result"] = self.ref_json(ref)
        return record

    def make(self, fields: list[Any]) -> Any:
        return self.ImageRef(*fields)


# ---------------------------------------------------------------------------------------------
# Reference sections
# ---------------------------------------------------------------------------------------------

HANDWRITTEN_PARSE: list[tuple[str, str | None]] = [
    ("python", None),
    ("python:3.6", None),
    ("lablup/python:3.6", None),
    ("docker.io/x:1", None),
    ("docker.io/x:1", "docker.io"),
    ("docker.io/x:1", "*"),
    ("foo.docker.io/x", "*"),
    ("index.docker.io/x:1", "index.docker.io"),
    ("x:1", "docker.io"),
    ("x:1", "cr.backend.ai"),
    ("x:1", "*"),
    ("myreg/x:1", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", None),
    ("cr.backend.ai/stable/python:3.9", "other"),
    ("cr.backend.ai/stable/python:3.9", "*"),
    ("127.0.0.1:5000/python:3.6", "cr.backend.ai"),
    ("[::1]:5000/python", None),
    ("::1/python", None),
    ("localhost:5000/python", None),
    ("localhost:5000/python", "localhost:5000"),
    ("REG/x", "reg"),
    ("*/x:1", "*"),
    ("*/x:1", None),
    ("x/y:1", ""),
    ("x:1", ""),
    ("foo:bar:baz", None),
    ("a/b:1.0-py3-py3", None),
    ("a/b:1.0-py3-cuda9-py3", None),
    ("reg.io/a/b:1.0-py3.6.x", "reg.io"),
    ("x:1-cuda9-ubuntu.1", None),
    ("python:3.6--x", None),
    ("http://x/y", None),
    ("//x/y", None),
    ("", None),
    (":1", None),
    ("python:", None),
    ("x/:1", "x"),
    ("a:!", None),
    ("1.2.3.4:99999/a", None),
    ("user@1.2.3.4/a", None),
    ("[fe80::1%eth0]:5000/python:3.6", None),
]


def build_parse_section(ref: Reference, rng: random.Random, target: int) -> list[dict[str, Any]]:
    seen: set[tuple[str, str | None]] = set()
    out: list[dict[str, Any]] = []

    def offer(value: str, registry: str | None) -> None:
        if (value, registry) in seen:
            return
        seen.add((value, registry))
        record = ref.parse(value, registry)
        marks = string_divergences(ref, value, registry)
        if marks and record.get("error", {}).get("class") != "InvalidImageName":
            record["divergence"] = marks
        out.append(record)

    for value, registry in HANDWRITTEN_PARSE:
        offer(value, registry)
    while len(out) < target:
        value = random_image_str(rng)
        for registry in registry_arguments(rng, value):
            offer(value, registry)
    return out


HANDWRITTEN_FROM_STR: list[tuple[str, str | None, str | None]] = [
    ("python:3.6", None, None),
    ("python:3.6", None, "index.docker.io"),
    ("python:3.6", "lablup", "index.docker.io"),
    ("python:3.6", "", "index.docker.io"),
    ("python:3.6", "lablup", None),
    ("python:3.6", "other", None),
    ("cr.backend.ai/stable/python:3.9", "stable", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "stable", None),
    ("cr.backend.ai/stable/python:3.9", None, "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "stab", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "stable/python", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "stable/", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "STABLE", "cr.backend.ai"),
    ("cr.backend.ai/a/b/c:1", "a/b", "cr.backend.ai"),
    ("cr.backend.ai/a/b/c:1", "a", "cr.backend.ai"),
    ("cr.backend.ai/a/b/c:1", "a/b/c", "cr.backend.ai"),
    ("cr.backend.ai/python:1", "python", "cr.backend.ai"),
    ("cr.backend.ai/stable/python:3.9", "stable", "*"),
    ("cr.backend.ai/stable/python:3.9", "stable", "other"),
    ("127.0.0.1:5000/p/x:1", "p", "cr"),
    ("127.0.0.1:5000/p/x:1", "p", None),
    ("127.0.0.1/p/x:1", "p", "*"),
    ("x:1", "lablup", "docker.io"),
    ("docker.io/x:1", "lablup", "docker.io"),
    ("docker.io/x:1", "lablup", "*"),
    ("x/y:1", "x", ""),
    ("cr/stable/python:3.9-py3-py3", "stable", "cr"),
    ("cr/stable/python:3.9-py3-py3", "other", "cr"),
    ("cr/stable/python:3.9-ubuntu.1", "stable", "cr"),
    ("cr/stable/python:!", "other", "cr"),
    ("cr/stable//python:3.9", "stable", "cr"),
    ("cr/stable/:3.9", "stable", "cr"),
]


def build_from_str_section(
    ref: Reference, rng: random.Random, parse: list[dict[str, Any]], target: int
) -> list[dict[str, Any]]:
    seen: set[tuple[str, str | None, str | None, str, bool]] = set()
    out: list[dict[str, Any]] = []

    def offer(
        value: str, project: str | None, registry: str | None, arch: str, is_local: bool
    ) -> None:
        key = (value, project, registry, arch, is_local)
        if key in seen:
            return
        seen.add(key)
        record = ref.from_image_str(value, project, registry, arch, is_local)
        marks = string_divergences(ref, value, registry)
        if marks and record.get("error", {}).get("class") != "InvalidImageName":
            record["divergence"] = marks
        project_marks = project_divergences(project)
        if project_marks:
            record["project_divergence"] = project_marks
        out.append(record)

    for value, project, registry in HANDWRITTEN_FROM_STR:
        offer(value, project, registry, "x86_64", False)
    offer("python:3.6", "lablup", "index.docker.io", "arm64", True)
    parsed = [record for record in parse if "divergence" not in record]
    while len(out) < target:
        record = rng.choice(parsed)
        name = record["result"]["project_and_image_name"] if "result" in record else None
        arch = v2403.pick_architecture(rng)
        is_local = rng.random() < 0.15
        for project in project_arguments(rng, name):
            offer(record["input"], project, record["registry"], arch, is_local)
    return out


def build_parse_tag_section(ref: Reference, rng: random.Random, count: int) -> list[Any]:
    values = ["x:1", "a/b", "", ":1", "a:", "a:!", "a:b:c", "r:5000/x", "lablup/x", "x"]
    while len(values) < count:
        values.append(
            v2403.mutate(rng, random_image_str(rng))
            if rng.random() < 0.3
            else random_image_str(rng).split("/", 1)[-1]
        )
    out: list[Any] = []
    for value in dict.fromkeys(values):
        for default in (False, True):
            record: dict[str, Any] = {"input": value, "using_default_repository": default}
            try:
                record["result"] = list(
                    ref.ImageRef.parse_image_tag(value, using_default_repository=default)
                )
            except Exception as exc:
                record["error"] = error_json(exc)
            marks = [d for d in string_divergences(ref, value, None) if d != "D7"]
            if marks and record.get("error", {}).get("class") != "InvalidImageName":
                record["divergence"] = marks
            out.append(record)
    return out


def build_config_section(ref: Reference) -> list[dict[str, Any]]:
    full = {
        "canonical": "cr.backend.ai/stable/python:3.9-ubuntu20.04",
        "project": "stable",
        "registry": {"name": "cr.backend.ai", "url": "https://cr.backend.ai"},
        "architecture": "x86_64",
        "is_local": False,
    }
    configs: list[dict[str, Any]] = [
        full,
        {**full, "architecture": "arm64", "is_local": True},
        {**full, "project": None},
        {**full, "project": ""},
        {**full, "project": "other"},
        {**full, "canonical": "python:3.9", "project": "lablup"},
        {**full, "canonical": "python:3.9", "project": "lablup", "registry": {"name": "docker.io"}},
        {**full, "registry": {"name": "*"}},
        {**full, "registry": {"name": None}},
        {**full, "digest": "sha256:" + "0" * 64, "labels": {}, "auto_pull": "digest"},
        {**full, "canonical": "cr.backend.ai/stable/python:3.9-py3-py3"},
    ]
    configs.extend({k: v for k, v in full.items() if k != drop} for drop in full)
    out: list[dict[str, Any]] = []
    for config in configs:
        record: dict[str, Any] = {"config": config}
        try:
            record["result"] = ref.ref_json(ref.ImageRef.from_image_config(config))
        except Exception as exc:
            record["error"] = error_json(exc)
        out.append(record)
    return out


# Ordering: refs built positionally, sharing a name and project within a group.
ORDER_PROJECTS: list[str | None] = [None, "", "stable", "lablup", "org/team"]
ORDER_NAMES = words("python python-tensorflow ngc-pytorch lablup/python")
ORDER_REGISTRIES: list[str | None] = [
    "cr.backend.ai",
    "index.docker.io",
    None,
    "*",
    "127.0.0.1:5000",
]


def order_tag(rng: random.Random, *, pep440_only: bool) -> str:
    mains = v2403.ORDER_MAIN[:10] if pep440_only else v2403.ORDER_MAIN
    keys = [k for k in v2403.ORDER_KEYS if not (pep440_only and k == "x")]
    pieces = [rng.choice(mains)]
    for key in rng.sample(keys, rng.randint(0, 3)):
        versions = [v for v in v2403.ORDER_KEYS[key] if not (pep440_only and v == "1y")]
        pieces.append(key + rng.choice(versions))
    return "-".join(pieces)


def order_fields(rng: random.Random, name: str, project: str | None) -> list[Any]:
    return [
        name,
        project,
        order_tag(rng, pep440_only=rng.random() < 0.7),
        rng.choice(ORDER_REGISTRIES) if rng.random() < 0.3 else "cr.backend.ai",
        "x86_64" if rng.random() < 0.8 else rng.choice(["aarch64", "arm64", "amd64"]),
        rng.random() < 0.15,
    ]


def build_ordering_section(
    ref: Reference, rng: random.Random, groups: int
) -> tuple[list[dict[str, Any]], int]:
    out: list[dict[str, Any]] = []
    skipped = 0
    for _ in range(groups):
        name, project = rng.choice(ORDER_NAMES), rng.choice(ORDER_PROJECTS)
        fields = [order_fields(rng, name, project) for _ in range(rng.randint(4, 9))]
        # Twins: the same ref but for is_local, registry or architecture.
        twin = list(rng.choice(fields))
        slot = rng.choice([3, 4, 5])
        twin[slot] = {3: "other.registry", 4: "aarch64", 5: not twin[5]}[slot]
        fields.append(twin)
        lt, group_skipped = v2403.ordered_pairs([ref.make(f) for f in fields], with_eq=True)
        skipped += group_skipped
        out.append({"refs": fields, "lt": lt})
    return out, skipped


def build_mismatch_section(ref: Reference, rng: random.Random, count: int) -> list[Any]:
    pairs: list[tuple[list[Any], list[Any]]] = [
        (
            ["python", "lablup", "1", "r", "x86_64", False],
            ["lablup/python", None, "2", "r", "x86_64", False],
        ),
        (["python", None, "1", "r", "x86_64", False], ["python", "", "2", "r", "x86_64", False]),
        (["python", "a", "1", "r", "x86_64", False], ["python", "b", "2", "r", "x86_64", False]),
        (["python", "a", "1", "r", "x86_64", False], ["py", "a", "2", "r", "x86_64", False]),
    ]
    while len(pairs) < count:
        left = order_fields(rng, rng.choice(ORDER_NAMES), rng.choice(ORDER_PROJECTS))
        right = order_fields(rng, rng.choice(ORDER_NAMES), rng.choice(ORDER_PROJECTS))
        if (left[0], left[1]) != (right[0], right[1]):
            pairs.append((left, right))
    out: list[Any] = []
    for left, right in pairs:
        try:
            answer: Any = bool(ref.make(left) < ref.make(right))
        except ValueError as exc:
            answer = {"error": error_json(exc)}
        out.append({"left": left, "right": right, "lt": answer})
    return out


def alias_json(ref: Reference, fields: list[Any]) -> dict[str, Any]:
    image = ref.make(fields)
    aliases = image.generate_aliases()
    assert all(target is image for target in aliases.values())
    keys = list(aliases)
    record: dict[str, Any] = {"fields": fields, "count": len(keys)}
    if len(keys) <= ALIAS_KEYS_IN_FULL:
        record["keys"] = keys
    else:
        record["sha256"] = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        positions = sorted(random.Random(len(keys)).sample(range(len(keys)), ALIAS_SAMPLE))
        record["sample"] = [[i, keys[i]] for i in positions]
    return record


def build_alias_section(
    ref: Reference, rng: random.Random, from_str: list[dict[str, Any]], count: int
) -> list[dict[str, Any]]:
    valid = [
        r["result"]["fields"]
        for r in from_str
        if "result" in r and "divergence" not in r and len(r["result"]["platform_tags"]) <= 4
    ]
    chosen = rng.sample(valid, min(count, len(valid)))
    extra: list[list[Any]] = [
        [
            "python-tensorflow",
            "lablup",
            "1.5-py36-ubuntu16.04-cuda10.0",
            "index.docker.io",
            "x86_64",
            False,
        ],
        ["python-tensorflow", None, "1.5-py36", "r", "x86_64", False],
        ["", "python", "1.5-py36", "r", "x86_64", False],
        ["a/b-c-d", "p", "1.0", "r", "x86_64", False],
        ["python", "p", "-py3", "r", "x86_64", False],  # empty main version
        ["python", "p", "", "r", "x86_64", False],
        ["", None, "1-py3", "r", "x86_64", False],
    ]
    return [alias_json(ref, fields) for fields in extra + chosen]


def build_merge_section(ref: Reference, rng: random.Random, groups: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index in range(groups):
        name, project = rng.choice(ORDER_NAMES), rng.choice(ORDER_PROJECTS)
        fields: list[list[Any]] = []
        for _ in range(rng.randint(2, 6)):
            f = order_fields(rng, name, project)
            f[2] = order_tag(rng, pep440_only=True)
            fields.append(f)
        if index % 4 == 1:  # a twin that differs only in is_local: which one wins?
            twin = list(fields[0])
            twin[5] = not twin[5]
            fields.insert(rng.randint(0, len(fields)), twin)
        elif index % 4 == 3:  # the same basename under another project: shared aliases raise
            other = list(fields[0])
            other[1] = "zz-other"
            fields.append(other)
        refs = [ref.make(f) for f in fields]
        entry: dict[str, Any] = {"refs": fields}
        try:
            merged: Mapping[str, Any] = functools.reduce(
                ref.ImageRef.merge_aliases, (image.generate_aliases() for image in refs)
            )
        except ValueError as exc:
            entry["error"] = error_json(exc)
        else:
            entry["result"] = {
                alias: next(i for i, image in enumerate(refs) if image is merged[alias])
                for alias in sorted(merged)
            }
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------------
# Labels and service ports
# ---------------------------------------------------------------------------------------------

FEATURES = words("uid-match user-input batch query tty operation private gpu-sharing x")
PROTOCOLS = words("tcp http preopen pty vnc rdp")
BAD_PROTOCOLS = words("udp HTTP internal ssh")
SP_NAMES = words("jupyter jupyterlab vscode tensorboard ttyd vnc rdp sftp a_b-c x1 ipython")
RESERVED = [2000, 2001, 2002, 2003, 2200, 7681]


def service_port(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.8:
        port = str(rng.randint(1025, 65534))
    elif roll < 0.88:
        port = str(rng.choice([*RESERVED, 80, 1024, 65535, 65536, 0]))
    else:
        ports = [str(rng.randint(1025, 65534)) for _ in range(rng.randint(1, 3))]
        port = "[" + ",".join(ports) + "]"
    protocol = rng.choice(PROTOCOLS) if rng.random() < 0.93 else rng.choice(BAD_PROTOCOLS)
    return f"{rng.choice(SP_NAMES)}:{protocol}:{port}"


def service_ports_label(rng: random.Random) -> str:
    entries = [service_port(rng) for _ in range(rng.randint(1, 4))]
    roll = rng.random()
    if roll < 0.05:
        entries.append("")  # a trailing comma
    elif roll < 0.08:
        entries.insert(rng.randrange(len(entries)), "")
    elif roll < 0.12:
        entries.insert(
            rng.randrange(len(entries)),
            rng.choice(["garbage", "a:tcp", "é:tcp:5000", "a.b:tcp:5000", " a:tcp:5000"]),
        )
    elif roll < 0.15:
        entries.append(entries[0])  # a port used twice
    return ",".join(entries)


def label_set(rng: random.Random) -> dict[str, str]:
    labels: dict[str, str] = {}
    if rng.random() < 0.7:
        labels["ai.backend.kernelspec"] = (
            "1" if rng.random() < 0.85 else rng.choice(["2", "0", " 1", "+1", "1.0", "", "x"])
        )
    if rng.random() < 0.7:
        feats = rng.sample(FEATURES, rng.randint(1, 3))
        labels["ai.backend.features"] = (
            " ".join(feats) if rng.random() < 0.9 else rng.choice(["", "a  b", " a"])
        )
    for key, good in (
        ("ai.backend.base-distro", ["ubuntu22.04", "alpine3.8", "centos7.6"]),
        ("ai.backend.runtime-type", ["python", "app", "r", "julia"]),
        ("ai.backend.runtime-path", ["/usr/bin/python3", "/opt/conda/bin/python", "", "bin/x"]),
    ):
        if rng.random() < 0.65:
            labels[key] = rng.choice(good) if rng.random() < 0.9 else ""
    role = None
    if rng.random() < 0.45:
        role = rng.choice(["COMPUTE", "INFERENCE", "SYSTEM", "compute", ""])
        labels["ai.backend.role"] = role
    for key in ("ai.backend.envs.corecount", "ai.backend.accelerators"):
        if rng.random() < 0.2:
            labels[key] = rng.choice(["OMP_NUM_THREADS,NPROC", "", "cuda", "A,B,"])
    if rng.random() < 0.6:
        labels["ai.backend.service-ports"] = service_ports_label(rng)
    if role == "INFERENCE" or rng.random() < 0.1:
        names = [e.split(":")[0] for e in labels.get("ai.backend.service-ports", "").split(",")]
        if rng.random() < 0.85:
            labels["ai.backend.endpoint-ports"] = ",".join(rng.sample(names, 1)) if names else "a"
        if rng.random() < 0.9:
            labels["ai.backend.model-path"] = rng.choice(["/models", "", "models/x"])
        if rng.random() < 0.9:
            labels["ai.backend.model-format"] = rng.choice(["gguf", "safetensors", ""])
    for key in rng.sample(
        [
            "ai.backend.customized-image.owner",
            "ai.backend.customized-image.name",
            "ai.backend.owner-user-id",
            "ai.backend.internal.block-service-ports",
            "org.opencontainers.image.title",
            "maintainer",
        ],
        rng.randint(0, 2),
    ):
        labels[key] = rng.choice(["x", "", "user@example.com"])
    keys = list(labels)
    rng.shuffle(keys)
    return {k: labels[k] for k in keys}


BRACKETED_LIST = re.compile(r"\[[^\]]*,")
FORMAT_ERROR = "Invalid service-ports format"


def service_ports_check(ref: Reference, text: str) -> Any:
    """The reference's ``parse_service_ports`` on a whole label: ``"ok"`` or the error."""
    try:
        ref.docker.parse_service_ports(text, "")
    except Exception as exc:
        return error_json(exc)
    return "ok"


def label_divergences(labels: Mapping[str, Any], check: Any) -> list[str]:
    """The divergences that apply to one label set; ``check`` is its service_ports_check."""
    found: list[str] = []
    if "ai.backend.features" not in labels:
        found.append("D16")
    if any(not isinstance(v, str) for v in labels.values()):
        found.append("non-str")
    text = labels.get("ai.backend.service-ports")
    if isinstance(text, str):
        if not text.isascii():
            found.append("D13")
        if BRACKETED_LIST.search(text):
            found.append("D11")
        # The reference's validate_image_labels skips what parse_service_ports calls malformed;
        # an empty label is one empty entry, which the contract does not allow either.
        if text == "" or (check != "ok" and check["message"] == FORMAT_ERROR):
            found.append("D12")
    return found


def label_value_json(value: Any) -> Any:
    if isinstance(value, PurePosixPath):
        return {"path": str(value)}
    return value


def build_labels_section(ref: Reference, rng: random.Random, count: int) -> list[dict[str, Any]]:
    base = {
        "ai.backend.kernelspec": "1",
        "ai.backend.features": "uid-match batch",
        "ai.backend.base-distro": "ubuntu22.04",
        "ai.backend.runtime-type": "python",
        "ai.backend.runtime-path": "/usr/bin/python3",
    }
    inference = {
        "ai.backend.role": "INFERENCE",
        "ai.backend.service-ports": "a:preopen:5000,b:http:5001",
        "ai.backend.endpoint-ports": "a",
        "ai.backend.model-path": "/models",
        "ai.backend.model-format": "gguf",
    }
    sets: list[dict[str, Any]] = [
        {},
        dict(base),
        {"foo": "bar", "ai.backend.nope": "x"},
        dict(inference),
        {**inference, "ai.backend.endpoint-ports": "b"},
        {**inference, "ai.backend.endpoint-ports": "c"},
        {**inference, "ai.backend.endpoint-ports": ""},
        {**inference, "ai.backend.endpoint-ports": "a,"},
        {**inference, "ai.backend.service-ports": "a:vnc:5000"},
        {"ai.backend.service-ports": "vnc:vnc:5900,rdp:rdp:3389,jupyter:http:8080"},
        {"ai.backend.service-ports": "multi:tcp:[5100,5105]"},
        {"ai.backend.service-ports": "garbage"},
        {"ai.backend.service-ports": ""},
        {"ai.backend.service-ports": "a:tcp:5000,"},
        {"ai.backend.kernelspec": "x", "ai.backend.features": "", "ai.backend.role": "x"},
        {"ai.backend.kernelspec": "x", "ai.backend.service-ports": "x:tcp:80"},
        {"ai.backend.kernelspec": 1},
        {"ai.backend.features": None},
        {"ai.backend.base-distro": None},
        {"ai.backend.base-distro": ""},
        {"ai.backend.runtime-type": None},
    ]
    while len(sets) < count:
        sets.append(label_set(rng))
    out: list[dict[str, Any]] = []
    for labels in sets:
        record: dict[str, Any] = {"labels": labels}
        try:
            result = ref.docker.validate_image_labels(dict(labels))
        except Exception as exc:
            error = error_json(exc)
            as_dict = getattr(exc, "as_dict", None)
            if callable(as_dict):
                error["labels"] = sorted(str(key) for key in as_dict())
            record["error"] = error
        else:
            record["result"] = [
                [str(key), isinstance(key, ref.LabelName), label_value_json(value)]
                for key, value in result.items()
            ]
        text = labels.get("ai.backend.service-ports")
        check = service_ports_check(ref, text) if isinstance(text, str) else None
        marks = label_divergences(labels, check)
        if marks:
            record["divergence"] = marks
        if {"D11", "D12"} & set(marks):
            record["service_ports_check"] = check
        out.append(record)
    return out


def service_port_json(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "protocol": str(entry["protocol"]),
        "container_ports": list(entry["container_ports"]),
        "host_ports": list(entry["host_ports"]),
        "is_inference": entry["is_inference"],
    }


def build_service_ports_section(
    ref: Reference, rng: random.Random, count: int
) -> list[dict[str, Any]]:
    cases: list[tuple[Any, Any, str | None]] = [
        ("vnc:vnc:5900", "", None),
        ("rdp:rdp:3389", "", None),
        ("x:internal:5000", "", None),
        ("x:pty:5000", "", None),
        ("m:vnc:[5900,5901]", "", None),
        ("a:tcp:1024", "", None),
        ("a:tcp:1025", "", None),
        ("a:tcp:65534", "", None),
        ("a:tcp:65535", "", None),
        ("a:tcp:2004", "", None),
        ("a:pty:5000,b:tcp:5000", "", None),
        ("a:tcp:[5000,5000]", "", None),
        ("a:vnc:5000", "a", None),
        ("", "", None),
        (",", "", None),
        ("a:tcp:5000,", "", None),
        ("a:tcp:5000,,", "", None),
        ("a:tcp:[]", "", None),
        ("a:tcp:05000", "", None),
        (["a:tcp:5000", "b:rdp:5001"], ["b"], None),
        (["a:tcp:5000", ""], "", None),
        ("a:tcp:5000,b:tcp:5001", "a,b", None),
        ("a:udp:5000", "", "KeyError"),
        ("bad", "", "KeyError"),
    ]
    while len(cases) < count:
        label = service_ports_label(rng)
        names = [e.split(":")[0] for e in label.split(",")]
        endpoint = ",".join(rng.sample(names, rng.randint(0, min(2, len(names)))))
        cases.append((label, endpoint, None))
    exceptions: dict[str | None, type[Exception]] = {None: ValueError, "KeyError": KeyError}
    out: list[dict[str, Any]] = []
    for label, endpoint, exc_name in cases:
        record: dict[str, Any] = {"service_ports": label, "endpoint_ports": endpoint}
        if exc_name is not None:
            record["exception_cls"] = exc_name
        try:
            result = ref.docker.parse_service_ports(label, endpoint, exceptions[exc_name])
        except Exception as exc:
            record["error"] = error_json(exc)
        else:
            record["result"] = [service_port_json(entry) for entry in result]
            text = label if isinstance(label, str) else ",".join(label)
            if not text.isascii():
                record["divergence"] = ["D13"]
        out.append(record)
    return out


def build_constants(ref: Reference) -> dict[str, Any]:
    docker = ref.docker
    return {
        "MIN_KERNELSPEC": docker.MIN_KERNELSPEC,
        "MAX_KERNELSPEC": docker.MAX_KERNELSPEC,
        "default_registry": docker.default_registry,
        "default_repository": docker.default_repository,
        "arch_name_aliases": dict(docker.arch_name_aliases),
        "docker_api_arch_aliases": dict(docker.docker_api_arch_aliases),
        "LabelName": [[m.name, m.value] for m in docker.LabelName],
        "KernelFeatures": [[m.name, m.value] for m in docker.KernelFeatures],
        "ServicePortProtocols": [[m.name, m.value] for m in ref.protocols],
        "ImageRef_fields": list(docker.ImageRef.__match_args__),
        "ParsedImageStr_fields": list(docker.ParsedImageStr._fields),
    }


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

SCHEMA = {
    "fields": "an ImageRef's six fields in positional order: [name, project, tag, registry, "
    "architecture, is_local]",
    "error": "{class, message}: the exception's class name and str() as the reference raised it "
    "(contract: same class; messages keep the 24.03 prefixes and, by D4/D17, name the full input)",
    "divergence": "optional list on a record: the contract's deliberate divergences that apply to "
    "it (D1, D2, D7, D10 on image strings; D11-D13, D16 and 'non-str' on labels; D13 on service "
    "ports); the recorded answer there is the reference's, not the contract's; "
    "project_divergence: the same for a from_image_str project argument",
    "parse_image_str": "{input, registry, result {registry, project_and_image_name, tag, "
    "canonical, short, tag_set {version, platform_tags} | tag_set_error} | error}; str() was "
    "always the canonical",
    "from_image_str": "{input, project, registry, architecture, is_local, result {fields, "
    "canonical, short, version, platform_tags} | error}; str() was always the canonical and "
    'repr() always <ImageRef: "CANONICAL" (ARCHITECTURE)>',
    "parse_image_tag": "{input, using_default_repository, result [name, tag] | error}",
    "from_image_config": "{config, result (as from_image_str) | error}",
    "ordering": "{refs: [fields...], lt: [[i, j, refs[i] < refs[j], refs[i] == refs[j]], ...]}; "
    "all refs share name and project; pairs where the reference raised InvalidVersion (D6) "
    "omitted",
    "ordering_mismatch": "{left, right (fields), lt: bool | {error}}: different name or project",
    "aliases": "{fields, count, keys (in the reference's order) | sha256 of the keys joined by "
    "newlines + sample [[position, key], ...]}; every value was the ref itself",
    "merge": "{refs: [fields...], result {alias: index of the chosen ref} sorted by alias | error}"
    ": functools.reduce(merge_aliases, generate_aliases() of each ref)",
    "labels": "{labels, result [[key, key is a LabelName, value], ...] in the reference's order "
    '(a PurePosixPath value is {"path": str}) | error {class, message, labels (the failing '
    "label names when the reference reported a dict)}, service_ports_check (on D11/D12 records: "
    'the reference\'s parse_service_ports(label, "") answer, "ok" or {error})}',
    "service_ports": "{service_ports, endpoint_ports, exception_cls (when not ValueError), "
    "result [{name, protocol, container_ports, host_ports, is_inference}] | error}",
    "constants": "module constants, enums as [[member name, value], ...]",
}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cases", type=int, default=2000, help="parse_image_str cases")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(None if argv is None else list(argv))

    installed = v2403.installed_reference(REFERENCE_PACKAGE, REFERENCE_VERSION)
    if installed is None:
        return 2
    ref = Reference()
    rng = random.Random(args.seed)

    parse = build_parse_section(ref, rng, args.cases)
    from_str = build_from_str_section(ref, rng, parse, args.cases * 3 // 2)
    parse_tag = build_parse_tag_section(ref, rng, 200)
    config = build_config_section(ref)
    ordering, order_skipped = build_ordering_section(ref, rng, 70)
    mismatch = build_mismatch_section(ref, rng, 40)
    aliases = build_alias_section(ref, rng, from_str, 300)
    merge = build_merge_section(ref, rng, 24)
    labels = build_labels_section(ref, rng, 800)
    service_ports = build_service_ports_section(ref, rng, 600)

    sections: dict[str, list[Any]] = {
        "parse_image_str": parse,
        "from_image_str": from_str,
        "parse_image_tag": parse_tag,
        "from_image_config": config,
        "ordering": ordering,
        "ordering_mismatch": mismatch,
        "aliases": aliases,
        "merge": merge,
        "labels": labels,
        "service_ports": service_ports,
    }
    counts: dict[str, int] = {name: len(items) for name, items in sections.items()}
    counts["ordering_pairs"] = sum(len(group["lt"]) for group in ordering)
    for name in ("parse_image_str", "from_image_str", "labels", "service_ports"):
        counts[name + "_errors"] = sum("error" in r for r in sections[name])
        counts[name + "_divergent"] = sum("divergence" in r for r in sections[name])
    header: dict[str, Any] = {
        "format": "imageref-reference-vectors/1",
        "reference": {
            "package": REFERENCE_PACKAGE,
            "version": installed,
            "packaging": importlib.metadata.version("packaging"),
            "trafaret": importlib.metadata.version("trafaret"),
            "python": platform.python_version(),
        },
        "command": COMMAND,
        "seed": args.seed,
        "notes": [
            "Generated by tools/make_v2609_vectors.py; do not edit by hand.",
            "Records where a deliberate divergence applies carry a 'divergence' list; their "
            "recorded answer is the reference's.",
            f"{order_skipped} ordered pairs were skipped because the reference raised "
            "InvalidVersion (D6).",
        ],
        "schema": SCHEMA,
        "counts": counts,
        "constants": build_constants(ref),
    }
    v2403.write_vectors(args.output, header, sections)
    print(f"wrote {args.output} ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
