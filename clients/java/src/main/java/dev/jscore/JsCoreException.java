package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import io.grpc.Status;

/**
 * Base class of every error of the jscore client (unchecked, as gRPC's own).
 *
 * <p>A script that throws is a {@link JsErrorException}, a script that stopped itself with
 * {@code $terminate(v)} a {@link HookedException}: the RPC succeeded, so {@link #code()} is
 * {@code null}. Every other failure carries the gRPC status code:
 *
 * <table>
 *   <caption>status codes and subclasses</caption>
 *   <tr><td>{@code DEADLINE_EXCEEDED}</td><td>{@link JsCoreTimeoutException}</td></tr>
 *   <tr><td>{@code RESOURCE_EXHAUSTED}</td><td>{@link ResourceExhaustedException}</td></tr>
 *   <tr><td>{@code UNAVAILABLE}</td><td>{@link UnavailableException}</td></tr>
 *   <tr><td>{@code NOT_FOUND}</td><td>{@link NotFoundException}</td></tr>
 *   <tr><td>{@code INVALID_ARGUMENT}</td><td>{@link InvalidArgumentException}</td></tr>
 *   <tr><td>anything else</td><td>{@code JsCoreException} itself</td></tr>
 * </table>
 */
public class JsCoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final transient ErrorDetail detail;

  /**
   * @param message what went wrong
   * @param code the gRPC status code, or {@code null} when the call itself succeeded
   * @param detail the {@code jscore.v1.ErrorDetail} the daemon attached, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public JsCoreException(String message, Status.Code code, ErrorDetail detail, Throwable cause) {
    super(code == null ? message : code + ": " + message, cause);
    this.code = code;
    this.detail = detail;
  }

  /** The gRPC status code; {@code null} for {@link JsErrorException} and {@link HookedException}. */
  public Status.Code code() {
    return code;
  }

  /**
   * The {@code jscore.v1.ErrorDetail} of the trailing metadata {@code jscore-error-detail-bin},
   * or {@code null}.
   */
  public ErrorDetail detail() {
    return detail;
  }

  /** The daemon does not hold the program: re-send {@code LoadProgram}, then retry. */
  public boolean isProgramNotLoaded() {
    return code == Status.Code.FAILED_PRECONDITION
        && detail != null
        && detail.getReason() == ErrorDetail.Reason.PROGRAM_NOT_LOADED;
  }
}
