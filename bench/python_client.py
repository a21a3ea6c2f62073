#!/usr/bin/python3
"""The Python client's throughput from one process, two clients side by side on one daemon.

Measures, for each client folder given (say main's client before issue 13 and this
tree's), W2's `sign(params, ts)` from bench/workloads/sign.js:

  calls   Program.call from 8 threads, 10 000 calls in all  -> calls/s
  batch   one Batch stream of 10 000 CallItems (window 256)  -> items/s

Each client runs in a subprocess of its own (both packages are named `jscore`), in
alternating rounds against the same jscored, which this script starts on a free
loopback port and stops at the end. Prints a table, and JSON lines with --json.

  bench/python_client.py --jscored build/daemon/jscored --before-ref main
  bench/python_client.py --jscored J --client before=/tmp/old/clients/python --client after=clients/python

Every subprocess and the daemon are bounded in time (--deadline per run).
"""

from __future__ import annotations

import argparse
import json
import os
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


def worker(client_dir: str, address: str, mode: str, count: int, threads: int) -> Dict[str, Any]:
    """Runs in the subprocess: one measurement with the client found in client_dir."""
    sys.path.insert(0, client_dir)
    import concurrent.futures

    import jscore  # noqa: E402  (the client of client_dir)

    with jscore.Client(address, timeout=30.0) as client:
        program = client.load_program(SIGN_JS.read_text())
        want = program.call("sign", PARAMS, TS)
        for _ in range(200):  # warm up the channel and the daemon's contexts
            program.call("sign", PARAMS, TS)
        start = time.perf_counter()
        cpu_start = time.process_time()
        if mode == "calls":
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jscored", default=str(ROOT / "build" / "daemon" / "jscored"))
    parser.add_argument("--before-ref", help="a git ref whose clients/python is 'before'")
    parser.add_argument("--client", action="append", default=[], help="NAME=DIR (repeatable)")
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="jscored --workers")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--json", help="append one JSON line per run to this file")
    parser.add_argument("--worker", nargs=3, metavar=("DIR", "ADDRESS", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        client_dir, address, mode = args.worker
        count = args.calls if mode == "calls" else args.items
        print(json.dumps(worker(client_dir, address, mode, count, args.threads)))
        return

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
        try:
            for round_ in range(args.rounds):
                for mode in ("calls", "batch"):
                    for name, path in clients:
                        out = subprocess.run(
                            [sys.executable, __file__, "--worker", path, address, mode,
                             f"--calls={args.calls}", f"--items={args.items}", f"--threads={args.threads}"],
                            capture_output=True, text=True, timeout=args.deadline)
                        if out.returncode != 0:
                            raise SystemExit(f"python_client.py: {name} {mode} failed:\n{out.stderr[-3000:]}")
                        run = {"client": name, "round": round_, **json.loads(out.stdout)}
                        runs.append(run)
                        print(json.dumps(run), file=sys.stderr)
                        if args.json:
                            with open(args.json, "a", encoding="utf-8") as f:
                                f.write(json.dumps(run) + "\n")
        finally:
            daemon.terminate()
            try:
                daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
    print(f"\nPython client, one process, jscored --workers={args.workers}, W2 sign(params, ts); "
          f"best of {args.rounds} rounds")
    print(f"| client | Program.call, {args.threads} threads (calls/s) | Batch (items/s) |"
          " client CPU per call (us) | client CPU per Batch item (us) |")
    print("| --- | --- | --- | --- | --- |")
    for name, _ in clients:
        mine = [r for r in runs if r["client"] == name]
        best = {m: max((r["per_second"] for r in mine if r["mode"] == m), default=0) for m in ("calls", "batch")}
        cpu = {m: min((r["client_cpu_us"] for r in mine if r["mode"] == m), default=0) for m in ("calls", "batch")}
        bad = sum(r["count"] - r["ok"] for r in mine)
        print(f"| {name} | {best['calls']:.0f} | {best['batch']:.0f} | {cpu['calls']:.0f} | {cpu['batch']:.0f} |"
              + (f" {bad} WRONG ANSWERS" if bad else ""))
    print("(rates: best round; CPU: the client process's CPU time per call, lowest round)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
