#!/usr/bin/python3
"""The clients' throughput from one process each, side by side on one daemon.

Measures, for each Python client folder given (say main's client before issue 18 and
this tree's), W2's `sign(params, ts)` from bench/workloads/sign.js:

  calls   Program.call from 8 threads, 10 000 calls in all      -> calls/s
  shared  the same with Client(shared_stream=True): every thread's call an item of
          one shared Batch stream (clients that have it)        -> calls/s
  aio     jscore.aio Program.call from 64 tasks, 10 000 in all  -> calls/s
  aio_shared  the same with jscore.aio.Client(shared_stream=True)  -> calls/s
  batch   one Batch stream of 10 000 CallItems (window 256)     -> items/s
  aio_batch  the same through jscore.aio                        -> items/s

and beside them, against the same daemon in the same rounds: the C++ loadgen's one
Batch stream of the same items (bench/README.md W5; --loadgen, skipped if missing),
and the Go and Java clients' calls and Batch (--go, --java: commands that run
clients/go/cmd/clientbench and clients/java/examples/ClientBench.java).

Each client runs in a subprocess of its own (the Python packages are all named
`jscore`), in alternating rounds against the same jscored, which this script starts on
a free loopback port and stops at the end. Prints a table, and JSON lines (one per run:
client, round, mode, count, ok, seconds, per_second, client_cpu_us) with --json.

  bench/python_client.py --jscored build/daemon/jscored --before-ref main
  bench/python_client.py --jscored J --client before=/tmp/old/clients/python --client after=clients/python
  bench/python_client.py --client now=clients/python --go /tmp/clientbench \
      --java "java -cp $(clients/java/classpath.sh) clients/java/examples/ClientBench.java"

Every subprocess and the daemon are bounded in time (--deadline per run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
SIGN_JS = ROOT / "bench" / "workloads" / "sign.js"
PARAMS = {"uid": "10086", "q": "jscore", "page": 3, "lang": "en", "sort": "desc"}
TS = 1700000000000


def aio_worker(address: str, count: int, tasks: int, batch: bool = False,
               shared: bool = False) -> Dict[str, Any]:
    """Runs in the subprocess: Program.call of the asyncio client from `tasks` tasks,
    or (batch) one Batch stream of `count` items."""
    import asyncio

    import jscore.aio  # noqa: E402  (the client of client_dir, on sys.path already)

    async def run() -> Tuple[int, int, float, float]:
        options = {"shared_stream": True} if shared else {}
        async with jscore.aio.Client(address, timeout=30.0, **options) as client:
            program = await client.load_program(SIGN_JS.read_text())
            want = await program.call("sign", PARAMS, TS)
            for _ in range(200):
                await program.call("sign", PARAMS, TS)
            per_task = count // tasks

            async def one() -> int:
                ok = 0
                for _ in range(per_task):
                    ok += await program.call("sign", PARAMS, TS) == want
                return ok

            start, cpu_start = time.perf_counter(), time.process_time()
            if batch:
                ok = done = 0
                items = (jscore.CallItem("sign", PARAMS, TS, program=program) for _ in range(count))
                async for r in client.batch(items, window=256):
                    done += 1
                    ok += r.value == want
            else:
                ok = sum(await asyncio.gather(*(one() for _ in range(tasks))))
                done = per_task * tasks
            return done, ok, time.perf_counter() - start, time.process_time() - cpu_start

    done, ok, elapsed, cpu = asyncio.run(run())
    mode = "aio_batch" if batch else "aio_shared" if shared else "aio"
    return {"mode": mode, "count": done, "ok": ok, "seconds": round(elapsed, 3),
            "per_second": round(done / elapsed, 1), "client_cpu_us": round(cpu / done * 1e6, 1)}


def worker(client_dir: str, address: str, mode: str, count: int, threads: int) -> Dict[str, Any]:
    """Runs in the subprocess: one measurement with the client found in client_dir."""
    sys.path.insert(0, client_dir)
    import concurrent.futures

    import jscore  # noqa: E402  (the client of client_dir)

    if mode in ("aio", "aio_batch", "aio_shared"):
        return aio_worker(address, count, threads, batch=mode == "aio_batch",
                          shared=mode == "aio_shared")

    options = {"shared_stream": True} if mode == "shared" else {}
    with jscore.Client(address, timeout=30.0, **options) as client:
        program = client.load_program(SIGN_JS.read_text())
        want = program.call("sign", PARAMS, TS)
        for _ in range(200):  # warm up the channel and the daemon's contexts
            program.call("sign", PARAMS, TS)
        start = time.perf_counter()
        cpu_start = time.process_time()
        if mode in ("calls", "shared"):
            per_thread = count // threads

            def run(_: int) -> int:
                ok = 0
                for _ in range(per_thread):
                    ok += program.call("sign", PARAMS, TS) == want
                return ok

            with concurrent.futures.ThreadPoolExecutor(threads) as pool:
                ok = sum(pool.map(run, range(threads)))
            done = per_thread * threads
        else:
            items = (jscore.CallItem("sign", PARAMS, TS, program=program) for _ in range(count))
            ok = done = 0
            for r in client.batch(items, window=256):
                done += 1
                ok += r.value == want
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    return {"mode": mode, "count": done, "ok": ok, "seconds": round(elapsed, 3),
            "per_second": round(done / elapsed, 1), "client_cpu_us": round(cpu / done * 1e6, 1)}


def start_daemon(jscored: str, workers: int) -> Tuple["subprocess.Popen[str]", str]:
    process = subprocess.Popen(
        [jscored, "--listen=127.0.0.1:0", f"--workers={workers}", "--shutdown_grace=2s"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline() if process.stdout else ""  # bounded: jscored prints it first
    prefix = "jscored listening on "
    if not line.startswith(prefix):
        process.kill()
        raise SystemExit(f"python_client.py: unexpected first line from jscored: {line!r}")
    return process, line[len(prefix):].strip()


def export_ref(ref: str, into: Path) -> str:
    """main's clients/python and proto/ at `ref`, with generated stubs; returns the client dir."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "clients/python", "proto"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    client_dir = into / "clients" / "python"
    subprocess.run(["bash", str(client_dir / "generate.sh")], check=True, capture_output=True)
    return str(client_dir)


