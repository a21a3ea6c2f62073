#include "engine/internal/module_files.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jscore::engine {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

bool IsRelative(absl::string_view s) {
  return s == "." || s == ".." || absl::StartsWith(s, "./") || absl::StartsWith(s, "../") ||
         absl::StartsWith(s, "/");
}

std::string Join(absl::string_view dir, absl::string_view rest) {
  return NormalizeModulePath(absl::StrCat(dir, "/", rest));
}

// A package's name and the rest ("@scope/name/sub" -> "@scope/name", "./sub").
std::pair<std::string, std::string> SplitPackage(absl::string_view request) {
  std::vector<absl::string_view> parts = absl::StrSplit(request, '/');
  size_t take = absl::StartsWith(request, "@") && parts.size() > 1 ? 2 : 1;
  std::string name = absl::StrJoin(parts.begin(), parts.begin() + take, "/");
  std::string sub = ".";
  for (size_t i = take; i < parts.size(); ++i) absl::StrAppend(&sub, "/", parts[i]);
  return {name, sub};
}

// The first target of a conditional "exports" value, in the order of `conditions`
// (protobuf's Struct does not keep the object's key order, so jscore's order of
// preference stands in for it).
std::optional<std::string> ConditionTarget(const Value& value,
                                           const std::vector<std::string>& conditions) {
  if (value.has_string_value()) return value.string_value();
  if (value.has_list_value()) {
    for (const Value& item : value.list_value().values()) {
      if (auto t = ConditionTarget(item, conditions)) return t;
    }
    return std::nullopt;
  }
  if (!value.has_struct_value()) return std::nullopt;
  const auto& fields = value.struct_value().fields();
  for (const std::string& condition : conditions) {
    auto it = fields.find(condition);
    if (it == fields.end()) continue;
    if (auto t = ConditionTarget(it->second, conditions)) return t;
  }
  return std::nullopt;
}

// Node's PACKAGE_EXPORTS_RESOLVE for `sub` ("." or "./x"), with "*" patterns.
std::optional<std::string> ExportsTarget(const Value& exports, const std::string& sub,
                                         const std::vector<std::string>& conditions) {
  bool subpaths = false;
  if (exports.has_struct_value()) {
    for (const auto& [key, ignored] : exports.struct_value().fields()) {
      if (absl::StartsWith(key, ".")) subpaths = true;
    }
  }
  if (!subpaths) {
    if (sub != ".") return std::nullopt;
    return ConditionTarget(exports, conditions);
  }
  const auto& fields = exports.struct_value().fields();
  auto exact = fields.find(sub);
  if (exact != fields.end()) return ConditionTarget(exact->second, conditions);
  // The longest matching "prefix*suffix" pattern.
  std::optional<std::string> best;
  size_t best_prefix = 0;
  for (const auto& [key, target] : fields) {
    size_t star = key.find('*');
    if (star == std::string::npos) continue;
    std::string prefix = key.substr(0, star), suffix = key.substr(star + 1);
    if (sub.size() < prefix.size() + suffix.size() || !absl::StartsWith(sub, prefix) ||
        !absl::EndsWith(sub, suffix) || (best && prefix.size() <= best_prefix)) {
      continue;
    }
    std::optional<std::string> t = ConditionTarget(target, conditions);
    if (!t) continue;
    std::string match = sub.substr(prefix.size(), sub.size() - prefix.size() - suffix.size());
    best = absl::StrReplaceAll(*t, {{"*", match}});
    best_prefix = prefix.size();
  }
  return best;
}

absl::Status NotFound(absl::string_view request, absl::string_view from) {
  return absl::NotFoundError(absl::StrCat(
      "Cannot find module '", request, "' from '", from,
      "' (only the modules given with the program can be loaded; Node's built-in modules "
      "are not there)"));
}

}  // namespace

std::string NormalizeModulePath(absl::string_view path) {
  std::vector<absl::string_view> out;
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(segment);
  }
  return "/" + absl::StrJoin(out, "/");
}

