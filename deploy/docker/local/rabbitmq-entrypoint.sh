#!/bin/bash
# Entry point of deploy/docker/local/rabbitmq.Dockerfile: writes the default user into the
# configuration (as the official image does with RABBITMQ_DEFAULT_*), then runs as `rabbitmq`.
set -euo pipefail

if [ "$(id -u)" = 0 ]; then
  {
    echo 'listeners.tcp.default = 5672'
    echo "default_user = ${RABBITMQ_DEFAULT_USER:-guest}"
    echo "default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}"
    # Log to stdout for `docker logs`.
    echo 'log.console = true'
    echo 'log.file = false'
  } >/etc/rabbitmq/rabbitmq.conf
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq
  export HOME=/var/lib/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$0" "$@"
fi
exec "$@"
