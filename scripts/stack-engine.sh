#!/usr/bin/env bash
# The Docker engine the stack scripts use (scripts/stack-env.sh, ensure_engine):
#   bash scripts/stack-engine.sh        exit 0 when an engine answers, starting Debian's docker.io
#                                       (installing it when root) if none does; non-zero otherwise
#   bash scripts/stack-engine.sh stop   stop the dockerd that ensure_engine started (its pid file),
#                                       never an engine someone else runs
# For a caller that must not hang or fail when no engine can run (`.ci/run`), e.g.
#   if timeout 600 bash scripts/stack-engine.sh; then ...system test...; fi
set -euo pipefail
# shellcheck source=scripts/stack-env.sh
source "$(dirname "$0")/stack-env.sh"

if [ "${1:-start}" != stop ]; then
  ensure_engine
  exit 0
fi
pid_file="$HJ_STACK_WORKDIR/dockerd.pid"
if [ ! -f "$pid_file" ]; then
  log "no dockerd started by these scripts: nothing to stop"
  exit 0
fi
pid=$(cat "$pid_file")
# The pid file may outlive the engine (a reboot): stop the process only if it still is dockerd.
if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = dockerd ]; then
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 30); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 1
  done
fi
rm -f "$pid_file"
