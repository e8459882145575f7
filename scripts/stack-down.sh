#!/usr/bin/env bash
# `npm run stack:down`: stops the stack `npm run stack:local` started and removes its containers,
# networks and volumes (every tenant and key with them). The images stay for the next start.
set -euo pipefail
# shellcheck source=scripts/stack-env.sh
source "$(dirname "$0")/stack-env.sh"

if ! docker info >/dev/null 2>&1; then
  log "no Docker engine answers: nothing to stop"
  exit 0
fi
compose down --volumes --remove-orphans --timeout 30
