package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;

/** Sessions: state kept between calls, close deletes, options. */
public class SessionTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static JsCoreClient client() {
    return daemon.client();
  }

  @Test
  public void stateIsKept() {
    try (Session s = client().createSession()) {
      s.compile("var n = 0; function inc(by) { return n += (by || 1) }");
      assertEquals(1L, s.call("inc"));
      assertEquals(11L, s.call("inc", 10));
      assertEquals(11L, s.evaluate("n"));
      assertEquals(12L, s.evaluate("inc()"));
      assertEquals(20L, s.evaluate("n + extra", Map.of("extra", 8)));
      assertEquals(8L, s.evaluate("extra")); // globals stay in the session
      assertEquals(13L, s.callResult(Call.of("inc")).value());
      assertTrue(s.worker() >= 0);
      assertFalse(s.id().isEmpty());
    }
  }

  @Test
  public void closeDeletesTheSession() {
    Session s = client().createSession();
    s.compile("var x = 1");
    assertFalse(s.isClosed());
    s.close();
    assertTrue(s.isClosed());
    s.close(); // idempotent
    assertThrows(NotFoundException.class, () -> s.evaluate("x"));
    assertThrows(NotFoundException.class, () -> client().evaluate(Eval.of("x").session(s.id())));
  }

  @Test
  public void optionsSourceProgramAndExtensions() {
    Program p = client().loadProgram("var base = 100; function add(x) { return base + x }");
    try (Session s = client().createSession(SessionOptions.create()
        .program(p).source("var extra = 5").ttl(Duration.ofMinutes(1)))) {
      assertEquals(106L, s.evaluate("add(1) + extra"));
      s.compile("base = 0");
      assertEquals(1L, s.call("add", 1));
    }
    assertEquals(101L, p.call("add", 1)); // the program's own context is untouched
    try (Session bare = client().createSession(SessionOptions.create().extensions(false))) {
      assertEquals("undefined", bare.evaluate("typeof setTimeout"));
    }
    JsErrorException e = assertThrows(JsErrorException.class,
        () -> client().createSession(SessionOptions.create().source("throw new Error('at start')")));
    assertEquals("at start", e.message());
  }

  @Test
  public void seededAndFrozenSessionsAreReproducible() {
    Object[] runs = new Object[2];
    for (int i = 0; i < 2; i++) {
      try (Session s = client().createSession(
          SessionOptions.create().randomSeed(12345).frozenTimeMs(1_000_000))) {
        runs[i] = s.evaluate("[Math.random(), Date.now()]");
      }
    }
    assertEquals(runs[0], runs[1]);
    assertEquals(1_000_000L, ((java.util.List<?>) runs[0]).get(1));
  }

  @Test
  public void asyncCallsRunInOrder() throws Exception {
    try (Session s = client().createSession()) {
      s.compile("var log = []; function push(x) { log.push(x); return log.length }");
      var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Object>>();
      for (int i = 0; i < 50; i++) {
        futures.add(s.callAsync("push", i));
      }
      for (var f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertEquals(50L, s.evaluateAsync("log.length").get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  public void sessionErrors() {
    try (Session s = client().createSession()) {
      assertThrows(JsErrorException.class, () -> s.call("nope"));
      assertThrows(JsCoreTimeoutException.class,
          () -> s.evaluate(Eval.of("for (;;) {}").timeout(Duration.ofMillis(100))));
      assertEquals(2L, s.evaluate("1 + 1"));
    }
  }
}
