#include "daemon/batch_reactor.h"

#include <malloc.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "daemon/batch_wire.h"
#include "daemon/request_mapping.h"
#include "daemon/rpc_support.h"
#include "daemon/status_mapping.h"
#include "daemon/timeout_message.h"

namespace jscore::daemon {
namespace {

// Bounds of one packed results message (BatchResponse.more).
constexpr int kMaxPackedResults = 256;
constexpr size_t kMaxPackedBytes = 1 << 20;
// Parsed messages kept for reuse: one per read that may overlap the previous
// message's submission.
constexpr size_t kMaxSpareRequests = 2;

std::unique_ptr<v1::BatchResponse> Failure(const std::string& id, const absl::Status& status) {
  auto response = std::make_unique<v1::BatchResponse>();
  response->set_id(id);
  response->set_code(static_cast<int>(status.code()));
  response->set_message(std::string(status.message()));
  return response;
}

}  // namespace

BatchReactor::BatchReactor(JobRunner& runner, const DaemonConfig& config,
                           grpc::CallbackServerContext* context,
                           const absl::StatusOr<std::string>& caller, Metrics& metrics,
                           StreamLimits& limits)
    : runner_(runner),
      config_(config),
      context_(context),
      metrics_(metrics),
      limits_(limits),
      request_id_(TakeRequestId(*context)) {
  absl::Status admission = caller.status();
  if (admission.ok()) {
    caller_ = *caller;
    connection_ = context_->peer();
    admission = limits_.Open(connection_);
    counted_ = admission.ok();
  }
  if (!admission.ok()) {
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    grpc::Status answer = ToGrpcStatus(admission);
    metrics_.Record(Method::kBatch, answer.error_code(), absl::ZeroDuration());
    NoteRequest(Method::kBatch, answer, absl::ZeroDuration(), absl::InfiniteDuration(),
                request_id_);
    Finish(answer);
    return;
  }
  Step();
}

void BatchReactor::OnReadDone(bool ok) {
  if (!ok) {
    // A read fails when the client half-closes, or when the call was cancelled (the
    // client cancelled or went away; gRPC then marks the context cancelled, possibly
    // before OnCancel runs). Only the first ends the stream OK after the last result.
    const bool cancelled = context_->IsCancelled();
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (cancelled) {
        CancelLocked();
      } else {
        reads_done_ = true;
      }
    }
    return Step();
  }
  // Counted on the wire: a message past the window is refused whole before it is
  // parsed (parsed, 2 MB of empty items would be 1 000 000 objects).
  std::unique_ptr<v1::BatchRequest> parsed_request = TakeSpareRequest();
  v1::BatchRequest& request = *parsed_request;
  int64_t items = CountBatchItems(&incoming_, config_.batch_window);
  absl::Status parsed = items > config_.batch_window
                            ? absl::InvalidArgumentError(absl::StrCat(
                                  "a Batch message carries at most ", config_.batch_window,
                                  " items (--batch_window); one carried more, and none of "
                                  "its items ran; items after it were not read"))
                            : ParseBatchRequest(&incoming_, &request);
  incoming_.Clear();
  if (!parsed.ok()) {
    // What the transport allocated to receive the message (megabytes, in gRPC
    // threads' malloc arenas) goes back to the system too: a hostile message is rare.
    malloc_trim(0);
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!refused_) refused_ = parsed;
    }
    return Step();
  }
  if (first_read_) {
    first_read_ = false;
    absl::MutexLock lock(&mu_);
    packed_ = request.packed_results();
  }
  // The next read starts before this message's items are submitted (the costly
  // part), so the client's next message arrives meanwhile. Messages are submitted in
  // the order they were read (a session's items run in the order sent): by this call,
  // or, when another OnReadDone is still submitting, by that one.
  const ReadAt read_at{absl::Now(), GrpcDeadline(*context_)};  // items' latencies start
  int count = 1 + request.more_size();
  bool read_next = false;
  bool submit_here = false;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    // Stopping (a read started before the stop was found): the message is not run.
    if (cancelled_ || finished_ || draining_ || refused_.has_value()) count = 0;
    if (count > 0) {
      unanswered_ += count;  // holds the stream open until each item is answered
      to_submit_.push_back(ReadMessage{std::move(parsed_request), next_token_, read_at});
      next_token_ += count;
      submit_here = !submitting_;
      submitting_ = true;
      read_next = ReadAllowedLocked();
      reading_ = read_next;
    }
  }
  if (read_next) StartRead(&incoming_);
  if (submit_here) SubmitInOrder();
  Step();
}

