package dev.jscore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;

/** Typed results: call(Class, ...), evaluate(Class, ...), Result.as(...), against a real daemon. */
public class TypedResultTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static JsCoreClient client() {
    return daemon.client();
  }

  public record Point(int x, double y, String label, List<Integer> tags) {}

  public enum Color { RED, GREEN }

  /** A class with fields, an inherited one, a nested record and a default kept. */
  public static class Base {
    long id;
  }

  public static final class Shape extends Base {
    private String name;
    private Color color;
    private List<Point> points;
    private Map<String, Double> weights;
    private String note = "default";
    private transient String skipped = "kept";
    private Instant created;
  }

  @Test
  public void scalars() {
    assertEquals(Long.valueOf(42), client().evaluate(Long.class, "6 * 7"));
    assertEquals(Integer.valueOf(-7), client().evaluate(Integer.class, "-7"));
    int primitive = client().evaluate(int.class, "2 ** 31 - 1");
    assertEquals(Integer.MAX_VALUE, primitive);
    assertEquals(0.5, client().evaluate(Double.class, "1 / 2"), 0);
    assertEquals(3.0, client().evaluate(double.class, "3"), 0); // an integral number as double
    assertTrue(Double.isNaN(client().evaluate(Double.class, "NaN")));
    assertEquals("ab", client().evaluate(String.class, "'a' + 'b'"));
    assertEquals(Boolean.TRUE, client().evaluate(Boolean.class, "1 < 2"));
    assertEquals(Color.GREEN, client().evaluate(Color.class, "'GREEN'"));
    assertEquals(BigInteger.TWO.pow(70), client().evaluate(BigInteger.class, "2n ** 70n"));
    assertEquals(Instant.parse("2024-01-02T03:04:05.678Z"),
        client().evaluate(Instant.class, "new Date('2024-01-02T03:04:05.678Z')"));
    assertNull(client().evaluate(String.class, "null"));
    assertNull(client().evaluate(Long.class, "undefined"));
    assertEquals("x", client().evaluate(String.class, "g", Map.of("g", "x")));
  }

  @Test
  public void containers() {
    assertEquals(List.of(1L, "a", true), client().evaluate(List.class, "[1, 'a', true]"));
    assertEquals(Map.of("a", 1L), client().evaluate(Map.class, "({a: 1})"));
    Result r = client().evaluateResult(Eval.of("[[1, 2], [3]]"));
    Type listOfInts = new TypeToken<List<List<Integer>>>() {}.getType();
    assertEquals(List.of(List.of(1, 2), List.of(3)), r.as(listOfInts));
    long[][] nested = r.as(long[][].class);
    assertEquals(2L, nested[0][1]);
    Type setOfStrings = new TypeToken<Set<String>>() {}.getType();
    assertEquals(Set.of("a", "b"), client().evaluateResult(Eval.of("new Set(['a', 'b'])"))
        .as(setOfStrings));
    Type mapOfDoubles = new TypeToken<Map<String, Double>>() {}.getType();
    assertEquals(Map.of("k1", 1.0, "k2", 2.5),
        client().evaluateResult(Eval.of("new Map([['k1', 1], ['k2', 2.5]])")).as(mapOfDoubles));
    assertArrayEquals(new byte[] {1, 2, 255 - 256},
        client().evaluate(byte[].class, "new Uint8Array([1, 2, 255])"));
  }

  @Test
  public void recordsAndClassesFromObjects() {
    Program p = client().loadProgram(
        "function point(x) { return {label: 'p' + x, y: x / 2, x, tags: [x, x + 1], extra: 1} }\n"
            + "function shape() { return {id: 9, name: 'tri', color: 'RED', created: new Date(0),\n"
            + "  points: [point(1), point(2)], weights: {a: 1, b: 0.25}, skipped: 'no'} }");
    Point pt = p.call(Point.class, "point", 3);
    assertEquals(new Point(3, 1.5, "p3", List.of(3, 4)), pt);

    Shape s = p.call(Shape.class, "shape");
    assertEquals(9L, s.id);
    assertEquals("tri", s.name);
    assertEquals(Color.RED, s.color);
    assertEquals(List.of(new Point(1, 0.5, "p1", List.of(1, 2)),
        new Point(2, 1.0, "p2", List.of(2, 3))), s.points);
    assertEquals(Map.of("a", 1.0, "b", 0.25), s.weights);
    assertEquals("default", s.note); // no such property: the constructor's value stays
    assertEquals("kept", s.skipped); // transient: never set
    assertEquals(Instant.EPOCH, s.created);

    Type points = new TypeToken<List<Point>>() {}.getType();
    Result r = p.callResult(Call.of("shape"));
    @SuppressWarnings("unchecked")
    List<Point> all = (List<Point>) TypedValues.as(((Map<?, ?>) r.value()).get("points"), points);
    assertEquals(2, all.size());
  }

  @Test
  public void sessionsAndFutures() throws Exception {
    try (Session s = client().createSession()) {
      s.compile("var n = 40; function inc() { return ++n }");
      assertEquals(Integer.valueOf(41), s.call(Integer.class, "inc"));
      assertEquals("42", s.evaluate(String.class, "String(inc())"));
    }
    Program p = client().loadProgram("async function later(x) { return {x, y: 0, label: 'l'} }");
    Point pt = p.callAsync(Point.class, "later", 5).get(30, TimeUnit.SECONDS);
    assertEquals(new Point(5, 0, "l", null), pt);
    assertEquals(Long.valueOf(7), client().evaluateAsync(Long.class, "3 + 4").get(30, TimeUnit.SECONDS));
  }

  @Test
  public void valuesThatDoNotFitThrowValueTypeException() {
    ValueTypeException e =
        assertThrows(ValueTypeException.class, () -> client().evaluate(Long.class, "'12'"));
    assertEquals("", e.path());
    assertEquals(Long.class, e.target());
    assertNull(e.code()); // the call succeeded
    assertTrue(e.getMessage(), e.getMessage().contains("\"12\"") && e.getMessage().contains("Long"));

    e = assertThrows(ValueTypeException.class, () -> client().evaluate(String.class, "12"));
    assertTrue(e.getMessage(), e.getMessage().contains("java.lang.String")); // no coercion
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(Integer.class, "1.5"));
    assertTrue(e.getMessage(), e.getMessage().contains("not an integer"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(int.class, "2 ** 31"));
    assertTrue(e.getMessage(), e.getMessage().contains("out of range"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(Long.class, "2n ** 70n"));
    assertTrue(e.getMessage(), e.getMessage().contains("out of range"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(int.class, "null"));
    assertTrue(e.getMessage(), e.getMessage().contains("primitive"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(Boolean.class, "1"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(Color.class, "'BLUE'"));
    assertTrue(e.getMessage(), e.getMessage().contains("Color"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(List.class, "({a: 1})"));
    e = assertThrows(ValueTypeException.class, () -> client().evaluate(Point.class, "[1]"));

    Program p = client().loadProgram(
        "function bad() { return [{x: 1, y: 1}, {x: 'two', y: 2}] }\n"
            + "function noX() { return {y: 1} }");
    Type points = new TypeToken<List<Point>>() {}.getType();
    e = assertThrows(ValueTypeException.class, () -> p.callResult(Call.of("bad")).as(points));
    assertEquals("/1/x", e.path());
    assertEquals(int.class, e.target());
    e = assertThrows(ValueTypeException.class, () -> p.call(Point.class, "noX"));
    assertEquals("/x", e.path()); // a primitive component needs its property
    // A JsCoreException, so one catch handles it with the client's other errors.
    assertThrows(JsCoreException.class, () -> p.call(Long.class, "noX"));
  }
}
