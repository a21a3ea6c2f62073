#include "engine/json_value.h"

#include "absl/strings/str_cat.h"

namespace jscore::engine {

absl::StatusOr<JsonShape> CheckJsonValue(const JsonValue& value, int max_depth,
                                         absl::string_view what) {
  absl::StatusOr<JsonShape> shape = CheckJsonText(value.json, max_depth, what);
  if (!shape.ok() || value.types.empty()) return shape;
  absl::StatusOr<JsonShape> types =
      CheckJsonText(value.types, 2 * max_depth + 2, absl::StrCat(what, ".types"));
  if (!types.ok()) return types.status();
  return shape;
}

}  // namespace jscore::engine
