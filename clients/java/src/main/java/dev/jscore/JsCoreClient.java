package dev.jscore;

import dev.jscore.v1.CreateSessionRequest;
import dev.jscore.v1.CreateSessionResponse;
import dev.jscore.v1.EvaluateRequest;
import dev.jscore.v1.EvaluateResponse;
import dev.jscore.v1.GetStatsRequest;
import dev.jscore.v1.GetStatsResponse;
import dev.jscore.v1.JsCoreGrpc;
import dev.jscore.v1.LoadProgramRequest;
import dev.jscore.v1.LoadProgramResponse;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a {@code jscored} daemon: one gRPC channel, thread-safe; share one client
 * between all your threads (and the {@link Program} and {@link Session} objects it returns).
 *
 * <pre>{@code
 * try (JsCoreClient client = JsCoreClient.builder().target("127.0.0.1:50051").build()) {
 *   client.evaluate("1 + 2");                          // 3L
 *   client.evaluate("x * 2", Map.of("x", 21));         // 42L
 *   Program prog = client.loadProgram("function sign(s, n) { return s + n }");
 *   prog.call("sign", "a", 1);                         // "a1"
 * }
 * }</pre>
 *
 * <p>Every blocking method has a {@code ...Async} variant that returns a {@link
 * CompletableFuture}; it completes exceptionally with the same {@link JsCoreException} the
 * blocking method throws (wrapped in a {@code CompletionException} by {@code join()}, an
 * {@code ExecutionException} by {@code get()}). Cancelling such a future cancels the RPC.
 */
public final class JsCoreClient implements AutoCloseable {
  /** The header that carries the bearer token. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String target;
  private final Duration timeout;
  private final ManagedChannel managed;
  private final boolean ownsChannel;
  private final Channel channel;

  private JsCoreClient(Builder b) {
    this.target = b.target;
    this.timeout = b.timeout;
    if (b.channel != null) {
      this.managed = b.channel;
      this.ownsChannel = false;
    } else {
      NettyChannelBuilder nb =
          NettyChannelBuilder.forTarget(b.target, b.credentials())
              .maxInboundMessageSize(b.maxMessageBytes)
              .userAgent("jscore-java");
      if (b.authority != null) {
        nb.overrideAuthority(b.authority);
      }
      if (b.executor != null) {
        nb.executor(b.executor);
      }
      this.managed = nb.build();
      this.ownsChannel = true;
    }
    if (b.token != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + b.token);
      this.channel =
          ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers));
    } else {
      this.channel = managed;
    }
  }

  /** A builder; {@code build()} connects lazily (the first call connects). */
  public static Builder builder() {
    return new Builder();
  }

  /** A plaintext client of {@code target} ({@code host:port}) with the default timeout. */
  public static JsCoreClient connect(String target) {
    return builder().target(target).build();
  }

  // --- evaluation ---------------------------------------------------------------------

  /**
   * Runs {@code source} in a fresh context and returns its value (a returned promise is
   * awaited), as a Java value (see {@link Values}).
   *
   * @throws JsErrorException the script threw, or its promise was rejected
   * @throws HookedException the script stopped itself with {@code $terminate(v)}
   * @throws JsCoreException any other failure, with its gRPC status code ({@link
   *     JsCoreTimeoutException} for a timeout...)
   */
  public Object evaluate(String source) {
    return evaluate(Eval.of(source));
  }

  /** Runs {@code source} with {@code globals} set as global variables first. */
  public Object evaluate(String source, Map<String, ?> globals) {
    return evaluate(Eval.of(source, globals));
  }

  /** Runs an evaluation (in its session, if it names one). */
  public Object evaluate(Eval eval) {
    return Responses.valueOf(evaluateResponse(eval));
  }

  /**
   * Runs {@code source} and returns its value as a {@code type} (see {@link TypedValues}):
   * {@code long n = client.evaluate(Long.class, "6 * 7");}.
   *
   * @throws ValueTypeException the value does not fit {@code type}
   */
  public <T> T evaluate(Class<T> type, String source) {
    return TypedValues.as(evaluate(source), type);
  }

