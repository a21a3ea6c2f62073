package dev.jscore;

import dev.jscore.v1.ErrorDetail;
import io.grpc.Status;

/** {@code DEADLINE_EXCEEDED}: The script ran (or awaited) past its deadline; the daemon's worker stays usable. */
public class JsCoreTimeoutException extends JsCoreException {
  private static final long serialVersionUID = 1L;

  public JsCoreTimeoutException(String message, ErrorDetail detail, Throwable cause) {
    super(message, Status.Code.DEADLINE_EXCEEDED, detail, cause);
  }
}
