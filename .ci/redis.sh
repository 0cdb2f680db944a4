#!/usr/bin/env bash
# Prepares Redis for the test suite:
#  - a Redis answering on 127.0.0.1:6379 (npm test runs the Redis suite against REDIS_URL, default
#    redis://127.0.0.1:6379, and fails on CI when none answers): the one already listening, or a
#    redis-server started here without persistence;
#  - a redis-server binary (the outage suite starts, kills and freezes its own servers on random ports;
#    the HA suite starts its own six-node Cluster, and a master, a replica and three sentinels, the
#    sentinels as `redis-server <file> --sentinel`, so no redis-sentinel package is needed);
#  - redis-cli (the HA suite joins the cluster with `redis-cli --cluster create`).
# Installs the Debian packages redis-server / redis-tools when missing, then waits (bounded) until PING answers.
set -euo pipefail

HOST=127.0.0.1
PORT=${REDIS_CI_PORT:-6379} # REDIS_CI_PORT: only to try this script without touching 6379
WAIT_SECONDS=${REDIS_WAIT_SECONDS:-30}
LOG="${TMPDIR:-/tmp}/dalil-ci-redis.log"

# Sends PING over bash's /dev/tcp (works without redis-cli); true on +PONG within 2 s.
ping_redis() {
  (
    exec 3<>"/dev/tcp/${HOST}/${PORT}" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    [[ "${reply}" == +PONG* ]]
  ) 2>/dev/null
}

install_redis_package() {
  local package=$1
  echo "redis.sh: ${package} not found; installing the Debian package"
  local sudo=''
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo='sudo'; else
      echo "redis.sh: need root (or sudo) to install redis-server" >&2
      return 1
    fi
  fi
  ${sudo} apt-get update
  # The package's own service may fail to start when 6379 is taken already; the binary is what counts.
  DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y "${package}" || command -v redis-server >/dev/null
}

command -v redis-server >/dev/null 2>&1 || install_redis_package redis-server
command -v redis-cli >/dev/null 2>&1 || install_redis_package redis-tools
command -v redis-cli >/dev/null 2>&1 || { echo "redis.sh: redis-cli is still missing" >&2; exit 1; }

if ping_redis; then
  echo "redis.sh: Redis answers on ${HOST}:${PORT}"
  exit 0
fi

echo "redis.sh: starting redis-server on ${HOST}:${PORT}"
redis-server --bind "${HOST}" --port "${PORT}" --save '' --appendonly no --daemonize yes \
  --logfile "${LOG}" --dir "${TMPDIR:-/tmp}"

for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
  if ping_redis; then
    echo "redis.sh: Redis answers on ${HOST}:${PORT}"
    exit 0
  fi
  sleep 0.25
done

echo "redis.sh: Redis did not answer on ${HOST}:${PORT} within ${WAIT_SECONDS} s" >&2
[[ -f "${LOG}" ]] && tail -n 20 "${LOG}" >&2
exit 1
