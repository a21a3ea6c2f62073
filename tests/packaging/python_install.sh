#!/usr/bin/env bash
# Installs the Python client the way the README says (a venv over Debian's packages, pip
# with --no-build-isolation, no package index), then, from outside the source tree:
# imports it, checks that the stubs, py.typed and the .pyi files were installed, pickles
# a Result and a stats() answer, and evaluates against a real jscored ($JSCORED).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jscored="${JSCORED:?set JSCORED to the jscored binary}"
work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  [ -n "${daemon_pid}" ] && kill "${daemon_pid}" 2>/dev/null && wait "${daemon_pid}" 2>/dev/null
  rm -rf "${work}"
}
trap cleanup EXIT

# A copy, so that the build's by-products (build/, *.egg-info) stay out of the checkout.
cp -r "${root}/clients/python" "${work}/src"
rm -rf "${work}/src/build" "${work}/src/"*.egg-info
/usr/bin/python3 -m venv --system-site-packages "${work}/v"
echo "python_install: pip install --no-build-isolation (offline)"
PIP_NO_INDEX=1 "${work}/v/bin/pip" install -q --no-build-isolation "${work}/src"

site="$("${work}/v/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
for f in jscore/py.typed jscore/_gen/jscore/v1/jscore_pb2.pyi jscore/_gen/jscore/v1/jscore_pb2_grpc.py; do
  [ -f "${site}/${f}" ] || { echo "python_install: ${f} is not in the installed package" >&2; exit 1; }
done

: > "${work}/daemon.out"  # exists before the loop reads it (the daemon may not have opened it yet)
"${jscored}" --listen=127.0.0.1:0 --workers=1 > "${work}/daemon.out" 2> "${work}/daemon.err" &
daemon_pid=$!
address=""
for _ in $(seq 1 200); do  # the first stdout line names the port; at most 10 s
  address="$(sed -n 's/^jscored listening on //p' "${work}/daemon.out" | head -n 1)"
  [ -n "${address}" ] && break
  kill -0 "${daemon_pid}" 2>/dev/null || { cat "${work}/daemon.err" >&2; exit 1; }
  sleep 0.05
done
[ -n "${address}" ] || { echo "python_install: jscored did not start" >&2; exit 1; }

cd "${work}"  # not the source tree: the installed package must import on its own
"${work}/v/bin/python" - "${address}" "${site}" <<'PY'
import pickle
import sys

import jscore

address, site = sys.argv[1], sys.argv[2]
assert jscore.__file__.startswith(site), f"jscore imported from {jscore.__file__}, not {site}"
with jscore.Client(address) as client:
    assert client.health() == "SERVING"
    value = client.evaluate("({b: 1, a: [2n, 'x']})")
    assert pickle.loads(pickle.dumps(value)) == value, value
    stats = client.stats()
    again = pickle.loads(pickle.dumps(stats))
    assert again == stats and again.jobs_completed >= 1, again
print("python_install: installed package imports, evaluates and pickles")
PY
