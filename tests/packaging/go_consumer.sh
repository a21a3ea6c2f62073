#!/usr/bin/env bash
# A fresh Go module requires the Go client (module jscore.dev/jscore) with one `replace`
# line pointing at clients/go, builds offline in module mode against Debian's Go packages
# (clients/go/debian_proxy.sh serves them as GOPROXY=file://...), and its program
# evaluates and calls a program on a real jscored ($JSCORED) on a free loopback port.
# Exactly the steps clients/go/README.md gives.
#
# Environment:
#   JSCORED          the jscored binary (required)
#   JSCORE_GO_BUILD  a build folder whose Go build cache to reuse (optional; the module
#                    proxy and module cache are always fresh, in a temporary folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jscored="${JSCORED:?set JSCORED to the jscored binary}"
work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  [ -n "${daemon_pid}" ] && kill "${daemon_pid}" 2>/dev/null && wait "${daemon_pid}" 2>/dev/null
  chmod -R u+w "${work}" 2>/dev/null  # the module cache is read-only
  rm -rf "${work}"
}
trap cleanup EXIT

echo "go_consumer: serving Debian's Go packages as a module proxy"
eval "export $(JSCORE_GO_BUILD="${work}/go" "${root}/clients/go/debian_proxy.sh" | xargs)"
[ "${GOPROXY}" = "file://${work}/go/modproxy" ] || { echo "go_consumer: GOPROXY=${GOPROXY}" >&2; exit 1; }
export GOMODCACHE="${work}/modcache"
export GOCACHE="${JSCORE_GO_BUILD:+${JSCORE_GO_BUILD}/cache}"
export GOCACHE="${GOCACHE:-${work}/gocache}"
unset GOPATH  # module mode: nothing may come from a GOPATH

app="${work}/app"
mkdir -p "${app}"
cd "${app}"
cat > go.mod <<MOD
module example.com/uses-jscore

go 1.19

require jscore.dev/jscore v0.1.0

replace jscore.dev/jscore => ${root}/clients/go
MOD
cat > main.go <<'GO'
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"jscore.dev/jscore"
)

func main() {
	c, err := jscore.Dial(os.Args[1], jscore.WithTimeout(10*time.Second))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	r, err := c.Evaluate(ctx, "[x + 2, 'ok']", jscore.Global("x", 1))
	if err != nil {
		panic(err)
	}
	var got []any
	if err := r.Decode(&got); err != nil {
		panic(err)
	}
	p, err := c.LoadProgram(ctx, "function sign(s, n) { return s + ':' + n }")
	if err != nil {
		panic(err)
	}
	s, err := p.Call(ctx, "sign", "a", 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("go_consumer: evaluate answered %v, call answered %v\n", got, s.Value())
	if fmt.Sprint(got) != "[3 ok]" || s.Value() != "a:1" {
		os.Exit(1)
	}
}
GO

echo "go_consumer: go mod tidy + go build (module mode, offline, $(go version | cut -d' ' -f3))"
go mod tidy
go build -o uses-jscore .
grep -q '^replace jscore.dev/jscore => ' go.mod
[ "$(grep -c '^replace' go.mod)" = 1 ] || { echo "go_consumer: go.mod needs more than one replace" >&2; cat go.mod >&2; exit 1; }

: > "${work}/daemon.out"  # exists before the loop reads it (the daemon may not have opened it yet)
"${jscored}" --listen=127.0.0.1:0 --workers=1 > "${work}/daemon.out" 2> "${work}/daemon.err" &
daemon_pid=$!
address=""
for _ in $(seq 1 200); do  # the first stdout line names the port; at most 10 s
  address="$(sed -n 's/^jscored listening on //p' "${work}/daemon.out" | head -n 1)"
  [ -n "${address}" ] && break
  kill -0 "${daemon_pid}" 2>/dev/null || { cat "${work}/daemon.err" >&2; exit 1; }
  sleep 0.05
done
[ -n "${address}" ] || { echo "go_consumer: jscored did not start" >&2; exit 1; }

timeout 60 ./uses-jscore "${address}"
