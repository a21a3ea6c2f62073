# Finds jscore's dependencies (all from Debian 12 packages; see scripts/setup.sh).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)  # libcurl4-openssl-dev: fetch and XMLHttpRequest
find_package(GTest CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)
pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd)

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

# moodycamel ConcurrentQueue (libconcurrentqueue-dev): header only.
find_path(CONCURRENTQUEUE_INCLUDE_DIR concurrentqueue/concurrentqueue.h REQUIRED)
add_library(concurrentqueue INTERFACE)
target_include_directories(concurrentqueue SYSTEM INTERFACE "${CONCURRENTQUEUE_INCLUDE_DIR}")
add_library(moodycamel::concurrentqueue ALIAS concurrentqueue)

# V8 10.2 comes from Debian's libnode108 + libnode-dev, unpacked by scripts/setup.sh
# into third_party/libnode (libnode.so exports the V8 API).
set(JSCORE_LIBNODE_ROOT "${CMAKE_SOURCE_DIR}/third_party/libnode/usr" CACHE PATH
    "Root of the unpacked libnode108 + libnode-dev packages")
find_library(V8_LIBRARY NAMES node.so.108 libnode.so.108 node
             PATHS "${JSCORE_LIBNODE_ROOT}/lib/x86_64-linux-gnu" NO_DEFAULT_PATH REQUIRED)
find_path(V8_INCLUDE_DIR v8.h PATHS "${JSCORE_LIBNODE_ROOT}/include/node" NO_DEFAULT_PATH REQUIRED)
add_library(v8 SHARED IMPORTED GLOBAL)
set_target_properties(v8 PROPERTIES
  IMPORTED_LOCATION "${V8_LIBRARY}"
  IMPORTED_NO_SONAME FALSE
  INTERFACE_INCLUDE_DIRECTORIES "${V8_INCLUDE_DIR}")
add_library(jscore::v8 ALIAS v8)
# Binaries find libnode through their RPATH (CMake keeps the full path of imported libs).
set(CMAKE_BUILD_RPATH_USE_ORIGIN OFF)
set(CMAKE_INSTALL_RPATH "${JSCORE_LIBNODE_ROOT}/lib/x86_64-linux-gnu")
