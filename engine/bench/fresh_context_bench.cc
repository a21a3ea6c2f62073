// fresh_context_bench: what a fresh context costs, and what a V8 startup snapshot
// of the standard environment could save (issue 18, item 3).
//
//   BM_FreshContextRawNew        v8::Context::New alone (V8's own snapshot, nothing of ours)
//   BM_FreshContextBare          + what the worker does for Environment::kBare
//   BM_FreshContextStandard      + InstallStandardEnvironment (arg: 1 = with fetch)
//   BM_FreshContextDeleteConsole Context::New + deleting V8's own `console` (both do it)
//   BM_FreshContextFamily/i      bare + the i-th family of StandardFamilies(true)
//   (these and BM_NewEnvModel also report install_us: the median thread CPU time of
//   the install step alone, for a family its Install… alone; steadier than the whole
//   context's time on a busy machine)
//   BM_SnapshotBare              Context::FromSnapshot of a context with nothing of ours
//                                from a blob made by v8::SnapshotCreator in this process
//   BM_SnapshotEnvModel          Context::FromSnapshot of a context holding the standard
//                                environment's shape (its global names as lazy data
//                                properties and native functions, the realm record)
//   BM_NewEnvModel               Context::New + that same shape installed live
//   BM_W1ThroughPool/e           Evaluate `1+1` through engine::Pool, 1 worker, no pre-built
//                                contexts (e: 0 bare, 1 standard), 64 jobs in flight;
//                                process_cpu_us: the process's CPU per job
//
// Every context is built the way Worker::Impl::NewContext builds it (own microtask
// queue, ContextHost and ContextState attached) and dropped; the garbage collections
// that free them are part of the figure.
//
//   build/engine/bench/engine_fresh_context_bench --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "engine/extensions/environment.h"
#include "engine/internal/context_host.h"
#include "engine/internal/context_state.h"
#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool.h"
#include "v8.h"

namespace {

using jscore::engine::internal::ContextHost;
using jscore::engine::internal::ContextState;
using jscore::engine::internal::JsScope;
namespace extensions = jscore::engine::extensions;

jscore::engine::Platform& InitV8() {
  static auto* platform = jscore::engine::Platform::Create({}).value().release();
  return *platform;
}

// An isolate of the calling thread (from `blob` if given), entered, disposed at the end.
class RawIsolate {
 public:
  explicit RawIsolate(v8::StartupData* blob = nullptr, const intptr_t* references = nullptr)
      : allocator_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {
    InitV8();
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator_.get();
    params.snapshot_blob = blob;
    params.external_references = references;
    isolate_ = v8::Isolate::New(params);
    isolate_->Enter();
  }
  ~RawIsolate() {
    isolate_->Exit();
    isolate_->Dispose();
  }
  v8::Isolate* get() const { return isolate_; }

