#!/usr/bin/env bash
# Prints the class path of the jscore Java client for plain `java`/`javac` use: the
# built jar (build.sh) and its runtime jars from Debian's /usr/share/java.
#
# Environment:
#   JSCORE_JAVA_BUILD  the build folder (default: clients/java/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${JSCORE_JAVA_BUILD:-${here}/target}"
jar="${build}/jscore-client-0.1.0.jar"
[[ -f "${jar}" ]] || { echo "classpath.sh: no ${jar}; run clients/java/build.sh" >&2; exit 1; }

jars=(
  grpc-api grpc-context grpc-core grpc-netty grpc-protobuf grpc-protobuf-lite grpc-stub
  protobuf proto-google-common-protos guava error_prone_annotations jsr305 perfmark-api gson
  animal-sniffer-annotations netty-buffer netty-codec netty-codec-http netty-codec-http2
  netty-codec-socks netty-common netty-handler netty-handler-proxy netty-resolver
  netty-transport netty-tcnative
)
path="${jar}"
for j in "${jars[@]}"; do
  f="/usr/share/java/${j}.jar"
  [[ -f "${f}" ]] || { echo "classpath.sh: missing ${f}; run scripts/setup.sh" >&2; exit 1; }
  path+=":${f}"
done
echo "${path}"
