// Structured logs of `earshot serve`: one JSON object a line on stderr,
// {"ts": "...Z", "level": "info", "event": "segment_loaded", ...}. Event
// names are a closed set written in the code; values are escaped. Lines from
// different threads never interleave.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace earshot::server {

class LogLine {
 public:
  LogLine(std::string_view level, std::string_view event);
  ~LogLine();  // writes the line
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& Str(std::string_view key, std::string_view value);
  LogLine& Int(std::string_view key, int64_t value);
  LogLine& Num(std::string_view key, double value);
  LogLine& Bool(std::string_view key, bool value);

 private:
  std::string line_;
};

inline LogLine LogInfo(std::string_view event) { return LogLine("info", event); }
inline LogLine LogWarn(std::string_view event) { return LogLine("warn", event); }
inline LogLine LogError(std::string_view event) { return LogLine("error", event); }

// `s` as a JSON string literal, quotes included; bytes that are not valid
// UTF-8 become the text \xNN (formats::SafeText).
std::string JsonQuote(std::string_view s);
// `v` as a JSON number (shortest form that reads back the same); null when
// not finite.
std::string JsonNumber(double v);

}  // namespace earshot::server
