#!/usr/bin/env bash
# `npm run stack:local`: builds every image the stack needs (scripts/stack-images.sh), starts
# docker-compose.yml with docker-compose.local.yml, and waits until both planes are ready.
# Control plane on http://localhost:${HELLOJOHN_CP_PORT:-8081}, data plane (through its HAProxy)
# on http://localhost:${HELLOJOHN_DP_PORT:-8080}; nothing else publishes a port.
#   HJ_STACK_SKIP_BUILD=1     use the images already built
#   HJ_STACK_DP_REPLICAS=3    data-plane replicas behind the load balancer (default 1)
#   HJ_STACK_PROJECT=name     compose project name (default hellojohn-local)
# `npm run stack:down` stops it and removes its volumes.
set -euo pipefail
# shellcheck source=scripts/stack-env.sh
source "$(dirname "$0")/stack-env.sh"

ensure_engine
if [ "${HJ_STACK_SKIP_BUILD:-0}" != 1 ]; then bash "$REPO_ROOT/scripts/stack-images.sh"; fi

cp_url="http://127.0.0.1:${HELLOJOHN_CP_PORT:-8081}"
dp_url="http://127.0.0.1:${HELLOJOHN_DP_PORT:-8080}"
started=$SECONDS
log "starting the stack (project $HJ_STACK_PROJECT)"
compose up -d --no-build --scale "data-plane=${HJ_STACK_DP_REPLICAS:-1}"

ready() { node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$1"; }
deadline=$((SECONDS + ${HJ_STACK_READY_TIMEOUT:-240}))
until ready "$cp_url/readyz" && ready "$dp_url/readyz"; do
  if [ "$SECONDS" -gt "$deadline" ]; then
    compose ps >&2
    compose logs --tail=40 >&2
    echo "the stack did not become ready" >&2
    exit 1
  fi
  sleep 2
done
compose ps
log "ready in $((SECONDS - started)) s: control plane $cp_url, data plane $dp_url"
log "first admin: admin@example.com / dev-only-admin-password (docker-compose.yml; dev only)"
