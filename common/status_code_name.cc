#include "common/status_code_name.h"

#include <array>
#include <string>

#include "absl/status/status.h"

namespace jscore {

const char* StatusCodeName(int code) {
  static const auto* const kNames = [] {
    auto* names = new std::array<std::string, 17>;
    for (int i = 0; i < 17; ++i) {
      (*names)[i] = absl::StatusCodeToString(static_cast<absl::StatusCode>(i));
    }
    return names;
  }();
  return code >= 0 && code < 17 ? (*kNames)[code].c_str() : "UNKNOWN";
}

}  // namespace jscore