void BatchReactor::SubmitInOrder() {
  while (true) {
    ReadMessage message;
    {
      absl::MutexLock lock(&mu_);
      if (to_submit_.empty()) {
        submitting_ = false;
        return;
      }
      message = std::move(to_submit_.front());
      to_submit_.pop_front();
    }
    const v1::BatchRequest& request = *message.request;
    Submit(request, message.first_token, message.read_at);
    for (int i = 0; i < request.more_size(); i++) {
      Submit(request.more(i), message.first_token + 1 + i, message.read_at);
    }
    ReturnSpareRequest(std::move(message.request));
  }
}

std::unique_ptr<v1::BatchRequest> BatchReactor::TakeSpareRequest() {
  absl::MutexLock lock(&mu_);
  if (spare_requests_.empty()) return std::make_unique<v1::BatchRequest>();
  std::unique_ptr<v1::BatchRequest> request = std::move(spare_requests_.back());
  spare_requests_.pop_back();
  return request;
}

void BatchReactor::ReturnSpareRequest(std::unique_ptr<v1::BatchRequest> request) {
  request->Clear();  // keeps its items' memory for the next message
  absl::MutexLock lock(&mu_);
  if (spare_requests_.size() < kMaxSpareRequests) spare_requests_.push_back(std::move(request));
}

bool BatchReactor::ReadAllowedLocked() const {
  // Results waiting behind the write in flight stop reading once they hold a quarter
  // of --batch_buffer_bytes: a client that does not read stops the stream's input
  // early, while a fast stream keeps reading as its results flow.
  const size_t waiting = buffered_bytes_ - writing_bytes_;
  return !reading_ && !reads_done_ && !draining_ && !refused_.has_value() && !cancelled_ &&
         !finished_ && unanswered_ < config_.batch_window &&
         (outbox_.empty() || waiting < config_.batch_buffer_bytes / 4);
}

void BatchReactor::Submit(const v1::BatchRequest& request, uint64_t token, ReadAt read_at) {
  const std::string& id = request.id();
  absl::StatusOr<engine::JobSpec> spec;
  google::protobuf::Duration timeout;
  // (The owner is set below, once the request is known to be valid.)
  if (request.item_case() == v1::BatchRequest::kEvaluate) {
    spec = SpecFromRequest(request.evaluate(), config_);
    timeout = request.evaluate().timeout();
  } else if (request.item_case() == v1::BatchRequest::kCall) {
    spec = SpecFromRequest(request.call(), config_);
    timeout = request.call().timeout();
  } else {
    spec = absl::InvalidArgumentError("a batch item holds an evaluation or a call");
  }
  const absl::Time started = read_at.time;
  const DeadlineOrigin origin = OriginOf(timeout, read_at.grpc_deadline, started);
  absl::StatusOr<absl::Time> deadline =
      DeadlineFor(timeout, origin.grpc_deadline, started, config_);
  if (!spec.ok() || !deadline.ok()) {
    return Deliver(Failure(id, !spec.ok() ? spec.status() : deadline.status()), std::nullopt,
                   started);
  }
  spec->owner = caller_;
  std::shared_ptr<engine::Job> job = runner_.MakeJob(
      std::move(*spec), *deadline, [this, id, token, started, origin](engine::Outcome outcome) {
        auto response = std::make_unique<v1::BatchResponse>();
        response->set_id(id);
        absl::Status status = FillResponse(std::move(outcome), response->mutable_result());
        if (!status.ok()) {
          response = Failure(id, NameTimeoutLimit(std::move(status), origin, config_));
        }
        // The job leaves jobs_ in the same critical section that queues its result:
        // once it is gone, a cancelled stream may finish (and be deleted) at once.
        Deliver(std::move(response), token, started);
      });
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return;  // counted, never answered: the stream ends CANCELLED
    jobs_.emplace(token, job);
  }
  absl::Status submitted = runner_.Submit(job);
  if (!submitted.ok()) {
    if (absl::IsUnavailable(submitted)) {
      // The daemon is stopping (Pool::Submit's only UNAVAILABLE): read no more items.
      absl::MutexLock lock(&mu_);
      draining_ = true;
    }
    Deliver(Failure(id, submitted), token, started);
  }
}

