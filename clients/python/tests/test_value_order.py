"""Faithful values through a real daemon: key order both ways (sync, asyncio, sessions,
Batch, hook data, thrown values), depth 100, and a seeded property test of random
nested values with random key orders round-tripping through a JS identity function."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import string
from typing import Any, List

import pytest

import jscore
import jscore.aio

SIGN = "function f(a) { return Object.keys(a).join() + '|' + JSON.stringify(a) }"
ORDERED = {"zeta": 1, "alpha": {"y": [1, {"q": 2, "b": 3}], "x": None}, "mid": "m", "beta": 2.5}
WANT = 'zeta,alpha,mid,beta|{"zeta":1,"alpha":{"y":[1,{"q":2,"b":3}],"x":null},"mid":"m","beta":2.5}'


def test_200_identical_calls_give_one_answer_in_the_callers_order(client: jscore.Client) -> None:
    program = client.load_program(SIGN)
    answers = {program.call("f", ORDERED) for _ in range(200)}
    assert answers == {WANT}


def test_200_identical_calls_through_asyncio_batch_and_session(
        client: jscore.Client, address: str) -> None:
    program = client.load_program(SIGN)
    answers = {r.value for r in client.batch(jscore.CallItem("f", ORDERED, program=program)
                                             for _ in range(200))}
    assert answers == {WANT}
    with client.context() as ctx:
        ctx.compile(SIGN)
        assert {ctx.call("f", ORDERED) for _ in range(20)} == {WANT}
        assert ctx.evaluate("f(g)", globals={"g": ORDERED}) == WANT

    async def main() -> List[str]:
        async with jscore.aio.Client(address, timeout=10.0) as c:
            p = await c.load_program(SIGN)
            return list(await asyncio.gather(*(p.call("f", ORDERED) for _ in range(200))))

    assert set(asyncio.run(main())) == {WANT}


def test_globals_are_defined_in_dict_order(client: jscore.Client) -> None:
    source = "Object.keys(globalThis).filter(k => k.startsWith('g_')).join()"
    assert client.evaluate(source, globals={"g_b": 1, "g_a": 2, "g_c": 3}) == "g_b,g_a,g_c"


def test_results_come_back_in_js_order(client: jscore.Client, address: str) -> None:
    assert list(client.evaluate("({b: 1, a: 2, c: 3})")) == ["b", "a", "c"]
    nested = client.evaluate("({z: {d: 1, c: [{y: 1, x: 2}]}, a: new Map([['k2', 1], ['k1', 2]])})")
    assert list(nested) == ["z", "a"] and list(nested["z"]) == ["d", "c"]
    assert list(nested["z"]["c"][0]) == ["y", "x"] and list(nested["a"]) == ["k2", "k1"]
    # JS itself puts integer-like keys first, in ascending order.
    assert list(client.evaluate("({b: 1, 2: 2, a: 3, 1: 4})")) == ["1", "2", "b", "a"]
    assert list(next(iter(client.batch([jscore.Eval("({b: 1, a: 2, c: 3})")]))).value) == ["b", "a", "c"]

    async def main() -> Any:
        async with jscore.aio.Client(address, timeout=5.0) as c:
            return await c.evaluate("({b: 1, a: 2, c: 3})")

    assert list(asyncio.run(main())) == ["b", "a", "c"]


def test_hook_data_and_thrown_values_keep_order(client: jscore.Client) -> None:
    try:
        client.evaluate("$terminate({b: 1, a: [2n]})")
    except jscore.Hooked as hooked:
        assert list(hooked.data) == ["b", "a"] and hooked.data["a"] == [2]
    else:
        raise AssertionError("no Hooked")
    try:
        client.evaluate("throw {code: 7, b: 1, a: new Date(0)}")
    except jscore.JsError as error:
        assert error.name == ""
        assert list(error.thrown) == ["code", "b", "a"]
        assert error.thrown["a"] == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        assert "code" in error.message
    try:
        client.evaluate("throw 'x'")
    except jscore.JsError as error:
        assert error.thrown == "x"
    try:
        client.evaluate("throw new TypeError('t')")
    except jscore.JsError as error:
        assert error.name == "TypeError" and error.thrown is None


def test_native_types_reach_js_as_js_types(client: jscore.Client) -> None:
    check = ("[a.d instanceof Date && a.d.toISOString(), a.b instanceof Uint8Array && a.b.length,"
             " a.s instanceof Set && [...a.s].join(), Number.isNaN(a.n), a.i === -Infinity,"
             " typeof a.big === 'bigint' && String(a.big), typeof a.small]")
    value = {"d": dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone.utc),
             "b": b"\x00\x01\xff", "s": {3}, "n": math.nan, "i": -math.inf,
             "big": 2**70, "small": 2**53}
    program = client.load_program(f"function f(a) {{ return {check} }}")
    assert program.call("f", value) == [
        "2024-01-02T03:04:05.678Z", 3, "3", True, True, str(2**70), "number"]


def test_dates_keep_their_millisecond(client: jscore.Client) -> None:
    # Far from 1970 a millisecond count is past what a double's fraction holds exactly:
    # the daemon must not round the ISO text through floating-point milliseconds.
    when = dt.datetime(2137, 6, 23, 0, 55, 57, 998000, tzinfo=dt.timezone.utc)
    assert client.evaluate("x.toISOString()", globals={"x": when}) == "2137-06-23T00:55:57.998Z"
    program = client.load_program("function id(a) { return a }")
    assert program.call("id", when) == when


def test_depth_100_both_ways(client: jscore.Client) -> None:
    deep: Any = "leaf"
    for i in range(99):  # 99 containers around a leaf: 100 levels
        deep = {"k": deep, "n": i} if i % 2 else [deep]
    program = client.load_program("function id(a) { return a }")
    assert program.call("id", deep) == deep
    assert client.evaluate("let v = 'leaf'; for (let i = 0; i < 99; i++) v = [v]; v") is not None


def test_depth_101_is_refused_naming_the_path(client: jscore.Client) -> None:
    program = client.load_program(
        "function id(a) { return a } function mk(n) { let v = 1; while (n--) v = [v]; return v }")
    deep: Any = 1
    for _ in range(100):
        deep = [deep]
    assert program.call("id", deep) == deep and program.call("mk", 100) == deep
    with pytest.raises(jscore.InvalidArgument, match='args_json .*at "/0/0/0'):
        program.call("id", [deep])
    with pytest.raises(jscore.InvalidArgument, match='globals_json .*at "/g/0/0'):
        client.evaluate("1", globals={"g": [deep]})
    with pytest.raises(jscore.JsError, match="nested deeper than 100") as info:
        program.call("mk", 101)
    assert info.value.name == "RangeError" and '"/0/0/0' in info.value.message


# --- the property test ------------------------------------------------------------------


def _random_value(rng: random.Random, depth: int) -> Any:
    choice = rng.randrange(12 if depth < 5 else 8)
    if choice == 0:
        return None
    if choice == 1:
        return rng.random() < 0.5
    if choice == 2:
        return rng.randint(-(2**53), 2**53)
    if choice == 3:
        return rng.choice([0.5, -1.25, 1e21, 1e-7, math.nan, math.inf, -math.inf, 2**80])
    if choice == 4:
        return "".join(rng.choice(string.ascii_letters + "é😀\"\\\n") for _ in range(rng.randrange(6)))
    if choice == 5:
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
            milliseconds=rng.randrange(-10**12, 10**13))
    if choice == 6:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(5)))
    if choice == 7:
        return set(rng.sample(range(100), rng.randrange(4)))
    if choice in (8, 9):
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    keys = rng.sample(["k" + "".join(rng.choice(string.ascii_lowercase) for _ in range(3))
                       for _ in range(8)] + ["é", "a b", "~/", "__proto__x"], rng.randrange(7))
    return {k: _random_value(rng, depth + 1) for k in keys}


def _same_ordered(got: Any, want: Any) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(want, bool) or want is None:
        return got is want
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and got == want
    if isinstance(want, dict):
        return (isinstance(got, dict) and list(got) == list(want)
                and all(_same_ordered(got[k], want[k]) for k in want))
    if isinstance(want, list):
        return (isinstance(got, list) and len(got) == len(want)
                and all(_same_ordered(g, w) for g, w in zip(got, want)))
    return type(got) is type(want) and got == want


def test_property_random_values_round_trip_with_their_order(client: jscore.Client) -> None:
    rng = random.Random(1313)
    program = client.load_program("function id(a) { return a }")
    values = [_random_value(rng, 0) for _ in range(150)]
    results = {r.id: r for r in client.batch(jscore.CallItem("id", v, program=program) for v in values)}
    assert len(results) == len(values)
    for i, value in enumerate(values):
        got = results[str(i)].value
        assert _same_ordered(got, value), f"sent {value!r}, got {got!r}"
    for value in values[:30]:  # and one by one, through Call
        got = program.call("id", value)
        assert _same_ordered(got, value), f"sent {value!r}, got {got!r}"
