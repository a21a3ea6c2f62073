package dev.jscore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.grpc.Status;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;

/** Evaluate: values, globals, async variants, errors and status codes. */
public class EvaluateTest {
  @ClassRule public static final Daemon daemon = new Daemon("--max_source_bytes=1048576");

  private static JsCoreClient client() {
    return daemon.client();
  }

  @Test
  public void evaluatesExpressions() {
    assertEquals(3L, client().evaluate("1 + 2"));
    assertEquals(0.5, client().evaluate("1 / 2"));
    assertEquals("ab", client().evaluate("'a' + 'b'"));
    assertEquals(true, client().evaluate("1 < 2"));
    assertNull(client().evaluate("null"));
    assertEquals(List.of(1L, "x", Map.of("y", false)), client().evaluate("[1, 'x', {y: false}]"));
  }

  @Test
  public void globalsBecomeVariables() {
    assertEquals(42L, client().evaluate("x * 2", Map.of("x", 21)));
    Map<String, Object> globals = Map.of(
        "s", "str", "list", List.of(1, 2, 3), "obj", Map.of("k", List.of(true)),
        "when", Instant.parse("2024-01-02T03:04:05.678Z"), "raw", new byte[] {1, (byte) 255});
    Object got = client().evaluate(
        "[s, list.length, obj.k[0], new Date(when).getTime(), new Uint8Array(raw)]", globals);
    List<?> list = (List<?>) got;
    assertEquals("str", list.get(0));
    assertEquals(3L, list.get(1));
    assertEquals(true, list.get(2));
    assertEquals(Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli(), list.get(3));
    assertArrayEquals(new byte[] {1, (byte) 255}, (byte[]) list.get(4));
    assertEquals(7L, client().evaluate(Eval.of("a + b").global("a", 3).global("b", 4L)));
  }

  @Test
  public void promisesAndTimersAreAwaited() {
    Object v = client().evaluate(
        "(async () => { await new Promise(r => setTimeout(r, 20)); return {a: [1, 'x', null]} })()");
    assertEquals(Map.of("a", java.util.Arrays.asList(1L, "x", null)), v);
  }

  @Test
  public void resultCarriesConsoleAndStats() {
    Result r = client().evaluateResult(Eval.of("console.log('hi', 1); console.warn('w'); 42"));
    assertEquals(42L, r.value());
    assertEquals(List.of(new ConsoleLine("log", "hi 1"), new ConsoleLine("warn", "w")), r.console());
    assertFalse(r.isUndefined());
    assertTrue(r.stats().worker() >= 0);
    assertFalse(r.stats().wallTime().isNegative());
    Result u = client().evaluateResult(Eval.of("undefined"));
    assertTrue(u.isUndefined());
    assertNull(u.value());
  }

  @Test
  public void bareEcmaScriptHasNoTimers() {
    assertEquals("undefined", client().evaluate(Eval.of("typeof setTimeout").extensions(false)));
    assertEquals("function", client().evaluate("typeof setTimeout"));
  }

