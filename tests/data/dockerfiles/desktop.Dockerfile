FROM scratch AS rootfs
ADD ubuntu-jammy-rootfs.tar.gz /

FROM rootfs
ARG VNC_PORT=5901
ARG TARGETARCH
LABEL ai.backend.kernelspec=1
LABEL ai.backend.features "batch query uid-match"
LABEL ai.backend.base-distro="ubuntu22.04" ai.backend.runtime-type="app"
LABEL ai.backend.runtime-path="/bin/true" \
      ai.backend.service-ports="desktop:vnc:${VNC_PORT},rdp:rdp:3389" \
      ai.backend.accelerators="${TARGETARCH}"
RUN cat > /etc/motd <<'BANNER'
LABEL ai.backend.kernelspec=2
FROM busybox
BANNER
