// A job's values on their way out: results, hook data and thrown values converted in
// the encoding the job asked for (EvaluateSpec/CallSpec::value_encoding), and the errors of a
// conversion that failed. Worker thread only, inside the job's section.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "engine/extensions/console/inspect.h"
#include "engine/extensions/hooks/hooks.h"
#include "engine/internal/js_error.h"
#include "engine/internal/json_value_codec.h"
#include "engine/internal/value_codec.h"
#include "engine/internal/worker_impl.h"

namespace jscore::engine {

using internal::JsScope;

namespace {

// A thrown non-Error's message is at most this long (cut at a character boundary).
constexpr size_t kMaxThrownMessageBytes = 16 << 10;

Outcome ErrorOutcome(JsError error) {
  Outcome o;
  o.kind = Outcome::Kind::kJsError;
  o.error = std::move(error);
  return o;
}

void CutUtf8(std::string& text, size_t limit) {
  if (text.size() <= limit) return;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text += "...";
}

}  // namespace

absl::StatusOr<Outcome> Worker::Impl::ConvertValue(JsScope& scope, const Job& job,
                                                   v8::Local<v8::Value> value, Outcome::Kind kind) {
  internal::ConversionLimits limits{options.max_result_bytes, options.max_result_depth,
                                    job.deadline()};
  Outcome outcome;
  outcome.kind = kind;
  if (job.spec().value_encoding() == ValueEncoding::kJson) {
    ASSIGN_OR_RETURN(internal::ConvertedJson json, internal::ToJsonValue(scope, value, limits));
    outcome.value_json = std::move(json.value);
    outcome.undefined = json.undefined;
    return outcome;
  }
  ASSIGN_OR_RETURN(internal::ConvertedValue converted,
                   internal::ToProtoValue(scope, value, limits));
  outcome.value = std::move(converted.value);
  outcome.undefined = converted.undefined;
  outcome.annotations = std::move(converted.annotations);
  return outcome;
}

Outcome Worker::Impl::ConversionFailed(JsScope& scope, v8::TryCatch& try_catch, const Job& job,
                                       const absl::Status& status, absl::string_view prefix) {
  if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    return ErrorOutcome(ErrorFromException(scope, job, try_catch.Exception(), try_catch.Message()));
  }
  if (absl::IsDeadlineExceeded(status)) return Outcome::Failed(status);
  JsError e;
  e.name = absl::IsInvalidArgument(status) ? "TypeError" : "RangeError";
  e.message = absl::StrCat(prefix, status.message());
  e.stack = absl::StrCat(e.name, ": ", e.message);
  return ErrorOutcome(std::move(e));
}

JsError Worker::Impl::ErrorFromException(JsScope& scope, const Job& job,
                                         v8::Local<v8::Value> exception,
                                         v8::Local<v8::Message> message) {
  JsError error = internal::ExceptionToJsError(scope, exception, message);
  if (exception->IsNativeError()) return error;
  // Not an Error: keep the value itself, and say it as console.log would.
  {
    v8::TryCatch try_catch(isolate);
    std::string text = exception->IsString() ? scope.Utf8(exception.As<v8::String>())
                                             : extensions::console::Inspect(scope, exception);
    if (try_catch.HasTerminated()) {
      try_catch.ReThrow();
      return error;
    }
    CutUtf8(text, kMaxThrownMessageBytes);
    if (error.stack.rfind("Uncaught", 0) == 0) {
      size_t line_end = error.stack.find('\n');
      error.stack = absl::StrCat("Uncaught ", text,
                                 line_end == std::string::npos ? "" : error.stack.substr(line_end));
    }
    error.name.clear();
    error.message = std::move(text);
  }
  v8::TryCatch try_catch(isolate);
  internal::ConversionLimits limits{options.max_result_bytes, options.max_result_depth,
                                    job.deadline()};
  absl::StatusOr<internal::ConvertedJson> thrown = internal::ToJsonValue(scope, exception, limits);
  if (try_catch.HasTerminated()) {
    try_catch.ReThrow();
    return error;
  }
  if (thrown.ok()) {
    error.thrown = std::move(thrown->value);
  } else {
    absl::StrAppend(&error.message, " (the thrown value could not be sent: ",
                    try_catch.HasCaught() ? "converting it threw" : thrown.status().message(), ")");
  }
  return error;
}

Outcome Worker::Impl::ThrownOutcome(JsScope& scope, v8::TryCatch& try_catch, const Job& job) {
  v8::Local<v8::Value> exception = try_catch.Exception();
  v8::Local<v8::Value> returned;
  if (extensions::hooks::ReturnedValue(scope, exception, &returned)) {
    try_catch.Reset();
    return SettledOutcome(scope, try_catch, job, returned, /*rejected=*/false);
  }
  return ErrorOutcome(ErrorFromException(scope, job, exception, try_catch.Message()));
}

Outcome Worker::Impl::SettledOutcome(JsScope& scope, v8::TryCatch& try_catch, const Job& job,
                                     v8::Local<v8::Value> value, bool rejected) {
  v8::Local<v8::Value> returned;
  if (rejected && extensions::hooks::ReturnedValue(scope, value, &returned)) {
    value = returned;  // the awaited promise was rejected by an uncaught $return(v)
    rejected = false;
  }
  if (rejected) {
    return ErrorOutcome(
        ErrorFromException(scope, job, value, v8::Exception::CreateMessage(isolate, value)));
  }
  absl::StatusOr<Outcome> outcome = ConvertValue(scope, job, value, Outcome::Kind::kValue);
  if (outcome.ok()) return *std::move(outcome);
  return ConversionFailed(scope, try_catch, job, outcome.status(), "");
}

}  // namespace jscore::engine
