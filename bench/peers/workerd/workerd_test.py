#!/usr/bin/env python3
"""Tests of bench/run's workerd peer (ctest: bench_workerd, label bench).

  workerd_test.py BUILD_DIR

Installs the pinned workerd into BUILD_DIR/workerd (prepare; exit 77, skipped, when it
cannot: no npm, registry unreachable, no h2load), then against real workerd processes
on loopback: the answers of W2 and W3 equal bench/run's expected ones, bad requests
get clear HTTP errors, h2load_run.py measures a short bounded run in the loadgen's
JSON shape and refuses to measure when the answer is wrong, and stopping serve.py
stops every workerd process. Also report_issue18's table from made-up runs.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, BENCH)
W2_ARGS = '[{"uid":"10086","q":"jscore bench","page":"3","sort":"desc","v":"2.1"},1700000000000]'
W2_EXPECT = '"700e6ed003d26c68399b0f9f64d40ab2"'
W3_ARGS, W3_EXPECT = "[200000]", "356545941"  # bench/run --smoke's W3
WORKERD = None


def post(addr, path, body):
    req = urllib.request.Request(f"http://{addr}/{path}", data=body.encode(), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class Server:
    """serve.py with N processes; waits (bounded) for its listening line."""

    def __init__(self, processes):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "serve.py"), f"--workerd={WORKERD}",
             f"--processes={processes}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True)
        deadline = time.monotonic() + 40
        line = ""
        while time.monotonic() < deadline and " listening on " not in line:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise AssertionError("serve.py exited: " + self.proc.stderr.read())
        if " listening on " not in line:
            self.stop()
            raise AssertionError("serve.py not listening after 40 s")
        self.addr = line.rsplit(" ", 1)[1].strip()

    def group(self):
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True,
                             text=True, check=False).stdout.split()
        return [int(p) for p in out]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise AssertionError("serve.py did not stop within 20 s of SIGTERM")
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()


class WorkerdPeer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_answers_equal_bench_runs_expected(self):
        self.assertEqual((200, W2_EXPECT), post(self.server.addr, "sign", W2_ARGS))
        self.assertEqual((200, W3_EXPECT), post(self.server.addr, "burn", W3_ARGS))

    def test_bad_requests_get_clear_errors(self):
        status, body = post(self.server.addr, "nope", "[]")
        self.assertEqual(404, status)
        self.assertIn("no function nope", body)
        self.assertEqual(400, post(self.server.addr, "sign", "{")[0])
        self.assertEqual(400, post(self.server.addr, "sign", '{"a":1}')[0])
        status, body = post(self.server.addr, "sign", "[null, 1]")  # Object.keys(null) throws
        self.assertEqual(500, status)
        self.assertIn("TypeError", body)
        self.assertEqual((200, W2_EXPECT), post(self.server.addr, "sign", W2_ARGS))  # still up

    def test_two_processes_serve(self):
        workerd = [p for p in self.server.group() if p != self.server.proc.pid]
        self.assertEqual(2, len(workerd))

    def run_h2load(self, expect, function="sign", args=W2_ARGS):
        return subprocess.run(
            [sys.executable, os.path.join(HERE, "h2load_run.py"), f"--target={self.server.addr}",
             "--workload=call", "--program_source=ignored", f"--function={function}",
             f"--args_json={args}", f"--expect_json={expect}", "--concurrency=8",
             "--duration=0.5s", "--warmup=0.2s"],
            capture_output=True, text=True, timeout=60, check=False)

    def test_h2load_run_reports_in_the_loadgen_shape(self):
        out = self.run_h2load(W2_EXPECT)
        self.assertEqual(0, out.returncode, out.stderr)
        r = json.loads(out.stdout)
        self.assertGreater(r["ok"], 0)
        self.assertEqual(0, r["errors"])
        self.assertEqual(8, r["concurrency"])
        self.assertAlmostEqual(r["ok"] / 0.5, r["throughput"], delta=1)
        lat = r["latency_us"]
        self.assertEqual(r["ok"], lat["count"])
        self.assertTrue(0 < lat["min"] <= lat["p50"] <= lat["p99"] <= lat["max"])
        self.assertEqual(r["ok"], sum(n for _, n in r["histogram"]))

    def test_h2load_run_refuses_a_wrong_answer(self):
        out = self.run_h2load('"not the signature"')
        self.assertEqual(1, out.returncode)
        self.assertIn("not measured", out.stderr)
        self.assertEqual("", out.stdout)


class Stop(unittest.TestCase):
    def test_sigterm_stops_every_workerd_process(self):
        server = Server(2)
        pids = server.group()
        self.assertEqual(3, len(pids))  # serve.py and two workerd processes
        server.stop()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.group():
            time.sleep(0.1)
        self.assertEqual([], server.group())


    def test_a_dead_process_stops_the_peer(self):
        server = Server(2)
        workerd = [p for p in server.group() if p != server.proc.pid]
        os.kill(workerd[0], signal.SIGKILL)
        try:
            self.assertEqual(1, server.proc.wait(20))  # not left serving on half its cores
        finally:
            server.stop()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and server.group():
            time.sleep(0.1)
        self.assertEqual([], server.group())


class Issue18Table(unittest.TestCase):
    """report_issue18 on made-up runs: ratios where both sides ran, "not measured" else."""

    def results(self, runs):
        import report
        folder = tempfile.mkdtemp(prefix="jscore-issue18.")
        self.addCleanup(lambda: [os.unlink(os.path.join(folder, f)) for f in os.listdir(folder)]
                        and os.rmdir(folder))
        with open(os.path.join(folder, "machine.json"), "w") as f:
            json.dump({"nproc": 2, "workerd_version": "workerd 2026-11-17"}, f)
        with open(os.path.join(folder, "runs.jsonl"), "w") as f:
            for system, w, tput in runs:
                tag = "c4" if w == "W3" else "c64"  # as bench/run tags them
                f.write(json.dumps({"system": system, "w": w, "tag": tag, "throughput": tput,
                                    "mode": "closed", "duration_s": 3, "warmup_s": 1,
                                    "elapsed_s": 4, "ok": tput * 3, "server_cpu_s": 1.0,
                                    "latency_us": {"p50": 1, "p99": 2}}) + "\n")
        return report.Results(folder), report

    def table(self, runs):
        import report_issue18
        res, report = self.results(runs)
        helpers = {k: getattr(report, k) for k in ("num", "ratio", "fmt_ratio", "tput",
                                                   "cpu_per_answer")}
        return {line.split(" | ")[0].lstrip("| "): line for line in
                report_issue18.section(res, helpers).splitlines() if line.startswith("| W")}

    def test_ratios_and_not_measured(self):
        rows = self.table([("jscored", "W2", 3000), ("workerdN", "W2", 1000),
                           ("jscored", "W3", 100), ("workerdN", "W3", 125)])
        self.assertIn("3.00× (3 000 vs 1 000/s) | **PASS**", rows["W2: jscore ÷ workerd ×2"])
        self.assertIn("0.80× (100 vs 125/s) | –", rows["W3: jscore ÷ workerd ×2 (reported)"])
        self.assertIn("not measured", rows["W3: jscore ÷ node-vm ×2"])
        self.assertIn("not measured", rows["W7 (real code): jscore ÷ node-vm ×2"])
        rows = self.table([("jscored", "W2", 1000), ("workerdN", "W2", 1000)])
        self.assertIn("1.00× (1 000 vs 1 000/s) | **MISS**", rows["W2: jscore ÷ workerd ×2"])


def main():
    global WORKERD
    if len(sys.argv) != 2:
        print("usage: workerd_test.py BUILD_DIR", file=sys.stderr)
        return 2
    prep = subprocess.run([os.path.join(HERE, "prepare"), sys.argv[1]], capture_output=True,
                          text=True, timeout=400, check=False)
    if prep.returncode == 3:
        print(f"skipped: {prep.stderr.strip().splitlines()[-1]}")
        return 77
    if prep.returncode != 0:
        print(prep.stderr, file=sys.stderr)
        return 1
    WORKERD = prep.stdout.strip()
    ok = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result.wasSuccessful()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
