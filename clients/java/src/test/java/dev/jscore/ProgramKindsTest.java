package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.jscore.v1.BrowserProfile;
import dev.jscore.v1.SourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Every kind of program through the Java client (issue 14): a script's top-level
 * const/let/class/function bindings, a CommonJS graph, an ES module graph and a
 * browser-profile program; loaded with {@link ProgramSource}, called through {@link
 * Program#call} and a batch, re-sent whole when the daemon lost them. The graphs are our own,
 * small, written for this.
 */
public class ProgramKindsTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static JsCoreClient client() {
    return daemon.client();
  }

  static final String SCRIPT =
      "const Lib = { key: 'K', encrypt(s) { return this.key + ':' + s; } };\n"
          + "let add = (a, b) => a + b;\n"
          + "class C { constructor(v) { this.v = v; } static make(v) { return new C(v).v * 2; } }\n"
          + "function plain(x) { return 'plain ' + x; }\n";

  // Relative requires (a folder's index.js, an extension left out, a parent folder), a
  // .json module, Node's module scope (this, __filename, __dirname).
  static final Map<String, String> CJS_MODULES = Map.of(
      "lib/index.js",
      "const util = require('./util');\n"
          + "const config = require('../config.json');\n"
          + "module.exports = { sign: (s) => util.tag(s) + config.suffix,\n"
          + "  self: this === module.exports, file: __filename, dir: __dirname };",
      "lib/util.js", "exports.tag = (s) => '<' + s + '>';",
      "config.json", "{\"suffix\": \"!\"}");
  static final String CJS_MAIN =
      "const lib = require('./lib');\n"
          + "module.exports = { sign: lib.sign,\n"
          + "  info: { where: () => [lib.self, lib.file, lib.dir] } };";

  // Default and named exports, a JSON import, a CommonJS import, import() and top-level await.
  static final Map<String, String> ESM_MODULES = Map.of(
      "lib/math.mjs",
      "export const double = (x) => x * 2;\nexport default function inc(x) { return x + 1; }",
      "lib/data.json", "{\"salt\": \"s4lt\"}",
      "lib/legacy.cjs", "module.exports = { legacy: (x) => 'legacy ' + x };",
      "lib/late.mjs", "export const late = '+late';");
  static final String ESM_MAIN =
      "import inc, { double } from './lib/math.mjs';\n"
          + "import data from './lib/data.json' assert { type: 'json' };\n"
          + "import cjs from './lib/legacy.cjs';\n"
          + "const { late } = await import('./lib/late.mjs');\n"
          + "const ready = await Promise.resolve('ready');\n"
          + "export default function main(x) { return inc(double(x)); }\n"
          + "export function sign(s) { return s + ':' + data.salt; }\n"
          + "export const Lib = { k: 'K', encrypt(s) { return this.k + s + late; } };\n"
          + "export const legacy = cjs.legacy;\n"
          + "export const status = () => ready;\n";

  static final String BROWSER_SCRIPT =
      "function env() {\n"
          + "  return { ua: navigator.userAgent,\n"
          + "           isWindow: window === globalThis && self === window,\n"
          + "           url: document.URL, href: location.href,"
          + " hasDocument: typeof document.createElement };\n"
          + "}\n"
          + "window.attached = { ping: () => 'pong' };\n";
  static final BrowserProfile BROWSER = BrowserProfile.newBuilder()
      .setUserAgent("jscore-test/1.0").setUrl("https://example.test/page").build();
  static final Map<String, Object> BROWSER_ENV = Map.of(
      "ua", "jscore-test/1.0", "isWindow", true, "url", "https://example.test/page",
      "href", "https://example.test/page", "hasDocument", "function");

  static Program esm() {
    return client().loadProgram(ProgramSource.of(ESM_MAIN).module().modules(ESM_MODULES));
  }

  static Program page() {
    return client().loadProgram(ProgramSource.of(BROWSER_SCRIPT).browser(BROWSER));
  }

  @Test
  public void scriptReachesTopLevelConstLetClassAndFunction() {
    Program p = client().loadProgram(SCRIPT);
    assertEquals("K:x", p.call("Lib.encrypt", "x"));
    assertEquals(5L, p.call("add", 2, 3));
    assertEquals(42L, p.call("C.make", 21));
    assertEquals("plain y", p.call("plain", "y"));
    JsErrorException e = assertThrows(JsErrorException.class, () -> p.call("Lib.missing"));
    assertEquals("TypeError", e.name());
  }

  @Test
  public void commonJsGraph() {
    Program p = client().loadProgram(ProgramSource.of(CJS_MAIN).commonJs().modules(CJS_MODULES));
    assertEquals(SourceType.SOURCE_TYPE_COMMONJS, p.type());
    assertEquals("<a>!", p.call("sign", "a"));
    assertEquals(List.of(true, "/lib/index.js", "/lib"), p.call("info.where"));
    Program script = client().loadProgram(CJS_MAIN, CJS_MODULES);
    assertThrows(JsErrorException.class, () -> script.call("sign", "a"));
  }

  @Test
  public void esModuleGraph() {
    Program p = esm();
    assertEquals(11L, p.call("default", 5));
    assertEquals("a:s4lt", p.call("sign", "a"));
    assertEquals("Kx+late", p.call("Lib.encrypt", "x"));
    assertEquals("legacy y", p.call("legacy", "y"));
    assertEquals("ready", p.call("status"));
    assertEquals("b:s4lt", p.call(Call.of("sign", "b").fresh(true)));
    assertEquals("c:s4lt", p.callAsync("sign", "c").join());
    JsErrorException script = assertThrows(
        JsErrorException.class, () -> client().loadProgram(ESM_MAIN, ESM_MODULES));
    assertEquals("SyntaxError", script.name());
    client().validate(ProgramSource.of(ESM_MAIN).module().modules(ESM_MODULES));
    JsErrorException syntax = assertThrows(JsErrorException.class,
        () -> client().validate(ProgramSource.of("export const x = ;").module()));
    assertEquals("SyntaxError", syntax.name());
    // LoadProgram compiles each file; the graph is linked when a context first runs it.
    Program missing = client().loadProgram(
        ProgramSource.of("import x from './nowhere.mjs'; export default x;").module());
    JsErrorException unresolved =
        assertThrows(JsErrorException.class, () -> missing.call("default"));
    assertTrue(unresolved.message(), unresolved.message().contains("nowhere.mjs"));
    Program async = client().loadProgramAsync(
        ProgramSource.of(ESM_MAIN).module().modules(ESM_MODULES)).join();
    assertEquals(p.id(), async.id());
  }

  @Test
  public void browserProfileProgram() {
    Program p = page();
    assertEquals(BROWSER_ENV, p.call("env"));
    assertEquals("pong", p.call("attached.ping"));
    assertEquals("pong", p.call("window.attached.ping"));
    Program defaults = client().loadProgram(ProgramSource.of(BROWSER_SCRIPT).browser());
    assertNotEquals(p.id(), defaults.id());
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) defaults.call("env");
    assertTrue(env.toString(), ((String) env.get("ua")).startsWith("Mozilla/5.0"));
    Program plain = client().loadProgram(BROWSER_SCRIPT); // compiles; its top level needs a window
    JsErrorException e = assertThrows(JsErrorException.class, () -> plain.call("env"));
    assertTrue(e.message(), e.message().contains("window"));
  }

  @Test
  public void evaluateModuleGraphAndCommonJs() {
    assertEquals(Map.of("answer", 11L, "default", "d"), client().evaluate(
        Eval.of("import inc from './lib/math.mjs';\nexport const answer = inc(10);\n"
                + "export default 'd';")
            .type(SourceType.SOURCE_TYPE_MODULE).modules(ESM_MODULES)));
    assertEquals("<e>!", client().evaluate(
        Eval.of("module.exports = require('./lib').sign('e')")
            .type(SourceType.SOURCE_TYPE_COMMONJS).modules(CJS_MODULES)));
    assertEquals(Map.of("n", 4L), client().evaluate(
        Eval.of("export const n = await Promise.resolve(4);").type(SourceType.SOURCE_TYPE_MODULE)));
    JsErrorException e = assertThrows(
        JsErrorException.class, () -> client().evaluate("export const x = 1;"));
    assertEquals("SyntaxError", e.name());
  }

  @Test
  public void batchCallsIntoEveryKind() {
    Program script = client().loadProgram(SCRIPT);
    Program cjs = client().loadProgram(ProgramSource.of(CJS_MAIN).commonJs().modules(CJS_MODULES));
    Program esm = esm();
    Program page = page();
    List<BatchItem> items = List.of(
        Call.of("C.make", 2).program(script).id("class"),
        Call.of("add", 1, 2).program(script).id("let"),
        Call.of("sign", "b").program(cjs).id("cjs"),
        Call.of("Lib.encrypt", "z").program(esm).id("esm"),
        Call.of("env").program(page).id("browser"),
        Eval.of("import { double } from './lib/math.mjs'; export const d = double(4);")
            .type(SourceType.SOURCE_TYPE_MODULE).modules(ESM_MODULES).id("eval-esm"),
        Eval.of("module.exports = 'cjs eval'")
            .type(SourceType.SOURCE_TYPE_COMMONJS)
            .id("eval-cjs"));
    Map<String, Object> got = new HashMap<>();
    client().batch(items).forEachRemaining(r -> got.put(r.id(), r.value()));
    assertEquals(Map.of(
        "class", 4L, "let", 3L, "cjs", "<b>!", "esm", "Kz+late", "browser", BROWSER_ENV,
        "eval-esm", Map.of("d", 8L), "eval-cjs", "cjs eval"), got);
  }

  @Test
  public void programIsResentWithItsTypeAndProfile() {
    Program esm = esm();
    Program page = page();
    List<String> ids = List.of(esm.id(), page.id());
    esm.unload();
    page.unload();
    assertEquals("r:s4lt", esm.call("sign", "r")); // re-sent as a module, not a script
    assertEquals(BROWSER_ENV, page.call("env")); // re-sent with its profile
    assertEquals(ids, List.of(esm.id(), page.id()));
    esm.unload();
    assertEquals("a:s4lt", esm.callAsync("sign", "a").join());
  }

  @Test
  public void sessionsStartFromEveryKind() {
    try (Session s = client().createSession(SessionOptions.create().program(esm()))) {
      assertEquals("Ks+late", s.call("Lib.encrypt", "s"));
    }
    Program cjs = client().loadProgram(ProgramSource.of(CJS_MAIN).commonJs().modules(CJS_MODULES));
    try (Session s = client().createSession(SessionOptions.create().program(cjs))) {
      assertEquals("<s>!", s.call("sign", "s"));
    }
    try (Session s = page().createSession()) {
      assertEquals(BROWSER_ENV, s.call("env"));
    }
  }

  @Test
  public void badTypesAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> ProgramSource.of("x").type(SourceType.UNRECOGNIZED));
    assertThrows(IllegalArgumentException.class, () -> Eval.of("1").type(null));
  }
}
