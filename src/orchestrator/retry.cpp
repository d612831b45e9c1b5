#include "orchestrator/retry.h"

#include <cmath>

namespace earshot::orchestrator {

RetryPolicy PolicyFrom(const config::RunSettings& run) { return {run.retries, run.backoff_seconds}; }

bool IsRetryable(const Status& status) {
  return status.code() == StatusCode::kIoError || status.code() == StatusCode::kDatabaseError;
}

double BackoffSeconds(const RetryPolicy& policy, int attempt) {
  if (attempt < 1) return 0;
  return policy.backoff_seconds * std::ldexp(1.0, attempt - 1);
}

}  // namespace earshot::orchestrator
