#!/usr/bin/env bash
# Generates the Go protobuf/gRPC stubs of proto/jscore/v1/jscore.proto into jscorev1/
# (package jscorev1, import path jscore.dev/jscore/jscorev1). They are committed, so
# that the module builds with no step of its own; after changing the .proto run this
# and commit the result (the go_stubs_current test fails until then).
# `generate.sh --check` only compares freshly generated stubs with the committed ones.
# Idempotent: generates into a temporary folder and swaps it in. Needs protoc,
# protoc-gen-go and protoc-gen-go-grpc (Debian: protobuf-compiler, protoc-gen-go,
# protoc-gen-go-grpc); the committed files name the versions they were made with.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
proto_dir="${root}/proto"
out="${here}/jscorev1"
check=0
[[ "${1:-}" == --check ]] && check=1

for tool in protoc protoc-gen-go protoc-gen-go-grpc; do
  command -v "${tool}" >/dev/null || {
    echo "generate.sh: ${tool} not found (apt-get install protobuf-compiler protoc-gen-go protoc-gen-go-grpc)" >&2
    exit 1
  }
done

tmp="$(mktemp -d "${here}/.jscorev1.tmp.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT

# The M option gives jscore.proto its import path inside this module (the .proto's own
# go_package is a relative one, shared with no other Go code).
m="Mjscore/v1/jscore.proto=jscore.dev/jscore/jscorev1;jscorev1"
echo "generate.sh: protoc ${proto_dir}/jscore/v1/jscore.proto -> ${out}"
protoc -I "${proto_dir}" \
  --go_out="${tmp}" --go_opt=module=jscore.dev/jscore --go_opt="${m}" \
  --go-grpc_out="${tmp}" --go-grpc_opt=module=jscore.dev/jscore --go-grpc_opt="${m}" \
  jscore/v1/jscore.proto

if [[ "${check}" == 1 ]]; then
  if ! diff -r -q "${tmp}/jscorev1" "${out}"; then
    echo "generate.sh: the committed stubs in ${out} differ from proto/: run clients/go/generate.sh and commit" >&2
    exit 1
  fi
  echo "generate.sh: the committed stubs match proto/"
  exit 0
fi
rm -rf "${out}"
mv -T "${tmp}/jscorev1" "${out}"
echo "generate.sh: done"
