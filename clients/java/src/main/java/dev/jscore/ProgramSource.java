package dev.jscore;

import dev.jscore.v1.BrowserProfile;
import dev.jscore.v1.SourceType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A program to load with {@link JsCoreClient#loadProgram(ProgramSource)}: its source, what
 * that source is (a classic script, CommonJS or an ES module), the module files it reaches,
 * its filename and its browser profile. Fluent setters:
 *
 * <pre>{@code
 * Program p = client.loadProgram(
 *     ProgramSource.of("import { sign } from './lib/sign.mjs'; export default sign;")
 *         .module()
 *         .modules(Map.of("lib/sign.mjs", signSource)));
 * p.call("default", "payload");
 * }</pre>
 *
 * <p>Build it, then hand it over (it is not meant to be changed while a load uses it).
 */
public final class ProgramSource {
  private final String source;
  private final Map<String, String> modules = new LinkedHashMap<>();
  private String filename;
  private SourceType type = SourceType.SOURCE_TYPE_SCRIPT;
  private BrowserProfile browser;

  private ProgramSource(String source) {
    if (source == null) {
      throw new NullPointerException("source");
    }
    this.source = source;
  }

  /** A program whose source is {@code source} (a classic script unless a type is set). */
  public static ProgramSource of(String source) {
    return new ProgramSource(source);
  }

  /** {@code source} with {@code require()} modules (or none, when null), as before types. */
  static ProgramSource of(String source, Map<String, String> modules, String filename) {
    return of(source).modules(modules).filename(filename);
  }

  /**
   * Adds module files (path to source: CommonJS, ES modules, JSON), a read-only tree that
   * {@code require()} and {@code import} resolve in as Node does ({@code "lib/util.js"},
   * {@code "data.json"}, {@code "node_modules/pkg/index.js"}); never the file system.
   */
  public ProgramSource modules(Map<String, String> modules) {
    if (modules != null) {
      this.modules.putAll(modules);
    }
    return this;
  }

  /** The source's path in the modules' tree (stack traces, relative requires and imports). */
  public ProgramSource filename(String filename) {
    this.filename = filename;
    return this;
  }

  /**
   * What the source is (default {@code SOURCE_TYPE_SCRIPT}). A script's calls name its
   * top-level bindings ({@code function}, {@code var}, {@code const}, {@code let}, {@code
   * class}); CommonJS's, properties of its {@code module.exports}; an ES module's, its
   * exports ({@code "default"}, {@code "sign"}, {@code "Lib.encrypt"}).
   */
  public ProgramSource type(SourceType type) {
    if (type == null || type == SourceType.UNRECOGNIZED) {
      throw new IllegalArgumentException("a source type, not " + type);
    }
    this.type = type;
    return this;
  }

  /** The source is a CommonJS module ({@code type(SOURCE_TYPE_COMMONJS)}). */
  public ProgramSource commonJs() {
    return type(SourceType.SOURCE_TYPE_COMMONJS);
  }

  /**
   * The source is an ES module, the root of a graph over the modules ({@code import}, {@code
   * export}, {@code import()}, top-level await, JSON imports): {@code
   * type(SOURCE_TYPE_MODULE)}.
   */
  public ProgramSource module() {
    return type(SourceType.SOURCE_TYPE_MODULE);
  }

  /**
   * The program's contexts get the browser profile ({@code window}, {@code navigator},
   * {@code document}, {@code location}...) with its defaults (a desktop Chrome on Windows).
   */
  public ProgramSource browser() {
    return browser(BrowserProfile.getDefaultInstance());
  }

  /** The browser profile shaped by {@code profile} (user agent, URL...); part of the id. */
  public ProgramSource browser(BrowserProfile profile) {
    this.browser = profile == null ? BrowserProfile.getDefaultInstance() : profile;
    return this;
  }

  String source() {
    return source;
  }

  Map<String, String> modules() {
    return modules;
  }

  String filename() {
    return filename;
  }

  SourceType type() {
    return type;
  }

  BrowserProfile browserProfile() {
    return browser;
  }
}
