"""Record the reference implementation's answers as test vectors.

The reference is Backend.AI's ``backend.ai-common`` 24.3.0rc3, driven strictly as a black box
through its public API (``ImageRef``, ``is_known_registry``, ``generate_aliases``,
``merge_aliases``). This script is only ever run by a developer, inside a virtual environment
that has the reference installed; the package and its tests never import it::

    python3.12 -m venv .ref-venv
    .ref-venv/bin/pip install backend.ai-common==24.3.0rc3
    .ref-venv/bin/python tools/make_reference_vectors.py

The corpus is deterministic: a seeded ``random.Random`` builds the inputs and every recorded
ordering is independent of ``PYTHONHASHSEED``. Inputs on which the contract deliberately
diverges from the reference (D1, D2, D3, D7, D10) are left out, except where the reference
itself already answers ``InvalidImageName`` (which is also what the contract asks for).
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import ipaddress
import json
import platform
import random
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20240324
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "tests/data/backendai_24_03_vectors.json"
REFERENCE_PACKAGE = "backend.ai-common"
REFERENCE_VERSION = "24.3.0rc3"
COMMAND = (
    "python3.12 -m venv .ref-venv && .ref-venv/bin/pip install backend.ai-common==24.3.0rc3"
    " && .ref-venv/bin/python tools/make_reference_vectors.py"
)
DEFAULT_REGISTRY = "index.docker.io"

# ---------------------------------------------------------------------------------------------
# Known-registries specification: None, a list of names, or a mapping keyed by names.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """How ``known_registries`` is passed: ``kind`` is ``"list"`` or ``"mapping"``."""

    kind: str
    names: tuple[str, ...]

    def to_json(self) -> Any:
        if self.kind == "list":
            return list(self.names)
        return {"mapping": list(self.names)}

    def to_reference(self) -> Any:
        if self.kind == "list":
            return list(self.names)
        return {name: f"https://{name}" for name in self.names}

    @property
    def is_wildcard(self) -> bool:
        return self.kind == "list" and self.names == ("*",)


KnownSpec = Known | None


def known_json(spec: KnownSpec) -> Any:
    return None if spec is None else spec.to_json()


def known_reference(spec: KnownSpec) -> Any:
    return None if spec is None else spec.to_reference()


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """A whitespace-separated word list."""
    return text.split()


NAMES = words(
    """
    python python-tensorflow python-pytorch python-ff tensorflow pytorch ngc-pytorch
    ngc-tensorflow r-base julia lua c cpp java8 kernel-python sftp-upload a b-c-d x_y x.y
    x__y A Python3 app-1 my-app-svc h2o vllm triton-server codeserver jupyter-hub a-b -x
    x- a--b a$b a+b a=b a!b x#y ~x a%b .. . _ 123 0 python-tensorflow-gpu foo-python
    nvidia-cuda-base ubuntu alpine busybox
    """
)
PROJECTS = words(
    """
    lablup library stable testing multiarch ngc bai user_1 a.b my-proj team/sub
    org/team/sub LABLUP cr docker.io community
    """
)
HOSTNAMES = words(
    """
    docker.io index.docker.io registry-1.docker.io foo.docker.io cr.backend.ai
    myregistry.org myregistry.org:999 registry.example.com registry.example.com:5000
    localhost localhost:5000 ghcr.io quay.io gcr.io nvcr.io my_reg REG.EXAMPLE.COM
    xdocker.io docker.io:443 index.docker.io:443 Docker.io INDEX.DOCKER.IO reg a.b.c.d.e
    cr.backend.ai:8443 harbor.local xn--bcher-kva.example registry:5000
    """
)
FIXED_IPV4 = words("127.0.0.1 10.0.0.1 0.0.0.0 255.255.255.255 192.168.0.10 1.2.3.4")
BAD_IPV4 = words("256.1.1.1 1.2.3 01.2.3.4 1.2.3.4.5 127.1 0x7f.0.0.1 1.2.3.04")
FIXED_IPV6 = words(
    """
    ::1 :: fe80::1 2001:db8::1 ::ffff:1.2.3.4 0:0:0:0:0:0:0:1
    212c:9cb9:eada:e57b:84c9:6a9:fbec:bdd2 FE80::ABCD 2001:DB8:0:0:8:800:200C:417A
    """
)
BAD_IPV6 = words("zz::1 1::2::3 1:2:3:4:5:6:7:8:9 12345::1 :::1 1.2.3.4")
ZONES = words("eth0 en0 25eth0 lo 1 wlan0")
PORTS = words("5000 80 443 0 1 65535 8080 00080 00000")
BAD_PORTS = ["", *words("65536 99999 123456 000000 x -1 5000:6000 1.5")]

MAIN_PEP440 = words(
    """
    3.6 3.7 3.8 3.9 3.10 3.11 3.12 1.5 1.4 2.0 2.1.0 20.03 22.12 1.0.0 0.1 1 2 10 2021.11
    1.0rc1 1.0a1 1.0b2 1.0.post1 1.0.dev3 v1.0 01 1.0.0.0 1.13.1 0 1a 24.03 23.09.1
    """
)
MAIN_OTHER = words(
    """
    latest gcc6.3 stable nightly lts ubuntu.1 A x jammy 1.x a..b 1. 3.6_1 Latest edge
    ubuntu.1.2 x_y a.b.c
    """
)
PLATFORM_TAGS = words(
    """
    py36 py37 py38 py310 py311 py3 py2 py3.6 py ubuntu16.04 ubuntu18.04 ubuntu20.04
    ubuntu22.04 ubuntu centos7.6 centos8 alpine3.8 alpine debian11 cuda9 cuda9.0 cuda10.0
    cuda10.1 cuda11.3 cuda12.1.1 cuda cudnn7 cudnn8.9 mkl2018.3 mkl myplatform9b1 other
    cuda_12 _a x1y rocm5.4 rocm tf2 tf1.15 cpu gpu intel nvidia ngc22.03 jammy R4 UBUNTU16
    A1 __1 a_b1 x0 x00.00 hpc arm gcc9 gcc6.3 llvm14 openmpi4.1 nccl2.18.1 r4.1 torch2.0
    jdk17 CUDA9 mycuda9.1 py_36 _ x1a2b3
    """
)
BAD_PLATFORM_TAGS = words(
    """
    1234 ubuntu.1 cuda11.3B py3.6.post1 x1Y 0a a1..2 a1. py3a.1 a1.2a.3 9 3.6 a! a+b a~ a*
    a,b a;b py3X cuda10.0RC ubuntu16.04LTS a1.2. .a a.b py3.6.1a.2
    """
)
ARCHITECTURES = [
    *words("arm64 amd64 x64 x32 i686 aarch64 x86 ARM64 AMD64 riscv64 ppc64le s390x 386 armv7l"),
    "X86_64",
    "",  # any other name is stored unchanged, even the empty one
]
PRINTABLE = [chr(code) for code in range(0x21, 0x7F)]


def pick_architecture(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return "x86_64"
    return rng.choice(ARCHITECTURES)


def pick_port(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return ""
    if roll < 0.6:
        return ":" + rng.choice(PORTS)
    if roll < 0.85:
        return f":{rng.randint(1, 65535)}"
    return ":" + rng.choice(BAD_PORTS)


def random_ipv4(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(FIXED_IPV4)
    if roll < 0.45:
        return rng.choice(BAD_IPV4)
    return ".".join(str(rng.randint(0, 255)) for _ in range(4))


def random_ipv6(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        addr = rng.choice(FIXED_IPV6)
    elif roll < 0.4:
        addr = rng.choice(BAD_IPV6)
    else:
        groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
        if rng.random() < 0.4:
            start = rng.randint(0, 6)
            length = rng.randint(1, 8 - start)
            groups = [*groups[:start], "", *groups[start + length :]]
            joined = ":".join(groups)
            if joined.startswith(":"):
                joined = ":" + joined
            if joined.endswith(":"):
                joined += ":"
            addr = joined
        else:
            addr = ":".join(groups)
        if rng.random() < 0.2:
            addr = addr.upper()
    if rng.random() < 0.12:
        addr += "%" + rng.choice(ZONES)
    if rng.random() < 0.05:
        return addr  # unbracketed
    return f"[{addr}]"


def random_ip_registry(rng: random.Random) -> str:
    host = random_ipv4(rng) if rng.random() < 0.55 else random_ipv6(rng)
    return host + pick_port(rng)


def random_platform_tag(rng: random.Random) -> str:
    return rng.choice(PLATFORM_TAGS)


def random_tag(rng: random.Random) -> str:
    """A tag body (without the leading ``:``), valid most of the time."""
    roll = rng.random()
    main = rng.choice(MAIN_PEP440) if rng.random() < 0.8 else rng.choice(MAIN_OTHER)
    if roll < 0.08:
        return main
    count = rng.choices([0, 1, 2, 3, 4, 5], weights=[10, 25, 30, 20, 10, 5])[0]
    tags: list[str] = []
    seen: set[str] = set()
    for _ in range(count):
        tag = random_platform_tag(rng)
        key = re.sub(r"[0-9].*\Z", "", tag)
        if key in seen and rng.random() < 0.9:
            continue
        seen.add(key)
        tags.append(tag)
    if rng.random() < 0.12:
        tags.insert(rng.randint(0, len(tags)), rng.choice(BAD_PLATFORM_TAGS))
    pieces = [main, *tags]
    mode = rng.random()
    if mode < 0.03:
        pieces.insert(rng.randint(1, len(pieces)), "")  # a doubled or trailing dash
    elif mode < 0.05:
        pieces.insert(0, "")  # a leading dash
    elif mode < 0.07 and tags:
        pieces.append(tags[rng.randrange(len(tags))])  # a duplicate key
    return "-".join(pieces)


def random_name(rng: random.Random, *, project: bool) -> str:
    name = rng.choice(NAMES)
    if project:
        name = rng.choice(PROJECTS) + "/" + name
    return name


def with_tag(rng: random.Random, base: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return base
    if roll < 0.2:
        return base + ":latest"
    return base + ":" + random_tag(rng)


def random_known_for(rng: random.Random, registry: str) -> KnownSpec:
    others = [h for h in HOSTNAMES if h != registry]
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.32:
        return Known("list", ())
    if roll < 0.47:
        return Known("list", ("*",))
    if roll < 0.67:
        names = [registry, *rng.sample(others, rng.randint(0, 3))]
        rng.shuffle(names)
        return Known("list", tuple(names))
    if roll < 0.8:
        names = [registry, *rng.sample(others, rng.randint(0, 2))]
        rng.shuffle(names)
        return Known("mapping", tuple(names))
    if roll < 0.87:
        return Known("list", tuple(rng.sample(others, rng.randint(1, 3))))
    if roll < 0.92:
        return Known("list", ("*", registry))
    if roll < 0.96:
        return Known("mapping", ("*",))
    return Known("list", (registry, "*"))


def mutate(rng: random.Random, value: str) -> str:
    chars = list(value)
    for _ in range(rng.randint(1, 2)):
        op = rng.random()
        pos = rng.randint(0, len(chars))
        if op < 0.4 or not chars:
            alphabet = PRINTABLE if rng.random() < 0.7 else list(":/-._")
            chars.insert(pos, rng.choice(alphabet))
        elif op < 0.7:
            del chars[min(pos, len(chars) - 1)]
        else:
            index = min(pos, len(chars) - 1)
            chars.insert(index, chars[index])
    return "".join(chars)


Case = tuple[str, KnownSpec, str]


def handwritten_cases() -> list[Case]:
    """Contract examples and the edge cases the probes looked at."""
    x86 = "x86_64"
    cases: list[Case] = [
        ("myregistry.org/lua", None, x86),
        ("myregistry.org/lua", Known("list", ("myregistry.org",)), x86),
        (
            "myregistry.org:999/mybase/python:3.6-cuda9-ubuntu",
            Known("list", ("myregistry.org:999",)),
            x86,
        ),
        ("127.0.0.1:5000/python:3.6-cuda9-ubuntu", None, x86),
        ("[::1]:5000/python:3.6-cuda9-ubuntu", None, x86),
        ("[212c:9cb9:eada:e57b:84c9:6a9:fbec:bdd2]:1024/python", None, x86),
        ("::1/python:3.6-cuda9-ubuntu", None, x86),
        ("docker.io/x:1", Known("list", ("docker.io",)), x86),
        ("docker.io/x:1", Known("list", ("*",)), x86),
        ("index.docker.io/x:1", None, x86),
        ("index.docker.io/x:1", Known("list", ("*",)), x86),
        ("foo.docker.io/x:1", Known("list", ("foo.docker.io",)), x86),
        ("foo.docker.io/x:1", Known("list", ("*",)), x86),
        ("foo:bar:baz", None, x86),
        ("localhost:5000/python", None, x86),
        ("localhost:5000/python", Known("list", ("localhost:5000",)), x86),
        ("localhost:5000/python", Known("list", ("*",)), x86),
        ("c:gcc6.3-alpine3.8", None, "aarch64"),
        ("a:!", None, x86),
        ("127.0.0.1:5000/a:-x-", None, x86),
        ("http://127.0.0.1:5000/xyz", None, x86),
        ("//127.0.0.1:5000/xyz", None, x86),
        ("http://x/y", None, x86),
        ("python:", None, x86),
        (":3.6", None, x86),
        (":", None, x86),
        ("", None, x86),
        ("python:3.6--ubuntu", None, x86),
        ("python:3.6-ubuntu-", None, x86),
        ("python:3.6-py3-py3", None, x86),
        ("python:3.6-ubuntu.1", None, x86),
        ("python:ubuntu.1", None, x86),
        ("python:3.6-1234", None, x86),
        ("python:3.6-cuda11.3B", None, x86),
        ("python:3.6-py3.6.post1", None, x86),
        ("python:3.6-x1Y", None, x86),
        ("python:3.6-UBUNTU16", None, x86),
        ("python:3.6-py36-ubuntu.1", None, x86),
        ("python:3.6-other-ubuntu.1", None, x86),
        ("python:3.6-py-py", None, x86),
        ("127.0.0.1:5000/", None, x86),
        ("127.0.0.1:5000/:1", None, x86),
        ("lablup/python-tensorflow:1.5-py36-ubuntu16.04-cuda10.0", None, x86),
        ("a/b-c-d:1.0-py3", None, x86),
        ("x:1-cuda9", None, x86),
        ("1.2.3.4:0/python:3.6", None, x86),
        ("1.2.3.4:65535/python:3.6", None, x86),
        ("1.2.3.4:65536/python:3.6", None, x86),
        ("01.2.3.4/python:3.6", None, x86),
        ("256.1.1.1/python:3.6", None, x86),
        ("1.2.3/python:3.6", None, x86),
        ("[fe80::1%eth0]:5000/python:3.6", None, x86),
        ("[fe80::1%25eth0]/python", None, x86),
        ("[::ffff:1.2.3.4]/python", None, x86),
        ("localhost/python:3.6", None, x86),
        ("LOCALHOST/python:3.6", Known("list", ("localhost",)), x86),
        ("myreg.org/lua", Known("list", ("*", "x")), x86),
        ("myreg.org/lua", Known("mapping", ("*",)), x86),
        ("myreg.org/lua", Known("mapping", ("myreg.org",)), x86),
        ("m/lua", Known("list", ("*",)), x86),
        ("a/b:c/d", None, x86),
        ("a/b:c/d:1", None, x86),
        ("a:b/c:1", None, x86),
        ("[::1]/a:b:c", None, x86),
        ("x:1.-a", None, x86),
        ("x:1-a.", None, x86),
        ("x:1-0a", None, x86),
        ("x:1-a0a", None, x86),
        ("python:a..b", None, x86),
        ("python:.", None, x86),
        ("python:-", None, x86),
        ("python:_a", None, x86),
        ("python:a_", None, x86),
    ]
    cases.extend(("python:3.6", None, arch) for arch in ARCHITECTURES)
    return cases


def random_case(rng: random.Random) -> Case:
    arch = pick_architecture(rng)
    roll = rng.random()
    if roll < 0.2:
        return with_tag(rng, random_name(rng, project=False)), None, arch
    if roll < 0.35:
        value = with_tag(rng, random_name(rng, project=True))
        known: KnownSpec = None
        if rng.random() < 0.3:
            known = random_known_for(rng, value.split("/", 1)[0])
        return value, known, arch
    if roll < 0.6:
        registry = rng.choice(HOSTNAMES)
        value = registry + "/" + with_tag(rng, random_name(rng, project=rng.random() < 0.5))
        return value, random_known_for(rng, registry), arch
    if roll < 0.78:
        registry = random_ip_registry(rng)
        value = registry + "/" + with_tag(rng, random_name(rng, project=rng.random() < 0.4))
        known = None if rng.random() < 0.75 else random_known_for(rng, registry)
        return value, known, arch
    if roll < 0.86:
        return weird_case(rng), None if rng.random() < 0.7 else Known("list", ("*",)), arch
    base, known, arch = random_case(rng)
    return mutate(rng, base), known, arch


def weird_case(rng: random.Random) -> str:
    name = random_name(rng, project=rng.random() < 0.3)
    tag = random_tag(rng)
    host = rng.choice(HOSTNAMES)
    patterns: list[Callable[[], str]] = [
        lambda: f"{name}:{rng.choice(MAIN_PEP440)}:{tag}",
        lambda: f"localhost:{rng.randint(1, 65535)}/{name}",
        lambda: f":{tag}",
        lambda: f"{name}:",
        lambda: f"http://{host}/{name}",
        lambda: f"https://{host}/{name}:{tag}",
        lambda: f"//{host}/{name}",
        lambda: f"{host}/",
        lambda: f"{host}/:{tag}",
        lambda: f"{name}:{tag}/x",
        lambda: f"{name}::{tag}",
        lambda: f"{host}/{name}:{tag}:{tag}",
        lambda: f"{name}:{tag}-",
        lambda: f"{name}:-{tag}",
        lambda: f"{host}:{name}",
        lambda: f"{name}/{name}/{name}/{name}:{tag}",
        lambda: f"{name}:{tag}{rng.choice('!#$%&*+,;<=>?[]^`{|}~')}",
    ]
    return rng.choice(patterns)()


# ---------------------------------------------------------------------------------------------
# Divergence filter
# ---------------------------------------------------------------------------------------------

_IP_FORM = re.compile(r"(\[[^\[\]]*\]|[0-9.]+)(?::([0-9]{1,5}))?")
_ZONE = re.compile(r"[A-Za-z0-9]+")


def is_strict_ip_literal(host: str) -> bool:
    """The contract's D7 notion of an IP-literal registry (conservative on zone names)."""
    match = _IP_FORM.fullmatch(host)
    if match is None:
        return False
    address, port = match.group(1), match.group(2)
    if port is not None and int(port) > 65535:
        return False
    try:
        if address.startswith("["):
            inner, sep, zone = address[1:-1].partition("%")
            if sep and not _ZONE.fullmatch(zone):
                return False
            ipaddress.IPv6Address(inner)
        else:
            ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return True


