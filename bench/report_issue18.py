"""Issue 18's targets, for report.py: one table of the ratios the issue asks for, each
measured side by side in one bench/run (runs.jsonl), with W7's CPU per call against
the raw-V8 loop (report_realcode's files). A row whose data is missing (a peer
skipped, a workload not run) says "not measured". Also the workerd peer's note.
Standard library only."""
import json
import os

import report_realcode


class Row:
    def __init__(self, what, goal, measured, passed, note="–"):
        self.what, self.goal, self.measured, self.passed, self.note = (
            what, goal, measured, passed, note)


def _w3(res, system):
    return res.run(system, "W3", "c4") or res.run(system, "W3", "c2")


class _Targets:
    """Builds the rows; H holds report.py's helpers (num, ratio, fmt_ratio, tput,
    cpu_per_answer)."""

    def __init__(self, res, helpers):
        self.res, self.h = res, helpers
        self.n = res.nproc

    def throughput_row(self, what, a, b, goal, note=""):
        """a ÷ b in answers/s (runs or None); GOAL a minimum ratio, or None (reported)."""
        h = self.h
        ta, tb = h["tput"](a), h["tput"](b)
        r = h["ratio"](ta, tb)
        if r is None:
            return Row(what, f"≥ {goal}×" if goal else "report", "not measured", None)
        cpu_a = h["cpu_per_answer"](a)
        cpu_b = h["cpu_per_answer"](b)
        if not note and cpu_a and cpu_b:
            note = f"server CPU per answer {cpu_a:.0f} vs {cpu_b:.0f} µs"
        return Row(what, f"≥ {goal}×" if goal else "report",
                   f"{h['fmt_ratio'](r)} ({h['num'](ta, 1 if ta < 100 else 0)} vs "
                   f"{h['num'](tb, 1 if tb < 100 else 0)}/s)",
                   None if goal is None else r >= goal, note or "–")

    def w7_rows(self):
        res, h = self.res, self.h
        jscore, node = res.peak("jscored", "W7"), res.peak("nodeN", "W7")
        rows = [self.throughput_row(f"W7 (real code): jscore ÷ node-vm ×{self.n}", jscore,
                                    node, 1.1)]
        lines = report_realcode._lines(os.path.join(res.folder, "realcode_raw.jsonl"))
        raw = report_realcode._least(lines, "raw_v8")
        cpu = h["cpu_per_answer"](jscore) if jscore else None
        r = h["ratio"](cpu, raw)
        rows.append(Row("W7: daemon CPU per call ÷ the raw-V8 loop's", "≤ 1.3×",
                        "not measured" if r is None else
                        f"{h['fmt_ratio'](r)} ({cpu:.0f} vs {raw:.0f} µs)",
                        None if r is None else r <= 1.3))
        return rows

    def w2_echo_row(self):
        h = self.h
        w2, echo = self.res.peak("jscored", "W2"), self.res.peak("echo", "W2")
        row = self.throughput_row("W2: jscore ÷ echo, with CPU per call ≤ 2× echo's", w2,
                                  echo, 0.75)
        cpu_w2 = h["cpu_per_answer"](w2) if w2 else None
        cpu_echo = h["cpu_per_answer"](echo) if echo else None
        cr = h["ratio"](cpu_w2, cpu_echo)
        if row.passed is not None and cr is not None:
            row.goal = "≥ 0.75×, CPU ≤ 2×"
            row.note = (f"CPU per call: jscore {cpu_w2:.0f} µs, echo {cpu_echo:.0f} µs "
                        f"({h['fmt_ratio'](cr)})")
            row.passed = row.passed and cr <= 2
        return row

    def tail_row(self):
        half = self.res.half_peak()
        if not half:
            return Row("W2 p99 ≤ 5 × p50 at half of peak load", "≤ 5×", "not measured", None)
        lat = half["latency_us"]
        r = self.h["ratio"](lat["p99"], lat["p50"])
        saturated = self.res.saturated(half)
        num = self.h["num"]
        return Row("W2 p99 ≤ 5 × p50 at half of peak load", "≤ 5×",
                   f"{self.h['fmt_ratio'](r)} (p50 {num(lat['p50'])} µs, "
                   f"p99 {num(lat['p99'])} µs)",
                   None if r is None else (r <= 5 and not saturated),
                   f"saturated: {saturated}" if saturated else "–")

    def client_rows(self):
        """The Python client (issue 18, item 4) from clients.jsonl (python_client.py):
        Batch ÷ the C++ loadgen's one stream, unary from 8 threads after ÷ before, and
        the same calls over the client's shared stream ÷ unary before."""
        runs = report_realcode._lines(os.path.join(self.res.folder, "clients.jsonl"))

        def best(client_prefix, mode):
            rates = [r["per_second"] for r in runs
                     if r.get("client", "").startswith(client_prefix) and r.get("mode") == mode
                     and r.get("ok") == r.get("count")]
            return max(rates) if rates else None

        num, ratio, fmt = self.h["num"], self.h["ratio"], self.h["fmt_ratio"]
        rows = []
        for what, a, b, goal in (
                ("Python Batch items/s ÷ the C++ loadgen's, one stream", best("after", "batch"),
                 best("C++ loadgen", "batch"), 0.5),
                ("Python unary calls/s from 8 threads, after ÷ before issue 18",
                 best("after", "calls"), best("before", "calls"), 2),
                ("Python calls/s from 8 threads over one shared stream "
                 "(Client(shared_stream=True)) ÷ unary before issue 18",
                 best("after", "shared"), best("before", "calls"), 2)):
            r = ratio(a, b)
            rows.append(Row(what, f"≥ {goal}×", "not measured" if r is None else
                            f"{fmt(r)} ({num(a, 0)} vs {num(b, 0)}/s)",
                            None if r is None else r >= goal))
        others = [f"{name} unary {num(best(name, 'calls'), 0)}/s, Batch "
                  f"{num(best(name, 'batch'), 0)}/s" for name in ("Go", "Java")
                  if best(name, "calls")]
        if others and rows[1].passed is not None:
            rows[1].note = "; ".join(others)
        return rows

    def fresh_context_row(self):
        """A fresh standard context ÷ a bare one (engine_fresh_context_bench, CPU time)."""
        path = os.path.join(self.res.folder, "fresh_context.json")
        what = "a fresh standard context ÷ a bare one (CPU per context)"
        if not os.path.exists(path):
            return Row(what, "≤ 1.2×", "not measured", None)
        with open(path, encoding="utf-8") as f:
            marks = json.load(f).get("benchmarks", [])

        def median(name):
            for b in marks:
                if b.get("run_name") == name and b.get("aggregate_name") == "median":
                    return b["cpu_time"] / 1000.0 if b.get("time_unit") == "ns" else b["cpu_time"]
            return None

        bare, standard = median("BM_FreshContextBare"), median("BM_FreshContextStandard/0")
        raw = median("BM_FreshContextRawNew")
        r = self.h["ratio"](standard, bare)
        if r is None:
            return Row(what, "≤ 1.2×", "not measured", None)
        return Row(what, "≤ 1.2×", f"{self.h['fmt_ratio'](r)} ({standard:.0f} vs {bare:.0f} µs)",
                   r <= 1.2, f"V8's Context::New alone {raw:.0f} µs" if raw else "–")

    def rows(self):
        res, n = self.res, self.n
        peak = res.peak
        rows = self.w7_rows()
        rows.append(self.throughput_row(f"W3: jscore ÷ node-vm ×{n}", _w3(res, "jscored"),
                                        _w3(res, "nodeN"), 0.95))
        rows.append(self.throughput_row(f"W3: jscore ÷ workerd ×{n} (reported)",
                                        _w3(res, "jscored"), _w3(res, "workerdN"), None))
        rows.append(self.throughput_row(f"W2: jscore ÷ workerd ×{n}", peak("jscored", "W2"),
                                        peak("workerdN", "W2"), 1.5))
        rows.append(self.w2_echo_row())
        rows.append(self.throughput_row(f"W1: jscore ÷ node-vm ×{n}", peak("jscored", "W1"),
                                        peak("nodeN", "W1"), 2))
        rows.append(self.fresh_context_row())
        rows.append(self.throughput_row("W5 (one Batch stream) ÷ W2 unary", peak("jscored", "W5"),
                                        peak("jscored", "W2"), 3))
        rows.append(self.tail_row())
        return rows + self.client_rows()


