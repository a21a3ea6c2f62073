package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Faithful values through a real daemon: key order both ways, depth 100, thrown values, and a
 * seeded property test of random nested values with random key orders.
 */
public class ValueOrderTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static final String SIGN =
      "function f(a) { return Object.keys(a).join() + '|' + JSON.stringify(a) }";
  private static final String WANT =
      "zeta,alpha,mid,beta|{\"zeta\":1,\"alpha\":{\"y\":[1,{\"q\":2,\"b\":3}],\"x\":null},"
          + "\"mid\":\"m\",\"beta\":2.5}";

  private static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> signArg() {
    Map<String, Object> inner = object("q", 2, "b", 3);
    return object("zeta", 1, "alpha", object("y", List.of(1, inner), "x", null), "mid", "m",
        "beta", 2.5);
  }

  @Test
  public void twoHundredIdenticalCallsGiveOneAnswerInTheCallersOrder() {
    Program p = daemon.client().loadProgram(SIGN);
    Set<Object> answers = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      answers.add(p.call("f", signArg()));
    }
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      items.add(Call.of("f", signArg()).program(p));
    }
    daemon.client().batch(items).forEachRemaining(r -> answers.add(r.value()));
    assertEquals(Set.of(WANT), answers);
    Object globals = daemon.client().evaluate(
        "Object.keys(globalThis).filter(k => k.startsWith('g_')).join()",
        object("g_b", 1, "g_a", 2, "g_c", 3));
    assertEquals("g_b,g_a,g_c", globals);
  }

  @Test
  @SuppressWarnings("unchecked")
  public void resultsComeBackInJsOrder() {
    Map<String, Object> r = (Map<String, Object>) daemon.client().evaluate(
        "({b: 1, a: 2, c: 3, m: new Map([['k2', 1], ['k1', 2]])})");
    assertEquals(List.of("b", "a", "c", "m"), new ArrayList<>(r.keySet()));
    assertEquals(List.of("k2", "k1"), new ArrayList<>(((Map<String, Object>) r.get("m")).keySet()));
    HookedException hooked = assertThrows(HookedException.class,
        () -> daemon.client().evaluate("$terminate({b: 1, a: 2})"));
    assertEquals(List.of("b", "a"), new ArrayList<>(((Map<String, Object>) hooked.data()).keySet()));
  }

  @Test
  @SuppressWarnings("unchecked")
  public void thrownValues() {
    JsErrorException e = assertThrows(JsErrorException.class,
        () -> daemon.client().evaluate("throw {code: 7, b: 5n}"));
    assertTrue(e.hasThrown());
    assertEquals("", e.name());
    Map<String, Object> thrown = (Map<String, Object>) e.thrown();
    assertEquals(List.of("code", "b"), new ArrayList<>(thrown.keySet()));
    assertEquals(7L, thrown.get("code"));
    assertEquals(BigInteger.valueOf(5), thrown.get("b"));
    e = assertThrows(JsErrorException.class, () -> daemon.client().evaluate("throw new TypeError('t')"));
    assertFalse(e.hasThrown());
    assertNull(e.thrown());
  }

  @Test
  public void nativeTypesReachJsAsJsTypes() {
    Program p = daemon.client().loadProgram("function f(a) { return [a.d instanceof Date && "
        + "a.d.toISOString(), a.b instanceof Uint8Array && a.b.length, a.s instanceof Set && a.s.size,"
        + " Number.isNaN(a.n), a.i === -Infinity, typeof a.big === 'bigint' && String(a.big),"
        + " typeof a.small].join() }");
    Object got = p.call("f", object("d", Instant.parse("2024-01-02T03:04:05.678Z"),
        "b", new byte[] {0, 1, -1}, "s", new LinkedHashSet<>(List.of(1, 2)), "n", Double.NaN,
        "i", Double.NEGATIVE_INFINITY, "big", Long.MAX_VALUE, "small", 1L << 53));
    assertEquals("2024-01-02T03:04:05.678Z,3,2,true,true,9223372036854775807,number", got);
  }

  @Test
  public void depth100BothWays() {
    Object deep = "leaf";
    for (int i = 0; i < 99; i++) { // 99 containers around a leaf: 100 levels
      deep = i % 2 == 0 ? List.of(deep) : object("k", deep, "n", (long) i);
    }
    Program p = daemon.client().loadProgram("function id(a) { return a }");
    ConformanceTest.assertDeepEquals("depth 100", deep, p.call("id", deep));
  }

  /** A random value whose Java type comes back as itself (see Values' table). */
  private static Object randomValue(Random rng, int depth) {
    switch (rng.nextInt(depth < 5 ? 11 : 8)) {
      case 0:
        return null;
      case 1:
        return rng.nextBoolean();
      case 2:
        return rng.nextLong() % Values.MAX_SAFE_INTEGER;
      case 3:
        return new double[] {0.5, -1.25, 1e21, 1e-7, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY}[rng.nextInt(7)];
      case 4: {
        String letters = "abcXYZé\"\\\n\u2028";
        StringBuilder s = new StringBuilder();
        for (int i = rng.nextInt(6); i > 0; i--) {
          s.append(letters.charAt(rng.nextInt(letters.length())));
        }
        return s.append(rng.nextBoolean() ? "😀" : "").toString();
      }
      case 5:
        return Instant.ofEpochMilli(rng.nextLong() % 10_000_000_000_000L);
      case 6: {
        byte[] b = new byte[rng.nextInt(5)];
        rng.nextBytes(b);
        return b;
      }
      case 7:
        return BigInteger.valueOf(rng.nextLong()).shiftLeft(64);
      case 8: {
        List<Object> list = new ArrayList<>();
        for (int i = rng.nextInt(5); i > 0; i--) {
          list.add(randomValue(rng, depth + 1));
        }
        return list;
      }
      default: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = rng.nextInt(7); i > 0; i--) {
          m.put("k" + (char) ('a' + rng.nextInt(26)) + rng.nextInt(10), randomValue(rng, depth + 1));
        }
        return m;
      }
    }
  }

  @Test
  public void propertyRandomValuesRoundTripInOrder() {
    Random rng = new Random(1313);
    Program p = daemon.client().loadProgram("function id(a) { return a }");
    List<Object> values = new ArrayList<>();
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Object v = randomValue(rng, 0);
      values.add(v);
      items.add(Call.of("id", v).program(p).id(Integer.toString(i)));
    }
    Map<String, BatchResult> byId = new HashMap<>();
    daemon.client().batch(items).forEachRemaining(r -> byId.put(r.id(), r));
    assertEquals(values.size(), byId.size());
    for (int i = 0; i < values.size(); i++) {
      ConformanceTest.assertDeepEquals("value " + i, expected(values.get(i)), byId.get(Integer.toString(i)).value());
    }
    for (int i = 0; i < 30; i++) { // and one by one, through Call
      ConformanceTest.assertDeepEquals("call " + i, expected(values.get(i)), p.call("id", values.get(i)));
    }
  }

  /** What the comparison of ConformanceTest expects for a value sent: integers as Longs. */
  private static Object expected(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, item) -> out.put((String) k, expected(item)));
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(expected(item)));
      return out;
    }
    return v;
  }
}
