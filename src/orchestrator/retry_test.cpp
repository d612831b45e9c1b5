#include "orchestrator/retry.h"

#include <gtest/gtest.h>

namespace earshot::orchestrator {
namespace {

TEST(Retry, OnlyInputOutputAndWarehouseFailuresAreRetried) {
  EXPECT_TRUE(IsRetryable(Status::IoError("disk full")));
  EXPECT_TRUE(IsRetryable(Status::Database("could not set lock")));
  EXPECT_FALSE(IsRetryable(Status::DataError("x.csv:1: missing_column")));
  EXPECT_FALSE(IsRetryable(Status::Invalid("unknown provider")));
  EXPECT_FALSE(IsRetryable(Status::NotFound("gone")));
  EXPECT_FALSE(IsRetryable(Status::Ok()));
}

TEST(Retry, BackoffDoubles) {
  RetryPolicy p{3, 1.5};
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 1), 1.5);
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 2), 3.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 3), 6.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(p, 0), 0.0);
  config::RunSettings run;
  run.retries = 4;
  run.backoff_seconds = 0.25;
  RetryPolicy from = PolicyFrom(run);
  EXPECT_EQ(from.retries, 4);
  EXPECT_DOUBLE_EQ(from.backoff_seconds, 0.25);
}

}  // namespace
}  // namespace earshot::orchestrator