std::string ModuleDirname(absl::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos || slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

ModuleFiles::ModuleFiles(std::map<std::string, std::string> modules) {
  for (auto& [name, source] : modules) files_.emplace(NormalizeModulePath(name), std::move(source));
  for (const auto& [path, source] : files_) {
    if (path != "/package.json" && !absl::EndsWith(path, "/package.json")) continue;
    Struct package;
    if (google::protobuf::util::JsonStringToMessage(source, &package).ok()) {
      packages_.emplace(path, std::move(package));
    }
  }
}

const Struct* ModuleFiles::Package(const std::string& path) const {
  auto it = packages_.find(path);
  return it == packages_.end() ? nullptr : &it->second;
}

const std::string* ModuleFiles::Find(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

std::string ModuleFiles::LoadAsFile(const std::string& path) const {
  for (const char* ext : {"", ".js", ".json", ".cjs", ".mjs"}) {
    std::string candidate = path + ext;
    if (IsFile(candidate)) return candidate;
  }
  return {};
}

std::string ModuleFiles::LoadIndex(const std::string& path) const {
  for (const char* index : {"/index.js", "/index.json", "/index.cjs", "/index.mjs"}) {
    std::string candidate = NormalizeModulePath(path + index);
    if (IsFile(candidate)) return candidate;
  }
  return {};
}

std::string ModuleFiles::LoadAsDirectory(const std::string& path) const {
  const Struct* package = Package(Join(path, "package.json"));
  if (package) {
    auto main = package->fields().find("main");
    if (main != package->fields().end() && main->second.has_string_value() &&
        !main->second.string_value().empty()) {
      std::string m = Join(path, main->second.string_value());
      std::string found = LoadAsFile(m);
      if (found.empty()) found = LoadIndex(m);
      if (!found.empty()) return found;
    }
  }
  return LoadIndex(path);
}

absl::StatusOr<std::string> ModuleFiles::ResolvePackage(absl::string_view request,
                                                        absl::string_view from_dir,
                                                        bool import) const {
  static const auto* const kImport =
      new std::vector<std::string>{"browser", "import", "module", "default"};
  static const auto* const kRequire = new std::vector<std::string>{"browser", "require", "default"};
  auto [name, sub] = SplitPackage(request);
  std::string dir(from_dir);
  for (;;) {
    if (!absl::EndsWith(dir, "/node_modules")) {
      std::string root = Join(Join(dir, "node_modules"), name);
      const Struct* package = Package(Join(root, "package.json"));
      const Value* exports = nullptr;
      if (package != nullptr && package->fields().count("exports") > 0) {
        exports = &package->fields().at("exports");
      }
      if (exports != nullptr) {
        std::optional<std::string> target =
            ExportsTarget(*exports, sub, import ? *kImport : *kRequire);
        if (!target || !IsFile(Join(root, *target))) {
          return absl::NotFoundError(
              absl::StrCat("Package subpath '", sub, "' is not defined by \"exports\" in ", root,
                           "/package.json (or its target is not among the modules)"));
        }
        return Join(root, *target);
      }
      std::string candidate = Join(Join(dir, "node_modules"), request);
      std::string found = LoadAsFile(candidate);
      if (found.empty()) found = LoadAsDirectory(candidate);
      if (!found.empty()) return found;
    }
    if (dir == "/") break;
    dir = ModuleDirname(dir);
  }
  std::string candidate = Join("/", request);  // jscore: a flat map of names
  std::string found = LoadAsFile(candidate);
  if (found.empty()) found = LoadAsDirectory(candidate);
  if (!found.empty()) return found;
  return NotFound(request, from_dir);
}

absl::StatusOr<std::string> ModuleFiles::ResolveRequire(absl::string_view request,
                                                        absl::string_view from_dir) const {
  if (request.empty()) return absl::InvalidArgumentError("require(''): the name is empty");
  if (absl::StartsWith(request, "node:")) return NotFound(request, from_dir);
  if (!IsRelative(request)) return ResolvePackage(request, from_dir, /*import=*/false);
  std::string path =
      absl::StartsWith(request, "/") ? NormalizeModulePath(request) : Join(from_dir, request);
  std::string found = absl::EndsWith(request, "/") ? "" : LoadAsFile(path);
  if (found.empty()) found = LoadAsDirectory(path);
  if (found.empty()) return NotFound(request, from_dir);
  return found;
}

absl::StatusOr<std::string> ModuleFiles::ResolveImport(absl::string_view specifier,
                                                       absl::string_view referrer) const {
  std::string from_dir = ModuleDirname(referrer);
  if (specifier.empty()) return absl::InvalidArgumentError("import '': the specifier is empty");
  if (absl::StartsWith(specifier, "node:")) return NotFound(specifier, referrer);
  if (!IsRelative(specifier)) return ResolvePackage(specifier, from_dir, /*import=*/true);
  std::string path =
      absl::StartsWith(specifier, "/") ? NormalizeModulePath(specifier) : Join(from_dir, specifier);
  if (IsFile(path)) return path;
  std::string found = LoadAsFile(path);
  if (found.empty()) found = LoadAsDirectory(path);
  if (found.empty()) return NotFound(specifier, referrer);
  return found;
}

ModuleFormat ModuleFiles::FormatOf(const std::string& path) const {
  if (absl::EndsWith(path, ".json")) return ModuleFormat::kJson;
  if (absl::EndsWith(path, ".mjs")) return ModuleFormat::kModule;
  if (absl::EndsWith(path, ".cjs")) return ModuleFormat::kCommonJs;
  for (std::string dir = ModuleDirname(path);; dir = ModuleDirname(dir)) {
    const Struct* package = Package(Join(dir, "package.json"));
    if (package) {
      auto type = package->fields().find("type");
      if (type == package->fields().end()) return ModuleFormat::kUnknown;
      if (type->second.string_value() == "module") return ModuleFormat::kModule;
      return ModuleFormat::kCommonJs;
    }
    if (dir == "/") break;
  }
  return ModuleFormat::kUnknown;
}

}  // namespace jscore::engine
