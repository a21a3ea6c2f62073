// ContextState: what one context's extensions keep between calls: its seeded
// generator, its frozen clock, and the names its probe recorded.
#ifndef JSCORE_ENGINE_INTERNAL_CONTEXT_STATE_H_
#define JSCORE_ENGINE_INTERNAL_CONTEXT_STATE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/internal/embedder_slots.h"
#include "engine/internal/program_cache.h"
#include "v8.h"

namespace jscore::engine::internal {

// xoshiro256** (Blackman and Vigna), its state filled by SplitMix64 from a 64-bit
// seed: the same seed gives the same sequence on any worker, machine or restart.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) {
    for (uint64_t& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits, as Math.random.
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Little-endian bytes of successive outputs.
  void Fill(uint8_t* out, size_t n) {
    while (n > 0) {
      uint64_t word = Next();
      for (int i = 0; i < 8 && n > 0; ++i, --n) {
        *out++ = static_cast<uint8_t>(word);
        word >>= 8;
      }
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Owned by the context's ContextRecord (worker_impl.h), so it lives as long as the
// context can run; found from the context through an embedder-data slot. Worker
// thread only.
struct ContextState {
  // Set: Math.random, crypto.getRandomValues and crypto.randomUUID draw from it.
  std::optional<SeededRandom> random;
  // Set: Date.now(), new Date() and performance.now() stand still at this instant.
  std::optional<double> frozen_time_ms;
  // The clock the context keeps between jobs (a session's own frozen_time_ms); a job
  // that froze the clock for itself gets this back when it ends.
  std::optional<double> own_frozen_time_ms;
  // extensions/determinism installed its replacements of Math.random, Date and
  // performance.now (once per context, when first asked for).
  bool determinism_installed = false;

  // The modules that require() and import reach (engine/internal/module_files.h) and their
  // code caches; held here so that they outlive every context that can load them.
  std::shared_ptr<const Program> modules;
  // How many Call getters the context keeps (internal/call_target.cc, bounded).
  size_t call_getters = 0;
  // ES modules compiled in this context, by path. Weak: a module lives as long as
  // the graph that imports it (and every evaluated one's namespace is kept in the
  // context, ContextSlots::ModuleTables), so a module never pins its context.
  std::map<std::string, v8::Global<v8::Module>> es_modules;

  // The context was built with the probe's interceptors (extensions/hooks/probe.h); they
  // record only while `probe_recording` (the job's own code, not jscore's set-up).
  bool probe_built = false;
  bool probe_recording = false;
  std::vector<std::string> probed;
  std::unordered_set<std::string> probed_set;
  // Names recorded by a presence check alone ('x' in window): V8 asks the same
  // question before it declares or assigns a new global, so a write that follows at
  // once withdraws them.
  std::unordered_set<std::string> probed_tentative;
  std::string probe_last_written;

  static constexpr size_t kMaxProbed = 1000;
  // A read (`tentative`: a presence check) of a name that is not there.
  void RecordProbe(std::string name, bool tentative) {
    if (!probe_recording || name.size() > 256) return;
    if (tentative && name == probe_last_written) return;
    if (probed_set.count(name) > 0) {
      if (!tentative) probed_tentative.erase(name);
      return;
    }
    if (probed.size() >= kMaxProbed) return;
    if (tentative) probed_tentative.insert(name);
    probed_set.insert(name);
    probed.push_back(std::move(name));
  }
  // A write of a name that was not there.
  void WriteProbe(const std::string& name) {
    if (!probe_recording) return;
    probe_last_written = name;
    if (probed_tentative.erase(name) == 0) return;
    probed_set.erase(name);
    for (auto it = probed.begin(); it != probed.end(); ++it) {
      if (*it == name) {
        probed.erase(it);
        break;
      }
    }
  }
  void ResetProbe() {
    probe_recording = false;
    probed.clear();
    probed_set.clear();
    probed_tentative.clear();
    probe_last_written.clear();
  }

  static void Attach(v8::Local<v8::Context> context, ContextState* state) {
    context->SetAlignedPointerInEmbedderData(kSlot, state);
  }
  // Null for a context that jscore did not build.
  static ContextState* From(v8::Local<v8::Context> context) {
    if (context->GetNumberOfEmbedderDataFields() <= static_cast<uint32_t>(kSlot)) return nullptr;
    return static_cast<ContextState*>(context->GetAlignedPointerFromEmbedderData(kSlot));
  }

 private:
  static constexpr int kSlot = kContextStateSlot;  // internal/embedder_slots.h
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_CONTEXT_STATE_H_
