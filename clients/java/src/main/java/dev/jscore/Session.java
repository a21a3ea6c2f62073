package dev.jscore;

import dev.jscore.v1.DeleteSessionRequest;
import dev.jscore.v1.EvaluateResponse;
import dev.jscore.v1.JsCoreGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session on the daemon ({@link JsCoreClient#createSession}): one JS context that keeps its
 * globals between calls, pinned to one worker; the analogue of never_jscore's {@code
 * Context}. Its jobs run one at a time in arrival order, so it may be shared between threads
 * (its globals are then shared too).
 *
 * <pre>{@code
 * try (Session s = client.createSession()) {
 *   s.compile("var n = 0; function inc() { return ++n }");
 *   s.call("inc");        // 1L
 *   s.evaluate("n");      // 1L
 * }
 * }</pre>
 *
 * <p>{@link #close()} deletes it; otherwise the daemon deletes it after its idle TTL. A
 * session lost on the daemon (TTL, isolate replaced) raises {@link NotFoundException}.
 */
public final class Session implements AutoCloseable {
  private final JsCoreClient client;
  private final String id;
  private final int worker;
  private final AtomicBoolean closed = new AtomicBoolean();

  Session(JsCoreClient client, String id, int worker) {
    this.client = client;
    this.id = id;
    this.worker = worker;
  }

  /** The session id. */
  public String id() {
    return id;
  }

  /** The daemon worker the session lives on. */
  public int worker() {
    return worker;
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Runs {@code source} in the session for its definitions; the result is discarded. */
  public void compile(String source) {
    Responses.valueOf(evaluateResponse(Eval.of(source)));
  }

  /**
   * Runs {@code source} in the session and returns its value ({@code var}/{@code function}
   * declarations stay in the session).
   */
  public Object evaluate(String source) {
    return evaluate(Eval.of(source));
  }

  /** Runs {@code source} with {@code globals} set first (they stay in the session). */
  public Object evaluate(String source, Map<String, ?> globals) {
    return evaluate(Eval.of(source, globals));
  }

  public Object evaluate(Eval eval) {
    return Responses.valueOf(evaluateResponse(eval));
  }

  public Result evaluateResult(Eval eval) {
    return Responses.resultOf(evaluateResponse(eval));
  }

  public CompletableFuture<Object> evaluateAsync(String source) {
    Eval eval = Eval.of(source).session(id);
    return client.evaluateAsync(eval);
  }

  /** Calls the session's {@code function(args...)} (a dotted path); a promise is awaited. */
  public Object call(String function, Object... args) {
    return call(Call.of(function, args));
  }

  public Object call(Call call) {
    return Responses.valueOf(callResponse(call));
  }

  public Result callResult(Call call) {
    return Responses.resultOf(callResponse(call));
  }

  /**
   * Calls {@code function(args...)} in this session and returns its value as a {@code type}
   * (see {@link TypedValues}).
   *
   * @throws ValueTypeException the value does not fit {@code type}
   */
  public <T> T call(Class<T> type, String function, Object... args) {
    return TypedValues.as(call(function, args), type);
  }

  /** Evaluates {@code source} in this session; its value as a {@code type}. */
  public <T> T evaluate(Class<T> type, String source) {
    return TypedValues.as(evaluate(source), type);
  }

  public CompletableFuture<Object> callAsync(String function, Object... args) {
    Call call = Call.of(function, args);
    Duration t = client.timeoutOf(call.timeout());
    try {
      return Futures.map(
          client.unaryAsync(JsCoreGrpc.getCallMethod(), call.toRequest(t, null, id), t),
          Responses::valueOf);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private EvaluateResponse evaluateResponse(Eval eval) {
    Duration t = client.timeoutOf(eval.timeout());
    return client.unary(
        JsCoreGrpc.getEvaluateMethod(), eval.toRequest(t).toBuilder().setSession(id).build(), t);
  }

  private EvaluateResponse callResponse(Call call) {
    Duration t = client.timeoutOf(call.timeout());
    return client.unary(JsCoreGrpc.getCallMethod(), call.toRequest(t, null, id), t);
  }

  /**
   * Deletes the session on the daemon. Idempotent; a session the daemon already dropped (TTL,
   * isolate replaced) is not an error here.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      client.unary(
          JsCoreGrpc.getDeleteSessionMethod(),
          DeleteSessionRequest.newBuilder().setSession(id).build(),
          client.timeout());
    } catch (NotFoundException e) {
      // already gone
    }
  }

  @Override
  public String toString() {
    return "Session{" + id + ", worker=" + worker + "}";
  }
}
