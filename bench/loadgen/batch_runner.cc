// BatchRunner: the stream reactor (one write at a time, reads back to back), the
// closed loop of items over it, recording, and the half-close at the end.
#include "bench/loadgen/batch_runner.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "bench/loadgen/json.h"
#include "common/status_code_name.h"

namespace jscore::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

// How long to wait, past the item timeout, for the stream to end after the run.
constexpr absl::Duration kDrainSlack = absl::Seconds(5);

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

class BatchRunner::Stream final
    : public grpc::ClientBidiReactor<v1::BatchRequest, v1::BatchResponse> {
 public:
  Stream(RunOptions options, v1::BatchRequest item, v1::JsCore::Stub& stub, bool packed)
      : options_(std::move(options)), item_(std::move(item)), stub_(stub), packed_(packed) {}

  RunResult Run();

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnWritesDoneDone(bool) override {}
  void OnDone(const grpc::Status& status) override;

 private:
  enum class Phase { kWarmup, kMeasure, kStopped };
  struct Pending {
    Clock::time_point start;
    bool measured;
  };

  // Queues `n` items for writing, and writes them now if no write is in flight.
  void Issue(int n) ABSL_LOCKS_EXCLUDED(mu_);
  // Fills the write buffer with the next queued item (all of them, up to the server's
  // default --batch_window, when packed); the caller then calls StartWrite.
  void PrepareWrite() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // An answer (and, packed, the ones it carries): records them; returns how many.
  int Answered(const v1::BatchResponse& answer, Clock::time_point now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After the run: half-closes once every item is answered and no write is pending.
  bool ShouldHalfClose() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Record(const Pending& pending, const v1::BatchResponse& answer, Clock::time_point now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RunOptions options_;
  const v1::BatchRequest item_;
  v1::JsCore::Stub& stub_;
  const bool packed_;
  bool first_write_ = true;  // under mu_
  grpc::ClientContext context_;
  const std::shared_ptr<LatencyHistogram> latency_ = std::make_shared<LatencyHistogram>();
  absl::Notification requests_exhausted_;
  absl::Notification done_;

  // Owned by the write in flight, and by the read in flight.
  v1::BatchRequest write_buffer_;
  v1::BatchResponse read_buffer_;

  absl::Mutex mu_;
  Phase phase_ ABSL_GUARDED_BY(mu_) = Phase::kWarmup;
  Clock::time_point measure_start_ ABSL_GUARDED_BY(mu_);
  double cpu_at_measure_start_ = 0;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t measured_issued_ ABSL_GUARDED_BY(mu_) = 0;
  std::unordered_map<uint64_t, Pending> in_flight_ ABSL_GUARDED_BY(mu_);
  std::deque<uint64_t> to_write_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool half_closed_ ABSL_GUARDED_BY(mu_) = false;
  bool stream_over_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> stream_status_ ABSL_GUARDED_BY(mu_);

  uint64_t sent_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t count_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t ok_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t js_errors_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t mismatches_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, uint64_t> rpc_errors_ ABSL_GUARDED_BY(mu_);
  int64_t last_answer_ns_ ABSL_GUARDED_BY(mu_) = 0;
};

RunResult BatchRunner::Stream::Run() {
  const bool warm = options_.warmup > absl::ZeroDuration();
  const bool bounded = options_.duration != absl::InfiniteDuration();
  // The stream outlives every item: warmup + run + one item timeout + slack.
  absl::Duration stream_life = options_.warmup + options_.timeout + kDrainSlack +
                               (bounded ? options_.duration : absl::Hours(24));
  context_.set_deadline(absl::ToChronoTime(absl::Now() + stream_life));
  {
    absl::MutexLock lock(&mu_);
    phase_ = warm ? Phase::kWarmup : Phase::kMeasure;
    measure_start_ = Clock::now();
  }
  cpu_at_measure_start_ = ProcessCpuSeconds();
  stub_.async()->Batch(&context_, this);
  StartRead(&read_buffer_);
  Issue(options_.concurrency);
  StartCall();

  if (warm) {
    absl::SleepFor(options_.warmup);
    cpu_at_measure_start_ = ProcessCpuSeconds();
    absl::MutexLock lock(&mu_);
    measure_start_ = Clock::now();
    phase_ = Phase::kMeasure;
  }
  if (bounded) {
    requests_exhausted_.WaitForNotificationWithTimeout(options_.duration);
  } else {
    requests_exhausted_.WaitForNotification();
  }
  bool half_close = false;
  {
    absl::MutexLock lock(&mu_);
    phase_ = Phase::kStopped;
    half_close = ShouldHalfClose();
  }
  if (half_close) StartWritesDone();
  if (!done_.WaitForNotificationWithTimeout(options_.timeout + kDrainSlack)) {
    context_.TryCancel();
    done_.WaitForNotificationWithTimeout(kDrainSlack);
  }
  const double cpu = ProcessCpuSeconds() - cpu_at_measure_start_;

  absl::MutexLock lock(&mu_);
  RunResult result;
  result.mode = LoopMode::kClosed;
  result.sent = sent_;
  result.count = count_;
  result.ok = ok_;
  result.js_errors = js_errors_;
  result.mismatches = mismatches_;
  result.rpc_errors = rpc_errors_;
  if (!done_.HasBeenNotified()) {
    // gRPC still holds the stream: the caller must leak the runner (unfinished > 0).
    for (const auto& [seq, pending] : in_flight_) result.unfinished += pending.measured ? 1 : 0;
    result.unfinished = std::max<uint64_t>(result.unfinished, 1);
  }
  int64_t last_ns = last_answer_ns_;
  if (last_ns <= 0) {
    last_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - measure_start_).count();
  }
  result.window_seconds = static_cast<double>(last_ns) / 1e9;
  result.client_cpu_seconds = cpu;
  result.latency = latency_;
  return result;
}

void BatchRunner::Stream::Issue(int n) {
  bool start_write = false;
  {
    absl::MutexLock lock(&mu_);
    for (int i = 0; i < n; ++i) {
      if (phase_ == Phase::kStopped || stream_over_) break;
      const bool measured = phase_ == Phase::kMeasure;
      if (measured && options_.requests > 0) {
        if (measured_issued_ >= options_.requests) break;
        if (++measured_issued_ == options_.requests) requests_exhausted_.Notify();
      }
      if (measured) ++sent_;
      uint64_t seq = next_seq_++;
      in_flight_.emplace(seq, Pending{Clock::now(), measured});
      to_write_.push_back(seq);
    }
    if (!writing_ && !to_write_.empty()) {
      writing_ = true;
      PrepareWrite();
      start_write = true;
    }
  }
  if (start_write) StartWrite(&write_buffer_);
}

void BatchRunner::Stream::PrepareWrite() {
  constexpr int kMaxPacked = 256;  // jscored's default --batch_window
  write_buffer_ = item_;
  write_buffer_.set_id(absl::StrCat(to_write_.front()));
  to_write_.pop_front();
  if (!packed_) return;
  if (first_write_) write_buffer_.set_packed_results(true);
  first_write_ = false;
  for (int n = 1; n < kMaxPacked && !to_write_.empty(); ++n) {
    v1::BatchRequest* more = write_buffer_.add_more();
    *more = item_;
    more->set_id(absl::StrCat(to_write_.front()));
    to_write_.pop_front();
  }
}

void BatchRunner::Stream::OnWriteDone(bool ok) {
  bool start_write = false;
  bool half_close = false;
  {
    absl::MutexLock lock(&mu_);
    if (!ok) {  // the stream broke: OnDone follows with its status
      writing_ = false;
      stream_over_ = true;
      return;
    }
    if (!to_write_.empty()) {
      PrepareWrite();
      start_write = true;
    } else {
      writing_ = false;
      half_close = ShouldHalfClose();
    }
  }
  if (start_write) StartWrite(&write_buffer_);
  if (half_close) StartWritesDone();
}

void BatchRunner::Stream::OnReadDone(bool ok) {
  if (!ok) return;  // the server ended the stream: OnDone follows
  const Clock::time_point now = Clock::now();
  int issue = 0;
  bool half_close = false;
  {
    absl::MutexLock lock(&mu_);
    int answered = Answered(read_buffer_, now);
    for (const v1::BatchResponse& more : read_buffer_.more()) answered += Answered(more, now);
    if (phase_ != Phase::kStopped) issue = answered;
    half_close = issue == 0 && ShouldHalfClose();
  }
  if (issue > 0) Issue(issue);
  StartRead(&read_buffer_);
  if (half_close) StartWritesDone();
}

int BatchRunner::Stream::Answered(const v1::BatchResponse& answer, Clock::time_point now) {
  uint64_t seq = 0;
  auto it = absl::SimpleAtoi(answer.id(), &seq) ? in_flight_.find(seq) : in_flight_.end();
  if (it == in_flight_.end()) return 0;
  if (it->second.measured) Record(it->second, answer, now);
  in_flight_.erase(it);
  return 1;
}

bool BatchRunner::Stream::ShouldHalfClose() {
  if (phase_ != Phase::kStopped || half_closed_ || stream_over_) return false;
  if (writing_ || !in_flight_.empty()) return false;
  half_closed_ = true;
  return true;
}

void BatchRunner::Stream::Record(const Pending& pending, const v1::BatchResponse& answer,
                                 Clock::time_point now) {
  ++count_;
  last_answer_ns_ = std::max<int64_t>(
      last_answer_ns_,
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - measure_start_).count());
  if (answer.code() != 0) {
    ++rpc_errors_[StatusCodeName(static_cast<grpc::StatusCode>(answer.code()))];
    return;
  }
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - pending.start).count();
  latency_->Record(static_cast<uint64_t>(std::max<int64_t>(0, micros)));
  if (answer.result().has_error()) {
    ++js_errors_;
  } else if (options_.expect_json && ResultJson(answer.result()) != *options_.expect_json) {
    ++mismatches_;
  } else {
    ++ok_;
  }
}

void BatchRunner::Stream::OnDone(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    stream_over_ = true;
    stream_status_ = status;
    if (!status.ok()) {
      // Items the stream took down with it count as failed with its code.
      for (const auto& [seq, pending] : in_flight_) {
        if (!pending.measured) continue;
        ++count_;
        ++rpc_errors_[StatusCodeName(status.error_code())];
      }
      in_flight_.clear();
    }
  }
  done_.Notify();
}

BatchRunner::BatchRunner(RunOptions options, v1::BatchRequest item, v1::JsCore::Stub& stub,
                         bool packed)
    : stream_(std::make_unique<Stream>(std::move(options), std::move(item), stub, packed)) {}

BatchRunner::~BatchRunner() = default;

RunResult BatchRunner::Run() { return stream_->Run(); }

}  // namespace jscore::loadgen
