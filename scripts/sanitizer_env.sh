# Sourced (not run) by scripts/sanitizers.sh and scripts/fuzz.sh: how the sanitizer
# builds are configured, and the runtime options their binaries run with
# (README.md, "Hardening").
#
# The builds use Debian's clang 14 (libFuzzer needs it; one compiler for all three
# keeps their ccache entries apart from the gcc build in build/), at -O1 -g1 and
# without -DNDEBUG: -O1 is the usual level for sanitizers (quick to build, stacks that
# read like the source), line tables are all that symbolized reports need, and the
# JSCORE_DCHECKs stay on.

sanitizer_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ccache: share hits between checkouts in different folders (CI clones afresh).
export CCACHE_BASEDIR="${sanitizer_root}" CCACHE_NOHASHDIR=true

# sanitizer_configure DIR CMAKE_ARGS...: configures DIR (idempotent).
sanitizer_configure() {
  local dir="$1"
  shift
  cmake -S "${sanitizer_root}" -B "${dir}" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    "$@" >/dev/null
}

# sanitizer_asan_env LOG_DIR: the ASan/UBSan/LSan options. Every report also goes to a
# file under LOG_DIR (log_path), so that a report in a process whose exit status no
# test looks at (a jscored that an integration test kills) still fails the run.
sanitizer_asan_env() {
  local logs="$1"
  mkdir -p "${logs}"
  # detect_leaks: LeakSanitizer at exit (engine_tests dispose their isolates, jscored
  #   shuts down cleanly on SIGTERM); no leak suppression is needed today.
  # detect_stack_use_after_return: our frames only (V8 is not instrumented).
  export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=${logs}/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=${logs}/ubsan"
  export LSAN_OPTIONS="log_path=${logs}/lsan"
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer || true)"
}

# sanitizer_check_logs LOG_DIR: fails (and prints them) if any report was written.
sanitizer_check_logs() {
  local logs="$1"
  local reports
  reports="$(find "${logs}" -type f -size +0 2>/dev/null | sort)"
  if [ -n "${reports}" ]; then
    echo "sanitizers: reports written under ${logs}:" >&2
    for f in ${reports}; do
      echo "==== ${f}" >&2
      head -c 20000 "${f}" >&2
    done
    return 1
  fi
}
