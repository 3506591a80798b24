# syntax=docker/dockerfile:1.7
# A Backend.AI Python kernel image (written for imageref's tests).
ARG PYTHON_VERSION=3.11
ARG UBUNTU_VERSION=22.04
FROM ubuntu:${UBUNTU_VERSION} AS builder
ARG PYTHON_VERSION
ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        build-essential \
        # the compilers the wheels need
        gfortran \
        libssl-dev \
    && rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -e
python${PYTHON_VERSION} -m venv /opt/venv
/opt/venv/bin/pip install -U pip setuptools wheel
EOF

FROM ubuntu:${UBUNTU_VERSION}
ARG PYTHON_VERSION
ARG UBUNTU_VERSION
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1
LABEL ai.backend.kernelspec="1" \
      ai.backend.envs.corecount="OPENBLAS_NUM_THREADS,OMP_NUM_THREADS,NPROC" \
      ai.backend.features="batch query uid-match user-input" \
      ai.backend.base-distro="ubuntu${UBUNTU_VERSION}" \
      ai.backend.accelerators="cuda" \
      ai.backend.resource.min.cpu="1" \
      ai.backend.resource.min.mem="1g" \
      ai.backend.runtime-type="python" \
      ai.backend.runtime-path="/opt/venv/bin/python${PYTHON_VERSION}" \
      ai.backend.service-ports="ipython:pty:3000,jupyter:http:8081,jupyterlab:http:8090,vscode:http:8180,tensorboard:http:6006"
COPY policy.yml /etc/backend.ai/jail/policy.yml
CMD ["/opt/venv/bin/python"]
