#!/usr/bin/env bash
# Packs a static toxiproxy-server into a FROM-scratch image tagged with the name holdup starts
# through testcontainers (ghcr.io/shopify/toxiproxy:2.12.0), in the local container storage:
# no registry is contacted. Idempotent; FORCE=1 rebuilds.
#   usage: .ci/build-toxiproxy-image.sh /path/to/static/toxiproxy-server
set -euo pipefail

BINARY="${1:?usage: $0 /path/to/static/toxiproxy-server}"
IMAGE=ghcr.io/shopify/toxiproxy:2.12.0

if [ "${FORCE:-0}" != 1 ] && podman image exists "$IMAGE"; then
  echo "image $IMAGE already present (FORCE=1 to rebuild)"
  exit 0
fi
# a scratch image has no libc: the binary must be static (CGO_ENABLED=0)
if ldd "$BINARY" >/dev/null 2>&1; then
  echo "$BINARY is dynamically linked; build it with CGO_ENABLED=0" >&2
  exit 1
fi

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$BINARY" "$context/toxiproxy"
cat > "$context/Containerfile" <<'CF'
FROM scratch
COPY toxiproxy /toxiproxy
EXPOSE 8474
ENTRYPOINT ["/toxiproxy"]
CMD ["-host=0.0.0.0"]
CF
podman build --pull=never -t "$IMAGE" -f "$context/Containerfile" "$context"
podman image inspect "$IMAGE" --format "built {{.Id}} ({{.Size}} bytes)"
