"""jscore.aio.Client(shared_stream=True): the evaluations and calls of many tasks as
items of one shared Batch stream (jscore/aio_shared_stream.py), against a real jscored.

The same checks as test_shared_stream.py for the sync client: results reach their
caller, per-call deadlines, unary's errors, a broken stream, close().
"""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any, Awaitable, Callable, Dict, List, Tuple, TypeVar

import grpc
from conftest import start_daemon, stop_daemon
from test_shared_stream import LIB, _counts, _outcome

import jscore
import jscore.aio

T = TypeVar("T")


def run(address: str, body: Callable[[jscore.aio.Client], Awaitable[T]], **kwargs: Any) -> T:
    async def main() -> T:
        async with jscore.aio.Client(address, shared_stream=True, **kwargs) as client:
            return await body(client)

    return asyncio.run(asyncio.wait_for(main(), 120))


def test_many_tasks_each_get_their_own_results(address: str, client: jscore.Client) -> None:
    before = _counts(client)
    tasks_n, calls = 64, 40

    async def body(c: jscore.aio.Client) -> Tuple[Dict[Tuple[int, int], Any], int]:
        program = await c.load_program(LIB)

        async def task(t: int) -> List[Tuple[Tuple[int, int], Any]]:
            out = []
            for i in range(calls):
                if i % 10 == 3:
                    value = await c.evaluate("({t, i, s: t * 100000 + i})",
                                             globals={"t": t, "i": i})
                else:
                    value = await program.call("f", t, i)
                out.append(((t, i), value))
            return out

        results = await asyncio.gather(*(task(t) for t in range(tasks_n)))
        assert c._shared is not None
        return dict(pair for chunk in results for pair in chunk), c._shared.streams_opened

    results, streams = run(address, body, timeout=10.0)
    assert results == {(t, i): {"t": t, "i": i, "s": t * 100000 + i}
                       for t in range(tasks_n) for i in range(calls)}
    assert streams == 1
    after = _counts(client)
    assert after.get("BatchItem", 0) - before.get("BatchItem", 0) >= tasks_n * calls


def test_a_call_past_its_deadline_times_out_while_others_complete(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Tuple[BaseException, List[int]]:
        program = await c.load_program(LIB)
        spin = asyncio.ensure_future(program.call("spin", timeout=1.0))
        done = [(await program.call("f", 0, i))["i"] for i in range(50)]
        try:
            await spin
        except BaseException as e:
            return e, done
        raise AssertionError("the spinning call returned")

    raised, done = run(address, body, timeout=5.0)
    assert done == list(range(50))
    assert isinstance(raised, jscore.Timeout) and raised.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "1 s" in raised.message


def test_errors_are_those_of_unary_calls(address: str) -> None:
    sources = ["null.x", "throw {code: 7}", "function (", "while (true) {}",
               "let a = []; while (true) a.push(new Array(1e6).fill(1))", "2"]

    async def outcomes(shared: bool) -> List[Tuple[Any, ...]]:
        async with jscore.aio.Client(address, timeout=5.0, shared_stream=shared) as c:
            out = []
            for source in sources:
                timeout = 0.2 if "true) {}" in source else 30
                out.append(await _async_outcome(lambda: c.evaluate(source, timeout=timeout)))
            out.append(await _async_outcome(lambda: c.evaluate("1", globals={"": 1})))
            ghost = jscore.aio.Context(c, "no-such-session")
            out.append(await _async_outcome(lambda: ghost.call("f")))
            program = await c.load_program(LIB)
            out.append(await _async_outcome(lambda: program.call("nope")))
            return out

    unary = asyncio.run(outcomes(False))
    streamed = asyncio.run(outcomes(True))
    assert streamed == unary
    kinds = [o[0] for o in streamed]
    assert jscore.InvalidArgument in kinds and jscore.NotFound in kinds
    assert jscore.ResourceExhausted in kinds and jscore.Timeout in kinds


async def _async_outcome(fn: Callable[[], Awaitable[Any]]) -> Tuple[Any, ...]:
    """What ``fn`` gave, classified as the sync test's ``_outcome`` does."""
    try:
        value = await fn()
    except jscore.Error as e:
        error = e
    else:
        return ("value", value)
    return _outcome(lambda: _raise(error))


def _raise(e: BaseException) -> Any:
    raise e


def test_close_and_a_broken_stream_fail_waiting_calls() -> None:
    first = start_daemon()
    try:
        async def body(c: jscore.aio.Client) -> List[BaseException]:
            program = await c.load_program(LIB)
            calls = [asyncio.ensure_future(program.call("slow", 20000, timeout=30))
                     for _ in range(3)]
            await asyncio.sleep(0.2)  # they are sent; none can finish for 20 s
            first.process.kill()
            raised = await asyncio.gather(*calls, return_exceptions=True)
            second = start_daemon(f"--listen={first.address}")
            try:
                await c.wait_ready(10)
                assert await c.evaluate("6 * 7") == 42
                assert c._shared is not None and c._shared.streams_opened == 2
                await program.reload()  # the new daemon lacks it (else calls reload unary)
                waiting = [asyncio.ensure_future(program.call("slow", 20000, timeout=30))
                           for _ in range(2)]
                await asyncio.sleep(0.2)
                started = time.monotonic()
                await c.close()
                closed = await asyncio.gather(*waiting, return_exceptions=True)
                assert time.monotonic() - started < 5
            finally:
                stop_daemon(second)
            return list(raised) + list(closed)

        raised = run(first.address, body, timeout=30.0)
        broken, closed = raised[:3], raised[3:]
        assert all(isinstance(e, jscore.Unavailable) for e in broken), broken
        assert all("shared Batch stream failed" in str(e) for e in broken)
        assert all(type(e) is jscore.Closed for e in closed), closed
    finally:
        first.process.send_signal(signal.SIGCONT)
        stop_daemon(first)
