#!/usr/bin/env python3
"""spawn-per-call: one `node -e` process per evaluation, as PyExecJS runs JavaScript.

A bench peer. Runs the same JavaScript as the other systems, strictly one call after
the other (the way a script using PyExecJS calls it), checks each answer and prints
one JSON object with calls/s and latency percentiles in microseconds.

  spawn_per_call.py --workload=w1 --calls=20
  spawn_per_call.py --workload=w2 --calls=20 --workloads_dir=bench/workloads
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

# bench/run's W2 call, the same arguments for every system.
W2_PARAMS = {"uid": "10086", "q": "jscore bench", "page": "3", "sort": "desc", "v": "2.1"}
W2_TS = 1700000000000
W2_EXPECTED = "700e6ed003d26c68399b0f9f64d40ab2"


def percentile(sorted_values, q):
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=["w1", "w2"], required=True)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--node", default="node")
    parser.add_argument("--workloads_dir",
                        default=os.path.join(os.path.dirname(__file__), "..", "..", "workloads"))
    args = parser.parse_args()

    if args.workload == "w1":
        script, expected = "console.log(JSON.stringify(1+1))", 2
    else:
        with open(os.path.join(args.workloads_dir, "sign.js"), encoding="utf-8") as f:
            source = f.read()
        script = "%s\nconsole.log(JSON.stringify(sign(%s, %d)))" % (
            source, json.dumps(W2_PARAMS), W2_TS)
        expected = W2_EXPECTED

    latencies, ok, errors = [], 0, 0
    start = time.perf_counter()
    for _ in range(args.calls):
        t0 = time.perf_counter()
        done = subprocess.run([args.node, "-e", script], capture_output=True, text=True,
                              timeout=30, check=False)
        latencies.append((time.perf_counter() - t0) * 1e6)
        try:
            good = done.returncode == 0 and json.loads(done.stdout) == expected
        except ValueError:
            good = False
        ok += 1 if good else 0
        errors += 0 if good else 1
    window = time.perf_counter() - start
    latencies.sort()
    print(json.dumps({
        "system": "spawn", "workload": args.workload, "calls": args.calls, "ok": ok,
        "errors": errors, "window_s": round(window, 3),
        "throughput": round(ok / window, 1) if window > 0 else 0,
        "latency_us": {
            "min": round(latencies[0]), "p50": round(percentile(latencies, 0.5)),
            "p90": round(percentile(latencies, 0.9)), "max": round(latencies[-1]),
            "mean": round(sum(latencies) / len(latencies), 1)},
    }))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
