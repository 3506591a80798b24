ARG CUDA=12.1.1
ARG CUDNN=8
ARG BASE=nvidia/cuda:${CUDA}-cudnn${CUDNN}-devel-ubuntu22.04
FROM ${BASE} AS base
ENV CUDA_VERSION_MAJOR=12 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3 python3-pip python3-dev \
      ca-certificates curl git openssh-server \
 && rm -rf /var/lib/apt/lists/*

FROM base AS torch
ARG TORCH=2.1.2
ARG TORCHVISION=0.16.2
RUN python3 -m pip install --no-cache-dir \
      torch==${TORCH} torchvision==${TORCHVISION} \
      --index-url https://download.pytorch.org/whl/cu121
COPY <<-"EOT" /etc/profile.d/torch.sh
	export TORCH_HOME=/home/work/.cache/torch
	LABEL ai.backend.kernelspec=99
	EOT

FROM torch
ARG TORCH
LABEL maintainer="Backend.AI kernel team <kernels@example.com>"
LABEL ai.backend.kernelspec="1" \
      ai.backend.envs.corecount="OPENBLAS_NUM_THREADS,OMP_NUM_THREADS,NPROC" \
      ai.backend.features="batch query uid-match user-input" \
      ai.backend.base-distro="ubuntu22.04" \
      ai.backend.accelerators="cuda" \
      ai.backend.resource.min.cpu="1" \
      ai.backend.resource.min.mem="4g" \
      ai.backend.resource.min.cuda.device=1 \
      ai.backend.resource.min.cuda.shares=0.1 \
      ai.backend.runtime-type="python" \
      ai.backend.runtime-path="/usr/bin/python3" \
      ai.backend.service-ports="ipython:pty:3000,jupyter:http:8081,jupyterlab:http:8090,tensorboard:http:6006,ssh:tcp:22" \
      org.opencontainers.image.version="${TORCH}"
WORKDIR /home/work
