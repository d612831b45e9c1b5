#include "ingest/events_mapper.h"

#include <cstring>

#include "formats/value_parsers.h"

namespace earshot::ingest {

namespace {

struct FieldSpec {
  const char* header;      // as the contract names it
  const char* normalized;  // NormalizeHeaderName(header)
  bool required;
};

constexpr FieldSpec kFields[] = {
    {"eventId", "eventid", false},          {"timestamp", "timestamp", true},
    {"userId", "userid", true},             {"trackId", "trackid", false},
    {"workId", "workid", false},            {"listeningContext", "listeningcontext", true},
    {"secondsStreamed", "secondsstreamed", true},
};

// raw.events column of each contract field.
constexpr size_t kColumnOf[] = {2, 3, 4, 5, 6, 7, 8};

// The raw text of a reject: its first 4 KiB, as safe text (invalid UTF-8 and
// NUL bytes escaped), since the warehouse stores only valid UTF-8.
std::string Truncated(std::string_view raw) {
  constexpr size_t kMaxRaw = 4096;
  return formats::SafeText(raw, kMaxRaw);
}

// A value quoted in a message: at most 64 bytes, never cut inside a character.
std::string Shown(std::string_view value) { return formats::SafeText(value, 64); }

// secondsStreamed above this (366 days) is no stream: such values, up to
// 1.8e308, used to be accepted and summed to infinity in the marts.
constexpr double kMaxSecondsStreamed = 366.0 * 24 * 3600;

}  // namespace

Result<std::unique_ptr<EventsMapper>> EventsMapper::Open(const std::filesystem::path& path, int32_t ingest_id) {
  EARSHOT_ASSIGN_OR_RETURN(auto reader, formats::CsvReader::Open(path));
  std::unique_ptr<EventsMapper> mapper(new EventsMapper(std::move(reader), ingest_id));
  EARSHOT_RETURN_IF_ERROR(mapper->BindHeader(path));
  return mapper;
}

Status EventsMapper::BindHeader(const std::filesystem::path& path) {
  EARSHOT_ASSIGN_OR_RETURN(bool any, reader_->Next(record_));
  if (!any) {
    return Status::DataError(path.string() + ": empty file (code empty_file): events.csv needs a header row");
  }
  const std::string where = path.string() + ":" + std::to_string(record_.line);
  if (!formats::IsValidUtf8(record_.raw)) {
    return Status::DataError(where + ": the header is not valid UTF-8 (code invalid_utf8)");
  }
  header_fields_ = record_.fields.size();
  std::vector<std::string> seen;
  for (size_t i = 0; i < record_.fields.size(); ++i) {
    std::string name = formats::NormalizeHeaderName(record_.fields[i]);
    for (const std::string& s : seen) {
      if (!name.empty() && s == name) {
        return Status::DataError(where + ": column '" + Shown(record_.fields[i]) +
                                 "' appears twice in the header (code duplicate_header)");
      }
    }
    seen.push_back(name);
    for (int f = 0; f < kFieldCount; ++f) {
      if (name == kFields[f].normalized) index_[f] = static_cast<int>(i);
    }
  }
  std::string missing;
  for (int f = 0; f < kFieldCount; ++f) {
    if (kFields[f].required && index_[f] < 0) missing += (missing.empty() ? "" : ", ") + std::string(kFields[f].header);
  }
  if (!missing.empty()) {
    return Status::DataError(where + ": the header lacks required column(s) " + missing +
                             " (code missing_column). Expected a CSV header with eventId, timestamp, "
                             "userId, trackId, workId, listeningContext, secondsStreamed; found: " +
                             Truncated(record_.raw));
  }
  return Status::Ok();
}

void EventsMapper::Fill(Reject& reject, const char* column, const char* code, std::string message) const {
  reject.line = record_.line;
  reject.byte_offset = record_.byte_offset;
  reject.column = column;
  reject.code = code;
  reject.message = std::move(message);
  reject.raw = Truncated(record_.raw);
}

Result<RecordOutcome> EventsMapper::Next(warehouse::RowBatch& batch, Reject& reject) {
  EARSHOT_ASSIGN_OR_RETURN(bool any, reader_->Next(record_));
  if (!any) return RecordOutcome::kEnd;

  if (record_.flaw == formats::CsvFlaw::kUnterminatedQuote) {
    Fill(reject, "", "unterminated_quote", "a quoted field is never closed before the end of the file");
    return RecordOutcome::kRejected;
  }
  if (record_.flaw == formats::CsvFlaw::kRecordTooLarge) {
    Fill(reject, "", "record_too_large", "the record is larger than the reader's limit");
    return RecordOutcome::kRejected;
  }
  if (record_.fields.size() != header_fields_) {
    Fill(reject, "", "field_count_mismatch",
         "expected " + std::to_string(header_fields_) + " fields as in the header, found " +
             std::to_string(record_.fields.size()));
    return RecordOutcome::kRejected;
  }
  if (std::memchr(record_.raw.data(), '\0', record_.raw.size()) != nullptr) {
    Fill(reject, "", "nul_byte", "the record contains a NUL byte");
    return RecordOutcome::kRejected;
  }
  if (!formats::IsValidUtf8(record_.raw)) {
    Fill(reject, "", "invalid_utf8", "the record is not valid UTF-8");
    return RecordOutcome::kRejected;
  }

  std::string_view values[kFieldCount];
  for (int f = 0; f < kFieldCount; ++f) {
    if (index_[f] >= 0) values[f] = formats::TrimAscii(record_.fields[static_cast<size_t>(index_[f])]);
    if (kFields[f].required && values[f].empty()) {
      Fill(reject, kFields[f].header, "missing_field", std::string(kFields[f].header) + " is empty");
      return RecordOutcome::kRejected;
    }
  }
  auto ts = formats::ParseTimestamp(values[kTimestamp]);
  if (!ts) {
    Fill(reject, "timestamp", "invalid_timestamp",
         "'" + Shown(values[kTimestamp]) +
             "' is not an ISO-8601 timestamp or Unix epoch seconds/milliseconds");
    return RecordOutcome::kRejected;
  }
  auto seconds = formats::ParseDecimal(values[kSeconds]);
  if (!seconds) {
    Fill(reject, "secondsStreamed", "invalid_number",
         "'" + Shown(values[kSeconds]) + "' is not a number");
    return RecordOutcome::kRejected;
  }
  if (*seconds < 0) {
    Fill(reject, "secondsStreamed", "negative_seconds",
         "secondsStreamed is negative (" + Shown(values[kSeconds]) + ")");
    return RecordOutcome::kRejected;
  }
  if (*seconds > kMaxSecondsStreamed) {
    Fill(reject, "secondsStreamed", "seconds_out_of_range",
         "secondsStreamed " + Shown(values[kSeconds]) + " is more than a stream can last (366 days)");
    return RecordOutcome::kRejected;
  }

  if (!values[kEventId].empty()) seen_.Add(values[kEventId]);
  size_t row = batch.AddRow();
  batch.SetInt64(0, row, ingest_id_);
  batch.SetInt64(1, row, static_cast<int64_t>(record_.line));
  for (int f : {kEventId, kUserId, kTrackId, kWorkId}) {
    if (!values[f].empty()) batch.SetString(kColumnOf[f], row, values[f]);
  }
  // The context is kept as sent (untrimmed): the models canonicalise it.
  batch.SetString(kColumnOf[kContext], row, record_.fields[static_cast<size_t>(index_[kContext])]);
  batch.SetInt64(kColumnOf[kTimestamp], row, *ts);
  batch.SetDouble(kColumnOf[kSeconds], row, *seconds);
  return RecordOutcome::kAccepted;
}

}  // namespace earshot::ingest
