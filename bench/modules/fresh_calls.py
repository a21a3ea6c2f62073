#!/usr/bin/python3
"""Fresh calls of a program that requires an npm package graph given as modules.

Each `Call {fresh: true}` builds a new context and runs the program's top level, so
it measures what loading the graph costs per call: require() of every module it
reaches, from the per-module code caches made at LoadProgram.

  bench/modules/fresh_calls.py HOST:PORT NODE_MODULES_DIR PACKAGE [CALLS]

NODE_MODULES_DIR holds PACKAGE installed with npm (e.g. `npm install --prefix DIR
terser@5.36.0`); every .js and .json file under it becomes a module.
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


def main():
    target, root, package = sys.argv[1:4]
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    stub = pb_grpc.JsCoreStub(grpc.insecure_channel(target))
    files = collect(root)
    loaded = stub.LoadProgram(pb.LoadProgramRequest(
        source=f"const lib = require('{package}'); function probe() {{ return typeof lib }}",
        modules=files), timeout=120)
    if loaded.HasField("error"):
        raise SystemExit(loaded.error.message)
    timed_calls(stub, loaded.program, 3)  # warm each worker
    median, best = timed_calls(stub, loaded.program, calls)
    print(f"{package} as modules ({len(files)} files): fresh call median {median:.1f} ms, best {best:.1f} ms")
