"""Batch through the sync client, and its throughput against unary calls."""

from __future__ import annotations

import time
from typing import Iterator, List

import grpc
import pytest

import jscore
from conftest import record


@pytest.fixture(scope="module")
def prog(client: jscore.Client) -> jscore.Program:
    return client.load_program("function f(i) { return i * 2 } function boom() { throw new Error('b') }")


def test_mixed_items_ids_and_errors(client: jscore.Client, prog: jscore.Program) -> None:
    with client.context() as ctx:
        ctx.compile("var s = 5; function get() { return s }")
        items: List[jscore.batch.BatchItem] = [
            jscore.Eval("1 + 1"),
            jscore.Eval("x", globals={"x": "g"}, id="with-globals"),
            {"source": "3"},
            jscore.CallItem("f", 21, program=prog),
            jscore.CallItem("f", 1, program=prog.id, id="by-id"),
            {"function": "f", "args": [4], "program": prog},
            jscore.CallItem("get", session=ctx),
            jscore.Eval("s + 1", session=ctx.id),
            jscore.CallItem("boom", program=prog),
            jscore.Eval("while (true) {}", timeout=0.2, id="slow"),
            jscore.Eval("1", session="no-such-session", id="lost"),
            jscore.Eval("2n ** 70n"),
        ]
        results = {r.id: r for r in client.batch(items)}
    assert set(results) == {"0", "with-globals", "2", "3", "by-id", "5", "6", "7", "8", "slow", "lost", "11"}
    assert results["0"].value == 2 and results["0"].ok
    assert results["with-globals"].value == "g"
    assert results["2"].value == 3
    assert results["3"].value == 42
    assert results["by-id"].value == 2
    assert results["5"].value == 8
    assert results["6"].value == 5
    assert results["7"].value == 6
    assert results["11"].value == 2**70
    boom = results["8"]
    assert not boom.ok and isinstance(boom.error, jscore.JsError) and boom.code == 0
    with pytest.raises(jscore.JsError, match="b"):
        boom.value
    assert isinstance(results["slow"].error, jscore.Timeout)
    assert results["slow"].error.code == grpc.StatusCode.DEADLINE_EXCEEDED
    lost = results["lost"]
    assert isinstance(lost.error, jscore.NotFound) and lost.code == grpc.StatusCode.NOT_FOUND.value[0]
    with pytest.raises(jscore.NotFound):
        lost.value


def test_empty_batch(client: jscore.Client) -> None:
    assert list(client.batch([])) == []


def test_window_bounds_items_in_flight(client: jscore.Client, prog: jscore.Program) -> None:
    pulled = 0
    window = 8

    def items() -> Iterator[jscore.CallItem]:
        nonlocal pulled
        for i in range(300):
            pulled += 1
            yield jscore.CallItem("f", i, program=prog)

    received = 0
    for r in client.batch(items(), window=window):
        received += 1
        assert pulled <= received + window
        assert r.value == 2 * int(r.id)
    assert received == 300


def test_program_reload_inside_a_batch(client: jscore.Client) -> None:
    prog = client.load_program("function h(x) { return x + 0.5 }", filename="batch-reload.js")
    prog.unload()
    results = list(client.batch(jscore.CallItem("h", i, program=prog) for i in range(500)))
    assert sorted(r.value for r in results) == [i + 0.5 for i in range(500)]


def test_bad_item_ends_the_batch_with_its_error(client: jscore.Client) -> None:
    cycle: list = []
    cycle.append(cycle)
    items = [jscore.Eval("1"), jscore.Eval("2", globals={"cycle": cycle})]
    seen = []
    with pytest.raises(ValueError, match="cycle"):
        for r in client.batch(items):
            seen.append(r.value)
    assert seen == [1]
    with pytest.raises(TypeError):
        list(client.batch([42]))  # type: ignore[list-item]


def test_breaking_out_cancels_the_stream(client: jscore.Client, prog: jscore.Program) -> None:
    def endless() -> Iterator[jscore.CallItem]:
        i = 0
        while True:
            yield jscore.CallItem("f", i, program=prog)
            i += 1

    got = 0
    for _ in client.batch(endless(), window=32):
        got += 1
        if got == 100:
            break
    assert client.evaluate("1") == 1


@pytest.mark.slow
def test_100k_calls_through_one_batch(client: jscore.Client, prog: jscore.Program) -> None:
    n = 100_000
    start = time.perf_counter()
    seen = 0
    for r in client.batch((jscore.CallItem("f", i, program=prog) for i in range(n)), window=256):
        assert r.value == 2 * int(r.id)
        seen += 1
    batch_seconds = time.perf_counter() - start
    assert seen == n

    unary = 2_000
    start = time.perf_counter()
    for i in range(unary):
        assert prog.call("f", i) == 2 * i
    unary_seconds = time.perf_counter() - start

    record(
        "batch vs unary",
        f"{n} batch items in {batch_seconds:.2f}s = {n / batch_seconds:,.0f} items/s; "
        f"{unary} unary calls in {unary_seconds:.2f}s = {unary / unary_seconds:,.0f} calls/s",
    )
