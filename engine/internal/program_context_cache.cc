#include "engine/internal/program_context_cache.h"

#include <utility>

namespace jscore::engine::internal {

ProgramContext* ProgramContextCache::Use(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  return &it->second.entry;
}

void ProgramContextCache::Insert(const std::string& id, ProgramContext entry) {
  Remove(id);
  lru_.push_front(id);
  bytes_ += entry.approx_bytes;
  entries_.emplace(id, Slot{std::move(entry), lru_.begin()});
  while (entries_.size() > 1 && (entries_.size() > max_entries_ || bytes_ > max_bytes_)) {
    Erase(entries_.find(lru_.back()));
  }
  Publish();
}

bool ProgramContextCache::Remove(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  Erase(it);
  Publish();
  return true;
}

bool ProgramContextCache::DropUnloaded(uint64_t generation,
                                       const std::function<bool(const std::string&)>& loaded) {
  if (generation == generation_) return false;
  generation_ = generation;
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (!loaded(it->first)) Erase(it);
    it = next;
  }
  Publish();
  return true;
}

void ProgramContextCache::Clear() {
  entries_.clear();
  lru_.clear();
  bytes_ = 0;
  Publish();
}

void ProgramContextCache::Erase(std::unordered_map<std::string, Slot>::iterator it) {
  lru_.erase(it->second.lru_position);
  bytes_ -= it->second.entry.approx_bytes;
  entries_.erase(it);
}

}  // namespace jscore::engine::internal