def is_clean_ascii(value: str) -> bool:
    return all(0x21 <= ord(char) <= 0x7E for char in value)


def has_empty_component(value: str) -> bool:
    return value.startswith("/") or value.endswith("/") or "//" in value or "/:" in value


class Reference:
    """Thin black-box wrapper around the reference implementation."""

    def __init__(self) -> None:
        from ai.backend.common import docker

        self.ImageRef: Any = docker.ImageRef
        self.is_known_registry: Callable[..., bool] = docker.is_known_registry

    def is_ip_registry(self, host: str) -> bool:
        return host != DEFAULT_REGISTRY and bool(self.is_known_registry(host, None))

    def make(self, case: Case) -> Any:
        value, known, arch = case
        return self.ImageRef(value, known_reference(known), arch)

    def parse(self, case: Case) -> dict[str, Any]:
        value, known, arch = case
        record: dict[str, Any] = {
            "input": value,
            "known_registries": known_json(known),
            "architecture": arch,
        }
        try:
            ref = self.make(case)
        except Exception as exc:  # the class name is the recorded answer
            record["error"] = type(exc).__name__
            return record
        version, tag_set = ref.tag_set
        record["result"] = {
            "registry": ref.registry,
            "name": ref.name,
            "tag": ref.tag,
            "architecture": ref.architecture,
            "version": version,
            "platform_tags": [[key, tag_set[key]] for key in tag_set],
        }
        return record

    def diverges(self, case: Case, record: dict[str, Any]) -> bool:
        """True when the contract deliberately answers differently from the reference."""
        value, known, _arch = case
        invalid_name = record.get("error") == "InvalidImageName"
        # D1/D3 (non-printable-ASCII, whitespace, non-ASCII digits), D10 and D7 (`@`), D2.
        if not is_clean_ascii(value) or "@" in value or has_empty_component(value):
            return not invalid_name
        if "/" in value and "://" not in value:
            first = value.split("/", 1)[0]
            listed = known is not None and first in known.names
            if not listed and not (known is not None and known.is_wildcard):
                return self.is_ip_registry(first) != is_strict_ip_literal(first)
        return False


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def build_parse_cases(
    ref: Reference, rng: random.Random, target: int
) -> tuple[list[Case], list[dict[str, Any]], int]:
    seen: dict[tuple[str, str, str], None] = {}
    cases: list[Case] = []
    records: list[dict[str, Any]] = []
    dropped = 0

    def offer(case: Case) -> None:
        nonlocal dropped
        key = (case[0], json.dumps(known_json(case[1])), case[2])
        if key in seen:
            return
        seen[key] = None
        record = ref.parse(case)
        if ref.diverges(case, record):
            dropped += 1
            return
        cases.append(case)
        records.append(record)

    for case in handwritten_cases():
        offer(case)
    attempts = 0
    while len(records) < target and attempts < target * 20:
        attempts += 1
        offer(random_case(rng))
    return cases, records, dropped


