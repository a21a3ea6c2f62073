"""The asyncio client (jscore.aio)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Awaitable, Callable, TypeVar

import grpc
import pytest
from conftest import SHARED_STREAM

import jscore
import jscore.aio
from jscore._proto import pb

T = TypeVar("T")


def run(address: str, body: Callable[[jscore.aio.Client], Awaitable[T]]) -> T:
    """Runs ``body(client)`` in a fresh event loop with a client made inside it."""

    async def main() -> T:
        async with jscore.aio.Client(address, timeout=5.0, shared_stream=SHARED_STREAM) as client:
            assert (client._shared is not None) == SHARED_STREAM
            return await body(client)

    return asyncio.run(main())


def test_evaluate_globals_and_values(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        return (
            await c.evaluate("1 + 2"),
            await c.evaluate("x * 2", globals={"x": 21}),
            await c.evaluate("[2n ** 70n, new Date(0), new Set([1])]"),
            (await c.evaluate_result("console.info('i'); 7")).console,
            await c.health(),
        )

    assert run(address, body) == (
        3, 42, [2**70, dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc), {1}],
        [jscore.ConsoleLine("info", "i")], "SERVING",
    )


def test_errors(address: str) -> None:
    async def body(c: jscore.aio.Client) -> None:
        with pytest.raises(jscore.JsError) as info:
            await c.evaluate("throw new TypeError('bad')")
        assert info.value.name == "TypeError"
        with pytest.raises(jscore.Timeout) as t:
            await c.evaluate("while (true) {}", timeout=0.2)
        assert t.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
        with pytest.raises(jscore.InvalidArgument):
            await c.evaluate("1", globals={"": 0})
        with pytest.raises(jscore.NotFound):
            await jscore.aio.Context(c, "no-such-session").evaluate("1")

    run(address, body)


def test_concurrent_tasks(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        source = "(async () => { await new Promise(r => setTimeout(r, 20)); return i })()"
        return await asyncio.gather(*(c.evaluate(source, globals={"i": i}) for i in range(64)))

    assert run(address, body) == list(range(64))


def test_programs_and_reload(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        prog = await c.load_program(
            "var m = require('m'); var NS = {f: async x => x + m.k};", modules={"m": "exports.k = 1"}
        )
        first = await prog.call("NS.f", 1)
        await c.stub.UnloadProgram(pb.UnloadProgramRequest(program=prog.id))
        second = await prog.call("NS.f", 2)  # re-sent and retried
        return first, second

    assert run(address, body) == (2, 3)


def test_contexts(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        async with c.context() as ctx:
            await ctx.compile("var n = 0; function inc() { return ++n }")
            values = [await ctx.call("inc"), await ctx.call("inc"), await ctx.evaluate("n")]
        assert ctx.closed
        with pytest.raises(jscore.NotFound):
            await jscore.aio.Context(c, ctx.id).evaluate("n")
        plain = await c.context()  # awaited instead of entered
        try:
            values.append(await plain.evaluate("typeof n"))
        finally:
            await plain.close()
        return values

    assert run(address, body) == [1, 2, 2, "undefined"]


def test_batch(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        prog = await c.load_program("function f(x) { return x * 2 }")

        async def items() -> Any:
            for i in range(200):
                yield jscore.CallItem("f", i, program=prog)
            yield jscore.Eval("throw new Error('x')", id="bad")

        got = {}
        async for r in c.batch(items(), window=16):
            got[r.id] = r
        return got, prog

    got, _ = run(address, body)
    assert len(got) == 201
    assert all(got[str(i)].value == 2 * i for i in range(200))
    assert isinstance(got["bad"].error, jscore.JsError)


def test_batch_reloads_programs(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        prog = await c.load_program("function g(x) { return -x }", filename="aio-batch.js")
        await prog.unload()
        return [r.value async for r in c.batch(jscore.CallItem("g", i, program=prog) for i in range(50))]

    assert sorted(run(address, body)) == sorted(-i for i in range(50))


def test_batch_break_and_errors(address: str) -> None:
    async def body(c: jscore.aio.Client) -> Any:
        prog = await c.load_program("function f(x) { return x }")

        def endless() -> Any:
            i = 0
            while True:
                yield jscore.CallItem("f", i, program=prog)
                i += 1

        stream = c.batch(endless(), window=8)
        got = 0
        async for _ in stream:
            got += 1
            if got == 50:
                break
        await stream.aclose()
        cycle: list = []
        cycle.append(cycle)
        with pytest.raises(ValueError, match="cycle"):
            async for _ in c.batch([jscore.Eval("1"), jscore.Eval("x", globals={"x": cycle})]):
                pass
        with pytest.raises(ValueError):
            c.batch([], window=0)
        return got, await c.evaluate("'still fine'")

    assert run(address, body) == (50, "still fine")