def _verdict(passed):
    return "–" if passed is None else ("**PASS**" if passed else "**MISS**")


def workerd_note(res):
    """What the workerd rows are, or "" when the peer did not run."""
    if not any(r.get("system", "").startswith("workerd") for r in res.runs):
        return ""
    version = res.machine.get("workerd_version", "?")
    return (f"workerd ({version}, npm `workerd`, `bench/peers/workerd/`): the same "
            f"`sign`/`burn`/`loopSign` sources in one ES module worker, POST /<function> "
            f"with the JSON arguments over HTTP/1.1, as 1 process and as {res.nproc} "
            f"processes sharing one port (SO_REUSEPORT; workerd runs a worker on one thread "
            f"per process), driven by `h2load --h1` (one thread, one request in flight per "
            f"connection) at the same concurrency as the loadgen; each run's answer checked "
            f"with curl first. It cannot run W1 (no `eval` or per-request source) nor W5 (no "
            f"Batch); W4 is not wired.\n")


def section(res, helpers):
    """The markdown of the "Issue 18 targets" table."""
    out = ["## Issue 18 targets\n",
           "| target | goal | measured | result | server CPU view |",
           "| --- | --- | --- | --- | --- |"]
    for row in _Targets(res, helpers).rows():
        out.append(f"| {row.what} | {row.goal} | {row.measured} | {_verdict(row.passed)} | "
                   f"{row.note} |")
    out.append("")
    out.append("Peaks as in issue 7's table (each system's best closed-loop run); W3 at 4 in "
               "flight. Fresh contexts: `engine_fresh_context_bench`, median CPU of 3. Clients: "
               "`python_client.py`, best of 2 rounds against one daemon (`clients.jsonl`).\n")
    note = workerd_note(res)
    if note:
        out.append(note)
    return "\n".join(out)