MODES = ("calls", "shared", "aio", "aio_shared", "batch", "aio_batch")
LABELS = {"calls": "unary, {threads} threads", "aio": "asyncio, {tasks} tasks",
          "shared": "shared stream, {threads} threads",
          "aio_shared": "asyncio shared stream, {tasks} tasks",
          "batch": "Batch, one stream", "aio_batch": "asyncio Batch, one stream"}


def external_rows(args: argparse.Namespace, address: str, want: str) -> List[Tuple[str, str, List[str]]]:
    """(client, mode, command) of the other clients' rows: the C++ loadgen's one Batch
    stream (bench/README.md W5) and the Go and Java client benches, each printing one
    JSON line like worker()'s (the loadgen's report is mapped)."""
    rows: List[Tuple[str, str, List[str]]] = []
    args_json = json.dumps([PARAMS, TS])
    if args.loadgen and Path(args.loadgen).exists():
        rows.append(("C++ loadgen", "batch", [
            args.loadgen, f"--target={address}", "--workload=batch", "--batch_item=call",
            f"--program_file={SIGN_JS}", "--function=sign", f"--args_json={args_json}",
            f"--expect_json={want}", "--concurrency=256", "--channels=1",
            f"--requests={args.items}", "--warmup=1s", "--timeout=30s", "--json"]))
    for name, command in (("Go", args.go), ("Java", args.java)):
        if not command:
            continue
        for mode, count in (("calls", args.calls), ("batch", args.items)):
            rows.append((name, mode, command.split() + [
                f"--target={address}", f"--mode={mode}", f"--count={count}",
                f"--threads={args.threads}", f"--program_file={SIGN_JS}",
                f"--args_json={args_json}", f"--expect_json={want}"]))
    return rows