def build_alias_section(
    ref: Reference,
    rng: random.Random,
    cases: Sequence[Case],
    records: Sequence[dict[str, Any]],
    count: int,
) -> list[dict[str, Any]]:
    valid = [
        (case, record)
        for case, record in zip(cases, records, strict=True)
        if "result" in record and len(record["result"]["platform_tags"]) <= 4
    ]
    chosen = rng.sample(valid, min(count, len(valid)))
    chosen.sort(key=lambda item: cases.index(item[0]))
    out: list[dict[str, Any]] = []
    for case, record in chosen:
        image = ref.make(case)
        aliases = image.generate_aliases()
        if not all(target is image for target in aliases.values()):
            continue
        out.append(
            {
                "input": record["input"],
                "known_registries": record["known_registries"],
                "architecture": record["architecture"],
                "keys": list(aliases),
            }
        )
    return out


ORDER_KEYS: dict[str, list[str]] = {
    "py": ["", "2", "3", "36", "37", "38", "310", "3.6", "3.10"],
    "ubuntu": ["", "16.04", "18.04", "20.04", "22.04", "18.4"],
    "cuda": ["", "9", "9.0", "10.0", "10.1", "11.3", "12.1.1", "10"],
    "cudnn": ["", "7", "8", "8.9"],
    "mkl": ["", "2018.3", "2019"],
    "alpine": ["", "3.8", "3.18"],
    "myplatform": ["9b1", "9", "9a1", "9rc1", "9post1"],
    "x": ["1y", "1", "2"],
}
# The first ten are PEP 440 versions.
ORDER_MAIN = words("1.5 1.4 2.0 3.6 3.6.0 3.7 1.0rc1 1.0 01 1 latest gcc6.3 20.03 v1.0")


