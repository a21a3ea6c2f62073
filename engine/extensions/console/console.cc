#include "engine/extensions/console/console.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "engine/extensions/console/inspect.h"
#include "engine/extensions/web/web_support.h"
#include "engine/internal/context_host.h"

namespace jscore::engine::extensions::console {
namespace {

using internal::ContextHost;
using internal::JsScope;
using Level = ConsoleLine::Level;

// The console's state, shared by its methods through info.Data(): the counters of
// count(), the start times of time(), and the group() indentation.
enum ConsoleSlot { kCounts, kTimers, kIndent, kConsoleSlots };

int Indent(JsScope& scope, v8::Local<v8::Array> state) {
  return web::At(scope, state, kIndent)->Int32Value(scope.context()).FromMaybe(0);
}

// Adds one line (group-indented, every line of it) to the job's console.
void Emit(JsScope& scope, v8::Local<v8::Array> state, Level level, std::string text) {
  ContextHost* host = ContextHost::From(scope.context());
  if (host == nullptr || scope.isolate()->IsExecutionTerminating()) return;
  int indent = Indent(scope, state);
  if (indent > 0) {
    std::string pad(static_cast<size_t>(indent), ' ');
    std::string indented = pad;
    for (char c : text) {
      indented.push_back(c);
      if (c == '\n') indented += pad;
    }
    text = std::move(indented);
  }
  host->AddConsoleLine(level, std::move(text));
}

v8::Local<v8::Array> State(const v8::FunctionCallbackInfo<v8::Value>& info) {
  return info.Data().As<v8::Array>();
}

template <Level kLevel>
void Log(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (ContextHost::From(scope.context()) == nullptr) return;
  std::string line = FormatLogArguments(scope, info);
  Emit(scope, State(info), kLevel, std::move(line));
}

// console.trace(...): "Trace: message" and the stack, as Node prints it.
void Trace(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (ContextHost::From(scope.context()) == nullptr) return;
  std::string message = FormatLogArguments(scope, info);
  std::string line = message.empty() ? "Trace" : "Trace: " + message;
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 10);
  for (int i = 0; i < trace->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
    std::string function = scope.ToUtf8(frame->GetFunctionName());
    std::string location = scope.ToUtf8(frame->GetScriptName()) + ":" +
                           std::to_string(frame->GetLineNumber()) + ":" +
                           std::to_string(frame->GetColumn());
    if (frame->GetFunctionName().IsEmpty() || function.empty()) {
      line += "\n    at " + location;
    } else {
      line += "\n    at " + function + " (" + location + ")";
    }
  }
  Emit(scope, State(info), Level::kTrace, std::move(line));
}

// console.dir(value): always inspected, strings quoted.
void Dir(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (ContextHost::From(scope.context()) == nullptr) return;
  std::string text = Inspect(scope, web::Arg(info, 0));
  Emit(scope, State(info), Level::kLog, std::move(text));
}

void Assert(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (web::Arg(info, 0)->BooleanValue(isolate) || ContextHost::From(scope.context()) == nullptr) {
    return;
  }
  std::string rest = FormatLogArguments(scope, info, 1);
  Emit(scope, State(info), Level::kError,
       info.Length() > 1 ? "Assertion failed: " + rest : "Assertion failed");
}

std::string Label(JsScope& scope, const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() < 1 || info[0]->IsUndefined()) return "default";
  return scope.ToUtf8(info[0]);
}

v8::Local<v8::Map> MapAt(JsScope& scope, v8::Local<v8::Array> state, int slot) {
  v8::Local<v8::Value> map = web::At(scope, state, slot);
  if (map->IsMap()) return map.As<v8::Map>();
  v8::Local<v8::Map> made = v8::Map::New(scope.isolate());
  (void)web::Put(scope, state, slot, made);
  return made;
}

void Count(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  std::string label = Label(scope, info);
  v8::Local<v8::Map> counts = MapAt(scope, State(info), kCounts);
  v8::Local<v8::String> key = scope.Str(label);
  v8::Local<v8::Value> previous;
  int64_t n = 1;
  if (counts->Get(scope.context(), key).ToLocal(&previous) && previous->IsNumber()) {
    n = static_cast<int64_t>(previous.As<v8::Number>()->Value()) + 1;
  }
  if (counts->Set(scope.context(), key, v8::Number::New(isolate, static_cast<double>(n)))
          .IsEmpty()) {
    return;
  }
  Emit(scope, State(info), Level::kInfo, label + ": " + std::to_string(n));
}

void CountReset(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  std::string label = Label(scope, info);
  v8::Local<v8::Map> counts = MapAt(scope, State(info), kCounts);
  if (!counts->Delete(scope.context(), scope.Str(label)).FromMaybe(false)) {
    Emit(scope, State(info), Level::kWarn, "Count for '" + label + "' does not exist");
  }
}

void Group(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  if (info.Length() > 0) Emit(scope, State(info), Level::kLog, FormatLogArguments(scope, info));
  (void)web::Put(scope, State(info), kIndent,
                 v8::Integer::New(isolate, Indent(scope, State(info)) + 2));
}

