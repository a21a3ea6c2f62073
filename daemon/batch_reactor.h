// BatchReactor: one Batch stream (many evaluations or calls, results as they finish).
#ifndef JSCORE_DAEMON_BATCH_REACTOR_H_
#define JSCORE_DAEMON_BATCH_REACTOR_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "daemon/config.h"
#include "daemon/metrics.h"
#include "daemon/stream_limits.h"
#include "engine/pool.h"
#include "grpcpp/grpcpp.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::daemon {

// Created by the Batch handler on a gRPC thread; deletes itself in OnDone. Reads an
// item, submits it as a job, reads the next while fewer than --batch_window items are
// unanswered and no result waits to be written (so neither a fast producer nor a
// client that does not read can grow memory), and writes each result when its job
// completes (worker threads), one write at a time. Results waiting for the client
// hold at most --batch_buffer_bytes (plus the one result that arrives at an empty
// buffer); past that a result is answered RESOURCE_EXHAUSTED instead. A message
// with more than --batch_window items is refused whole (none of them runs): the
// stream ends INVALID_ARGUMENT after the answers of the items read before it. The
// stream counts against StreamLimits while open. After the client half-closes,
// the stream ends with the last result. A cancel (or the stream's deadline) cancels
// every job still pending; the stream then ends CANCELLED once they have all completed.
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
  BatchReactor(engine::Pool& pool, const DaemonConfig& config, grpc::CallbackServerContext* context,
               const absl::StatusOr<std::string>& caller, Metrics& metrics, StreamLimits& limits);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Submit(const v1::BatchRequest& request) ABSL_LOCKS_EXCLUDED(mu_);
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

  engine::Pool& pool_;
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
  v1::BatchRequest request_;   // read side only: the message just read, parsed

  absl::Mutex mu_;
  uint64_t next_token_ ABSL_GUARDED_BY(mu_) = 0;
  std::unordered_map<uint64_t, std::shared_ptr<engine::Job>> jobs_ ABSL_GUARDED_BY(mu_);
  std::deque<std::unique_ptr<v1::BatchResponse>> outbox_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<v1::BatchResponse> writing_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer outgoing_ ABSL_GUARDED_BY(mu_);  // writing_, serialized
  int writing_count_ ABSL_GUARDED_BY(mu_) = 0;      // results in writing_ (with its `more`)
  int unanswered_ ABSL_GUARDED_BY(mu_) = 0;         // read, not yet written
  size_t buffered_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // results in outbox_ and writing_
  size_t writing_bytes_ ABSL_GUARDED_BY(mu_) = 0;   // of them, in writing_
  std::optional<absl::Status> refused_ ABSL_GUARDED_BY(mu_);  // a message past the window
  bool first_read_ = true;                                    // read side only (one read at a time)
  bool packed_ ABSL_GUARDED_BY(mu_) = false;                  // the client reads BatchResponse.more
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;  // the pool stopped admitting: read no more
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_BATCH_REACTOR_H_
