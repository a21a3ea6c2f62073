#include "engine/internal/counting_allocator.h"

#include <cstdlib>

namespace jscore::engine::internal {

CountingAllocator::~CountingAllocator() = default;

void* CountingAllocator::Allocate(size_t length) {
  if (!Reserve(length)) return nullptr;
  void* p = std::calloc(length ? length : 1, 1);
  if (p == nullptr) used_.fetch_sub(length, std::memory_order_relaxed);
  return p;
}

void* CountingAllocator::AllocateUninitialized(size_t length) {
  if (!Reserve(length)) return nullptr;
  void* p = std::malloc(length ? length : 1);
  if (p == nullptr) used_.fetch_sub(length, std::memory_order_relaxed);
  return p;
}

void CountingAllocator::Free(void* data, size_t length) {
  std::free(data);
  used_.fetch_sub(length, std::memory_order_relaxed);
}

bool CountingAllocator::Reserve(size_t length) {
  size_t before = used_.fetch_add(length, std::memory_order_relaxed);
  if (before + length > limit_) {
    used_.fetch_sub(length, std::memory_order_relaxed);
    return false;
  }
  return true;
}

}  // namespace jscore::engine::internal
