"""Programs (LoadProgram/Call and the reload path) and sessions (contexts)."""

from __future__ import annotations

import time

import grpc
import pytest

import jscore
from jscore._proto import pb

LIB = """
function sign(s, n) { return s + ":" + n; }
var CryptoLib = { inner: { twice: function (x) { return x * 2; } } };
async function later(x) { await new Promise(r => setTimeout(r, 5)); return x + 1; }
var helper = require("helper");
function useHelper(x) { return helper.f(x); }
var calls = 0;
function count() { return ++calls; }
function fail() { throw new SyntaxError("nope"); }
function noisy() { console.log("from program"); return 1; }
"""
MODULES = {"helper": "const dep = require('dep'); exports.f = x => dep.k * x;", "dep": "exports.k = 10;"}


@pytest.fixture(scope="module")
def prog(client: jscore.Client) -> jscore.Program:
    return client.load_program(LIB, modules=MODULES, filename="lib.js")


def test_program_id_is_content_addressed(client: jscore.Client, prog: jscore.Program) -> None:
    assert len(prog.id) == 64
    assert client.load_program(LIB, modules=MODULES, filename="lib.js").id == prog.id


def test_call_dotted_async_and_modules(prog: jscore.Program) -> None:
    assert prog.call("sign", "a", 1) == "a:1"
    assert prog.call("CryptoLib.inner.twice", 21) == 42
    assert prog.call("later", 1) == 2
    assert prog.call("useHelper", 4) == 40


def test_program_state_and_fresh(prog: jscore.Program) -> None:
    first = prog.call("count")
    assert prog.call("count") >= first  # programs keep state per worker context
    assert prog.call("count", fresh=True) == 1


def test_call_errors(prog: jscore.Program) -> None:
    with pytest.raises(jscore.JsError) as info:
        prog.call("fail")
    assert (info.value.name, info.value.message) == ("SyntaxError", "nope")
    assert "lib.js" in info.value.stack
    with pytest.raises(jscore.JsError, match="not a function"):
        prog.call("missing")


def test_call_result_console(prog: jscore.Program) -> None:
    result = prog.call_result("noisy")
    assert result.value == 1
    assert result.console == [jscore.ConsoleLine("log", "from program")]


def test_load_program_syntax_error(client: jscore.Client) -> None:
    with pytest.raises(jscore.JsError) as info:
        client.load_program("function (", filename="bad.js")
    assert info.value.name == "SyntaxError"


def test_reload_after_unload(client: jscore.Client) -> None:
    prog = client.load_program("function f(x) { return x * 3 }", filename="reload.js")
    client.stub.UnloadProgram(pb.UnloadProgramRequest(program=prog.id))
    # The raw call now fails with FAILED_PRECONDITION and the detail...
    with pytest.raises(grpc.RpcError) as info:
        client.stub.Call(pb.CallRequest(program=prog.id, function="f"))
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    # ...which Program.call handles: it re-sends the source and retries once.
    assert prog.call("f", 5) == 15
    assert prog.call("f", 6) == 18


def test_program_with_a_stale_id_reloads(client: jscore.Client) -> None:
    ghost = jscore.Program(client, "0" * 64, "function f() {}")
    # The daemon never saw this id: the call reloads the source and uses its real id.
    assert ghost.call("f") is None
    assert ghost.id != "0" * 64


def test_unload(client: jscore.Client) -> None:
    prog = client.load_program("function g() { return 1 }")
    prog.unload()
    with pytest.raises(jscore.NotFound):
        prog.unload()


def test_session_compile_call_evaluate(client: jscore.Client) -> None:
    with client.context() as ctx:
        ctx.compile("var n = 0; function inc() { return ++n }")
        assert ctx.call("inc") == 1
        assert ctx.evaluate("n") == 1
        assert ctx.call("inc") == 2
        assert ctx.evaluate("n + k", globals={"k": 10}) == 12
        assert ctx.evaluate_result("console.log(n); n").console == [jscore.ConsoleLine("log", "2")]
        with pytest.raises(jscore.JsError):
            ctx.call("nope")


def test_context_manager_deletes_the_session(client: jscore.Client) -> None:
    with client.context() as ctx:
        assert ctx.evaluate("1") == 1
    assert ctx.closed
    with pytest.raises(grpc.RpcError) as info:
        client.stub.Evaluate(pb.EvaluateRequest(source="1", session=ctx.id))
    assert info.value.code() == grpc.StatusCode.NOT_FOUND


def test_deleted_session_is_not_found(client: jscore.Client) -> None:
    ctx = client.context()
    jscore.Context(client, ctx.id).close()  # deleted behind ctx's back
    with pytest.raises(jscore.NotFound) as info:
        ctx.evaluate("1")
    assert info.value.code == grpc.StatusCode.NOT_FOUND
    with pytest.raises(jscore.NotFound):
        ctx.call("f")
    ctx.close()  # idempotent, NotFound ignored


def test_session_from_program_and_source(client: jscore.Client) -> None:
    prog = client.load_program("var base = 100; function add(x) { base += x; return base }")
    with prog.context(source="base = 1000") as ctx:
        assert ctx.call("add", 1) == 1001
        assert ctx.call("add", 1) == 1002
    with pytest.raises(jscore.JsError, match="boom"):
        client.context(source="throw new Error('boom')")


def test_session_from_unloaded_program_reloads(client: jscore.Client) -> None:
    prog = client.load_program("var tag = 'p'; function t() { return tag }", filename="s.js")
    prog.unload()
    with client.context(program=prog) as ctx:
        assert ctx.call("t") == "p"


def test_session_ttl(client: jscore.Client) -> None:
    ctx = client.context(ttl=0.3)
    # Every use restarts the idle clock, so wait longer and longer between checks.
    pause = 0.5
    while pause < 8:
        time.sleep(pause)
        try:
            ctx.evaluate("1")
        except jscore.NotFound:
            return
        pause *= 2
    pytest.fail("the session outlived its ttl")
