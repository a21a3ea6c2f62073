// ProgramCache: loaded programs (source, modules, V8 code cache), shared read-only by
// every worker.
#ifndef JSCORE_ENGINE_INTERNAL_PROGRAM_CACHE_H_
#define JSCORE_ENGINE_INTERNAL_PROGRAM_CACHE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "engine/errors.h"  // ProgramNotLoadedError, for the cache's users
#include "engine/internal/module_files.h"
#include "engine/job.h"

namespace jscore::engine {

// Immutable once built; shared by shared_ptr between the cache and the workers that
// run it (an unloaded program lives on until its last job ends).
struct Program {
  std::string id;     // hex SHA-256 of everything below but the caches, and the owner (ProgramId)
  std::string owner;  // the caller that loaded it (JobSpec::owner)
  std::string source;
  std::string filename;
  // path -> source (LoadProgramSpec::modules); moved into `files` when the program is compiled.
  std::map<std::string, std::string> modules;
  SourceType type = SourceType::kScript;
  std::optional<BrowserProfile> browser;  // installed before the top level runs
  // V8's cache of the compiled source: the script, the CommonJS wrapper or the root
  // ES module (as `type` says).
  std::vector<uint8_t> code_cache;
  // V8's caches of the other module files, by path: a CommonJS module's compiled
  // wrapper, an ES module's compiled module (its unbound module script).
  std::map<std::string, std::vector<uint8_t>> module_code_caches;
  // The modules as a file tree, and what each file runs as (ModuleFormat::kUnknown
  // settled at load by compiling it).
  std::shared_ptr<const ModuleFiles> files;
  std::map<std::string, ModuleFormat> formats;
};

// "<64 hex digits>": SHA-256 over the source and the (sorted) modules, each part
// length-prefixed so that no two inputs share an encoding; a non-script type and a
// browser profile are added after them (so a plain script keeps the id it always had),
// and, for a named caller, its name: the same source loaded by two named callers gets
// two ids, hence two programs and two contexts; the unnamed caller ("") keeps the plain id.
std::string ProgramId(const std::string& source, const std::map<std::string, std::string>& modules,
                      SourceType type = SourceType::kScript,
                      const std::optional<BrowserProfile>& browser = std::nullopt,
                      const std::string& owner = "");

// Owned by the Pool; any thread may call it. Bounded by `max_programs`.
class ProgramCache {
 public:
  explicit ProgramCache(size_t max_programs) : max_programs_(max_programs) {}

  std::shared_ptr<const Program> Get(const std::string& id) const;
  // False when full (the caller answers RESOURCE_EXHAUSTED). Re-adding an id is a no-op.
  bool Put(std::shared_ptr<const Program> program);
  bool Erase(const std::string& id);
  size_t size() const;
  // Bumped by every Erase, so that workers know to drop contexts of unloaded programs.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  const size_t max_programs_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const Program>> programs_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> generation_{0};
};

}  // namespace jscore::engine

#endif  // JSCORE_ENGINE_INTERNAL_PROGRAM_CACHE_H_
