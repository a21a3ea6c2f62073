#!/usr/bin/env bash
# Formats our C++ files with .clang-format (Google style, 100 columns), or with --check lists
# the files that differ from it and fails. Our files: every tracked *.cc and *.h outside
# third_party/ and generated code (scripts/test.sh runs the check, so .ci/run does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${root}"
command -v clang-format >/dev/null || bash "${root}/scripts/setup.sh"

mapfile -t files < <(git ls-files '*.cc' '*.h' | grep -v -e '^third_party/' -e '/_gen/' -e '\.pb\.')
if [ "${1:-}" != --check ]; then
  clang-format -i "${files[@]}"
  echo "format: ${#files[@]} files formatted"
  exit 0
fi
differ=()
for f in "${files[@]}"; do
  if ! clang-format "${f}" | cmp -s - "${f}"; then differ+=("${f}"); fi
done
if [ "${#differ[@]}" -gt 0 ]; then
  printf 'format: differs from .clang-format: %s\n' "${differ[@]}"
  echo "format: run scripts/format.sh to fix ${#differ[@]} file(s)"
  exit 1
fi
echo "format: ${#files[@]} files follow .clang-format"