  /** Runs {@code source} with {@code globals}; its value as a {@code type}. */
  public <T> T evaluate(Class<T> type, String source, Map<String, ?> globals) {
    return TypedValues.as(evaluate(source, globals), type);
  }

  /** Runs an evaluation; its value as a {@code type}. */
  public <T> T evaluate(Class<T> type, Eval eval) {
    return TypedValues.as(evaluate(eval), type);
  }

  /** {@link #evaluate(Class, String)} without blocking. */
  public <T> CompletableFuture<T> evaluateAsync(Class<T> type, String source) {
    return evaluateAsync(source).thenApply(v -> TypedValues.as(v, type));
  }

  /** Like {@link #evaluate(Eval)}, returning the whole {@link Result} (console, timings). */
  public Result evaluateResult(Eval eval) {
    return Responses.resultOf(evaluateResponse(eval));
  }

  public CompletableFuture<Object> evaluateAsync(String source) {
    return evaluateAsync(Eval.of(source));
  }

  public CompletableFuture<Object> evaluateAsync(String source, Map<String, ?> globals) {
    return evaluateAsync(Eval.of(source, globals));
  }

  public CompletableFuture<Object> evaluateAsync(Eval eval) {
    return Futures.map(evaluateResponseAsync(eval), Responses::valueOf);
  }

  public CompletableFuture<Result> evaluateResultAsync(Eval eval) {
    return Futures.map(evaluateResponseAsync(eval), Responses::resultOf);
  }

  private EvaluateResponse evaluateResponse(Eval eval) {
    Duration t = timeoutOf(eval.timeout());
    return unary(JsCoreGrpc.getEvaluateMethod(), eval.toRequest(t), t);
  }

