#!/usr/bin/env bash
# Installs what jscore needs to build and test, from Debian's packages only.
# Idempotent: safe to run again; it installs only what is missing.
#   - build tools and libraries (gRPC, protobuf, abseil, libuv, OpenSSL, libcurl, GoogleTest, ...)
#   - V8 10.2 from Debian's libnode108 + libnode-dev, unpacked (not installed) into
#     third_party/libnode/ because this machine's Node.js is not Debian's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
libnode_dir="${root}/third_party/libnode"

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libuv1-dev libssl-dev openssl zlib1g-dev libicu-dev libbrotli-dev
  libgtest-dev libgmock-dev libbenchmark-dev libconcurrentqueue-dev libboost-dev libmicrohttpd-dev
  libcurl4-openssl-dev  # fetch/XMLHttpRequest (--allow_fetch)
  python3-grpcio python3-protobuf python3-pytest yamllint
  python3-venv python3-pip python3-setuptools python3-wheel  # pip install ./clients/python (offline)
  gnuplot-nox  # bench/run's plots
  nghttp2-client  # h2load: bench/run's workerd peer (bench/peers/workerd)
  clang libclang-rt-14-dev llvm  # sanitizer, fuzzing and warnings builds (scripts/sanitizers.sh, fuzz.sh, warnings.sh)
  clang-format universal-ctags  # scripts/format.sh (.clang-format), scripts/function_lengths.sh
  golang-go golang-google-grpc-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc
  openjdk-17-jdk-headless maven libgrpc-java libprotobuf-java protobuf-compiler-grpc-java-plugin
  libnetty-java libnetty-tcnative-java libnetty-tcnative-jni libgoogle-gson-java libperfmark-java
  libanimal-sniffer-java libgoogle-common-protos-java libguava-java liberror-prone-java libjsr305-java
  libgeronimo-annotation-1.3-spec-java junit4 libmaven-compiler-plugin-java libmaven-resources-plugin-java
  libmaven-jar-plugin-java libsurefire-java libexec-maven-plugin-java libbuild-helper-maven-plugin-java
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already installed"
fi

# V8 from libnode: download the .debs and unpack them into the build's own folder.
if [ ! -f "${libnode_dir}/.unpacked" ]; then
  echo "setup: fetching libnode108 + libnode-dev into ${libnode_dir}"
  tmp="$(mktemp -d)"
  trap 'rm -rf "${tmp}"' EXIT
  (cd "${tmp}" && { apt-get download libnode108 libnode-dev 2>/dev/null || { apt-get update -qq && apt-get download libnode108 libnode-dev; }; })
  rm -rf "${libnode_dir}"
  mkdir -p "${libnode_dir}"
  for deb in "${tmp}"/*.deb; do dpkg -x "${deb}" "${libnode_dir}"; done
  touch "${libnode_dir}/.unpacked"
else
  echo "setup: libnode already unpacked"
fi
echo "setup: done"
