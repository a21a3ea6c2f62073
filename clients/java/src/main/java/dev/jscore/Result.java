package dev.jscore;

import dev.jscore.v1.EvaluateResponse;
import java.time.Duration;
import java.util.List;

/**
 * The whole outcome of a successful evaluation or call: the value, console output and
 * timings. What {@code evaluateResult}, {@code callResult} and {@link BatchResult#result()}
 * return.
 */
public final class Result {
  /**
   * Where and how long a job ran.
   *
   * @param worker the daemon worker that ran it
   * @param queueWait from admission to a worker taking the job
   * @param wallTime from a worker taking the job to its completion (awaiting included)
   * @param cpuTime time the worker spent running the job's JavaScript
   */
  public record ExecStats(int worker, Duration queueWait, Duration wallTime, Duration cpuTime) {}

  private final EvaluateResponse response;
  private final Object value;
  private final List<ConsoleLine> console;

  Result(EvaluateResponse response) {
    this.response = response;
    this.value = Responses.decodeValue(response);
    this.console = Responses.console(response);
  }

  /** The result as a Java value (see {@link Values}); {@code null} for null and undefined. */
  public Object value() {
    return value;
  }

  /**
   * The result as a {@code type}: {@code String}, {@code Long}, {@code Integer}, {@code
   * Double}, {@code Boolean}, {@code List}, {@code Map}, an enum, a record or a class with a
   * no-argument constructor (see {@link TypedValues}).
   *
   * @throws ValueTypeException the value does not fit {@code type}
   */
  public <T> T as(Class<T> type) {
    return TypedValues.as(value, type);
  }

  /**
   * The result as a generic type ({@code List<Point>}: a {@code ParameterizedType}, such as
   * gson's {@code new TypeToken<List<Point>>() {}.getType()}).
   *
   * @throws ValueTypeException the value does not fit {@code type}
   */
  public Object as(java.lang.reflect.Type type) {
    return TypedValues.as(value, type);
  }

  /** The script's result was {@code undefined} ({@link #value()} is then {@code null}). */
  public boolean isUndefined() {
    return response.getUndefined();
  }

  /** The script's console output. */
  public List<ConsoleLine> console() {
    return console;
  }

  /** The daemon cut the console output at its bound. */
  public boolean consoleTruncated() {
    return response.getConsoleTruncated();
  }

  /** Worker, queue wait, wall and CPU time. */
  public ExecStats stats() {
    var s = response.getStats();
    return new ExecStats(
        s.getWorker(),
        Duration.ofSeconds(s.getQueueWait().getSeconds(), s.getQueueWait().getNanos()),
        Duration.ofSeconds(s.getWallTime().getSeconds(), s.getWallTime().getNanos()),
        Duration.ofSeconds(s.getCpuTime().getSeconds(), s.getCpuTime().getNanos()));
  }

  /** The raw {@code EvaluateResponse}. */
  public EvaluateResponse response() {
    return response;
  }

  @Override
  public String toString() {
    return "Result{value=" + value + ", console=" + console + "}";
  }
}
