// What a job is counted for, beside its time: the heap its sections grew (charged at
// a heap-limit event), its place in the worker's held lists (for Worker::Retire),
// and its HTTP transfers against the per-job and the pool-wide bounds.
#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/internal/stop_flag.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

absl::StatusOr<uint64_t> JobRun::StartHttp(internal::HttpRequest request, HttpDone done) {
  if (worker_.http == nullptr) return absl::FailedPreconditionError("fetch is not enabled");
  if (static_cast<int>(http_calls.size()) >= worker_.options.fetch.max_per_job) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many requests in flight in this evaluation (at most ",
                     worker_.options.fetch.max_per_job, ")"));
  }
  if (internal::StopRequested(worker_.isolate)) {
    return absl::CancelledError("the evaluation is being stopped");
  }
  // The pool-wide bound: reserve a place first, so no two workers both take the last.
  if (worker_.fetch_transfers.fetch_add(1, std::memory_order_relaxed) >=
      worker_.options.fetch.max_in_flight) {
    worker_.fetch_transfers.fetch_sub(1, std::memory_order_relaxed);
    return absl::ResourceExhaustedError(
        absl::StrCat("too many requests in flight in the server (at most ",
                     worker_.options.fetch.max_in_flight, ", --fetch_max_in_flight); retry later"));
  }
  worker_.http_counted.fetch_add(1, std::memory_order_relaxed);
  request.deadline = std::min(request.deadline, job->deadline());
  absl::StatusOr<uint64_t> id = worker_.http->Start(
      std::move(request), [run = this](uint64_t id, internal::HttpResult result) {
        run->worker_.FireHttp(run, id, std::move(result));
      });
  if (!id.ok()) {
    worker_.PublishHttpInFlight();  // gives the reservation back
    return id;
  }
  did_io = true;
  http_calls.emplace(*id, std::move(done));
  worker_.PublishHttpInFlight();
  return id;
}

void JobRun::AbortHttp(uint64_t id) {
  auto it = http_calls.find(id);
  if (it == http_calls.end()) return;
  http_calls.erase(it);
  worker_.http->Abort(id);
  worker_.PublishHttpInFlight();
}

// The sum of the used sizes of the isolate's own spaces: the same figure as
// GetHeapStatistics' used_heap_size (V8 sums SizeOfObjects over the same spaces), read
// without what else GetHeapStatistics gathers at every call (the walk of the native
// contexts, global handles, malloc and wasm counters: about 1% of the daemon's CPU
// under W2, bench/FINDINGS.md "Allocations per call"). The read-only space is left
// out, as V8 leaves it out of used_heap_size.
size_t Worker::Impl::UsedHeap() {
  size_t used = 0;
  const size_t spaces = isolate->NumberOfHeapSpaces();
  for (size_t i = 0; i < spaces; ++i) {
    v8::HeapSpaceStatistics space;
    if (!isolate->GetHeapSpaceStatistics(&space, i)) continue;
    if (std::strcmp(space.space_name(), "read_only_space") == 0) continue;
    used += space.space_used_size();
  }
  return used;
}

JobRun* Worker::Impl::ChargeHeapLimit() {
  if (heap_charged) return heap_culprit;  // one culprit per event (it may be done)
  heap_charged = true;
  for (auto& [run, owned] : runs) {
    if (heap_culprit == nullptr || run->heap_growth > heap_culprit->heap_growth) heap_culprit = run;
  }
  return heap_culprit;
}

void Worker::Impl::UnlistHeld(JobRun* run) {
  absl::MutexLock lock(&parked_mu);
  auto erase = [&run](std::vector<std::shared_ptr<Job>>& list) {
    auto it = std::find(list.begin(), list.end(), run->job);
    if (it == list.end()) return;
    *it = std::move(list.back());
    list.pop_back();
  };
  if (run->parked) erase(parked_jobs);
  erase(held_jobs);
}

void Worker::Impl::PublishHttpInFlight() {
  int now = http == nullptr ? 0 : static_cast<int>(http->in_flight());
  http_in_flight.store(static_cast<uint32_t>(now), std::memory_order_relaxed);
  // A compare-exchange: Worker::Retire may take the count over (exchange(0)) meanwhile.
  int counted = http_counted.load(std::memory_order_relaxed);
  while (counted > now && !http_counted.compare_exchange_weak(counted, now)) {
  }
  if (counted > now) fetch_transfers.fetch_sub(counted - now, std::memory_order_relaxed);
}

}  // namespace jscore::engine
