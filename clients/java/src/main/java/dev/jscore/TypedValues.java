package dev.jscore;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed results: a decoded JS value (the Java values of {@link Values}) as the Java type the
 * caller asks for, strictly. What {@link Result#as(Class)} and the {@code call(Class, ...)} /
 * {@code evaluate(Class, ...)} methods use.
 *
 * <table>
 *   <caption>what each Java type takes</caption>
 *   <tr><th>Java type</th><th>JS value</th></tr>
 *   <tr><td>{@code String}</td><td>a string (never a number or boolean: no coercion)</td></tr>
 *   <tr><td>{@code boolean}, {@code Boolean}</td><td>a boolean</td></tr>
 *   <tr><td>{@code long}, {@code int}, {@code short}, {@code byte} and boxes</td><td>an integral
 *       number or BigInt within the type's range</td></tr>
 *   <tr><td>{@code double}, {@code float} and boxes</td><td>a number (NaN and ±Infinity
 *       included)</td></tr>
 *   <tr><td>{@code BigInteger}, {@code BigDecimal}, {@code Number}</td><td>a number or BigInt
 *       ({@code BigInteger}: integral only)</td></tr>
 *   <tr><td>an enum</td><td>a string naming one of its constants</td></tr>
 *   <tr><td>{@code List<E>}, {@code Collection<E>}, {@code Set<E>}, {@code E[]}</td><td>an array
 *       or Set, each element as {@code E}</td></tr>
 *   <tr><td>{@code Map<String, V>}</td><td>an object or Map, each value as {@code V}, keys in
 *       order</td></tr>
 *   <tr><td>a record</td><td>an object: each component from the property of its name (a missing
 *       property is {@code null}, an error for a primitive component)</td></tr>
 *   <tr><td>any other class with a no-argument constructor</td><td>an object: each non-static,
 *       non-transient field (inherited ones too) from the property of its name; a missing
 *       property leaves the field as the constructor set it</td></tr>
 *   <tr><td>{@code Object}, or a type the value already is</td><td>anything, unchanged</td></tr>
 * </table>
 *
 * <p>Properties no component or field names are ignored. {@code null} and {@code undefined}
 * become {@code null} for every type but a primitive. Anything else that does not fit throws
 * {@link ValueTypeException}, which names where ({@link ValueTypeException#path()}) and why.
 * Generic targets ({@code List<Point>}) go through the {@link Type} overloads, with a {@code
 * ParameterizedType} such as gson's {@code new TypeToken<List<Point>>() {}.getType()}.
 */
public final class TypedValues {
  private TypedValues() {}

  /**
   * {@code value} (a Java value as {@link Values#decode} makes them) as a {@code type}.
   *
   * @throws ValueTypeException the value does not fit {@code type}
   */
  public static <T> T as(Object value, Class<T> type) {
    @SuppressWarnings("unchecked") // convert returns a `type` or the box of a primitive `type`
    T t = (T) convert(value, type, "");
    return t;
  }

  /**
   * {@code value} as the generic {@code type} (a {@code Class} or a {@code ParameterizedType}
   * such as {@code List<Point>}).
   *
   * @throws ValueTypeException the value does not fit {@code type}
   */
  public static Object as(Object value, Type type) {
    return convert(value, type, "");
  }

  private static Object convert(Object value, Type type, String path) {
    if (type instanceof WildcardType w) {
      return convert(value, w.getUpperBounds()[0], path);
    }
    if (type instanceof TypeVariable<?> v) {
      return convert(value, v.getBounds()[0], path);
    }
    if (type instanceof GenericArrayType g) {
      return array(value, g.getGenericComponentType(), raw(g.getGenericComponentType()), type, path);
    }
    Class<?> raw = raw(type);
    if (value == null) {
      if (raw.isPrimitive()) {
        throw mismatch(path, type, value, "a primitive cannot be null");
      }
      return null;
    }
    if (raw == Object.class) {
      return value;
    }
    Class<?> box = box(raw);
    if (Number.class.isAssignableFrom(box) && box != Number.class) {
      return number(value, box, type, path);
    }
    if (box == Boolean.class || box == String.class || box == Number.class
        || box == Instant.class) {
      if (box.isInstance(value)) {
        return value;
      }
      throw mismatch(path, type, value, null);
    }
    if (box == Character.class) {
      if (value instanceof String s && s.length() == 1) {
        return s.charAt(0);
      }
      throw mismatch(path, type, value, "a Character takes a string of one char");
    }
    if (raw.isEnum()) {
      return enumConstant(value, raw, type, path);
    }
    if (raw.isArray()) {
      if (raw.isInstance(value)) {
        return value; // a Uint8Array as byte[]
      }
      return array(value, raw.getComponentType(), raw.getComponentType(), type, path);
    }
    if (Collection.class.isAssignableFrom(raw) || raw == Iterable.class) {
      return collection(value, raw, typeArgument(type, 0), type, path);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return map(value, raw, type, path);
    }
    if (raw.isInstance(value)) {
      return value;
    }
    if (value instanceof Map<?, ?> object && !raw.isInterface()
        && !Modifier.isAbstract(raw.getModifiers())) {
      return raw.isRecord() ? record(object, raw, path) : bean(object, raw, path);
    }
    throw mismatch(path, type, value, null);
  }

  // --- numbers --------------------------------------------------------------------------

  private static Object number(Object value, Class<?> box, Type type, String path) {
    if (!(value instanceof Number n)) {
      throw mismatch(path, type, value, null);
    }
    if (box == Double.class) {
      if (n instanceof BigInteger) {
        throw mismatch(path, type, value, "a BigInt is not a double; ask for BigInteger");
      }
      return n.doubleValue();
    }
    if (box == Float.class) {
      if (n instanceof BigInteger) {
        throw mismatch(path, type, value, "a BigInt is not a float; ask for BigInteger");
      }
      return n.floatValue();
    }
    if (box == BigDecimal.class) {
      if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
        throw mismatch(path, type, value, "not a finite number");
      }
      return n instanceof BigInteger b ? new BigDecimal(b) : new BigDecimal(n.toString());
    }
    BigInteger integral = integral(n);
    if (integral == null) {
      throw mismatch(path, type, value, "not an integer");
    }
    if (box == BigInteger.class) {
      return integral;
    }
    long min;
    long max;
    if (box == Long.class) {
      min = Long.MIN_VALUE;
      max = Long.MAX_VALUE;
    } else if (box == Integer.class) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else if (box == Short.class) {
      min = Short.MIN_VALUE;
      max = Short.MAX_VALUE;
    } else if (box == Byte.class) {
      min = Byte.MIN_VALUE;
      max = Byte.MAX_VALUE;
    } else {
      throw mismatch(path, type, value, "unsupported number type");
    }
    if (integral.compareTo(BigInteger.valueOf(min)) < 0
        || integral.compareTo(BigInteger.valueOf(max)) > 0) {
      throw mismatch(path, type, value, "out of range [" + min + ", " + max + "]");
    }
    long l = integral.longValue();
    if (box == Long.class) {
      return l;
    }
    if (box == Integer.class) {
      return (int) l;
    }
    return box == Short.class ? (Object) (short) l : (Object) (byte) l;
  }

  /** The integer {@code n} is, or null when it has a fraction or is not finite. */
  private static BigInteger integral(Number n) {
    if (n instanceof BigInteger b) {
      return b;
    }
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return BigInteger.valueOf(n.longValue());
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
      return null;
    }
    return new BigDecimal(d).toBigInteger();
  }

  // --- containers -----------------------------------------------------------------------

  private static Object array(Object value, Type element, Class<?> rawElement, Type type,
      String path) {
    if (!(value instanceof Collection<?> items)) {
      throw mismatch(path, type, value, null);
    }
    Object out = Array.newInstance(rawElement, items.size());
    int i = 0;
    for (Object item : items) {
      Array.set(out, i, convert(item, element, path + "/" + i));
      i++;
    }
    return out;
  }

  private static Object collection(Object value, Class<?> raw, Type element, Type type,
      String path) {
    if (!(value instanceof Collection<?> items)) {
      throw mismatch(path, type, value, null);
    }
    Collection<Object> out;
    if (raw.isAssignableFrom(ArrayList.class)) {
      out = new ArrayList<>(items.size());
    } else if (raw.isAssignableFrom(LinkedHashSet.class)) {
      out = new LinkedHashSet<>();
    } else {
      throw mismatch(path, type, value, "ask for List, Collection or Set");
    }
    int i = 0;
    for (Object item : items) {
      out.add(convert(item, element, path + "/" + i));
      i++;
    }
    if (out instanceof Set<?> && out.size() != items.size()) {
      throw mismatch(path, type, value, "its elements are not distinct as " + element.getTypeName());
    }
    return out;
  }

  private static Object map(Object value, Class<?> raw, Type type, String path) {
    if (!(value instanceof Map<?, ?> object)) {
      throw mismatch(path, type, value, null);
    }
    Class<?> key = raw(typeArgument(type, 0));
    if (key != String.class && key != Object.class && key != CharSequence.class) {
      throw mismatch(path, type, value, "a JS object's keys are Strings");
    }
    if (!raw.isAssignableFrom(LinkedHashMap.class)) {
      throw mismatch(path, type, value, "ask for Map or LinkedHashMap");
    }
    Type element = typeArgument(type, 1);
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : object.entrySet()) {
      String k = String.valueOf(e.getKey());
      out.put(k, convert(e.getValue(), element, path + "/" + escape(k)));
    }
    return out;
  }

  private static Object enumConstant(Object value, Class<?> raw, Type type, String path) {
    if (value instanceof String s) {
      for (Object constant : raw.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(s)) {
          return constant;
        }
      }
    }
    throw mismatch(path, type, value, "not the name of a constant of " + raw.getSimpleName());
  }

  // --- records and classes --------------------------------------------------------------

  private static Object record(Map<?, ?> object, Class<?> raw, String path) {
    RecordComponent[] components = raw.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String where = path + "/" + escape(c.getName());
      if (!object.containsKey(c.getName()) && c.getType().isPrimitive()) {
        throw mismatch(where, c.getGenericType(), null, "missing property of a primitive component");
      }
      args[i] = convert(object.get(c.getName()), c.getGenericType(), where);
    }
    try {
      Constructor<?> canonical = raw.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(args);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ValueTypeException(path, raw,
          "cannot make a " + raw.getName() + " at '" + path + "': " + rootMessage(e));
    }
  }

  private static Object bean(Map<?, ?> object, Class<?> raw, String path) {
    Object out;
    try {
      Constructor<?> constructor = raw.getDeclaredConstructor();
      constructor.setAccessible(true);
      out = constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ValueTypeException(path, raw, "cannot make a " + raw.getName() + " at '" + path
          + "' (a class needs a no-argument constructor): " + rootMessage(e));
    }
    for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int mod = f.getModifiers();
        if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()
            || !object.containsKey(f.getName())) {
          continue;
        }
        String where = path + "/" + escape(f.getName());
        Object v = convert(object.get(f.getName()), f.getGenericType(), where);
        try {
          f.setAccessible(true);
          f.set(out, v);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new ValueTypeException(where, f.getGenericType(),
              "cannot set " + c.getName() + "." + f.getName() + ": " + rootMessage(e));
        }
      }
    }
    return out;
  }

  // --- helpers --------------------------------------------------------------------------

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof GenericArrayType g) {
      return Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
    }
    if (type instanceof WildcardType w) {
      return raw(w.getUpperBounds()[0]);
    }
    if (type instanceof TypeVariable<?> v) {
      return raw(v.getBounds()[0]);
    }
    return Object.class;
  }

  /** The i-th type argument of a parameterized type; Object for a raw one. */
  private static Type typeArgument(Type type, int i) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
      return p.getActualTypeArguments()[i];
    }
    return Object.class;
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    return c == char.class ? Character.class : Void.class;
  }

  /** A JSON Pointer reference token (RFC 6901). */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static ValueTypeException mismatch(String path, Type type, Object value, String why) {
    String shown = value == null ? "null" : value instanceof String s ? quote(s) : preview(value);
    String kind = value == null ? "" : " (" + value.getClass().getSimpleName() + ")";
    return new ValueTypeException(path, type, "the value at '" + path + "', " + shown + kind
        + ", does not fit " + type.getTypeName() + (why == null ? "" : ": " + why));
  }

  private static String quote(String s) {
    return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
  }

  private static String preview(Object value) {
    String s = value instanceof byte[] b ? "byte[" + b.length + "]" : String.valueOf(value);
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.toString();
  }
}
