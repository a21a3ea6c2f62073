package dev.jscore;

import java.util.List;

/**
 * The script threw, or returned a rejected promise (also: a result that cannot be converted,
 * such as a cycle or a value past the daemon's size or depth limit). The RPC itself succeeded:
 * {@link #code()} is {@code null}.
 *
 * <p>{@link #getMessage()} is {@code "Name: message"}; {@link #message()} is the JS error's own
 * message and {@link #stack()} its stack as V8 formats it.
 */
public class JsErrorException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String message;
  private final String stack;
  private final int line;
  private final int column;
  private final String sourceLine;
  private final List<ConsoleLine> console;
  private final boolean hasThrown;
  private final transient Object thrown;

  public JsErrorException(
      String name,
      String message,
      String stack,
      int line,
      int column,
      String sourceLine,
      List<ConsoleLine> console) {
    this(name, message, stack, line, column, sourceLine, console, false, null);
  }

  /** With the value of a thrown non-Error ({@code hasThrown}; see {@link #thrown()}). */
  public JsErrorException(
      String name,
      String message,
      String stack,
      int line,
      int column,
      String sourceLine,
      List<ConsoleLine> console,
      boolean hasThrown,
      Object thrown) {
    super(name.isEmpty() ? message : name + ": " + message, null, null, null);
    this.hasThrown = hasThrown;
    this.thrown = thrown;
    this.name = name;
    this.message = message;
    this.stack = stack;
    this.line = line;
    this.column = column;
    this.sourceLine = sourceLine;
    this.console = List.copyOf(console);
  }

  /** The error's constructor name ({@code "TypeError"}...); empty when a non-Error was thrown. */
  public String name() {
    return name;
  }

  /** The JS error's message. */
  public String message() {
    return message;
  }

  /** The JS stack trace, as V8 formats it (may be empty). */
  public String stack() {
    return stack;
  }

  /** 1-based line of the throw, 0 if unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the throw, 0 if unknown. */
  public int column() {
    return column;
  }

  /** The source line of the throw, when known (else empty). */
  public String sourceLine() {
    return sourceLine;
  }

  /**
   * The thrown value when the script threw something that is not an Error ({@code throw {code:
   * 7}}, {@code throw "x"}), decoded like a result (objects as {@code LinkedHashMap}s in JS key
   * order); {@link #name()} is then empty and {@link #message()} the value as {@code
   * console.log} writes it. {@code null} for an Error: see {@link #hasThrown()}.
   */
  public Object thrown() {
    return thrown;
  }

  /** The script threw a non-Error value (then {@link #thrown()} holds it, maybe null). */
  public boolean hasThrown() {
    return hasThrown;
  }

  /** The script's console output up to the throw. */
  public List<ConsoleLine> console() {
    return console;
  }
}
