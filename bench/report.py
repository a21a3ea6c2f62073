#!/usr/bin/env python3
"""Turns bench/run's raw results into RESULTS.md (tables, ratios, issue 7's targets)
and PNG plots drawn with gnuplot.

  report.py --results bench/results --markdown bench/RESULTS.md [--no-plots]

Reads, from --results: machine.json, suite.json, runs.jsonl (one jscore_loadgen report per line,
with bench/run's additions: system, w, tag, server CPU, other load, load average),
memory.jsonl, raw_v8.*.json (Google Benchmark), spawn.jsonl, profile/*.txt, and
bench/FINDINGS.md (hand-written analysis, included as it is). Writes the
plots beside the raw results and links them from the markdown. Standard library only.
"""
import argparse
import glob
import json
import os
import shutil
import sys
import tempfile

from report_plots import CONCURRENCY, plot
from report_values import values_section

NAMES = {
    "jscored": "jscore",
    "jscored1": "jscore, 1 worker",
    "echo": "echo (gRPC only)",
    "node1": "node-vm, 1 process",
    "nodeN": "node-vm, {n} processes",
    "node1-untimed": "node-vm, 1 process, calls without timeout",
    "workerd1": "workerd, 1 process", "workerdN": "workerd, {n} processes",
    "raw": "raw V8",
    "spawn": "spawn-per-call",
}
# Issue 7's W4 target: throughput >= 0.8 * concurrency / 20 ms.
W4_CONCURRENCY = 200


def load_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Results:
    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "machine.json"), encoding="utf-8") as f:
            self.machine = json.load(f)
        self.nproc = self.machine["nproc"]
        self.runs = load_lines(os.path.join(folder, "runs.jsonl"))
        self.memory = load_lines(os.path.join(folder, "memory.jsonl"))
        self.spawn = {s["workload"]: s for s in load_lines(os.path.join(folder, "spawn.jsonl"))}
        self.raw = self._load_raw(sorted(glob.glob(os.path.join(folder, "raw_v8*.json"))))

    @staticmethod
    def _load_raw(paths):
        """name -> {"per_op_us" (CPU), "real_us", "per_second", "runs"}: of every
        repetition in every file, the one with the least CPU time per operation (the
        benchmarks are single-threaded, so CPU time is their cost; the machine's other
        load inflates wall time, and CPU time far less)."""
        out = {}
        for path in paths:
            try:
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
            except ValueError:
                continue
            for b in data.get("benchmarks", []):
                if b.get("run_type") == "aggregate":
                    continue
                name = b.get("run_name", b["name"]).replace("/real_time", "")
                scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
                cpu_us, real_us = b["cpu_time"] * scale, b["real_time"] * scale
                runs = out.get(name, {}).get("runs", 0) + 1
                if name not in out or cpu_us < out[name]["per_op_us"]:
                    out[name] = {"per_op_us": cpu_us, "real_us": real_us,
                                 "per_second": 1e6 / cpu_us}
                out[name]["runs"] = runs
        return out

    def name(self, system):
        return NAMES.get(system, system).format(n=self.nproc)

    def run(self, system, w, tag):
        """The better (higher throughput) of the rounds of a run; None if none worked."""
        best = None
        for r in self.runs:
            if (r.get("system") == system and r.get("w") == w and r.get("tag") == tag
                    and not r.get("failed")):
                if best is None or r["throughput"] > best["throughput"]:
                    best = r
        return best

    def saturated(self, r):
        """Why an open-loop run was past the capacity of the moment, or "" if it was not:
        its median latency is over 20 times that of one W2 call in flight, or over 1% of
        the sends left late (the generator itself starved of CPU)."""
        base = self.run("jscored", "W2", "c1")
        if base and r["latency_us"]["p50"] > 20 * base["latency_us"]["p50"]:
            return (f"p50 {num(r['latency_us']['p50'])} µs against "
                    f"{num(base['latency_us']['p50'])} µs at one call in flight")
        if r.get("sent") and r.get("late", 0) > 0.01 * r["sent"]:
            return f"{r['late']} of {r['sent']} sends more than 1 ms late"
        return ""

    def half_peak(self):
        """Of the open-loop runs at half of jscore's W2 peak, the one with the lowest p99
        (the machine's other load only ever adds latency)."""
        runs = [r for r in self.runs if r.get("system") == "jscored" and r.get("w") == "W2"
                and r.get("tag") == "half-peak" and not r.get("failed")]
        return min(runs, key=lambda r: r["latency_us"]["p99"]) if runs else None

    def peak(self, system, w):
        """The best closed-loop run ("c<N>" tags) of a system for a workload."""
        best = None
        for r in self.runs:
            if (r.get("system") == system and r.get("w") == w and not r.get("failed")
                    and r.get("tag", "").startswith("c")):
                if best is None or r["throughput"] > best["throughput"]:
                    best = r
        return best

    def systems(self, w):
        seen = []
        for r in self.runs:
            if r.get("w") == w and r.get("system") not in seen:
                seen.append(r["system"])
        return seen


