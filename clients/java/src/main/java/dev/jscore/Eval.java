package dev.jscore;

import dev.jscore.v1.EvaluateRequest;
import dev.jscore.v1.Extensions;
import dev.jscore.v1.SourceType;
import dev.jscore.v1.ValueEncoding;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An evaluation: a script, its globals and options. Pass it to {@link
 * JsCoreClient#evaluate(Eval)}, {@link Session#evaluate(Eval)}, or as a batch item.
 *
 * <pre>{@code
 * client.evaluate(Eval.of("x * 2").global("x", 21).timeout(Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>A builder with fluent setters: build it, then hand it over (it is not meant to be
 * changed while a call uses it).
 */
public final class Eval implements BatchItem {
  private final String source;
  private final Map<String, Object> globals = new LinkedHashMap<>();
  private String id;
  private Duration timeout;
  private String filename;
  private boolean extensions = true;
  private String session;
  private SourceType type = SourceType.SOURCE_TYPE_SCRIPT;
  private final Map<String, String> modules = new LinkedHashMap<>();
  private EvaluateRequest.Builder extra;

  private Eval(String source) {
    if (source == null) {
      throw new NullPointerException("source");
    }
    this.source = source;
  }

  /** Evaluates {@code source} (a returned promise is awaited). */
  public static Eval of(String source) {
    return new Eval(source);
  }

  /** Evaluates {@code source} with these globals. */
  public static Eval of(String source, Map<String, ?> globals) {
    return new Eval(source).globals(globals);
  }

  /**
   * Adds global variables, set before the script runs in the order they were added (a {@code
   * Map}'s iteration order; see {@link JsValues#encode} for the values).
   */
  public Eval globals(Map<String, ?> globals) {
    if (globals != null) {
      this.globals.putAll(globals);
    }
    return this;
  }

  /** Adds one global variable. */
  public Eval global(String name, Object value) {
    globals.put(name, value);
    return this;
  }

  /** The id echoed on the batch result (default: the item's index). */
  public Eval id(String id) {
    this.id = id;
    return this;
  }

  /** How long the script may run (default: the client's timeout). */
  public Eval timeout(Duration timeout) {
    this.timeout = Requests.checkTimeout(timeout);
    return this;
  }

  /** Shown in stack traces (default {@code <eval>}). */
  public Eval filename(String filename) {
    this.filename = filename;
    return this;
  }

  /** {@code false} for bare ECMAScript (no timers, no console). */
  public Eval extensions(boolean extensions) {
    this.extensions = extensions;
    return this;
  }

  /** Runs in this session instead of a fresh context. */
  public Eval session(Session session) {
    this.session = session.id();
    return this;
  }

  /** Runs in the session with this id instead of a fresh context. */
  public Eval session(String sessionId) {
    this.session = sessionId;
    return this;
  }

  /**
   * What the source is (fresh evaluations): {@code SOURCE_TYPE_COMMONJS} answers its {@code
   * module.exports}, {@code SOURCE_TYPE_MODULE} (an ES module graph over {@link
   * #modules(Map)}) its namespace, the exports as an object.
   */
  public Eval type(SourceType type) {
    if (type == null || type == SourceType.UNRECOGNIZED) {
      throw new IllegalArgumentException("a source type, not " + type);
    }
    this.type = type;
    return this;
  }

  /** Adds module files (path to source) that {@code require()} and {@code import} reach. */
  public Eval modules(Map<String, String> modules) {
    if (modules != null) {
      this.modules.putAll(modules);
    }
    return this;
  }

  /**
   * Sets fields this class has no setter for ({@code random_seed}, {@code frozen_time_ms},
   * {@code profile}, {@code browser}, {@code probe}) on the raw request; they are merged into
   * the request this item becomes.
   */
  public Eval raw(EvaluateRequest fields) {
    this.extra = fields.toBuilder();
    return this;
  }

  @Override
  public String id() {
    return id;
  }

  public String source() {
    return source;
  }

  public Map<String, Object> globals() {
    return globals;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The request, with {@code defaultTimeout} when the item sets none. */
  EvaluateRequest toRequest(Duration defaultTimeout) {
    EvaluateRequest.Builder b = extra != null ? extra.clone() : EvaluateRequest.newBuilder();
    b.setSource(source);
    if (filename != null) {
      b.setFilename(filename);
    }
    if (session != null) {
      b.setSession(session);
    }
    if (!extensions) {
      b.setExtensions(Extensions.EXTENSIONS_NONE);
    }
    if (type != SourceType.SOURCE_TYPE_SCRIPT) {
      b.setType(type);
    }
    if (!modules.isEmpty()) {
      if (modules.containsKey(null) || modules.containsValue(null)) {
        throw new IllegalArgumentException("module paths and sources must not be null");
      }
      b.putAllModules(modules);
    }
    Duration t = timeout != null ? timeout : defaultTimeout;
    if (t != null) {
      b.setTimeout(Requests.duration(t));
    }
    if (!globals.isEmpty()) {
      if (globals.containsKey(null)) {
        throw new IllegalArgumentException("global names must not be null");
      }
      b.setGlobalsJson(JsValues.encode(globals)); // defined in the order they were added
    }
    return b.setValueEncoding(ValueEncoding.VALUE_ENCODING_JSON).build();
  }

  @Override
  public String toString() {
    return "Eval{" + (id == null ? "" : "id=" + id + ", ") + "source=" + abbreviate(source) + "}";
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
