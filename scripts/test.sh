#!/usr/bin/env bash
# Sets up, builds and runs every test (C++ engine and integration tests via ctest), then
# the C++ tests under ASan+UBSan and TSan, then each fuzz target for 60 s (README.md,
# "Hardening"; JSCORE_SKIP_HARDENING=1 skips those two steps on a developer machine).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${JSCORE_BUILD_DIR:-${root}/build}"

bash "${root}/scripts/build.sh"
echo "test: ctest"
ctest --test-dir "${build_dir}" --output-on-failure -j2 --timeout 300
if [ "${JSCORE_SKIP_HARDENING:-0}" != 1 ]; then
  echo "test: sanitizers"
  bash "${root}/scripts/sanitizers.sh"
  echo "test: fuzzing"
  bash "${root}/scripts/fuzz.sh" "${JSCORE_FUZZ_SECONDS:-60}"
fi