def num(x, digits=0):
    if x is None:
        return "–"
    if digits == 0:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:,.{digits}f}".replace(",", " ")


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "–" if r is None else f"{r:.2f}×"


def tput(r):
    return None if r is None else r["throughput"]


def latency_cells(r):
    if r is None:
        return ["–"] * 5
    lat = r["latency_us"]
    return [num(lat["p50"]), num(lat["p90"]), num(lat["p99"]), num(lat["p999"]), num(lat["max"])]


def answers_in_run(r):
    """Answers over the whole loadgen run (warmup included), estimated from the
    measured throughput, to divide the server's CPU and switches (also whole-run) by."""
    if not r.get("elapsed_s") or not r.get("throughput"):
        return None
    if r.get("mode") == "closed" and r.get("duration_s"):
        return r["throughput"] * (r["duration_s"] + r.get("warmup_s", 0))
    return r["ok"]


def cpu_per_answer(r):
    n = answers_in_run(r)
    return r["server_cpu_s"] * 1e6 / n if n else None


def ctxsw_per_answer(r):
    n = answers_in_run(r)
    return r["server_ctxsw"] / n if n and "server_ctxsw" in r else None


def run_detail_table(res, w, tags=None):
    """Every run of a workload: throughput, latency, errors, CPU, noise."""
    rows = ["| system | load | round | ok/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | errors "
            "| server CPU (cores) | server CPU µs / answer | server context switches / answer "
            "| loadgen CPU (cores) | other load (cores) | load avg |",
            "| --- | --- | ---: |" + " ---: |" * 13]
    for r in res.runs:
        if r.get("w") != w or (tags and r.get("tag") not in tags):
            continue
        if r.get("failed"):
            rows.append(f"| {res.name(r['system'])} | {r['tag']} | {r.get('round', 1)} | "
                        f"failed (exit {r.get('exit')}) |" + " |" * 12)
            continue
        load = (f"c={r['concurrency']}" if r["mode"] == "closed"
                else f"open {num(r['rate'])}/s")
        errors = r["errors"]
        if r.get("rpc_errors"):
            errors = f"{errors} ({', '.join(f'{k} {v}' for k, v in r['rpc_errors'].items())})"
        loadgen_cores = r["loadgen_cpu_s"] / r["elapsed_s"] if r.get("elapsed_s") else None
        rows.append("| " + " | ".join(
            [res.name(r["system"]), load, str(r.get("round", 1)), num(r["throughput"])] +
            latency_cells(r) +
            [str(errors), num(r.get("server_cores"), 2), num(cpu_per_answer(r)),
             num(ctxsw_per_answer(r), 1), num(loadgen_cores, 2),
             num(r.get("other_cores"), 2), str(r.get("loadavg1", "–"))]) + " |")
    return "\n".join(rows)


