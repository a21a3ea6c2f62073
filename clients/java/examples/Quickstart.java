// A tour of the jscore Java client; run it against a daemon (see ../README.md):
//   java -cp "$(clients/java/classpath.sh)" clients/java/examples/Quickstart.java 127.0.0.1:50051
import dev.jscore.BatchResult;
import dev.jscore.BatchStream;
import dev.jscore.Call;
import dev.jscore.Eval;
import dev.jscore.HookedException;
import dev.jscore.JsCoreClient;
import dev.jscore.JsCoreTimeoutException;
import dev.jscore.JsErrorException;
import dev.jscore.Program;
import dev.jscore.Session;
import dev.jscore.SessionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

public class Quickstart {
  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : "127.0.0.1:50051";
    try (JsCoreClient client = JsCoreClient.builder()
        .target(target)
        .timeout(Duration.ofSeconds(5))
        .build()) {
      // Evaluate, with globals; a promise is awaited.
      System.out.println(client.evaluate("1 + 2"));                                  // 3
      System.out.println(client.evaluate("x * 2", Map.of("x", 21)));                 // 42
      System.out.println(client.evaluate(
          "(async () => { await new Promise(r => setTimeout(r, 10)); return [1n, new Date(0)] })()"));
      // [1, 1970-01-01T00:00:00Z]: a BigInteger and an Instant

      // Async: CompletableFuture variants of every call.
      CompletableFuture<Object> f = client.evaluateAsync("'async ' + 42");
      System.out.println(f.get());                                                   // async 42

      // Errors: JS errors are JsErrorException; timeouts JsCoreTimeoutException.
      try {
        client.evaluate("null.x");
      } catch (JsErrorException e) {
        System.out.println(e.name() + " at " + e.line() + ":" + e.column() + ": " + e.message());
      }
      try {
        client.evaluate(Eval.of("while (true) {}").timeout(Duration.ofMillis(100)));
      } catch (JsCoreTimeoutException e) {
        System.out.println("timed out: " + e.code());                               // DEADLINE_EXCEEDED
      }
      try {
        client.evaluate("$terminate({done: true})");
      } catch (HookedException e) {
        System.out.println("hooked: " + e.data());                                  // {done=true}
      }

      // Programs: compiled once, called many times (reloaded transparently if the daemon
      // lost it).
      Program prog = client.loadProgram(
          "const m = require('m'); function sign(s, n) { return m.h(s) + ':' + n }",
          Map.of("m", "exports.h = s => s.toUpperCase()"));
      System.out.println(prog.call("sign", "a", 1));                                  // A:1

      // Sessions: state kept between calls; close() deletes it.
      try (Session s = client.createSession(SessionOptions.create().ttl(Duration.ofMinutes(1)))) {
        s.compile("var n = 0; function inc() { return ++n }");
        s.call("inc");
        System.out.println(s.evaluate("n"));                                          // 1
      }

      // Batch: one stream, results in completion order, each with its id.
      long sum = 0;
      try (BatchStream results = client.batch(IntStream.range(0, 1000)
          .mapToObj(i -> Call.of("sign", "x", i).program(prog).id("item-" + i)).iterator())) {
        while (results.hasNext()) {
          BatchResult r = results.next();
          sum += ((String) r.value()).length();
        }
      }
      System.out.println("batch chars: " + sum);
      System.out.println(client.batch(List.of(Eval.of("1"), Eval.of("2"))).stream()
          .map(BatchResult::value).toList());                                       // [1, 2] in some order
    }
  }
}
