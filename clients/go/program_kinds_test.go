// Every kind of program through the Go client (issue 14): a script's top-level
// const/let/class/function bindings, a CommonJS graph, an ES module graph and a
// browser-profile program; loaded with LoadProgram's options (CommonJS, ESModule,
// Modules, Browser), called through Program.Call and Batch, re-sent whole when the
// daemon lost them. The graphs are our own, small, written for this.

package jscore_test

import (
	"reflect"
	"strings"
	"testing"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"
)

const kindsScript = `
const Lib = { key: 'K', encrypt(s) { return this.key + ':' + s; } };
let add = (a, b) => a + b;
class C { constructor(v) { this.v = v; } static make(v) { return new C(v).v * 2; } }
function plain(x) { return 'plain ' + x; }
`

// A CommonJS graph: relative requires (a folder's index.js, an extension left out, a
// parent folder), a .json module, Node's module scope (this, __filename, __dirname).
var kindsCjsModules = map[string]string{
	"lib/index.js": `const util = require('./util');
const config = require('../config.json');
module.exports = { sign: (s) => util.tag(s) + config.suffix,
  self: this === module.exports, file: __filename, dir: __dirname };`,
	"lib/util.js": "exports.tag = (s) => '<' + s + '>';",
	"config.json": `{"suffix": "!"}`,
}

const kindsCjsMain = `
const lib = require('./lib');
module.exports = { sign: lib.sign, info: { where: () => [lib.self, lib.file, lib.dir] } };
`

// An ES module graph: default and named exports, a JSON import, a CommonJS import
// (its module.exports as the default), import() and top-level await.
var kindsEsmModules = map[string]string{
	"lib/math.mjs":   "export const double = (x) => x * 2;\nexport default function inc(x) { return x + 1; }",
	"lib/data.json":  `{"salt": "s4lt"}`,
	"lib/legacy.cjs": "module.exports = { legacy: (x) => 'legacy ' + x };",
	"lib/late.mjs":   "export const late = '+late';",
}

const kindsEsmMain = `
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
`

const kindsBrowserScript = `
function env() {
  return { ua: navigator.userAgent, isWindow: window === globalThis && self === window,
           url: document.URL, href: location.href, hasDocument: typeof document.createElement };
}
window.attached = { ping: () => 'pong' };
`

var (
	kindsBrowser    = &jscorev1.BrowserProfile{UserAgent: "jscore-test/1.0", Url: "https://example.test/page"}
	kindsBrowserEnv = map[string]any{
		"ua": "jscore-test/1.0", "isWindow": true, "url": "https://example.test/page",
		"href": "https://example.test/page", "hasDocument": "function",
	}
)

// expectCall calls function(args...) of p and compares the value with want.
func expectCall(t *testing.T, p *jscore.Program, want any, function string, args ...any) {
	t.Helper()
	r, err := p.Call(ctxT(t), function, args...)
	if err != nil {
		t.Errorf("%s: %v", function, err)
		return
	}
	if !reflect.DeepEqual(r.Value(), want) {
		t.Errorf("%s = %#v, want %#v", function, r.Value(), want)
	}
}

