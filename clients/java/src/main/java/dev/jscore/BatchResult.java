package dev.jscore;

import dev.jscore.v1.BatchResponse;
import io.grpc.Status;
import java.util.List;

/**
 * The outcome of one batch item: its id, and a value or an error. A failed item does not
 * stop the stream; {@link #value()} throws the item's error.
 */
public final class BatchResult {
  private final BatchResponse response;
  private JsCoreException error;
  private boolean decoded;

  BatchResult(BatchResponse response) {
    this.response = response;
  }

  /** The item's id (its index as a string unless the item set one). */
  public String id() {
    return response.getId();
  }

  /**
   * {@code OK} when the item ran (to a value or a JS error), else the gRPC code of why it
   * failed ({@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}...; see {@link #message()}).
   */
  public Status.Code code() {
    return Status.fromCodeValue(response.getCode()).getCode();
  }

  /** Why the item failed, when {@link #code()} is not OK. */
  public String message() {
    return response.getMessage();
  }

  /** The item's exception ({@link JsErrorException}, {@link JsCoreTimeoutException}...), or null. */
  public synchronized JsCoreException error() {
    if (!decoded) {
      decoded = true;
      error =
          response.getCode() != 0
              ? Responses.forBatchItem(response.getCode(), response.getMessage())
              : Responses.errorOf(response.getResult());
    }
    return error;
  }

  /** The item produced a value. */
  public boolean isOk() {
    return error() == null;
  }

  /**
   * The item's value as a Java value (see {@link Values}).
   *
   * @throws JsCoreException the item's error, if it has no value
   */
  public Object value() {
    JsCoreException e = error();
    if (e != null) {
      throw e;
    }
    return Responses.valueOf(response.getResult());
  }

  /** The item's whole {@link Result}; throws the item's error if it has no value. */
  public Result result() {
    JsCoreException e = error();
    if (e != null) {
      throw e;
    }
    return new Result(response.getResult());
  }

  /** Console output of the item (empty if it failed before running). */
  public List<ConsoleLine> console() {
    return Responses.console(response.getResult());
  }

  /** The raw {@code BatchResponse}. */
  public BatchResponse response() {
    return response;
  }

  @Override
  public String toString() {
    JsCoreException e = error();
    return "BatchResult{id=" + id() + (e == null ? ", value=" + value() : ", error=" + e) + "}";
  }
}
