#!/usr/bin/env bash
# Sets up, builds and starts jscored on 127.0.0.1:50051 (in the background), waits
# until it is healthy, and shows an evaluation. Stop it with scripts/stop.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${JSCORE_BUILD_DIR:-${root}/build}"
listen="${JSCORE_LISTEN:-127.0.0.1:50051}"

bash "${root}/scripts/build.sh"
bash "${root}/scripts/stop.sh" >/dev/null 2>&1 || true

echo "start: jscored --listen=${listen} (log: ${build_dir}/jscored.log)"
nohup "${build_dir}/daemon/jscored" --listen="${listen}" >"${build_dir}/jscored.log" 2>&1 &
echo $! >"${build_dir}/jscored.pid"

cli="${build_dir}/clients/cli/jscore"
for _ in $(seq 1 150); do
  if "${cli}" --target="${listen}" --timeout=1s health >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat "${build_dir}/jscored.pid")" 2>/dev/null; then
    echo "start: jscored exited; see ${build_dir}/jscored.log" >&2
    cat "${build_dir}/jscored.log" >&2
    exit 1
  fi
  sleep 0.2
done
"${cli}" --target="${listen}" health

echo "\$ jscore eval '1+2'"
"${cli}" --target="${listen}" eval '1+2'
echo "\$ jscore eval '(async () => { await new Promise(r => setTimeout(r, 50)); return {a: [1, \"x\", null]} })()'"
"${cli}" --target="${listen}" eval '(async () => { await new Promise(r => setTimeout(r, 50)); return {a: [1, "x", null]} })()'
echo "start: jscored is running (pid $(cat "${build_dir}/jscored.pid")); the CLI is ${cli}"
