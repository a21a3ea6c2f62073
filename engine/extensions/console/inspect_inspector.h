// Inspector: the state of one util.inspect run, shared by inspect.cc (values,
// objects, layout), inspect_kinds.cc (errors, functions, collections, names) and
// inspect_format.cc (util.format). Internal to those files.
#ifndef JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_INSPECTOR_H_
#define JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_INSPECTOR_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/extensions/console/inspect.h"
#include "engine/extensions/console/inspect_text.h"
#include "engine/internal/js_scope.h"
#include "engine/internal/stop_flag.h"

namespace jscore::engine::extensions::console::detail {

using internal::JsScope;
using text::Contains;
using text::Repeat;
using text::StrEscape;
using text::U16;
using text::U16Of;

// kArray: an array's elements (values alone) and its line grouping.
enum class Extras { kObject, kArray };
enum class Kind {
  kPlain,
  kArray,
  kArguments,
  kTypedArray,
  kSet,
  kMap,
  kIterator,
  kArrayBuffer,
  kPromise,
  kWeak,
  kSearchParams,
};

// Made on the stack for one Inspect() call on the worker thread; holds Locals, so
// it never outlives the caller's handle scope.
class Inspector {
 public:
  Inspector(JsScope& scope, const InspectOptions& options)
      : scope_(scope), isolate_(scope.isolate()), context_(scope.context()), options_(options) {}

  U16 FormatValue(v8::Local<v8::Value> value, int recurse_times, bool in_typed_array = false);

 private:
  U16 FormatPrimitive(v8::Local<v8::Value> value);
  U16 FormatRaw(v8::Local<v8::Object> value, int recurse_times, bool in_typed_array);
  U16 FormatProperty(v8::Local<v8::Object> value, int recurse_times, v8::Local<v8::Value> key,
                     Extras extras);
  std::vector<U16> FormatArrayLike(v8::Local<v8::Object> value, uint32_t length, int recurse_times);
  std::vector<U16> FormatTypedArray(v8::Local<v8::TypedArray> value);
  std::vector<U16> FormatEntries(v8::Local<v8::Array> flat, bool pairs, U16 separator,
                                 int recurse_times);
  U16 FormatError(v8::Local<v8::Object> error, const std::optional<U16>& constructor,
                  const U16& tag, std::vector<v8::Local<v8::Value>>& keys);
  U16 FunctionBase(v8::Local<v8::Function> fn, const std::optional<U16>& constructor,
                   const U16& tag);
  U16 BoxedBase(v8::Local<v8::Object> value, const std::optional<U16>& constructor, const U16& tag,
                std::vector<v8::Local<v8::Value>>& keys);
  U16 Reduce(std::vector<U16> output, const U16& base, const U16& open, const U16& close,
             Extras extras, int recurse_times, bool numeric);
  std::vector<U16> GroupArrayElements(const std::vector<U16>& output, bool numeric, bool has_more);

  void WebObjectKeys(v8::Local<v8::Object> value, std::vector<v8::Local<v8::Value>>* keys,
                     Kind* kind);
  std::optional<U16> ConstructorName(v8::Local<v8::Object> value);
  bool InstanceOf(v8::Local<v8::Object> value, v8::Local<v8::Function> ctor);
  std::vector<v8::Local<v8::Value>> Keys(v8::Local<v8::Object> value, bool non_index_only);
  v8::Local<v8::Value> GetData(v8::Local<v8::Object> object, const char* key);
  U16 Str(v8::Local<v8::Value> value);
  bool Stop() { return internal::StopRequested(isolate_) || produced_ > options_.max_output; }

  JsScope& scope_;
  v8::Isolate* isolate_;
  v8::Local<v8::Context> context_;
  InspectOptions options_;
  std::vector<v8::Local<v8::Object>> seen_;
  std::vector<std::pair<v8::Local<v8::Object>, int>> circular_;
  int indentation_ = 0;
  int current_depth_ = 0;
  size_t produced_ = 0;
};

// Number or BigInt as Node prints it (-0, 1n).
U16 FormatNumber(JsScope& scope, v8::Local<v8::Value> number);
// Node's getPrefix: "Foo ", "Foo(2) [tag] ", "[Object: null prototype] ".
U16 GetPrefix(const std::optional<U16>& constructor, const U16& tag, const U16& fallback,
              const U16& size = U16());
U16 TypedArrayName(v8::Local<v8::Value> value);
// Date.prototype.toISOString, or "Invalid Date".
U16 IsoDate(double ms);

}  // namespace jscore::engine::extensions::console::detail

#endif  // JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_INSPECTOR_H_
