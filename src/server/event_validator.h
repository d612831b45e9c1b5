// EventValidator: checks the lines of a POST /v1/listens body one by one, so
// the answer can say which lines were refused and why, and only good lines
// reach the log. A line is one instant event (contracts/podcasts.md,
// Instant) of the provider the token belongs to, under that provider's field
// mapping. The rules and error codes are those the loader applies to the
// segment later (FieldReader for JSON rows, then ListensMapper for an
// instant event), in the same order, so a line accepted here is accepted
// there: event_validator_test checks both on the same lines. Two rules are
// stricter than a file delivery: a line with a date or month is a count, not
// an event (`not_an_event`: counts come as files), and a top-level "rows"
// array is refused (`invalid_value`), since a segment must stay NDJSON.
//
// Thread-safe: Check() may run on any number of threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/project.h"

namespace earshot::server {

// The codes a line can be refused with (a closed list: metric labels).
inline constexpr std::array<std::string_view, 8> kLineErrorCodes = {"invalid_utf8",  "invalid_json",     "too_deep",
                                                                    "not_an_object", "invalid_value",    "not_an_event",
                                                                    "missing_field", "invalid_timestamp"};

struct LineCheck {
  bool accepted = false;
  std::string event_id;  // accepted: the event's id as the loader stores it
  size_t code = 0;       // refused: index into kLineErrorCodes
  std::string field;     // refused: the provider's field name, or empty
  std::string message;   // refused: for the person reading the answer
  // A `provider` key naming another provider than the sender (not a line
  // error: the request is refused as a whole, 403).
  std::string claimed_provider;
};

class EventValidator {
 public:
  explicit EventValidator(const config::Provider& provider);
  // Checks one line (without its end-of-line). Returns check.accepted.
  bool Check(std::string_view line, LineCheck& check) const;
  const config::Provider& provider() const { return provider_; }

 private:
  config::Provider provider_;
  std::vector<std::string> names_;       // their field names, in ProviderFields() order
  std::vector<std::string> normalized_;  // ... as header-matching keys
};

// Splits a body into lines: calls on_line(line_number, text) for each
// non-blank line, 1-based, without "\r\n" or "\n", a leading UTF-8 BOM and
// surrounding white space.
template <typename F>
void ForEachLine(std::string_view body, F&& on_line) {
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  uint64_t number = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    ++number;
    pos = end + 1;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!line.empty() && space(line.front())) line.remove_prefix(1);
    while (!line.empty() && space(line.back())) line.remove_suffix(1);
    if (!line.empty()) on_line(number, line);
  }
}

}  // namespace earshot::server
