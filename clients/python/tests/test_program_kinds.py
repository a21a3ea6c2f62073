"""Every kind of program through the client API (issue 14): a script's top-level
const/let/class/function bindings, a CommonJS graph, an ES module graph and a
browser-profile program; loaded with ``load_program(type=..., browser=...)``, called
through ``Program.call`` and ``batch``, re-sent whole when the daemon lost them, and
the same through ``jscore.aio``. The graphs are our own, small, written for this."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import pytest

import jscore
import jscore.aio
from jscore._proto import pb

SCRIPT = """
const Lib = { key: 'K', encrypt(s) { return this.key + ':' + s; } };
let add = (a, b) => a + b;
class C { constructor(v) { this.v = v; } static make(v) { return new C(v).v * 2; } }
function plain(x) { return 'plain ' + x; }
"""

# A CommonJS graph: relative requires (a folder's index.js, an extension left out, a
# parent folder), a .json module, Node's module scope (this, __filename, __dirname).
CJS_MODULES = {
    "lib/index.js": (
        "const util = require('./util');\n"
        "const config = require('../config.json');\n"
        "module.exports = { sign: (s) => util.tag(s) + config.suffix,\n"
        "  self: this === module.exports, file: __filename, dir: __dirname };\n"
    ),
    "lib/util.js": "exports.tag = (s) => '<' + s + '>';",
    "config.json": '{"suffix": "!"}',
}
CJS_MAIN = """
const lib = require('./lib');
module.exports = { sign: lib.sign, info: { where: () => [lib.self, lib.file, lib.dir] } };
"""

# An ES module graph: default and named exports, a JSON import, a CommonJS import
# (its module.exports as the default), import() and top-level await.
ESM_MODULES = {
    "lib/math.mjs": (
        "export const double = (x) => x * 2;\n"
        "export default function inc(x) { return x + 1; }"
    ),
    "lib/data.json": '{"salt": "s4lt"}',
    "lib/legacy.cjs": "module.exports = { legacy: (x) => 'legacy ' + x };",
    "lib/late.mjs": "export const late = '+late';",
}
ESM_MAIN = """
import inc, { double } from './lib/math.mjs';
import data from './lib/data.json' assert { type: 'json' };
import cjs from './lib/legacy.cjs';
const { late } = await import('./lib/late.mjs');
const ready = await Promise.resolve('ready');
export default function main(x) { return inc(double(x)); }
export function sign(s) { return s + ':' + data.salt; }
export const Lib = { k: 'K', encrypt(s) { return this.k + s + late; } };
export const legacy = cjs.legacy;
export const status = () => ready;
"""

BROWSER_SCRIPT = """
function env() {
  return { ua: navigator.userAgent, isWindow: window === globalThis && self === window,
           url: document.URL, href: location.href, hasDocument: typeof document.createElement };
}
window.attached = { ping: () => 'pong' };
"""
BROWSER = {"user_agent": "jscore-test/1.0", "url": "https://example.test/page"}
BROWSER_ENV = {
    "ua": "jscore-test/1.0", "isWindow": True, "url": "https://example.test/page",
    "href": "https://example.test/page", "hasDocument": "function",
}


def test_script_reaches_top_level_const_let_class_and_function(client: jscore.Client) -> None:
    prog = client.load_program(SCRIPT)
    assert prog.call("Lib.encrypt", "x") == "K:x"
    assert prog.call("add", 2, 3) == 5
    assert prog.call("C.make", 21) == 42
    assert prog.call("plain", "y") == "plain y"
    with pytest.raises(jscore.JsError) as info:
        prog.call("Lib.missing")
    assert info.value.name == "TypeError"


def test_commonjs_graph(client: jscore.Client) -> None:
    prog = client.load_program(CJS_MAIN, CJS_MODULES, type="commonjs")
    assert prog.type == "commonjs"
    assert prog.call("sign", "a") == "<a>!"
    assert prog.call("info.where") == [True, "/lib/index.js", "/lib"]
    # The same source as a script has no module.exports to call into.
    with pytest.raises(jscore.JsError):
        client.load_program(CJS_MAIN, CJS_MODULES).call("sign", "a")


def test_es_module_graph(client: jscore.Client) -> None:
    prog = client.load_program(ESM_MAIN, ESM_MODULES, type="module")
    assert prog.call("default", 5) == 11
    assert prog.call("sign", "a") == "a:s4lt"
    assert prog.call("Lib.encrypt", "x") == "Kx+late"
    assert prog.call("legacy", "y") == "legacy y"
    assert prog.call("status") == "ready"
    assert prog.call("sign", "b", fresh=True) == "b:s4lt"
    # The type is part of the program: the same source as a script does not compile.
    with pytest.raises(jscore.JsError) as info:
        client.load_program(ESM_MAIN, ESM_MODULES)
    assert info.value.name == "SyntaxError"
    client.validate(ESM_MAIN, ESM_MODULES, type="module")
    with pytest.raises(jscore.JsError) as syntax:
        client.validate("export const x = ;", type="module")
    assert syntax.value.name == "SyntaxError"
    # LoadProgram compiles each file; the graph is linked when a context first runs it.
    missing = client.load_program("import x from './nowhere.mjs'; export default x;", type="module")
    with pytest.raises(jscore.JsError) as info:
        missing.call("default")
    assert "nowhere.mjs" in info.value.message


def test_browser_profile_program(client: jscore.Client) -> None:
    prog = client.load_program(BROWSER_SCRIPT, browser=BROWSER)
    assert prog.call("env") == BROWSER_ENV
    assert prog.call("attached.ping") == "pong"
    assert prog.call("window.attached.ping") == "pong"
    # The profile is part of the program's id, and True means the defaults.
    default = client.load_program(BROWSER_SCRIPT, browser=True)
    assert default.id != prog.id
    assert default.call("env")["ua"].startswith("Mozilla/5.0")
    plain = client.load_program(BROWSER_SCRIPT)  # compiles; its top level needs a window
    with pytest.raises(jscore.JsError) as info:
        plain.call("env")
    assert "window" in info.value.message


def test_evaluate_module_graph_and_commonjs(client: jscore.Client) -> None:
    source = (
        "import inc from './lib/math.mjs';\n"
        "export const answer = inc(10);\nexport default 'd';"
    )
    assert client.evaluate(source, type="module", modules=ESM_MODULES) == {
        "answer": 11, "default": "d",
    }
    assert client.evaluate("module.exports = require('./lib').sign('e')",
                           type="commonjs", modules=CJS_MODULES) == "<e>!"
    result = client.evaluate_result("export const n = await Promise.resolve(4);", type="module")
    assert result.value == {"n": 4}
    with pytest.raises(jscore.JsError) as info:
        client.evaluate("export const x = 1;")  # a script by default
    assert info.value.name == "SyntaxError"


def test_batch_calls_into_every_kind(client: jscore.Client) -> None:
    script = client.load_program(SCRIPT)
    cjs = client.load_program(CJS_MAIN, CJS_MODULES, type="commonjs")
    esm = client.load_program(ESM_MAIN, ESM_MODULES, type="module")
    page = client.load_program(BROWSER_SCRIPT, browser=BROWSER)
    items: List[jscore.BatchItem] = [
        jscore.CallItem("C.make", 2, program=script, id="class"),
        jscore.CallItem("add", 1, 2, program=script, id="let"),
        jscore.CallItem("sign", "b", program=cjs, id="cjs"),
        jscore.CallItem("Lib.encrypt", "z", program=esm, id="esm"),
        jscore.CallItem("default", 1, program=esm.id, id="esm-default"),
        jscore.CallItem("env", program=page, id="browser"),
        jscore.Eval("import { double } from './lib/math.mjs'; export const d = double(4);",
                    type="module", modules=ESM_MODULES, id="eval-esm"),
        {"source": "module.exports = 'cjs eval'", "type": "commonjs", "id": "eval-cjs"},
    ]
    results: Dict[str, Any] = {r.id: r.value for r in client.batch(items)}
    assert results == {
        "class": 4, "let": 3, "cjs": "<b>!", "esm": "Kz+late", "esm-default": 3,
        "browser": BROWSER_ENV, "eval-esm": {"d": 8}, "eval-cjs": "cjs eval",
    }


def test_program_is_resent_with_its_type_and_profile(client: jscore.Client) -> None:
    esm = client.load_program(ESM_MAIN, ESM_MODULES, type="module")
    page = client.load_program(BROWSER_SCRIPT, browser=BROWSER)
    ids = (esm.id, page.id)
    esm.unload()
    page.unload()
    assert esm.call("sign", "r") == "r:s4lt"  # re-sent as a module, not a script
    assert page.call("env") == BROWSER_ENV  # re-sent with its profile
    assert (esm.id, page.id) == ids
    # A batch re-sends it too.
    esm.unload()
    assert [r.value for r in client.batch([jscore.CallItem("default", 2, program=esm)])] == [5]


def test_sessions_start_from_every_kind(client: jscore.Client) -> None:
    esm = client.load_program(ESM_MAIN, ESM_MODULES, type="module")
    cjs = client.load_program(CJS_MAIN, CJS_MODULES, type="commonjs")
    page = client.load_program(BROWSER_SCRIPT, browser=BROWSER)
    with esm.context() as s:
        assert (s.call("default", 1), s.call("Lib.encrypt", "s")) == (3, "Ks+late")
    with cjs.context() as s:
        assert s.call("sign", "s") == "<s>!"
    with page.context() as s:
        assert s.call("env") == BROWSER_ENV


def test_type_argument_is_checked() -> None:
    from jscore import _requests as rq

    assert rq.load_program_request("x", type="MODULE").type == pb.SOURCE_TYPE_MODULE
    commonjs = rq.load_program_request("x", type=pb.SOURCE_TYPE_COMMONJS)
    assert commonjs.type == pb.SOURCE_TYPE_COMMONJS
    assert rq.load_program_request("x").type == pb.SOURCE_TYPE_SCRIPT
    request = rq.load_program_request("x", browser={"user_agent": "U", "languages": ["fr"]})
    assert request.profile == pb.PROFILE_BROWSER
    assert (request.browser.user_agent, list(request.browser.languages)) == ("U", ["fr"])
    for bad in ("esm", 7, True):
        with pytest.raises(ValueError):
            rq.load_program_request("x", type=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rq.load_program_request("x", browser={"agent": "U"})


def test_aio_client_loads_every_kind(address: str) -> None:
    async def main() -> Any:
        async with jscore.aio.Client(address, timeout=5.0) as c:
            script = await c.load_program(SCRIPT)
            cjs = await c.load_program(CJS_MAIN, CJS_MODULES, type="commonjs")
            esm = await c.load_program(ESM_MAIN, ESM_MODULES, type="module")
            page = await c.load_program(BROWSER_SCRIPT, browser=BROWSER)
            await c.validate(ESM_MAIN, ESM_MODULES, type="module")
            answers = [
                await script.call("Lib.encrypt", "a"), await script.call("add", 1, 1),
                await script.call("C.make", 3), await script.call("plain", "p"),
                await cjs.call("sign", "c"), await esm.call("default", 2),
                await esm.call("Lib.encrypt", "e"), await page.call("env"),
                await c.evaluate("export default 1 + 1;", type="module"),
            ]
            await esm.unload()
            answers.append(await esm.call("sign", "again"))  # re-sent as a module
            batch = [r.value async for r in c.batch([jscore.CallItem("status", program=esm)])]
            return answers, batch

    answers, batch = asyncio.run(main())
    assert answers == [
        "K:a", 2, 6, "plain p", "<c>!", 5, "Ke+late", BROWSER_ENV, {"default": 2}, "again:s4lt",
    ]
    assert batch == ["ready"]