def order_refs(rng: random.Random, *, pep440_only: bool, count: int) -> list[Case]:
    # Always with a project, so that the registry-prefixed variants keep the same name.
    name = random_name(rng, project=True)
    mains = rng.sample(ORDER_MAIN[:10] if pep440_only else ORDER_MAIN, rng.randint(1, 4))
    keys = [k for k in ORDER_KEYS if not (pep440_only and k == "x")]
    arch = "x86_64" if rng.random() < 0.8 else rng.choice(["aarch64", "arm64", "riscv64"])
    refs: dict[str, Case] = {}
    for _ in range(count * 3):
        if len(refs) >= count:
            break
        tag_keys = rng.sample(keys, rng.randint(0, 3))
        pieces = [rng.choice(mains)]
        for key in tag_keys:
            versions = ORDER_KEYS[key]
            if pep440_only:
                versions = [v for v in versions if v != "1y"]
            pieces.append(key + rng.choice(versions))
        value = name + ":" + "-".join(pieces)
        host_roll = rng.random()
        if host_roll < 0.15:
            value = "127.0.0.1:5000/" + value
        elif host_roll < 0.25:
            value = "[::1]/" + value
        case_arch = arch if rng.random() < 0.9 else "aarch64"
        refs.setdefault(value + "|" + case_arch, (value, None, case_arch))
    return list(refs.values())


