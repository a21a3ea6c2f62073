#include "daemon/config.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "daemon/log.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve gRPC on (host:port; port 0 picks a free one and prints it)");
ABSL_FLAG(int32_t, workers, 0, "Engine threads, each with one V8 isolate (0: one per core)");
ABSL_FLAG(uint64_t, queue_capacity, 4096,
          "Jobs that may wait for a worker; past it requests fail with RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_inflight_per_worker, 256,
          "Jobs one worker holds at once while they await promises or timers");
ABSL_FLAG(absl::Duration, worker_spin, absl::ZeroDuration(),
          "How long a worker whose queue just emptied after it ran jobs polls it before it "
          "sleeps, so that under load the next request needs no wake-up (0: never; at most "
          "1ms, e.g. 50us; an idle worker never spins)");
ABSL_FLAG(int32_t, prebuilt_contexts, 4, "Contexts each worker keeps built while idle");
ABSL_FLAG(absl::Duration, default_timeout, absl::Seconds(5), "Timeout of a request that sets none");
ABSL_FLAG(absl::Duration, max_timeout, absl::Seconds(60),
          "Largest timeout a request may have (the request's and the gRPC deadline are capped)");
ABSL_FLAG(uint64_t, heap_limit_mb, 256,
          "V8 heap limit per isolate; a script past it gets RESOURCE_EXHAUSTED and the isolate "
          "is replaced");
ABSL_FLAG(uint64_t, array_buffer_limit_mb, 256, "ArrayBuffer memory per isolate");
ABSL_FLAG(uint64_t, max_message_bytes, 64ull << 20, "Largest gRPC message, in or out");
ABSL_FLAG(uint64_t, max_source_bytes, 16ull << 20, "Largest script source");
ABSL_FLAG(uint64_t, max_result_bytes, 4ull << 20, "Largest result, measured as it is converted");
ABSL_FLAG(int32_t, max_result_depth, 100, "Deepest nesting of a result");
ABSL_FLAG(uint64_t, max_globals, 10000, "Most globals one request may inject");
ABSL_FLAG(uint64_t, recycle_after_jobs, 0,
          "Replace a worker's isolate after this many jobs (0: only after a heap-limit event)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long in-flight requests may take to finish");
ABSL_FLAG(uint64_t, max_programs, 1000, "Most programs loaded at once");
ABSL_FLAG(uint64_t, program_contexts_per_worker, 64,
          "Program contexts each worker keeps (least recently used are dropped)");
ABSL_FLAG(uint64_t, program_context_memory_mb, 256,
          "Approximate heap that one worker's program contexts may hold");
ABSL_FLAG(uint64_t, max_sessions, 10000, "Most sessions open at once");
ABSL_FLAG(absl::Duration, retire_after_overrun, absl::Seconds(3),
          "A request still running this long past its deadline (inside a V8 builtin that "
          "ignores termination) has its worker thread replaced by a fresh one");
ABSL_FLAG(absl::Duration, shutdown_stop_margin, absl::Seconds(2),
          "At shutdown, how long after --shutdown_grace workers may take to stop; one still "
          "inside such a builtin is then left behind and the process exits anyway");
ABSL_FLAG(uint64_t, session_memory_mb, 0,
          "Heap one worker's sessions may hold, by their measured size; CreateSession past it "
          "is RESOURCE_EXHAUSTED (0: half of --heap_limit_mb)");
ABSL_FLAG(uint64_t, max_waiting_per_session, 64,
          "Requests one session holds waiting behind its running request; past it, "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, session_ttl, absl::Minutes(10),
          "Idle time after which a session is deleted, when CreateSession sets none");
ABSL_FLAG(int32_t, batch_window, 256,
          "Items of one Batch stream in flight before the daemon stops reading it; also the "
          "most items one Batch message may carry");
ABSL_FLAG(uint64_t, batch_buffer_bytes, 4ull << 20,
          "Result bytes one Batch stream may hold unread by its client; past it, results "
          "are answered RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_batch_streams, 64,
          "Batch streams open at once in the daemon; past it a new one is RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_batch_streams_per_connection, 8,
          "Batch streams open at once on one client connection; past it RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain: serve TLS (with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle: require client certificates signed by it (mutual TLS)");
ABSL_FLAG(std::string, auth_token_file, "",
          "File whose first line is a bearer token every RPC must carry "
          "(authorization: Bearer <token>); the health check is exempt");
ABSL_FLAG(std::string, auth_callers_file, "",
          "File of name:token lines (# comments): named callers, each with its own programs "
          "and sessions; every RPC must then carry one of the tokens (or --auth_token_file's)");
ABSL_FLAG(bool, insecure_listen, false,
          "Allow a non-loopback --listen or --metrics_listen with neither TLS nor a token");
