// Retry policy of a run's tasks: which failures are worth another attempt and
// how long to wait before it. A failure to read or write a file or to use the
// warehouse may pass (a full disk freed, a network file system back); bad
// data fails the same way every time, so it is never retried. Pure functions.
#pragma once

#include "common/status.h"
#include "config/project.h"

namespace earshot::orchestrator {

struct RetryPolicy {
  int retries = 2;              // extra attempts after the first
  double backoff_seconds = 1;   // wait before the first retry; doubles after
};

RetryPolicy PolicyFrom(const config::RunSettings& run);

// True for kIoError and kDatabaseError.
bool IsRetryable(const Status& status);

// Seconds to wait after failed attempt `attempt` (1-based) before the next:
// backoff, 2 x backoff, 4 x backoff, ...
double BackoffSeconds(const RetryPolicy& policy, int attempt);

}  // namespace earshot::orchestrator
