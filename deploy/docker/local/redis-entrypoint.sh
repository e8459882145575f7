#!/bin/bash
# Entry point of deploy/docker/local/redis.Dockerfile: runs as `redis`, protected mode off.
set -euo pipefail

if [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
if [ "${1:-}" = redis-server ]; then
  shift
  exec redis-server --protected-mode no --bind 0.0.0.0 "$@"
fi
exec "$@"
