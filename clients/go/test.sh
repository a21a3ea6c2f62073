#!/usr/bin/env bash
# Builds the Go client (build.sh: module mode, offline) and runs its tests against a
# real jscored, which the tests start themselves on a free loopback port and stop at
# the end.
#
# Environment:
#   JSCORED           the jscored binary (required unless <repo>/build/daemon/jscored exists)
#   JSCORE_GO_BUILD   the build folder (default: <repo>/build-go-client)
#   GO_TEST_FLAGS     extra `go test` flags (default: -v); e.g. "-run TestBatch -v"
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"

jscored="${JSCORED:-${root}/build/daemon/jscored}"
[[ -x "${jscored}" ]] || { echo "test.sh: no jscored at ${jscored} (set JSCORED)" >&2; exit 1; }
export JSCORED="$(cd "$(dirname "${jscored}")" && pwd)/$(basename "${jscored}")"
export JSCORE_CONFORMANCE_DIR="${root}/tests/client_conformance"

mapfile -t env_lines < <("${here}/build.sh")
export "${env_lines[@]}"

cd "${here}"
echo "test.sh: go test jscore.dev/jscore/... against ${JSCORED}"
# shellcheck disable=SC2086
go test -count=1 -timeout 300s ${GO_TEST_FLAGS:--v} ./...
