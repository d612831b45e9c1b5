#include "ingest/seen_filter.h"

#include <gtest/gtest.h>

namespace earshot::ingest {
namespace {

TEST(SeenFilter, EveryRepeatIsACandidateAndFewOthersAre) {
  SeenFilter filter(200000);
  uint64_t flagged_first_time = 0;
  for (int i = 0; i < 200000; ++i) flagged_first_time += filter.Add("e" + std::to_string(i));
  // A repeat must always be reported: no false negatives.
  for (int i = 0; i < 200000; i += 1000) EXPECT_TRUE(filter.Add("e" + std::to_string(i))) << i;
  EXPECT_TRUE(filter.candidates().count("e0"));
  EXPECT_TRUE(filter.candidates().count("e199000"));
  // False positives stay rare at this size (well under 1%).
  EXPECT_LT(flagged_first_time, 2000u);
}

TEST(SeenFilter, MemoryIsCappedWhateverTheExpectedSize) {
  SeenFilter huge(uint64_t{1} << 40, uint64_t{8} << 20);
  EXPECT_LE(huge.bytes(), uint64_t{8} << 20);
  SeenFilter tiny(1);
  EXPECT_GE(tiny.bytes(), uint64_t{1} << 20);
  EXPECT_FALSE(tiny.Add("x"));
  EXPECT_TRUE(tiny.Add("x"));
}

}  // namespace
}  // namespace earshot::ingest
