#include "ingest/playlists_mapper.h"

#include <optional>
#include <unordered_set>
#include <string>
#include <vector>

#include "formats/value_parsers.h"

namespace earshot::ingest {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Columns of raw.recommendations.
enum Col { kIngest, kLine, kUser, kPlaylist, kPosition, kWork, kTitle, kComposer, kFirst };

// A scalar id as text: strings as they are, integers in decimal, other
// numbers in their shortest round-trip form. nullopt for anything else.
std::optional<std::string> IdText(element value) {
  switch (value.type()) {
    case element_type::STRING: return std::string(value.get_string().value_unsafe());
    case element_type::INT64: return std::to_string(value.get_int64().value_unsafe());
    case element_type::UINT64: return std::to_string(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: {
      std::string s = simdjson::minify(value);
      return s;
    }
    default: return std::nullopt;
  }
}

std::optional<std::string> FirstId(simdjson::dom::object obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    element v;
    if (obj.at_key(k).get(v) == simdjson::SUCCESS) {
      auto id = IdText(v);
      if (id && !formats::TrimAscii(*id).empty()) return std::string(formats::TrimAscii(*id));
      if (v.type() != element_type::NULL_VALUE) return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> OptionalString(simdjson::dom::object obj, const char* key) {
  std::string_view s;
  if (obj.at_key(key).get_string().get(s) == simdjson::SUCCESS) return s;
  return std::nullopt;
}

struct Item {
  std::string work_id;
  std::optional<std::string> title;
  std::optional<std::string> composer;
};

}  // namespace

Result<std::unique_ptr<PlaylistsMapper>> PlaylistsMapper::Open(const std::filesystem::path& path,
                                                               int32_t ingest_id) {
  EARSHOT_ASSIGN_OR_RETURN(auto reader, formats::LineReader::Open(path));
  std::unique_ptr<PlaylistsMapper> mapper(new PlaylistsMapper(std::move(reader), ingest_id));
  // A file without a single non-blank line is refused like an events.csv
  // without a header; the first line found is kept for Next().
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool any, mapper->reader_->Next(mapper->line_));
    if (!any) {
      return Status::DataError(path.string() +
                               ": empty file (code empty_file): playlists.ndjson needs one JSON object per line");
    }
    if (mapper->line_.too_large || !formats::TrimAscii(mapper->line_.text).empty()) break;
  }
  mapper->pending_ = true;
  return mapper;
}

Result<RecordOutcome> PlaylistsMapper::Next(warehouse::RowBatch& batch, Reject& reject) {
  while (true) {
    if (!pending_) {
      EARSHOT_ASSIGN_OR_RETURN(bool any, reader_->Next(line_));
      if (!any) return RecordOutcome::kEnd;
      if (!line_.too_large && formats::TrimAscii(line_.text).empty()) continue;  // blank lines are ignored
    }
    pending_ = false;
    std::string message;
    size_t rows_before = batch.size();
    const char* code = line_.too_large ? "line_too_large" : MapLine(batch, message);
    if (code == nullptr) return RecordOutcome::kAccepted;
    while (batch.size() > rows_before) batch.DropLastRow();
    reject.line = line_.number;
    reject.byte_offset = line_.byte_offset;
    reject.column = "";
    reject.code = code;
    reject.message = line_.too_large ? "the line is larger than the reader's limit" : message;
    // The warehouse stores only valid UTF-8: invalid bytes and NULs are escaped.
    reject.raw = formats::SafeText(line_.text, 4096);
    return RecordOutcome::kRejected;
  }
}

const char* PlaylistsMapper::MapLine(warehouse::RowBatch& batch, std::string& message) {
  if (!formats::IsValidUtf8(line_.text)) {
    message = "the line is not valid UTF-8";
    return "invalid_utf8";
  }
  padded_ = simdjson::padded_string(line_.text);
  element doc;
  if (auto err = parser_.parse(padded_).get(doc); err) {
    message = std::string("not valid JSON: ") + simdjson::error_message(err);
    return "invalid_json";
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    message = "the line is JSON but not an object";
    return "not_an_object";
  }
  std::optional<std::string> user = FirstId(obj, {"userId", "user_id", "user"});
  if (!user) {
    message = "no user id (looked for userId, user_id, user)";
    return "missing_user_id";
  }

  // Playlists: nested under "playlists", else personalized top-level keys.
  std::vector<std::pair<std::string, simdjson::dom::array>> playlists;
  simdjson::dom::object nested;
  bool has_nested = obj.at_key("playlists").get_object().get(nested) == simdjson::SUCCESS;
  for (auto field : has_nested ? nested : obj) {
    auto name = formats::PersonalizedPlaylistName(field.key);
    if (!name) continue;
    simdjson::dom::array items;
    if (field.value.get_array().get(items) != simdjson::SUCCESS) {
      message = "playlist '" + formats::SafeText(field.key, 64) + "' is not an array";
      return "invalid_playlist";
    }
    playlists.emplace_back(*name, items);
  }

  const int64_t line_no = static_cast<int64_t>(line_.number);
  auto add_row = [&]() {
    size_t r = batch.AddRow();
    batch.SetInt64(kIngest, r, ingest_id_);
    batch.SetInt64(kLine, r, line_no);
    batch.SetString(kUser, r, *user);
    return r;
  };
  add_row();  // the line's marker row: playlist NULL
  std::unordered_set<std::string> seen_works;
  for (const auto& [name, items] : playlists) {
    seen_works.clear();
    int32_t position = 0;
    for (element item : items) {
      ++position;
      Item parsed;
      if (item.is_object()) {
        simdjson::dom::object io = item.get_object().value_unsafe();
        auto id = FirstId(io, {"workId", "work_id", "id"});
        if (!id) {
          message = name + " item " + std::to_string(position) + " has no work id (workId, work_id or id)";
          return "missing_work_id";
        }
        parsed.work_id = *id;
        if (auto t = OptionalString(io, "title")) parsed.title = std::string(*t);
        if (auto c = OptionalString(io, "composer")) parsed.composer = std::string(*c);
      } else if (auto id = IdText(item); id && !formats::TrimAscii(*id).empty()) {
        parsed.work_id = std::string(formats::TrimAscii(*id));
      } else {
        message = name + " item " + std::to_string(position) + " is neither a work id nor an object";
        return "invalid_item";
      }
      size_t r = add_row();
      batch.SetString(kPlaylist, r, name);
      batch.SetInt64(kPosition, r, position);
      batch.SetString(kWork, r, parsed.work_id);
      if (parsed.title) batch.SetString(kTitle, r, *parsed.title);
      if (parsed.composer) batch.SetString(kComposer, r, *parsed.composer);
      // A work listed twice in one playlist keeps its first position.
      batch.SetBool(kFirst, r, seen_works.insert(parsed.work_id).second);
    }
  }
  return nullptr;
}

}  // namespace earshot::ingest
