// The engine limit for bench/run's workloads: the same JS as bench/workloads/*.js run
// on a raw V8 isolate of this thread, with nothing of jscore around it (no pool, no
// queue, no environment, no value mapping, no gRPC). bench/run divides jscored's
// numbers by these.
//
//   BM_RawV8FreshContext  W1: a new context, compile and run `1+1`, read the number,
//                         drop the context (what Evaluate does per request)
//   BM_RawV8Sign          W2: sign(params, ts) of bench/workloads/sign.js, called in
//                         one context with the arguments built per call
//   BM_RawV8Burn/N        W3: burn(N) of bench/workloads/cpu.js (N: bench/run's round counts)
//
//   build/engine/bench/engine_workloads_bench --benchmark_format=json
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "engine/platform.h"
#include "v8.h"

#ifndef JSCORE_BENCH_WORKLOADS_DIR
#error "JSCORE_BENCH_WORKLOADS_DIR must name bench/workloads"
#endif

namespace {

void InitV8() {
  static auto* platform = jscore::engine::Platform::Create({}).value().release();
  (void)platform;
}

std::string ReadWorkload(const std::string& name) {
  std::ifstream in(std::string(JSCORE_BENCH_WORKLOADS_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// An isolate of the calling thread, entered, disposed at the end of the benchmark.
class RawIsolate {
 public:
  RawIsolate() : allocator_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {
    InitV8();
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator_.get();
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

v8::Local<v8::Function> LoadFunction(v8::Local<v8::Context> context, const std::string& file,
                                     const char* name) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::String> source =
      v8::String::NewFromUtf8(isolate, ReadWorkload(file).c_str()).ToLocalChecked();
  v8::Script::Compile(context, source).ToLocalChecked()->Run(context).ToLocalChecked();
  return context->Global()
      ->Get(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked())
      .ToLocalChecked()
      .As<v8::Function>();
}

void BM_RawV8FreshContext(benchmark::State& state) {
  RawIsolate raw;
  v8::Isolate* isolate = raw.get();
  double sum = 0;
  for (auto _ : state) {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    v8::Context::Scope context_scope(context);
    v8::Local<v8::Script> script =
        v8::Script::Compile(context, v8::String::NewFromUtf8Literal(isolate, "1+1"))
            .ToLocalChecked();
    sum += script->Run(context).ToLocalChecked()->NumberValue(context).FromJust();
    isolate->ContextDisposedNotification();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawV8FreshContext)->UseRealTime();

void BM_RawV8Sign(benchmark::State& state) {
  RawIsolate raw;
  v8::Isolate* isolate = raw.get();
  v8::HandleScope handles(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate);
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Function> sign = LoadFunction(context, "sign.js", "sign");
  // bench/run's W2 arguments.
  static constexpr const char* kParams[][2] = {
      {"uid", "10086"}, {"q", "jscore bench"}, {"page", "3"}, {"sort", "desc"}, {"v", "2.1"}};
  std::string out;
  for (auto _ : state) {
    v8::HandleScope call_scope(isolate);
    v8::Local<v8::Object> params = v8::Object::New(isolate);
    for (const auto& [key, value] : kParams) {
      (void)params->Set(context, v8::String::NewFromUtf8(isolate, key).ToLocalChecked(),
                        v8::String::NewFromUtf8(isolate, value).ToLocalChecked());
    }
    v8::Local<v8::Value> argv[] = {params, v8::Number::New(isolate, 1700000000000.0)};
    v8::Local<v8::Value> result = sign->Call(context, context->Global(), 2, argv).ToLocalChecked();
    v8::String::Utf8Value utf8(isolate, result);
    out.assign(*utf8, utf8.length());
  }
  benchmark::DoNotOptimize(out);
  state.SetLabel(out);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawV8Sign)->UseRealTime();

void BM_RawV8Burn(benchmark::State& state) {
  RawIsolate raw;
  v8::Isolate* isolate = raw.get();
  v8::HandleScope handles(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate);
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Function> burn = LoadFunction(context, "cpu.js", "burn");
  double sum = 0;
  for (auto _ : state) {
    v8::HandleScope call_scope(isolate);
    v8::Local<v8::Value> argv[] = {v8::Number::New(isolate, static_cast<double>(state.range(0)))};
    sum += burn->Call(context, context->Global(), 1, argv)
               .ToLocalChecked()
               ->NumberValue(context)
               .FromJust();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
// bench/run's W3 round counts: 3000000 (the suite) and 200000 (--smoke).
BENCHMARK(BM_RawV8Burn)->Arg(200000)->Arg(3000000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
