#!/usr/bin/env bash
# Sets up, builds and runs every test (C++ engine and integration tests via ctest).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${JSCORE_BUILD_DIR:-${root}/build}"

bash "${root}/scripts/build.sh"
echo "test: ctest"
ctest --test-dir "${build_dir}" --output-on-failure -j2 --timeout 300