void BatchReactor::Deliver(std::unique_ptr<v1::BatchResponse> response,
                           std::optional<uint64_t> done_job, absl::Time item_started) {
  // `this` is alive here: the item is unanswered and, if it ran, its job is still in
  // jobs_, so the stream cannot finish before Step below (which counts the item).
  Step(std::move(response), done_job, item_started);
}

void BatchReactor::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_.reset();
    outgoing_.Clear();
    buffered_bytes_ -= writing_bytes_;
    writing_bytes_ = 0;
    unanswered_ -= writing_count_;
    writing_count_ = 0;
    if (!ok) CancelLocked();  // the client is gone: nobody will read the rest
  }
  Step();
}

void BatchReactor::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    CancelLocked();
  }
  Step();
}

void BatchReactor::CancelLocked() {
  if (cancelled_) return;
  cancelled_ = true;
  for (auto& [token, job] : jobs_) runner_.Cancel(job);
}

void BatchReactor::OnDone() {
  if (counted_) limits_.Close(connection_);
  delete this;
}

// Moves the stream forward: one write at a time, reading while under the window,
// finishing when nothing is left. Decides under the lock and acts after it, because
// gRPC may run a reaction (OnReadDone...) inline from StartRead/StartWrite.
//
// Lifetime: gRPC keeps `this` alive while one of its reactions (OnReadDone,
// OnWriteDone, OnCancel) runs, but a worker thread delivering a result has no such
// hold: once the lock is released, another thread may finish the stream and OnDone
// delete it as soon as nothing holds it open (a job in jobs_, a write or a read under
// way, an unanswered item). So a delivery changes the state only in here, under the
// lock, and after the lock only what this call decided is done; each decision holds
// the stream open until it is acted on (a write or read this call starts, or the
// Finish that only this call may make).
void BatchReactor::Step(std::unique_ptr<v1::BatchResponse> deliver,
                        std::optional<uint64_t> done_job, absl::Time item_started) {
  const grpc::ByteBuffer* write = nullptr;
  bool more_to_write = false;  // then gRPC may hold this write back and send several at once
  bool read = false;
  std::optional<grpc::Status> finish;
  DeliveredItem item;  // what the delivered result says, for metrics and the log
  if (deliver != nullptr) item.took = absl::Now() - item_started;
  Metrics& metrics = metrics_;  // `this` may be gone once the lock is released
  const absl::Duration slow = config_.slow_request;
  {
    absl::MutexLock lock(&mu_);
    if (done_job) jobs_.erase(*done_job);
    if (deliver != nullptr) QueueLocked(std::move(deliver), &item);
    if (finished_) {
      // Nothing more is written; outbox_ is dropped with the stream.
    } else if (cancelled_) {
      outbox_.clear();  // results nobody can receive
      buffered_bytes_ = writing_bytes_;
      if (jobs_.empty() && writing_ == nullptr && !reading_) {
        finished_ = true;
        finish = grpc::Status(grpc::StatusCode::CANCELLED, "the batch was cancelled");
      }
    } else {
      if (writing_ == nullptr && !outbox_.empty()) {
        more_to_write = NextWriteLocked();
        write = &outgoing_;
      }
      if (ReadAllowedLocked()) {
        reading_ = true;
        read = true;
      }
      finish = FinishLocked();
    }
  }
  if (item.code) {
    metrics.Record(Method::kBatchItem, *item.code, item.took);
    if (item.log)
      NoteBatchItem(*item.code, item.message, item.took, slow, item.request_id, item.id);
  }
  if (write != nullptr) {
    grpc::WriteOptions options;
    if (more_to_write) options.set_buffer_hint();
    StartWrite(write, options);
  }
  if (read) StartRead(&incoming_);
  if (finish) {
    metrics_.Record(Method::kBatch, finish->error_code(), absl::Now() - started_);
    // A stream lasts as long as its input: never "slow", logged at debug level.
    NoteRequest(Method::kBatch, *finish, absl::Now() - started_, absl::InfiniteDuration(),
                request_id_);
    Finish(*finish);
  }
}

