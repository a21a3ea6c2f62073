// Measures the Java client from one process, as bench/python_client.py measures the
// Python one: Program.call from --threads threads (--mode=calls) or one Batch stream
// (--mode=batch), --count in all, against a running jscored. Prints one JSON line:
// mode, count, ok, seconds, per_second, client_cpu_us (the process's CPU per call or
// item in the measured phase).
//   java -cp "$(clients/java/classpath.sh)" clients/java/examples/ClientBench.java \
//       --target=127.0.0.1:50051 --mode=calls --count=10000 --threads=8 \
//       --program_file=bench/workloads/sign.js --args_json='[{"uid":"1"},1700000000000]'
import com.google.gson.Gson;
import dev.jscore.BatchResult;
import dev.jscore.BatchStream;
import dev.jscore.Call;
import dev.jscore.JsCoreClient;
import dev.jscore.Program;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

public class ClientBench {
  public static void main(String[] argv) throws Exception {
    Map<String, String> flags = new HashMap<>(Map.of(
        "target", "127.0.0.1:50051", "mode", "calls", "count", "10000", "threads", "8",
        "function", "sign", "args_json", "[]", "expect_json", ""));
    for (String a : argv) {
      String[] kv = a.replaceFirst("^--?", "").split("=", 2);
      flags.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Gson gson = new Gson();
    Object[] args = gson.fromJson(flags.get("args_json"), List.class).toArray();
    String function = flags.get("function");
    String expect = flags.get("expect_json");
    int count = Integer.parseInt(flags.get("count"));
    int threads = Integer.parseInt(flags.get("threads"));
    String source = Files.readString(Path.of(flags.get("program_file")));
    try (JsCoreClient client = JsCoreClient.builder()
        .target(flags.get("target")).timeout(Duration.ofSeconds(30)).build()) {
      Program program = client.loadProgram(source);
      for (int i = 0; i < 2000; i++) { // warm up the connection, the JIT, the daemon's contexts
        program.call(function, args);
      }
      AtomicLong ok = new AtomicLong();
      AtomicLong done = new AtomicLong();
      long cpuStart = cpuNanos();
      long start = System.nanoTime();
      if (flags.get("mode").equals("calls")) {
        int per = count / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
          pool.execute(() -> {
            for (int i = 0; i < per; i++) {
              Object value = program.call(function, args);
              done.incrementAndGet();
              if (expect.isEmpty() || gson.toJson(value).equals(expect)) {
                ok.incrementAndGet();
              }
            }
          });
        }
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) { // bounded
          throw new IllegalStateException("calls did not finish within 5 minutes");
        }
      } else {
        try (BatchStream results = client.batch(IntStream.range(0, count)
            .mapToObj(i -> Call.of(function, args).program(program)).iterator(),
            256, Duration.ofMinutes(5))) {
          while (results.hasNext()) {
            BatchResult r = results.next();
            done.incrementAndGet();
            if (r.isOk() && (expect.isEmpty() || gson.toJson(r.value()).equals(expect))) {
              ok.incrementAndGet();
            }
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuUs = (cpuNanos() - cpuStart) / 1e3 / Math.max(done.get(), 1);
      System.out.println(gson.toJson(Map.of(
          "mode", flags.get("mode"), "count", done.get(), "ok", ok.get(), "seconds", seconds,
          "per_second", done.get() / seconds, "client_cpu_us", cpuUs)));
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
