"""Fixtures: generated stubs, and one real ``jscored`` for the whole test session.

The daemon binary comes from ``$JSCORED`` (the CMake test sets it), else the
``build-py`` tree. It listens on a free loopback port, which it prints as its first
stdout line; readiness is grpc.health.v1 ``SERVING``, waited for with a bound.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # clients/python
REPO_ROOT = PACKAGE_ROOT.parent.parent
DEFAULT_JSCORED = REPO_ROOT / "build-py" / "daemon" / "jscored"
EXAMPLES = PACKAGE_ROOT / "examples"

# The daemon's limits the tests rely on.
MAX_SOURCE_BYTES = 1 << 20


# The stubs are committed; ctest's python_stubs_current says when they differ from proto/.
# (No regeneration by file times here: in a fresh clone a .proto can be newer than its
# stubs by checkout order, and regenerating replaced _gen/ under that check as it ran.)
if not (PACKAGE_ROOT / "jscore" / "_gen" / "jscore" / "v1" / "jscore_pb2_grpc.py").exists():
    subprocess.run(["bash", str(PACKAGE_ROOT / "generate.sh")], check=True)
sys.path.insert(0, str(PACKAGE_ROOT))
sys.path.insert(0, str(EXAMPLES))

import jscore  # noqa: E402

# Throughput figures the tests measured, printed at the end of the run.
MEASUREMENTS: Dict[str, str] = {}


class Daemon:
    """A running jscored started by the tests."""

    def __init__(self, process: "subprocess.Popen[str]", address: str, log: Path) -> None:
        self.process = process
        self.address = address
        self.log = log

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _first_line(process: "subprocess.Popen[str]", timeout: float) -> str:
    """The first stdout line of the process, waited for at most ``timeout`` seconds."""
    lines: "queue.Queue[str]" = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        raise RuntimeError(f"jscored printed nothing within {timeout}s") from None


def start_daemon(*flags: str) -> Daemon:
    """Starts jscored on a free loopback port and waits until it is SERVING."""
    binary = os.environ.get("JSCORED", str(DEFAULT_JSCORED))
    if not os.access(binary, os.X_OK):
        raise RuntimeError(
            f"jscored not found at {binary}: build it (ninja -C build-py jscored) or set JSCORED"
        )
    log = Path(tempfile.mkstemp(prefix="jscored-", suffix=".log")[1])
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [binary, "--listen=127.0.0.1:0", "--workers=2", "--shutdown_grace=2s", *flags],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        line = _first_line(process, timeout=30.0)
        prefix = "jscored listening on "
        if not line.startswith(prefix):
            raise RuntimeError(f"unexpected first line from jscored: {line!r}; log:\n"
                               + log.read_text(errors="replace"))
        address = line[len(prefix):].strip()
        _wait_serving(address, timeout=15.0)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return Daemon(process, address, log)


def _wait_serving(address: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: object = None
    with jscore.Client(address, timeout=1.0) as client:
        while time.monotonic() < deadline:
            try:
                status = client.health()
                if status == "SERVING":
                    return
                last = status
            except jscore.Error as e:
                last = e
            time.sleep(0.05)
    raise RuntimeError(f"jscored at {address} not SERVING within {timeout}s (last: {last})")


def stop_daemon(daemon: Daemon) -> None:
    """SIGTERM, then SIGKILL if it does not exit in time."""
    if daemon.process.poll() is None:
        daemon.process.send_signal(signal.SIGTERM)
        try:
            daemon.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.process.kill()
            daemon.process.wait()
    if daemon.process.stdout is not None:
        daemon.process.stdout.close()
    daemon.log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def daemon() -> Iterator[Daemon]:
    d = start_daemon(f"--max_source_bytes={MAX_SOURCE_BYTES}")
    try:
        yield d
    finally:
        stop_daemon(d)


@pytest.fixture(scope="session")
def address(daemon: Daemon) -> str:
    return daemon.address


# JSCORE_TEST_SHARED_STREAM=1 runs the tests that use the `client` fixture with
# Client(shared_stream=True): evaluations and calls through one shared Batch stream
# (ctest python_client_shared_stream), which must behave exactly as unary.
SHARED_STREAM = os.environ.get("JSCORE_TEST_SHARED_STREAM") == "1"


@pytest.fixture(scope="session")
def client(daemon: Daemon) -> Iterator[jscore.Client]:
    with jscore.Client(daemon.address, timeout=5.0, shared_stream=SHARED_STREAM) as c:
        yield c


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long-running (still run by default)")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if MEASUREMENTS:
        terminalreporter.section("jscore python client measurements")
        for name, text in MEASUREMENTS.items():
            terminalreporter.write_line(f"{name}: {text}")


def record(name: str, text: str) -> None:
    """Keeps a measurement for the end-of-run summary."""
    MEASUREMENTS[name] = text


__all__: List[str] = ["Daemon", "MAX_SOURCE_BYTES", "SHARED_STREAM", "record", "start_daemon",
                      "stop_daemon"]
