#!/usr/bin/env bash
# Runs each libFuzzer target in fuzz/ for SECONDS (default 60) from its committed seed
# corpus (fuzz/corpus/<target>/), and fails on a crash, a sanitizer report, a timeout
# or a broken invariant (fuzz/README.md). The targets are built in build-asan/ (ASan +
# UBSan + libFuzzer coverage), the same build as scripts/sanitizers.sh asan.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   e.g. scripts/fuzz.sh 600 js_result
# New corpus entries go to build-asan/fuzz-corpus/<target>/ and crash inputs to
# build-asan/fuzz-artifacts/<target>/ (never into the committed corpus).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/sanitizer_env.sh
source "${root}/scripts/sanitizer_env.sh"

seconds="${1:-${JSCORE_FUZZ_SECONDS:-60}}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(value_roundtrip js_result request)
asan_dir="${JSCORE_ASAN_BUILD_DIR:-${root}/build-asan}"

bash "${root}/scripts/setup.sh"
echo "fuzz: building the fuzz targets in ${asan_dir}"
sanitizer_configure "${asan_dir}" -DJSCORE_SANITIZE=address -DJSCORE_FUZZ=ON
cmake --build "${asan_dir}" -j2 --target fuzzers

# detect_leaks=0: V8 keeps malloc'd blocks (backing stores, compiled code metadata)
# reachable only from its own mmap'd heap, which LeakSanitizer does not scan, so
# libFuzzer's per-input leak checks would report live V8 objects. Leaks are checked
# by the ASan test run instead (scripts/sanitizers.sh), where every isolate is disposed.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer || true)"

failed=()
for target in "${targets[@]}"; do
  binary="${asan_dir}/fuzz/${target}_fuzzer"
  seeds="${root}/fuzz/corpus/${target}"
  work="${asan_dir}/fuzz-corpus/${target}"
  artifacts="${asan_dir}/fuzz-artifacts/${target}"
  log="${asan_dir}/fuzz-${target}.log"
  [ -x "${binary}" ] && [ -d "${seeds}" ] || { echo "fuzz: no target ${target}" >&2; exit 2; }
  mkdir -p "${work}" "${artifacts}"
  options=(-max_total_time="${seconds}" -timeout=30 -rss_limit_mb=3072 -max_len=4096
           -print_final_stats=1 -artifact_prefix="${artifacts}/")
  case "${target}" in
    js_result) options+=(-dict="${root}/fuzz/js.dict") ;;
  esac
  echo "fuzz: ${target} for ${seconds} s"
  if "${binary}" "${options[@]}" "${work}" "${seeds}" >"${log}" 2>&1; then
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE" "${log}" | tr '\n' ' '
    echo
  else
    echo "fuzz: ${target} FAILED; log ${log}, input(s) in ${artifacts}:" >&2
    grep -E -A40 "invariant violated|ERROR: |runtime error" "${log}" | head -n 80 >&2 || tail -n 60 "${log}" >&2
    ls -l "${artifacts}" >&2
    failed+=("${target}")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds} s without a finding"
