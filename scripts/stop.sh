#!/usr/bin/env bash
# Stops the jscored that scripts/start.sh started (SIGTERM: graceful).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pid_file="${JSCORE_BUILD_DIR:-${root}/build}/jscored.pid"
[ -f "${pid_file}" ] || { echo "stop: no pid file"; exit 0; }
pid="$(cat "${pid_file}")"
if kill -0 "${pid}" 2>/dev/null; then
  kill -TERM "${pid}"
  for _ in $(seq 1 150); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.1; done
  echo "stop: jscored (pid ${pid}) stopped"
fi
rm -f "${pid_file}"
