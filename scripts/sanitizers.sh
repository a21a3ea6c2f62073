#!/usr/bin/env bash
# Builds and runs jscore's sanitizer variants (README.md, "Hardening"):
#   asan  build-asan/: our code under AddressSanitizer + UndefinedBehaviorSanitizer
#         (+ LeakSanitizer); every C++ test labelled engine or integration, the
#         integration tests starting build-asan's own jscored. The build also carries
#         libFuzzer's coverage flags, so that scripts/fuzz.sh reuses it.
#   tsan  build-tsan/: ThreadSanitizer on engine_tests alone, run on the concurrency
#         tests (pool, queues, watchdog, programs and sessions), with
#         tests/tsan.supp (reports inside V8 only).
# Usage: scripts/sanitizers.sh [asan] [tsan]   (default: both). Fails on a failed test
# or on any sanitizer report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/sanitizer_env.sh
source "${root}/scripts/sanitizer_env.sh"

asan_dir="${JSCORE_ASAN_BUILD_DIR:-${root}/build-asan}"
tsan_dir="${JSCORE_TSAN_BUILD_DIR:-${root}/build-tsan}"
# The concurrency tests: the pool (queues, admission, wake-ups, watchdog, deadlines,
# cancellation, shutdown) and programs/sessions (pinning, FIFO order, ttl).
tsan_filter="${JSCORE_TSAN_FILTER:-PoolTest.*:ProgramSessionTest.*}"

steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=(asan tsan)

bash "${root}/scripts/setup.sh"

run_asan() {
  local logs="${asan_dir}/sanitizer-logs"
  echo "sanitizers: ASan+UBSan build in ${asan_dir}"
  sanitizer_configure "${asan_dir}" -DJSCORE_SANITIZE=address -DJSCORE_FUZZ=ON
  rm -rf "${logs}"
  sanitizer_asan_env "${logs}"
  # What the run tests, and no more (no benchmarks, no bench peers): the test
  # binaries, the jscored, CLI and loadgen they start, and the fuzz targets that
  # scripts/fuzz.sh runs next from this same build. (gtest_discover_tests lists each
  # test binary at build time, under these options.)
  cmake --build "${asan_dir}" -j2 --target engine_tests integration_tests hostile_tests \
    containment_tests daemon_tests loadgen_smoke_test fuzzers
  echo "sanitizers: ctest (engine, daemon, integration) under ASan+UBSan"
  ctest --test-dir "${asan_dir}" -L 'engine|daemon|integration' --output-on-failure -j2 --timeout 600
  sanitizer_check_logs "${logs}"
  echo "sanitizers: ASan+UBSan clean"
}

run_tsan() {
  local log="${tsan_dir}/tsan.log"
  echo "sanitizers: TSan build in ${tsan_dir}"
  sanitizer_configure "${tsan_dir}" -DJSCORE_SANITIZE=thread
  export TSAN_OPTIONS="suppressions=${root}/tests/tsan.supp:history_size=4:second_deadlock_stack=1:halt_on_error=0:exitcode=66"
  cmake --build "${tsan_dir}" -j2 --target engine_tests
  echo "sanitizers: engine_tests --gtest_filter=${tsan_filter} under TSan"
  if ! "${tsan_dir}/tests/engine_tests" --gtest_filter="${tsan_filter}" --gtest_brief=1 >"${log}" 2>&1; then
    cat "${log}" >&2
    echo "sanitizers: TSan run failed (a failed test or a report; log in ${log})" >&2
    return 1
  fi
  tail -n 3 "${log}"
  echo "sanitizers: TSan clean"
}

for step in "${steps[@]}"; do
  case "${step}" in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *) echo "usage: scripts/sanitizers.sh [asan] [tsan]" >&2; exit 2 ;;
  esac
done
