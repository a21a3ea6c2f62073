# The strict warnings build of jscore's own code (README.md, "Hardening"; issue 16).
#
#   -DJSCORE_STRICT_WARNINGS=ON   clang only: -Wall -Wextra -Werror -Wthread-safety on
#                                 every target this project defines, except the code
#                                 protoc generates (jscore_proto).
#
# Third-party headers stay out of it because they are included as system headers:
# imported targets (V8 from libnode, gRPC, protobuf, abseil, libuv, GTest) are SYSTEM
# by default, moodycamel is declared SYSTEM (cmake/Dependencies.cmake) and the
# generated stubs' folder is SYSTEM for their users (proto/CMakeLists.txt).
# -Wthread-safety checks the ABSL_GUARDED_BY / ABSL_EXCLUSIVE_LOCKS_REQUIRED
# annotations against the code; only clang implements it, hence clang only.
# scripts/warnings.sh configures and builds build-warnings/ with this option.
option(JSCORE_STRICT_WARNINGS "Build our code with clang -Wall -Wextra -Werror -Wthread-safety" OFF)

if(JSCORE_STRICT_WARNINGS AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "JSCORE_STRICT_WARNINGS needs clang (-Wthread-safety): -DCMAKE_CXX_COMPILER=clang++")
endif()

set(_jscore_strict_flags -Wall -Wextra -Werror -Wthread-safety)

# jscore_strict_warnings(): adds the flags to every compiled target defined in this
# directory and below, except those named in JSCORE_WARNINGS_EXCLUDE (generated code).
# Called once at the end of the top-level CMakeLists.txt.
set(JSCORE_WARNINGS_EXCLUDE jscore_proto)
function(jscore_strict_warnings)
  if(NOT JSCORE_STRICT_WARNINGS)
    return()
  endif()
  set(dirs "${CMAKE_CURRENT_SOURCE_DIR}")
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    list(APPEND dirs ${subdirs})
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t IN LISTS targets)
      get_target_property(type ${t} TYPE)
      if(t IN_LIST JSCORE_WARNINGS_EXCLUDE OR
         NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
        continue()
      endif()
      target_compile_options(${t} PRIVATE ${_jscore_strict_flags})
    endforeach()
  endwhile()
  message(STATUS "jscore: strict warnings on our code (${_jscore_strict_flags})")
endfunction()
