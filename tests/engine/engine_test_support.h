// Helpers for engine tests: one V8 Platform per test binary, and a blocking Run().
#ifndef JSCORE_TESTS_ENGINE_ENGINE_TEST_SUPPORT_H_
#define JSCORE_TESTS_ENGINE_ENGINE_TEST_SUPPORT_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "engine/job.h"
#include "engine/platform.h"
#include "engine/pool.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace jscore::testing {

// The process-wide Platform, made by the GoogleTest environment below.
engine::Platform& TestPlatform();

// A job whose outcome a test can wait for.
struct PendingJob {
  std::shared_ptr<engine::Job> job;
  std::shared_ptr<absl::Notification> done = std::make_shared<absl::Notification>();
  std::shared_ptr<engine::Outcome> outcome = std::make_shared<engine::Outcome>();

  engine::Outcome Wait() {
    EXPECT_TRUE(done->WaitForNotificationWithTimeout(absl::Seconds(60)));
    return *outcome;
  }
};

inline PendingJob MakeJob(engine::JobSpec spec, absl::Duration timeout = absl::Seconds(10)) {
  PendingJob p;
  auto done = p.done;
  auto outcome = p.outcome;
  p.job = std::make_shared<engine::Job>(std::move(spec), absl::Now() + timeout,
                                        [done, outcome](engine::Outcome o) {
                                          *outcome = std::move(o);
                                          done->Notify();
                                        });
  return p;
}

inline engine::Outcome RunJs(engine::Pool& pool, const std::string& source,
                             absl::Duration timeout = absl::Seconds(10)) {
  engine::EvaluateSpec spec;
  spec.source = source;
  PendingJob p = MakeJob(std::move(spec), timeout);
  absl::Status status = pool.Submit(p.job);
  if (!status.ok()) return engine::Outcome::Failed(status);
  return p.Wait();
}

// Compact JSON with object keys sorted, so that tests can compare strings
// (protobuf's printer follows map order, which is unspecified).
inline std::string SortedJson(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStructValue: {
      std::map<std::string, const google::protobuf::Value*> fields;
      for (const auto& [k, v] : value.struct_value().fields()) fields[k] = &v;
      std::string out = "{";
      for (const auto& [k, v] : fields) {
        if (out.size() > 1) out += ",";
        google::protobuf::Value key;
        key.set_string_value(k);
        out += SortedJson(key) + ":" + SortedJson(*v);
      }
      return out + "}";
    }
    case google::protobuf::Value::kListValue: {
      std::string out = "[";
      for (const auto& v : value.list_value().values()) {
        if (out.size() > 1) out += ",";
        out += SortedJson(v);
      }
      return out + "]";
    }
    default: {
      std::string out;
      (void)google::protobuf::util::MessageToJsonString(value, &out);
      return out;
    }
  }
}

// The value as compact JSON (NaN and Infinity are checked through annotations).
inline std::string Json(const engine::Outcome& outcome) {
  if (outcome.kind == engine::Outcome::Kind::kJsError) {
    return "JsError " + outcome.error.name + ": " + outcome.error.message;
  }
  if (outcome.kind == engine::Outcome::Kind::kFailed) return "Failed " + outcome.status.ToString();
  return SortedJson(outcome.value);
}

inline engine::PoolOptions SmallPool(int workers = 2) {
  engine::PoolOptions o;
  o.workers = workers;
  o.heap_limit_mb = 64;
  o.array_buffer_limit_mb = 64;
  return o;
}

// Polls `condition` every millisecond until it holds or `bound` passes; returns whether
// it held. Every wait on the pool's state in a test goes through here, so none can hang.
template <typename Condition>
bool WaitUntil(Condition condition, absl::Duration bound = absl::Seconds(30)) {
  absl::Time until = absl::Now() + bound;
  while (!condition()) {
    if (absl::Now() >= until) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

}  // namespace jscore::testing

#endif  // JSCORE_TESTS_ENGINE_ENGINE_TEST_SUPPORT_H_
