// ListensEndpoint: POST /v1/listens once the sender is known (a provider
// token; the token, not the body, says which provider). Checks the body
// line by line (EventValidator), hands the good lines to the EventLog and
// answers 202 once they are on disk, with how many lines were accepted,
// duplicated and rejected and each reject's line, code, field and message.
// A line naming another provider refuses the whole body (403). Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/event_log.h"
#include "server/event_validator.h"
#include "server/http_types.h"
#include "server/metrics.h"

namespace earshot::server {

// The answer for a body the log would not take, with its Retry-After.
HttpResponse RefusedByLog(Admission admission);

class ListensEndpoint {
 public:
  ListensEndpoint(const std::vector<config::Provider>& providers, EventLog& log, Metrics& metrics);

  // `provider`: index of the sender among the providers. Calls `respond`
  // once: at once for a refused body, else after the log's commit.
  void Handle(size_t provider, const std::string& body, Responder respond);

 private:
  std::vector<std::unique_ptr<EventValidator>> validators_;
  EventLog& log_;
  Metrics& metrics_;
};

}  // namespace earshot::server
