package dev.jscore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.grpc.Status;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.AfterClass;
import org.junit.ClassRule;
import org.junit.Test;

/** TLS (a private CA the client trusts) and the bearer token. */
public class SecurityTest {
  private static final String TOKEN = "s3cret-token-for-the-java-tests";
  private static final Path DIR = makeCertificate();
  private static final File CERT = DIR.resolve("cert.pem").toFile();

  @ClassRule
  public static final Daemon daemon = new Daemon(
      b -> b.tlsTrust(CERT).bearerToken(TOKEN),
      "--tls_cert=" + CERT,
      "--tls_key=" + DIR.resolve("key.pem"),
      "--auth_token_file=" + DIR.resolve("token"));

  /**
   * Self-signed certificates made with openssl: the server's (for 127.0.0.1 and localhost),
   * and a client's (which the mutual-TLS daemon trusts as its own CA).
   */
  private static Path makeCertificate() {
    try {
      Path dir = Files.createTempDirectory("jscore-java-tls");
      openssl(dir, "key.pem", "cert.pem", "/CN=localhost",
          "subjectAltName=IP:127.0.0.1,DNS:localhost");
      openssl(dir, "client-key.pem", "client-cert.pem", "/CN=jscore-java-test", "keyUsage=digitalSignature,keyCertSign");
      Files.writeString(dir.resolve("token"), TOKEN + "\n");
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a test certificate (is openssl installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void openssl(Path dir, String key, String cert, String subject, String ext)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "2", "-subj", subject, "-addext", ext,
        "-keyout", dir.resolve(key).toString(), "-out", dir.resolve(cert).toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }

  @AfterClass
  public static void removeCertificate() throws IOException {
    try (var files = Files.list(DIR)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(DIR);
  }

  @Test
  public void tlsWithTokenWorks() {
    assertEquals(3L, daemon.client().evaluate("1 + 2"));
    try (Session s = daemon.client().createSession()) {
      assertEquals(1L, s.evaluate("1"));
    }
    assertEquals(1, daemon.client().batch(java.util.List.of(Eval.of("1"))).stream().count());
  }

  @Test
  public void missingOrWrongTokenIsUnauthenticated() {
    try (JsCoreClient c = daemon.newClient().tlsTrust(CERT).build()) {
      assertEquals("SERVING", c.health()); // the health check is exempt
      JsCoreException e = assertThrows(JsCoreException.class, () -> c.evaluate("1"));
      assertEquals(Status.Code.UNAUTHENTICATED, e.code());
    }
    try (JsCoreClient c = daemon.newClient().tlsTrust(CERT).bearerToken("wrong").build()) {
      assertEquals(Status.Code.UNAUTHENTICATED,
          assertThrows(JsCoreException.class, () -> c.evaluate("1")).code());
    }
  }

  @Test
  public void mutualTls() throws Throwable {
    File clientCert = DIR.resolve("client-cert.pem").toFile();
    File clientKey = DIR.resolve("client-key.pem").toFile();
    Daemon mtls = new Daemon(b -> b.tlsTrust(CERT).tlsClientCert(clientCert, clientKey),
        "--tls_cert=" + CERT, "--tls_key=" + DIR.resolve("key.pem"),
        "--tls_client_ca=" + clientCert);
    mtls.before();
    try {
      assertEquals(2L, mtls.client().evaluate("1 + 1"));
      try (JsCoreClient anonymous = mtls.newClient().tlsTrust(CERT)
          .timeout(Duration.ofSeconds(2)).build()) {
        assertThrows(UnavailableException.class, () -> anonymous.evaluate("1"));
      }
    } finally {
      mtls.after();
    }
  }

  @Test
  public void plaintextClientCannotTalkToTls() {
    try (JsCoreClient c = daemon.newClient().bearerToken(TOKEN)
        .timeout(Duration.ofSeconds(2)).build()) {
      assertThrows(UnavailableException.class, () -> c.evaluate("1"));
    }
  }
}