def case_json(case: Case) -> dict[str, Any]:
    return {"input": case[0], "known_registries": known_json(case[1]), "architecture": case[2]}


def build_ordering_section(
    ref: Reference, rng: random.Random, groups: int
) -> tuple[list[dict[str, Any]], int]:
    out: list[dict[str, Any]] = []
    skipped = 0
    for _ in range(groups):
        cases = order_refs(rng, pep440_only=rng.random() < 0.6, count=rng.randint(4, 10))
        images = [ref.make(case) for case in cases]
        if len({image.name for image in images}) != 1:
            continue
        lt, group_skipped = ordered_pairs(images)
        skipped += group_skipped
        out.append({"refs": [case_json(case) for case in cases], "lt": lt})
    return out, skipped


def ordered_pairs(images: Sequence[Any], *, with_eq: bool = False) -> tuple[list[list[Any]], int]:
    """``[i, j, images[i] < images[j]]`` (plus ``==`` when asked) for every ordered pair,
    and how many pairs were left out because the reference raised on a non-PEP 440 version."""
    from packaging.version import InvalidVersion

    pairs: list[list[Any]] = []
    skipped = 0
    for i, left in enumerate(images):
        for j, right in enumerate(images):
            if i == j:
                continue
            try:
                answer = bool(left < right)
            except InvalidVersion:  # D6: the contract orders these without raising
                skipped += 1
                continue
            pairs.append([i, j, answer, bool(left == right)] if with_eq else [i, j, answer])
    return pairs, skipped