  private CompletableFuture<EvaluateResponse> evaluateResponseAsync(Eval eval) {
    Duration t = timeoutOf(eval.timeout());
    EvaluateRequest request;
    try {
      request = eval.toRequest(t);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return unaryAsync(JsCoreGrpc.getEvaluateMethod(), request, t);
  }

  // --- programs -----------------------------------------------------------------------

  /**
   * Compiles {@code source} once on the daemon; call its functions with {@link
   * Program#call}.
   *
   * @throws JsErrorException the source does not compile (a {@code SyntaxError}...)
   */
  public Program loadProgram(String source) {
    return loadProgram(source, null, null);
  }

  /** Compiles a program whose code may {@code require(name)} these CommonJS modules. */
  public Program loadProgram(String source, Map<String, String> modules) {
    return loadProgram(source, modules, null);
  }

  /** As {@link #loadProgram(String, Map)}, with a filename for stack traces. */
  public Program loadProgram(String source, Map<String, String> modules, String filename) {
    return loadProgram(ProgramSource.of(source, modules, filename));
  }

  /**
   * Compiles a program of any kind: a script, CommonJS or an ES module graph over its
   * modules, with the browser profile if set ({@link ProgramSource}).
   *
   * @throws JsErrorException the source does not compile (a {@code SyntaxError}...)
   */
  public Program loadProgram(ProgramSource program) {
    Program loaded = new Program(this, Requests.loadProgram(program, false));
    loaded.reload();
    return loaded;
  }

  public CompletableFuture<Program> loadProgramAsync(String source, Map<String, String> modules) {
    return loadProgramAsync(ProgramSource.of(source, modules, null));
  }

  public CompletableFuture<Program> loadProgramAsync(ProgramSource source) {
    Program program;
    try {
      program = new Program(this, Requests.loadProgram(source, false));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return Futures.map(program.reloadAsync(), ignored -> program);
  }

  /** Checks that {@code source} compiles, keeping nothing; throws its JsErrorException if not. */
  public void validate(String source) {
    validate(source, null);
  }

  /** As {@link #validate(String)}, for a program with {@code require(name)} modules. */
  public void validate(String source, Map<String, String> modules) {
    validate(ProgramSource.of(source, modules, null));
  }

  /** As {@link #validate(String)}, for a program of any kind. */
  public void validate(ProgramSource program) {
    LoadProgramRequest request = Requests.loadProgram(program, true);
    checkLoad(unary(JsCoreGrpc.getLoadProgramMethod(), request, timeout));
  }

  static String checkLoad(LoadProgramResponse response) {
    if (response.hasError()) {
      throw Responses.jsError(response.getError(), java.util.List.of());
    }
    return response.getProgram();
  }

  // --- sessions -----------------------------------------------------------------------

  /** Creates a session with the defaults (see {@link #createSession(SessionOptions)}). */
  public Session createSession() {
    return createSession(SessionOptions.create());
  }

  /**
   * Creates a session: a JS context kept on the daemon and pinned to one worker, the
   * analogue of never_jscore's {@code Context}. Close it (try-with-resources) to delete it;
   * otherwise the daemon deletes it after its idle TTL.
   *
   * @throws JsErrorException the session's {@code source} threw
   */
  public Session createSession(SessionOptions options) {
    CreateSessionRequest request = Requests.createSession(options, options.programId());
    CreateSessionResponse response;
    try {
      response = unary(JsCoreGrpc.getCreateSessionMethod(), request, timeout);
    } catch (JsCoreException e) {
      if (options.program() == null || !e.isProgramNotLoaded()) {
        throw e;
      }
      options.program().reload();
      request = Requests.createSession(options, options.programId());
      response = unary(JsCoreGrpc.getCreateSessionMethod(), request, timeout);
    }
    if (response.hasError()) {
      throw Responses.jsError(response.getError(), java.util.List.of());
    }
    return new Session(this, response.getSession(), response.getWorker());
  }

  // --- batch --------------------------------------------------------------------------

  /** {@link #batch(Iterator, int, Duration)} with a window of 256 and no stream deadline. */
  public BatchStream batch(Iterator<? extends BatchItem> items) {
    return batch(items, 256, null);
  }

  /** {@link #batch(Iterator, int, Duration)} of a collection (or any iterable). */
  public BatchStream batch(Iterable<? extends BatchItem> items) {
    return batch(items.iterator(), 256, null);
  }

  /**
   * Sends many evaluations and calls through one {@code Batch} stream. Results come back in
   * completion order as {@link BatchResult}s, each with its item's id and its own outcome (a
   * failed item does not stop the stream).
   *
   * <p>{@code items} is consumed lazily, on the thread that iterates the results: at most
   * {@code window} items are sent beyond the results received. Close the stream (or use it in
   * try-with-resources) to cancel what is still pending when you stop early.
   *
   * @param window most items in flight (the daemon also bounds a stream, --batch_window)
   * @param streamTimeout deadline of the whole stream, or {@code null} for none; each item
   *     has its own timeout (default: the client's)
   */
  public BatchStream batch(Iterator<? extends BatchItem> items, int window, Duration streamTimeout) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    return new BatchStream(this, items, window, Requests.checkTimeout(streamTimeout));
  }

  // --- service ------------------------------------------------------------------------

  /** The daemon's counters: workers, queue, timeouts, programs, sessions. */
  public GetStatsResponse stats() {
    return unary(JsCoreGrpc.getGetStatsMethod(), GetStatsRequest.getDefaultInstance(), timeout);
  }

  /** The grpc.health.v1 status of the server: {@code "SERVING"}, {@code "NOT_SERVING"}... */
  public String health() {
    return unary(HealthGrpc.getCheckMethod(), HealthCheckRequest.getDefaultInstance(), timeout)
        .getStatus()
        .name();
  }

  /** The raw blocking stub (with the client's token), for what this API does not cover. */
  public JsCoreGrpc.JsCoreBlockingStub stub() {
    return JsCoreGrpc.newBlockingStub(channel);
  }

  /** The raw async stub (with the client's token). */
  public JsCoreGrpc.JsCoreStub asyncStub() {
    return JsCoreGrpc.newStub(channel);
  }

  /** The channel, with the client's token attached to every call. */
  public Channel channel() {
    return channel;
  }

  /** The default timeout of each request ({@code null}: the daemon's --default_timeout). */
  public Duration timeout() {
    return timeout;
  }

  public String target() {
    return target;
  }

  /** Shuts the channel down (if the client created it), waiting up to 5 s. Idempotent. */
  @Override
  public void close() {
    if (!ownsChannel) {
      return;
    }
    managed.shutdown();
    try {
      if (!managed.awaitTermination(5, TimeUnit.SECONDS)) {
        managed.shutdownNow();
      }
    } catch (InterruptedException e) {
      managed.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "JsCoreClient{" + target + ", timeout=" + timeout + "}";
  }

  // --- plumbing -----------------------------------------------------------------------

  Duration timeoutOf(Duration requested) {
    return requested != null ? requested : timeout;
  }

  CallOptions callOptions(Duration scriptTimeout) {
    Duration deadline = Requests.rpcDeadline(scriptTimeout);
    return deadline == null
        ? CallOptions.DEFAULT
        : CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A blocking unary call; failures become JsCoreExceptions. */
  <Q, R> R unary(MethodDescriptor<Q, R> method, Q request, Duration scriptTimeout) {
    try {
      return ClientCalls.blockingUnaryCall(channel, method, callOptions(scriptTimeout), request);
    } catch (StatusRuntimeException e) {
      throw Responses.fromThrowable(e);
    }
  }

  /** An async unary call; cancelling the future cancels the RPC. */
  <Q, R> CompletableFuture<R> unaryAsync(
      MethodDescriptor<Q, R> method, Q request, Duration scriptTimeout) {
    io.grpc.ClientCall<Q, R> call = channel.newCall(method, callOptions(scriptTimeout));
    CompletableFuture<R> future =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
              call.cancel("cancelled by the client", null);
            }
            return cancelled;
          }
        };
    ClientCalls.asyncUnaryCall(
        call,
        request,
        new StreamObserver<R>() {
          @Override
          public void onNext(R value) {
            future.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            future.completeExceptionally(Responses.fromThrowable(t));
          }

          @Override
          public void onCompleted() {}
        });
    return future;
  }

