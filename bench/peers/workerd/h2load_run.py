#!/usr/bin/env python3
"""Drives bench/run's workerd peer with h2load (Debian's nghttp2-client) over HTTP/1.1
and prints one report in jscore_loadgen's JSON shape (the fields report.py reads), so
that bench/run records workerd's runs in runs.jsonl like every other system's.

  h2load_run.py --target=HOST:PORT --function=sign --args_json='[...]' \
      --expect_json='"..."' --concurrency=64 --duration=3s --warmup=1s

Takes jscore_loadgen's flags for a Call workload: the request is POST /<function>
with the arguments as its body (bench/peers/workerd/worker_main.mjs). The other
loadgen flags (--workload, --program_source, --program_file, --json, --histogram)
are accepted and ignored: the program is the worker's. Before measuring, one request
made with curl must answer exactly --expect_json (as JSON), or nothing is measured
(exit 1). Then h2load: closed loop, --concurrency connections with one request
in flight each, one h2load thread, --warmup then --duration; latency percentiles
from its per-request log (the measured period only). Standard library only.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile

IGNORED = ("workload", "program_source", "program_file", "json", "histogram")


def seconds(text):
    m = re.fullmatch(r"([0-9.]+)(ms|s)?", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text}")
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("--function", required=True)
    parser.add_argument("--args_json", required=True)
    parser.add_argument("--expect_json", required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=seconds, default=3.0)
    parser.add_argument("--warmup", type=seconds, default=1.0)
    for name in IGNORED:
        parser.add_argument(f"--{name}", nargs="?", const="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("--concurrency >= 1, --duration > 0 and --warmup >= 0")
    return args


def check_answer(url, body_path, expect):
    """One request with curl; "" when its answer equals EXPECT, else why not."""
    try:
        out = subprocess.run(["curl", "-sS", "--max-time", "10", "-X", "POST", "-H",
                              "content-type: application/json", "--data-binary",
                              f"@{body_path}", "-w", "\n%{http_code}", url],
                             capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"curl: {e}"
    if out.returncode != 0:
        return f"curl exit {out.returncode}: {out.stderr.strip()}"
    body, _, status = out.stdout.rpartition("\n")
    if status != "200":
        return f"HTTP {status}: {body.strip()[:200]}"
    try:
        got = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:200]}"
    return "" if got == expect else f"answered {body[:200]}, expected {json.dumps(expect)}"


def percentile(sorted_values, q):
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def latency(log_path):
    """From h2load's --log-file (start µs, status, µs to the end of the response)."""
    values, statuses = [], {}
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            cols = line.split("\t")
            if len(cols) < 3:
                continue
            statuses[cols[1]] = statuses.get(cols[1], 0) + 1
            values.append(int(cols[2]))
    values.sort()
    hist = {}  # buckets of 8 significant bits, as jscore_loadgen's histogram
    for v in values:
        shift = max(0, v.bit_length() - 8)
        b = v | ((1 << shift) - 1)
        hist[b] = hist.get(b, 0) + 1
    lat = {"count": len(values), "min": values[0] if values else 0,
           "p50": percentile(values, 0.5), "p90": percentile(values, 0.9),
           "p99": percentile(values, 0.99), "p999": percentile(values, 0.999),
           "max": values[-1] if values else 0,
           "mean": round(sum(values) / len(values), 1) if values else 0}
    return lat, statuses, sorted(hist.items())


def h2load(args, url, body_path, log_path):
    # h2load's durations take a unit (ms) for fractions of a second.
    cmd = ["h2load", "--h1", "-c", str(args.concurrency), "-t", "1",
           "-D", f"{round(args.duration * 1000)}ms",
           f"--warm-up-time={round(args.warmup * 1000)}ms", "-d", body_path,
           f"--log-file={log_path}",
           "-H", "content-type: application/json", url]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True,
                         timeout=args.duration + args.warmup + 60, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return out, cpu


def main():
    args = parse_args(sys.argv[1:])
    expect = json.loads(args.expect_json)
    url = f"http://{args.target}/{args.function}"
    with tempfile.TemporaryDirectory(prefix="jscore-h2load.") as tmp:
        body_path, log_path = os.path.join(tmp, "body.json"), os.path.join(tmp, "log.tsv")
        with open(body_path, "w", encoding="utf-8") as f:
            f.write(args.args_json)
        why = check_answer(url, body_path, expect)
        if why:
            print(f"h2load_run: {url}: {why}: not measured", file=sys.stderr)
            return 1
        out, cpu = h2load(args, url, body_path, log_path)
        m = re.search(r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                      r"(\d+) failed, (\d+) errored, (\d+) timeout", out.stdout, re.M)
        if out.returncode != 0 or not m or not os.path.exists(log_path):
            print(f"h2load_run: h2load exit {out.returncode}: {out.stderr.strip()[-400:]}",
                  file=sys.stderr)
            return 1
        lat, statuses, hist = latency(log_path)
    started, done, failed = (int(m.group(i)) for i in (2, 3, 5))
    ok = statuses.get("200", 0)
    # h2load's "failed" counts requests without a 2xx/3xx answer, errored and timed-out
    # ones included; the log also shows any 3xx (not an answer here).
    errors = max(failed, sum(n for status, n in statuses.items() if status != "200"))
    report = {
        "target": args.target, "workload": "call", "driver": "h2load --h1", "mode": "closed",
        "channels": args.concurrency, "concurrency": args.concurrency, "rate": 0,
        "duration_s": args.duration, "requests": 0, "warmup_s": args.warmup,
        "window_s": args.duration, "sent": done, "count": done, "ok": ok, "errors": errors,
        "rpc_errors": {f"HTTP {k}": v for k, v in statuses.items() if k != "200"},
        "js_errors": 0, "mismatches": 0, "late": 0, "max_late_us": 0, "dropped": 0,
        "unfinished": started - done, "throughput": round(ok / args.duration, 1), "latency_us": lat,
        "client_cpu_s": round(cpu, 3),
        "client_cpu_percent": round(100 * cpu / (args.duration + args.warmup), 1),
        "histogram": [list(p) for p in hist]}
    print(json.dumps(report, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