ABSL_FLAG(std::string, advertise_address, "",
          "HOST:PORT clients reach this replica at, returned with sessions and "
          "PROGRAM_NOT_LOADED details (empty: the bound --listen address, unless it is "
          "a wildcard)");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT to serve Prometheus metrics on (GET /metrics); empty: off");
ABSL_FLAG(std::string, log_format, "plain", "Log lines on stderr: plain or json");
ABSL_FLAG(std::string, log_level, "info",
          "Least important log level shown: debug, info, warn, error");
ABSL_FLAG(absl::Duration, slow_request, absl::Seconds(1), "Log requests slower than this");
ABSL_FLAG(std::string, allow_fetch, "",
          "Hosts that scripts may reach with fetch and XMLHttpRequest, comma-separated: host "
          "(default port), host:port, host:* (any port), *.domain, [v6]:port; empty: neither "
          "exists");
ABSL_FLAG(uint64_t, fetch_max_response_bytes, 8ull << 20,
          "Largest response body fetch/XMLHttpRequest accept (after decoding)");
ABSL_FLAG(int32_t, fetch_max_redirects, 10,
          "Redirects one request follows, each to an allowed host");
ABSL_FLAG(int32_t, fetch_max_in_flight, 256,
          "fetch/XMLHttpRequest transfers in flight across the whole daemon (each request "
          "also has at most 64)");
ABSL_FLAG(int32_t, v8_background_threads, 1, "V8 background threads (GC, compilation)");

