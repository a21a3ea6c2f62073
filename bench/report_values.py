"""RESULTS.md's "Values" section (issue 13): the same W2 call with its values as protobuf
`Struct`/`Value` messages (what every client sent before issue 13, and what plain gRPC
callers still send) and as ordered JSON text (what the clients send now), on one jscored,
in alternating rounds; then the Python client from one process, its version from before
issue 13 beside this tree's. bench/run writes the runs under <results>/values/.
"""

import json
import os

HZ_NOTE = ("server CPU per answer = the daemon's CPU time (user + system, /proc) during the "
           "run divided by the answers in it")


def _lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _best(runs, w, tag):
    mine = [r for r in runs if r.get("w") == w and r.get("tag") == tag and not r.get("failed")]
    return max(mine, key=lambda r: r["throughput"]) if mine else None


def _cpu_us(r):
    answers = r.get("ok", 0) + r.get("errors", 0)
    return r["server_cpu_s"] * 1e6 / answers if answers else 0.0


def values_section(folder):
    """Markdown for the runs in folder (empty when bench/run measured none)."""
    runs = _lines(os.path.join(folder, "runs.jsonl"))
    python = _lines(os.path.join(folder, "python_client.jsonl"))
    if not runs and not python:
        return ""
    machine = {}
    if os.path.exists(os.path.join(folder, "machine.json")):
        with open(os.path.join(folder, "machine.json"), encoding="utf-8") as f:
            machine = json.load(f)
    out = ["## Values before and after issue 13 (protobuf Struct vs ordered JSON)\n"]
    if machine:
        out.append(f"Measured {machine.get('date', '?')} at commit {machine.get('commit', '?')}, "
                   f"load average at start {machine.get('loadavg_start', '?')}, other load "
                   "during each run in its row. Before: values as `google.protobuf.Value` "
                   "(arguments in a `ListValue`, the result as a `Value`), as every client sent "
                   "them before issue 13. After: `args_json` and `value_encoding: JSON` (key "
                   "order kept), as the clients send them now. Same jscored, same `sign()`, "
                   "runs alternating, best of the rounds.\n")
    rows = []
    for w, tag, label in (("W2", "c64", "W2 `sign()` through Call, c=64"),
                          ("W5", "c256", "W5 `sign()` through one Batch stream, c=256")):
        before, after = _best(runs, w, f"{tag}-proto"), _best(runs, w, f"{tag}-json")
        if not before or not after:
            continue
        rows.append(f"| {label} | {before['throughput']:.0f}/s | {after['throughput']:.0f}/s | "
                    f"{after['throughput'] / before['throughput']:.2f}× | "
                    f"{_cpu_us(before):.1f} µs | {_cpu_us(after):.1f} µs | "
                    f"{before['other_cores']:.2f} / {after['other_cores']:.2f} |")
    if rows:
        out.append("| workload | before (protobuf) | after (JSON) | after ÷ before | "
                   "server CPU per answer, before | after | other load (cores), before / "
                   "after |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        out.extend(rows)
        out.append(f"\n({HZ_NOTE}.)\n")
    if python:
        clients = []
        for r in python:
            if r["client"] not in clients:
                clients.append(r["client"])
        out.append("The Python client from one process (`bench/python_client.py`: 10 000 "
                   "`Program.call` from 8 threads; one Batch stream of 10 000 items), its "
                   "pre-issue-13 version and this tree's taking turns on one jscored "
                   "(2 workers); rates are the best round, CPU the client process's per "
                   "call, lowest round:\n")
        out.append("| client | Program.call (calls/s) | Batch (items/s) | client CPU per call | "
                   "client CPU per Batch item | wrong answers |\n"
                   "| --- | ---: | ---: | ---: | ---: | ---: |")
        for name in clients:
            mine = [r for r in python if r["client"] == name]
            best = {m: max((r["per_second"] for r in mine if r["mode"] == m), default=0)
                    for m in ("calls", "batch")}
            cpu = {m: min((r["client_cpu_us"] for r in mine if r["mode"] == m), default=0)
                   for m in ("calls", "batch")}
            bad = sum(r["count"] - r["ok"] for r in mine)
            out.append(f"| {name} | {best['calls']:.0f} | {best['batch']:.0f} | "
                       f"{cpu['calls']:.0f} µs | {cpu['batch']:.0f} µs | {bad} |")
        out.append("")
    return "\n".join(out) + "\n"
