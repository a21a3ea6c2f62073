"""The client's fast paths (issue 18): requests written as wire bytes must be the
requests the message-building path makes, and Batch packing must not change what a
stream does."""

from __future__ import annotations

import datetime as _dt
import math
import queue
from typing import Any, Iterator, List

import grpc
import pytest

import jscore
from jscore import _requests as rq
from jscore._proto import pb
from jscore.batch import CallItem, Eval, pack_items, to_batch_bytes, to_batch_request

ARGS: List[List[Any]] = [
    [],
    [{"uid": "10086", "page": 3, "nested": [1, 2.5, None, True]}, 1700000000000],
    ["x" * 300, 2**60, -(2**53), 2**53 + 1, math.nan, math.inf, -math.inf, 1.5],
    [b"\x00\xff", {1, 2}, (3, 4), _dt.datetime(2020, 1, 2, 3, 4, 5), _dt.date(2021, 5, 6)],
    ["é\u2028\"\\", {"k": [math.inf, {"deep": 2**70}]}],
]


class _ProgramLike:
    id = "cd" * 32


@pytest.mark.parametrize("args", ARGS)
@pytest.mark.parametrize("timeout", [None, 30.0, 0.25])
@pytest.mark.parametrize("fresh", [False, True])
def test_call_bytes_are_the_call_request(args: List[Any], timeout: Any, fresh: bool) -> None:
    want = rq.call_request("sign", args, program="ab" * 32, timeout=timeout, fresh=fresh)
    data = rq.call_prefix("sign", "ab" * 32, timeout, fresh) + rq.args_json_field(args)
    assert pb.CallRequest.FromString(data) == want


def test_args_that_cannot_be_sent_fail_as_before() -> None:
    cycle: list = []
    cycle.append(cycle)
    for bad, error in ((object(), TypeError), ({1: "int key"}, TypeError), (cycle, ValueError)):
        with pytest.raises(error):
            rq.call_request("f", [bad], program="p")
        with pytest.raises(error):
            rq.args_json_field([bad])


def test_batch_bytes_are_the_batch_requests() -> None:
    items: List[Any] = [
        CallItem("sign", {"a": 1}, 2**60, program="ab" * 32, timeout=3),
        CallItem("f", program=_ProgramLike()),
        Eval("1+1", {"x": math.nan}),
        {"function": "g", "args": [1], "program": "x", "id": "é"},
        CallItem("f", 1, session="s1"),
        CallItem("f", fresh=True, program="p", id=7),  # type: ignore[arg-type]
    ]
    messages = []
    for index, item in enumerate(items):
        request, program = to_batch_request(item, index, 5.0)
        item_id, data, program_too = to_batch_bytes(item, index, 5.0)
        assert pb.BatchRequest.FromString(data) == request
        assert item_id == request.id and program_too is program
        messages.append(request)
    packed = pb.BatchRequest.FromString(
        pack_items([to_batch_bytes(it, i, 5.0)[1] for i, it in enumerate(items)], True))
    want = pb.BatchRequest()
    want.CopyFrom(messages[0])
    want.packed_results = True
    want.more.extend(messages[1:])
    assert packed == want
    alone = pack_items([to_batch_bytes(items[1], 1, 5.0)[1]], False)
    assert pb.BatchRequest.FromString(alone) == messages[1]


def test_program_call_templates_follow_the_arguments(client: jscore.Client) -> None:
    prog = client.load_program("function echo(...a) { return a }")
    for args in (ARGS[0], ARGS[1], ARGS[4]):  # no NaN (not equal to itself)
        assert prog.call("echo", *args) == args
    assert prog.call("echo", 1, timeout=2) == [1]  # another template: another timeout
    assert prog.call("echo", 2, fresh=True) == [2]


def test_a_callers_channel_gets_messages(address: str) -> None:
    seen: List[Any] = []

    class Spy(grpc.UnaryUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
        def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
            seen.append(type(request))
            return continuation(details, request)

        def intercept_stream_stream(self, continuation: Any, details: Any,
                                    requests: Any) -> Any:
            def spied() -> Iterator[Any]:
                for r in requests:
                    seen.append(type(r))
                    yield r
            return continuation(details, spied())

    with grpc.insecure_channel(address) as channel:
        client = jscore.Client(channel=grpc.intercept_channel(channel, Spy()))
        prog = client.load_program("function f(x) { return x * 2 }")
        assert prog.call("f", 21) == 42
        assert sorted(r.value for r in client.batch(
            CallItem("f", i, program=prog) for i in range(10))) == [2 * i for i in range(10)]
    assert seen and all(t is not bytes for t in seen)


def test_a_source_that_waits_for_results_is_not_held_back(client: jscore.Client) -> None:
    prog = client.load_program("function f(i) { return i * 2 }")
    answers: "queue.Queue[int]" = queue.Queue()

    def items() -> Iterator[CallItem]:
        # Three items, then one more per result: the items already built must go out
        # while the source waits (with packing that waited for a full message, the
        # stream would stall and the bounded get would fail the test).
        for i in range(3):
            yield CallItem("f", i, program=prog)
        for i in range(3, 40):
            answers.get(timeout=10)
            yield CallItem("f", i, program=prog)

    got = []
    for r in client.batch(items(), window=64, timeout=60):
        got.append(r.value)
        answers.put(r.value)
    assert sorted(got) == [2 * i for i in range(40)]


def test_pack_bounds(client: jscore.Client) -> None:
    prog = client.load_program("function f(i) { return i * 2 }")
    with pytest.raises(ValueError):
        list(client.batch([], pack=0))
    one = [r.value for r in client.batch((CallItem("f", i, program=prog) for i in range(50)),
                                         pack=1)]
    assert sorted(one) == [2 * i for i in range(50)]


def test_asyncio_program_calls_follow_the_arguments(address: str) -> None:
    import asyncio

    import jscore.aio

    async def main() -> None:
        async with jscore.aio.Client(address) as client:
            prog = await client.load_program("function echo(...a) { return a }")
            for args in (ARGS[0], ARGS[1], ARGS[4]):
                assert await prog.call("echo", *args) == args
            assert await prog.call("echo", 1, timeout=2) == [1]
            assert await prog.call("echo", 2, fresh=True) == [2]
            assert await prog.call("echo", 3, random_seed=7) == [3]  # the message path
            await client.stub.UnloadProgram(pb.UnloadProgramRequest(program=prog.id))
            assert await prog.call("echo", 4) == [4]  # re-sent, then the template again

    asyncio.run(main())


def test_asyncio_batch_packs_plain_iterables_within_the_window(address: str) -> None:
    import asyncio

    import jscore.aio

    async def main() -> None:
        async with jscore.aio.Client(address) as client:
            prog = await client.load_program("function f(i) { return i * 2 }")
            await client.stub.UnloadProgram(pb.UnloadProgramRequest(program=prog.id))
            pulled = received = 0

            def items() -> Iterator[CallItem]:
                nonlocal pulled
                for i in range(500):
                    pulled += 1
                    yield CallItem("f", i, program=prog)

            got = []
            async for r in client.batch(items(), window=32, pack=8):
                received += 1
                assert pulled <= received + 32
                got.append(r.value)  # the first ones re-sent after the program's reload
            assert sorted(got) == [2 * i for i in range(500)]
            with pytest.raises(ValueError):
                client.batch([], pack=0)

    asyncio.run(main())
