// BatchRunner: one Batch stream carrying a closed loop of items (W5 of the bench).
#ifndef JSCORE_BENCH_LOADGEN_BATCH_RUNNER_H_
#define JSCORE_BENCH_LOADGEN_BATCH_RUNNER_H_

#include "bench/loadgen/runner.h"
#include "jscore/v1/jscore.grpc.pb.h"

namespace jscore::loadgen {

// Opens one Batch stream and keeps `options.concurrency` items unanswered on it:
// each answer read sends the next item, as a client that pushes a large job through
// one stream with a fixed window would. Every item is `item` with its own id (a
// sequence number). Closed loop only (`options.mode` must be kClosed).
//
// Owned by main(); Run() is called once, on the main thread, and blocks. The stream's
// reactions run on gRPC's callback threads and share the runner's state under one
// mutex. Counting is the unary runner's: an item is an answer; its latency runs
// from the moment the item was queued for writing to the moment its answer was
// read; `rpc_errors` holds items answered with a non-OK code (and, if the stream
// itself fails, the items it left unanswered, under the stream's code). The stub
// must outlive the runner. If the stream is still open after the drain bound,
// result.unfinished > 0 and the runner must be leaked, not destroyed.
class BatchRunner {
 public:
  // `packed`: items ready together go in one message (BatchRequest.more), and the
  // stream asks for packed results (BatchResponse.more); otherwise one item and one
  // result per message.
  BatchRunner(RunOptions options, v1::BatchRequest item, v1::JsCore::Stub& stub, bool packed);
  ~BatchRunner();
  BatchRunner(const BatchRunner&) = delete;
  BatchRunner& operator=(const BatchRunner&) = delete;

  RunResult Run();

 private:
  class Stream;
  std::unique_ptr<Stream> stream_;
};

}  // namespace jscore::loadgen

#endif  // JSCORE_BENCH_LOADGEN_BATCH_RUNNER_H_
