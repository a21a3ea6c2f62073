package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.jscore.v1.EvaluateResponse;
import dev.jscore.v1.TypeAnnotation;
import io.grpc.Status;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every case of the shared conformance table (tests/client_conformance/*.json; format in its
 * README.md), run through this client: the response's annotations (or types tree) must be
 * exactly the case's, and the decoded Java value must equal the native value built from the
 * case's plain JSON form by this test's own simple code, object keys in the same order.
 */
@RunWith(Parameterized.class)
public class ConformanceTest {
  @ClassRule public static final Daemon daemon = new Daemon();

  private static final Set<String> FIELDS = Set.of(
      "name", "source", "globals", "program_source", "function", "args", "timeout_ms", "expect",
      "expect_type", "annotations", "expect_error", "expect_status", "expect_hooked", "skip",
      "comment", "status_message_contains",
      // This runner compares key order everywhere; the field is read and accepted.
      "expect_keys_order");
  private static final Set<String> OUTCOMES =
      Set.of("expect", "expect_error", "expect_status", "expect_hooked");

  static Path conformanceDir() {
    String dir = System.getenv("JSCORE_CONFORMANCE_DIR");
    if (dir != null && !dir.isEmpty()) {
      return Paths.get(dir);
    }
    return Paths.get(System.getProperty("user.dir"), "..", "..", "tests", "client_conformance")
        .normalize();
  }

  @Parameters(name = "{0}")
  public static Collection<Object[]> cases() throws IOException {
    List<Object[]> cases = new ArrayList<>();
    Map<String, Path> names = new HashMap<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(conformanceDir(), "*.json")) {
      dir.forEach(files::add);
    }
    files.sort(null);
    if (files.isEmpty()) {
      throw new IllegalStateException("no conformance files in " + conformanceDir());
    }
    for (Path file : files) {
      JsonArray array =
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
      for (JsonElement element : array) {
        JsonObject c = element.getAsJsonObject();
        for (String key : c.keySet()) {
          if (!FIELDS.contains(key)) {
            throw new IllegalStateException(file + ": unknown field " + key + " in " + c);
          }
        }
        String name = c.has("name") ? c.get("name").getAsString() : "";
        if (name.isEmpty() || names.containsKey(name)) {
          throw new IllegalStateException(file + ": case name '" + name + "' empty or used twice");
        }
        names.put(name, file);
        long outcomes = c.keySet().stream().filter(OUTCOMES::contains).count();
        if (outcomes != 1) {
          throw new IllegalStateException(file + ": case " + name + " needs exactly one outcome");
        }
        cases.add(new Object[] {name, c});
      }
    }
    return cases;
  }

  private final String name;
  private final JsonObject c;

  public ConformanceTest(String name, JsonObject c) {
    this.name = name;
    this.c = c;
  }

  @Test
  public void conforms() {
    if (c.has("skip")) {
      for (JsonElement client : c.getAsJsonArray("skip")) {
        Assume.assumeFalse("skipped for java: " + c.get("comment"),
            client.getAsString().equals("java"));
      }
    }
    Result result;
    try {
      result = run();
    } catch (JsErrorException e) {
      checkError(e);
      return;
    } catch (HookedException e) {
      checkHooked(e);
      return;
    } catch (JsCoreException e) {
      if (!c.has("expect_status")) {
        throw new AssertionError(name + ": unexpected " + e, e);
      }
      assertEquals(name, Status.Code.valueOf(c.get("expect_status").getAsString()), e.code());
      if (c.has("status_message_contains")) {
        String part = c.get("status_message_contains").getAsString();
        assertTrue(name + ": '" + e.getMessage() + "' lacks '" + part + "'",
            e.getMessage().contains(part));
      }
      return;
    }
    if (!c.has("expect")) {
      fail(name + ": expected " + outcome() + ", got the value " + result.value());
    }
    EvaluateResponse response = result.response();
    if (c.has("expect_type") && c.get("expect_type").getAsString().equals("undefined")) {
      assertTrue(name + ": undefined flag", response.getUndefined());
      assertNull(name, result.value());
      assertEquals(name + ": annotations", Set.of(), annotationSet(response));
      return;
    }
    assertFalse(name + ": undefined flag", response.getUndefined());
    checkAnnotations(response);
    Object expected = expectedNative(c.get("expect"));
    assertDeepEquals(name, expected, result.value());
  }

  private String outcome() {
    for (String key : OUTCOMES) {
      if (c.has(key)) {
        return key + " " + c.get(key);
      }
    }
    return "?";
  }

  private Result run() {
    JsCoreClient client = daemon.client();
    Duration timeout =
        c.has("timeout_ms") ? Duration.ofMillis(c.get("timeout_ms").getAsLong()) : null;
    if (c.has("program_source")) {
      Program p = client.loadProgram(c.get("program_source").getAsString());
      List<Object> args = new ArrayList<>();
      if (c.has("args")) {
        for (JsonElement arg : c.getAsJsonArray("args")) {
          args.add(plain(arg));
        }
      }
      Call call = Call.withArgs(c.get("function").getAsString(), args);
      if (timeout != null) {
        call.timeout(timeout);
      }
      return p.callResult(call);
    }
    Eval eval = Eval.of(c.get("source").getAsString());
    if (c.has("globals")) {
      for (Map.Entry<String, JsonElement> g : c.getAsJsonObject("globals").entrySet()) {
        eval.global(g.getKey(), plain(g.getValue()));
      }
    }
    if (timeout != null) {
      eval.timeout(timeout);
    }
    return client.evaluateResult(eval);
  }

  private void checkError(JsErrorException e) {
    if (!c.has("expect_error")) {
      throw new AssertionError(name + ": expected " + outcome() + ", got " + e, e);
    }
    JsonObject want = c.getAsJsonObject("expect_error");
    if (want.has("name")) {
      assertEquals(name + ": error name", want.get("name").getAsString(), e.name());
    }
    if (want.has("message")) {
      assertEquals(name + ": error message", want.get("message").getAsString(), e.message());
    }
    if (want.has("message_contains")) {
      String part = want.get("message_contains").getAsString();
      assertTrue(name + ": '" + e.message() + "' lacks '" + part + "'", e.message().contains(part));
    }
    if (want.has("thrown_absent") && want.get("thrown_absent").getAsBoolean()) {
      assertFalse(name + ": thrown " + e.thrown(), e.hasThrown());
    }
    if (want.has("thrown")) {
      assertTrue(name + ": no thrown value", e.hasThrown());
      Object expected = plain(want.get("thrown"));
      if (want.has("thrown_type")) {
        expected = nativeOf(expected, want.get("thrown_type").getAsString());
      }
      assertDeepEquals(name + " (thrown)", expected, e.thrown());
    }
  }

  private void checkHooked(HookedException e) {
    if (!c.has("expect_hooked")) {
      throw new AssertionError(name + ": expected " + outcome() + ", got " + e, e);
    }
    checkAnnotations(e.response());
    assertDeepEquals(name, expectedNative(c.get("expect_hooked")), e.data());
  }

  // --- expected annotations --------------------------------------------------------------

  private List<String[]> expectedAnnotations() {
    List<String[]> list = new ArrayList<>();
    if (c.has("expect_type")) {
      list.add(new String[] {"", c.get("expect_type").getAsString()});
    }
    if (c.has("annotations")) {
      for (JsonElement a : c.getAsJsonArray("annotations")) {
        JsonObject o = a.getAsJsonObject();
        list.add(new String[] {o.get("path").getAsString(), o.get("kind").getAsString()});
      }
    }
    return list;
  }

  private void checkAnnotations(EvaluateResponse response) {
    Set<String> want = new TreeSet<>();
    for (String[] a : expectedAnnotations()) {
      want.add(a[0] + " " + a[1]);
    }
    assertEquals(name + ": annotations", want, annotationSet(response));
  }

  /**
   * The response's annotations, or the types tree of its JsValue, as "path kind" strings (kinds
   * named as in the README: "-infinity" is "infinity" there; the undefined flag stands for an
   * undefined result itself).
   */
  private static Set<String> annotationSet(EvaluateResponse response) {
    Set<String> set = new TreeSet<>();
    switch (response.getResultCase()) {
      case VALUE_JSON:
        typesPaths(JsonParser.parseString(orEmpty(response.getValueJson().getTypes())), "", set);
        if (response.getUndefined()) {
          set.remove(" undefined");
        }
        return set;
      case HOOK_DATA_JSON:
        typesPaths(JsonParser.parseString(orEmpty(response.getHookDataJson().getTypes())), "", set);
        return set;
      default:
        break;
    }
    for (TypeAnnotation a : response.getAnnotationsList()) {
      set.add(a.getPath() + " " + a.getKind().name().substring("KIND_".length()).toLowerCase());
    }
    return set;
  }

  private static String orEmpty(String types) {
    return types.isEmpty() ? "null" : types;
  }

  private static void typesPaths(JsonElement node, String path, Set<String> out) {
    if (node.isJsonNull()) {
      return;
    }
    if (node.isJsonPrimitive()) {
      String kind = node.getAsString();
      out.add(path + " " + (kind.equals("-infinity") ? "infinity" : kind));
      return;
    }
    JsonArray pair = node.getAsJsonArray();
    typesPaths(pair.get(0), path, out);
    for (Map.Entry<String, JsonElement> e : pair.get(1).getAsJsonObject().entrySet()) {
      String token = e.getKey().replace("~", "~0").replace("/", "~1");
      typesPaths(e.getValue(), path + "/" + token, out);
    }
  }

  // --- expected native values ------------------------------------------------------------

  /** A JSON value as plain Java (numbers as BigDecimal), for arguments and expectations. */
  private static Object plain(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isBoolean()) {
        return p.getAsBoolean();
      }
      if (p.isNumber()) {
        BigDecimal d = p.getAsBigDecimal();
        try {
          return d.longValueExact();
        } catch (ArithmeticException notIntegral) {
          return d.doubleValue();
        }
      }
      return p.getAsString();
    }
    if (e.isJsonArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonElement item : e.getAsJsonArray()) {
        list.add(plain(item));
      }
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
      map.put(entry.getKey(), plain(entry.getValue()));
    }
    return map;
  }

  /** The native value the case expects: its plain JSON with the annotated places rebuilt. */
  private Object expectedNative(JsonElement expect) {
    Object value = plain(expect);
    List<String[]> annotations = expectedAnnotations();
    annotations.sort((a, b) -> depth(b[0]) - depth(a[0]));
    Object[] root = {value};
    for (String[] a : annotations) {
      root[0] = replaceAt(root[0], a[0], a[1]);
    }
    return root[0];
  }

  private static int depth(String pointer) {
    return pointer.isEmpty() ? 0 : pointer.split("/", -1).length - 1;
  }

  @SuppressWarnings("unchecked")
  private Object replaceAt(Object root, String pointer, String kind) {
    if (pointer.isEmpty()) {
      return nativeOf(root, kind);
    }
    String[] tokens = pointer.substring(1).split("/", -1);
    Object container = root;
    for (int i = 0; i < tokens.length - 1; i++) {
      container = get(container, unescape(tokens[i]));
    }
    String last = unescape(tokens[tokens.length - 1]);
    if (container instanceof List) {
      List<Object> list = (List<Object>) container;
      int index = Integer.parseInt(last);
      list.set(index, nativeOf(list.get(index), kind));
    } else if (container instanceof Map) {
      Map<String, Object> map = (Map<String, Object>) container;
      if (!map.containsKey(last)) {
        throw new AssertionError(name + ": annotation path " + pointer + " not in expect");
      }
      map.put(last, nativeOf(map.get(last), kind));
    } else {
      throw new AssertionError(name + ": annotation path " + pointer + " not in expect");
    }
    return root;
  }

  private static Object get(Object container, String token) {
    if (container instanceof List<?> list) {
      return list.get(Integer.parseInt(token));
    }
    return ((Map<?, ?>) container).get(token);
  }

  private static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }

  private Object nativeOf(Object plain, String kind) {
    switch (kind) {
      case "undefined":
        return null;
      case "bigint":
        return new BigInteger((String) plain);
      case "date":
        return plain == null ? null : Instant.parse((String) plain);
      case "bytes": {
        List<?> list = (List<?>) plain;
        byte[] bytes = new byte[list.size()];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) (long) (Long) list.get(i);
        }
        return bytes;
      }
      case "nan":
        return Double.NaN;
      case "infinity":
        return "-Infinity".equals(plain) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      case "map":
        return plain;
      case "set":
        return new ExpectedSet((List<?>) plain);
      default:
        throw new AssertionError(name + ": unknown kind " + kind);
    }
  }

  /** A JS Set: compared unordered with a Java Set, in order with a List. */
  private record ExpectedSet(List<?> elements) {}

  // --- comparison --------------------------------------------------------------------------

  static void assertDeepEquals(String name, Object expected, Object actual) {
    String why = difference("", expected, actual);
    if (why != null) {
      fail(name + ": " + why + "\n  expected: " + show(expected) + "\n  actual:   " + show(actual));
    }
  }

  private static String show(Object v) {
    if (v instanceof byte[] b) {
      return "byte" + Arrays.toString(b);
    }
    return v + (v == null ? "" : " (" + v.getClass().getSimpleName() + ")");
  }

  /** Why {@code actual} differs from {@code expected} at {@code path}, or null. */
  private static String difference(String path, Object expected, Object actual) {
    if (expected == null || actual == null) {
      return expected == actual ? null : at(path, "null vs " + show(actual));
    }
    if (expected instanceof BigInteger e) {
      return actual instanceof BigInteger a && a.equals(e)
          ? null : at(path, "want BigInteger " + e + ", got " + show(actual));
    }
    if (expected instanceof Number e) {
      if (!(actual instanceof Long || actual instanceof Double)) {
        return at(path, "want a number, got " + show(actual));
      }
      double want = e.doubleValue();
      double got = ((Number) actual).doubleValue();
      boolean same = Double.isNaN(want) ? Double.isNaN(got) : want == got;
      if (!same) {
        return at(path, "want " + e + ", got " + actual);
      }
      boolean safeInteger = want == Math.rint(want) && Math.abs(want) <= Values.MAX_SAFE_INTEGER;
      if (safeInteger != (actual instanceof Long)) {
        return at(path, "integral numbers within 2^53 must be Long, others Double: "
            + show(actual));
      }
      return null;
    }
    if (expected instanceof byte[] e) {
      return actual instanceof byte[] a && Arrays.equals(e, a)
          ? null : at(path, "want byte" + Arrays.toString(e) + ", got " + show(actual));
    }
    if (expected instanceof String || expected instanceof Boolean || expected instanceof Instant) {
      return expected.equals(actual) ? null : at(path, "want " + show(expected) + ", got "
          + show(actual));
    }
    if (expected instanceof ExpectedSet set) {
      if (actual instanceof Set<?> a) {
        if (a.size() != set.elements().size()) {
          return at(path, "set sizes differ");
        }
        List<Object> left = new ArrayList<>(a);
        for (Object want : set.elements()) {
          boolean found = false;
          for (int i = 0; i < left.size() && !found; i++) {
            if (difference(path, want, left.get(i)) == null) {
              left.remove(i);
              found = true;
            }
          }
          if (!found) {
            return at(path, "set lacks " + show(want));
          }
        }
        return null;
      }
      return difference(path, set.elements(), actual);
    }
    if (expected instanceof List<?> e) {
      if (!(actual instanceof List<?> a) || a.size() != e.size()) {
        return at(path, "want a list of " + e.size() + ", got " + show(actual));
      }
      for (int i = 0; i < e.size(); i++) {
        String why = difference(path + "/" + i, e.get(i), a.get(i));
        if (why != null) {
          return why;
        }
      }
      return null;
    }
    if (expected instanceof Map<?, ?> e) { // keys in the same order
      if (!(actual instanceof Map<?, ?> a)
          || !new ArrayList<>(a.keySet()).equals(new ArrayList<>(e.keySet()))) {
        return at(path, "want an object with keys " + e.keySet() + " in this order, got "
            + show(actual));
      }
      for (Map.Entry<?, ?> entry : e.entrySet()) {
        String why = difference(path + "/" + entry.getKey(), entry.getValue(), a.get(entry.getKey()));
        if (why != null) {
          return why;
        }
      }
      return null;
    }
    return at(path, "cannot compare " + show(expected));
  }

  private static String at(String path, String what) {
    return (path.isEmpty() ? "at the root" : "at " + path) + ": " + what;
  }
}
