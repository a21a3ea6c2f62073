"""Client(shared_stream=True): evaluations and calls from many threads as items of one
shared Batch stream, against a real jscored.

Checks that results reach the thread that asked, that each call keeps its own
deadline (the daemon's and the client's wait bound), that errors are those of unary
calls, that a broken stream fails the calls in flight and the next call opens a new
one, and that closing the client releases waiting callers. The same Program, Context
and evaluate tests also run with the shared stream on (ctest
python_client_shared_stream, JSCORE_TEST_SHARED_STREAM=1).
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Any, Callable, Dict, Iterator, List, Tuple

import grpc
import pytest
from conftest import SHARED_STREAM, Daemon, start_daemon, stop_daemon

import jscore

LIB = "function f(t, i) { return {t: t, i: i, s: t * 100000 + i}; }\n" \
      "function slow(ms) { return new Promise(r => setTimeout(() => r(ms), ms)); }\n" \
      "function spin() { while (true) {} }\n"


def _counts(client: jscore.Client) -> Dict[str, int]:
    """Requests answered by the daemon, by method (all status codes)."""
    out: Dict[str, int] = {}
    for r in client.stats().requests:
        out[r.method] = out.get(r.method, 0) + r.count
    return out


def _join(threads: List[threading.Thread], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for t in threads:
        t.join(max(deadline - time.monotonic(), 0.0))
    assert not any(t.is_alive() for t in threads), "threads still running"


@pytest.fixture
def shared(address: str) -> Iterator[jscore.Client]:
    with jscore.Client(address, timeout=5.0, shared_stream=True) as c:
        yield c


def test_the_client_fixture_follows_the_switch(client: jscore.Client) -> None:
    # The other test files run a second time with the shared stream on (ctest
    # python_client_shared_stream): their `client` must then use it.
    assert (client._shared is not None) == SHARED_STREAM


def test_many_threads_each_get_their_own_results(shared: jscore.Client) -> None:
    program = shared.load_program(LIB)
    before = _counts(shared)
    threads_n, calls = 8, 300
    results: Dict[Tuple[int, int], Any] = {}
    errors: List[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(calls):
                if i % 50 == 7:  # evaluations share the stream too
                    results[(t, i)] = shared.evaluate("({t, i, s: t * 100000 + i})",
                                                      globals={"t": t, "i": i})
                else:
                    results[(t, i)] = program.call("f", t, i)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_n)]
    for t in threads:
        t.start()
    _join(threads, 120)
    assert not errors
    assert results == {(t, i): {"t": t, "i": i, "s": t * 100000 + i}
                       for t in range(threads_n) for i in range(calls)}
    after = _counts(shared)
    # They went as items of one stream, not as unary calls.
    assert after.get("BatchItem", 0) - before.get("BatchItem", 0) >= threads_n * calls
    assert after.get("Call", 0) - before.get("Call", 0) == 0
    assert shared._shared is not None and shared._shared.streams_opened == 1


def test_a_call_past_its_deadline_times_out_while_others_complete(shared: jscore.Client) -> None:
    program = shared.load_program(LIB)
    done: List[int] = []
    raised: List[BaseException] = []

    def spin() -> None:
        try:
            program.call("spin", timeout=1.0)
        except BaseException as e:
            raised.append(e)

    spinner = threading.Thread(target=spin)
    spinner.start()
    for i in range(50):  # the other worker keeps answering meanwhile
        done.append(program.call("f", 0, i)["i"])
    _join([spinner], 30)
    assert done == list(range(50))
    assert len(raised) == 1 and isinstance(raised[0], jscore.Timeout)
    assert raised[0].code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "1 s" in raised[0].message  # the daemon's timeout names the call's own
    assert program.call("f", 1, 2)["s"] == 100002


def _outcome(fn: Callable[[], Any]) -> Tuple[Any, ...]:
    try:
        return ("value", fn())
    except jscore.JsError as e:
        return (type(e), e.name, e.message)
    except jscore.Error as e:
        return (type(e), e.code, e.message)


def test_errors_are_those_of_unary_calls(address: str) -> None:
    cases: List[Tuple[str, Callable[[jscore.Client, jscore.Program, jscore.Context], Any]]] = [
        ("js error", lambda c, p, s: c.evaluate("null.x")),
        ("thrown value", lambda c, p, s: c.evaluate("throw {code: 7}")),
        ("not a function", lambda c, p, s: p.call("nope")),
        ("syntax", lambda c, p, s: c.evaluate("function (")),
        ("invalid argument", lambda c, p, s: c.evaluate("1", globals={"": 1})),
        ("script timeout", lambda c, p, s: c.evaluate("while (true) {}", timeout=0.2)),
        ("session call", lambda c, p, s: s.call("g", 2)),
        ("deleted session", lambda c, p, s: jscore.Context(c, "no-such-session").evaluate("1")),
        ("heap", lambda c, p, s: c.evaluate(
            "let a = []; while (true) a.push(new Array(1e6).fill(1))", timeout=30)),
        ("after", lambda c, p, s: c.evaluate("2")),
    ]
    outcomes: Dict[bool, List[Tuple[Any, ...]]] = {}
    for mode in (False, True):
        with jscore.Client(address, timeout=5.0, shared_stream=mode) as c:
            program = c.load_program(LIB)
            with c.context() as session:
                session.compile("function g(x) { throw new RangeError('g' + x) }")
                outcomes[mode] = [_outcome(lambda: fn(c, program, session)) for _, fn in cases]
    for (name, _), unary, streamed in zip(cases, outcomes[False], outcomes[True]):
        assert streamed == unary, name
    kinds = [o[0] for o in outcomes[True]]
    assert jscore.InvalidArgument in kinds and jscore.NotFound in kinds
    assert jscore.ResourceExhausted in kinds and jscore.Timeout in kinds


@pytest.fixture
def own_daemon() -> Iterator[Daemon]:
    d = start_daemon()
    try:
        yield d
    finally:
        if d.process.poll() is None:
            d.process.send_signal(signal.SIGCONT)
        stop_daemon(d)


def _wait_stopped(d: Daemon) -> None:
    """Waits (bounded) until the SIGSTOPped daemon's threads are all stopped."""
    deadline = time.monotonic() + 10
    while True:
        with open(f"/proc/{d.process.pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "T":
                return
        assert time.monotonic() < deadline, "jscored did not stop"
        time.sleep(0.01)


def test_client_wait_bound_and_full_window_raise_timeout(own_daemon: Daemon) -> None:
    with jscore.Client(own_daemon.address, timeout=0.2, shared_stream=True,
                       shared_stream_window=2) as c:
        assert c.evaluate("1") == 1
        own_daemon.process.send_signal(signal.SIGSTOP)  # it answers nothing now
        _wait_stopped(own_daemon)
        try:
            raised: List[BaseException] = []

            def call() -> None:
                try:
                    raised.append(AssertionError(f"answered {c.evaluate('1')}"))
                except BaseException as e:
                    raised.append(e)

            started = time.monotonic()
            threads = [threading.Thread(target=call) for _ in range(3)]
            for t in threads:
                t.start()
            _join(threads, 10)
            took = time.monotonic() - started
        finally:
            own_daemon.process.send_signal(signal.SIGCONT)
        # Each waited its own bound (0.2 s + a 1 s margin), the third one for a slot.
        assert 1.0 <= took < 5.0
        assert len(raised) == 3 and all(isinstance(e, jscore.Timeout) for e in raised), raised
        assert all("gRPC deadline of 1.2 s" in str(e) for e in raised), raised
        assert c.evaluate("3") == 3  # the late answers were dropped; the stream goes on


def _start_waiting_calls(c: jscore.Client, n: int) -> Tuple[List[threading.Thread],
                                                           List[BaseException]]:
    program = c.load_program(LIB)
    raised: List[BaseException] = []

    def call() -> None:
        try:
            program.call("slow", 20000, timeout=30)
        except BaseException as e:
            raised.append(e)

    threads = [threading.Thread(target=call) for _ in range(n)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    shared = c._shared
    assert shared is not None
    while shared._in_flight < n:  # bounded: they are sent within milliseconds
        assert time.monotonic() < deadline, "calls not in flight"
        time.sleep(0.01)
    return threads, raised


def test_closing_the_client_fails_waiting_calls(address: str) -> None:
    c = jscore.Client(address, timeout=30.0, shared_stream=True)
    threads, raised = _start_waiting_calls(c, 4)
    started = time.monotonic()
    c.close()
    _join(threads, 5)
    assert time.monotonic() - started < 5
    assert len(raised) == 4 and all(type(e) is jscore.Closed for e in raised), raised
    with pytest.raises(jscore.Closed):
        c.evaluate("1")


def test_a_broken_stream_fails_its_calls_and_the_next_call_opens_one() -> None:
    first = start_daemon()
    try:
        with jscore.Client(first.address, timeout=30.0, shared_stream=True) as c:
            threads, raised = _start_waiting_calls(c, 3)
            first.process.kill()  # the daemon is gone mid-call
            first.process.wait()
            _join(threads, 10)
            assert len(raised) == 3, raised
            assert all(isinstance(e, jscore.Unavailable) for e in raised), raised
            assert all("shared Batch stream failed" in str(e) for e in raised)
            # A daemon back on the same address: the next call opens a new stream.
            second = start_daemon(f"--listen={first.address}")
            try:
                c.wait_ready(10)
                assert c.evaluate("6 * 7") == 42
                assert c._shared is not None and c._shared.streams_opened == 2
            finally:
                stop_daemon(second)
    finally:
        stop_daemon(first)


def test_unavailable_when_nothing_listens() -> None:
    with jscore.Client("127.0.0.1:1", timeout=2.0, shared_stream=True) as dead:
        with pytest.raises(jscore.Unavailable) as info:
            dead.evaluate("1")
        assert info.value.code == grpc.StatusCode.UNAVAILABLE
        assert "shared Batch stream failed" in info.value.message
        with pytest.raises(jscore.Unavailable):  # each call tries a new stream
            dead.evaluate("1")
        assert dead._shared is not None and dead._shared.streams_opened == 2
