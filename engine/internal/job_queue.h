// JobQueue: a bounded lock-free MPMC queue of jobs (moodycamel ConcurrentQueue plus
// an admission counter).
#ifndef JSCORE_ENGINE_INTERNAL_JOB_QUEUE_H_
#define JSCORE_ENGINE_INTERNAL_JOB_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <memory>

#include "concurrentqueue/concurrentqueue.h"
#include "engine/job.h"

namespace jscore::engine::internal {

// Any thread may push and pop. The bound is exact for admission: TryPush fails once
// `capacity` jobs are queued, so memory never grows past it.
class JobQueue {
 public:
  explicit JobQueue(size_t capacity) : capacity_(capacity), queue_(capacity) {}

  bool TryPush(std::shared_ptr<Job> job) {
    if (size_.fetch_add(1, std::memory_order_acq_rel) >= capacity_) {
      size_.fetch_sub(1, std::memory_order_acq_rel);
      return false;
    }
    queue_.enqueue(std::move(job));
    return true;
  }

  // Puts back a job taken out by TryPop, whatever the capacity (it was counted).
  void PushBack(std::shared_ptr<Job> job) {
    size_.fetch_add(1, std::memory_order_acq_rel);
    queue_.enqueue(std::move(job));
  }

  bool TryPop(std::shared_ptr<Job>& job) {
    if (!queue_.try_dequeue(job)) return false;
    size_.fetch_sub(1, std::memory_order_acq_rel);
    return true;
  }

  size_t size() const { return size_.load(std::memory_order_acquire); }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  std::atomic<size_t> size_{0};
  moodycamel::ConcurrentQueue<std::shared_ptr<Job>> queue_;
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_JOB_QUEUE_H_