  @Test
  public void asyncVariantsComplete() throws Exception {
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(client().evaluateAsync("n * n", Map.of("n", i)));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertEquals((long) i * i, futures.get(i).get(10, TimeUnit.SECONDS));
    }
    Result r = client().evaluateResultAsync(Eval.of("console.log('x'); 'y'")).join();
    assertEquals("y", r.value());
    assertEquals("x", r.console().get(0).text());
  }

  @Test
  public void asyncErrorsAreJsCoreExceptions() {
    CompletableFuture<Object> f = client().evaluateAsync("throw new TypeError('bad')");
    CompletionException e = assertThrows(CompletionException.class, f::join);
    JsErrorException js = (JsErrorException) e.getCause();
    assertEquals("TypeError", js.name());
    assertEquals("bad", js.message());
    ExecutionException e2 = assertThrows(ExecutionException.class,
        () -> client().evaluateAsync(Eval.of("while (true) {}").timeout(Duration.ofMillis(100))).get());
    assertTrue(e2.getCause() instanceof JsCoreTimeoutException);
    // A request that cannot be built fails the future rather than throwing.
    CompletableFuture<Object> bad = client().evaluateAsync("x", Map.of("x", new Object()));
    assertTrue(assertThrows(CompletionException.class, bad::join).getCause()
        instanceof IllegalArgumentException);
  }

  @Test
  public void cancellingAFutureCancelsTheCall() {
    long start;
    try (JsCoreClient c = daemon.newClient().build()) {
      CompletableFuture<Object> f = c.evaluateAsync(
          Eval.of("new Promise(r => setTimeout(r, 10000))").timeout(Duration.ofSeconds(20)));
      assertTrue(f.cancel(true));
      assertThrows(CancellationException.class, f::join);
      Program p = c.loadProgram("function wait() { return new Promise(r => setTimeout(r, 10000)) }");
      CompletableFuture<Object> g = p.callAsync(Call.of("wait").timeout(Duration.ofSeconds(20)));
      assertTrue(g.cancel(true));
      assertEquals(1L, c.evaluate("1")); // the client is still fine
      start = System.nanoTime();
    }
    // close() waits for calls in flight: none is left, so it returns at once.
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  public void jsErrorsCarryNameMessageStackAndPosition() {
    JsErrorException e = assertThrows(JsErrorException.class,
        () -> client().evaluate(Eval.of("let a = 1;\nnull.x").filename("f.js")));
    assertEquals("TypeError", e.name());
    assertTrue(e.message(), e.message().contains("null"));
    assertEquals(2, e.line());
    assertTrue(e.column() > 0);
    assertTrue(e.stack(), e.stack().contains("f.js"));
    assertNull(e.code());
    assertTrue(e.getMessage().startsWith("TypeError: "));

    JsErrorException rejected = assertThrows(JsErrorException.class,
        () -> client().evaluate("Promise.reject(new RangeError('r'))"));
    assertEquals("RangeError", rejected.name());

    JsErrorException withConsole = assertThrows(JsErrorException.class,
        () -> client().evaluate("console.log('before'); throw new Error('x')"));
    assertEquals("before", withConsole.console().get(0).text());
  }

  @Test
  public void timeoutsAreDeadlineExceeded() {
    long start = System.nanoTime();
    JsCoreTimeoutException e = assertThrows(JsCoreTimeoutException.class,
        () -> client().evaluate(Eval.of("while (true) {}").timeout(Duration.ofMillis(200))));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    // awaiting past the deadline too
    assertThrows(JsCoreTimeoutException.class, () -> client().evaluate(
        Eval.of("new Promise(r => setTimeout(r, 5000))").timeout(Duration.ofMillis(100))));
    assertEquals(2L, client().evaluate("1 + 1")); // the worker stays usable
  }

  @Test
  public void clientDefaultTimeoutApplies() {
    try (JsCoreClient c = daemon.newClient().timeout(Duration.ofMillis(150)).build()) {
      assertThrows(JsCoreTimeoutException.class, () -> c.evaluate("while (true) {}"));
      assertEquals(1L, c.evaluate("1"));
    }
  }

  @Test
  public void hookDataIsHookedException() {
    HookedException h = assertThrows(HookedException.class,
        () -> client().evaluate("console.log('c'); $terminate({a: 1n, b: [new Date(0)]}); 1"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) h.data();
    assertEquals(BigInteger.ONE, data.get("a"));
    assertEquals(List.of(Instant.EPOCH), data.get("b"));
    assertNull(h.code());
    assertEquals("c", h.console().get(0).text());
  }

  @Test
  public void malformedRequestsAreInvalidArgument() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> client().evaluate("1", Map.of("", 1)));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    String big = "1;" + " ".repeat(2 << 20);
    assertThrows(InvalidArgumentException.class, () -> client().evaluate(big));
  }

  @Test
  public void unknownSessionIsNotFound() {
    NotFoundException e = assertThrows(NotFoundException.class,
        () -> client().evaluate(Eval.of("1").session("no-such-session")));
    assertEquals(Status.Code.NOT_FOUND, e.code());
  }

  @Test
  public void unreachableDaemonIsUnavailable() {
    try (JsCoreClient c = JsCoreClient.builder().target("127.0.0.1:1")
        .timeout(Duration.ofSeconds(2)).build()) {
      UnavailableException e = assertThrows(UnavailableException.class, () -> c.evaluate("1"));
      assertEquals(Status.Code.UNAVAILABLE, e.code());
    }
  }

  @Test
  public void validateChecksSyntax() {
    client().validate("function f() { return 1 }", null);
    JsErrorException e = assertThrows(JsErrorException.class,
        () -> client().validate("function (", null));
    assertEquals("SyntaxError", e.name());
    assertTrue(e.line() >= 1);
  }

  @Test
  public void healthAndStats() {
    assertEquals("SERVING", client().health());
    assertEquals(2, client().stats().getWorkersCount());
  }

  @Test
  public void negativeTimeoutsAreRejectedBeforeSending() {
    assertThrows(IllegalArgumentException.class, () -> Eval.of("1").timeout(Duration.ofSeconds(-1)));
  }
}
