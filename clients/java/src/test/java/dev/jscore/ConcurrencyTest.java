package dev.jscore;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;

/** One client shared by many threads. */
public class ConcurrencyTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  @Test
  public void threadsShareOneClient() throws Exception {
    JsCoreClient client = daemon.client();
    Program p = client.loadProgram("function mix(t, i) { return t * 1000 + i }");
    int threads = 16;
    int perThread = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        final int thread = t;
        done.add(pool.submit(() -> {
          int checked = 0;
          try (Session s = client.createSession()) {
            s.compile("var seen = 0; function see() { return ++seen }");
            for (int i = 0; i < perThread; i++) {
              assertEquals((long) thread * 1000 + i, p.call("mix", thread, i));
              assertEquals((long) i + thread, client.evaluate("a + b", Map.of("a", i, "b", thread)));
              assertEquals((long) i + 1, s.call("see")); // each thread's own session
              checked++;
            }
          }
          return checked;
        }));
      }
      for (Future<Integer> f : done) {
        assertEquals(perThread, (int) f.get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void manyFuturesInFlight() throws Exception {
    JsCoreClient client = daemon.client();
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      futures.add(client.evaluateAsync(
          "new Promise(r => setTimeout(() => r(i), 1))", Map.of("i", i)));
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    for (int i = 0; i < futures.size(); i++) {
      assertEquals((long) i, futures.get(i).join());
    }
  }

  @Test
  public void concurrentBatches() throws Exception {
    JsCoreClient client = daemon.client();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> sums = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        sums.add(pool.submit(() -> {
          long sum = 0;
          List<BatchItem> items = new ArrayList<>();
          for (int i = 0; i < 1000; i++) {
            items.add(Eval.of(Integer.toString(i)));
          }
          try (BatchStream results = client.batch(items)) {
            while (results.hasNext()) {
              sum += (Long) results.next().value();
            }
          }
          return sum;
        }));
      }
      for (Future<Long> s : sums) {
        assertEquals(999L * 1000 / 2, (long) s.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