void GroupEnd(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  int indent = Indent(scope, State(info));
  (void)web::Put(scope, State(info), kIndent,
                 v8::Integer::New(isolate, indent >= 2 ? indent - 2 : 0));
}

// Node's formatTime: "1.234ms", "1.500s", "1:02.345 (m:ss.mmm)".
std::string FormatDuration(double ms) {
  char buffer[64];
  if (ms >= 60000) {
    int hours = static_cast<int>(ms / 3600000);
    int minutes = static_cast<int>(std::fmod(ms, 3600000) / 60000);
    double seconds = std::fmod(ms, 60000) / 1000;
    if (hours > 0) {
      std::snprintf(buffer, sizeof(buffer), "%d:%02d:%06.3f (h:mm:ss.mmm)", hours, minutes,
                    seconds);
    } else {
      std::snprintf(buffer, sizeof(buffer), "%d:%06.3f (m:ss.mmm)", minutes, seconds);
    }
    return buffer;
  }
  if (ms >= 1000) {
    std::snprintf(buffer, sizeof(buffer), "%.3fs", ms / 1000);
    return buffer;
  }
  std::snprintf(buffer, sizeof(buffer), "%.3f", ms);
  std::string out = buffer;
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out + "ms";
}

// time(label), timeLog(label, ...data), timeEnd(label), told apart by kMode.
enum class TimerMode { kStart, kLog, kEnd };
template <TimerMode kMode>
void Timer(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  JsScope scope(isolate, isolate->GetCurrentContext());
  v8::Local<v8::Context> context = scope.context();
  std::string label = Label(scope, info);
  v8::Local<v8::Map> timers = MapAt(scope, State(info), kTimers);
  v8::Local<v8::String> key = scope.Str(label);
  bool exists = timers->Has(context, key).FromMaybe(false);
  if (kMode == TimerMode::kStart) {
    if (exists) {
      return Emit(scope, State(info), Level::kWarn,
                  "Label '" + label + "' already exists for console.time()");
    }
    (void)timers->Set(context, key, v8::Number::New(isolate, web::SteadyMillis()));
    return;
  }
  if (!exists) {
    return Emit(scope, State(info), Level::kWarn,
                "No such label '" + label + "' for console." +
                    (kMode == TimerMode::kEnd ? "timeEnd()" : "timeLog()"));
  }
  v8::Local<v8::Value> start;
  if (!timers->Get(context, key).ToLocal(&start) || !start->IsNumber()) return;
  std::string line =
      label + ": " + FormatDuration(web::SteadyMillis() - start.As<v8::Number>()->Value());
  if (kMode == TimerMode::kLog && info.Length() > 1) {
    line += " " + FormatLogArguments(scope, info, 1);
  }
  if (kMode == TimerMode::kEnd) (void)timers->Delete(context, key);
  Emit(scope, State(info), Level::kInfo, std::move(line));
}

v8::MaybeLocal<v8::Value> Build(JsScope& scope, v8::Local<v8::Array>) {
  v8::Isolate* isolate = scope.isolate();
  v8::Local<v8::Array> state;
  v8::Local<v8::Object> console = v8::Object::New(isolate);
  // A WebIDL namespace: its [[Prototype]] is an empty object whose own is
  // Object.prototype (as in browsers and Node).
  if (console->SetPrototype(scope.context(), v8::Object::New(isolate)).IsNothing() ||
      !web::NewState(scope, console, "jscore.console", kConsoleSlots, &state) ||
      !web::Put(scope, state, kIndent, v8::Integer::New(isolate, 0))) {
    return {};
  }
  static constexpr web::Method kMethods[] = {
      {"log", Log<Level::kLog>, 0},
      {"info", Log<Level::kInfo>, 0},
      {"warn", Log<Level::kWarn>, 0},
      {"error", Log<Level::kError>, 0},
      {"debug", Log<Level::kDebug>, 0},
      {"trace", Trace, 0},
      {"dir", Dir, 0},
      {"dirxml", Log<Level::kLog>, 0},
      {"table", Log<Level::kLog>, 1},
      {"assert", Assert, 0},
      {"count", Count, 0},
      {"countReset", CountReset, 0},
      {"group", Group, 0},
      {"groupCollapsed", Group, 0},
      {"groupEnd", GroupEnd, 0},
      {"time", Timer<TimerMode::kStart>, 0},
      {"timeLog", Timer<TimerMode::kLog>, 0},
      {"timeEnd", Timer<TimerMode::kEnd>, 0},
  };
  for (const web::Method& m : kMethods) {
    if (!web::SetMethod(scope, console, m, state, v8::None)) return {};
  }
  if (!web::SetToStringTag(scope, console, "console")) return {};
  return console;
}

}  // namespace

void InstallConsole(JsScope& scope) {
  v8::Local<v8::Context> context = scope.context();
  // V8's own (inert) console goes; ours is built on first use.
  (void)context->Global()->Delete(context, scope.Str("console"));
  (void)web::DefineLazyGlobal<web::Slot::kConsole, Build>(scope, "console");
}

}  // namespace jscore::engine::extensions::console
