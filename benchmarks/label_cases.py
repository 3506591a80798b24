"""The label sets the label benchmarks time (shared by bench_labels.py and compare_labels.py)."""

from __future__ import annotations

#: A realistic image's labels: 14 of them, as `docker inspect` shows a CUDA Python image.
REALISTIC_LABELS = {
    "ai.backend.kernelspec": "1",
    "ai.backend.features": "batch query uid-match user-input",
    "ai.backend.base-distro": "ubuntu22.04",
    "ai.backend.runtime-type": "python",
    "ai.backend.runtime-path": "/opt/conda/bin/python3",
    "ai.backend.envs.corecount": "OPENBLAS_NUM_THREADS,OMP_NUM_THREADS,NPROC",
    "ai.backend.accelerators": "cuda",
    "ai.backend.resource.min.cpu": "1",
    "ai.backend.resource.min.mem": "1g",
    "ai.backend.resource.min.cuda.device": "1",
    "ai.backend.service-ports": (
        "ipython:pty:3000,jupyter:http:8081,jupyterlab:http:8090,vscode:http:8180,"
        "tensorboard:http:6006,mlflow-ui:preopen:5000,nniboard:preopen:8080"
    ),
    "com.nvidia.cudnn.version": "8.9.0",
    "maintainer": "Lablup Inc.",
    "org.opencontainers.image.ref.name": "ubuntu",
}
SERVICE_PORTS = REALISTIC_LABELS["ai.backend.service-ports"]

#: A typical kernel image's labels: the five required ones (no role: it defaults) and
#: four service ports; the shape issue 16 measured.
TYPICAL_LABELS = {
    "ai.backend.kernelspec": "1",
    "ai.backend.features": "batch query uid-match user-input",
    "ai.backend.base-distro": "ubuntu22.04",
    "ai.backend.runtime-type": "python",
    "ai.backend.runtime-path": "/usr/bin/python3",
    "ai.backend.service-ports": (
        "jupyter:http:8081,jupyterlab:http:8090,vscode:http:8180,tensorboard:http:6006"
    ),
}


def new_typical_label_set(i: int) -> dict[str, str]:
    """The typical labels with service-ports and runtime-path values that are *i*'s own."""
    labels = dict(TYPICAL_LABELS)
    labels["ai.backend.runtime-path"] = f"/usr/bin{i}/python3"
    labels["ai.backend.service-ports"] = TYPICAL_LABELS["ai.backend.service-ports"].replace(
        "jupyter:http:8081", f"jupyter{i}:http:{10000 + i % 50000}"
    )
    return labels


def new_labels(count: int) -> list[dict[str, str]]:
    """*count* realistic label sets, no two sharing a service-ports or runtime-path value."""
    return [new_label_set(i) for i in range(count)]


def new_label_set(i: int) -> dict[str, str]:
    """A realistic label set whose service-ports and runtime-path values are *i*'s own."""
    labels = dict(REALISTIC_LABELS)
    labels["ai.backend.runtime-path"] = f"/opt/conda{i}/bin/python3"
    labels["ai.backend.service-ports"] = new_service_ports(i)
    return labels


def new_service_ports(i: int) -> str:
    """A realistic service-ports text of 7 entries, different for every *i*."""
    return SERVICE_PORTS.replace("8081", str(10000 + i % 50000)).replace("jupyter:", f"jupyter{i}:")


def long_service_ports(n: int) -> tuple[str, str]:
    """A service-ports label of *n* preopen entries and the endpoint ports naming them all."""
    ports = ",".join(f"p{i}:preopen:{10000 + i}" for i in range(n))
    return ports, ",".join(f"p{i}" for i in range(n))


def inference_labels(n: int) -> dict[str, str]:
    """An INFERENCE image whose *n* service ports are all endpoint ports."""
    ports, endpoints = long_service_ports(n)
    return {
        **{k: v for k, v in REALISTIC_LABELS.items() if k != "ai.backend.service-ports"},
        "ai.backend.role": "INFERENCE",
        "ai.backend.service-ports": ports,
        "ai.backend.endpoint-ports": endpoints,
        "ai.backend.model-path": "/models/llama",
        "ai.backend.model-format": "gguf",
    }
