FROM gcc:13 AS toolchain
ONBUILD RUN <<EOF
echo "LABEL ai.backend.runtime-type=broken"
EOF
ONBUILD COPY . /src

FROM toolchain AS final
LABEL "ai.backend.kernelspec"='1' 'ai.backend.features'="query batch uid-match" \
      ai.backend.base-distro=debian12 \
      ai.backend.runtime-type=cpp \
      ai.backend.runtime-path=/usr/local/bin/g++ \
      ai.backend.service-ports=""
HEALTHCHECK --interval=30s CMD ["true"]
