package dev.jscore;

import dev.jscore.v1.CreateSessionRequest;
import java.time.Duration;

/**
 * How {@link JsCoreClient#createSession(SessionOptions)} makes a session. Fluent setters:
 *
 * <pre>{@code
 * try (Session s = client.createSession(SessionOptions.create().program(prog).ttl(Duration.ofMinutes(1)))) {
 *   ...
 * }
 * }</pre>
 */
public final class SessionOptions {
  private Program program;
  private String programId;
  private String source;
  private Duration ttl;
  private boolean extensions = true;
  private Long randomSeed;
  private Long frozenTimeMs;
  private CreateSessionRequest raw;

  private SessionOptions() {}

  public static SessionOptions create() {
    return new SessionOptions();
  }

  /** Start from this program's globals (re-sent and retried once if the daemon lost it). */
  public SessionOptions program(Program program) {
    this.program = program;
    this.programId = null;
    return this;
  }

  /** Start from the globals of the program with this id. */
  public SessionOptions program(String programId) {
    this.program = null;
    this.programId = programId;
    return this;
  }

  /** A script run once when the session is created. */
  public SessionOptions source(String source) {
    this.source = source;
    return this;
  }

  /** Idle time after which the daemon deletes the session (default: its --session_ttl). */
  public SessionOptions ttl(Duration ttl) {
    this.ttl = Requests.checkTimeout(ttl);
    return this;
  }

  /** {@code false} for bare ECMAScript (no timers, no console). */
  public SessionOptions extensions(boolean extensions) {
    this.extensions = extensions;
    return this;
  }

  /** Seeds the session's Math.random and crypto randomness once, at creation. */
  public SessionOptions randomSeed(long seed) {
    this.randomSeed = seed;
    return this;
  }

  /** Freezes the session's clock (Date.now()) at this epoch millisecond. */
  public SessionOptions frozenTimeMs(long epochMillis) {
    this.frozenTimeMs = epochMillis;
    return this;
  }

  /** Fields this class has no setter for (profile, browser), merged into the request. */
  public SessionOptions raw(CreateSessionRequest fields) {
    this.raw = fields;
    return this;
  }

  Program program() {
    return program;
  }

  String programId() {
    return program != null ? program.id() : programId;
  }

  String source() {
    return source;
  }

  Duration ttl() {
    return ttl;
  }

  boolean extensions() {
    return extensions;
  }

  Long randomSeed() {
    return randomSeed;
  }

  Long frozenTimeMs() {
    return frozenTimeMs;
  }

  CreateSessionRequest raw() {
    return raw;
  }
}