def run_external(command: List[str], mode: str, deadline: float) -> Dict[str, Any]:
    """Runs one external row; its CPU is the child's user + system time unless it
    reports its own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, timeout=deadline)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"python_client.py: {command[0]} failed:\n{out.stderr[-3000:]}")
    report = json.loads(out.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if "throughput" in report:  # jscore_loadgen's report
        count = int(report["count"])
        report = {"count": count, "ok": int(report["ok"]), "per_second": report["throughput"],
                  "seconds": round(count / max(report["throughput"], 1e-9), 3)}
    count = max(int(report["count"]), 1)
    # The Go and Java benches measure their own CPU over the measured phase (as the
    # Python worker does), leaving out start-up, JIT and warm-up.
    cpu_us = report.get("client_cpu_us", cpu / count * 1e6)
    return {"mode": mode, "count": report["count"], "ok": report["ok"],
            "seconds": round(report["seconds"], 3), "per_second": round(report["per_second"], 1),
            "client_cpu_us": round(cpu_us, 1)}


def expected_answer(address: str) -> str:
    """sign(PARAMS, TS) as compact JSON, from this tree's client (the loadgen checks it)."""
    sys.path.insert(0, str(ROOT / "clients" / "python"))
    import jscore  # noqa: E402

    with jscore.Client(address, timeout=30.0) as client:
        return json.dumps(client.load_program(SIGN_JS.read_text()).call("sign", PARAMS, TS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jscored", default=str(ROOT / "build" / "daemon" / "jscored"))
    parser.add_argument("--before-ref", help="a git ref whose clients/python is 'before'")
    parser.add_argument("--client", action="append", default=[], help="NAME=DIR (repeatable)")
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--aio_tasks", type=int, default=64, help="asyncio: concurrent tasks")
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="jscored --workers")
    parser.add_argument("--modes", default=",".join(MODES), help="of " + ",".join(MODES))
    parser.add_argument("--loadgen", default=str(ROOT / "build" / "bench" / "loadgen" / "jscore_loadgen"),
                        help="jscore_loadgen for the C++ one-stream Batch row ('' to skip)")
    parser.add_argument("--go", default="", help="command running the Go client bench (clients/go/clientbench)")
    parser.add_argument("--java", default="", help="command running the Java client bench (clients/java)")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--json", help="append one JSON line per run to this file")
    parser.add_argument("--worker", nargs=3, metavar=("DIR", "ADDRESS", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        client_dir, address, mode = args.worker
        count = args.items if mode in ("batch", "aio_batch") else args.calls
        threads = args.aio_tasks if mode in ("aio", "aio_shared") else args.threads
        print(json.dumps(worker(client_dir, address, mode, count, threads)))
        return

    modes = [m for m in args.modes.split(",") if m]
    clients: List[Tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="jscore-bench-") as tmp:
        if args.before_ref:
            clients.append((f"before ({args.before_ref})", export_ref(args.before_ref, Path(tmp))))
            clients.append(("after (this tree)", str(ROOT / "clients" / "python")))
        for spec in args.client:
            name, _, path = spec.partition("=")
            clients.append((name, str(Path(path).resolve())))
        if not clients:
            raise SystemExit("python_client.py: give --before-ref or --client NAME=DIR")
        daemon, address = start_daemon(args.jscored, args.workers)
        runs: List[Dict[str, Any]] = []

        def record(run: Dict[str, Any]) -> None:
            runs.append(run)
            print(json.dumps(run), file=sys.stderr)
            if args.json:
                with open(args.json, "a", encoding="utf-8") as f:
                    f.write(json.dumps(run) + "\n")

        try:
            others = external_rows(args, address, expected_answer(address))
            for round_ in range(args.rounds):
                for mode in modes:
                    for name, path in clients:
                        if mode.startswith("aio") and not (Path(path) / "jscore" / "aio.py").exists():
                            continue
                        if mode.endswith("shared") and not (Path(path) / "jscore" / "shared_stream.py").exists():
                            continue
                        out = subprocess.run(
                            [sys.executable, __file__, "--worker", path, address, mode,
                             f"--calls={args.calls}", f"--items={args.items}",
                             f"--threads={args.threads}", f"--aio_tasks={args.aio_tasks}"],
                            capture_output=True, text=True, timeout=args.deadline)
                        if out.returncode != 0:
                            raise SystemExit(f"python_client.py: {name} {mode} failed:\n{out.stderr[-3000:]}")
                        record({"client": name, "round": round_, **json.loads(out.stdout)})
                for name, mode, command in others:
                    record({"client": name, "round": round_,
                            **run_external(command, mode, args.deadline)})
        finally:
            daemon.terminate()
            try:
                daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
    print_table(args, runs, [name for name, _ in clients] + list(dict.fromkeys(n for n, _, _ in others)))


def print_table(args: argparse.Namespace, runs: List[Dict[str, Any]], names: List[str]) -> None:
    # "Python client" starts the table's title: bench/run prints from that line on.
    print(f"\nPython client (and the others), one process each, jscored --workers={args.workers}, "
          f"W2 sign(params, ts); best of {args.rounds} rounds")
    labels = {m: LABELS[m].format(threads=args.threads, tasks=args.aio_tasks) for m in MODES}
    print("| client | " + " | ".join(f"{labels[m]} (/s)" for m in MODES) + " | "
          + " | ".join(f"CPU per {m} item (us)" for m in MODES) + " |")
    print("|" + " --- |" * (1 + 2 * len(MODES)))
    for name in names:
        mine = [r for r in runs if r["client"] == name]
        best = {m: max((r["per_second"] for r in mine if r["mode"] == m), default=0) for m in MODES}
        cpu = {m: min((r["client_cpu_us"] for r in mine if r["mode"] == m), default=0) for m in MODES}
        bad = sum(r["count"] - r["ok"] for r in mine)
        print(f"| {name} | " + " | ".join(f"{best[m]:.0f}" if best[m] else "-" for m in MODES) + " | "
              + " | ".join(f"{cpu[m]:.0f}" if cpu[m] else "-" for m in MODES) + " |"
              + (f" {bad} WRONG ANSWERS" if bad else ""))
    print("(rates: best round; CPU: the client process's CPU time per call or item, lowest round;"
          " the loadgen's includes its channel setup)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
