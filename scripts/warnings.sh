#!/usr/bin/env bash
# Builds every target of jscore with clang and -Wall -Wextra -Werror -Wthread-safety on
# our own code (cmake/Warnings.cmake; README.md, "Hardening") in build-warnings/.
# Fails on the first file with a warning; `-k 0` is passed so that one run lists them all.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${JSCORE_WARNINGS_BUILD_DIR:-${root}/build-warnings}"

bash "${root}/scripts/setup.sh"
# ccache: share hits between checkouts in different folders (as scripts/build.sh).
export CCACHE_BASEDIR="${root}" CCACHE_NOHASHDIR=true
echo "warnings: configuring ${build_dir} (clang, JSCORE_STRICT_WARNINGS=ON)"
CC=clang CXX=clang++ cmake -S "${root}" -B "${build_dir}" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJSCORE_STRICT_WARNINGS=ON >/dev/null
echo "warnings: compiling"
cmake --build "${build_dir}" -- -k 0
echo "warnings: no warnings in our code"
