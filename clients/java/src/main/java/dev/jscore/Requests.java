package dev.jscore;

import dev.jscore.v1.CreateSessionRequest;
import dev.jscore.v1.LoadProgramRequest;
import dev.jscore.v1.Profile;
import java.time.Duration;

/** Request building shared by the client, programs, sessions and batches. No I/O here. */
final class Requests {
  private Requests() {}

  static Duration checkTimeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("a timeout must not be negative, got " + timeout);
    }
    return timeout;
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  /**
   * The gRPC deadline of a request whose script may run {@code timeout}: a little longer,
   * so that the daemon reports the overrun (with its message) rather than the client
   * cutting the call first. {@code null}: no deadline.
   */
  static Duration rpcDeadline(Duration timeout) {
    if (timeout == null) {
      return null;
    }
    Duration slack = timeout.dividedBy(10);
    return timeout.plus(slack.compareTo(Duration.ofSeconds(1)) > 0 ? slack : Duration.ofSeconds(1));
  }

  static LoadProgramRequest loadProgram(ProgramSource o, boolean validateOnly) {
    LoadProgramRequest.Builder b = LoadProgramRequest.newBuilder().setSource(o.source());
    if (o.filename() != null) {
      b.setFilename(o.filename());
    }
    if (o.modules().containsKey(null) || o.modules().containsValue(null)) {
      throw new IllegalArgumentException("module paths and sources must not be null");
    }
    b.putAllModules(o.modules()).setType(o.type());
    if (o.browserProfile() != null) {
      b.setProfile(Profile.PROFILE_BROWSER).setBrowser(o.browserProfile());
    }
    return b.setValidateOnly(validateOnly).build();
  }

  static CreateSessionRequest createSession(SessionOptions o, String programId) {
    CreateSessionRequest.Builder b = o.raw() != null ? o.raw().toBuilder() : CreateSessionRequest.newBuilder();
    if (programId != null) {
      b.setProgram(programId);
    }
    if (o.source() != null) {
      b.setSource(o.source());
    }
    if (o.ttl() != null) {
      b.setTtl(duration(o.ttl()));
    }
    if (!o.extensions()) {
      b.setExtensions(dev.jscore.v1.Extensions.EXTENSIONS_NONE);
    }
    if (o.randomSeed() != null) {
      b.setRandomSeed(o.randomSeed());
    }
    if (o.frozenTimeMs() != null) {
      b.setFrozenTimeMs(o.frozenTimeMs());
    }
    return b.build();
  }
}
