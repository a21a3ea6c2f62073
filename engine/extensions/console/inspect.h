// Inspect: values as Node.js's util.inspect prints them, for console output.
#ifndef JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_H_
#define JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_H_

#include <string>

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::console {

struct InspectOptions {
  int depth = 2;          // nesting shown before [Object] / [Array]
  int break_length = 80;  // console.log's line width
  int max_array_length = 100;
  int max_string_length = 10000;
  size_t max_output = 1 << 20;  // stop adding entries past this many bytes
};

// util.inspect(value) with Node's defaults: `{ a: 1, b: [ 1, 2 ] }`, strings
// quoted inside objects, [Object] past the depth, [Function: f], Map(1) { 'a' => 1 },
// <ref *1> / [Circular *1], errors as their stack. It reads properties without
// calling getters (they print as [Getter]); proxies print as their target. Worker
// thread; a getter that throws is ignored, a termination is re-thrown.
std::string Inspect(internal::JsScope& scope, v8::Local<v8::Value> value,
                    const InspectOptions& options = {});

// console.log's formatting of its arguments (util.format): printf-like %s %d %i
// %f %j %o %O %c %% in a first string argument, then the rest inspected (strings
// as they are), separated by spaces.
std::string FormatLogArguments(internal::JsScope& scope,
                               const v8::FunctionCallbackInfo<v8::Value>& info, int first = 0);

}  // namespace jscore::engine::extensions::console

#endif  // JSCORE_ENGINE_EXTENSIONS_CONSOLE_INSPECT_H_
