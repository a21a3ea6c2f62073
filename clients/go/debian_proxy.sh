#!/usr/bin/env bash
# Serves Debian's Go packages (/usr/share/gocode/src) as a Go module proxy on disk, so
# that the Go client, and any module that requires it, builds in module mode with no
# network: GOPROXY=file://<proxy>.
#
# Debian ships one copy of each Go module, but the go.mod files of those copies ask for
# other versions of each other (Debian's gRPC 1.33 asks for genproto 2020-05-26 and
# golang/protobuf 1.4.1; Debian has genproto 2020-04-13 and golang/protobuf 1.3.5).
# The proxy therefore does what GOPATH mode and a version-less `replace M => dir` do:
#   - every version of a module that Debian ships is answered with Debian's copy of it
#     (its go.mod and its sources);
#   - a module that Debian does not ship (google/uuid, envoyproxy/go-control-plane, ...:
#     named by some go.mod but imported by nothing the client builds) gets a go.mod of
#     one line and no sources: it completes the module graph; a build that really
#     imported it fails with "no required module provides package".
# The versions served are those reachable from clients/go/go.mod, walked breadth first.
# Because the hashes are those of Debian's copies, not of proxy.golang.org's, builds
# use GOSUMDB=off (a go.sum is still written and then checked on every build).
#
# Idempotent: rebuilt only when clients/go/go.mod, this script or an installed golang-*
# package changes. Needs python3 (for the zip files) and golang-go.
#
# Environment:
#   JSCORE_GO_BUILD  the build folder (default: <repo>/build-go-client); the proxy is
#                    <build>/modproxy
# Prints, as its last lines, the environment of an offline module-mode build:
#   GOPROXY=file://<build>/modproxy  GOSUMDB=off  GOFLAGS=-mod=mod  GO111MODULE=on
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
build="${JSCORE_GO_BUILD:-${root}/build-go-client}"
proxy="${build}/modproxy"
gocode="${JSCORE_GOCODE:-/usr/share/gocode/src}"

[[ -d "${gocode}/google.golang.org/grpc" ]] || {
  echo "debian_proxy.sh: ${gocode}/google.golang.org/grpc missing (apt-get install golang-google-grpc-dev)" >&2
  exit 1
}

want="$( (sha256sum "${here}/go.mod" "${BASH_SOURCE[0]}";
          dpkg-query -W -f '${Package} ${Version}\n' 'golang-*' 2>/dev/null | sort) |
        sha256sum | cut -d' ' -f1)"
if [[ -f "${proxy}/.stamp" && "$(cat "${proxy}/.stamp")" == "${want}" ]]; then
  echo "debian_proxy.sh: module proxy up to date in ${proxy}" >&2
else
  echo "debian_proxy.sh: serving ${gocode} as a module proxy in ${proxy}" >&2
  mkdir -p "${build}"
  tmp="$(mktemp -d "${build}/modproxy.tmp.XXXXXX")"
  trap 'rm -rf "${tmp}"' EXIT
  python3 - "${here}/go.mod" "${gocode}" "${tmp}" <<'PY'
import collections, json, os, re, sys, zipfile

client_mod, gocode, out = sys.argv[1:]

# Debian folders that are modules but have no go.mod (GOPATH-era packages).
NO_GO_MOD = {"github.com/golang/glog", "cloud.google.com/go/compute/metadata"}


def requires(text):
    """The (module, version) pairs of a go.mod's require directives."""
    text = re.sub(r"//.*", "", text)
    found = []
    for block in re.findall(r"^require\s*\((.*?)^\)", text, re.S | re.M):
        found += [tuple(l.split()[:2]) for l in block.splitlines() if len(l.split()) >= 2]
    found += re.findall(r"^require\s+(\S+)\s+(\S+)\s*$", text, re.M)
    return found


def debian_go_mod(module):
    """Debian's go.mod of `module`, or None when Debian does not ship that module."""
    folder = os.path.join(gocode, module)
    path = os.path.join(folder, "go.mod")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        declared = re.search(r"^module\s+(\S+)", text, re.M)
        return text if declared and declared.group(1).strip('"') == module else None
    if module in NO_GO_MOD and os.path.isdir(folder):
        return f"module {module}\n"
    return None


def write_zip(module, version, path):
    """The module zip: Debian's folder minus nested modules, under module@version/."""
    folder = os.path.join(gocode, module)
    prefix = f"{module}@{version}/"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for dirpath, dirnames, filenames in os.walk(folder):
            rel = os.path.relpath(dirpath, folder)
            dirnames[:] = sorted(
                d for d in dirnames
                if not d.startswith(".")
                and not os.path.islink(os.path.join(dirpath, d))
                and not os.path.isfile(os.path.join(dirpath, d, "go.mod")))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if not os.path.isfile(full):
                    continue
                arc = name if rel == "." else f"{rel}/{name}"
                info = zipfile.ZipInfo(prefix + arc, (2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(full, "rb") as f:
                    z.writestr(info, f.read())
        if not os.path.isfile(os.path.join(folder, "go.mod")):
            z.writestr(zipfile.ZipInfo(prefix + "go.mod", (2000, 1, 1, 0, 0, 0)),
                       f"module {module}\n")


with open(client_mod, encoding="utf-8") as f:
    queue = collections.deque(requires(f.read()))
seen, versions = set(), collections.defaultdict(list)
counts = collections.Counter()
while queue:
    module, version = queue.popleft()
    if (module, version) in seen:
        continue
    seen.add((module, version))
    go_mod = debian_go_mod(module)
    base = os.path.join(out, *module.split("/"), "@v")
    os.makedirs(base, exist_ok=True)
    versions[module].append(version)
    with open(os.path.join(base, version + ".info"), "w") as f:
        json.dump({"Version": version, "Time": "2000-01-01T00:00:00Z"}, f)
    with open(os.path.join(base, version + ".mod"), "w", encoding="utf-8") as f:
        f.write(go_mod if go_mod is not None else f"module {module}\n")
    if go_mod is None:
        counts["placeholder"] += 1
        continue
    counts["debian"] += 1
    write_zip(module, version, os.path.join(base, version + ".zip"))
    queue.extend(requires(go_mod))
for module, vs in versions.items():
    with open(os.path.join(out, *module.split("/"), "@v", "list"), "w") as f:
        f.write("".join(v + "\n" for v in sorted(vs) if "-" not in v))
print(f"debian_proxy.sh: {counts['debian']} module versions from Debian, "
      f"{counts['placeholder']} graph-only placeholders", file=sys.stderr)
PY
  echo "${want}" > "${tmp}/.stamp"
  rm -rf "${proxy}"
  mv -T "${tmp}" "${proxy}"
  trap - EXIT
fi
echo "GOPROXY=file://${proxy}"
echo "GOSUMDB=off"
echo "GOFLAGS=-mod=mod"
echo "GO111MODULE=on"
