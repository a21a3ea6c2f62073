#!/usr/bin/env python3
"""bench/handoffs.py: CPU and context switches per unary call, jscored beside echo.

Starts `jscored` (--workers=NPROC) and `jscore_echo_server` on free loopback ports,
then runs W2 (`sign()` through Call, as bench/run does) against each in turn,
alternating, ROUNDS times, and prints per call: calls/s, server CPU µs, voluntary
and involuntary context switches, from /proc/PID/task/*/{stat,status} read before
and after each bounded loadgen run (--warmup=0s, so every call sent is counted).
With --threads it also prints the same per thread name (gRPC pollers, workers...).

  bench/handoffs.py [--build-dir build-perf] [--rounds 2] [--duration 5s]
                    [--concurrency 64] [--threads] [--jscored-flag=--x=y ...]
                    [--variant NAME=BINARY[,--flag=value...] ...]

--variant adds another jscored (an earlier build, or other flags) to the same
alternation, so a change is measured against its baseline in one run.

Builds nothing: build jscored, jscore_loadgen and jscore_echo_server first (bench/run
does, into build-perf). Every process it starts is stopped on exit; all traffic is
on 127.0.0.1.
"""
import argparse
import collections
import json
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HZ = os.sysconf("SC_CLK_TCK")
W2_ARGS = '[{"uid":"10086","q":"jscore bench","page":"3","sort":"desc","v":"2.1"},1700000000000]'
W2_EXPECT = '"700e6ed003d26c68399b0f9f64d40ab2"'


def start(cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"listening on (\S+)", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    sys.exit("handoffs: %s did not start" % cmd[0])


def threads(pid):
    """{tid: (name, cpu_ticks, voluntary, involuntary)} of every thread of pid."""
    out = {}
    base = "/proc/%d/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/stat" % (base, tid)) as f:
                stat = f.read()
            with open("%s/%s/status" % (base, tid)) as f:
                status = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        cpu = int(fields[11]) + int(fields[12])
        vol = int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
        invol = int(re.search(r"^nonvoluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
        out[tid] = (re.sub(r"[0-9]+$", "", name), cpu, vol, invol)
    return out


def process_cpu(pid):
    """utime + stime of the whole process (exited threads included), in ticks."""
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def delta(before, after):
    """Per thread name: [cpu_ticks, voluntary, involuntary] spent between two readings."""
    by_name = collections.defaultdict(lambda: [0, 0, 0])
    for tid, (name, cpu, vol, invol) in after.items():
        b = before.get(tid, (name, 0, 0, 0))
        d = by_name[name]
        d[0] += cpu - b[1]
        d[1] += vol - b[2]
        d[2] += invol - b[3]
    return by_name


def run(loadgen, target, pid, args, expect):
    before, cpu0 = threads(pid), process_cpu(pid)
    t0 = time.time()
    cmd = [loadgen, "--target=" + target, "--json", "--workload=call",
           "--program_file=" + os.path.join(ROOT, "bench/workloads/sign.js"),
           "--function=sign", "--args_json=" + W2_ARGS] + (
               ["--expect_json=" + W2_EXPECT] if expect else []) + [
           "--concurrency=%d" % args.concurrency, "--duration=" + args.duration,
           "--warmup=0s"]
    report = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                       text=True, timeout=120).stdout.splitlines()[0])
    elapsed = time.time() - t0
    after, cpu1 = threads(pid), process_cpu(pid)
    calls = max(report["sent"], 1)
    per_thread = delta(before, after)
    vol = sum(d[1] for d in per_thread.values())
    invol = sum(d[2] for d in per_thread.values())
    return {"calls_s": report["throughput"], "errors": report["errors"], "calls": calls,
            "cpu_us": (cpu1 - cpu0) / HZ * 1e6 / calls, "vol": vol / calls,
            "invol": invol / calls, "cores": (cpu1 - cpu0) / HZ / elapsed,
            "threads": {n: [d[0] / HZ * 1e6 / calls, d[1] / calls, d[2] / calls]
                        for n, d in per_thread.items() if any(d)}}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build-perf"))
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--duration", default="5s")
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--threads", action="store_true", help="per thread name as well")
    p.add_argument("--jscored-flag", action="append", default=[],
                   help="a flag for every jscored (repeatable)")
    p.add_argument("--variant", action="append", default=[], metavar="NAME=BINARY[,FLAG...]",
                   help="measure this jscored binary (with these flags) too, as NAME")
    args = p.parse_args()
    if args.rounds < 1 or args.rounds > 10:
        sys.exit("handoffs: --rounds takes 1 to 10")
    b = os.path.abspath(args.build_dir)
    loadgen = b + "/bench/loadgen/jscore_loadgen"
    servers = {
        "jscored": [b + "/daemon/jscored", "--listen=127.0.0.1:0",
                    "--workers=%d" % os.cpu_count(), "--log_level=warn"] + args.jscored_flag,
        "echo": [b + "/bench/peers/echo/jscore_echo_server", "--listen=127.0.0.1:0"],
    }
    for v in args.variant:
        name, _, spec = v.partition("=")
        binary, *flags = spec.split(",")
        servers[name] = [os.path.abspath(binary), "--listen=127.0.0.1:0",
                         "--workers=%d" % os.cpu_count(), "--log_level=warn"] + \
            args.jscored_flag + flags
    procs = {}
    try:
        for name, cmd in servers.items():
            procs[name] = start(cmd)
        time.sleep(1)  # both idle before the first reading
        print("| system | round | calls/s | server CPU µs/call | voluntary cs/call "
              "| involuntary cs/call | server cores | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in range(1, args.rounds + 1):
            for name in servers:
                proc, target = procs[name]
                # echo answers 2 to everything: only jscored's answers are checked.
                res = run(loadgen, target, proc.pid, args, expect=name != "echo")
                print("| %s | %d | %.0f | %.1f | %.2f | %.2f | %.2f | %d |" % (
                    name, r, res["calls_s"], res["cpu_us"], res["vol"], res["invol"],
                    res["cores"], res["errors"]), flush=True)
                if args.threads:
                    for t, (cpu, vol, invol) in sorted(res["threads"].items()):
                        print("|   thread %s | | | %.1f | %.2f | %.2f | | |" % (t, cpu, vol, invol))
    finally:
        for proc, _ in procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
