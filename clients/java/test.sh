#!/usr/bin/env bash
# Builds the jscore Java client and runs its JUnit tests (Maven surefire, offline against
# /usr/share/maven-repo). The tests start their own jscored processes on free loopback
# ports and stop them at the end; they also run every case of tests/client_conformance/.
#
# Environment:
#   JSCORED            the jscored binary (default: <repo>/build/daemon/jscored)
#   JSCORE_JAVA_BUILD  the build folder (default: clients/java/target)
# Extra arguments go to mvn, e.g. test.sh -Dtest=BatchTest
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
repo=/usr/share/maven-repo

jscored="${JSCORED:-${root}/build/daemon/jscored}"
[[ -x "${jscored}" ]] || { echo "test.sh: no jscored at ${jscored} (set JSCORED)" >&2; exit 1; }
export JSCORED="$(cd "$(dirname "${jscored}")" && pwd)/$(basename "${jscored}")"
export JSCORE_CONFORMANCE_DIR="${root}/tests/client_conformance"

command -v mvn >/dev/null 2>&1 || { echo "test.sh: no mvn; run scripts/setup.sh" >&2; exit 1; }
build="${JSCORE_JAVA_BUILD:-${here}/target}"
echo "test.sh: mvn package (build + tests) into ${build}, against ${JSCORED}"
cd "${here}"
mvn -o -B -Dmaven.repo.local="${repo}" -Djscore.java.build="${build}" -Djscored="${JSCORED}" \
    package "$@"