 private:
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_;
};

enum class Build { kNothing, kBare, kStandard, kStandardWithFetch, kFamily, kDeleteConsole };

// CPU seconds of the calling thread: what an install step costs, whatever else the
// machine runs meanwhile.
double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The median of per-context samples, in µs: a sample that a garbage collection (of
// the contexts dropped before) lands in says nothing about the install itself.
double MedianMicros(std::vector<double> seconds) {
  if (seconds.empty()) return 0;
  std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
  return seconds[seconds.size() / 2] * 1e6;
}

// Builds one context as the worker does and drops it; returns the thread CPU seconds
// of the install step alone (for kFamily: the family's Install… alone).
double BuildOne(v8::Isolate* isolate, v8::MicrotaskQueue* queue, ContextState* state, Build build,
                const extensions::Family* family) {
  v8::HandleScope handles(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate, nullptr, {}, {}, {}, queue);
  if (build == Build::kNothing) return 0;
  ContextHost::Attach(context, nullptr);
  ContextState::Attach(context, state);
  JsScope scope(isolate, context);
  if (build == Build::kFamily) extensions::StripToBareEcmaScript(scope);
  double start = ThreadCpuSeconds();
  switch (build) {
    case Build::kStandard:
    case Build::kStandardWithFetch:
      extensions::InstallStandardEnvironment(scope, build == Build::kStandardWithFetch);
      break;
    case Build::kFamily:
      family->install(scope);
      break;
    case Build::kDeleteConsole:  // what StripToBareEcmaScript and InstallConsole do first
      (void)context->Global()->Delete(context, scope.Str("console")).IsNothing();
      break;
    default:
      extensions::StripToBareEcmaScript(scope);
  }
  return ThreadCpuSeconds() - start;
}

// Counters: install_us, the install step's thread CPU per context (see BuildOne).
void RunBuilds(benchmark::State& state, Build build, const extensions::Family* family = nullptr) {
  RawIsolate raw;
  auto queue = v8::MicrotaskQueue::New(raw.get(), v8::MicrotasksPolicy::kExplicit);
  ContextState context_state;
  std::vector<double> install;
  for (auto _ : state)
    install.push_back(BuildOne(raw.get(), queue.get(), &context_state, build, family));
  state.counters["install_us"] = MedianMicros(std::move(install));
}

void BM_FreshContextRawNew(benchmark::State& state) { RunBuilds(state, Build::kNothing); }
void BM_FreshContextBare(benchmark::State& state) { RunBuilds(state, Build::kBare); }
void BM_FreshContextStandard(benchmark::State& state) {
  RunBuilds(state, state.range(0) ? Build::kStandardWithFetch : Build::kStandard);
}
void BM_FreshContextDeleteConsole(benchmark::State& state) {
  RunBuilds(state, Build::kDeleteConsole);
}
void BM_FreshContextFamily(benchmark::State& state) {
  const extensions::Family& family =
      extensions::StandardFamilies(/*with_fetch=*/true)[static_cast<size_t>(state.range(0))];
  state.SetLabel(family.name);
  RunBuilds(state, Build::kFamily, &family);
}
BENCHMARK(BM_FreshContextRawNew);
BENCHMARK(BM_FreshContextBare);
BENCHMARK(BM_FreshContextStandard)->Arg(0)->Arg(1);
BENCHMARK(BM_FreshContextDeleteConsole);
BENCHMARK(BM_FreshContextFamily)->Apply([](benchmark::internal::Benchmark* b) {
  for (size_t i = 0; i < extensions::StandardFamilies(/*with_fetch=*/true).size(); ++i) {
    b->Arg(static_cast<int64_t>(i));
  }
});

// ---- the snapshot experiment ----

void ModelFunction(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(info.Data());
}
void ModelGetter(v8::Local<v8::Name>, const v8::PropertyCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(info.Data());
}
// The external references a snapshot of the model needs (null-terminated).
const intptr_t kModelReferences[] = {reinterpret_cast<intptr_t>(ModelFunction),
                                     reinterpret_cast<intptr_t>(ModelGetter), 0};

// The globals the standard environment (with fetch) adds to a bare context, read from
// a context built by it, and which of them are eager native functions.
struct EnvShape {
  std::vector<std::string> lazy;
  std::vector<std::string> functions;
};

EnvShape ReadShape(v8::Isolate* isolate) {
  v8::HandleScope handles(isolate);
  EnvShape shape;
  const char* kEager[] = {"setTimeout",     "setInterval", "clearTimeout", "clearInterval",
                          "queueMicrotask", "$return",     "$exit",        "$terminate"};
  for (const char* name : kEager) shape.functions.push_back(name);
  ContextState state;
  v8::Local<v8::Context> bare = v8::Context::New(isolate);
  v8::Local<v8::Context> standard = v8::Context::New(isolate);
  ContextHost::Attach(standard, nullptr);
  ContextState::Attach(standard, &state);
  {
    JsScope scope(isolate, standard);
    extensions::InstallStandardEnvironment(scope, /*with_fetch=*/true);
  }
  v8::Local<v8::Array> names = standard->Global()
                                   ->GetOwnPropertyNames(standard, v8::PropertyFilter::SKIP_SYMBOLS)
                                   .ToLocalChecked();
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name = names->Get(standard, i).ToLocalChecked();
    if (bare->Global()->HasOwnProperty(bare, name.As<v8::Name>()).FromJust()) continue;
    std::string text = *v8::String::Utf8Value(isolate, name);
    bool eager = false;
    for (const char* e : kEager) eager = eager || text == e;
    if (!eager) shape.lazy.push_back(text);
  }
  return shape;
}

// Installs `shape` into `context` with the model's callbacks: the same V8 objects
// (lazy accessor records, native functions, a private realm array) as the real thing.
void InstallShape(v8::Local<v8::Context> context, const EnvShape& shape) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Object> global = context->Global();
  auto str = [&](const std::string& s) {
    return v8::String::NewFromUtf8(isolate, s.c_str()).ToLocalChecked();
  };
  (void)global->Delete(context, str("console")).IsNothing();
  v8::Local<v8::Array> realm = v8::Array::New(isolate, 18);
  (void)realm->Set(context, 0, v8::Number::New(isolate, 1.5)).IsNothing();
  (void)global->SetPrivate(context, v8::Private::ForApi(isolate, str("jscore.realm")), realm);
  for (const std::string& name : shape.lazy) {
    (void)global->SetLazyDataProperty(context, str(name), ModelGetter, realm, v8::DontEnum)
        .IsNothing();
  }
  for (const std::string& name : shape.functions) {
    v8::Local<v8::Function> fn =
        v8::Function::New(context, ModelFunction, realm, 1, v8::ConstructorBehavior::kThrow)
            .ToLocalChecked();
    fn->SetName(str(name));
    (void)global->DefineOwnProperty(context, str(name), fn, v8::DontEnum).IsNothing();
  }
}

// A blob whose default context is a plain V8 context and whose context 0 holds `shape`
// (or nothing of ours when `shape` is null). Owned by the caller (delete[] data).
v8::StartupData MakeBlob(const EnvShape* shape) {
  InitV8();
  v8::SnapshotCreator creator(kModelReferences);
  v8::Isolate* isolate = creator.GetIsolate();
  {
    v8::HandleScope handles(isolate);
    creator.SetDefaultContext(v8::Context::New(isolate));
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    if (shape != nullptr) InstallShape(context, *shape);
    creator.AddContext(context);
  }
  return creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kClear);
}

