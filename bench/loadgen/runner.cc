// Runner: the closed loop (refill on completion), the open loop (a send schedule on
// the main thread), recording of answers and the drain at the end.
#include "bench/loadgen/runner.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "bench/loadgen/json.h"
#include "common/status_code_name.h"

namespace jscore::loadgen {
namespace {

constexpr auto kLateThreshold = std::chrono::milliseconds(1);
// The open loop's scheduler wakes up at most this often.
constexpr auto kMinWakeInterval = std::chrono::microseconds(100);
// How long to wait, past the request timeout, for answers still in flight at the end.
constexpr absl::Duration kDrainSlack = absl::Seconds(5);

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

uint64_t RunResult::rpc_error_count() const {
  uint64_t n = 0;
  for (const auto& [code, count] : rpc_errors) n += count;
  return n;
}

double RunResult::throughput() const {
  if (!(window_seconds > 0)) return 0;
  return static_cast<double>(ok) / window_seconds;
}

// One RPC in flight: heap-allocated at the send, deleted by its completion.
struct Runner::Call {
  grpc::ClientContext context;
  v1::EvaluateResponse response;
  Clock::time_point start;
  bool measured = false;
};

Runner::Runner(RunOptions options, const Workload& workload,
               std::vector<std::unique_ptr<v1::JsCore::Stub>> stubs)
    : options_(std::move(options)), workload_(workload), stubs_(std::move(stubs)) {}

RunResult Runner::Run() {
  if (options_.mode == LoopMode::kClosed) {
    RunClosed();
  } else {
    RunOpen();
  }
  WaitForDrain();
  double cpu = ProcessCpuSeconds() - cpu_at_measure_start_;

  RunResult result;
  result.mode = options_.mode;
  result.sent = sent_.load();
  result.late = late_;
  result.dropped = dropped_;
  result.max_late_us = max_late_us_;
  result.count = count_.load();
  result.ok = ok_.load();
  result.js_errors = js_errors_.load();
  result.mismatches = mismatches_.load();
  for (size_t code = 0; code < rpc_errors_.size(); ++code) {
    uint64_t n = rpc_errors_[code].load();
    if (n > 0) result.rpc_errors[StatusCodeName(static_cast<grpc::StatusCode>(code))] = n;
  }
  result.unfinished = static_cast<uint64_t>(std::max<int64_t>(0, measured_outstanding_.load()));
  int64_t last_ns = last_answer_ns_.load();
  if (last_ns <= 0) {
    // No answer at all: the window is the time the measured phase lasted.
    last_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - measure_start_).count();
  }
  result.window_seconds = static_cast<double>(last_ns) / 1e9;
  result.client_cpu_seconds = cpu;
  result.latency = latency_;
  return result;
}

void Runner::RunClosed() {
  bool warm = options_.warmup > absl::ZeroDuration();
  phase_.store(warm ? Phase::kWarmup : Phase::kMeasure);
  measure_start_ = Clock::now();
  cpu_at_measure_start_ = ProcessCpuSeconds();
  for (int i = 0; i < options_.concurrency; ++i) MaybeIssueClosed();
  if (warm) {
    absl::SleepFor(options_.warmup);
    // Set the start before the phase so that no measured send precedes it.
    measure_start_ = Clock::now();
    cpu_at_measure_start_ = ProcessCpuSeconds();
    phase_.store(Phase::kMeasure);
  }
  if (options_.duration == absl::InfiniteDuration()) {
    requests_exhausted_.WaitForNotification();
  } else {
    requests_exhausted_.WaitForNotificationWithTimeout(options_.duration);
  }
  phase_.store(Phase::kStopped);
}

void Runner::MaybeIssueClosed() {
  Phase phase = phase_.load();
  if (phase == Phase::kStopped) return;
  bool measured = phase == Phase::kMeasure;
  if (measured && options_.requests > 0) {
    int64_t n = measured_issued_.fetch_add(1);
    if (n >= options_.requests) return;
    if (n == options_.requests - 1) requests_exhausted_.Notify();
  }
  Issue(measured, Clock::now());
}

void Runner::RunOpen() {
  // Sleeps end within ~1 µs instead of the default 50 µs timer slack.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  const auto interval = std::chrono::duration<double, std::nano>(1e9 / options_.rate);
  const Clock::time_point start = Clock::now();
  measure_start_ = start + absl::ToChronoNanoseconds(options_.warmup);
  const bool bounded = options_.duration != absl::InfiniteDuration();
  const Clock::time_point end = bounded
                                    ? measure_start_ + absl::ToChronoNanoseconds(options_.duration)
                                    : Clock::time_point::max();
  Clock::time_point last_wake = start;
  bool cpu_marked = false;
  int64_t measured_scheduled = 0;
  for (uint64_t i = 0;; ++i) {
    Clock::time_point scheduled =
        start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
    if (scheduled >= end) break;
    bool measured = scheduled >= measure_start_;
    if (measured && options_.requests > 0 && measured_scheduled >= options_.requests) break;
    Clock::time_point now = Clock::now();
    if (scheduled > now) {
      // At most one wake-up per kMinWakeInterval: past 10k/s sends go out in small
      // batches (a wake-up costs more than an RPC), up to 100 µs behind schedule.
      std::this_thread::sleep_until(std::max(scheduled, last_wake + kMinWakeInterval));
      now = last_wake = Clock::now();
    }
    if (measured && !cpu_marked) {
      cpu_at_measure_start_ = ProcessCpuSeconds();
      cpu_marked = true;
    }
    if (measured) ++measured_scheduled;
    if (outstanding_.load(std::memory_order_relaxed) >= options_.max_outstanding) {
      if (measured) ++dropped_;
      continue;
    }
    if (measured) {
      auto behind = now - scheduled;
      if (behind > kLateThreshold) ++late_;
      max_late_us_ = std::max<uint64_t>(
          max_late_us_, std::chrono::duration_cast<std::chrono::microseconds>(behind).count());
    }
    Issue(measured, scheduled);
  }
  if (!cpu_marked) cpu_at_measure_start_ = ProcessCpuSeconds();
}

void Runner::Issue(bool measured, Clock::time_point intended_start) {
  auto* call = new Call;
  call->measured = measured;
  call->start = intended_start;
  call->context.set_deadline(std::chrono::system_clock::now() +
                             absl::ToChronoNanoseconds(options_.timeout));
  outstanding_.fetch_add(1);
  if (measured) {
    measured_outstanding_.fetch_add(1);
    sent_.fetch_add(1, std::memory_order_relaxed);
  }
  v1::JsCore::Stub& stub =
      *stubs_[next_stub_.fetch_add(1, std::memory_order_relaxed) % stubs_.size()];
  workload_.Start(stub, &call->context, &call->response,
                  [this, call](grpc::Status status) { OnDone(call, status); });
}

void Runner::OnDone(Call* call, const grpc::Status& status) {
  bool measured = call->measured;
  if (measured) Record(*call, status, Clock::now());
  delete call;
  // Refill before giving up the slot, so that the count never touches zero mid-run.
  if (options_.mode == LoopMode::kClosed) MaybeIssueClosed();
  if (measured) measured_outstanding_.fetch_sub(1);
  // The last touch of `this`: once the count is zero the runner may be destroyed.
  outstanding_.fetch_sub(1);
}

void Runner::Record(const Call& call, const grpc::Status& status, Clock::time_point now) {
  count_.fetch_add(1, std::memory_order_relaxed);
  int64_t since_start =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - measure_start_).count();
  int64_t last = last_answer_ns_.load(std::memory_order_relaxed);
  while (since_start > last &&
         !last_answer_ns_.compare_exchange_weak(last, since_start, std::memory_order_relaxed)) {
  }
  if (!status.ok()) {
    size_t code = static_cast<size_t>(status.error_code());
    if (code >= rpc_errors_.size()) code = static_cast<size_t>(grpc::StatusCode::UNKNOWN);
    rpc_errors_[code].fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - call.start).count();
  latency_->Record(static_cast<uint64_t>(std::max<int64_t>(0, micros)));
  if (call.response.has_error()) {
    js_errors_.fetch_add(1, std::memory_order_relaxed);
  } else if (options_.expect_json && ResultJson(call.response) != *options_.expect_json) {
    mismatches_.fetch_add(1, std::memory_order_relaxed);
  } else {
    ok_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Runner::WaitForDrain() {
  absl::Time bound = absl::Now() + options_.timeout + kDrainSlack;
  while (outstanding_.load() > 0 && absl::Now() < bound) absl::SleepFor(absl::Milliseconds(1));
}

}  // namespace jscore::loadgen
