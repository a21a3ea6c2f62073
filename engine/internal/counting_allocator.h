// CountingAllocator: an ArrayBuffer allocator that counts bytes and refuses past a limit.
#ifndef JSCORE_ENGINE_INTERNAL_COUNTING_ALLOCATOR_H_
#define JSCORE_ENGINE_INTERNAL_COUNTING_ALLOCATOR_H_

#include <atomic>

#include "v8.h"

namespace jscore::engine::internal {

// One per isolate, owned by its worker; it must outlive the isolate. V8 may free
// backing stores on its background threads, hence the atomic counter. Its .cc is
// built without RTTI, as libnode's V8 is (the vtable lives there). A refused
// allocation becomes a RangeError in JS ("Array buffer allocation failed").
class CountingAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  explicit CountingAllocator(size_t limit_bytes) : limit_(limit_bytes) {}

  ~CountingAllocator() override;
  void* Allocate(size_t length) override;
  void* AllocateUninitialized(size_t length) override;
  void Free(void* data, size_t length) override;

  size_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  bool Reserve(size_t length);

  const size_t limit_;
  std::atomic<size_t> used_{0};
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_COUNTING_ALLOCATOR_H_
