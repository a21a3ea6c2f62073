package dev.jscore;

import java.lang.reflect.Type;

/**
 * A result does not fit the Java type it was asked for ({@link Result#as(Class)}, {@code
 * call(Class, ...)}, {@link TypedValues#as(Object, Class)}): a string asked for as a number, a
 * fraction as an {@code int}, a number past {@code Integer.MAX_VALUE} as an {@code int}, null
 * as a primitive... The call itself succeeded, so {@link #code()} is {@code null}.
 */
public final class ValueTypeException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final transient Type target;

  ValueTypeException(String path, Type target, String message) {
    super(message, null, null, null);
    this.path = path;
    this.target = target;
  }

  /**
   * Where in the value the mismatch is, as a JSON Pointer (RFC 6901): {@code ""} for the value
   * itself, {@code "/points/2/x"} inside it.
   */
  public String path() {
    return path;
  }

  /** The Java type the value at {@link #path()} should have fit. */
  public Type target() {
    return target;
  }
}
