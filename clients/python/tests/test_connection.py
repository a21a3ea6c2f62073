"""Issue 17: the client's connection and errors as a Python user expects them.

``token=`` and ``$JSCORE_TOKEN_FILE``, ``$JSCORE_TARGET``, ``wait_for_ready=`` while
the daemon starts, ``connect_timeout=``, a closed client's :class:`jscore.Closed`,
:class:`jscore.Timeout` as a ``TimeoutError`` naming the limit, :class:`JsSyntaxError`,
``None`` for unknown positions, console lines forwarded to :mod:`logging`. Each runs
against a real ``jscored``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

import jscore
import jscore.aio
from conftest import Daemon, start_daemon, stop_daemon

TOKEN = "python-token-0123456789abcdef"


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("token") / "token"
    path.write_text(TOKEN + "\n")
    return path


@pytest.fixture(scope="module")
def guarded(token_file: Path) -> Iterator[Daemon]:
    """A daemon that asks every call for the token."""
    d = start_daemon(f"--auth_token_file={token_file}")
    try:
        yield d
    finally:
        stop_daemon(d)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_token_sends_the_bearer_token(guarded: Daemon) -> None:
    with jscore.Client(guarded.address, token=TOKEN) as client:
        assert client.evaluate("6 * 7") == 42
    with jscore.Client(guarded.address, token="") as client:
        with pytest.raises(jscore.Error) as e:
            client.evaluate("1")
    assert e.value.code is not None and e.value.code.name == "UNAUTHENTICATED"

    async def aio() -> Any:
        async with jscore.aio.Client(guarded.address, token=TOKEN) as client:
            return await client.evaluate("'ok'")

    assert asyncio.run(aio()) == "ok"
    with pytest.raises(ValueError):  # one or the other, not both
        jscore.Client(guarded.address, token=TOKEN, metadata=[("authorization", "Bearer x")])


def test_environment_defaults(
    guarded: Daemon, token_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSCORE_TARGET", guarded.address)
    monkeypatch.setenv("JSCORE_TOKEN_FILE", str(token_file))
    with jscore.Client() as client:
        assert client.target == guarded.address
        assert client.evaluate("1 + 1") == 2

    async def aio() -> Any:
        async with jscore.aio.Client() as client:
            return await client.evaluate("2 + 2")

    assert asyncio.run(aio()) == 4
    # Arguments win over the environment.
    monkeypatch.setenv("JSCORE_TARGET", "127.0.0.1:1")
    with jscore.Client(guarded.address) as client:
        assert client.evaluate("3") == 3
    monkeypatch.delenv("JSCORE_TOKEN_FILE")
    with jscore.Client(guarded.address) as client:
        with pytest.raises(jscore.Error, match="UNAUTHENTICATED"):
            client.evaluate("1")


def test_wait_for_ready_waits_for_a_starting_daemon() -> None:
    port = free_port()
    target = f"127.0.0.1:{port}"
    fast = [("grpc.initial_reconnect_backoff_ms", 100), ("grpc.max_reconnect_backoff_ms", 300)]
    # Without it, a call to a daemon that is not there fails at once.
    with jscore.Client(target, timeout=10, options=fast, retries=0) as client:
        started = time.monotonic()
        with pytest.raises(jscore.Unavailable):
            client.evaluate("1")
        assert time.monotonic() - started < 5
    outcome: Dict[str, Any] = {}
    client = jscore.Client(target, timeout=20, wait_for_ready=True, options=fast)

    def call() -> None:
        try:
            outcome["value"] = client.evaluate("'up'")
        except BaseException as e:  # reported below
            outcome["error"] = e

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.5)  # the call is waiting for a daemon that does not exist yet
    assert "value" not in outcome and "error" not in outcome
    daemon = start_daemon(f"--listen={target}")
    try:
        caller.join(timeout=25)
        assert not caller.is_alive()
        assert outcome == {"value": "up"}
    finally:
        client.close()
        stop_daemon(daemon)


def test_a_client_side_deadline_names_itself() -> None:
    """wait_for_ready against a daemon that never comes: the call's own deadline passes."""
    with jscore.Client(f"127.0.0.1:{free_port()}", timeout=0.5, wait_for_ready=True) as client:
        started = time.monotonic()
        with pytest.raises(jscore.Timeout, match=r"gRPC deadline of 1\.5 s"):
            client.evaluate("1")
        assert time.monotonic() - started < 10


