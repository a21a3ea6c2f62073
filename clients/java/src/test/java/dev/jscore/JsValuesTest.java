package dev.jscore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.jscore.v1.JsValue;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** JsValues without a daemon: the encoder's order, JSON text and types tree; the decoder. */
public class JsValuesTest {
  @Test
  public void encodeKeepsMapOrderAndTypes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5));
    m.put("when", Instant.parse("2024-01-02T03:04:05.678Z"));
    m.put("bytes", new byte[] {0, -1});
    m.put("set", new LinkedHashSet<>(List.of(3, 2)));
    m.put("big", BigInteger.TWO.pow(70));
    m.put("long", Long.MAX_VALUE);
    m.put("s", "é\"\n\u2028");
    JsValue v = JsValues.encode(m);
    assertEquals(
        "{\"b\":1,\"a\":[null,null,null,0.5],\"when\":\"2024-01-02T03:04:05.678Z\","
            + "\"bytes\":[0,255],\"set\":[3,2],\"big\":\"1180591620717411303424\","
            + "\"long\":\"9223372036854775807\",\"s\":\"é\\\"\\n\\u2028\"}",
        v.getJson());
    assertEquals(
        "[null,{\"a\":[null,{\"0\":\"nan\",\"1\":\"infinity\",\"2\":\"-infinity\"}],"
            + "\"when\":\"date\",\"bytes\":\"bytes\",\"set\":\"set\",\"big\":\"bigint\","
            + "\"long\":\"bigint\"}]",
        v.getTypes());
    assertEquals("", JsValues.encode(Map.of("a", List.of(1, "x"))).getTypes());
    assertThrows(IllegalArgumentException.class, () -> JsValues.encode(Map.of(1, 2)));
    assertThrows(IllegalArgumentException.class, () -> JsValues.encode(new Object()));
  }

  @Test
  @SuppressWarnings("unchecked")
  public void decodeKeepsJsOrderAndRebuildsTypes() {
    JsValue v = JsValue.newBuilder()
        .setJson("{\"z\":1,\"a\":[\"5\",\"2024-01-02T03:04:05.678Z\",[1,2],null,null,null,"
            + "{\"y\":null,\"x\":1},[1,2]],\"n\":1.5}")
        .setTypes("[null,{\"a\":[null,{\"0\":\"bigint\",\"1\":\"date\",\"2\":\"bytes\",\"3\":\"nan\","
            + "\"4\":\"infinity\",\"5\":\"-infinity\",\"6\":[\"map\",{\"y\":\"undefined\"}],"
            + "\"7\":\"set\"}]}]")
        .build();
    Map<String, Object> got = (Map<String, Object>) JsValues.decode(v);
    assertEquals(List.of("z", "a", "n"), new ArrayList<>(got.keySet()));
    assertEquals(1L, got.get("z"));
    assertEquals(1.5, got.get("n"));
    List<Object> a = (List<Object>) got.get("a");
    assertEquals(BigInteger.valueOf(5), a.get(0));
    assertEquals(Instant.parse("2024-01-02T03:04:05.678Z"), a.get(1));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) a.get(2));
    assertTrue(Double.isNaN((Double) a.get(3)));
    assertEquals(Double.POSITIVE_INFINITY, a.get(4));
    assertEquals(Double.NEGATIVE_INFINITY, a.get(5));
    Map<String, Object> inner = (Map<String, Object>) a.get(6);
    assertEquals(List.of("y", "x"), new ArrayList<>(inner.keySet()));
    assertNull(inner.get("y"));
    assertTrue(a.get(7) instanceof Set);
    assertNull(JsValues.decode(JsValue.getDefaultInstance()));
  }

  @Test
  @SuppressWarnings("unchecked")
  public void depth100BothWays() {
    Object deep = "leaf";
    for (int i = 0; i < 100; i++) {
      if (i % 2 == 0) {
        deep = List.of(deep);
      } else {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", deep);
        m.put("n", Double.NaN);
        deep = m;
      }
    }
    Object got = JsValues.decode(JsValues.encode(deep));
    for (int i = 99; i >= 0; i--) {
      if (i % 2 == 0) {
        got = ((List<Object>) got).get(0);
      } else {
        Map<String, Object> m = (Map<String, Object>) got;
        assertTrue(Double.isNaN((Double) m.get("n")));
        got = m.get("k");
      }
    }
    assertEquals("leaf", got);
  }
}
