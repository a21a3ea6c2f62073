#!/usr/bin/python3
"""Runs Web Platform Tests (.any.js files) in jscore and in Node 20, side by side.

The WPT files are not part of this repository: point --wpt at a checkout (or a
copy of the folders you need) of github.com/web-platform-tests/wpt. Each test
file, with the scripts its `// META: script=` lines name, runs after our own
small harness (harness_shim.js, not WPT's testharness.js) in one evaluation:
in jscore through a jscored started here on a free 127.0.0.1 port (`jscore eval
--file`), and in Node as `node FILE`. Prints, per file, the passing subtests
out of the total for each, and with --failures the names of jscore's failures.

Exit status: 0 when it ran (with --no-worse-than-node: and jscore passed at least
as many subtests as Node in every file), 77 when the WPT files are absent (ctest's
SKIP_RETURN_CODE), 2 on bad usage, 1 otherwise (jscored could not be started, or
jscore fell behind Node somewhere).
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77

# The files this runner is known to handle, per API (paths inside the WPT tree).
DEFAULT_FILES = [
    "webidl/ecmascript-binding/es-exceptions/DOMException-constructor-behavior.any.js",
    "webidl/ecmascript-binding/es-exceptions/DOMException-custom-bindings.any.js",
    "dom/abort/AbortSignal.any.js",
    "dom/abort/abort-signal-any.any.js",
    "dom/abort/event.any.js",
    "dom/events/AddEventListenerOptions-once.any.js",
    "dom/events/AddEventListenerOptions-passive.any.js",
    "dom/events/AddEventListenerOptions-signal.any.js",
    "dom/events/Event-constructors.any.js",
    "dom/events/Event-init-while-dispatching.any.js",
    "dom/events/Event-propagation-EventTarget.any.js",
    "dom/events/Event-subclasses-constructors.any.js",
    "dom/events/EventTarget-addEventListener.any.js",
    "dom/events/EventTarget-constructible.any.js",
    "encoding/encodeInto.any.js",
    "encoding/textdecoder-eof.any.js",
    "WebCryptoAPI/digest/digest.https.any.js",
    "WebCryptoAPI/getRandomValues.any.js",
    "WebCryptoAPI/randomUUID.https.any.js",
    "html/webappapis/microtask-queuing/queue-microtask.any.js",
    "html/webappapis/timers/clearinterval-from-callback.any.js",
    "html/webappapis/timers/cleartimeout-clearinterval.any.js",
    "html/webappapis/timers/evil-spec-example.any.js",
    "html/webappapis/timers/negative-settimeout.any.js",
    "html/webappapis/timers/type-long-settimeout.any.js",
    "url/url-statics-canparse.any.js",
    "url/urlsearchparams-delete.any.js",
    "url/urlsearchparams-sort.any.js",
    "url/urlsearchparams-stringifier.any.js",
    "hr-time/basic.any.js",
    "console/console-is-a-namespace.any.js",
    "console/console-label-conversion.any.js",
]


def meta_scripts(wpt, path, source):
    """The files named by `// META: script=` lines, resolved as WPT resolves them."""
    scripts = []
    for match in re.finditer(r"^//\s*META:\s*script=(\S+)", source, re.M):
        ref = match.group(1)
        if ref.startswith("/"):
            scripts.append(os.path.join(wpt, ref.lstrip("/")))
        else:
            scripts.append(os.path.normpath(os.path.join(os.path.dirname(path), ref)))
    return scripts


def build_program(wpt, rel, timeout_ms):
    """One script: the shim, then each META script and the test file through a
    global indirect eval (so that a throw is recorded, not fatal), then the wait."""
    path = os.path.join(wpt, rel)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    parts = []
    for script in meta_scripts(wpt, path, source):
        with open(script, encoding="utf-8") as f:
            parts.append(f.read())
    parts.append(source)
    with open(os.path.join(HERE, "harness_shim.js"), encoding="utf-8") as f:
        shim = f.read()
    body = "".join(
        "try { (0, eval)(%s); } catch (e) { __wpt_file_error(e); }\n" % json.dumps(p)
        for p in parts)
    return shim + "\n" + body + "__wpt_results(%d)\n" % timeout_ms


def summarize(result):
    if not isinstance(result, dict) or "tests" not in result:
        return None
    tests = result["tests"]
    passed = sum(1 for t in tests if t[1] == "PASS")
    return {"passed": passed, "total": len(tests) + result.get("pending", 0),
            "failures": [t for t in tests if t[1] != "PASS"], "error": result.get("error")}


def run_node(node, program, timeout_s):
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as f:
        # Node prints the value of the last expression only in a REPL: print it.
        f.write(program.rstrip().rsplit("\n", 1)[0] + "\n")
        f.write(program.rstrip().rsplit("\n", 1)[1].rstrip(";") +
                ".then((r) => { console.log('\\n__WPT__' + JSON.stringify(r)); "
                "process.exit(0); });\n")  # a leftover interval would keep Node up
        name = f.name
    try:
        out = subprocess.run([node, name], capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None
    finally:
        os.unlink(name)
    for line in out.stdout.splitlines():
        if line.startswith("__WPT__"):
            return summarize(json.loads(line[len("__WPT__"):]))
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """A jscored on 127.0.0.1:PORT, ready (health answered) within 20 s, or None."""

    def __init__(self, jscored, cli):
        self.cli = cli
        self.target = "127.0.0.1:%d" % free_port()
        self.proc = subprocess.Popen([jscored, "--listen=" + self.target, "--workers=1"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            ok = subprocess.run([cli, "--target=" + self.target, "--timeout=2s", "health"],
                                capture_output=True).returncode == 0
            if ok:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("jscored did not become ready on " + self.target)

    def run(self, program, timeout_s):
        with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as f:
            f.write(program)
            name = f.name
        try:
            out = subprocess.run(
                [self.cli, "--target=" + self.target, "--timeout=%ds" % timeout_s, "eval",
                 "--file=" + name], capture_output=True, text=True, timeout=timeout_s + 10)
        except subprocess.TimeoutExpired:
            return None
        finally:
            os.unlink(name)
        try:
            answer = json.loads(out.stdout)
        except ValueError:
            return None
        # The CLI prints the value itself, or {"error": {...}} when the script threw.
        return summarize(answer)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def cell(summary):
    if summary is None:
        return "error"
    text = "%d/%d" % (summary["passed"], summary["total"])
    return text + (" (!)" if summary["error"] else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wpt", default=os.environ.get("JSCORE_WPT_DIR", ""),
                        help="root of a WPT checkout (or of a copy of its folders)")
    parser.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    parser.add_argument("--node", default="/usr/bin/node")
    parser.add_argument("--timeout", type=int, default=30, help="seconds per file")
    parser.add_argument("--failures", action="store_true", help="list jscore's failing subtests")
    parser.add_argument("--no-worse-than-node", action="store_true",
                        help="exit 1 when jscore passes fewer subtests than Node in a file")
    parser.add_argument("files", nargs="*", help="paths inside --wpt (default: a known list)")
    args = parser.parse_args()
    if not args.wpt or not os.path.isdir(args.wpt):
        print("skipped: no WPT files (give --wpt DIR or set JSCORE_WPT_DIR)")
        return SKIP
    files = [f for f in (args.files or DEFAULT_FILES) if os.path.isfile(os.path.join(args.wpt, f))]
    if not files:
        print("skipped: none of the test files is under " + args.wpt)
        return SKIP
    cli = os.path.join(args.build, "clients/cli/jscore")
    jscored = os.path.join(args.build, "daemon/jscored")
    node = args.node if shutil.which(args.node) else None
    try:
        daemon = Daemon(jscored, cli)
    except (RuntimeError, OSError) as e:
        print(e, file=sys.stderr)
        return 1
    totals = {"jscore": [0, 0], "node": [0, 0]}
    behind = []
    try:
        width = max(len(f) for f in files)
        print("%-*s  %12s  %12s" % (width, "file", "jscore", "node 20"))
        for rel in files:
            program = build_program(args.wpt, rel, (args.timeout - 5) * 1000)
            ours = daemon.run(program, args.timeout)
            theirs = run_node(node, program, args.timeout) if node else None
            for key, s in (("jscore", ours), ("node", theirs)):
                if s:
                    totals[key][0] += s["passed"]
                    totals[key][1] += s["total"]
            print("%-*s  %12s  %12s" % (width, rel, cell(ours), cell(theirs)), flush=True)
            if theirs and (ours is None or ours["passed"] < theirs["passed"]):
                behind.append(rel)
            if args.failures and ours:
                if ours["error"]:
                    print("    file error: " + ours["error"])
                for name, status, message in ours["failures"]:
                    print("    %s %s: %s" % (status, name, message[:160]))
        print("%-*s  %12s  %12s" % (width, "total", "%d/%d" % tuple(totals["jscore"]),
                                    "%d/%d" % tuple(totals["node"])))
    finally:
        daemon.stop()
    if behind and args.no_worse_than_node:
        print("jscore passes fewer subtests than Node 20 in: " + ", ".join(behind))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
