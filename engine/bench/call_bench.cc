// Engine micro-benchmark: a preloaded program's Call through engine::Pool (no gRPC)
// beside the same JS function called on a raw V8 isolate. Both build the same
// arguments and read the same string result. Lives in engine/ because the raw side
// needs V8 itself.
//
//   build/engine/bench/engine_call_bench --benchmark_min_time=2
#include <memory>
#include <string>

#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool.h"
#include "v8.h"

namespace {

using jscore::engine::JobSpec;

constexpr char kProgram[] = R"(
function sign(params, ts) {
  const keys = Object.keys(params).sort();
  const s = keys.map(k => k + '=' + params[k]).join('&') + '&ts=' + ts;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
  return h.toString(16);
})";

constexpr int kBatch = 64;  // calls in flight per benchmark iteration

jscore::engine::Platform& TheePlatform() {
  static auto* platform = jscore::engine::Platform::Create({}).value().release();
  return *platform;
}

google::protobuf::Value Params() {
  google::protobuf::Value v;
  auto* fields = v.mutable_struct_value()->mutable_fields();
  (*fields)["b"].set_string_value("2");
  (*fields)["a"].set_string_value("1");
  (*fields)["c"].set_string_value("3");
  return v;
}

// A raw V8 isolate calling sign() directly: the engine's floor.
void BM_RawV8Call(benchmark::State& state) {
  TheePlatform();
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator.get();
  v8::Isolate* isolate = v8::Isolate::New(params);
  {
    v8::Isolate::Scope isolate_scope(isolate);
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    v8::Context::Scope context_scope(context);
    v8::Local<v8::String> source = v8::String::NewFromUtf8(isolate, kProgram).ToLocalChecked();
    v8::Script::Compile(context, source).ToLocalChecked()->Run(context).ToLocalChecked();
    v8::Local<v8::Function> sign =
        context->Global()
            ->Get(context, v8::String::NewFromUtf8Literal(isolate, "sign"))
            .ToLocalChecked()
            .As<v8::Function>();
    std::string out;
    for (auto _ : state) {
      for (int i = 0; i < kBatch; ++i) {
        v8::HandleScope call_scope(isolate);
        v8::Local<v8::Object> args = v8::Object::New(isolate);
        (void)args->Set(context, v8::String::NewFromUtf8Literal(isolate, "b"),
                        v8::String::NewFromUtf8Literal(isolate, "2"));
        (void)args->Set(context, v8::String::NewFromUtf8Literal(isolate, "a"),
                        v8::String::NewFromUtf8Literal(isolate, "1"));
        (void)args->Set(context, v8::String::NewFromUtf8Literal(isolate, "c"),
                        v8::String::NewFromUtf8Literal(isolate, "3"));
        v8::Local<v8::Value> argv[] = {args, v8::Number::New(isolate, 1700000000)};
        v8::Local<v8::Value> result =
            sign->Call(context, context->Global(), 2, argv).ToLocalChecked();
        v8::String::Utf8Value utf8(isolate, result);
        out.assign(*utf8, utf8.length());
      }
      benchmark::DoNotOptimize(out);
    }
  }
  isolate->Dispose();
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_RawV8Call)->UseRealTime();

// The same call through the engine: a Job per call, queue, worker, value mapping,
// completion callback. `state.range(0)` calls in flight at once.
void BM_EngineCall(benchmark::State& state) {
  jscore::engine::PoolOptions options;
  options.workers = 1;
  auto pool = jscore::engine::Pool::Create(TheePlatform(), options).value();
  jscore::engine::LoadProgramSpec load;
  load.source = kProgram;
  std::string program;
  {
    absl::BlockingCounter done(1);
    auto job = std::make_shared<jscore::engine::Job>(load, absl::Now() + absl::Seconds(10),
                                                     [&](jscore::engine::Outcome o) {
                                                       program = o.id;
                                                       done.DecrementCount();
                                                     });
    (void)pool->Submit(job);
    done.Wait();
  }
  jscore::engine::CallSpec call;
  call.program = program;
  call.function = "sign";
  call.args = {Params(), google::protobuf::Value()};
  call.args[1].set_number_value(1700000000);
  const int in_flight = static_cast<int>(state.range(0));
  int64_t failures = 0;
  for (auto _ : state) {
    for (int sent = 0; sent < kBatch; sent += in_flight) {
      int n = std::min(in_flight, kBatch - sent);
      absl::BlockingCounter done(n);
      for (int i = 0; i < n; ++i) {
        auto job = std::make_shared<jscore::engine::Job>(
            call, absl::Now() + absl::Seconds(10), [&](jscore::engine::Outcome o) {
              if (o.kind != jscore::engine::Outcome::Kind::kValue) failures++;
              done.DecrementCount();
            });
        if (!pool->Submit(job).ok()) {
          failures++;
          done.DecrementCount();
        }
      }
      done.Wait();
    }
  }
  state.counters["failures"] = static_cast<double>(failures);
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_EngineCall)->Arg(1)->Arg(64)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
