ARG VLLM_VERSION=0.4.2
FROM --platform=linux/x86_64 vllm/vllm-openai:v${VLLM_VERSION} AS runtime
ARG VLLM_VERSION
ARG MODEL_DIR=/models
ENV HF_HOME=/home/work/.cache/huggingface
LABEL ai.backend.kernelspec=1 \
      ai.backend.features="batch uid-match" \
      ai.backend.base-distro="ubuntu22.04" \
      ai.backend.runtime-type="python" \
      ai.backend.runtime-path="/usr/bin/python3" \
      ai.backend.role="INFERENCE" \
      ai.backend.service-ports="vllm:preopen:8000,metrics:http:9090" \
      ai.backend.endpoint-ports="vllm,metrics" \
      ai.backend.model-path="${MODEL_DIR}" \
      ai.backend.model-format="safetensors"
ENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]
