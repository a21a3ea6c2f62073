// context_cost: what the standard environment adds to building a fresh context.
//
// 1. Through the engine: trivial Evaluate jobs on an engine::Pool with one worker
//    and no pre-built contexts (every job builds its context on the clock), with
//    Environment::kBare, kStandard, and kStandard with Web APIs touched.
// 2. Raw: on an isolate of this thread, v8::Context::New followed by what the
//    worker installs (StripToBareEcmaScript or InstallStandardEnvironment), nothing
//    else: the cost of the environment itself.
// Usage: context_cost [jobs per round, default 20000] [rounds, default 5]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/extensions/environment.h"
#include "engine/internal/context_host.h"
#include "engine/internal/context_state.h"
#include "engine/internal/js_scope.h"
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool.h"
#include "v8.h"

namespace {

using jscore::engine::Environment;

struct Case {
  const char* label;
  Environment environment;
  const char* source;
};

// Submits `jobs` jobs (at most `window` queued at a time) and returns the seconds
// they took; -1 if any failed.
double RunRound(jscore::engine::Pool& pool, const Case& c, int jobs) {
  constexpr int kWindow = 1024;
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
  absl::Notification all_done;
  absl::Time start = absl::Now();
  int submitted = 0;
  while (submitted < jobs) {
    if (submitted - done.load() >= kWindow) {
      absl::SleepFor(absl::Microseconds(50));
      continue;
    }
    jscore::engine::EvaluateSpec spec;
    spec.source = c.source;
    spec.environment = c.environment;
    auto job = std::make_shared<jscore::engine::Job>(
        std::move(spec), absl::Now() + absl::Seconds(60),
        [&, jobs](jscore::engine::Outcome outcome) {
          if (outcome.kind != jscore::engine::Outcome::Kind::kValue) failed.fetch_add(1);
          if (done.fetch_add(1) + 1 == jobs) all_done.Notify();
        });
    if (!pool.Submit(job).ok()) {
      absl::SleepFor(absl::Microseconds(100));
      continue;
    }
    ++submitted;
  }
  all_done.WaitForNotification();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return failed.load() > 0 ? -1 : seconds;
}

// Builds `count` contexts on `isolate` the way Worker::Impl::NewContext does;
// appends the microseconds each took (v8::Context::New and the install).
void BuildContexts(v8::Isolate* isolate, Environment environment, int count,
                   std::vector<double>* micros) {
  jscore::engine::internal::ContextState state;
  for (int i = 0; i < count; ++i) {
    v8::HandleScope handles(isolate);
    absl::Time start = absl::Now();
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    jscore::engine::internal::ContextHost::Attach(context, nullptr);
    jscore::engine::internal::ContextState::Attach(context, &state);
    {
      jscore::engine::internal::JsScope scope(isolate, context);
      if (environment == Environment::kStandard) {
        jscore::engine::extensions::InstallStandardEnvironment(scope, /*with_fetch=*/false);
      } else {
        jscore::engine::extensions::StripToBareEcmaScript(scope);
      }
    }
    micros->push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / v.size();
}

// The median is the figure to quote on a busy machine: a context build that a
// garbage collection (or another process) interrupts says nothing about the install.
void RawContextCost(int count, int rounds) {
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator.get();
  v8::Isolate* isolate = v8::Isolate::New(params);
  {
    v8::Isolate::Scope isolate_scope(isolate);
    std::vector<double> bare, standard, ignored;
    BuildContexts(isolate, Environment::kBare, count / 10, &ignored);  // warm up
    BuildContexts(isolate, Environment::kStandard, count / 10, &ignored);
    for (int r = 0; r < rounds; ++r) {
      BuildContexts(isolate, Environment::kBare, count, &bare);
      isolate->LowMemoryNotification();
      BuildContexts(isolate, Environment::kStandard, count, &standard);
      isolate->LowMemoryNotification();
    }
    std::printf("\nraw: v8::Context::New + install only, %d contexts of each, interleaved\n",
                count * rounds);
    std::printf("%-14s median %7.1f us  mean %7.1f us\n", "bare", Median(bare), Mean(bare));
    std::printf("%-14s median %7.1f us  mean %7.1f us  median %+5.1f%% vs bare (%+.1f us)\n",
                "standard", Median(standard), Mean(standard),
                (Median(standard) / Median(bare) - 1) * 100, Median(standard) - Median(bare));
  }
  isolate->Dispose();
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = argc > 1 ? std::atoi(argv[1]) : 20000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  if (jobs <= 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: %s [jobs per round] [rounds]\n", argv[0]);
    return 2;
  }
  auto platform = jscore::engine::Platform::Create({});
  if (!platform.ok()) {
    std::fprintf(stderr, "%s\n", platform.status().ToString().c_str());
    return 1;
  }
  jscore::engine::PoolOptions options;
  options.workers = 1;
  options.prebuilt_contexts = 0;  // every job builds its context on the clock
  auto pool = jscore::engine::Pool::Create(**platform, options);
  if (!pool.ok()) {
    std::fprintf(stderr, "%s\n", pool.status().ToString().c_str());
    return 1;
  }
  const Case cases[] = {
      {"bare", Environment::kBare, "1"},
      {"standard", Environment::kStandard, "1"},
      {"standard+URL", Environment::kStandard, "typeof URL"},
      {"standard+all", Environment::kStandard,
       "[atob, btoa, TextEncoder, TextDecoder, structuredClone, performance, URL, "
       "URLSearchParams, Event, EventTarget, CustomEvent, AbortController, AbortSignal, "
       "DOMException].length"},
  };
  std::printf(
      "%d jobs per round, best of %d rounds (cases interleaved), 1 worker, "
      "prebuilt_contexts=0\n",
      jobs, rounds);
  constexpr int kCases = sizeof(cases) / sizeof(cases[0]);
  double best[kCases];
  for (int c = 0; c < kCases; ++c) {
    best[c] = 1e100;
    (void)RunRound(**pool, cases[c], std::min(jobs, 2000));  // warm up
  }
  // Interleaved, so that a burst of load from elsewhere on the machine hits every
  // case alike; the best round of each is what the machine can do.
  for (int r = 0; r < rounds; ++r) {
    for (int c = 0; c < kCases; ++c) {
      double seconds = RunRound(**pool, cases[c], jobs);
      if (seconds < 0) {
        std::fprintf(stderr, "%s: jobs failed\n", cases[c].label);
        return 1;
      }
      best[c] = std::min(best[c], seconds);
    }
  }
  double bare_us = best[0] * 1e6 / jobs;
  for (int c = 0; c < kCases; ++c) {
    double us = best[c] * 1e6 / jobs;
    std::printf("%-14s %9.0f contexts/s %8.1f us each  %+6.1f%% vs bare\n", cases[c].label,
                jobs / best[c], us, (us / bare_us - 1) * 100);
  }
  (*pool)->Shutdown(absl::Seconds(10));
  pool->reset();
  RawContextCost(std::max(jobs / 4, 100), rounds);
  return 0;
}
