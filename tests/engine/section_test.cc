// internal::Section: a stretch of JavaScript entered, watched and ended exactly once.
#include "engine/internal/section.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/engine/test_isolate.h"
#include "v8.h"

namespace jscore::testing {
namespace {

using engine::SectionEnd;
using engine::internal::Section;

// Records what the section asked of its watch, and in which state of the isolate.
class RecordingWatch : public engine::internal::SectionWatch {
 public:
  explicit RecordingWatch(v8::Isolate* isolate, SectionEnd answer = SectionEnd::kCompleted)
      : isolate_(isolate), answer_(answer) {}
  void BeginSection() override {
    begins++;
    in_context_at_begin = isolate_->InContext();
  }
  SectionEnd EndSection() override {
    ends++;
    in_context_at_end = isolate_->InContext();
    return answer_;
  }
  int begins = 0;
  int ends = 0;
  bool in_context_at_begin = false;
  bool in_context_at_end = false;

 private:
  v8::Isolate* isolate_;
  SectionEnd answer_;
};

class SectionTest : public ::testing::Test {
 protected:
  SectionTest() {
    v8::HandleScope handles(isolate_.get());
    context_.Reset(isolate_.get(), v8::Context::New(isolate_.get()));
  }
  ~SectionTest() override { context_.Reset(); }

  TestIsolate isolate_;
  v8::Global<v8::Context> context_;
};

TEST_F(SectionTest, BeginsInsideItsContextAndEndsOnceWithTheWatchsAnswer) {
  RecordingWatch watch(isolate_.get(), SectionEnd::kDeadline);
  {
    Section section(isolate_.get(), context_, watch);
    EXPECT_EQ(watch.begins, 1);
    EXPECT_TRUE(watch.in_context_at_begin);
    EXPECT_EQ(watch.ends, 0);
    EXPECT_EQ(section.End(), SectionEnd::kDeadline);
    EXPECT_TRUE(watch.in_context_at_end);  // ended before its scope closes
    EXPECT_EQ(section.End(), SectionEnd::kDeadline);
    EXPECT_EQ(watch.ends, 1);
  }
  EXPECT_EQ(watch.begins, 1);
  EXPECT_EQ(watch.ends, 1);  // the destructor did not end it again
  EXPECT_FALSE(isolate_.get()->InContext());
}

TEST_F(SectionTest, TheDestructorEndsASectionLeftEarly) {
  RecordingWatch watch(isolate_.get(), SectionEnd::kCancelled);
  auto leave_early = [&](bool early) {
    Section section(isolate_.get(), context_, watch);
    if (early) return;
    section.End();
  };
  leave_early(true);
  EXPECT_EQ(watch.begins, 1);
  EXPECT_EQ(watch.ends, 1);
  EXPECT_TRUE(watch.in_context_at_end);
  leave_early(false);
  EXPECT_EQ(watch.begins, 2);
  EXPECT_EQ(watch.ends, 2);
}

TEST_F(SectionTest, ItsTryCatchHoldsWhatTheScriptThrewAndNothingEscapes) {
  RecordingWatch watch(isolate_.get());
  v8::HandleScope handles(isolate_.get());
  v8::TryCatch outer(isolate_.get());
  std::string message;
  {
    Section section(isolate_.get(), context_, watch);
    v8::Local<v8::Script> script =
        v8::Script::Compile(section.context(), section.scope().Str("throw new Error('boom')"))
            .ToLocalChecked();
    EXPECT_TRUE(script->Run(section.context()).IsEmpty());
    ASSERT_TRUE(section.try_catch().HasCaught());
    message = section.scope().Utf8(section.try_catch().Message()->Get());
    EXPECT_EQ(section.End(), SectionEnd::kCompleted);
  }
  EXPECT_EQ(message, "Uncaught Error: boom");
  EXPECT_FALSE(outer.HasCaught());
}

TEST_F(SectionTest, RunsInTheContextItWasGiven) {
  RecordingWatch watch(isolate_.get());
  v8::HandleScope handles(isolate_.get());
  {
    Section section(isolate_.get(), context_, watch);
    EXPECT_EQ(section.context(), context_.Get(isolate_.get()));
    EXPECT_EQ(isolate_.get()->GetEnteredOrMicrotaskContext(), context_.Get(isolate_.get()));
    EXPECT_EQ(section.isolate(), isolate_.get());
  }
}

}  // namespace
}  // namespace jscore::testing
