package dev.jscore;

import io.netty.handler.ssl.OpenSsl;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes netty's OpenSSL provider (netty-tcnative) usable with Debian's packages, which gRPC's
 * TLS needs there.
 *
 * <p>Debian 12's netty has no JDK ALPN support (so gRPC cannot use the JDK's TLS), and its
 * {@code libnetty-tcnative-jni} installs the JNI library as {@code libnetty-tcnative.so},
 * while netty looks for {@code libnetty_tcnative.so} and the library itself insists on that
 * name when it loads. So, as netty does for the natives it bundles, this copies the library
 * under the expected name into a temporary folder and loads it from there; netty then finds
 * its symbols already loaded. Nothing happens when a correctly named library is on {@code
 * java.library.path}, or when the system property {@code jscore.tcnative.preload} is {@code
 * false}.
 */
final class TcNative {
  private static final String DEBIAN_NAME = "libnetty-tcnative.so";
  private static final String NETTY_NAME = "libnetty_tcnative.so";
  private static boolean done;

  private TcNative() {}

  /**
   * Loads netty-tcnative if needed; throws a clear error when OpenSSL is still unavailable.
   *
   * @throws IllegalStateException TLS cannot work in this JVM
   */
  static synchronized void ensureAvailable() {
    if (!done) {
      done = true;
      if (!"false".equals(System.getProperty("jscore.tcnative.preload"))) {
        preload();
      }
    }
    if (!OpenSsl.isAvailable()) {
      throw new IllegalStateException(
          "TLS needs netty's OpenSSL provider (Debian's netty has no JDK ALPN support):"
              + " install libnetty-tcnative-java and libnetty-tcnative-jni",
          OpenSsl.unavailabilityCause());
    }
  }

  private static void preload() {
    String path = System.getProperty("java.library.path", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      if (new File(dir, NETTY_NAME).isFile()) {
        return; // netty finds it by itself
      }
    }
    for (String dir : path.split(File.pathSeparator)) {
      File debian = dir.isEmpty() ? null : new File(dir, DEBIAN_NAME);
      if (debian != null && debian.isFile()) {
        try {
          Path tmp = Files.createTempDirectory("jscore-tcnative");
          Path copy = tmp.resolve(NETTY_NAME);
          Files.copy(debian.toPath(), copy, StandardCopyOption.REPLACE_EXISTING);
          System.load(copy.toString());
          // Loaded: the file may go now (the mapping stays valid).
          Files.deleteIfExists(copy);
          Files.deleteIfExists(tmp);
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
          // OpenSsl.isAvailable() reports netty's own reason below.
        }
        return;
      }
    }
  }
}
