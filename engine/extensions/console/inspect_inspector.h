// Inspector: the state of one util.inspect run, shared by inspect.cc (values,
// objects, layout), inspect_shape.cc (formatRaw per kind), inspect_kinds.cc
// (errors, functions, collections, names) and inspect_format.cc (util.format).
// Internal to those files.
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

// What an object prints around its entries (Node's formatRaw before formatList):
// filled per kind by Inspector::ShapeOf (inspect_shape.cc).
struct RawShape {
  std::optional<U16> constructor;  // nullopt: null prototype
  U16 tag;                         // Symbol.toStringTag, unless an own enumerable property
  U16 base;                        // text before the braces: a function, date, regexp, error
  U16 open = u"{";
  U16 close = u"}";
  Extras extras = Extras::kObject;
  Kind kind = Kind::kPlain;
  std::vector<v8::Local<v8::Value>> keys;  // the properties printed after the kind's entries
  uint32_t length = 0;                     // arrays, typed arrays, arguments
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
  // inspect_shape.cc: the kind's prefix, braces and keys; the whole text instead
  // when the object prints without entries (an empty array, a bare function...).
  U16 ToStringTag(v8::Local<v8::Object> value);
  std::optional<U16> ShapeOf(v8::Local<v8::Object> value, int recurse_times, bool in_typed_array,
                             RawShape& shape);
  std::optional<U16> ShapeArray(v8::Local<v8::Object> value, RawShape& shape);
  std::optional<U16> ShapeSetOrMap(v8::Local<v8::Object> value, RawShape& shape);
  std::optional<U16> ShapeTypedArray(v8::Local<v8::Object> value, RawShape& shape);
  std::optional<U16> ShapeArguments(v8::Local<v8::Object> value, RawShape& shape);
  std::optional<U16> ShapeRegExp(v8::Local<v8::RegExp> regexp, int recurse_times, RawShape& shape);
  // Buffers, DataView, Promise, WeakMap/WeakSet, boxed primitives, Web API objects.
  std::optional<U16> ShapeOther(v8::Local<v8::Object> value, bool in_typed_array, RawShape& shape);
  // The entries a kind prints ahead of its properties (elements, Map pairs,
  // <pending>...); *numeric when they are all numbers (right-aligned grouping).
  std::vector<U16> FormatKindEntries(v8::Local<v8::Object> value, int recurse_times,
                                     RawShape& shape, bool* numeric);
  bool AllNumbers(v8::Local<v8::Object> value, uint32_t count);
  std::vector<U16> FormatIteratorEntries(v8::Local<v8::Object> value, int recurse_times, U16& open);
  U16 ArrayBufferContents(v8::Local<v8::Object> value);
  U16 PromiseState(v8::Local<v8::Promise> promise, int recurse_times);
  std::vector<U16> SearchParamsEntries(v8::Local<v8::Object> value, int recurse_times);
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