def test_connect_timeout(daemon: Daemon) -> None:
    dead = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(jscore.Unavailable, match="could not connect"):
        jscore.Client(dead, connect_timeout=0.5)
    assert time.monotonic() - started < 5
    with jscore.Client(daemon.address, connect_timeout=10) as client:
        assert client.evaluate("1") == 1
        client.wait_ready(1)

    async def aio() -> None:
        with pytest.raises(jscore.Unavailable):
            async with jscore.aio.Client(dead, connect_timeout=0.5):
                pass
        async with jscore.aio.Client(daemon.address, connect_timeout=10) as client:
            assert await client.evaluate("1") == 1

    asyncio.run(aio())


def test_a_closed_client_raises_closed(daemon: Daemon) -> None:
    client = jscore.Client(daemon.address)
    assert client.evaluate("1") == 1
    client.close()
    for use in (lambda: client.evaluate("1"), client.stats,
                lambda: list(client.batch([jscore.Eval("1")]))):
        with pytest.raises(jscore.Closed):
            use()
    assert issubclass(jscore.Closed, jscore.Error)

    async def aio() -> None:
        client = jscore.aio.Client(daemon.address)
        assert await client.evaluate("1") == 1
        await client.close()
        with pytest.raises(jscore.Closed):
            await client.evaluate("1")

    asyncio.run(aio())


def test_timeout_is_a_timeout_error_and_names_the_cap() -> None:
    capped = start_daemon("--default_timeout=1s", "--max_timeout=1s")
    try:
        with jscore.Client(capped.address, timeout=3600) as client:
            started = time.monotonic()
            with pytest.raises(TimeoutError) as e:
                client.evaluate("while (true) {}")
            assert time.monotonic() - started < 30
            assert isinstance(e.value, jscore.Timeout)
            assert "timed out after 1 s (--max_timeout caps the requested 3600 s)" in str(e.value)
            with pytest.raises(jscore.Timeout, match=r"after 0\.2 s \(the request's timeout\)"):
                client.evaluate("while (true) {}", timeout=0.2)
    finally:
        stop_daemon(capped)


def test_syntax_errors_and_unknown_positions(client: jscore.Client) -> None:
    with pytest.raises(jscore.JsSyntaxError) as e:
        client.evaluate("function (")
    assert isinstance(e.value, jscore.JsError)
    assert (e.value.name, e.value.line, e.value.column) == ("SyntaxError", 1, 1)
    with pytest.raises(jscore.JsSyntaxError):
        client.load_program("function (")
    with pytest.raises(jscore.JsError) as thrown:
        client.evaluate("throw new TypeError('t')")
    assert type(thrown.value) is jscore.JsError and thrown.value.line == 1
    with pytest.raises(jscore.JsError) as rejected:
        client.evaluate("Promise.reject(7)")  # no position
    assert rejected.value.line is None and rejected.value.column is None


def test_console_lines_go_to_logging(
    daemon: Daemon, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="jscore.console")
    with jscore.Client(daemon.address, console="logging") as client:
        assert client.evaluate("console.log('a', 1); console.warn('w'); console.error('e'); 5") == 5
        with pytest.raises(jscore.JsError):
            client.evaluate("console.info('before'); throw new Error('x')")
    records = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert records == [
        ("jscore.console", "INFO", "a 1"),
        ("jscore.console", "WARNING", "w"),
        ("jscore.console", "ERROR", "e"),
        ("jscore.console", "INFO", "before"),
    ]
    mine = logging.getLogger("my.app.js")
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="my.app.js")

    async def aio() -> None:
        async with jscore.aio.Client(daemon.address, console=mine) as client:
            await client.evaluate("console.debug('d')")

    asyncio.run(aio())
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("my.app.js", "DEBUG", "d")
    ]
    with pytest.raises(ValueError):
        jscore.Client(daemon.address, console="print")


def test_session_globals_persist(client: jscore.Client) -> None:
    """What the README says of sessions: top-level definitions and globals= stay."""
    with client.context() as ctx:
        ctx.evaluate("var n = 1; let z = 2; function f() { return n + z }")
        assert ctx.evaluate("x + f()", globals={"x": 10}) == 13
        assert ctx.evaluate("[typeof x, typeof z, n]") == ["number", "number", 1]
    assert client.evaluate("typeof n") == "undefined"
