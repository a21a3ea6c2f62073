"""W7, the real-code workload, for report.py (bench/realcode/README.md): jscored and
node-vm through the same loadgen (runs.jsonl, w == "W7"), beside the raw-V8 loop
(realcode_raw.jsonl, engine_realcode_bench) and Node's vm loop (realcode_node_vm.jsonl),
both CPU per signature in one process. Standard library only."""
import json
import os


def _lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.startswith("{")]


def _least(rows, system, n=1):
    v = [r["cpu_us_per_signature"] for r in rows if r.get("system") == system and r.get("n") == n]
    return min(v) if v else None


def section(res, helpers):
    """The markdown of W7, or "" when the workload did not run (no npm: skipped)."""
    num, ratio, fmt_ratio, tput = helpers["num"], helpers["ratio"], helpers["fmt_ratio"], helpers["tput"]
    cpu_per_answer = helpers["cpu_per_answer"]
    runs = [r for r in res.runs if r.get("w") == "W7"]
    if not runs:
        return ""
    raw = _least(_lines(os.path.join(res.folder, "realcode_raw.jsonl")), "raw_v8")
    node_loop = _least(_lines(os.path.join(res.folder, "realcode_node_vm.jsonl")), "node_vm")
    out = ["## W7: real code (crypto-js 4.2.0 + a signer obfuscated with javascript-obfuscator 4.1.1)\n",
           "`loopSign(P, 1)` through Call: the 225 KB program of `bench/realcode/` (made at bench "
           "time, never committed), c=16, two rounds; the better round of each system. CPU per "
           "call is the server's (every process and thread) over the whole loadgen run.\n",
           "| system | ok/s | jscore ÷ system | server CPU µs / call | ÷ raw-V8 loop CPU |",
           "| --- | ---: | ---: | ---: | ---: |"]
    ref = tput(res.peak("jscored", "W7"))
    for s in res.systems("W7"):
        r = res.peak(s, "W7")
        if r is None:
            continue
        cpu = cpu_per_answer(r)
        rel = "1" if s == "jscored" else fmt_ratio(ratio(ref, tput(r)))
        out.append(f"| {res.name(s)} | {num(tput(r))} | {rel} | {num(cpu)} | "
                   f"{fmt_ratio(ratio(cpu, raw))} |")
    out.append(f"| raw V8 loop (`engine_realcode_bench --only=raw`, one thread) | – | – | "
               f"{num(raw)} | 1 |")
    out.append(f"| Node 20 `vm` loop (`node_vm_loop.js`, one process) | – | – | {num(node_loop)} | "
               f"{fmt_ratio(ratio(node_loop, raw))} |")
    out.append("\nTargets (issue 18): jscore ≥ 1.1 × node-vm ×N in calls/s, and daemon CPU per "
               "call ≤ 1.3 × the raw-V8 loop's. Per-call CPU at n = 1, 10, 100 signatures per "
               "call: `bench/realcode/percall` (FINDINGS.md).\n")
    return "\n".join(out)
