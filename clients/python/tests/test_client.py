"""The sync client: evaluate, globals, the error model, thread safety."""

from __future__ import annotations

import threading

import grpc
import pytest

import jscore
from conftest import MAX_SOURCE_BYTES


def test_evaluate_and_globals(client: jscore.Client) -> None:
    assert client.evaluate("1 + 2") == 3
    assert client.evaluate("x * 2", globals={"x": 21}) == 42
    assert client.evaluate("({a: [1, 'x', null]})") == {"a": [1, "x", None]}


def test_fresh_context_per_evaluation(client: jscore.Client) -> None:
    client.evaluate("var leaked = 1")
    assert client.evaluate("typeof leaked") == "undefined"


def test_promises_and_timers_are_awaited(client: jscore.Client) -> None:
    source = "(async () => { await new Promise(r => setTimeout(r, 20)); return 'done' })()"
    assert client.evaluate(source) == "done"


def test_bare_ecmascript(client: jscore.Client) -> None:
    assert client.evaluate("typeof setTimeout") == "function"
    assert client.evaluate("typeof setTimeout", extensions=False) == "undefined"


def test_evaluate_result_has_console_and_stats(client: jscore.Client) -> None:
    result = client.evaluate_result("console.log('hi', 1); console.warn('w'); 5", filename="x.js")
    assert result.value == 5
    assert result.console == [jscore.ConsoleLine("log", "hi 1"), jscore.ConsoleLine("warn", "w")]
    assert result.stats.worker in (0, 1)
    assert result.stats.wall_time >= 0


def test_js_error(client: jscore.Client) -> None:
    with pytest.raises(jscore.JsError) as info:
        client.evaluate("console.log('before');\nnull.x", filename="boom.js")
    e = info.value
    assert e.name == "TypeError"
    assert "null" in e.message
    assert e.line == 2 and e.column >= 1
    assert "boom.js:2" in e.stack
    assert e.code is None
    assert e.console == [jscore.ConsoleLine("log", "before")]
    assert isinstance(e, jscore.Error)


def test_rejected_promise_and_thrown_values(client: jscore.Client) -> None:
    with pytest.raises(jscore.JsError) as info:
        client.evaluate("Promise.reject(new RangeError('r'))")
    assert (info.value.name, info.value.message) == ("RangeError", "r")
    with pytest.raises(jscore.JsError) as info:
        client.evaluate("throw 'plain'")
    assert "plain" in info.value.message


def test_result_conversion_errors_are_js_errors(client: jscore.Client) -> None:
    with pytest.raises(jscore.JsError, match="cycle"):
        client.evaluate("const o = {}; o.self = o; o")


def test_timeout(client: jscore.Client) -> None:
    with pytest.raises(jscore.Timeout) as info:
        client.evaluate("while (true) {}", timeout=0.2)
    assert info.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert client.evaluate("1") == 1  # the worker stays usable


def test_invalid_argument_for_a_huge_source(client: jscore.Client) -> None:
    with pytest.raises(jscore.InvalidArgument) as info:
        client.evaluate("1;" + " " * MAX_SOURCE_BYTES)
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert str(MAX_SOURCE_BYTES) in info.value.message


def test_invalid_argument_for_an_empty_global_name(client: jscore.Client) -> None:
    with pytest.raises(jscore.InvalidArgument):
        client.evaluate("1", globals={"": 1})


def test_negative_timeout_is_refused_locally(client: jscore.Client) -> None:
    with pytest.raises(ValueError):
        client.evaluate("1", timeout=-1)


def test_resource_exhausted_by_a_heap_bomb(client: jscore.Client) -> None:
    with pytest.raises(jscore.ResourceExhausted) as info:
        client.evaluate("let a = []; while (true) a.push(new Array(1e6).fill(1))", timeout=30)
    assert info.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert client.evaluate("2") == 2  # the isolate was replaced


def test_unavailable_when_nothing_listens() -> None:
    with jscore.Client("127.0.0.1:1", timeout=2.0) as dead:
        with pytest.raises(jscore.Unavailable) as info:
            dead.evaluate("1")
    assert info.value.code == grpc.StatusCode.UNAVAILABLE


def test_other_statuses_are_generic_errors_with_detail(client: jscore.Client) -> None:
    # A bare program id cannot be re-sent: FAILED_PRECONDITION reaches the caller.
    with pytest.raises(jscore.Error) as info:
        client.context(program="0" * 64)
    assert type(info.value) is jscore.Error
    assert info.value.code == grpc.StatusCode.FAILED_PRECONDITION
    assert info.value.detail is not None and info.value.detail.program == "0" * 64


def test_random_seed(client: jscore.Client) -> None:
    try:
        with client.context(random_seed=42) as a, client.context(random_seed=42) as b:
            assert a.evaluate("Math.random()") == b.evaluate("Math.random()")
    except jscore.Error as e:  # a daemon without determinism support
        assert type(e) is jscore.Error and e.code == grpc.StatusCode.UNIMPLEMENTED


def test_health_and_stats(client: jscore.Client) -> None:
    assert client.health() == "SERVING"
    stats = client.stats()
    assert len(stats.workers) == 2
    assert stats.version


def test_validate(client: jscore.Client) -> None:
    client.validate("function ok() {}")
    with pytest.raises(jscore.JsError) as info:
        client.validate("function (")
    assert info.value.name == "SyntaxError"


def test_one_client_many_threads(client: jscore.Client) -> None:
    errors: list = []
    results: dict = {}

    def work(t: int) -> None:
        try:
            for i in range(50):
                results[(t, i)] = client.evaluate("a * 1000 + b", globals={"a": t, "b": i})
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert results == {(t, i): t * 1000 + i for t in range(16) for i in range(50)}


def test_hooked_when_the_daemon_has_terminate(client: jscore.Client) -> None:
    try:
        client.evaluate("$terminate({n: 2n ** 64n, s: 'x'}); 'not reached'")
    except jscore.Hooked as h:
        assert h.data == {"n": 2**64, "s": "x"}
        assert h.code is None
    except jscore.JsError as e:
        if e.name != "ReferenceError":
            raise
        pytest.skip("this daemon has no $terminate yet (decoding is covered in test_values)")
    else:
        pytest.fail("$terminate did not stop the script")
