// ProgramContextCache: a worker's LRU of program contexts (a program's top level run
// once, its context shared by the program's calls).
#ifndef JSCORE_ENGINE_INTERNAL_PROGRAM_CONTEXT_CACHE_H_
#define JSCORE_ENGINE_INTERNAL_PROGRAM_CONTEXT_CACHE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/internal/program_cache.h"
#include "v8.h"

namespace jscore::engine::internal {

// A program's context on a worker. The handles are the entry's: removing the entry
// lets the context go (it is collected once no run holds it).
struct ProgramContext {
  std::shared_ptr<const Program> program;
  v8::Global<v8::Context> context;
  v8::MicrotaskQueue* microtasks = nullptr;  // owned by the context's ContextRecord
  size_t approx_bytes = 0;                   // the source plus its build's heap growth
};

// The program contexts of one worker, by program id, most recently used first;
// bounded by a count and a byte budget (PoolOptions::program_contexts_per_worker,
// program_context_memory_mb), except that the most recently used entry always
// stays. Knows no isolate: it only keeps, orders, counts and drops entries.
// Worker thread only, except published_count() (any thread, for Worker::Stats).
class ProgramContextCache {
 public:
  ProgramContextCache(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}
  ProgramContextCache(const ProgramContextCache&) = delete;
  ProgramContextCache& operator=(const ProgramContextCache&) = delete;

  // The entry of `id`, now the most recently used; null when there is none.
  ProgramContext* Use(const std::string& id);
  // Keeps `entry` as `id`'s (replacing any), most recently used, then evicts least
  // recently used entries while over a bound.
  void Insert(const std::string& id, ProgramContext entry);
  // Drops `id`'s entry (a call stopped mid-way may have half-mutated it: rebuilt on
  // next use). False when there was none.
  bool Remove(const std::string& id);
  // When the loaded programs changed (`generation` differs from the last one seen):
  // drops every entry whose program `loaded` no longer finds. False when unchanged.
  bool DropUnloaded(uint64_t generation, const std::function<bool(const std::string&)>& loaded);
  // Drops every entry (the isolate goes away); the generation seen stays.
  void Clear();

  size_t size() const { return entries_.size(); }
  size_t bytes() const { return bytes_; }
  // Program ids, most recently used first.
  std::vector<std::string> LruOrder() const { return {lru_.begin(), lru_.end()}; }
  // size() as last published; any thread.
  uint32_t published_count() const { return count_.load(std::memory_order_relaxed); }

 private:
  struct Slot {
    ProgramContext entry;
    std::list<std::string>::iterator lru_position;
  };
  void Erase(std::unordered_map<std::string, Slot>::iterator it);
  void Publish() {
    count_.store(static_cast<uint32_t>(entries_.size()), std::memory_order_relaxed);
  }

  const size_t max_entries_;
  const size_t max_bytes_;
  std::unordered_map<std::string, Slot> entries_;
  std::list<std::string> lru_;  // most recently used first
  size_t bytes_ = 0;
  uint64_t generation_ = 0;  // of the loaded programs, when last checked
  std::atomic<uint32_t> count_{0};
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_PROGRAM_CONTEXT_CACHE_H_