void BatchReactor::QueueLocked(std::unique_ptr<v1::BatchResponse> result, DeliveredItem* item) {
  size_t bytes = result->ByteSizeLong();
  if (buffered_bytes_ > 0 && buffered_bytes_ + bytes > config_.batch_buffer_bytes) {
    // The client is not reading its results: this one is not kept.
    result = Failure(result->id(), absl::ResourceExhaustedError(absl::StrCat(
                                       "the stream's unread results already hold ", buffered_bytes_,
                                       " bytes (--batch_buffer_bytes ", config_.batch_buffer_bytes,
                                       "); read them")));
    bytes = result->ByteSizeLong();
  }
  item->code = static_cast<grpc::StatusCode>(result->code());
  if (result->code() != 0 || item->took >= config_.slow_request) {
    item->log = true;
    item->request_id = request_id_;
    item->id = result->id();
    item->message = result->message();
  }
  buffered_bytes_ += bytes;
  outbox_.push_back(std::move(result));
}

bool BatchReactor::NextWriteLocked() {
  writing_ = std::move(outbox_.front());
  outbox_.pop_front();
  writing_count_ = 1;
  writing_bytes_ = static_cast<size_t>(writing_->GetCachedSize());  // QueueLocked computed it
  if (packed_) {
    // Everything else that is ready rides along, within a size a client accepts by
    // default (4 MiB) and a bound on the count.
    size_t bytes = writing_bytes_;
    while (!outbox_.empty() && writing_count_ < kMaxPackedResults) {
      size_t next = static_cast<size_t>(outbox_.front()->GetCachedSize());
      if (bytes + next > kMaxPackedBytes) break;
      bytes += next;
      writing_bytes_ += next;
      writing_->mutable_more()->AddAllocated(outbox_.front().release());
      outbox_.pop_front();
      writing_count_++;
    }
  }
  outgoing_.Clear();                                    // the previous write's bytes
  (void)SerializeBatchResponse(*writing_, &outgoing_);  // fails only past 2 GiB
  return !outbox_.empty();
}

std::optional<grpc::Status> BatchReactor::FinishLocked() {
  const bool stop_reading = reads_done_ || draining_ || refused_.has_value();
  // A read still pending then (a stop found after it started) ends with the stream;
  // its message, if one comes, is not run.
  if (!stop_reading || unanswered_ != 0 || writing_ != nullptr) return std::nullopt;
  finished_ = true;
  // Stopping: every item read has its answer; what the client sent after them was
  // not read, and the stream's status says so.
  if (refused_) return ToGrpcStatus(*refused_);
  if (reads_done_) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the server is shutting down; items after the last answered one were "
                      "not read");
}

}  // namespace jscore::daemon
