package dev.jscore;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Value;
import dev.jscore.v1.JsValue;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Java values to and from {@code jscore.v1.JsValue}: JSON text with object keys in order,
 * plus a sparse types tree naming the JS type of each place JSON cannot express. The
 * encoding the client uses both ways (arguments, globals, results, hook data, thrown values).
 *
 * <p>{@link #encode} keeps a {@code Map}'s iteration order (a {@link LinkedHashMap}'s
 * insertion order) and takes the types {@link Values#toValue} takes, with these JS types
 * kept: {@code double}/{@code float} NaN and ±Infinity; integers ({@link Long}, {@link
 * BigInteger}...) as numbers within ±2^53 and as BigInts past it; {@link Instant}, {@link
 * Date}, {@link OffsetDateTime}, {@link ZonedDateTime} as Dates; {@code byte[]} as a
 * Uint8Array; a {@link Set} as a Set. {@link #decode} gives the Java types of {@link
 * Values#decode}, every object a {@link LinkedHashMap} in JS key order.
 */
public final class JsValues {
  private static final int MAX_DEPTH = 200;

  private JsValues() {}

  // --- Java -> JsValue ------------------------------------------------------------------

  /**
   * The {@code JsValue} of a Java value (see the class comment).
   *
   * @throws IllegalArgumentException a map key that is not a String, nesting deeper than 200
   *     levels (a cycle?), or a type with no JS counterpart
   */
  public static JsValue encode(Object obj) {
    StringBuilder json = new StringBuilder();
    Object node = write(json, obj, 0);
    JsValue.Builder b = JsValue.newBuilder().setJson(json.toString());
    if (node != null) {
      StringBuilder types = new StringBuilder();
      writeNode(types, node);
      b.setTypes(types.toString());
    }
    return b.build();
  }

  /** A types node: a kind (String), or {kind or null, Map of key to node}; null: none. */
  private static Object node(String kind, Map<String, Object> children) {
    return children == null ? kind : new Object[] {kind, children};
  }

  private static Map<String, Object> child(Map<String, Object> children, String key, Object node) {
    if (node == null) {
      return children;
    }
    if (children == null) {
      children = new LinkedHashMap<>();
    }
    children.put(key, node);
    return children;
  }

  private static Object write(StringBuilder out, Object obj, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "value is nested deeper than " + MAX_DEPTH + " levels (does it contain a cycle?)");
    }
    if (obj == null) {
      out.append("null");
      return null;
    }
    if (obj instanceof Value v) {
      return write(out, Values.fromValue(v), depth);
    }
    if (obj instanceof Boolean b) {
      out.append(b.booleanValue());
      return null;
    }
    if (obj instanceof String s) {
      writeString(out, s);
      return null;
    }
    if (obj instanceof Character c) {
      writeString(out, c.toString());
      return null;
    }
    if (obj instanceof Number n) {
      return writeNumber(out, n);
    }
    if (obj instanceof byte[] bytes) {
      out.append('[');
      for (int i = 0; i < bytes.length; i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(bytes[i] & 0xff);
      }
      out.append(']');
      return "bytes";
    }
    Instant instant = instantOf(obj);
    if (instant != null) {
      writeString(out, Values.formatInstant(instant));
      return "date";
    }
    if (obj instanceof LocalDate d) {
      writeString(out, d.toString());
      return null;
    }
    if (obj instanceof Map<?, ?> map) {
      Map<String, Object> children = null;
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "object keys must be Strings, not "
                  + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
                  + " (" + e.getKey() + ")");
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, key);
        out.append(':');
        children = child(children, key, write(out, e.getValue(), depth + 1));
      }
      out.append('}');
      return node(null, children);
    }
    if (obj instanceof Collection<?> items) {
      Map<String, Object> children = null;
      out.append('[');
      int i = 0;
      for (Object item : items) {
        if (i > 0) {
          out.append(',');
        }
        children = child(children, Integer.toString(i), write(out, item, depth + 1));
        i++;
      }
      out.append(']');
      return node(obj instanceof Set<?> ? "set" : null, children);
    }
    if (obj.getClass().isArray()) {
      Map<String, Object> children = null;
      out.append('[');
      int n = Array.getLength(obj);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        children = child(children, Integer.toString(i), write(out, Array.get(obj, i), depth + 1));
      }
      out.append(']');
      return node(null, children);
    }
    throw new IllegalArgumentException(
        "cannot pass a " + obj.getClass().getName() + " to JavaScript: " + obj);
  }

  private static Instant instantOf(Object obj) {
    if (obj instanceof Instant i) {
      return i;
    }
    if (obj instanceof Date d) {
      return d.toInstant();
    }
    if (obj instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (obj instanceof ZonedDateTime t) {
      return t.toInstant();
    }
    return null;
  }

  private static final BigInteger MAX_SAFE = BigInteger.valueOf(Values.MAX_SAFE_INTEGER);

  private static Object writeNumber(StringBuilder out, Number n) {
    if (n instanceof Long
        || n instanceof Integer
        || n instanceof Short
        || n instanceof Byte
        || n instanceof AtomicLong
        || n instanceof AtomicInteger) {
      long v = n.longValue();
      if (v < -Values.MAX_SAFE_INTEGER || v > Values.MAX_SAFE_INTEGER) {
        writeString(out, Long.toString(v));
        return "bigint";
      }
      out.append(v);
      return null;
    }
    if (n instanceof BigInteger big) {
      if (big.abs().compareTo(MAX_SAFE) > 0) {
        writeString(out, big.toString());
        return "bigint";
      }
      out.append(big);
      return null;
    }
    double d = n instanceof BigDecimal dec ? dec.doubleValue() : n.doubleValue();
    if (Double.isNaN(d)) {
      out.append("null");
      return "nan";
    }
    if (Double.isInfinite(d)) {
      out.append("null");
      return d > 0 ? "infinity" : "-infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) <= Values.MAX_SAFE_INTEGER) {
      out.append((long) d);
    } else {
      out.append(d); // Java's shortest round-trip form ("1.5", "1.0E21"): valid JSON
    }
    return null;
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @SuppressWarnings("unchecked")
  private static void writeNode(StringBuilder out, Object node) {
    if (node instanceof String kind) {
      writeString(out, kind);
      return;
    }
    Object[] pair = (Object[]) node;
    out.append('[');
    if (pair[0] == null) {
      out.append("null");
    } else {
      writeString(out, (String) pair[0]);
    }
    out.append(",{");
    boolean first = true;
    for (Map.Entry<String, Object> e : ((Map<String, Object>) pair[1]).entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, e.getKey());
      out.append(':');
      writeNode(out, e.getValue());
    }
    out.append("}]");
  }

  // --- JsValue -> Java ------------------------------------------------------------------

  /**
   * The Java value of a {@code JsValue} ({@code null} if it is empty): the types of {@link
   * Values#decode}, objects as {@link LinkedHashMap}s in JS key order.
   *
   * @throws IllegalArgumentException the JSON text is not JSON
   */
  public static Object decode(JsValue value) {
    if (value.getJson().isEmpty()) {
      return null;
    }
    Object result = parse(value.getJson());
    if (!value.getTypes().isEmpty()) {
      result = apply(result, parse(value.getTypes()));
    }
    return result;
  }

  /** JSON text as Java values: LinkedHashMap, ArrayList, Long/Double, String, Boolean, null. */
  static Object parse(String json) {
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      Object value = read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("JSON text has more after its value");
      }
      return value;
    } catch (IOException | IllegalStateException e) {
      throw new IllegalArgumentException("value is not JSON: " + e.getMessage(), e);
    }
  }

  private static Object read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String key = reader.nextName();
          map.put(key, read(reader));
        }
        reader.endObject();
        return map;
      }
      case BEGIN_ARRAY: {
        List<Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          list.add(read(reader));
        }
        reader.endArray();
        return list;
      }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return Values.number(Double.parseDouble(reader.nextString()));
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        reader.nextNull();
        return null;
      default:
        throw new IllegalStateException("unexpected " + reader.peek());
    }
  }

  @SuppressWarnings("unchecked")
  private static Object apply(Object value, Object node) {
    if (node instanceof String kind) {
      return rebuild(kind, value);
    }
    if (!(node instanceof List<?> pair) || pair.size() != 2 || !(pair.get(1) instanceof Map<?, ?>)) {
      return value; // not a node this client knows: the plain value stands
    }
    Map<String, Object> children = (Map<String, Object>) pair.get(1);
    if (value instanceof Map<?, ?>) {
      Map<String, Object> map = (Map<String, Object>) value;
      for (Map.Entry<String, Object> e : children.entrySet()) {
        if (map.containsKey(e.getKey())) {
          map.put(e.getKey(), apply(map.get(e.getKey()), e.getValue()));
        }
      }
    } else if (value instanceof List<?>) {
      List<Object> list = (List<Object>) value;
      for (Map.Entry<String, Object> e : children.entrySet()) {
        int i = index(e.getKey());
        if (i >= 0 && i < list.size()) {
          list.set(i, apply(list.get(i), e.getValue()));
        }
      }
    }
    return pair.get(0) instanceof String kind ? rebuild(kind, value) : value;
  }

  private static int index(String key) {
    if (key.isEmpty() || key.length() > 9 || (key.length() > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(key);
  }

  private static Object rebuild(String kind, Object value) {
    switch (kind) {
      case "undefined":
        return null;
      case "bigint":
        if (value instanceof String s) {
          try {
            return new BigInteger(s);
          } catch (NumberFormatException e) {
            return value;
          }
        }
        return value;
      case "date":
        return value instanceof String s ? Values.parseDate(s) : value;
      case "bytes":
        if (value instanceof List<?> list) {
          byte[] out = new byte[list.size()];
          for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long b) || b < 0 || b > 255) {
              return value;
            }
            out[i] = (byte) (long) b;
          }
          return out;
        }
        return value;
      case "nan":
        return Double.NaN;
      case "infinity":
        return Double.POSITIVE_INFINITY;
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "set":
        if (value instanceof List<?> list) {
          Set<Object> set = new LinkedHashSet<>(list);
          return set.size() == list.size() ? set : value;
        }
        return value;
      default:
        return value; // "map" is already a LinkedHashMap; unknown kinds stay as they are
    }
  }
}