  /** Builds a {@link JsCoreClient}. */
  public static final class Builder {
    private String target = "127.0.0.1:50051";
    private Duration timeout = Duration.ofSeconds(5);
    private String token;
    private boolean tls;
    private File trustCerts;
    private File clientCert;
    private File clientKey;
    private String authority;
    private int maxMessageBytes = 64 * 1024 * 1024;
    private Executor executor;
    private ManagedChannel channel;

    private Builder() {}

    /** {@code host:port} of the daemon, or any gRPC target ({@code dns:///...}). */
    public Builder target(String target) {
      this.target = target;
      return this;
    }

    /**
     * Default timeout of each request (5 s by default); the daemon stops a script that runs
     * longer ({@link JsCoreTimeoutException}). {@code null} leaves it to the daemon's
     * {@code --default_timeout}.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Requests.checkTimeout(timeout);
      return this;
    }

    /** Sends {@code authorization: Bearer <token>} with every call (--auth_token_file). */
    public Builder bearerToken(String token) {
      this.token = token;
      return this;
    }

    /** Use TLS, trusting the system's CAs. */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** Use TLS, trusting the CA certificates of this PEM file (a private CA). */
    public Builder tlsTrust(File caPem) {
      this.tls = true;
      this.trustCerts = caPem;
      return this;
    }

    /** Use TLS with this client certificate chain and PKCS#8 key, PEM (mutual TLS). */
    public Builder tlsClientCert(File certChainPem, File privateKeyPem) {
      this.tls = true;
      this.clientCert = certChainPem;
      this.clientKey = privateKeyPem;
      return this;
    }

    /** The authority (TLS host name) to check the server against, when not the target's. */
    public Builder overrideAuthority(String authority) {
      this.authority = authority;
      return this;
    }

    /** Largest message received (64 MiB by default, as the daemon's). */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /** The executor of gRPC callbacks (and so of async completions); gRPC's pool by default. */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Use this channel instead of making one (target and TLS settings are then ignored; the
     * client does not shut it down).
     */
    public Builder channel(ManagedChannel channel) {
      this.channel = channel;
      return this;
    }

    public JsCoreClient build() {
      return new JsCoreClient(this);
    }

    private ChannelCredentials credentials() {
      if (!tls) {
        return InsecureChannelCredentials.create();
      }
      TcNative.ensureAvailable();
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      try {
        if (trustCerts != null) {
          b.trustManager(trustCerts);
        }
        if (clientCert != null) {
          b.keyManager(clientCert, clientKey);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading TLS files: " + e.getMessage(), e);
      }
      return b.build();
    }
  }
}
