#!/usr/bin/env bash
# Sets up, builds, checks every C++ file against .clang-format (scripts/format.sh) and
# every function of engine/ and daemon/ against 80 lines (scripts/function_lengths.sh), runs
# every test (C++ engine and integration tests via ctest), then
# the clang build with -Wall -Wextra -Werror -Wthread-safety on our code, the C++ tests
# under ASan+UBSan and TSan, then each fuzz target for 60 s (README.md, "Hardening";
# JSCORE_SKIP_HARDENING=1 skips those steps on a developer machine).
# Each step's wall time is printed as it ends ("test: <step> took N s").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${JSCORE_BUILD_DIR:-${root}/build}"

# timed NAME COMMAND...: runs COMMAND and prints how long it took.
timed() {
  local name="$1" start="${SECONDS}"
  shift
  echo "test: ${name}"
  "$@"
  echo "test: ${name} took $((SECONDS - start)) s"
}

timed build bash "${root}/scripts/build.sh"
timed "format check" bash "${root}/scripts/format.sh" --check
timed "function lengths" bash "${root}/scripts/function_lengths.sh"
timed ctest ctest --test-dir "${build_dir}" --output-on-failure -j2 --timeout 300
if [ "${JSCORE_SKIP_HARDENING:-0}" != 1 ]; then
  timed "warnings (clang -Werror)" bash "${root}/scripts/warnings.sh"
  timed "sanitizers (ASan+UBSan)" bash "${root}/scripts/sanitizers.sh" asan
  timed "sanitizers (TSan)" bash "${root}/scripts/sanitizers.sh" tsan
  timed fuzzing bash "${root}/scripts/fuzz.sh" "${JSCORE_FUZZ_SECONDS:-60}"
fi
echo "test: all passed in ${SECONDS} s"
