package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import io.grpc.Status;

/** {@code INVALID_ARGUMENT}: The daemon rejected the request as malformed (source too large, empty global name...). */
public class InvalidArgumentException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message, ErrorDetail detail, Throwable cause) {
    super(message, Status.Code.INVALID_ARGUMENT, detail, cause);
  }
}
