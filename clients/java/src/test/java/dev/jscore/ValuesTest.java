package dev.jscore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.Value;
import dev.jscore.v1.TypeAnnotation;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.ClassRule;
import org.junit.Test;

/** The value mapping: decoding with annotations, encoding, and round trips through JS. */
public class ValuesTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static final String ECHO = "function echo(x) { return x }\n"
      + "function bytes(x) { return new Uint8Array(x) }\n"
      + "function date(x) { return new Date(x) }\n"
      + "function types(...a) { return a.map(v => v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v) }";

  private static Object eval(String source) {
    return daemon.client().evaluate(source);
  }

  @Test
  public void numbers() {
    assertEquals(Long.class, eval("7").getClass());
    assertEquals(-9007199254740992L, eval("-(2 ** 53)"));
    assertEquals(9007199254740992L, eval("2 ** 53"));
    assertEquals(Double.class, eval("2 ** 53 + 2").getClass());
    assertEquals(1.5, eval("1.5"));
    assertEquals(0L, eval("-0"));
    assertTrue(Double.isNaN((Double) eval("NaN")));
    assertEquals(Double.POSITIVE_INFINITY, eval("Infinity"));
    assertEquals(Double.NEGATIVE_INFINITY, eval("-Infinity"));
    assertEquals(List.of(1.0e300, 5e-324), eval("[1e300, 5e-324]"));
  }

  @Test
  public void richTypes() {
    assertEquals(new BigInteger("123456789012345678901234567890"), eval("123456789012345678901234567890n"));
    assertEquals(BigInteger.valueOf(-5), eval("-5n"));
    assertEquals(Instant.parse("2024-01-02T03:04:05.678Z"), eval("new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))"));
    assertEquals(Instant.parse("+275760-09-13T00:00:00Z"), eval("new Date(8.64e15)"));
    assertEquals(Instant.parse("-000001-01-01T00:00:00Z"), eval("new Date(Date.UTC(-1, 0, 1))"));
    assertNull(eval("new Date(NaN)"));
    assertArrayEquals(new byte[] {0, 1, (byte) 255}, (byte[]) eval("new Uint8Array([0, 1, 255])"));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) eval("new Uint8Array([1, 2]).buffer"));
    assertArrayEquals(new byte[0], (byte[]) eval("new ArrayBuffer(0)"));
    assertArrayEquals(new byte[] {7, (byte) 255}, (byte[]) eval("new Uint8ClampedArray([7, 300])"));
    assertEquals(Arrays.asList(null, 1L), eval("[() => 1, 1]"));
    assertEquals(List.of(-1L, 2L), eval("new Int16Array([-1, 2])"));
    Object map = eval("new Map([['a', 1], [2, 'b']])");
    assertTrue(map instanceof LinkedHashMap);
    assertEquals(Map.of("a", 1L, "2", "b"), map);
    Object set = eval("new Set(['x', 1, 'y'])");
    assertTrue(set instanceof LinkedHashSet);
    assertEquals(List.of("x", 1L, "y"), new ArrayList<>((Set<?>) set)); // JS iteration order
    // Elements that are distinct in JS but equal in Java: the Set stays a List.
    assertEquals(List.of(Map.of(), Map.of()), eval("new Set([{}, {}])"));
    assertEquals(Arrays.asList(null, 1L), eval("[undefined, 1]"));
    Map<String, Object> withUndefined = new LinkedHashMap<>();
    withUndefined.put("a", null);
    assertEquals(withUndefined, eval("({a: undefined})"));
  }

  @Test
  public void nestedAnnotationsApplyDeepestFirst() {
    Object v = eval("new Map([['s', new Set([new Date(0), 5n])], ['u', new Uint8Array([9])]])");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(new LinkedHashSet<>(List.of(Instant.EPOCH, BigInteger.valueOf(5))), m.get("s"));
    assertArrayEquals(new byte[] {9}, (byte[]) m.get("u"));
    Map<?, ?> escaped = (Map<?, ?>) eval("({'a/b': 1n, 'c~d': NaN})");
    assertEquals(BigInteger.ONE, escaped.get("a/b"));
    assertTrue(Double.isNaN((Double) escaped.get("c~d")));
  }

  @Test
  public void argumentsRoundTripThroughJs() {
    Program p = daemon.client().loadProgram(ECHO);
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("n", null);
    obj.put("b", true);
    obj.put("i", 42L);
    obj.put("l", -(1L << 53));
    obj.put("d", 2.5);
    obj.put("s", "h\u00e9llo \ud83d\ude00");
    obj.put("list", List.of(1L, List.of("x"), Map.of()));
    obj.put("nested", Map.of("k", Map.of("k2", List.of())));
    assertEquals(obj, p.call("echo", obj));
    assertTrue(Double.isNaN((Double) p.call("echo", Double.NaN)));
    assertEquals(Double.NEGATIVE_INFINITY, p.call("echo", Double.NEGATIVE_INFINITY));
    assertEquals(1.25, p.call("echo", 1.25f));
    assertEquals(7L, p.call("echo", BigInteger.valueOf(7)));
    assertEquals(List.of(1L, 2L, 3L), p.call("echo", new int[] {1, 2, 3}));
    assertEquals(List.of("a", "b"), p.call("echo", (Object) new String[] {"a", "b"}));
    assertEquals(Set.of(1L), p.call("echo", new LinkedHashSet<>(List.of(1))));
    assertEquals("c", p.call("echo", 'c'));
    assertEquals(BigInteger.TEN.pow(20), p.call("echo", BigInteger.TEN.pow(20)));
    // byte[] travels as a Uint8Array, and comes back as byte[].
    byte[] raw = {0, 127, (byte) 128, (byte) 255};
    assertArrayEquals(raw, (byte[]) p.call("echo", (Object) raw));
    assertArrayEquals(raw, (byte[]) p.call("bytes", (Object) raw));
    // Instants travel as Dates.
    Instant when = Instant.parse("2021-05-06T07:08:09.123Z");
    assertEquals(when, p.call("echo", when));
    assertEquals(when, p.call("date", when));
    assertEquals(when, p.call("date", java.util.Date.from(when)));
    assertEquals(when, p.call("date", OffsetDateTime.parse("2021-05-06T09:08:09.123+02:00")));
    assertEquals("2021-05-06", p.call("echo", LocalDate.of(2021, 5, 6)));
    for (String far : List.of("+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00.001Z",
        "+010000-01-01T00:00:00Z", "0000-01-01T00:00:00Z")) {
      assertEquals(far, Instant.parse(far), p.call("date", Instant.parse(far)));
    }
    assertEquals(List.of("null", "boolean", "number", "string", "array", "object"),
        p.call("types", null, false, 1, "s", List.of(), Map.of()));
    assertNull(p.call("echo", (Object) null));
  }

  @Test
  public void unsendableValuesAreRejectedBeforeSending() {
    assertThrows(IllegalArgumentException.class, () -> Values.toValue((1L << 53) + 1));
    assertThrows(IllegalArgumentException.class, () -> Values.toValue(Long.MIN_VALUE));
    assertThrows(IllegalArgumentException.class, () -> Values.toValue(BigInteger.TEN.pow(20)));
    assertThrows(IllegalArgumentException.class, () -> Values.toValue(Map.of(1, "x")));
    assertThrows(IllegalArgumentException.class, () -> Values.toValue(new Object()));
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Values.toValue(cycle));
    assertTrue(e.getMessage().contains("cycle"));
    assertEquals(9007199254740992.0, Values.toValue(1L << 53).getNumberValue(), 0);
  }

  @Test
  public void decodeWithoutDaemon() {
    Value v = Value.newBuilder().setListValue(com.google.protobuf.ListValue.newBuilder()
        .addValues(Value.newBuilder().setStringValue("99999999999999999999"))
        .addValues(Value.newBuilder().setNumberValue(3))
        .addValues(Value.newBuilder().setStringValue("x"))).build();
    List<TypeAnnotation> annotations = List.of(
        TypeAnnotation.newBuilder().setPath("/0").setKind(TypeAnnotation.Kind.KIND_BIGINT).build(),
        TypeAnnotation.newBuilder().setPath("/9").setKind(TypeAnnotation.Kind.KIND_DATE).build(),
        TypeAnnotation.newBuilder().setPath("/2").setKind(TypeAnnotation.Kind.KIND_DATE).build(),
        TypeAnnotation.newBuilder().setPath("bad").setKind(TypeAnnotation.Kind.KIND_NAN).build());
    // Annotations that do not fit (out of range, unparsable, not a pointer) are ignored.
    assertEquals(List.of(new BigInteger("99999999999999999999"), 3L, "x"),
        Values.decode(v, annotations));
    assertEquals("2020-01-02T03:04:05.000Z", Values.formatInstant(Instant.parse("2020-01-02T03:04:05Z")));
    assertEquals("+275760-09-13T00:00:00.000Z",
        Values.formatInstant(Instant.parse("+275760-09-13T00:00:00Z")));
    assertEquals("-000001-01-01T00:00:00.000Z",
        Values.formatInstant(Instant.parse("-000001-01-01T00:00:00Z")));
    // Dates are parsed leniently: any year width, with or without a sign, any offset.
    for (String[] pair : new String[][] {
        {"275760-09-13T00:00:00.000Z", "+275760-09-13T00:00:00Z"},
        {"-1-01-01T00:00:00.000Z", "-000001-01-01T00:00:00Z"},
        {"2020-01-02T05:04:05.5+02:00", "2020-01-02T03:04:05.500Z"}}) {
      Value date = Value.newBuilder().setStringValue(pair[0]).build();
      TypeAnnotation a = TypeAnnotation.newBuilder().setKind(TypeAnnotation.Kind.KIND_DATE).build();
      assertEquals(pair[0], Instant.parse(pair[1]), Values.decode(date, List.of(a)));
    }
  }
}
