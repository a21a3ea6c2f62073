# Sanitizer and fuzzing builds of jscore's own code (README.md, "Hardening").
#
#   -DJSCORE_SANITIZE=address  AddressSanitizer + UndefinedBehaviorSanitizer
#   -DJSCORE_SANITIZE=thread   ThreadSanitizer
#   -DJSCORE_FUZZ=ON           the libFuzzer targets in fuzz/ (clang only; use it with
#                              JSCORE_SANITIZE=address)
#
# The flags go on every target this project defines, i.e. on our code only: the
# dependencies are Debian's prebuilt, uninstrumented libraries (V8 from libnode, gRPC,
# protobuf, abseil, libuv, OpenSSL). scripts/sanitizers.sh builds these variants of what
# they test and runs them with the runtime options and suppressions they need.
set(JSCORE_SANITIZE "" CACHE STRING "Sanitize jscore's own code: '' (off), address (ASan+UBSan) or thread (TSan)")
set_property(CACHE JSCORE_SANITIZE PROPERTY STRINGS "" address thread)
option(JSCORE_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(JSCORE_SANITIZE STREQUAL "address")
  # -fno-sanitize=vptr: UBSan's vptr check reads the RTTI of every polymorphic object
  # our code calls through (v8::Platform, v8::Task, v8::ArrayBuffer::Allocator, ...).
  # libnode's V8 is built with -fno-rtti, so its vtables carry no type_info and some of
  # our files must be built with -fno-rtti too (engine/CMakeLists.txt): the check would
  # either not link (typeinfo for v8::... is undefined) or report every V8 object as
  # having an "invalid vptr". The other UBSan checks need no RTTI and stay on.
  set(_jscore_sanitize_flags -fsanitize=address,undefined -fno-sanitize=vptr)
elseif(JSCORE_SANITIZE STREQUAL "thread")
  set(_jscore_sanitize_flags -fsanitize=thread)
elseif(NOT JSCORE_SANITIZE STREQUAL "")
  message(FATAL_ERROR "JSCORE_SANITIZE must be empty, 'address' or 'thread' (got '${JSCORE_SANITIZE}')")
endif()

if(_jscore_sanitize_flags)
  add_compile_options(${_jscore_sanitize_flags} -fno-omit-frame-pointer)
  add_link_options(${_jscore_sanitize_flags})
  # Tests whose bounds only hold for the production build (latency, RSS) check it.
  add_compile_definitions(JSCORE_SANITIZED)
  message(STATUS "jscore: sanitizing our code with ${_jscore_sanitize_flags}")
endif()

if(JSCORE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "JSCORE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Coverage feedback for libFuzzer from all of our code; only the fuzz targets
  # themselves link libFuzzer's main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()

# ThreadSanitizer cannot see the synchronisation inside Debian's (uninstrumented)
# abseil: absl::Mutex, CondVar, Notification and BlockingCounter are implemented in
# libabsl_synchronization.so with their own atomics and futexes. Without help every
# variable guarded by an absl::Mutex would be reported as a race. The shim in
# tests/support/tsan_absl_sync.cc wraps those entry points (ld --wrap, so only calls
# from our instrumented code) and tells TSan about the happens-before edges they make.
# jscore_tsan_executable(target) adds it to one executable.
function(jscore_tsan_executable target)
  if(NOT JSCORE_SANITIZE STREQUAL "thread")
    return()
  endif()
  # abseil's inline namespace ("debian3" on Debian 12) is part of the mangled names.
  get_target_property(_absl_include absl::base INTERFACE_INCLUDE_DIRECTORIES)
  find_file(_absl_options absl/base/options.h PATHS ${_absl_include} /usr/include NO_CACHE REQUIRED)
  file(STRINGS "${_absl_options}" _ns_line REGEX "^#define ABSL_OPTION_INLINE_NAMESPACE_NAME ")
  string(REGEX REPLACE ".* ([A-Za-z0-9_]+)$" "\\1" _ns "${_ns_line}")
  string(LENGTH "${_ns}" _ns_len)
  set(_n "_ZN4absl${_ns_len}${_ns}")    # non-const members
  set(_k "_ZNK4absl${_ns_len}${_ns}")   # const members
  foreach(s
      ${_n}5Mutex4LockEv ${_n}5Mutex6UnlockEv ${_n}5Mutex7TryLockEv
      ${_n}5Mutex10ReaderLockEv ${_n}5Mutex12ReaderUnlockEv ${_n}5Mutex13ReaderTryLockEv
      ${_n}7CondVar4WaitEPNS0_5MutexE
      ${_n}7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE
      ${_n}7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE
      ${_n}12Notification6NotifyEv
      ${_k}12Notification19WaitForNotificationEv
      ${_k}12Notification30WaitForNotificationWithTimeoutENS0_8DurationE
      ${_k}12Notification31WaitForNotificationWithDeadlineENS0_4TimeE
      ${_n}15BlockingCounter14DecrementCountEv
      ${_n}15BlockingCounter4WaitEv)
    target_link_options(${target} PRIVATE "LINKER:--wrap=${s}")
  endforeach()
  target_sources(${target} PRIVATE "${CMAKE_SOURCE_DIR}/tests/support/tsan_absl_sync.cc")
  target_compile_definitions(${target} PRIVATE
    JSCORE_ABSL_MANGLED="${_n}" JSCORE_ABSL_MANGLED_CONST="${_k}")
endfunction()
