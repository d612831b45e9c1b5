#include "server/listens_endpoint.h"

#include "server/json_log.h"

namespace earshot::server {

namespace {
// At most this many rejects are described one by one in an answer.
constexpr size_t kMaxRejectsShown = 1000;
}  // namespace

HttpResponse RefusedByLog(Admission admission) {
  HttpResponse r;
  switch (admission) {
    case Admission::kQueueFull:
      r = ErrorResponse(429, "busy", "too many events waiting to be written: retry shortly");
      r.retry_after_seconds = 1;
      break;
    case Admission::kLoaderBehind:
      r = ErrorResponse(503, "loader_behind", "the warehouse loader is behind: retry later");
      r.retry_after_seconds = 5;
      break;
    case Admission::kDiskFull:
      r = ErrorResponse(503, "disk_full", "the event log's disk is (nearly) full: retry later");
      r.retry_after_seconds = 30;
      break;
    default:
      r = ErrorResponse(503, "unavailable",
                        "the event log is not taking events (shutting down or failed): retry later");
      r.retry_after_seconds = 5;
      break;
  }
  return r;
}

ListensEndpoint::ListensEndpoint(const std::vector<config::Provider>& providers, EventLog& log, Metrics& metrics)
    : log_(log), metrics_(metrics) {
  for (const config::Provider& p : providers) validators_.push_back(std::make_unique<EventValidator>(p));
}

void ListensEndpoint::Handle(size_t provider, const std::string& body, Responder respond) {
  const EventValidator& validator = *validators_[provider];
  std::vector<LineCheck> checks;
  std::vector<EventLog::Line> lines;
  std::string rejects;
  uint64_t total = 0, rejected = 0;
  std::array<uint64_t, kLineErrorCodes.size()> by_code{};
  std::string claimed;
  LineCheck check;
  std::vector<std::string_view> texts;
  ForEachLine(body, [&](uint64_t number, std::string_view line) {
    ++total;
    if (!claimed.empty()) return;
    if (validator.Check(line, check) || !check.claimed_provider.empty()) {
      if (!check.claimed_provider.empty()) {
        claimed = check.claimed_provider;
        return;
      }
      texts.push_back(line);
      checks.push_back(std::move(check));
      return;
    }
    ++rejected;
    ++by_code[check.code];
    if (rejected <= kMaxRejectsShown) {
      rejects += std::string(rejects.empty() ? "" : ",") + "{\"line\":" + std::to_string(number) + ",\"code\":\"" +
                 std::string(kLineErrorCodes[check.code]) + "\",\"field\":" + JsonQuote(check.field) +
                 ",\"message\":" + JsonQuote(check.message) + "}";
    }
  });
  const std::string& name = validator.provider().name;
  if (!claimed.empty()) {
    return respond(ErrorResponse(403, "wrong_provider",
                                 "the token sends as provider '" + name + "', but a line claims provider '" + claimed +
                                     "': send each provider's events with its own token"));
  }
  if (total == 0) return respond(ErrorResponse(400, "empty_body", "the body holds no events (NDJSON: one a line)"));
  lines.reserve(checks.size());
  for (size_t i = 0; i < checks.size(); ++i) lines.push_back({texts[i], checks[i].event_id});
  // Even a body with nothing new waits for the commit after it: an event it
  // repeats may still be on its way to disk.
  auto reply = std::make_shared<Responder>(std::move(respond));
  const size_t n = lines.size();
  Admission admission = log_.Submit(
      provider, lines,
      [this, reply, provider, name, total, rejected, n, by_code, rejects = std::move(rejects)](Status st,
                                                                                               uint64_t duplicated) {
        if (!st.ok()) {
          HttpResponse r = ErrorResponse(
              503, "not_durable",
              "the events could not be written to disk (" + st.message() + "): nothing of this body was kept, retry");
          r.retry_after_seconds = 5;
          return (*reply)(std::move(r));
        }
        metrics_.Accepted(provider, n - duplicated);
        metrics_.Duplicated(provider, duplicated);
        for (size_t c = 0; c < by_code.size(); ++c) {
          if (by_code[c] > 0) metrics_.Rejected(provider, c, by_code[c]);
        }
        HttpResponse r;
        r.status = 202;
        r.body = "{\"provider\":" + JsonQuote(name) + ",\"lines\":" + std::to_string(total) +
                 ",\"accepted\":" + std::to_string(n - duplicated) + ",\"duplicated\":" + std::to_string(duplicated) +
                 ",\"rejected\":" + std::to_string(rejected) + ",\"rejects\":[" + rejects + "]" +
                 (rejected > kMaxRejectsShown ? ",\"rejects_truncated\":true" : "") + "}";
        (*reply)(std::move(r));
      });
  if (admission != Admission::kOk) (*reply)(RefusedByLog(admission));
}

}  // namespace earshot::server
