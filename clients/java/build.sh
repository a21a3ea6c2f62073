#!/usr/bin/env bash
# Builds the jscore Java client offline with Maven against Debian's Maven repository
# (/usr/share/maven-repo): generates the gRPC/protobuf stubs from proto/ (protoc +
# /usr/bin/grpc_java_plugin, into target/generated-sources), compiles, and packages
# target/jscore-client-0.1.0.jar. Tests are not run (test.sh runs them).
# Idempotent; Maven rebuilds only what changed. Extra arguments go to mvn.
#
# Environment:
#   JSCORE_JAVA_BUILD  the build folder (default: clients/java/target)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo=/usr/share/maven-repo

missing=()
for tool in mvn javac protoc /usr/bin/grpc_java_plugin; do
  command -v "${tool}" >/dev/null 2>&1 || missing+=("${tool}")
done
for dir in io/grpc/grpc-netty com/google/protobuf/protobuf-java junit/junit \
           org/apache/maven/plugins/maven-surefire-plugin org/codehaus/mojo/exec-maven-plugin; do
  [[ -d "${repo}/${dir}" ]] || missing+=("${repo}/${dir}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "build.sh: missing ${missing[*]}; run scripts/setup.sh as root (it installs the" \
       "Debian packages listed in clients/java/README.md)" >&2
  exit 1
fi

build="${JSCORE_JAVA_BUILD:-${here}/target}"
echo "build.sh: mvn package (offline, ${repo}) into ${build}"
cd "${here}"
mvn -o -B -q -Dmaven.repo.local="${repo}" -Djscore.java.build="${build}" -DskipTests package "$@"
echo "build.sh: built ${build}/jscore-client-0.1.0.jar"
