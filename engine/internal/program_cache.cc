#include "engine/internal/program_cache.h"

#include <openssl/evp.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

namespace jscore::engine {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

void AddPart(EVP_MD_CTX* ctx, const std::string& part) {
  uint64_t length = part.size();
  unsigned char prefix[8];
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(length >> (8 * i));
  EVP_DigestUpdate(ctx, prefix, sizeof prefix);
  EVP_DigestUpdate(ctx, part.data(), part.size());
}

}  // namespace

std::string ProgramId(const std::string& source, const std::map<std::string, std::string>& modules,
                      SourceType type, const std::optional<BrowserProfile>& browser,
                      const std::string& owner) {
  DigestContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  if (type != SourceType::kScript || browser.has_value()) {
    // A first "length" no part can have, then a fixed layout: these inputs share no
    // encoding with the plain ones below, whose ids stay what they always were.
    const unsigned char marker[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    EVP_DigestUpdate(ctx.get(), marker, sizeof marker);
    AddPart(ctx.get(), std::to_string(static_cast<int>(type)));
    AddPart(ctx.get(), browser ? "browser" : "default");
    if (browser) {
      for (const std::string* field : {&browser->user_agent, &browser->url, &browser->cookie,
                                       &browser->referrer, &browser->platform}) {
        AddPart(ctx.get(), *field);
      }
      AddPart(ctx.get(), std::to_string(browser->screen_width));
      AddPart(ctx.get(), std::to_string(browser->screen_height));
      AddPart(ctx.get(), std::to_string(browser->languages.size()));
      for (const std::string& language : browser->languages) AddPart(ctx.get(), language);
    }
    AddPart(ctx.get(), std::to_string(modules.size()));
  }
  AddPart(ctx.get(), source);
  for (const auto& [name, text] : modules) {  // std::map: sorted by name
    AddPart(ctx.get(), name);
    AddPart(ctx.get(), text);
  }
  if (!owner.empty()) {
    // Three parts: an unnamed caller's id always has an odd number of parts
    // (source, then name/text pairs), a named caller's an even one, so the two can
    // never share an encoding, whatever the modules.
    AddPart(ctx.get(), "");
    AddPart(ctx.get(), owner);
    AddPart(ctx.get(), "");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  std::string hex(length * 2, '0');
  for (unsigned int i = 0; i < length; ++i) std::snprintf(&hex[i * 2], 3, "%02x", digest[i]);
  return hex;
}

std::shared_ptr<const Program> ProgramCache::Get(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = programs_.find(id);
  return it == programs_.end() ? nullptr : it->second;
}

bool ProgramCache::Put(std::shared_ptr<const Program> program) {
  absl::MutexLock lock(&mu_);
  if (programs_.contains(program->id)) return true;
  if (programs_.size() >= max_programs_) return false;
  programs_.emplace(program->id, std::move(program));
  return true;
}

bool ProgramCache::Erase(const std::string& id) {
  absl::MutexLock lock(&mu_);
  bool erased = programs_.erase(id) > 0;
  if (erased) generation_.fetch_add(1, std::memory_order_acq_rel);
  return erased;
}

size_t ProgramCache::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return programs_.size();
}

}  // namespace jscore::engine
