package dev.jscore;

import dev.jscore.v1.CallRequest;
import dev.jscore.v1.ValueEncoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function call into a program or a session: the function (a dotted path from the global
 * object, {@code "sign"}, {@code "CryptoLib.encrypt"}), its arguments and options. Pass it
 * to {@link Program#call(Call)}, {@link Session#call(Call)}, or, naming its program or
 * session, as a batch item:
 *
 * <pre>{@code
 * client.batch(IntStream.range(0, 1000).mapToObj(i -> Call.of("sign", "a", i).program(prog)).iterator());
 * }</pre>
 *
 * <p>A call item that names a {@link Program} object is retried once, after the program is
 * re-sent, when the daemon answers that it does not hold it. A builder with fluent setters.
 */
public final class Call implements BatchItem {
  private final String function;
  private final List<Object> args;
  private String id;
  private Duration timeout;
  private boolean fresh;
  private Program program;
  private String programId;
  private String session;
  private CallRequest.Builder extra;

  private Call(String function, List<Object> args) {
    if (function == null) {
      throw new NullPointerException("function");
    }
    this.function = function;
    this.args = args;
  }

  /** Calls {@code function(args...)}; a returned promise is awaited. */
  public static Call of(String function, Object... args) {
    return new Call(function, args == null ? Arrays.asList((Object) null) : Arrays.asList(args));
  }

  /** Calls {@code function} with the elements of {@code args} as its arguments. */
  public static Call withArgs(String function, List<?> args) {
    return new Call(function, args == null ? List.of() : new ArrayList<>(args));
  }

  /** Calls into this program (re-sent and retried once if the daemon lost it). */
  public Call program(Program program) {
    this.program = program;
    this.programId = null;
    this.session = null;
    return this;
  }

  /** Calls into the program with this id (cannot be re-sent if the daemon lost it). */
  public Call program(String programId) {
    this.program = null;
    this.programId = programId;
    this.session = null;
    return this;
  }

  /** Calls into this session. */
  public Call session(Session session) {
    return session(session.id());
  }

  /** Calls into the session with this id. */
  public Call session(String sessionId) {
    this.program = null;
    this.programId = null;
    this.session = sessionId;
    return this;
  }

  /** The id echoed on the batch result (default: the item's index). */
  public Call id(String id) {
    this.id = id;
    return this;
  }

  /** How long the call may run (default: the client's timeout). */
  public Call timeout(Duration timeout) {
    this.timeout = Requests.checkTimeout(timeout);
    return this;
  }

  /** Runs in a fresh copy of the program's context (no state from earlier calls). */
  public Call fresh(boolean fresh) {
    this.fresh = fresh;
    return this;
  }

  /**
   * Sets fields this class has no setter for ({@code random_seed}, {@code frozen_time_ms},
   * {@code probe}) on the raw request; they are merged into the request this item becomes.
   */
  public Call raw(CallRequest fields) {
    this.extra = fields.toBuilder();
    return this;
  }

  @Override
  public String id() {
    return id;
  }

  public String function() {
    return function;
  }

  public List<Object> args() {
    return args;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The {@link Program} object this call names, if any (what a retry re-sends). */
  Program programObject() {
    return program;
  }

  /** The request, with {@code defaultTimeout} when the item sets none. */
  CallRequest toRequest(Duration defaultTimeout) {
    return toRequest(defaultTimeout, null, null);
  }

  /**
   * The request, into {@code programId} or {@code sessionId} when one is given (whatever
   * the item names), with {@code defaultTimeout} when the item sets none.
   */
  CallRequest toRequest(Duration defaultTimeout, String programId, String sessionId) {
    CallRequest.Builder b = extra != null ? extra.clone() : CallRequest.newBuilder();
    b.setFunction(function);
    if (programId != null) {
      b.setProgram(programId);
    } else if (sessionId != null) {
      b.setSession(sessionId);
    } else if (program != null) {
      b.setProgram(program.id());
    } else if (this.programId != null) {
      b.setProgram(this.programId);
    } else if (session != null) {
      b.setSession(session);
    } else if (b.getTargetCase() == CallRequest.TargetCase.TARGET_NOT_SET) {
      throw new IllegalArgumentException(
          "call of " + function + ": name a program or a session (Call.program / Call.session)");
    }
    if (fresh) {
      b.setFresh(true);
    }
    Duration t = timeout != null ? timeout : defaultTimeout;
    if (t != null) {
      b.setTimeout(Requests.duration(t));
    }
    return b.setArgsJson(JsValues.encode(args))
        .setValueEncoding(ValueEncoding.VALUE_ENCODING_JSON)
        .build();
  }

  @Override
  public String toString() {
    return "Call{" + (id == null ? "" : "id=" + id + ", ") + "function=" + function
        + ", args=" + args.size() + "}";
  }
}
