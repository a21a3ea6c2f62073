// Turning a thrown JS value into a JsError (name, message, stack, position).
#ifndef JSCORE_ENGINE_INTERNAL_JS_ERROR_H_
#define JSCORE_ENGINE_INTERNAL_JS_ERROR_H_

#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "v8.h"

namespace jscore::engine::internal {

// Reads name/message/stack from the thrown value (which may run user getters: call it
// under the job's deadline). `message` may be empty.
JsError ExceptionToJsError(JsScope& scope, v8::Local<v8::Value> exception,
                           v8::Local<v8::Message> message);

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_JS_ERROR_H_
