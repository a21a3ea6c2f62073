package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import dev.jscore.v1.EvaluateResponse;
import dev.jscore.v1.JsError;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns responses into Java values and exceptions, and gRPC failures into exceptions. */
final class Responses {
  /** Trailing metadata key of the serialized {@code jscore.v1.ErrorDetail}. */
  static final Metadata.Key<byte[]> ERROR_DETAIL_KEY =
      Metadata.Key.of("jscore-error-detail-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private static final String[] LEVELS = {"log", "info", "warn", "error", "debug", "trace"};

  private Responses() {}

  static List<ConsoleLine> console(EvaluateResponse response) {
    if (response.getConsoleCount() == 0) {
      return List.of();
    }
    List<ConsoleLine> lines = new ArrayList<>(response.getConsoleCount());
    for (dev.jscore.v1.ConsoleLine line : response.getConsoleList()) {
      int level = line.getLevelValue();
      lines.add(new ConsoleLine(level >= 0 && level < LEVELS.length ? LEVELS[level] : "log",
          line.getText()));
    }
    return lines;
  }

  static JsErrorException jsError(JsError e, List<ConsoleLine> console) {
    return new JsErrorException(
        e.getName(), e.getMessage(), e.getStack(), e.getLine(), e.getColumn(), e.getSourceLine(),
        console, e.hasThrown(), e.hasThrown() ? JsValues.decode(e.getThrown()) : null);
  }

  /** The exception a response stands for ({@code JsErrorException}, {@code HookedException}). */
  static JsCoreException errorOf(EvaluateResponse response) {
    switch (response.getResultCase()) {
      case ERROR:
        return jsError(response.getError(), console(response));
      case HOOK_DATA:
        return new HookedException(
            Values.decode(response.getHookData(), response.getAnnotationsList()),
            console(response),
            response);
      case HOOK_DATA_JSON:
        return new HookedException(
            JsValues.decode(response.getHookDataJson()), console(response), response);
      default:
        return null;
    }
  }

  /** The Java value of a response, or throws its error. */
  static Object valueOf(EvaluateResponse response) {
    JsCoreException error = errorOf(response);
    if (error != null) {
      throw error;
    }
    if (response.getUndefined()) {
      return null;
    }
    return decodeValue(response);
  }

  /** The Java value of a response's result, in either encoding. */
  static Object decodeValue(EvaluateResponse response) {
    if (response.getResultCase() == EvaluateResponse.ResultCase.VALUE_JSON) {
      return JsValues.decode(response.getValueJson());
    }
    return Values.decode(response.getValue(), response.getAnnotationsList());
  }

  /** The {@link Result} of a response, or throws its error. */
  static Result resultOf(EvaluateResponse response) {
    JsCoreException error = errorOf(response);
    if (error != null) {
      throw error;
    }
    return new Result(response);
  }

  /** The exception of a non-OK status (the right subclass of {@link JsCoreException}). */
  static JsCoreException forStatus(
      Status.Code code, String message, ErrorDetail detail, Throwable cause) {
    switch (code) {
      case DEADLINE_EXCEEDED:
        return new JsCoreTimeoutException(message, detail, cause);
      case RESOURCE_EXHAUSTED:
        return new ResourceExhaustedException(message, detail, cause);
      case UNAVAILABLE:
        return new UnavailableException(message, detail, cause);
      case NOT_FOUND:
        return new NotFoundException(message, detail, cause);
      case INVALID_ARGUMENT:
        return new InvalidArgumentException(message, detail, cause);
      default:
        return new JsCoreException(message, code, detail, cause);
    }
  }

  /** The exception of a batch item that failed with a status code. */
  static JsCoreException forBatchItem(int code, String message) {
    return forStatus(Status.fromCodeValue(code).getCode(), message, null, null);
  }

  /**
   * Turns what a gRPC call threw (a {@code StatusRuntimeException}, perhaps wrapped by a
   * future) into a {@link JsCoreException}; a {@code JsCoreException} is returned as is.
   */
  static JsCoreException fromThrowable(Throwable t) {
    t = unwrap(t);
    if (t instanceof JsCoreException e) {
      return e;
    }
    Status status = Status.fromThrowable(t);
    Metadata trailers = Status.trailersFromThrowable(t);
    ErrorDetail detail = null;
    if (trailers != null) {
      byte[] bytes = trailers.get(ERROR_DETAIL_KEY);
      if (bytes != null) {
        try {
          detail = ErrorDetail.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          detail = null; // a garbled detail is no detail
        }
      }
    }
    String message = status.getDescription();
    if (message == null) {
      message = status.getCause() != null ? String.valueOf(status.getCause()) : "";
    }
    return forStatus(status.getCode(), message, detail, t);
  }

  /** The cause inside the wrappers that futures add. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
