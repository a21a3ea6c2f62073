// internal::ProgramContextCache: the bookkeeping of a worker's program contexts (ids,
// bytes, LRU order, eviction, generations), without an isolate: the entries' V8
// handles stay empty here.
#include "engine/internal/program_context_cache.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace jscore::testing {
namespace {

using engine::internal::ProgramContext;
using engine::internal::ProgramContextCache;
using Ids = std::vector<std::string>;

ProgramContext Entry(size_t bytes) {
  ProgramContext entry;
  entry.approx_bytes = bytes;
  return entry;
}

TEST(ProgramContextCacheTest, UseFindsAnEntryAndMakesItTheMostRecent) {
  ProgramContextCache cache(/*max_entries=*/8, /*max_bytes=*/1000);
  cache.Insert("a", Entry(10));
  cache.Insert("b", Entry(20));
  cache.Insert("c", Entry(30));
  EXPECT_EQ(cache.LruOrder(), (Ids{"c", "b", "a"}));
  ProgramContext* a = cache.Use("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->approx_bytes, 10u);
  EXPECT_EQ(cache.LruOrder(), (Ids{"a", "c", "b"}));
  EXPECT_EQ(cache.Use("missing"), nullptr);
  EXPECT_EQ(cache.LruOrder(), (Ids{"a", "c", "b"}));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.bytes(), 60u);
  EXPECT_EQ(cache.published_count(), 3u);
}

TEST(ProgramContextCacheTest, EvictsTheLeastRecentlyUsedPastTheCount) {
  ProgramContextCache cache(/*max_entries=*/2, /*max_bytes=*/1000);
  cache.Insert("a", Entry(1));
  cache.Insert("b", Entry(2));
  cache.Use("a");
  cache.Insert("c", Entry(4));  // "b" is the least recently used
  EXPECT_EQ(cache.LruOrder(), (Ids{"c", "a"}));
  EXPECT_EQ(cache.bytes(), 5u);
  EXPECT_EQ(cache.published_count(), 2u);
}

TEST(ProgramContextCacheTest, EvictsPastTheBytesButKeepsTheNewestEntry) {
  ProgramContextCache cache(/*max_entries=*/8, /*max_bytes=*/100);
  cache.Insert("a", Entry(40));
  cache.Insert("b", Entry(40));
  cache.Insert("c", Entry(40));  // 120 > 100: "a" goes
  EXPECT_EQ(cache.LruOrder(), (Ids{"c", "b"}));
  EXPECT_EQ(cache.bytes(), 80u);
  cache.Insert("huge", Entry(500));  // alone over the budget, yet kept
  EXPECT_EQ(cache.LruOrder(), (Ids{"huge"}));
  EXPECT_EQ(cache.bytes(), 500u);
}

TEST(ProgramContextCacheTest, RemoveGivesItsBytesBack) {
  ProgramContextCache cache(/*max_entries=*/8, /*max_bytes=*/1000);
  cache.Insert("a", Entry(10));
  cache.Insert("b", Entry(20));
  EXPECT_TRUE(cache.Remove("a"));
  EXPECT_FALSE(cache.Remove("a"));
  EXPECT_EQ(cache.LruOrder(), (Ids{"b"}));
  EXPECT_EQ(cache.bytes(), 20u);
  EXPECT_EQ(cache.published_count(), 1u);
  EXPECT_EQ(cache.Use("a"), nullptr);
}

TEST(ProgramContextCacheTest, InsertingAgainReplacesTheEntry) {
  ProgramContextCache cache(/*max_entries=*/8, /*max_bytes=*/1000);
  cache.Insert("a", Entry(10));
  cache.Insert("b", Entry(20));
  cache.Insert("a", Entry(50));
  EXPECT_EQ(cache.LruOrder(), (Ids{"a", "b"}));
  EXPECT_EQ(cache.bytes(), 70u);
  EXPECT_EQ(cache.Use("a")->approx_bytes, 50u);
}

TEST(ProgramContextCacheTest, DropsUnloadedProgramsOncePerGeneration) {
  ProgramContextCache cache(/*max_entries=*/8, /*max_bytes=*/1000);
  cache.Insert("a", Entry(1));
  cache.Insert("b", Entry(2));
  cache.Insert("c", Entry(4));
  std::set<std::string> loaded = {"a", "c"};
  int asked = 0;
  auto is_loaded = [&](const std::string& id) {
    asked++;
    return loaded.count(id) > 0;
  };
  EXPECT_FALSE(cache.DropUnloaded(0, is_loaded));  // the generation it started with
  EXPECT_EQ(asked, 0);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.DropUnloaded(1, is_loaded));
  EXPECT_EQ(asked, 3);
  EXPECT_EQ(cache.LruOrder(), (Ids{"c", "a"}));
  EXPECT_EQ(cache.bytes(), 5u);
  EXPECT_EQ(cache.published_count(), 2u);
  loaded.clear();
  EXPECT_FALSE(cache.DropUnloaded(1, is_loaded));  // seen: nothing is asked
  EXPECT_EQ(asked, 3);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ProgramContextCacheTest, ClearEmptiesItAndKeepsTheGeneration) {
  ProgramContextCache cache(/*max_entries=*/8, /*max_bytes=*/1000);
  EXPECT_TRUE(cache.DropUnloaded(7, [](const std::string&) { return true; }));
  cache.Insert("a", Entry(1));
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_EQ(cache.published_count(), 0u);
  EXPECT_TRUE(cache.LruOrder().empty());
  EXPECT_FALSE(cache.DropUnloaded(7, [](const std::string&) { return false; }));
}

}  // namespace
}  // namespace jscore::testing
