"""Record the reference's error sentences for label and service-port faults as test vectors.

Backend.AI's code and tests match on the reference's error text (``pytest.raises(ValueError,
match="Unsupported")``), so imageref's messages must contain the reference's sentence for each
fault (contract: "Messages" in ``backendai-labels-24.03.md``). This script asks a reference
release, strictly as a black box through its public API (``validate_image_labels`` and
``parse_service_ports``), what it says for one input per fault and writes the answers to
``tests/data/backendai_<release>_messages.json``. It runs under either release; only a
developer runs it, in a virtual environment that has the reference installed::

    .ref-venv/bin/python tools/make_message_vectors.py        # backend.ai-common 24.3.0rc3
    .venv-ref2609/bin/python tools/make_message_vectors.py    # backend.ai-common 26.9.6

It imports neither imageref nor its tests. The inputs are a fixed list (no randomness): every
row of the contract's table, each port limit on both sides, every reserved port, and inputs
with more than one fault (the reference names the first; imageref must name it too).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# The one-record-per-line JSON writer of the reference vectors (same folder).
from make_reference_vectors import write_vectors

REFERENCE_PACKAGE = "backend.ai-common"
RELEASES = {"24.3.0rc3": "24_03", "26.9.6": "26_09"}
DATA = Path(__file__).resolve().parent.parent / "tests/data"

K = "ai.backend."
BASE = {
    K + "kernelspec": "1",
    K + "features": "batch query uid-match",
    K + "base-distro": "ubuntu22.04",
    K + "runtime-type": "python",
    K + "runtime-path": "/usr/bin/python3",
}
INFERENCE = {
    **BASE,
    K + "role": "INFERENCE",
    K + "service-ports": "api:preopen:8000,web:http:8090",
    K + "endpoint-ports": "api",
    K + "model-path": "/models",
    K + "model-format": "onnx",
}

# Service-ports texts, each with at least one fault of the table, by fault.
PROTOCOLS = [  # 26.09 takes vnc and rdp
    "a:udp:5000",
    "a:TCP:5000",
    "a:tcp6:5000",
    "a:vnc:5900",
    "a:rdp:3389",
    "a:internal:5000",
    "a:http:8080,b:sctp:8081",
]
LIMITS = [
    "a:tcp:80",
    "a:tcp:1",
    "a:tcp:0",
    "a:tcp:1024",
    "a:tcp:65535",
    "a:tcp:65536",
    "a:tcp:99999",
    "a:tcp:" + "9" * 30,
    "a:tcp:[5000,80]",
    "a:tcp:[5000,70000]",
]
USED = [
    "a:tcp:5000,b:tcp:5000",
    "a:tcp:[5000,5000]",
    "a:tcp:05000,b:http:5000",
    "a:tcp:[5000,5001],b:preopen:5001",
]
RESERVED = [f"a:tcp:{port}" for port in (2000, 2001, 2002, 2003, 2200, 7681)]
RESERVED.append("a:tcp:[5000,2200]")
MALFORMED = [  # not a sequence of entries
    "bad",
    "a:tcp",
    "a:tcp:",
    "a:tcp:x",
    ":tcp:5000",
    "a::5000",
    ",a:tcp:5000",
    "a:tcp:5000,,b:tcp:5001",
    "a:tcp:[5000",
    "a:tcp:5000:1",
    "a tcp 5000",
    "a:pty:abc",
]
SEVERAL = [  # more than one fault: the reference names the first
    "a:tcp:80,b:udp:5000",
    "a:udp:5000,b:tcp:80",
    "a:tcp:5000,b:tcp:5000,c:tcp:2000",
]
SERVICE_PORTS: list[Any] = [
    *PROTOCOLS,
    *LIMITS,
    *USED,
    *RESERVED,
    *MALFORMED,
    *SEVERAL,
    # lists of entries
    ["a:tcp:80"],
    ["a:tcp:5000", "b:tcp:5000"],
    ["a:udp:5000"],
]

# Label sets, each with at least one fault of the table.
LABEL_SETS: list[dict[str, str]] = [
    # a required label missing (26.09 has defaults for the common ones)
    {},
    *({k: v for k, v in BASE.items() if k != label} for label in BASE),
    *({k: v for k, v in INFERENCE.items() if k != label} for label in list(INFERENCE)[-3:]),
    {k: v for k, v in INFERENCE.items() if k not in list(INFERENCE)[-3:]},
    # kernelspec out of range, or not an integer
    *({**BASE, K + "kernelspec": text} for text in ["2", "0", "-1", "10", "+2", " 0 ", "x", "1.0"]),
    # role not among the variants
    *({**BASE, K + "role": text} for text in ["compute", "x", "", " COMPUTE", "Inference"]),
    # blank values
    {**BASE, K + "runtime-type": ""},
    {**INFERENCE, K + "model-format": ""},
    # endpoint ports
    {**INFERENCE, K + "endpoint-ports": "nope"},
    {**INFERENCE, K + "endpoint-ports": "web"},
    {**INFERENCE, K + "endpoint-ports": "api,web"},
    {**INFERENCE, K + "service-ports": "api:tcp:8000"},
    {**INFERENCE, K + "service-ports": "api:http:8000"},
    {**INFERENCE, K + "service-ports": "other:preopen:8000"},
    # service ports, plain entries only (the reference's validate_image_labels does not check
    # bracketed lists or malformed entries: divergences D11, D12)
    *(
        {**BASE, K + "service-ports": text}
        for text in PROTOCOLS + LIMITS + USED + RESERVED + SEVERAL
        if "[" not in text
    ),
    # more than one fault in more than one label
    {**BASE, K + "kernelspec": "2", K + "role": "x", K + "service-ports": "a:tcp:80"},
]


def caught(exc: BaseException) -> dict[str, Any]:
    """An error as a record: its class, its message, and a DataError's reasons by label."""
    record: dict[str, Any] = {"class": type(exc).__name__, "message": str(exc)}
    as_dict = getattr(exc, "as_dict", None)
    if as_dict is not None:
        reasons = as_dict()
        record["reasons"] = {
            str(label): reason if isinstance(reason, str) else sorted(map(str, reason.values()))
            for label, reason in reasons.items()
        }
    return record


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("-o", "--output", type=Path, help="default: tests/data/...")
    args = parser.parse_args(None if argv is None else list(argv))
    installed = importlib.metadata.version(REFERENCE_PACKAGE)
    release = RELEASES.get(installed)
    if release is None:
        print(f"expected {REFERENCE_PACKAGE} {' or '.join(RELEASES)}, found {installed}")
        return 2
    from ai.backend.common.docker import validate_image_labels
    from ai.backend.common.service_ports import parse_service_ports

    service_ports = []
    for text in SERVICE_PORTS:
        record: dict[str, Any] = {"text": text}
        try:
            parse_service_ports(text, "")
        except ValueError as exc:
            record["error"] = caught(exc)
        else:
            record["ok"] = True
        service_ports.append(record)
    validate = []
    for labels in LABEL_SETS:
        record = {"labels": labels}
        try:
            validate_image_labels(labels)
        except ValueError as exc:
            record["error"] = caught(exc)
        else:
            record["ok"] = True
        validate.append(record)
    header = {
        "format": "imageref-message-vectors/1",
        "reference": {
            "package": REFERENCE_PACKAGE,
            "version": installed,
            "python": platform.python_version(),
        },
        "command": "REF_PYTHON tools/make_message_vectors.py",
        "notes": [
            "Generated by tools/make_message_vectors.py; do not edit by hand.",
            "The reference stops at its first fault; imageref reports every one (D14).",
        ],
        "schema": {
            "service_ports": "{text, error | ok}: parse_service_ports(text, ''); error is "
            "{class, message}",
            "validate": "{labels, error | ok}: validate_image_labels(labels); error is {class, "
            "message, reasons?}: reasons, for trafaret's DataError, is label -> reason (a "
            "list of the reasons of a union's branches when the reason is not one string)",
        },
        "counts": {"service_ports": len(service_ports), "validate": len(validate)},
    }
    output = args.output or DATA / f"backendai_{release}_messages.json"
    write_vectors(output, header, {"service_ports": service_ports, "validate": validate})
    print(f"wrote {output} ({header['counts']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
