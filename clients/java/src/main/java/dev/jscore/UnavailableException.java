package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import io.grpc.Status;

/** {@code UNAVAILABLE}: The daemon is unreachable or shutting down, or the job's isolate was replaced under it: retry. */
public class UnavailableException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message, ErrorDetail detail, Throwable cause) {
    super(message, Status.Code.UNAVAILABLE, detail, cause);
  }
}
