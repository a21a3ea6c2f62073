// CheckJsonText: a linear, constant-stack check of JSON text (RFC 8259) with a depth
// limit, and the members of a top-level object. Plain C++, any thread; used by the
// daemon (JsValue requests) and the CLI (JSON arguments and lines).
#ifndef JSCORE_COMMON_JSON_TEXT_H_
#define JSCORE_COMMON_JSON_TEXT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jscore {

// What CheckJsonText learnt of a well-formed text.
struct JsonShape {
  char top = 0;            // '{' or '[' when the text is an object or an array, else 0
  size_t top_members = 0;  // the top object's keys or the top array's elements
};

// One member of a top-level object: its key as written (escapes kept) and its value's
// text (a view into the checked text).
struct JsonMember {
  absl::string_view key;
  absl::string_view value;
};

// Checks that `text` is exactly one JSON value nested at most `max_depth` arrays/objects
// deep. Linear in the text, constant stack. On failure returns INVALID_ARGUMENT whose
// message starts with `what` and names the byte offset (syntax) or the JSON Pointer
// path (depth) of the problem. With `members`, a top-level object's members are
// appended to it.
absl::StatusOr<JsonShape> CheckJsonText(absl::string_view text, int max_depth,
                                        absl::string_view what,
                                        std::vector<JsonMember>* members = nullptr);

}  // namespace jscore

#endif  // JSCORE_COMMON_JSON_TEXT_H_
