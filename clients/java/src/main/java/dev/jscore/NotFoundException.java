package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import io.grpc.Status;

/** {@code NOT_FOUND}: An unknown, deleted, expired or lost session (or unloading an unknown program). */
public class NotFoundException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message, ErrorDetail detail, Throwable cause) {
    super(message, Status.Code.NOT_FOUND, detail, cause);
  }
}
