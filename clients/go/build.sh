#!/usr/bin/env bash
# Builds the Go client, module jscore.dev/jscore (this folder), in module mode and
# offline, against Debian's Go packages:
#   1. serves /usr/share/gocode/src as a module proxy on disk (debian_proxy.sh)
#   2. builds and vets the module (vet type-checks the tests too); go.sum is written
#      on the first build and checked on every later one
# The protobuf/gRPC stubs are committed in jscorev1/ (generate.sh makes them).
# Idempotent. Needs golang-go and golang-google-grpc-dev (scripts/setup.sh installs
# them with the other golang-* packages).
#
# Environment:
#   JSCORE_GO_BUILD  the build folder (default: <repo>/build-go-client): the module
#                    proxy, the module cache and the build cache
# Prints, as its last lines, the environment to build with (see debian_proxy.sh), plus
# GOMODCACHE and GOCACHE in the build folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
build="${JSCORE_GO_BUILD:-${root}/build-go-client}"
export JSCORE_GO_BUILD="${build}"

command -v go >/dev/null || {
  echo "build.sh: go not found (run scripts/setup.sh, or apt-get install golang-go golang-google-grpc-dev)" >&2
  exit 1
}

mapfile -t env_lines < <("${here}/debian_proxy.sh")
env_lines+=("GOMODCACHE=${GOMODCACHE:-${build}/modcache}" "GOCACHE=${GOCACHE:-${build}/cache}")
export "${env_lines[@]}"

cd "${here}"
echo "build.sh: go build + vet jscore.dev/jscore (module mode, offline, $(go version | cut -d' ' -f3))" >&2
go build ./...
go vet ./...
echo "build.sh: done" >&2
printf '%s\n' "${env_lines[@]}"
