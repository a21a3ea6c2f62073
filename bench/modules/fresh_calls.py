#!/usr/bin/python3
"""Fresh calls of a program that loads an npm package graph given as modules.

Each `Call {fresh: true}` builds a new context and runs the program's top level, so
it measures what loading the graph costs per call: require() (or, with --esm, the ES
module graph: compile, link, evaluate) of every module it reaches, from the per-module
code caches made at LoadProgram.

  bench/modules/fresh_calls.py [--esm] [--first] HOST:PORT NODE_MODULES_DIR PACKAGE [CALLS]

NODE_MODULES_DIR holds PACKAGE installed with npm (e.g. `npm install --prefix DIR
terser@5.36.0`); every .js, .json, .cjs and .mjs file under it becomes a module.
Without --esm the program is a script that does `require(PACKAGE)`; with --esm it is
an ES module (`type: SOURCE_TYPE_MODULE`) that does `import * as lib from PACKAGE`, so
the package's `import` entry point and its ES modules are what loads.

--first times instead the first call on each worker (a cold context build: on a worker
that has never compiled the graph, V8's per-isolate compilation cache is empty and only
the code caches help); run it against a daemon that just started, with --workers=2 or
more (LoadProgram compiles on one worker, which is then warm).
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))
import grpc  # noqa: E402
from jscore._proto import pb, pb_grpc  # noqa: E402


def collect(root):
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith((".js", ".json", ".cjs", ".mjs")):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    files["node_modules/" + os.path.relpath(path, root)] = f.read()
    return files


def timed_calls(stub, program, calls):
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        response = stub.Call(pb.CallRequest(program=program, function="probe", fresh=True), timeout=60)
        samples.append((time.perf_counter() - start) * 1000)
        if response.HasField("error"):
            raise SystemExit(response.error.message)
    samples.sort()
    return samples[len(samples) // 2], samples[0]


def first_calls(stub, program, workers):
    """{worker: ms of its first call}, calling until `workers` workers answered (or 200 calls)."""
    first = {}
    for _ in range(200):
        start = time.perf_counter()
        response = stub.Call(pb.CallRequest(program=program, function="probe", fresh=True), timeout=60)
        elapsed = (time.perf_counter() - start) * 1000
        if response.HasField("error"):
            raise SystemExit(response.error.message)
        first.setdefault(response.stats.worker, elapsed)
        if len(first) >= workers:
            break
    return first


def program_request(package, files, esm):
    if esm:
        return pb.LoadProgramRequest(
            source=f"import * as lib from '{package}';\n"
                   "export function probe() { return Object.keys(lib).length }",
            modules=files, type=pb.SOURCE_TYPE_MODULE)
    return pb.LoadProgramRequest(
        source=f"const lib = require('{package}'); function probe() {{ return typeof lib }}",
        modules=files)


def main():
    args = sys.argv[1:]
    esm, first = "--esm" in args, "--first" in args
    args = [a for a in args if a not in ("--esm", "--first")]
    target, root, package = args[:3]
    calls = int(args[3]) if len(args) > 3 else 20
    stub = pb_grpc.JsCoreStub(grpc.insecure_channel(target))
    files = collect(root)
    loaded = stub.LoadProgram(program_request(package, files, esm), timeout=120)
    if loaded.HasField("error"):
        raise SystemExit(loaded.error.message)
    kind = "ES modules" if esm else "modules"
    if first:
        workers = len(stub.GetStats(pb.GetStatsRequest(), timeout=10).workers)
        times = first_calls(stub, loaded.program, workers)
        shown = ", ".join(f"worker {w} {ms:.1f} ms" for w, ms in sorted(times.items()))
        print(f"{package} as {kind} ({len(files)} files): first fresh call per worker: {shown}")
        return
    timed_calls(stub, loaded.program, 3)  # warm each worker
    median, best = timed_calls(stub, loaded.program, calls)
    print(f"{package} as {kind} ({len(files)} files): fresh call median {median:.1f} ms, best {best:.1f} ms")


if __name__ == "__main__":
    main()