def build_name_mismatch_section(ref: Reference, rng: random.Random, count: int) -> list[Any]:
    out: list[Any] = []
    for _ in range(count):
        left = order_refs(rng, pep440_only=True, count=1)[0]
        right = order_refs(rng, pep440_only=True, count=1)[0]
        a, b = ref.make(left), ref.make(right)
        if a.name == b.name:
            continue
        try:
            answer: Any = bool(a < b)
        except ValueError as exc:
            answer = {"error": type(exc).__name__}
        out.append({"left": case_json(left), "right": case_json(right), "lt": answer})
    return out


def build_merge_section(ref: Reference, rng: random.Random, groups: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index in range(groups):
        cases = order_refs(rng, pep440_only=True, count=rng.randint(2, 7))
        arch = cases[0][2]
        cases = [(value, known, arch) for value, known, _ in cases]
        if index % 4 == 1:
            # Images of other names whose aliases may or may not collide.
            cases.extend(
                (value, known, arch)
                for value, known, _ in order_refs(rng, pep440_only=True, count=2)
            )
        elif index % 4 == 3:
            # The same basename under another project: the shared aliases make it raise.
            value = cases[0][0]
            path, _, tag = value.rpartition(":")
            other = "zz-other/" + path.rsplit("/", 1)[-1] + ":" + tag
            cases.append((other, None, arch))
        images = [ref.make(case) for case in cases]
        entry: dict[str, Any] = {"refs": [case_json(case) for case in cases]}
        try:
            merged: Mapping[str, Any] = functools.reduce(
                ref.ImageRef.merge_aliases, (image.generate_aliases() for image in images)
            )
        except ValueError as exc:
            entry["error"] = type(exc).__name__
        else:
            entry["result"] = {alias: merged[alias].canonical for alias in sorted(merged)}
        out.append(entry)
    return out


def build_known_registry_section(ref: Reference, rng: random.Random, count: int) -> list[Any]:
    values: dict[str, None] = dict.fromkeys(
        [
            *HOSTNAMES,
            *FIXED_IPV4,
            *BAD_IPV4,
            "*",
            "",
            DEFAULT_REGISTRY,
            *(f"[{addr}]" for addr in FIXED_IPV6),
            *FIXED_IPV6,
            *(f"1.2.3.4:{port}" for port in PORTS + BAD_PORTS),
            *(f"[::1]:{port}" for port in PORTS + BAD_PORTS),
        ]
    )
    while len(values) < count:
        values.setdefault(
            random_ip_registry(rng) if rng.random() < 0.8 else mutate(rng, rng.choice(HOSTNAMES))
        )
    out: list[Any] = []
    for value in values:
        for known in (None, Known("list", ("*",)), random_known_for(rng, value)):
            if not is_clean_ascii(value) or "@" in value or "/" in value:
                continue
            listed = known is not None and value in known.names
            if not listed and ref.is_ip_registry(value) != is_strict_ip_literal(value):
                continue
            answer = bool(ref.is_known_registry(value, known_reference(known)))
            out.append([value, known_json(known), answer])
    return out


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def dump_line(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"))


def write_vectors(path: Path, header: dict[str, Any], sections: dict[str, list[Any]]) -> None:
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"{dump_line(key)}:{dump_line(value)},")
    names = list(sections)
    for position, name in enumerate(names):
        items = sections[name]
        lines.append(f"{dump_line(name)}:[")
        lines.extend(
            dump_line(item) + ("," if i < len(items) - 1 else "") for i, item in enumerate(items)
        )
        lines.append("]" + ("," if position < len(names) - 1 else ""))
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # self-check: the hand-assembled document is valid JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="ascii")


SCHEMA = {
    "parse": "{input, known_registries, architecture} plus either result {registry, name, tag, "
    "architecture, version (tag_set[0]), platform_tags [[key, version], ...] in order} "
    "or error (exception class name)",
    "known_registries": 'null, a list of names, or {"mapping": [names]} meaning a Mapping '
    "keyed by those names (values irrelevant)",
    "aliases": "{input, known_registries, architecture, keys}: generate_aliases() keys in the "
    "reference's dict order; every value was the ref itself",
    "ordering": "{refs: [case...], lt: [[i, j, refs[i] < refs[j]], ...]}; all refs share one "
    "name; pairs where the reference raised on a non-PEP 440 version (D6) omitted",
    "ordering_name_mismatch": "{left, right, lt}: refs of different names; lt is {error: class}",
    "merge": "{refs, result | error}: functools.reduce(merge_aliases, generate_aliases() of "
    "each ref); result maps alias -> canonical of the chosen ref, sorted by alias "
    "(the reference's key order depends on PYTHONHASHSEED, so it is not recorded)",
    "known_registry": "[value, known_registries, is_known_registry(value, known_registries)]",
}


def installed_reference(package: str, version: str) -> str | None:
    """The installed version of the reference, or None (with a message) when it is not
    exactly the expected one."""
    installed = importlib.metadata.version(package)
    if installed != version:
        print(f"expected {package}=={version}, found {installed}", file=sys.stderr)
        return None
    return installed


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cases", type=int, default=8000, help="parse cases to record")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(None if argv is None else list(argv))

    installed = installed_reference(REFERENCE_PACKAGE, REFERENCE_VERSION)
    if installed is None:
        return 2
    ref = Reference()
    rng = random.Random(args.seed)

    cases, parse, dropped = build_parse_cases(ref, rng, args.cases)
    aliases = build_alias_section(ref, rng, cases, parse, 300)
    ordering, order_skipped = build_ordering_section(ref, rng, 80)
    mismatch = build_name_mismatch_section(ref, rng, 40)
    merge = build_merge_section(ref, rng, 24)
    known = build_known_registry_section(ref, rng, 400)

    header: dict[str, Any] = {
        "format": "imageref-reference-vectors/1",
        "reference": {
            "package": REFERENCE_PACKAGE,
            "version": installed,
            "packaging": importlib.metadata.version("packaging"),
            "python": platform.python_version(),
        },
        "command": COMMAND,
        "seed": args.seed,
        "notes": [
            "Generated by tools/make_reference_vectors.py; do not edit by hand.",
            "Inputs on which the contract deliberately diverges (D1, D2, D3, D7, D10) are "
            "excluded, except where the reference already raises InvalidImageName.",
            f"{dropped} generated parse inputs were dropped as divergent; "
            f"{order_skipped} ordered pairs were skipped because the reference raised "
            "InvalidVersion (D6).",
        ],
        "schema": SCHEMA,
        "counts": {
            "parse": len(parse),
            "parse_errors": sum("error" in record for record in parse),
            "aliases": len(aliases),
            "ordering_groups": len(ordering),
            "ordering_pairs": sum(len(group["lt"]) for group in ordering),
            "ordering_name_mismatch": len(mismatch),
            "merge": len(merge),
            "known_registry": len(known),
        },
    }
    write_vectors(
        args.output,
        header,
        {
            "parse": parse,
            "aliases": aliases,
            "ordering": ordering,
            "ordering_name_mismatch": mismatch,
            "merge": merge,
            "known_registry": known,
        },
    )
    print(f"wrote {args.output} ({header['counts']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
