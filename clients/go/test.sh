#!/usr/bin/env bash
# Builds the Go client (build.sh) and runs its tests against a real jscored, which
# the tests start themselves on a free loopback port and stop at the end.
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

gopath_line="$("${here}/build.sh" | tee /dev/stderr | tail -n 1)"
export "${gopath_line?}" GO111MODULE=off GOFLAGS=
build="${JSCORE_GO_BUILD:-${root}/build-go-client}"
export GOCACHE="${GOCACHE:-${build}/cache}"

cd "${build}/gopath/src/jscore.dev/jscore"
echo "test.sh: go test jscore.dev/jscore against ${JSCORED}"
# shellcheck disable=SC2086
go test -count=1 -timeout 300s ${GO_TEST_FLAGS:--v} jscore.dev/jscore