def throughput_table(res, w, reference="jscored"):
    systems = [s for s in res.systems(w) if res.peak(s, w)]
    ref_peak = tput(res.peak(reference, w))
    head = ("| system | " + " | ".join(f"c={c}" for c in CONCURRENCY) +
            " | peak ok/s | jscore ÷ system | server CPU µs / answer at peak |")
    rows = [head, "| --- |" + " ---: |" * (len(CONCURRENCY) + 3)]
    for s in systems:
        cells = [num(tput(res.run(s, w, f"c{c}"))) for c in CONCURRENCY]
        peak_run = res.peak(s, w)
        peak = tput(peak_run)
        rel = "1" if s == reference else fmt_ratio(ratio(ref_peak, peak))
        rows.append(f"| {res.name(s)} | " + " | ".join(cells) +
                    f" | {num(peak)} | {rel} | {num(cpu_per_answer(peak_run))} |")
    return "\n".join(rows)


class Target:
    def __init__(self, what, goal, measured, passed, note=""):
        self.what, self.goal, self.measured, self.passed, self.note = (
            what, goal, measured, passed, note)


def cpu_note(a, b, a_label, b_label):
    """Server CPU µs per answer of two runs, side by side."""
    ca = cpu_per_answer(a) if a else None
    cb = cpu_per_answer(b) if b else None
    if ca is None or cb is None:
        return "–"
    return f"{a_label} {ca:.0f} µs, {b_label} {cb:.0f} µs ({cb / ca:.2f}×)"


