// Text shapes of the files `earshot generate podcasts` writes.
//
// A provider declares how it delivers (config::Provider: format, mapping,
// granularity); these builders put rows and events into exactly that shape:
//   - CSV: a header of the provider's column names, RFC 4180 quoting, LF;
//   - JSON: either an array of row objects or {"rows": [...]}, the caller
//     picks (the generator alternates them);
//   - NDJSON: one object per line.
// Field names always go through Provider::TheirField. Listens are written as
// given: the caller passes the text (normally digits, deliberately `-4` or
// `abc` for bad rows) and whether it is a JSON number. Builders only build
// strings; WriteFileAtomically puts one on disk (`.tmp` sibling, then
// rename). Not thread-safe per builder; separate builders are independent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/project.h"

namespace earshot::generate {

// Appends one CSV field, quoted when it holds a comma, quote or line break.
void AppendCsvField(std::string& out, std::string_view field);
// Appends a JSON string literal (with its quotes); UTF-8 passes through.
void AppendJsonString(std::string& out, std::string_view s);

enum class JsonShape { kArray, kRowsObject };

// Rows of listen counts for one daily or monthly file.
class RowsFileBuilder {
 public:
  // period_field is ours: "date" (daily files) or "month" (monthly files).
  // With episodes, rows carry episode_id (episode granularity).
  RowsFileBuilder(const config::Provider& provider, std::string_view period_field, bool with_episode, JsonShape shape);

  void AddRow(std::string_view period, std::string_view podcast_id, std::string_view episode_id,
              std::string_view listens, bool listens_is_number);
  uint64_t rows() const { return rows_; }
  // The whole file; the builder is spent afterwards.
  std::string Finish();

 private:
  config::FileFormat format_;
  JsonShape shape_;
  bool with_episode_;
  std::string period_key_, podcast_key_, episode_key_, listens_key_;  // JSON keys, quoted
  std::string out_;
  uint64_t rows_ = 0;
};

// Instant events, one NDJSON line each: event_id, podcast_id, episode_id
// (episode granularity only), listened_at.
class EventsFileBuilder {
 public:
  EventsFileBuilder(const config::Provider& provider, bool with_episode);

  // Appends an event's line and returns it (without the newline; valid until
  // the next call), so it can be copied and repeated later verbatim.
  std::string_view AddEvent(std::string_view event_id, std::string_view podcast_id, std::string_view episode_id,
                            int64_t listened_at);
  // Appends a line written before (a repeated event).
  void AddLine(std::string_view line);
  uint64_t lines() const { return lines_; }
  std::string Finish() { return std::move(out_); }

 private:
  bool with_episode_;
  std::string event_key_, podcast_key_, episode_key_, time_key_;
  std::string out_;
  uint64_t lines_ = 0;
};

// Writes content to path via a `.tmp` sibling renamed into place; creates the
// parent folder. IoError naming the path on failure.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

}  // namespace earshot::generate
