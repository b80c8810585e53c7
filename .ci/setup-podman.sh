#!/usr/bin/env bash
# Idempotent: installs podman+runc (Debian apt), configures it for this sandbox
# (cgroup v1, no systemd, runc), and starts a Docker-API-compatible service on
# /run/podman/podman.sock. Safe to run any number of times.
# Afterwards use:  DOCKER_HOST=unix:///run/podman/podman.sock TESTCONTAINERS_RYUK_DISABLED=true
set -euo pipefail

SOCK_PATH=/run/podman/podman.sock
LOG=/var/log/podman-service.log

ping_sock() {
  # GET /_ping answers "OK" when the engine is up; bounded by --max-time.
  [ -S "$SOCK_PATH" ] && curl -fsS --max-time 2 --unix-socket "$SOCK_PATH" http://d/_ping >/dev/null 2>&1
}

# 1. packages (skip apt entirely when already present: apt-get update costs ~5-10 s)
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq podman runc curl >/dev/null
fi

# 2. engine config (written only when it differs)
mkdir -p /etc/containers
CONF_WANTED='[containers]
default_ulimits = ["nofile=1024:1024","nproc=1024:1024"]
[engine]
runtime = "runc"'
if [ "$(cat /etc/containers/containers.conf 2>/dev/null || true)" != "$CONF_WANTED" ]; then
  printf '%s\n' "$CONF_WANTED" > /etc/containers/containers.conf
fi

# 3. service (start only if the socket does not already answer)
# A service started from a folder that was deleted since (an earlier clone) still answers /_ping,
# but conmon cannot start containers ("Failed to get working directory": HTTP 500 broken pipe):
# restart it.
PID_FILE=/run/podman/podman-service.pid
if ping_sock && [ -f "$PID_FILE" ] && [[ "$(readlink "/proc/$(cat "$PID_FILE")/cwd" 2>/dev/null || true)" == *"(deleted)" ]]; then
  echo "podman service runs in a deleted folder; restarting it"
  kill "$(cat "$PID_FILE")" 2>/dev/null || true
  for i in $(seq 1 50); do ping_sock || break; sleep 0.2; done
fi
if ping_sock; then
  echo "podman service already answering on $SOCK_PATH"
else
  mkdir -p "$(dirname "$SOCK_PATH")"
  rm -f "$SOCK_PATH"            # stale socket left by a killed service
  # setsid+nohup: survives the end of this script / the calling shell
  # from /: the service (and the conmon of every container) must not depend on this clone's folder
  (cd / && exec setsid nohup podman system service --time=0 "unix://$SOCK_PATH" >>"$LOG" 2>&1 < /dev/null) &
  echo $! > "$PID_FILE"
  for i in $(seq 1 100); do     # at most ~20 s
    if ping_sock; then break; fi
    sleep 0.2
  done
  if ! ping_sock; then
    echo "podman service did not answer on $SOCK_PATH; log:" >&2
    tail -n 50 "$LOG" >&2 || true
    exit 1
  fi
  echo "podman service started (pid $(cat "$PID_FILE")) on $SOCK_PATH"
fi
