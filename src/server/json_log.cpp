#include "server/json_log.h"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "formats/value_parsers.h"

namespace earshot::server {

namespace {
std::mutex& LogMutex() {
  static std::mutex m;
  return m;
}
}  // namespace

std::string JsonQuote(std::string_view text) {
  // JSON is UTF-8: bytes that are not (a path or token as sent) are shown
  // as the text \xNN, never passed through (found by fuzz/http_request).
  const std::string safe = formats::IsValidUtf8(text) ? std::string() : formats::SafeText(text, text.size());
  const std::string_view s = safe.empty() ? text : std::string_view(safe);
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == 0) return "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

LogLine::LogLine(std::string_view level, std::string_view event) {
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[48];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros % 1000000));
  line_ = "{\"ts\":\"" + std::string(ts) + "\",\"level\":" + JsonQuote(level) + ",\"event\":" + JsonQuote(event);
}

LogLine::~LogLine() {
  line_ += "}\n";
  std::lock_guard<std::mutex> lock(LogMutex());
  size_t done = 0;
  while (done < line_.size()) {
    ssize_t n = ::write(STDERR_FILENO, line_.data() + done, line_.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
}

LogLine& LogLine::Str(std::string_view key, std::string_view value) {
  line_ += "," + JsonQuote(key) + ":" + JsonQuote(value);
  return *this;
}
LogLine& LogLine::Int(std::string_view key, int64_t value) {
  line_ += "," + JsonQuote(key) + ":" + std::to_string(value);
  return *this;
}
LogLine& LogLine::Num(std::string_view key, double value) {
  line_ += "," + JsonQuote(key) + ":" + JsonNumber(value);
  return *this;
}
LogLine& LogLine::Bool(std::string_view key, bool value) {
  line_ += "," + JsonQuote(key) + ":" + (value ? "true" : "false");
  return *this;
}

}  // namespace earshot::server
