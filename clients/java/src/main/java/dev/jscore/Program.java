package dev.jscore;

import dev.jscore.v1.CallRequest;
import dev.jscore.v1.EvaluateResponse;
import dev.jscore.v1.JsCoreGrpc;
import dev.jscore.v1.LoadProgramRequest;
import dev.jscore.v1.SourceType;
import dev.jscore.v1.UnloadProgramRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A program loaded on the daemon ({@link JsCoreClient#loadProgram}): compiled once, its
 * functions called many times. Thread-safe.
 *
 * <p>It keeps its source, so when a daemon answers that it does not hold the program
 * ({@code FAILED_PRECONDITION} with an {@code ErrorDetail} of reason {@code
 * PROGRAM_NOT_LOADED}: a restart, another replica behind a load balancer, an unload), {@link
 * #call} re-sends it and retries once.
 *
 * <p>Program functions should be pure: state they mutate persists per daemon worker, so two
 * calls may see different state ({@link Call#fresh(boolean)} runs in a fresh copy).
 */
public final class Program {
  private final JsCoreClient client;
  private final LoadProgramRequest load; // as loaded, and as re-sent
  private volatile String id;

  Program(JsCoreClient client, LoadProgramRequest load) {
    this.client = client;
    this.load = load;
  }

  /**
   * The program id: the hex SHA-256 of its source and modules (and of its type and browser
   * profile when they are set).
   */
  public String id() {
    return id;
  }

  public String source() {
    return load.getSource();
  }

  public Map<String, String> modules() {
    return load.getModulesMap();
  }

  /** What the source is: a script, CommonJS or an ES module. */
  public SourceType type() {
    return load.getType();
  }

  /**
   * Calls {@code function(args...)}; {@code function} is a dotted path whose first name is a
   * top-level binding of a script ({@code function}, {@code var}, {@code const}, {@code let},
   * {@code class}), a property of a CommonJS program's {@code module.exports} or an export of
   * an ES module ({@code "sign"}, {@code "CryptoLib.encrypt"}, {@code "default"}). A returned
   * promise is awaited.
   *
   * @throws JsErrorException the function threw (or is not a function)
   */
  public Object call(String function, Object... args) {
    return call(Call.of(function, args));
  }

  /** Makes a call (its timeout, {@code fresh}...) into this program, whatever it names. */
  public Object call(Call call) {
    return Responses.valueOf(callResponse(call));
  }

  /** Like {@link #call(Call)}, returning the whole {@link Result}. */
  public Result callResult(Call call) {
    return Responses.resultOf(callResponse(call));
  }

  /**
   * Calls {@code function(args...)} and returns its value as a {@code type} (see {@link
   * TypedValues}): {@code int n = program.call(Integer.class, "add", 1, 2);}.
   *
   * @throws ValueTypeException the value does not fit {@code type}
   * @throws JsErrorException the function threw (or is not a function)
   */
  public <T> T call(Class<T> type, String function, Object... args) {
    return TypedValues.as(call(Call.of(function, args)), type);
  }

  /** Makes a call and returns its value as a {@code type} (see {@link TypedValues}). */
  public <T> T call(Class<T> type, Call call) {
    return TypedValues.as(call(call), type);
  }

  public CompletableFuture<Object> callAsync(String function, Object... args) {
    return callAsync(Call.of(function, args));
  }

  /** {@link #call(Class, String, Object...)} without blocking. */
  public <T> CompletableFuture<T> callAsync(Class<T> type, String function, Object... args) {
    return callAsync(Call.of(function, args)).thenApply(v -> TypedValues.as(v, type));
  }

  public CompletableFuture<Object> callAsync(Call call) {
    return Futures.map(callResponseAsync(call), Responses::valueOf);
  }

  public CompletableFuture<Result> callResultAsync(Call call) {
    return Futures.map(callResponseAsync(call), Responses::resultOf);
  }

  private EvaluateResponse callResponse(Call call) {
    Duration t = client.timeoutOf(call.timeout());
    CallRequest request = call.toRequest(t, id, null);
    try {
      return client.unary(JsCoreGrpc.getCallMethod(), request, t);
    } catch (JsCoreException e) {
      if (!e.isProgramNotLoaded()) {
        throw e;
      }
    }
    reload();
    return client.unary(JsCoreGrpc.getCallMethod(), request.toBuilder().setProgram(id).build(), t);
  }

  private CompletableFuture<EvaluateResponse> callResponseAsync(Call call) {
    Duration t = client.timeoutOf(call.timeout());
    CallRequest request;
    try {
      request = call.toRequest(t, id, null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // The RPC under way (the call, the reload, the retry): what cancelling cancels.
    AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();
    CompletableFuture<EvaluateResponse> first =
        client.unaryAsync(JsCoreGrpc.getCallMethod(), request, t);
    current.set(first);
    CompletableFuture<EvaluateResponse> outcome =
        first.exceptionallyCompose(
            failure -> {
              JsCoreException e = Responses.fromThrowable(failure);
              if (!e.isProgramNotLoaded()) {
                return CompletableFuture.failedFuture(e);
              }
              CompletableFuture<Void> reload = reloadAsync();
              current.set(reload);
              return reload.thenCompose(
                  ignored -> {
                    CompletableFuture<EvaluateResponse> retry =
                        client.unaryAsync(
                            JsCoreGrpc.getCallMethod(),
                            request.toBuilder().setProgram(id).build(),
                            t);
                    current.set(retry);
                    return retry;
                  });
            });
    outcome.whenComplete((value, failure) -> {
      if (outcome.isCancelled()) {
        current.get().cancel(false);
      }
    });
    return outcome;
  }

  /** Sends the program to the daemon again (what {@link #call} does when needed). */
  public void reload() {
    id = JsCoreClient.checkLoad(
        client.unary(JsCoreGrpc.getLoadProgramMethod(), loadRequest(), client.timeout()));
  }

  /** {@link #reload()}, asynchronously. */
  public CompletableFuture<Void> reloadAsync() {
    return Futures.map(
        client.unaryAsync(JsCoreGrpc.getLoadProgramMethod(), loadRequest(), client.timeout()),
        response -> {
          id = JsCoreClient.checkLoad(response);
          return null;
        });
  }

  private LoadProgramRequest loadRequest() {
    return load;
  }

  /** Drops the program from the daemon ({@link NotFoundException} if it is not loaded). */
  public void unload() {
    client.unary(
        JsCoreGrpc.getUnloadProgramMethod(),
        UnloadProgramRequest.newBuilder().setProgram(id).build(),
        client.timeout());
  }

  /** A session that starts from this program's globals. */
  public Session createSession() {
    return client.createSession(SessionOptions.create().program(this));
  }

  @Override
  public String toString() {
    String shown = id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    return "Program{" + shown + "...}";
  }
}
