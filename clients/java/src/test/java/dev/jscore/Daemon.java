package dev.jscore;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.rules.ExternalResource;

/**
 * A real jscored for a test class: started on a free loopback port ({@code --listen=
 * 127.0.0.1:0}; the address is its first stdout line), waited on until grpc.health.v1 says
 * SERVING (with a bound), stopped at the end. The binary comes from the system property
 * {@code jscored} or the environment variable {@code JSCORED}.
 *
 * <p>Use as a {@code @ClassRule}; {@link #client()} is a plaintext client of it.
 */
public final class Daemon extends ExternalResource {
  private static final Duration START_BOUND = Duration.ofSeconds(30);

  private final List<String> flags;
  private final Consumer<JsCoreClient.Builder> clientSetup;
  private Process process;
  private Thread shutdownHook;
  private Path log;
  private String address;
  private JsCoreClient client;

  public Daemon(String... flags) {
    this(b -> {}, flags);
  }

  /** A daemon whose {@link #client()} is configured by {@code clientSetup} (TLS, token...). */
  public Daemon(Consumer<JsCoreClient.Builder> clientSetup, String... flags) {
    this.flags = List.of(flags);
    this.clientSetup = clientSetup;
  }

  static String binary() {
    String path = System.getProperty("jscored");
    if (path == null || path.isEmpty()) {
      path = System.getenv("JSCORED");
    }
    if (path == null || path.isEmpty()) {
      throw new IllegalStateException("set JSCORED to the jscored binary (test.sh does)");
    }
    if (!new File(path).canExecute()) {
      throw new IllegalStateException("JSCORED=" + path + " is not an executable file");
    }
    return path;
  }

  @Override
  protected void before() throws Throwable {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.add("--listen=127.0.0.1:0");
    command.add("--workers=2");
    command.addAll(flags);
    log = Files.createTempFile("jscored-java-", ".log");
    process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    // A safety net: the daemon goes with this JVM even if after() never runs.
    Process started = process;
    shutdownHook = new Thread(started::destroyForcibly, "jscored-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      waitUntilServing();
    } catch (Throwable t) {
      String tail = logTail();
      after();
      throw new IllegalStateException(t.getMessage() + "; jscored's log:\n" + tail, t);
    }
  }

  private void waitUntilServing() throws Exception {
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(stdout));
    String line;
    try {
      line = firstLine.get(START_BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("jscored printed no address within " + START_BOUND, e);
    }
    String prefix = "jscored listening on ";
    if (line == null || !line.startsWith(prefix)) {
      process.waitFor(2, TimeUnit.SECONDS);
      throw new IllegalStateException("unexpected first line from jscored: " + line);
    }
    address = line.substring(prefix.length()).trim();
    Thread drain = new Thread(() -> {
      while (readLine(stdout) != null) {
        // keep the pipe from filling up
      }
    }, "jscored-stdout");
    drain.setDaemon(true);
    drain.start();

    JsCoreClient.Builder b = JsCoreClient.builder().target(address);
    clientSetup.accept(b);
    client = b.build();
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    JsCoreException last = null;
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if ("SERVING".equals(client.health())) {
          return;
        }
      } catch (JsCoreException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("jscored at " + address + " never became SERVING", last);
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected void after() {
    if (client != null) {
      long start = System.nanoTime();
      client.close();
      client = null;
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (millis > 1000) {
        System.err.println("the test client took " + millis + " ms to close");
      }
    }
    if (process != null) {
      long start = System.nanoTime();
      process.destroy(); // SIGTERM: graceful
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (millis > 2000) {
        System.err.println("jscored took " + millis + " ms to stop; log:\n" + logTail());
      }
      process = null;
    }
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already
      }
      shutdownHook = null;
    }
    if (log != null) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // best effort
      }
    }
  }

  /** {@code host:port} the daemon listens on. */
  public String address() {
    return address;
  }

  /** The shared client of this daemon (closed at the end). */
  public JsCoreClient client() {
    return client;
  }

  /** A new client of this daemon; the caller closes it. */
  public JsCoreClient.Builder newClient() {
    return JsCoreClient.builder().target(address);
  }

  /** The last lines of the daemon's stderr. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e + ")";
    }
  }
}