namespace jscore::daemon {

namespace {

// The engine's pool: workers, memory, programs, sessions and their checks.
absl::Status PoolFromFlags(engine::PoolOptions& pool) {
  int workers = absl::GetFlag(FLAGS_workers);
  if (workers <= 0) workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  pool.workers = workers;
  pool.queue_capacity = absl::GetFlag(FLAGS_queue_capacity);
  pool.max_inflight_per_worker = absl::GetFlag(FLAGS_max_inflight_per_worker);
  pool.prebuilt_contexts = absl::GetFlag(FLAGS_prebuilt_contexts);
  pool.spin_before_sleep = absl::GetFlag(FLAGS_worker_spin);
  if (pool.spin_before_sleep < absl::ZeroDuration() ||
      pool.spin_before_sleep > absl::Milliseconds(1)) {
    return absl::InvalidArgumentError("--worker_spin must be between 0 and 1ms");
  }
  pool.heap_limit_mb = absl::GetFlag(FLAGS_heap_limit_mb);
  pool.array_buffer_limit_mb = absl::GetFlag(FLAGS_array_buffer_limit_mb);
  pool.max_result_bytes = absl::GetFlag(FLAGS_max_result_bytes);
  pool.max_result_depth = absl::GetFlag(FLAGS_max_result_depth);
  pool.recycle_after_jobs = absl::GetFlag(FLAGS_recycle_after_jobs);
  pool.max_programs = absl::GetFlag(FLAGS_max_programs);
  pool.program_contexts_per_worker = absl::GetFlag(FLAGS_program_contexts_per_worker);
  pool.program_context_memory_mb = absl::GetFlag(FLAGS_program_context_memory_mb);
  pool.max_sessions = absl::GetFlag(FLAGS_max_sessions);
  pool.default_session_ttl = absl::GetFlag(FLAGS_session_ttl);
  pool.max_waiting_per_session = absl::GetFlag(FLAGS_max_waiting_per_session);
  pool.session_memory_mb = absl::GetFlag(FLAGS_session_memory_mb);
  pool.retire_after_overrun = absl::GetFlag(FLAGS_retire_after_overrun);
  pool.stop_margin = absl::GetFlag(FLAGS_shutdown_stop_margin);
  if (pool.retire_after_overrun < absl::Milliseconds(100)) {
    return absl::InvalidArgumentError("--retire_after_overrun must be at least 100ms");
  }
  if (pool.stop_margin < absl::ZeroDuration() || pool.stop_margin > absl::Minutes(1)) {
    return absl::InvalidArgumentError("--shutdown_stop_margin must be between 0 and 1m");
  }
  if (pool.session_memory_mb != 0 && pool.session_memory_mb >= pool.heap_limit_mb) {
    return absl::InvalidArgumentError("--session_memory_mb must be below --heap_limit_mb");
  }
  return absl::OkStatus();
}

// fetch/XMLHttpRequest: the allowlist and its limits.
absl::Status FetchFromFlags(engine::FetchOptions& fetch) {
  absl::StatusOr<engine::FetchAllowlist> allowlist =
      engine::FetchAllowlist::Parse(absl::GetFlag(FLAGS_allow_fetch));
  if (!allowlist.ok()) return allowlist.status();
  fetch.allowlist = std::move(*allowlist);
  fetch.max_response_bytes = absl::GetFlag(FLAGS_fetch_max_response_bytes);
  fetch.max_redirects = absl::GetFlag(FLAGS_fetch_max_redirects);
  fetch.max_in_flight = absl::GetFlag(FLAGS_fetch_max_in_flight);
  if (fetch.max_in_flight < 1 || fetch.max_in_flight > 100000) {
    return absl::InvalidArgumentError("--fetch_max_in_flight must be between 1 and 100000");
  }
  if (fetch.max_response_bytes < 1 || fetch.max_response_bytes > (1ull << 30)) {
    return absl::InvalidArgumentError("--fetch_max_response_bytes must be between 1 and 1 GiB");
  }
  if (fetch.max_redirects < 0 || fetch.max_redirects > 100) {
    return absl::InvalidArgumentError("--fetch_max_redirects must be between 0 and 100");
  }
  return absl::OkStatus();
}

// Requests and Batch streams: timeouts, sizes, windows.
absl::Status RequestsFromFlags(DaemonConfig& c) {
  c.default_timeout = absl::GetFlag(FLAGS_default_timeout);
  c.max_timeout = absl::GetFlag(FLAGS_max_timeout);
  c.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  c.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  c.max_source_bytes = absl::GetFlag(FLAGS_max_source_bytes);
  c.max_globals = absl::GetFlag(FLAGS_max_globals);
  c.batch_window = absl::GetFlag(FLAGS_batch_window);
  if (c.batch_window < 1 || c.batch_window > 1000000) {
    return absl::InvalidArgumentError("--batch_window must be between 1 and 1000000");
  }
  c.batch_buffer_bytes = absl::GetFlag(FLAGS_batch_buffer_bytes);
  if (c.batch_buffer_bytes < 1024 || c.batch_buffer_bytes > (1ull << 32)) {
    return absl::InvalidArgumentError("--batch_buffer_bytes must be between 1 KiB and 4 GiB");
  }
  c.max_batch_streams = absl::GetFlag(FLAGS_max_batch_streams);
  c.max_batch_streams_per_connection = absl::GetFlag(FLAGS_max_batch_streams_per_connection);
  if (c.max_batch_streams < 1 || c.max_batch_streams_per_connection < 1) {
    return absl::InvalidArgumentError(
        "--max_batch_streams and --max_batch_streams_per_connection must be at least 1");
  }
  return absl::OkStatus();
}

// Listening, TLS and tokens, metrics, logs.
absl::Status ServingFromFlags(DaemonConfig& c) {
  c.security.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  c.security.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  c.security.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  c.security.auth_token_file = absl::GetFlag(FLAGS_auth_token_file);
  c.security.auth_callers_file = absl::GetFlag(FLAGS_auth_callers_file);
  c.security.insecure_listen = absl::GetFlag(FLAGS_insecure_listen);
  if (absl::Status s = CheckListenPolicy(c.listen, c.security); !s.ok()) return s;
  c.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (absl::Status s = CheckMetricsListenPolicy(c.metrics_listen, c.security); !s.ok()) return s;
  c.advertise_address = absl::GetFlag(FLAGS_advertise_address);
  c.slow_request = absl::GetFlag(FLAGS_slow_request);
  LogLevel level;
  if (!ParseLogLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    return absl::InvalidArgumentError("--log_level must be debug, info, warn or error");
  }
  std::string format = absl::GetFlag(FLAGS_log_format);
  if (format != "plain" && format != "json") {
    return absl::InvalidArgumentError("--log_format must be plain or json");
  }
  ConfigureLog(format == "json" ? LogFormat::kJson : LogFormat::kPlain, level);
  return absl::OkStatus();
}

// The checks that relate several flags.
absl::Status CheckLimits(const DaemonConfig& c) {
  if (c.default_timeout <= absl::ZeroDuration() || c.max_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--default_timeout and --max_timeout must be positive");
  }
  if (c.default_timeout > c.max_timeout) {
    return absl::InvalidArgumentError("--default_timeout must not exceed --max_timeout");
  }
  if (c.max_message_bytes < 1024 || c.max_message_bytes > (1ull << 31) - 1) {
    return absl::InvalidArgumentError("--max_message_bytes must be between 1 KiB and 2 GiB");
  }
  if (c.max_source_bytes > c.max_message_bytes) {
    return absl::InvalidArgumentError("--max_source_bytes must not exceed --max_message_bytes");
  }
  if (c.pool.max_result_depth < 1 || c.pool.max_result_depth > 1000) {
    return absl::InvalidArgumentError("--max_result_depth must be between 1 and 1000");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DaemonConfig> ConfigFromFlags() {
  DaemonConfig c;
  c.listen = absl::GetFlag(FLAGS_listen);
  RETURN_IF_ERROR(PoolFromFlags(c.pool));
  RETURN_IF_ERROR(FetchFromFlags(c.pool.fetch));
  RETURN_IF_ERROR(RequestsFromFlags(c));
  c.v8_background_threads = absl::GetFlag(FLAGS_v8_background_threads);
  RETURN_IF_ERROR(ServingFromFlags(c));
  RETURN_IF_ERROR(CheckLimits(c));
  return c;
}

}  // namespace jscore::daemon
