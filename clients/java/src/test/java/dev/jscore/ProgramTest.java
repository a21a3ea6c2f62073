package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.jscore.v1.CallRequest;
import dev.jscore.v1.ErrorDetail;
import dev.jscore.v1.UnloadProgramRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;

/** Programs: load once, call many; modules; the transparent reload. */
public class ProgramTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static JsCoreClient client() {
    return daemon.client();
  }

  private static void unloadWithRawStub(Program p) {
    client().stub().unloadProgram(UnloadProgramRequest.newBuilder().setProgram(p.id()).build());
  }

  @Test
  public void loadAndCall() {
    Program p = client().loadProgram(
        "function sign(s, n) { return s + ':' + n }\n"
            + "var CryptoLib = {k: 3, encrypt(x) { return x * this.k }};\n"
            + "async function later(x) { await new Promise(r => setTimeout(r, 5)); return [x] }");
    assertEquals(64, p.id().length());
    assertEquals("a:1", p.call("sign", "a", 1));
    assertEquals(42L, p.call("CryptoLib.encrypt", 14));
    assertEquals(List.of("x"), p.call("later", "x"));
    assertEquals(p.id(), client().loadProgram(p.source()).id()); // content-addressed
    Result r = p.callResult(Call.of("sign", "b", 2));
    assertEquals("b:2", r.value());
  }

  @Test
  public void modulesAreRequirable() {
    Program p = client().loadProgram(
        "const m = require('m'); function f(x) { return m.twice(x) + require('n').k }",
        Map.of("m", "exports.twice = x => x * 2", "n", "module.exports = {k: 1}"));
    assertEquals(43L, p.call("f", 21));
  }

  @Test
  public void freshCallsSeeNoEarlierState() {
    Program p = client().loadProgram("var n = 0; function inc() { return ++n }");
    p.call("inc");
    assertEquals(1L, p.call(Call.of("inc").fresh(true)));
  }

  @Test
  public void syntaxErrorsOnLoad() {
    JsErrorException e = assertThrows(JsErrorException.class,
        () -> client().loadProgram("function broken( {"));
    assertEquals("SyntaxError", e.name());
    assertTrue(e.line() >= 1);
  }

  @Test
  public void callErrors() {
    Program p = client().loadProgram("function fail(m) { throw new RangeError(m) }");
    JsErrorException e = assertThrows(JsErrorException.class, () -> p.call("fail", "boom"));
    assertEquals("RangeError", e.name());
    assertEquals("boom", e.message());
    assertThrows(JsErrorException.class, () -> p.call("missing"));
    assertThrows(JsCoreTimeoutException.class, () -> client().loadProgram("function spin() { for (;;) {} }")
        .call(Call.of("spin").timeout(Duration.ofMillis(100))));
  }

  @Test
  public void unknownProgramIdIsFailedPreconditionWithDetail() throws Exception {
    String id = "0".repeat(64);
    StatusRuntimeException raw = assertThrows(StatusRuntimeException.class, () -> client().stub()
        .call(CallRequest.newBuilder().setProgram(id).setFunction("f").build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, raw.getStatus().getCode());
    ErrorDetail detail = ErrorDetail.parseFrom(raw.getTrailers().get(Responses.ERROR_DETAIL_KEY));
    assertEquals(ErrorDetail.Reason.PROGRAM_NOT_LOADED, detail.getReason());
    assertEquals(id, detail.getProgram());
    JsCoreException mapped = Responses.fromThrowable(raw);
    assertEquals(Status.Code.FAILED_PRECONDITION, mapped.code());
    assertTrue(mapped.isProgramNotLoaded());
    // A batch item that names a bare id cannot be re-sent: it fails with that code.
    try (BatchStream results = client().batch(List.of(Call.of("f").program(id)))) {
      BatchResult r = results.next();
      assertEquals(Status.Code.FAILED_PRECONDITION, r.code());
      assertEquals(Status.Code.FAILED_PRECONDITION,
          assertThrows(JsCoreException.class, r::value).code());
    }
  }

  @Test
  public void reloadAfterUnloadIsTransparent() {
    Program p = client().loadProgram("function f(x) { return x + 1 } // reload-blocking");
    assertEquals(2L, p.call("f", 1));
    unloadWithRawStub(p);
    StatusRuntimeException raw = assertThrows(StatusRuntimeException.class, () -> client().stub()
        .call(CallRequest.newBuilder().setProgram(p.id()).setFunction("f").build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, raw.getStatus().getCode());
    // The Program object re-sends it and retries once.
    assertEquals(3L, p.call("f", 2));
    assertEquals(4L, p.call("f", 3));
    unloadWithRawStub(p);
    assertEquals(5L, p.callResult(Call.of("f", 4)).value());
  }

  @Test
  public void reloadAfterUnloadAsync() throws Exception {
    Program p = client().loadProgram("function f(x) { return x * 3 } // reload-async");
    unloadWithRawStub(p);
    assertEquals(9L, p.callAsync("f", 3).get(10, TimeUnit.SECONDS));
    unloadWithRawStub(p);
    assertEquals(12L, p.callResultAsync(Call.of("f", 4)).get(10, TimeUnit.SECONDS).value());
  }

  @Test
  public void sessionFromUnloadedProgramReloads() {
    Program p = client().loadProgram("var base = 10; function add(x) { return base + x } // reload-session");
    unloadWithRawStub(p);
    try (Session s = p.createSession()) {
      assertEquals(15L, s.call("add", 5));
    }
  }

  @Test
  public void unloadThenUnknown() {
    Program p = client().loadProgram("function h() { return 1 } // unload");
    p.unload();
    assertThrows(NotFoundException.class, p::unload);
    assertEquals(1L, p.call("h")); // reloaded
  }

  @Test
  public void loadProgramAsync() throws Exception {
    Program p = client().loadProgramAsync("function k() { return 'k' }", null).get(10, TimeUnit.SECONDS);
    assertEquals("k", p.call("k"));
    assertNotNull(p.toString());
  }
}
