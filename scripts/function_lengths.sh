#!/usr/bin/env bash
# Fails when a function in engine/ or daemon/ is longer than 80 lines (CONVENTIONS.md;
# issue 16), measured by universal-ctags (definition line to closing brace). The only
# exceptions are parsers that follow a specification's state machine step by step,
# listed below with the specification; scripts/test.sh (so .ci/run) runs this.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${root}"
command -v ctags >/dev/null || bash "${root}/scripts/setup.sh"
limit=80
# path:function  (the specification whose state machine it follows)
exempt=(
  "engine/whatwg_url/url_parser.cc:BasicParse"  # WHATWG URL, "basic URL parser"
  "engine/whatwg_url/url_host.cc:ParseIpv6"     # WHATWG URL, "IPv6 parser"
)
mapfile -t files < <(git ls-files 'engine/*.cc' 'engine/*.h' 'daemon/*.cc' 'daemon/*.h')
report=$(ctags --sort=no --output-format=json --fields=+ne --kinds-C++=f --language-force=C++ -o - \
  "${files[@]}" | /usr/bin/python3 -c '
import json, sys
limit, exempt = int(sys.argv[1]), set(sys.argv[2:])
for line in sys.stdin:
    tag = json.loads(line)
    if "end" not in tag:
        continue
    n = tag["end"] - tag["line"] + 1
    path, name = tag["path"], tag["name"]
    if n > limit and path + ":" + name not in exempt:
        print("%s:%d: %s is %d lines" % (path, tag["line"], name, n))
' "${limit}" "${exempt[@]}")
if [ -n "${report}" ]; then
  echo "${report}"
  echo "function lengths: $(wc -l <<<"${report}") function(s) over ${limit} lines in engine/ or daemon/"
  exit 1
fi
echo "function lengths: every function in engine/ and daemon/ is at most ${limit} lines" \
  "(${#exempt[@]} specification parsers exempt)"
