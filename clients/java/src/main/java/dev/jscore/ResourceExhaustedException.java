package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import io.grpc.Status;

/** {@code RESOURCE_EXHAUSTED}: The daemon's queue is full, or the script hit the heap limit (the isolate is replaced). */
public class ResourceExhaustedException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  public ResourceExhaustedException(String message, ErrorDetail detail, Throwable cause) {
    super(message, Status.Code.RESOURCE_EXHAUSTED, detail, cause);
  }
}
