"""The environment options through the Python client, against the real daemon:
seeded randomness, a frozen clock, the browser profile, the probe of undefined
globals, in evaluations, program calls and sessions (sync and asyncio)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

import jscore
import jscore.aio

RANDOM = "[Math.random(), crypto.randomUUID(), Array.from(crypto.getRandomValues(new Uint8Array(4)))]"


def test_seeded_evaluations_repeat(client: jscore.Client) -> None:
    first = client.evaluate(RANDOM, random_seed=42)
    assert client.evaluate(RANDOM, random_seed=42) == first
    assert client.evaluate(RANDOM, random_seed=43) != first
    assert client.evaluate(RANDOM) != first


def test_frozen_time(client: jscore.Client) -> None:
    instant = dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.timezone.utc)
    millis = int(instant.timestamp() * 1000)
    assert client.evaluate("Date.now()", frozen_time=instant) == millis
    assert client.evaluate("new Date().toISOString()", frozen_time=millis) == (
        "2024-02-29T12:30:00.000Z"
    )
    # Naive datetimes are UTC.
    assert client.evaluate("Date.now()", frozen_time=instant.replace(tzinfo=None)) == millis


def test_browser_profile_and_probe(client: jscore.Client) -> None:
    assert client.evaluate("typeof window") == "undefined"
    page = client.evaluate(
        "[location.hostname, navigator.userAgent, document.cookie, navigator.languages,"
        " screen.width, window === globalThis]",
        browser={
            "url": "https://shop.example.com/item?id=7",
            "user_agent": "jscore-test/1.0",
            "cookie": "a=1",
            "languages": ["fr-FR", "fr"],
            "screen_width": 1280,
        },
    )
    assert page == ["shop.example.com", "jscore-test/1.0", "a=1", ["fr-FR", "fr"], 1280, True]
    assert client.evaluate("typeof navigator.userAgent", browser=True) == "string"
    r = client.evaluate_result(
        "typeof callPhantom === 'undefined' && !navigator.webdriver && 1", browser=True, probe=True
    )
    assert r.value == 1
    assert "callPhantom" in r.probed_missing
    assert client.evaluate_result("1").probed_missing == []


def test_program_calls_and_sessions(client: jscore.Client) -> None:
    program = client.load_program("function roll() { return [Math.random(), Date.now()] }")
    one = program.call("roll", random_seed=7, frozen_time=1_000_000)
    assert one == program.call("roll", random_seed=7, frozen_time=1_000_000)
    assert one[1] == 1_000_000
    with client.context(random_seed=9, frozen_time=5_000, browser={"url": "https://a.test/"}) as ctx:
        assert ctx.evaluate("Date.now()") == 5_000
        assert ctx.evaluate("location.host") == "a.test"
        seq = [ctx.evaluate("Math.random()") for _ in range(3)]
    with client.context(random_seed=9) as ctx:
        assert [ctx.evaluate("Math.random()") for _ in range(3)] == seq  # same seed, same run


def test_bad_environment_options(client: jscore.Client) -> None:
    with pytest.raises(ValueError, match="unseeded"):
        client.evaluate("1", random_seed=0)
    with pytest.raises(TypeError, match="unknown browser field"):
        client.evaluate("1", browser={"colour": "blue"})
    with pytest.raises(TypeError, match="frozen_time"):
        client.evaluate("1", frozen_time="yesterday")  # type: ignore[arg-type]
    program = client.load_program("function f() { return 1 }")
    with pytest.raises(TypeError):  # a call runs in its program's context: no profile
        program.call("f", browser=True)  # type: ignore[call-arg]


def test_asyncio_client_has_the_same_options(address: str) -> None:
    async def main() -> None:
        async with jscore.aio.Client(address) as c:
            a = await c.evaluate(RANDOM, random_seed=5)
            assert await c.evaluate(RANDOM, random_seed=5) == a
            assert await c.evaluate("Date.now()", frozen_time=123_456) == 123_456
            r = await c.evaluate_result("typeof _phantom", browser=True, probe=True)
            assert r.value == "undefined" and "_phantom" in r.probed_missing
            async with c.context(browser={"url": "https://b.test/x"}) as ctx:
                assert await ctx.evaluate("location.pathname") == "/x"

    asyncio.run(main())
