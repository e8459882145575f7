#!/usr/bin/env bash
# Checks that PostgreSQL, MariaDB, Redis and RabbitMQ answer on their local ports, starting any
# that stopped (commands from ../shared/toolchain.md). Exits non-zero if one cannot be started.
set -uo pipefail

wait_for() { # name, check command, seconds
  local name=$1 check=$2 seconds=$3
  for _ in $(seq 1 "$seconds"); do
    if eval "$check" >/dev/null 2>&1; then echo "  $name: up"; return 0; fi
    sleep 1
  done
  echo "  $name: NOT answering after ${seconds}s" >&2
  return 1
}

ensure() { # name, check, start, seconds
  local name=$1 check=$2 start=$3 seconds=$4
  if eval "$check" >/dev/null 2>&1; then echo "  $name: up"; return 0; fi
  echo "  $name: down, starting it"
  eval "$start" >/dev/null 2>&1 || true
  wait_for "$name" "$check" "$seconds"
}

failed=0
ensure postgresql "pg_isready -h 127.0.0.1 -p 5432 -q" \
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' 30 || failed=1
ensure mariadb "mysqladmin -h 127.0.0.1 -P 3306 -uroot ping" \
  "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd" 30 || failed=1
ensure redis "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG" \
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log' 20 || failed=1
ensure rabbitmq "rabbitmq-diagnostics -q check_port_connectivity" \
  "rabbitmq-server -detached" 90 || failed=1
# The broker may have been left with a stopped app by an interrupted fault test.
if ! rabbitmqctl -q status >/dev/null 2>&1 || ! rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then
  rabbitmqctl -q start_app >/dev/null 2>&1 || true
  wait_for rabbitmq-app "rabbitmq-diagnostics -q check_running" 60 || failed=1
fi
exit $failed