// Contexts from context 0 of a custom blob, re-attached as a real implementation must
// (embedder data cannot be serialised), with a fresh time origin in the realm record.
void RunFromSnapshot(benchmark::State& state, const EnvShape* shape) {
  v8::StartupData blob = MakeBlob(shape);
  state.counters["blob_kb"] = blob.raw_size / 1024.0;
  {
    RawIsolate raw(&blob, kModelReferences);
    v8::Isolate* isolate = raw.get();
    auto queue = v8::MicrotaskQueue::New(isolate, v8::MicrotasksPolicy::kExplicit);
    ContextState context_state;
    v8::Local<v8::Private> key;
    for (auto _ : state) {
      v8::HandleScope handles(isolate);
      v8::Local<v8::Context> context;
      if (!v8::Context::FromSnapshot(isolate, 0, {}, nullptr, {}, queue.get()).ToLocal(&context)) {
        state.SkipWithError("Context::FromSnapshot failed");
        break;
      }
      ContextHost::Attach(context, nullptr);
      ContextState::Attach(context, &context_state);
      if (shape != nullptr) {
        v8::Local<v8::Private> realm_key =
            v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "jscore.realm"));
        v8::Local<v8::Value> realm =
            context->Global()->GetPrivate(context, realm_key).ToLocalChecked();
        (void)realm.As<v8::Array>()->Set(context, 0, v8::Number::New(isolate, 2.5)).IsNothing();
      }
    }
  }
  delete[] blob.data;
}

void BM_SnapshotBare(benchmark::State& state) { RunFromSnapshot(state, nullptr); }

const EnvShape& Shape() {
  static const EnvShape* shape = [] {
    RawIsolate raw;
    return new EnvShape(ReadShape(raw.get()));
  }();
  return *shape;
}

void BM_SnapshotEnvModel(benchmark::State& state) {
  state.counters["globals"] = static_cast<double>(Shape().lazy.size() + Shape().functions.size());
  RunFromSnapshot(state, &Shape());
}

void BM_NewEnvModel(benchmark::State& state) {
  const EnvShape& shape = Shape();
  RawIsolate raw;
  v8::Isolate* isolate = raw.get();
  auto queue = v8::MicrotaskQueue::New(isolate, v8::MicrotasksPolicy::kExplicit);
  ContextState context_state;
  std::vector<double> install;
  for (auto _ : state) {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate, nullptr, {}, {}, {}, queue.get());
    ContextHost::Attach(context, nullptr);
    ContextState::Attach(context, &context_state);
    double start = ThreadCpuSeconds();
    InstallShape(context, shape);
    install.push_back(ThreadCpuSeconds() - start);
  }
  state.counters["install_us"] = MedianMicros(std::move(install));
}
BENCHMARK(BM_SnapshotBare);
BENCHMARK(BM_SnapshotEnvModel);
BENCHMARK(BM_NewEnvModel);

// ---- W1 end to end through the engine ----

class InFlight {
 public:
  void Add() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &InFlight::HasRoom));
    ++count_;
  }
  void Done(bool ok) {
    absl::MutexLock lock(&mu_);
    --count_;
    if (!ok) ++failed_;
  }
  int WaitAll() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &InFlight::Empty));
    return failed_;
  }

 private:
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ < 64; }
  bool Empty() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ == 0; }
  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
  int failed_ ABSL_GUARDED_BY(mu_) = 0;
};

void BM_W1ThroughPool(benchmark::State& state) {
  jscore::engine::PoolOptions options;
  options.workers = 1;
  options.prebuilt_contexts = 0;  // every job builds its context on the clock
  auto pool = jscore::engine::Pool::Create(InitV8(), options).value();
  InFlight in_flight;
  timespec cpu_start;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
  for (auto _ : state) {
    jscore::engine::EvaluateSpec spec;
    spec.source = "1+1";
    spec.environment = state.range(0) ? jscore::engine::Environment::kStandard
                                      : jscore::engine::Environment::kBare;
    in_flight.Add();
    auto job = std::make_shared<jscore::engine::Job>(
        std::move(spec), absl::Now() + absl::Seconds(60),
        [&in_flight](jscore::engine::Outcome outcome) {
          in_flight.Done(outcome.kind == jscore::engine::Outcome::Kind::kValue);
        });
    if (!pool->Submit(job).ok()) in_flight.Done(false);
  }
  if (in_flight.WaitAll() > 0) state.SkipWithError("jobs failed");
  timespec cpu_end;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
  // The whole process's CPU (worker, watchdog, V8's helpers, this thread) per job.
  state.counters["process_cpu_us"] =
      benchmark::Counter(static_cast<double>(cpu_end.tv_sec - cpu_start.tv_sec) * 1e6 +
                             static_cast<double>(cpu_end.tv_nsec - cpu_start.tv_nsec) * 1e-3,
                         benchmark::Counter::kAvgIterations);
  pool->Shutdown(absl::Seconds(10));
}
BENCHMARK(BM_W1ThroughPool)->Arg(0)->Arg(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