func mustLoad(t *testing.T, src string, opts ...jscore.ProgramOption) *jscore.Program {
	t.Helper()
	p, err := client.LoadProgram(ctxT(t), src, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProgramKindScript(t *testing.T) {
	p := mustLoad(t, kindsScript)
	expectCall(t, p, "K:x", "Lib.encrypt", "x")
	expectCall(t, p, 5.0, "add", 2, 3)
	expectCall(t, p, 42.0, "C.make", 21)
	expectCall(t, p, "plain y", "plain", "y")
	if _, err := p.Call(ctxT(t), "Lib.missing"); !isJsError(err, "TypeError") {
		t.Errorf("Lib.missing: %v, want a TypeError", err)
	}
}

func TestProgramKindCommonJS(t *testing.T) {
	p := mustLoad(t, kindsCjsMain, jscore.CommonJS(), jscore.Modules(kindsCjsModules))
	if p.Type() != jscorev1.SourceType_SOURCE_TYPE_COMMONJS {
		t.Errorf("Type() = %v", p.Type())
	}
	expectCall(t, p, "<a>!", "sign", "a")
	expectCall(t, p, []any{true, "/lib/index.js", "/lib"}, "info.where")
	script := mustLoad(t, kindsCjsMain, jscore.Modules(kindsCjsModules))
	if _, err := script.Call(ctxT(t), "sign", "a"); err == nil {
		t.Error("the CommonJS source loaded as a script answered a call into module.exports")
	}
}

func TestProgramKindESModule(t *testing.T) {
	p := mustLoad(t, kindsEsmMain, jscore.ESModule(), jscore.Modules(kindsEsmModules))
	expectCall(t, p, 11.0, "default", 5)
	expectCall(t, p, "a:s4lt", "sign", "a")
	expectCall(t, p, "Kx+late", "Lib.encrypt", "x")
	expectCall(t, p, "legacy y", "legacy", "y")
	expectCall(t, p, "ready", "status")
	if r, err := p.CallWith(ctxT(t), "sign", []any{"b"}, jscore.Fresh()); err != nil || r.Value() != "b:s4lt" {
		t.Errorf("fresh call: %v %v", r, err)
	}
	if _, err := client.LoadProgram(ctxT(t), kindsEsmMain, jscore.Modules(kindsEsmModules)); !isJsError(err, "SyntaxError") {
		t.Errorf("the module loaded as a script: %v, want a SyntaxError", err)
	}
	if err := client.Validate(ctxT(t), kindsEsmMain, jscore.ESModule(), jscore.Modules(kindsEsmModules)); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := client.Validate(ctxT(t), "export const x = ;", jscore.ESModule()); !isJsError(err, "SyntaxError") {
		t.Errorf("Validate of a syntax error: %v", err)
	}
	// LoadProgram compiles each file; the graph is linked when a context first runs it.
	missing := mustLoad(t, "import x from './nowhere.mjs'; export default x;", jscore.ESModule())
	if _, err := missing.Call(ctxT(t), "default"); !isJsError(err, "") || !strings.Contains(err.Error(), "nowhere.mjs") {
		t.Errorf("a missing import: %v", err)
	}
	if _, err := p.CallWith(ctxT(t), "sign", []any{"c"}, jscore.ESModule()); err == nil {
		t.Error("a source type on a call: no error")
	}
}

func TestProgramKindBrowser(t *testing.T) {
	p := mustLoad(t, kindsBrowserScript, jscore.Browser(kindsBrowser))
	expectCall(t, p, kindsBrowserEnv, "env")
	expectCall(t, p, "pong", "attached.ping")
	expectCall(t, p, "pong", "window.attached.ping")
	defaults := mustLoad(t, kindsBrowserScript, jscore.Browser(nil))
	if defaults.ID() == p.ID() {
		t.Error("two browser profiles, one program id")
	}
	r, err := defaults.Call(ctxT(t), "env")
	if err != nil || !strings.HasPrefix(r.Value().(map[string]any)["ua"].(string), "Mozilla/5.0") {
		t.Errorf("default profile: %v %v", r, err)
	}
	plain := mustLoad(t, kindsBrowserScript) // compiles; its top level needs a window
	if _, err := plain.Call(ctxT(t), "env"); !isJsError(err, "") || !strings.Contains(err.Error(), "window") {
		t.Errorf("window without the browser profile: %v", err)
	}
}

func TestEvaluateModuleGraphAndCommonJS(t *testing.T) {
	r, err := client.Evaluate(ctxT(t), "import inc from './lib/math.mjs';\nexport const answer = inc(10);\nexport default 'd';",
		jscore.ESModule(), jscore.Modules(kindsEsmModules))
	if want := map[string]any{"answer": 11.0, "default": "d"}; err != nil || !reflect.DeepEqual(r.Value(), want) {
		t.Errorf("module evaluation: %v %v, want %v", r, err, want)
	}
	r, err = client.Evaluate(ctxT(t), "module.exports = require('./lib').sign('e')",
		jscore.CommonJS(), jscore.Modules(kindsCjsModules))
	if err != nil || r.Value() != "<e>!" {
		t.Errorf("CommonJS evaluation: %v %v", r, err)
	}
	r, err = client.Evaluate(ctxT(t), "export const n = await Promise.resolve(4);",
		jscore.Type(jscorev1.SourceType_SOURCE_TYPE_MODULE))
	if want := map[string]any{"n": 4.0}; err != nil || !reflect.DeepEqual(r.Value(), want) {
		t.Errorf("top-level await: %v %v", r, err)
	}
	if _, err := client.Evaluate(ctxT(t), "export const x = 1;"); !isJsError(err, "SyntaxError") {
		t.Errorf("a module as a script: %v, want a SyntaxError", err)
	}
}

func TestBatchCallsIntoEveryKind(t *testing.T) {
	script := mustLoad(t, kindsScript)
	cjs := mustLoad(t, kindsCjsMain, jscore.CommonJS(), jscore.Modules(kindsCjsModules))
	esm := mustLoad(t, kindsEsmMain, jscore.ESModule(), jscore.Modules(kindsEsmModules))
	page := mustLoad(t, kindsBrowserScript, jscore.Browser(kindsBrowser))
	items := []jscore.BatchItem{
		{ID: "class", Function: "C.make", Args: []any{2}, Program: script},
		{ID: "let", Function: "add", Args: []any{1, 2}, Program: script},
		{ID: "cjs", Function: "sign", Args: []any{"b"}, Program: cjs},
		{ID: "esm", Function: "Lib.encrypt", Args: []any{"z"}, Program: esm},
		{ID: "browser", Function: "env", Program: page},
		{ID: "eval-esm", Source: "import { double } from './lib/math.mjs'; export const d = double(4);",
			Type: jscorev1.SourceType_SOURCE_TYPE_MODULE, Modules: kindsEsmModules},
		{ID: "eval-cjs", Source: "module.exports = 'cjs eval'", Type: jscorev1.SourceType_SOURCE_TYPE_COMMONJS},
	}
	got := map[string]any{}
	for r := range client.Batch(ctxT(t), items) {
		if r.Err != nil {
			t.Errorf("item %s: %v", r.ID, r.Err)
		}
		got[r.ID] = r.Value
	}
	want := map[string]any{
		"class": 4.0, "let": 3.0, "cjs": "<b>!", "esm": "Kz+late", "browser": kindsBrowserEnv,
		"eval-esm": map[string]any{"d": 8.0}, "eval-cjs": "cjs eval",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("batch: %#v, want %#v", got, want)
	}
}

func TestProgramResentWithItsTypeAndProfile(t *testing.T) {
	esm := mustLoad(t, kindsEsmMain, jscore.ESModule(), jscore.Modules(kindsEsmModules))
	page := mustLoad(t, kindsBrowserScript, jscore.Browser(kindsBrowser))
	ids := []string{esm.ID(), page.ID()}
	for _, p := range []*jscore.Program{esm, page} {
		if err := p.Unload(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	}
	expectCall(t, esm, "r:s4lt", "sign", "r")   // re-sent as a module, not a script
	expectCall(t, page, kindsBrowserEnv, "env") // re-sent with its profile
	if got := []string{esm.ID(), page.ID()}; !reflect.DeepEqual(got, ids) {
		t.Errorf("ids after re-sending: %v, want %v", got, ids)
	}
	if err := esm.Unload(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	for r := range client.Batch(ctxT(t), []jscore.BatchItem{{Function: "default", Args: []any{2}, Program: esm}}) {
		if r.Err != nil || r.Value != 5.0 {
			t.Errorf("batch after unload: %v %v", r.Value, r.Err)
		}
	}
}

func TestSessionsStartFromEveryKind(t *testing.T) {
	for _, c := range []struct {
		p        *jscore.Program
		function string
		args     []any
		want     any
	}{
		{mustLoad(t, kindsEsmMain, jscore.ESModule(), jscore.Modules(kindsEsmModules)), "Lib.encrypt", []any{"s"}, "Ks+late"},
		{mustLoad(t, kindsCjsMain, jscore.CommonJS(), jscore.Modules(kindsCjsModules)), "sign", []any{"s"}, "<s>!"},
		{mustLoad(t, kindsBrowserScript, jscore.Browser(kindsBrowser)), "env", nil, kindsBrowserEnv},
	} {
		s, err := c.p.NewSession(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Call(ctxT(t), c.function, c.args...)
		if err != nil || !reflect.DeepEqual(r.Value(), c.want) {
			t.Errorf("session %s: %v %v, want %v", c.function, r, err, c.want)
		}
		s.Close()
	}
}

// isJsError: err is a *JsError (named `name`, unless name is "").
func isJsError(err error, name string) bool {
	je, ok := err.(*jscore.JsError)
	return ok && (name == "" || je.Name == name)
}
