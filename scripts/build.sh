#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then configures and builds jscore in build/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${JSCORE_BUILD_DIR:-${root}/build}"

bash "${root}/scripts/setup.sh"
# ccache: share hits between checkouts in different folders (CI clones afresh).
export CCACHE_BASEDIR="${root}" CCACHE_NOHASHDIR=true
echo "build: configuring ${build_dir}"
cmake -S "${root}" -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "build: compiling"
cmake --build "${build_dir}"
