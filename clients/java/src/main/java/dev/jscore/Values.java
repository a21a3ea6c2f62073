package dev.jscore;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.jscore.v1.TypeAnnotation;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Java values to and from {@code google.protobuf.Value}, losslessly where JS allows.
 *
 * <p>Results come back as a {@code Value} plus <em>annotations</em>: a JSON Pointer (RFC 6901)
 * into the value and the JS kind found there. {@link #decode} rebuilds Java values:
 *
 * <table>
 *   <caption>JS results as Java values</caption>
 *   <tr><th>JS</th><th>Java</th></tr>
 *   <tr><td>number</td><td>{@link Long} when integral and within ±2^53, else {@link Double}</td></tr>
 *   <tr><td>NaN, ±Infinity</td><td>{@link Double} NaN, ±Infinity</td></tr>
 *   <tr><td>BigInt</td><td>{@link BigInteger}</td></tr>
 *   <tr><td>Date</td><td>{@link Instant} ({@code null} for an invalid Date)</td></tr>
 *   <tr><td>ArrayBuffer, Uint8Array, DataView</td><td>{@code byte[]}</td></tr>
 *   <tr><td>Map, object</td><td>{@code Map<String, Object>} (a {@link LinkedHashMap})</td></tr>
 *   <tr><td>Set</td><td>{@code Set<Object>} (a {@link LinkedHashSet}) when its elements stay
 *       distinct in Java, else {@code List<Object>}</td></tr>
 *   <tr><td>array, other typed arrays</td><td>{@code List<Object>} (an {@link ArrayList})</td></tr>
 *   <tr><td>undefined, null</td><td>{@code null}</td></tr>
 *   <tr><td>string, boolean</td><td>{@link String}, {@link Boolean}</td></tr>
 * </table>
 *
 * <p>{@link #toValue} goes the other way for globals and arguments: {@code null},
 * {@link Boolean}, {@link Number} (integers within ±2^53; {@code double}s including NaN and
 * infinities), {@link String}/{@link Character}, {@code byte[]} (a list of byte numbers 0..255:
 * {@code new Uint8Array(arg)} makes it bytes again in JS), {@link Collection}s and arrays
 * (arrays), {@code Map}s with {@link String} keys (objects), {@link Instant}, {@link Date},
 * {@link OffsetDateTime}, {@link ZonedDateTime} (ISO-8601 strings in UTC with milliseconds:
 * {@code new Date(arg)} in JS), {@link LocalDate} ({@code "YYYY-MM-DD"}), and ready-made
 * {@code google.protobuf.Value}s.
 */
public final class Values {
  /** 2^53: the largest integer a JS number holds exactly. */
  public static final long MAX_SAFE_INTEGER = 1L << 53;

  private static final int MAX_DEPTH = 200;
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern DATE = Pattern.compile(
      "([+-]?\\d{1,9})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)(\\.(\\d{1,9}))?(Z|[+-]\\d\\d:\\d\\d)");
  private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");

  private Values() {}

  // --- Java -> Value --------------------------------------------------------------------

  /**
   * The {@code google.protobuf.Value} of a Java value (see the class comment).
   *
   * @throws IllegalArgumentException an integer outside ±2^53 (pass it as a string and use
   *     {@code BigInt(s)} in JS), a map key that is not a String, nesting deeper than 200
   *     levels (a cycle?), or a type with no JS counterpart
   */
  public static Value toValue(Object obj) {
    return toValue(obj, 0);
  }

  private static Value toValue(Object obj, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "value is nested deeper than " + MAX_DEPTH + " levels (does it contain a cycle?)");
    }
    if (obj == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (obj instanceof Value v) {
      return v;
    }
    if (obj instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (obj instanceof String s) {
      return Value.newBuilder().setStringValue(s).build();
    }
    if (obj instanceof Character c) {
      return Value.newBuilder().setStringValue(c.toString()).build();
    }
    if (obj instanceof Number n) {
      return Value.newBuilder().setNumberValue(toDouble(n)).build();
    }
    if (obj instanceof byte[] bytes) {
      ListValue.Builder list = ListValue.newBuilder();
      for (byte b : bytes) {
        list.addValues(Value.newBuilder().setNumberValue(b & 0xff));
      }
      return Value.newBuilder().setListValue(list).build();
    }
    if (obj instanceof Instant instant) {
      return Value.newBuilder().setStringValue(formatInstant(instant)).build();
    }
    if (obj instanceof Date date) {
      return Value.newBuilder().setStringValue(formatInstant(date.toInstant())).build();
    }
    if (obj instanceof OffsetDateTime t) {
      return Value.newBuilder().setStringValue(formatInstant(t.toInstant())).build();
    }
    if (obj instanceof ZonedDateTime t) {
      return Value.newBuilder().setStringValue(formatInstant(t.toInstant())).build();
    }
    if (obj instanceof LocalDate d) {
      return Value.newBuilder().setStringValue(d.toString()).build();
    }
    if (obj instanceof Map<?, ?> map) {
      Struct.Builder struct = Struct.newBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "object keys must be Strings, not "
                  + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
                  + " (" + e.getKey() + ")");
        }
        struct.putFields(key, toValue(e.getValue(), depth + 1));
      }
      return Value.newBuilder().setStructValue(struct).build();
    }
    if (obj instanceof Collection<?> items) {
      ListValue.Builder list = ListValue.newBuilder();
      for (Object item : items) {
        list.addValues(toValue(item, depth + 1));
      }
      return Value.newBuilder().setListValue(list).build();
    }
    if (obj.getClass().isArray()) {
      ListValue.Builder list = ListValue.newBuilder();
      int n = Array.getLength(obj);
      for (int i = 0; i < n; i++) {
        list.addValues(toValue(Array.get(obj, i), depth + 1));
      }
      return Value.newBuilder().setListValue(list).build();
    }
    throw new IllegalArgumentException(
        "cannot pass a " + obj.getClass().getName() + " to JavaScript: " + obj);
  }

  private static double toDouble(Number n) {
    if (n instanceof Long
        || n instanceof Integer
        || n instanceof Short
        || n instanceof Byte
        || n instanceof AtomicLong
        || n instanceof AtomicInteger) {
      long v = n.longValue();
      if (v < -MAX_SAFE_INTEGER || v > MAX_SAFE_INTEGER) {
        throw unsafeInteger(n);
      }
      return v;
    }
    if (n instanceof BigInteger big) {
      if (big.abs().compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) > 0) {
        throw unsafeInteger(n);
      }
      return big.doubleValue();
    }
    if (n instanceof BigDecimal dec) {
      return dec.doubleValue();
    }
    return n.doubleValue();
  }

  private static IllegalArgumentException unsafeInteger(Number n) {
    return new IllegalArgumentException(
        "integer " + n + " is outside ±2^53 and cannot be a JS number exactly; pass it as a"
            + " string (String.valueOf(n)) and convert it in JS with BigInt(s)");
  }

  /** An instant as JS's {@code Date.prototype.toISOString} writes it (UTC, milliseconds). */
  static String formatInstant(Instant instant) {
    Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
    if (!millis.isBefore(YEAR_0) && millis.isBefore(YEAR_10000)) {
      return ISO_MILLIS.format(millis);
    }
    // JS's expanded years: a sign and six digits ("+275760-09-13T00:00:00.000Z").
    LocalDateTime t = LocalDateTime.ofInstant(millis, ZoneOffset.UTC);
    return String.format("%s%06d-%02d-%02dT%02d:%02d:%02d.%03dZ",
        t.getYear() < 0 ? "-" : "+", Math.abs((long) t.getYear()), t.getMonthValue(),
        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
  }

  // --- Value -> Java --------------------------------------------------------------------

  /**
   * The plain Java form of a {@code Value}, without annotations: numbers as {@link Long} when
   * integral within ±2^53, else {@link Double}; objects as {@link LinkedHashMap}; lists as
   * {@link ArrayList}.
   */
  public static Object fromValue(Value value) {
    switch (value.getKindCase()) {
      case NUMBER_VALUE:
        return number(value.getNumberValue());
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case STRUCT_VALUE: {
        Map<String, Value> fields = value.getStructValue().getFieldsMap();
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, fields.size() * 2));
        for (Map.Entry<String, Value> e : fields.entrySet()) {
          map.put(e.getKey(), fromValue(e.getValue()));
        }
        return map;
      }
      case LIST_VALUE: {
        List<Value> values = value.getListValue().getValuesList();
        List<Object> list = new ArrayList<>(values.size());
        for (Value v : values) {
          list.add(fromValue(v));
        }
        return list;
      }
      default:
        return null; // null_value, or unset
    }
  }

  static Object number(double n) {
    if (n == Math.rint(n) && Math.abs(n) <= MAX_SAFE_INTEGER) {
      return (long) n; // -0 becomes 0, as integral numbers do in every jscore client
    }
    return n;
  }

  /** The Java value of a result: {@link #fromValue} then {@link #applyAnnotations}. */
  public static Object decode(Value value, List<TypeAnnotation> annotations) {
    Object result = fromValue(value);
    if (!annotations.isEmpty()) {
      result = applyAnnotations(result, annotations);
    }
    return result;
  }

  /**
   * Rebuilds JS types in a plain value (as {@link #fromValue} makes it) from its annotations.
   * The deepest paths are applied first, so a Set of Dates first gets its instants, then
   * becomes a Set. An annotation whose path or value does not fit is ignored: the plain
   * JSON-like value is still the right answer then.
   */
  public static Object applyAnnotations(Object value, List<TypeAnnotation> annotations) {
    List<Parsed> parsed = new ArrayList<>(annotations.size());
    for (TypeAnnotation a : annotations) {
      List<String> tokens = parsePointer(a.getPath());
      if (tokens != null) {
        parsed.add(new Parsed(tokens, a.getKind()));
      }
    }
    parsed.sort(Comparator.comparingInt((Parsed p) -> -p.tokens.size()));
    Object root = value;
    for (Parsed p : parsed) {
      if (p.tokens.isEmpty()) {
        root = rebuild(p.kind, root);
        continue;
      }
      Object container = root;
      for (int i = 0; i < p.tokens.size() - 1 && container != null; i++) {
        container = child(container, p.tokens.get(i));
      }
      String last = p.tokens.get(p.tokens.size() - 1);
      if (container instanceof List<?> list) {
        int index = listIndex(last, list.size());
        if (index >= 0) {
          @SuppressWarnings("unchecked")
          List<Object> writable = (List<Object>) list;
          writable.set(index, rebuild(p.kind, list.get(index)));
        }
      } else if (container instanceof Map<?, ?> map && map.containsKey(last)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> writable = (Map<String, Object>) map;
        writable.put(last, rebuild(p.kind, map.get(last)));
      }
    }
    return root;
  }

  private record Parsed(List<String> tokens, TypeAnnotation.Kind kind) {}

  private static Object child(Object container, String token) {
    if (container instanceof List<?> list) {
      int index = listIndex(token, list.size());
      return index < 0 ? null : list.get(index);
    }
    if (container instanceof Map<?, ?> map) {
      return map.get(token);
    }
    return null;
  }

  private static int listIndex(String token, int size) {
    if (token.isEmpty() || token.length() > 9) {
      return -1;
    }
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) < '0' || token.charAt(i) > '9') {
        return -1;
      }
    }
    int index = Integer.parseInt(token);
    return index < size ? index : -1;
  }

  private static List<String> parsePointer(String path) {
    if (path.isEmpty()) {
      return List.of();
    }
    if (path.charAt(0) != '/') {
      return null;
    }
    List<String> tokens = new ArrayList<>();
    for (String t : path.substring(1).split("/", -1)) {
      tokens.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static Object rebuild(TypeAnnotation.Kind kind, Object value) {
    switch (kind) {
      case KIND_UNDEFINED:
        return null;
      case KIND_BIGINT:
        if (value instanceof String s) {
          try {
            return new BigInteger(s);
          } catch (NumberFormatException e) {
            return value;
          }
        }
        if (value instanceof Long l) {
          return BigInteger.valueOf(l);
        }
        return value;
      case KIND_DATE:
        return value instanceof String s ? parseDate(s) : value;
      case KIND_BYTES:
        return toBytes(value);
      case KIND_NAN:
        return Double.NaN;
      case KIND_INFINITY:
        if (value instanceof Number n && !Double.isInfinite(n.doubleValue())) {
          return n.doubleValue() < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return value;
      case KIND_SET:
        if (value instanceof List<?> list) {
          Set<Object> set = new LinkedHashSet<>(list);
          return set.size() == list.size() ? set : value;
        }
        return value;
      default:
        return value; // KIND_MAP is already a Map; unknown kinds stay as they are.
    }
  }

  /**
   * An ISO-8601 date-time as an Instant, or the text itself if it is not one. Lenient about
   * the year, which may have any number of digits and an optional sign ("275760-09-13T...",
   * "-1-01-01T..." as well as JS's "+275760-..." and "-000001-...").
   */
  static Object parseDate(String text) {
    Matcher m = DATE.matcher(text);
    if (!m.matches()) {
      return text;
    }
    try {
      String fraction = m.group(8) == null ? "" : m.group(8);
      int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
      LocalDateTime local = LocalDateTime.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
          nanos);
      String zone = m.group(9);
      ZoneOffset offset = zone.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(zone);
      return local.toInstant(offset);
    } catch (DateTimeException | NumberFormatException e) {
      return text;
    }
  }

  private static Object toBytes(Object value) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    byte[] bytes = new byte[list.size()];
    for (int i = 0; i < bytes.length; i++) {
      if (!(list.get(i) instanceof Long b) || b < 0 || b > 255) {
        return value;
      }
      bytes[i] = (byte) (long) b;
    }
    return bytes;
  }
}
