// BatchReactor: one Batch stream (many evaluations or calls, results as they finish).
#ifndef JSCORE_DAEMON_BATCH_REACTOR_H_
#define JSCORE_DAEMON_BATCH_REACTOR_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "daemon/config.h"
#include "daemon/job_runner.h"
#include "daemon/metrics.h"
#include "daemon/stream_limits.h"
#include "engine/job.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::daemon {

// Created by the Batch handler on a gRPC thread; deletes itself in OnDone. Reads a
// message, starts the next read at once (before its items are submitted as jobs, so
// the stream's input is never idle while items are handed to the runner) while
// fewer than --batch_window items are unanswered and the results waiting behind the
// write in flight hold under a quarter of --batch_buffer_bytes (so neither a fast
// producer nor a client that does not read can grow memory), and writes each result
// when its job completes (worker threads), one write at a time, packing the results
// that wait into one message for a client that asked for packed results. Results waiting for the
// client hold at most --batch_buffer_bytes (plus the one result that arrives at an empty buffer);
// past that a result is answered RESOURCE_EXHAUSTED instead. A message with more than
// --batch_window items is refused whole (none of them runs): the stream ends INVALID_ARGUMENT after
// the answers of the items read before it. The stream counts against StreamLimits while open. After
// the client half-closes, the stream ends with the last result. A cancel (or the stream's deadline)
// cancels every job still pending; the stream then ends CANCELLED once they have all completed.
// When the daemon stops, the item the pool refuses gets UNAVAILABLE, no further item
// is read, and the stream ends UNAVAILABLE once every item read has its answer.
//
// It reads and writes bytes (the service registers Batch as a raw method): a message's
// items are counted on the wire before it is parsed (batch_wire.h), so a message past
// the window is refused without building it.
class BatchReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // `caller` not OK (e.g. UNAUTHENTICATED), or too many streams: the stream ends at
  // once with it. Otherwise every item runs as `caller` (engine::JobSpec::owner).
  BatchReactor(JobRunner& runner, const DaemonConfig& config, grpc::CallbackServerContext* context,
               const absl::StatusOr<std::string>& caller, Metrics& metrics, StreamLimits& limits);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // When a message was read, and the stream's gRPC deadline then.
  struct ReadAt {
    absl::Time time;
    absl::Time grpc_deadline;
  };
  // A message read and counted, waiting to be submitted; its items are the jobs
  // `first_token`, `first_token` + 1, ...
  struct ReadMessage {
    std::unique_ptr<v1::BatchRequest> request;
    uint64_t first_token = 0;
    ReadAt read_at;
  };
  // Read side: submits the messages in to_submit_, in order, until it is empty (one
  // OnReadDone at a time does, the one that set submitting_).
  void SubmitInOrder() ABSL_LOCKS_EXCLUDED(mu_);
  // Read side (OnReadDone): runs one item of the message read at `read_at`, as the
  // job `token` in jobs_ (the item is counted in unanswered_ already).
  void Submit(const v1::BatchRequest& request, uint64_t token, ReadAt read_at)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Read side: a cleared BatchRequest to parse a message into, and back once its
  // items are submitted (reused, so that parsing allocates little).
  std::unique_ptr<v1::BatchRequest> TakeSpareRequest() ABSL_LOCKS_EXCLUDED(mu_);
  void ReturnSpareRequest(std::unique_ptr<v1::BatchRequest> request) ABSL_LOCKS_EXCLUDED(mu_);
  // Whether a read may start now: within the window, not stopping, and the results
  // waiting for the client hold under a quarter of --batch_buffer_bytes.
  bool ReadAllowedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Any thread: queues a result for writing; `done_job` (the token of the job that
  // produced it) leaves jobs_ in the same step. The item's latency (metrics) runs
  // from `item_started` (when it was read) to now.
  void Deliver(std::unique_ptr<v1::BatchResponse> response, std::optional<uint64_t> done_job,
               absl::Time item_started) ABSL_LOCKS_EXCLUDED(mu_);
  // Any thread: applies `deliver`/`done_job` (if given), then starts what the stream
  // can do next (a write, a read, the Finish).
  void Step(std::unique_ptr<v1::BatchResponse> deliver = nullptr,
            std::optional<uint64_t> done_job = std::nullopt,
            absl::Time item_started = absl::InfinitePast()) ABSL_LOCKS_EXCLUDED(mu_);
  void CancelLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A delivered result, as Step reports it after the lock (metrics, the log).
  struct DeliveredItem {
    absl::Duration took;                   // its latency
    std::optional<grpc::StatusCode> code;  // set when a result was queued
    bool log = false;                      // then the fields below are set
    std::string request_id;                // the stream's
    std::string id;
    std::string message;
  };
  // Queues `result` for writing (RESOURCE_EXHAUSTED instead when the unread results
  // hold --batch_buffer_bytes already) and describes it in `item`.
  void QueueLocked(std::unique_ptr<v1::BatchResponse> result, DeliveredItem* item)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves the next result (and, packed, the others ready) from outbox_ into writing_
  // and outgoing_; true when more results wait.
  bool NextWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The stream's status when it is to finish now (every item answered and written,
  // reading stopped); sets finished_.
  std::optional<grpc::Status> FinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  JobRunner& runner_;
  const DaemonConfig& config_;
  grpc::CallbackServerContext* context_;
  Metrics& metrics_;
  StreamLimits& limits_;
  std::string caller_;
  const std::string request_id_;  // the stream's (rpc_support.h), in its log lines
  std::string connection_;        // context_->peer(), counted in limits_ when counted_
  bool counted_ = false;
  const absl::Time started_ = absl::Now();
  grpc::ByteBuffer incoming_;  // owned by the read in flight

  absl::Mutex mu_;
  uint64_t next_token_ ABSL_GUARDED_BY(mu_) = 0;
  std::unordered_map<uint64_t, std::shared_ptr<engine::Job>> jobs_ ABSL_GUARDED_BY(mu_);
  std::deque<std::unique_ptr<v1::BatchResponse>> outbox_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<v1::BatchRequest>> spare_requests_ ABSL_GUARDED_BY(mu_);
  std::deque<ReadMessage> to_submit_ ABSL_GUARDED_BY(mu_);  // read, counted, not yet submitted
  bool submitting_ ABSL_GUARDED_BY(mu_) = false;            // an OnReadDone drains to_submit_
  std::unique_ptr<v1::BatchResponse> writing_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer outgoing_ ABSL_GUARDED_BY(mu_);  // writing_, serialized
  int writing_count_ ABSL_GUARDED_BY(mu_) = 0;      // results in writing_ (with its `more`)
  int unanswered_ ABSL_GUARDED_BY(mu_) = 0;         // read, not yet written
  size_t buffered_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // results in outbox_ and writing_
  size_t writing_bytes_ ABSL_GUARDED_BY(mu_) = 0;   // of them, in writing_
  std::optional<absl::Status> refused_ ABSL_GUARDED_BY(mu_);  // a message past the window
  bool first_read_ = true;                    // read side only: set before the next read starts
  bool packed_ ABSL_GUARDED_BY(mu_) = false;  // the client reads BatchResponse.more
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;  // the pool stopped admitting: read no more
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_BATCH_REACTOR_H_
