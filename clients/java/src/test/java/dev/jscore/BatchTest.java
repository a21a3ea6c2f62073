package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.jscore.v1.UnloadProgramRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.ClassRule;
import org.junit.Test;

/** Batch: many items through one stream, each with its own outcome. */
public class BatchTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static JsCoreClient client() {
    return daemon.client();
  }

  @Test
  public void tenThousandItemsAllChecked() {
    Program p = client().loadProgram("function f(i) { return i * 2 }");
    int n = 10_000;
    Iterator<BatchItem> items = IntStream.range(0, n)
        .mapToObj(i -> (BatchItem) Call.of("f", i).program(p))
        .iterator();
    Map<Integer, Object> values = new HashMap<>();
    long start = System.nanoTime();
    try (BatchStream results = client().batch(items)) {
      while (results.hasNext()) {
        BatchResult r = results.next();
        assertEquals(Status.Code.OK, r.code());
        assertTrue(r.isOk());
        assertTrue(values.put(Integer.parseInt(r.id()), r.value()) == null);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("batch: %d items in %.2f s (%.0f items/s)%n", n, seconds, n / seconds);
    assertEquals(n, values.size());
    for (int i = 0; i < n; i++) {
      assertEquals(2L * i, values.get(i));
    }
    int unary = 1000;
    start = System.nanoTime();
    for (int i = 0; i < unary; i++) {
      assertEquals(2L * i, p.call("f", i));
    }
    seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("unary: %d calls in a loop in %.2f s (%.0f calls/s)%n",
        unary, seconds, unary / seconds);
  }

  @Test
  public void eachItemHasItsOwnOutcome() {
    List<BatchItem> items = List.of(
        Eval.of("1 + 1").id("ok"),
        Eval.of("throw new TypeError('t')").id("js"),
        Eval.of("for (;;) {}").id("slow").timeout(Duration.ofMillis(100)),
        Eval.of("$terminate(7)").id("hook"),
        Eval.of("console.log('c'); 5n").id("big"));
    Map<String, BatchResult> byId = new HashMap<>();
    client().batch(items).forEachRemaining(r -> byId.put(r.id(), r));
    assertEquals(5, byId.size());
    assertEquals(2L, byId.get("ok").value());
    JsErrorException js = (JsErrorException) byId.get("js").error();
    assertEquals("TypeError", js.name());
    assertEquals(Status.Code.OK, byId.get("js").code());
    BatchResult slow = byId.get("slow");
    assertEquals(Status.Code.DEADLINE_EXCEEDED, slow.code());
    assertTrue(slow.error() instanceof JsCoreTimeoutException);
    assertThrows(JsCoreTimeoutException.class, slow::value);
    assertFalse(slow.message().isEmpty());
    assertEquals(7L, ((HookedException) byId.get("hook").error()).data());
    assertEquals(java.math.BigInteger.valueOf(5), byId.get("big").value());
    assertEquals("c", byId.get("big").console().get(0).text());
    assertEquals("c", byId.get("big").result().console().get(0).text());
  }

  @Test
  public void windowBoundsHowFarTheSourceIsRead() {
    AtomicInteger pulled = new AtomicInteger();
    int window = 4;
    int n = 100;
    Iterator<BatchItem> items = new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public BatchItem next() {
        pulled.incrementAndGet();
        return Eval.of("new Promise(r => setTimeout(() => r(" + i + "), 1))").id("" + i++);
      }
    };
    int received = 0;
    Set<String> ids = new HashSet<>();
    try (BatchStream results = client().batch(items, window, Duration.ofSeconds(60))) {
      while (results.hasNext()) {
        BatchResult r = results.next();
        received++;
        assertTrue(pulled.get() - received <= window);
        assertEquals(Long.parseLong(r.id()), r.value());
        ids.add(r.id());
      }
    }
    assertEquals(n, received);
    assertEquals(n, ids.size());
  }

  @Test
  public void streamApiAndSessions() {
    try (Session s = client().createSession()) {
      s.compile("var total = 0; function add(x) { return total += x }");
      List<BatchItem> items = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        items.add(Call.of("add", i).session(s));
      }
      try (var stream = client().batch(items).stream()) {
        assertEquals(100, stream.map(BatchResult::value).count());
      }
      assertEquals(5050L, s.evaluate("total"));
      List<Object> evals = client().batch(List.of(Eval.of("total").session(s))).stream()
          .map(BatchResult::value).collect(Collectors.toList());
      assertEquals(List.of(5050L), evals);
    }
  }

  @Test
  public void programLostMidBatchIsReloadedOnce() {
    Program p = client().loadProgram("function sq(x) { return x * x } // batch-reload");
    client().stub().unloadProgram(UnloadProgramRequest.newBuilder().setProgram(p.id()).build());
    int n = 500;
    Iterator<BatchItem> items = IntStream.range(0, n)
        .mapToObj(i -> (BatchItem) Call.of("sq", i).program(p)).iterator();
    int count = 0;
    try (BatchStream results = client().batch(items, 64, null)) {
      while (results.hasNext()) {
        BatchResult r = results.next();
        long i = Long.parseLong(r.id());
        assertEquals(i * i, r.value());
        count++;
      }
    }
    assertEquals(n, count);
  }

  @Test
  public void unsendableItemEndsTheBatchAfterInFlightResults() {
    List<BatchItem> items = List.of(
        Eval.of("1"), Eval.of("2"), Eval.of("x").global("x", new Object()), Eval.of("4"));
    List<Object> values = new ArrayList<>();
    BatchStream results = client().batch(items);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      while (results.hasNext()) {
        values.add(results.next().value());
      }
    });
    assertTrue(e.getMessage(), e.getMessage().contains("cannot pass"));
    assertEquals(Set.of(1L, 2L), new HashSet<>(values));
    results.close();
  }

  @Test
  public void failingSourceEndsTheBatchAfterInFlightResults() {
    Iterator<BatchItem> source = new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public BatchItem next() {
        if (i == 3) {
          throw new IllegalStateException("source broke");
        }
        return Eval.of(Integer.toString(i++));
      }
    };
    List<Object> values = new ArrayList<>();
    try (BatchStream results = client().batch(source)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
        while (results.hasNext()) {
          values.add(results.next().value());
        }
      });
      assertEquals("source broke", e.getMessage());
      assertFalse(results.hasNext());
    }
    assertEquals(Set.of(0L, 1L, 2L), new HashSet<>(values));
    client().batch(List.of(Eval.of("1"))).close(); // never iterated: never opened
  }

  @Test
  public void closingEarlyCancels() {
    Iterator<BatchItem> endless = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public BatchItem next() {
        return Eval.of("new Promise(r => setTimeout(() => r(1), 5))");
      }
    };
    try (BatchStream results = client().batch(endless, 16, null)) {
      for (int i = 0; i < 50; i++) {
        assertEquals(1L, results.next().value());
      }
    }
    assertEquals(1L, client().evaluate("1")); // the client is fine afterwards
  }

  @Test
  public void emptyBatch() {
    assertFalse(client().batch(List.<BatchItem>of()).hasNext());
  }

  @Test
  public void streamDeadlineEndsTheBatch() {
    List<BatchItem> items = List.of(Eval.of("new Promise(r => setTimeout(r, 3000))"));
    long start = System.nanoTime();
    boolean ended = false;
    // The item fails with the stream's deadline, or the stream does first: either is fine.
    try (BatchStream results = client().batch(items.iterator(), 8, Duration.ofMillis(200))) {
      while (results.hasNext()) {
        assertEquals(Status.Code.DEADLINE_EXCEEDED, results.next().code());
        ended = true;
      }
    } catch (JsCoreException e) {
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
      ended = true;
    }
    assertTrue(ended);
    assertTrue(System.nanoTime() - start < 2_000_000_000L);
  }
}
