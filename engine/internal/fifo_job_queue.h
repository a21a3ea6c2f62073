// FifoJobQueue: a bounded lock-free queue of jobs with one global FIFO order
// (Boost.Lockfree), for the jobs pinned to one worker (sessions).
#ifndef JSCORE_ENGINE_INTERNAL_FIFO_JOB_QUEUE_H_
#define JSCORE_ENGINE_INTERNAL_FIFO_JOB_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <memory>

#include "boost/lockfree/policies.hpp"
#include "boost/lockfree/queue.hpp"
#include "engine/job.h"

namespace jscore::engine::internal {

// Any thread may push; the owning worker pops. Unlike JobQueue (moodycamel, which is
// FIFO per producer only), the order here is the order in which TryPush calls took
// effect, whichever threads made them: a session's jobs run in arrival order.
// The queue holds boxed shared_ptrs because Boost.Lockfree needs trivial elements.
class FifoJobQueue {
 public:
  explicit FifoJobQueue(size_t capacity) : capacity_(capacity), queue_(capacity) {}
  ~FifoJobQueue() {
    std::shared_ptr<Job> job;
    while (TryPop(job)) {
    }
  }

  bool TryPush(std::shared_ptr<Job> job) {
    auto* box = new std::shared_ptr<Job>(std::move(job));
    if (!queue_.bounded_push(box)) {
      delete box;
      return false;
    }
    size_.fetch_add(1, std::memory_order_acq_rel);
    return true;
  }

  bool TryPop(std::shared_ptr<Job>& job) {
    std::shared_ptr<Job>* box = nullptr;
    if (!queue_.pop(box)) return false;
    size_.fetch_sub(1, std::memory_order_acq_rel);
    job = std::move(*box);
    delete box;
    return true;
  }

  // May briefly lag a push or pop under way; exact when the queue is quiet.
  size_t size() const { return size_.load(std::memory_order_acquire); }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  std::atomic<size_t> size_{0};
  // `capacity` nodes are made up front; bounded_push never allocates more.
  boost::lockfree::queue<std::shared_ptr<Job>*> queue_;
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_FIFO_JOB_QUEUE_H_
