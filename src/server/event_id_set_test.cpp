#include "server/event_id_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace earshot::server {
namespace {

TEST(EventIdSet, ProviderAndIdMakeTheKey) {
  EXPECT_EQ(KeyOf("a", "1"), KeyOf("a", "1"));
  EXPECT_FALSE(KeyOf("a", "1") == KeyOf("b", "1"));
  EXPECT_FALSE(KeyOf("a", "1") == KeyOf("a", "2"));
  EXPECT_FALSE(KeyOf("ab", "c") == KeyOf("a", "bc"));
}

TEST(EventIdSet, InsertEraseAgreeWithStdSet) {
  EventIdSet set;
  std::set<std::pair<uint64_t, uint64_t>> model;
  std::mt19937_64 rng(7);
  // Few distinct low bits: long probe chains that wrap around the table,
  // where backward-shift deletion is easiest to get wrong.
  for (int step = 0; step < 200000; ++step) {
    EventKey k{(rng() % 3000) * 1024 + (rng() % 3), rng() % 4 + 1};
    const bool in_model = model.count({k.lo, k.hi}) > 0;
    if (rng() % 3 == 0) {
      set.Erase(k);
      model.erase({k.lo, k.hi});
    } else {
      EXPECT_EQ(set.Insert(k), !in_model);
      model.insert({k.lo, k.hi});
    }
    if (step % 997 == 0) {
      for (const auto& [lo, hi] : model) ASSERT_TRUE(set.Contains({lo, hi})) << step;
    }
  }
  EXPECT_EQ(set.size(), model.size());
  for (const auto& [lo, hi] : model) EXPECT_TRUE(set.Contains({lo, hi}));
}

TEST(EventIdSet, GrowsAndKeepsEverything) {
  EventIdSet set;
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(set.Insert(KeyOf("p", std::to_string(i))));
  for (int i = 0; i < 100000; ++i) ASSERT_FALSE(set.Insert(KeyOf("p", std::to_string(i))));
  EXPECT_EQ(set.size(), 100000u);
  EXPECT_FALSE(set.Contains(KeyOf("p", "100000")));
}

}  // namespace
}  // namespace earshot::server
