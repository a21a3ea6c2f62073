package dev.jscore;

import dev.jscore.v1.EvaluateResponse;
import java.util.List;

/**
 * The script stopped itself and handed back a value ({@code $terminate(v)}): {@link #data()}
 * is that value, decoded as results are (see {@link Values}). {@link #code()} is {@code null}.
 */
public class HookedException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  private final transient Object data;
  private final List<ConsoleLine> console;
  private final transient EvaluateResponse response;

  public HookedException(Object data, List<ConsoleLine> console, EvaluateResponse response) {
    super("the script terminated itself and handed back data", null, null, null);
    this.data = data;
    this.console = List.copyOf(console);
    this.response = response;
  }

  /** The handed-back value, as a Java value. */
  public Object data() {
    return data;
  }

  /** The raw response (its {@code hook_data} and annotations), or null. */
  public EvaluateResponse response() {
    return response;
  }

  /** The script's console output up to that point. */
  public List<ConsoleLine> console() {
    return console;
  }
}