def targets(res):
    out = []
    w2_run = res.peak("jscored", "W2")
    w2 = tput(w2_run)
    for peer, goal in (("echo", 0.6), ("node1", 3.0), ("nodeN", 1.5)):
        peer_run = res.peak(peer, "W2")
        r = ratio(w2, tput(peer_run))
        out.append(Target(f"W2 calls/s ≥ {goal} × {res.name(peer)}", f"≥ {goal}×",
                          f"{fmt_ratio(r)} ({num(w2)} vs {num(tput(peer_run))}/s)",
                          None if r is None else r >= goal,
                          cpu_note(w2_run, peer_run, "jscore", peer.replace("1", "")
                                   .replace("N", f" ×{res.nproc}"))))
    raw = res.raw.get("BM_RawV8FreshContext")
    w1 = tput(res.peak("jscored", "W1"))
    engine_limit = raw["per_second"] * res.nproc if raw else None
    r = ratio(w1, engine_limit)
    w1_run = res.peak("jscored", "W1")
    w1_cpu = cpu_per_answer(w1_run) if w1_run else None
    note = (f"jscore {w1_cpu:.0f} µs per evaluation, raw V8 {raw['per_op_us']:.0f} µs per "
            f"context ({raw['per_op_us'] / w1_cpu:.2f}×)" if raw and w1_cpu else "–")
    out.append(Target(f"W1 evaluations/s ≥ 0.8 × raw V8 fresh contexts/s × {res.nproc} workers",
                      "≥ 0.8×",
                      f"{fmt_ratio(r)} ({num(w1)} vs {num(raw['per_second']) if raw else '–'}/s "
                      f"× {res.nproc} = {num(engine_limit)}/s)", None if r is None else r >= 0.8,
                      note))
    w3_2 = tput(res.run("jscored", "W3", "c4") or res.run("jscored", "W3", "c2"))
    w3_1 = tput(res.run("jscored1", "W3", "c4") or res.run("jscored1", "W3", "c2"))
    r = ratio(w3_2, w3_1)
    w3_runs = [res.run(s, "W3", "c4") or res.run(s, "W3", "c2") for s in ("jscored", "jscored1")]
    note = (f"server busy {w3_runs[0]['server_cores']:.2f} vs {w3_runs[1]['server_cores']:.2f} "
            f"cores; other load {w3_runs[0]['other_cores']:.2f} vs "
            f"{w3_runs[1]['other_cores']:.2f}" if all(w3_runs) else "–")
    out.append(Target("W3: 2 workers ≥ 1.8 × 1 worker", "≥ 1.8×",
                      f"{fmt_ratio(r)} ({num(w3_2, 1)} vs {num(w3_1, 1)} calls/s)",
                      None if r is None else r >= 1.8, note))
    w4 = res.run("jscored1", "W4", f"c{W4_CONCURRENCY}")
    need = 0.8 * W4_CONCURRENCY / 0.020
    if w4:
        ok = w4["errors"] == 0 and w4["throughput"] >= need
        cpu = cpu_per_answer(w4)
        out.append(Target(f"W4: 1 worker, {W4_CONCURRENCY} concurrent awaiting calls, "
                          f"≥ 0.8 × {W4_CONCURRENCY} / 20 ms = {num(need)}/s", f"≥ {num(need)}/s",
                          f"{num(w4['throughput'])}/s, {w4['errors']} errors, "
                          f"p50 {num(w4['latency_us']['p50'] / 1000, 1)} ms", ok,
                          f"{cpu:.0f} µs CPU per call, server busy {w4['server_cores']:.2f} "
                          f"cores, other load {w4['other_cores']:.2f}" if cpu else "–"))
    else:
        out.append(Target(f"W4: 1 worker, {W4_CONCURRENCY} concurrent awaiting calls",
                          f"≥ {num(need)}/s", "not measured", None))
    w5_run = res.peak("jscored", "W5")
    w5 = tput(w5_run)
    r = ratio(w5, w2)
    echo_ratio = ratio(tput(res.peak("echo", "W5")), tput(res.peak("echo", "W2")))
    note = cpu_note(w5_run, w2_run, "per item", "per unary call")
    if echo_ratio:
        note += f"; echo's own Batch ÷ unary: {fmt_ratio(echo_ratio)}"
    out.append(Target("W5 items/s (one Batch stream) ≥ 3 × W2 unary calls/s", "≥ 3×",
                      f"{fmt_ratio(r)} ({num(w5)} vs {num(w2)}/s)", None if r is None else r >= 3,
                      note))
    half = res.half_peak()
    if half:
        lat = half["latency_us"]
        r = ratio(lat["p99"], lat["p50"])
        saturated = res.saturated(half)
        note = (f"other load {half['other_cores']:.2f} cores; {half['late']} of {half['sent']} "
                f"sends > 1 ms late")
        if saturated:
            note = (f"saturated: {saturated}; the daemon could not keep up with half of its "
                    f"best throughput while other processes took {half['other_cores']:.2f} "
                    f"cores, so this run says nothing of the tail at half load; " + note)
        out.append(Target("W2 p99 ≤ 5 × p50 at half of peak load (open loop)", "≤ 5×",
                          f"{fmt_ratio(r)} (p50 {num(lat['p50'])} µs, p99 {num(lat['p99'])} µs "
                          f"at {num(half['rate'])}/s)",
                          None if r is None else (r <= 5 and not saturated), note))
    return out


def verdict(t):
    return "–" if t.passed is None else ("**PASS**" if t.passed else "**MISS**")


# ---- plots -------------------------------------------------------------------------

# ---- markdown ----------------------------------------------------------------------

def profile_section(res):
    folder = os.path.join(res.folder, "profile")
    if not os.path.isdir(folder):
        return ""
    parts = []
    for name in ("W1", "W2", "W4", "W5"):
        dso = os.path.join(folder, f"{name}.dso.txt")
        sym = os.path.join(folder, f"{name}.sym.txt")
        if not os.path.exists(dso) or os.path.getsize(dso) == 0:
            continue
        with open(dso, encoding="utf-8") as f:
            dso_lines = [l.rstrip() for l in f][:12]
        with open(sym, encoding="utf-8") as f:
            sym_lines = [l.rstrip() for l in f][:25]
        r = res.run("jscored1" if name == "W4" else "jscored", "PROFILE", name)
        load = f", {num(r['throughput'])} ok/s during the profile" if r else ""
        parts.append(f"#### {name}{load}\n\nBy library (self time):\n\n```\n" +
                     "\n".join(dso_lines) + "\n```\n\nHottest functions (self time):\n\n```\n" +
                     "\n".join(sym_lines) + "\n```\n")
    if not parts:
        return ""
    return ("### perf profiles of jscored\n\n`perf record -F 999 -p PID` for 4 s in the middle "
            "of a 5 s closed-loop run (W1 and W2 at 16 in flight, W4 on the 1-worker daemon "
            "at 200, W5 at a window of 256); flat profiles, self time.\n\n" + "\n".join(parts))


