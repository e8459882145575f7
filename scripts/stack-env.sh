# Shared by scripts/stack-*.sh (sourced, not run): image names, the Docker engine, the compose
# command. Image names and tags here are the ones docker-compose.yml, docker-compose.local.yml and
# deploy/k8s name (deploy/test/stack-images.test.ts holds them together).
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HJ_VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$REPO_ROOT/package.json" | head -1)
HJ_STACK_WORKDIR=${HJ_STACK_WORKDIR:-/tmp/hellojohn-stack}
HJ_STACK_PROJECT=${HJ_STACK_PROJECT:-hellojohn-local}

DEBIAN_BASE_IMAGE=hellojohn/debian-base:bookworm
NODE_BASE_IMAGE=hellojohn/node-base:20
PLANE_IMAGES=(control-plane data-plane)
LOCAL_SERVICE_IMAGES=(postgres:hellojohn/local-postgres:15 rabbitmq:hellojohn/local-rabbitmq:3.10 redis:hellojohn/local-redis:7.0 haproxy:hellojohn/local-haproxy:2.6)

log() { printf '\033[1m[stack %s]\033[0m %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Starts a Docker engine when none answers: Debian's docker.io, run in the background (overlay2,
# or vfs where overlay2 cannot mount). Installs the packages when missing and running as root.
ensure_engine() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "No Docker engine answers. Start one, or run as root to let this script install Debian's docker.io." >&2
    exit 1
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1 \
    || ! command -v docker-compose >/dev/null 2>&1; then
    log "installing docker.io, docker-compose and debootstrap (Debian packages)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
      docker.io docker-compose debootstrap
  fi
  mkdir -p "$HJ_STACK_WORKDIR"
  local driver
  for driver in overlay2 vfs; do
    log "starting dockerd (storage driver $driver)"
    nohup dockerd --storage-driver="$driver" >"$HJ_STACK_WORKDIR/dockerd.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 30); do
      if docker info >/dev/null 2>&1; then
        # So `scripts/stack-engine.sh stop` stops this engine, and only an engine started here.
        echo "$pid" >"$HJ_STACK_WORKDIR/dockerd.pid"
        return 0
      fi
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      sleep 1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "dockerd did not start; see $HJ_STACK_WORKDIR/dockerd.log" >&2
  exit 1
}

# `docker compose` (v2 plugin) when present, else Debian's docker-compose 1.29. HJ_STACK_COMPOSE_EXTRA
# names one more override file (the system test's, deploy/test/support/stack-test.compose.yml).
compose() {
  local files=(-f "$REPO_ROOT/docker-compose.yml" -f "$REPO_ROOT/docker-compose.local.yml")
  if [ -n "${HJ_STACK_COMPOSE_EXTRA:-}" ]; then files+=(-f "$HJ_STACK_COMPOSE_EXTRA"); fi
  if docker compose version >/dev/null 2>&1; then
    docker compose -p "$HJ_STACK_PROJECT" "${files[@]}" "$@"
  else
    # docker-compose 1.29 rejects the top-level `name:` (newer than its schema): give it a copy
    # without that line, with relative paths still resolved from the repository root.
    mkdir -p "$HJ_STACK_WORKDIR"
    sed '/^name:/d' "$REPO_ROOT/docker-compose.yml" >"$HJ_STACK_WORKDIR/docker-compose.yml"
    files[1]="$HJ_STACK_WORKDIR/docker-compose.yml"
    docker-compose --project-directory "$REPO_ROOT" -p "$HJ_STACK_PROJECT" "${files[@]}" "$@"
  fi
}
