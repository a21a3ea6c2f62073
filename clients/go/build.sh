#!/usr/bin/env bash
# Builds the Go client in GOPATH mode, offline, against Debian's Go packages:
#   1. lays out a GOPATH in the build folder: src/jscore.dev/jscore -> clients/go
#   2. generates the protobuf/gRPC stubs of proto/jscore/v1/jscore.proto into
#      src/jscore.dev/proto/jscore/v1 (package jscorev1; generated, never committed)
#   3. vets and builds the client and compiles its tests
# Idempotent. Needs golang-go, golang-google-grpc-dev, golang-google-protobuf-dev,
# protoc-gen-go, protoc-gen-go-grpc and protobuf-compiler (scripts/setup.sh installs them).
#
# Environment:
#   JSCORE_GO_BUILD  the build folder (default: <repo>/build-go-client)
# Prints, as its last line, the GOPATH to use: GOPATH=<build>/gopath:/usr/share/gocode
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
build="${JSCORE_GO_BUILD:-${root}/build-go-client}"
gopath="${build}/gopath"
debian_gocode=/usr/share/gocode

for tool in go protoc protoc-gen-go protoc-gen-go-grpc; do
  command -v "${tool}" >/dev/null || {
    echo "build.sh: ${tool} not found (run scripts/setup.sh, or apt-get install golang-go" \
         "golang-google-grpc-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc" \
         "protobuf-compiler)" >&2
    exit 1
  }
done
[[ -d "${debian_gocode}/src/google.golang.org/grpc" ]] || {
  echo "build.sh: ${debian_gocode}/src/google.golang.org/grpc missing (apt-get install golang-google-grpc-dev)" >&2
  exit 1
}

export GOPATH="${gopath}:${debian_gocode}" GO111MODULE=off GOFLAGS=
export GOCACHE="${GOCACHE:-${build}/cache}"

# 1. The client package, by symlink (edits in clients/go are seen at once).
mkdir -p "${gopath}/src/jscore.dev"
link="${gopath}/src/jscore.dev/jscore"
if [[ "$(readlink "${link}" 2>/dev/null || true)" != "${here}" ]]; then
  rm -rf "${link}"
  ln -s "${here}" "${link}"
fi

# 2. The stubs: generated into a temporary folder and swapped in, so an interrupted
# run never leaves half a package behind. The M options give jscore.proto its
# GOPATH import path (its go_package option is a module-relative one).
proto_dir="${root}/proto"
out="${gopath}/src/jscore.dev/proto/jscore/v1"
stamp="${out}/.source.sha256"
want="$( (sha256sum "${proto_dir}/jscore/v1/jscore.proto"; protoc --version;
          protoc-gen-go --version; protoc-gen-go-grpc --version) 2>&1 | sha256sum | cut -d' ' -f1)"
if [[ ! -f "${stamp}" || "$(cat "${stamp}")" != "${want}" ]]; then
  echo "build.sh: protoc ${proto_dir}/jscore/v1/jscore.proto -> ${out}"
  mkdir -p "${build}"
  tmp="$(mktemp -d "${build}/gen.XXXXXX")"
  trap 'rm -rf "${tmp}"' EXIT
  m="Mjscore/v1/jscore.proto=jscore.dev/proto/jscore/v1;jscorev1"
  protoc -I "${proto_dir}" \
    --go_out="${tmp}" --go_opt=paths=import --go_opt="${m}" \
    --go-grpc_out="${tmp}" --go-grpc_opt=paths=import --go-grpc_opt="${m}" \
    jscore/v1/jscore.proto
  echo "${want}" > "${tmp}/jscore.dev/proto/jscore/v1/.source.sha256"
  mkdir -p "$(dirname "${out}")"
  rm -rf "${out}"
  mv -T "${tmp}/jscore.dev/proto/jscore/v1" "${out}"
  rm -rf "${tmp}"
  trap - EXIT
else
  echo "build.sh: stubs up to date in ${out}"
fi

# 3. Build, and vet (which type-checks the tests too).
cd "${gopath}/src/jscore.dev/jscore"
echo "build.sh: go build + vet jscore.dev/jscore (GOPATH mode, $(go version | cut -d' ' -f3))"
go build jscore.dev/proto/jscore/v1 jscore.dev/jscore
go vet jscore.dev/jscore
echo "build.sh: done"
echo "GOPATH=${GOPATH}"