def markdown(res, plots, args, bench_dir, md_dir):
    m = res.machine
    rel = os.path.relpath(res.folder, md_dir)
    n = res.nproc
    lines = []
    add = lines.append
    add("# jscore benchmarks\n")
    if m.get("mode") == "smoke":
        add("> **Smoke run** (`bench/run --smoke`): a few hundred milliseconds per workload to "
            "check that the bench still works. These numbers mean nothing.\n")
    add(f"Generated by `bench/run` on {m['date']}: every system measured on the same machine "
        f"in the same run, taking turns, with the same JavaScript (`bench/workloads/`) and "
        f"the same load generator (`jscore_loadgen`). Raw results: [`{rel}/`]({rel}/).\n")
    add("| machine | |\n| --- | --- |")
    add(f"| CPU | {m['nproc']} × {m['cpu_model']} (`nproc` = {m['nproc']}), {m['mem_gib']} GiB |")
    add(f"| kernel | {m['kernel']} |")
    add(f"| commit | `{m['commit']}`{' plus uncommitted changes in the tree' if m['dirty'] else ''} |")
    add(f"| jscored | {m['jscored_version']}, {m.get('build_type') or 'Release'} build, `--workers={n}` "
        "(and a second daemon with `--workers=1`), other flags default |")
    add(f"| Node.js | {m['node_version']} (node-vm and spawn-per-call) |")
    waited = (f"after waiting {m['waited_s']} s; it was {m['loadavg_before_wait']}"
              if m.get("waited_s") else "no wait")
    add(f"| load average (1, 5, 15 min) | at start **{m['loadavg_start']}** ({waited}); "
        f"at the end {args.loadavg_end} |")
    add(f"| duration | {args.suite_seconds} s of measuring |\n")
    busy = [r["other_cores"] for r in res.runs if "other_cores" in r and not r.get("failed")]
    if busy:
        add(f"The machine is shared: during the runs, processes other than the server under "
            f"test and the loadgen used {min(busy):.2f}–{max(busy):.2f} cores "
            f"(median {sorted(busy)[len(busy) // 2]:.2f}) of the {n} (the *other load* column "
            f"below). The load generator runs on the same {n} cores as the server it drives. "
            "Compare the ratios (measured side by side), not the absolute numbers with other "
            "runs.\n")

    add("## Issue 7 targets\n")
    add("| target | goal | measured | result | server CPU view |\n| --- | --- | --- | --- | --- |")
    tlist = targets(res)
    for t in tlist:
        add(f"| {t.what} | {t.goal} | {t.measured} | {verdict(t)} | {t.note or '–'} |")
    add("")
    add("*Server CPU view*: the CPU the servers spent per answer in the same runs (whole "
        "run, warmup included), which the machine's other load disturbs far less than "
        "throughput; the ratio in brackets is the peer's cost ÷ jscore's, comparable with the "
        "target's.\n")
    add("Ratios compare peaks: the best closed-loop throughput of each system over the "
        "concurrencies tried (W1, W2 and W3 ran in two interleaved rounds; each system's "
        "better round counts, since the machine's other load only ever takes throughput "
        "away). The analysis of the misses is at the end "
        "([Profiles and findings](#profiles-and-findings)).\n")

    import report_issue18  # issue 18's ratios ("not measured" where data is missing)
    add(report_issue18.section(res, {"num": num, "ratio": ratio, "fmt_ratio": fmt_ratio,
                                      "tput": tput, "cpu_per_answer": cpu_per_answer}))
    add("## W1: `1+1` through Evaluate, a fresh context each\n")
    add(throughput_table(res, "W1") + "\n")
    raw = res.raw.get("BM_RawV8FreshContext")
    if raw:
        add(f"Raw V8 (one thread: `Context::New`, compile and run `1+1`, read, drop): "
            f"{num(raw['per_second'])} contexts/s ({raw['per_op_us']:.1f} µs of CPU each); × {n} "
            f"workers = {num(raw['per_second'] * n)}/s, and jscore reaches "
            f"{fmt_ratio(ratio(tput(res.peak('jscored', 'W1')), raw['per_second'] * n))} of that.")
    sp = res.spawn.get("w1")
    if sp:
        add(f"spawn-per-call (`node -e`, {sp['calls']} calls one after the other): "
            f"{num(sp['throughput'], 1)} calls/s, p50 {num(sp['latency_us']['p50'] / 1000, 1)} ms; "
            f"jscore at one request in flight: "
            f"{fmt_ratio(ratio(tput(res.run('jscored', 'W1', 'c1')), sp['throughput']))} of it.")
    add("")
    if "throughput_W1" in plots:
        add(f"![W1 throughput]({rel}/{plots['throughput_W1']})")
    if "cdf_W1" in plots:
        add(f"![W1 latency CDF]({rel}/{plots['cdf_W1']})")
    add("\n<details><summary>W1, every run</summary>\n\n" + run_detail_table(res, "W1") +
        "\n\n</details>\n")

    add("## W2: `sign(params, ts)` through Call (md5 of the sorted query, pure JS)\n")
    add(throughput_table(res, "W2") + "\n")
    untimed = res.run("node1-untimed", "W2", "c16")
    if untimed:
        add(f"node-vm's Call runs the function through a pre-compiled `vm.Script` with vm's "
            f"`timeout` (the only way vm bounds synchronous code), which starts a watchdog "
            f"thread per run. The same server calling the function directly, with no timeout "
            f"at all: {num(untimed['throughput'])} calls/s at 16 in flight (jscore ÷ that: "
            f"{fmt_ratio(ratio(tput(res.peak('jscored', 'W2')), untimed['throughput']))}).\n")
    raw = res.raw.get("BM_RawV8Sign")
    if raw:
        add(f"Raw V8: {num(raw['per_second'])} calls/s on one thread ({raw['per_op_us']:.1f} µs "
            f"of CPU each, arguments built per call): the JavaScript itself is "
            f"{raw['per_op_us']:.1f} µs of each call.")
    sp = res.spawn.get("w2")
    if sp:
        add(f"spawn-per-call: {num(sp['throughput'], 1)} calls/s, p50 "
            f"{num(sp['latency_us']['p50'] / 1000, 1)} ms; jscore at one call in flight: "
            f"{fmt_ratio(ratio(tput(res.run('jscored', 'W2', 'c1')), sp['throughput']))} of it.")
    add("")
    half = res.half_peak()
    if half:
        lat = half["latency_us"]
        add(f"At half of jscore's peak, open loop ({num(half['rate'])}/s on a fixed schedule, "
            f"latency from the scheduled send; the less disturbed of two runs, by p99): p50 {num(lat['p50'])} µs, p90 {num(lat['p90'])}, "
            f"p99 {num(lat['p99'])}, p99.9 {num(lat['p999'])}, max {num(lat['max'])}; "
            f"{half['late']} sends more than 1 ms late, {half['dropped']} dropped.\n")
    if "throughput_W2" in plots:
        add(f"![W2 throughput]({rel}/{plots['throughput_W2']})")
    if "cdf_W2" in plots:
        add(f"![W2 latency CDF]({rel}/{plots['cdf_W2']})")
    add("\n<details><summary>W2, every run</summary>\n\n" + run_detail_table(res, "W2") +
        "\n\n</details>\n")

    add("## W3: a CPU-bound call (`burn`, about 5 ms of JS)\n")
    raw = res.raw.get(f"BM_RawV8Burn/{m['w3_rounds']}")
    if raw:
        add(f"`burn({m['w3_rounds']})` takes {raw['per_op_us'] / 1000:.2f} ms on raw V8 (one "
            f"thread): at most {num(1e6 / raw['per_op_us'], 1)} calls/s per core.\n")
    add("| system | load | calls/s | p50 ms | p99 ms | server CPU (cores) | CPU ms per call "
        "| other load (cores) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in res.systems("W3"):
        r = res.run(s, "W3", "c4") or res.run(s, "W3", "c2")
        if r is None:
            continue
        per_call = cpu_per_answer(r)
        per_call = per_call / 1000 if per_call else None
        add(f"| {res.name(r['system'])} | c={r['concurrency']} | {num(r['throughput'], 1)} | "
            f"{num(r['latency_us']['p50'] / 1000, 1)} | {num(r['latency_us']['p99'] / 1000, 1)} | "
            f"{num(r['server_cores'], 2)} | {num(per_call, 2)} | {num(r['other_cores'], 2)} |")
    add("\nThe better of two rounds per system. CPU per call: the server's CPU over the whole "
        "run (warmup included) divided by the calls answered in it.\n")
    add("<details><summary>W3, every run</summary>\n\n" + run_detail_table(res, "W3") +
        "\n\n</details>\n")

    add("## W4: an async call awaiting `setTimeout(20)`\n")
    add("| system | in flight | calls/s | ideal (in flight / 20 ms) | p50 ms | p99 ms | max ms "
        "| errors | server CPU (cores) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in res.runs:
        if r.get("w") != "W4" or r.get("failed"):
            continue
        lat = r["latency_us"]
        add(f"| {res.name(r['system'])} | {r['concurrency']} | {num(r['throughput'])} | "
            f"{num(r['concurrency'] / 0.020)} | {num(lat['p50'] / 1000, 1)} | "
            f"{num(lat['p99'] / 1000, 1)} | {num(lat['max'] / 1000, 1)} | {r['errors']} | "
            f"{num(r['server_cores'], 2)} |")
    add("")

    add("## W5: W2's calls through one Batch stream\n")
    add("| system | window (items in flight) | items/s | p50 µs | p99 µs | errors | "
        "÷ its own W2 unary peak |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in res.runs:
        if r.get("w") != "W5" or r.get("failed"):
            continue
        unary = tput(res.peak(r["system"], "W2"))
        add(f"| {res.name(r['system'])} | {r['concurrency']} | {num(r['throughput'])} | "
            f"{num(r['latency_us']['p50'])} | {num(r['latency_us']['p99'])} | {r['errors']} | "
            f"{fmt_ratio(ratio(r['throughput'], unary))} |")
    add("")

    import report_realcode  # W7 (bench/realcode/), "" when it was skipped
    w7 = report_realcode.section(res, {"num": num, "ratio": ratio, "fmt_ratio": fmt_ratio,
                                       "tput": tput, "cpu_per_answer": cpu_per_answer})
    if w7:
        add(w7)

    add("## W6: memory\n")
    add("| system | processes | RSS idle (2 s after start) | RSS after the runs | peak RSS "
        "| W2 calls served before the second reading |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    by_system = {}
    for mem in res.memory:
        by_system.setdefault(mem["system"], {})[mem["phase"]] = mem
    for s, phases in by_system.items():
        idle, after = phases.get("idle"), phases.get("after")
        add(f"| {res.name(s)} | {(after or idle)['processes']} | "
            f"{num(idle['rss_kb'] / 1024, 1) if idle else '–'} MB | "
            f"{num(after['rss_kb'] / 1024, 1) + ' MB' if after else '–'} | "
            f"{num(max(p['hwm_kb'] for p in phases.values()) / 1024, 1)} MB | "
            f"{num(after['w2_calls']) if after and after.get('w2_calls') is not None else '–'} |")
    w6 = res.run("jscored", "W6", "million")
    if w6:
        add(f"\njscore's second reading follows {num(w6['ok'])} W2 calls in one run through "
            f"one Batch stream (window 256, {num(w6['throughput'])}/s, {w6['errors']} errors, "
            f"bounded at 60 s) after all the runs above; the node-vm readings follow the W2/W5 "
            f"runs above only (their calls are counted; a million would take them minutes). "
            f"RSS sums every process of the system (node-vm's cluster primary included).\n")
        trace = load_lines(os.path.join(res.folder, "memory_trace.jsonl"))
        if len(trace) >= 2:
            points = ", ".join(f"{t['t_s']} s: {t['rss_kb'] / 1024:.0f} MB" for t in trace)
            add(f"jscore's RSS during that run, every 5 s ({w6['throughput']:.0f} calls/s): "
                f"{points}.\n")

    if res.raw:
        add("## Raw V8 (engine_workloads_bench)\n")
        add("The same JS on a bare V8 isolate of one thread (the V8 of jscored, libnode 10.2): "
            "no pool, queue, environment, value mapping or gRPC. Run twice (before the "
            "servers' runs and between them), three repetitions each; the repetition with "
            "the least CPU time counts, and operations/s is 1 / that CPU time.\n")
        add("| benchmark | CPU per operation | wall time per operation (same repetition) | "
            "operations/s (one thread) | repetitions |\n| --- | ---: | ---: | ---: | ---: |")
        for name, b in res.raw.items():
            add(f"| {name} | {b['per_op_us']:.1f} µs | {b['real_us']:.1f} µs | "
                f"{num(b['per_second'])} | {b['runs']} |")
        add("")

    add(values_section(os.path.join(res.folder, "values")))
    add("## Profiles and findings\n")
    notes = os.path.join(bench_dir, "FINDINGS.md")
    if os.path.exists(notes) and m.get("mode") != "smoke":
        with open(notes, encoding="utf-8") as f:
            add(f.read().strip() + "\n")
    add(profile_section(res))
    add("## How to reproduce\n")
    add("```sh\nbench/run          # builds build-perf/ (Release), waits for load average <= 3 "
        "(up to 10 min), measures, writes this file\nbench/run --smoke  # a few seconds; "
        "the test suite runs it (ctest -L bench)\n```\n")
    add("Peers: `bench/peers/echo` (C++ gRPC callback server answering a constant), "
        f"`bench/peers/node-vm` (Node.js, @grpc/grpc-js + vm; {n} processes = Node's cluster "
        "module sharing one port, connections handed round-robin), "
        "`engine/bench/workloads_bench.cc` (raw V8), `bench/peers/spawn` (`node -e` per call). "
        "Loadgen runs: 1 s warmup, 3 s measured, 4 channels (HTTP/2 connections).")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--no-plots", action="store_true")
    args = parser.parse_args()
    res = Results(os.path.abspath(args.results))
    suite = {}
    if os.path.exists(os.path.join(res.folder, "suite.json")):
        with open(os.path.join(res.folder, "suite.json"), encoding="utf-8") as f:
            suite = json.load(f)
    args.suite_seconds = suite.get("suite_seconds", "?")
    args.loadavg_end = suite.get("loadavg_end", "?")
    md_dir = os.path.dirname(os.path.abspath(args.markdown))
    bench_dir = os.path.dirname(os.path.abspath(__file__))
    plots = {}
    if not args.no_plots and shutil.which("gnuplot"):
        with tempfile.TemporaryDirectory() as tmp:
            plots = plot(res, res.folder, tmp)
    text = markdown(res, plots, args, bench_dir, md_dir)
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
