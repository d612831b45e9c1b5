#include "ingest/catalog_mapper.h"

#include <optional>

#include "formats/calendar.h"
#include "formats/value_parsers.h"

namespace earshot::ingest {

enum class CatalogValue { kText, kTimestamp };

struct CatalogField {
  const char* name;
  CatalogValue kind;
  bool required;
};

struct CatalogMapper::Spec {
  Source source;
  std::vector<CatalogField> fields;  // raw table columns after ingest_id, line
};

namespace {

const std::vector<CatalogMapper::Spec*>& Specs() {
  using V = CatalogValue;
  static CatalogMapper::Spec podcasts{Source::kPodcasts,
                                      {{"podcast_id", V::kText, true}, {"title", V::kText, false},
                                       {"publisher", V::kText, false}}};
  static CatalogMapper::Spec episodes{Source::kEpisodes,
                                      {{"episode_id", V::kText, true}, {"podcast_id", V::kText, false},
                                       {"title", V::kText, false}, {"published_at", V::kTimestamp, false}}};
  static CatalogMapper::Spec creators{Source::kCreators,
                                      {{"creator_id", V::kText, true}, {"name", V::kText, false}}};
  static CatalogMapper::Spec credits{Source::kEpisodeCredits,
                                     {{"episode_id", V::kText, true}, {"creator_id", V::kText, true},
                                      {"role", V::kText, false}}};
  static const std::vector<CatalogMapper::Spec*> all = {&podcasts, &episodes, &creators, &credits};
  return all;
}

RecordFormat FormatOf(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json" || ext == ".ndjson" || ext == ".jsonl" ? RecordFormat::kJson : RecordFormat::kCsv;
}

}  // namespace

Result<std::unique_ptr<CatalogMapper>> CatalogMapper::Open(const std::filesystem::path& path, Source source,
                                                           int32_t ingest_id) {
  const Spec* spec = nullptr;
  for (const Spec* s : Specs()) {
    if (s->source == source) spec = s;
  }
  if (spec == nullptr) return Status::Invalid(std::string(SourceName(source)) + " is not a catalog source");
  std::vector<std::string> names;
  for (const CatalogField& f : spec->fields) names.emplace_back(f.name);
  EARSHOT_ASSIGN_OR_RETURN(auto reader, FieldReader::Open(path, FormatOf(path), names));
  std::string missing;
  for (size_t i = 0; i < spec->fields.size(); ++i) {
    if (spec->fields[i].required && !reader->HasColumn(i)) {
      missing += (missing.empty() ? "" : ", ") + std::string(spec->fields[i].name);
    }
  }
  if (!missing.empty()) {
    std::string expected;
    for (const CatalogField& f : spec->fields) expected += (expected.empty() ? "" : ", ") + std::string(f.name);
    return Status::DataError(path.string() + ":" + std::to_string(reader->header_line()) +
                             ": the header lacks required column(s) " + missing + " (code missing_column). " +
                             std::string(SourceName(source)) + " needs a CSV header with " + expected);
  }
  return std::unique_ptr<CatalogMapper>(new CatalogMapper(std::move(reader), *spec, ingest_id));
}

Result<RecordOutcome> CatalogMapper::Next(warehouse::RowBatch& batch, Reject& reject) {
  EARSHOT_ASSIGN_OR_RETURN(RecordOutcome outcome, reader_->Next(reject));
  if (outcome != RecordOutcome::kAccepted) return outcome;
  const auto& fields = spec_.fields;
  std::vector<std::optional<int64_t>> times(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    auto value = reader_->Field(i);
    if (fields[i].required && (!value || value->empty())) {
      reject.column = fields[i].name;
      reject.code = "missing_field";
      reject.message = std::string(fields[i].name) + " is empty";
      return RecordOutcome::kRejected;
    }
    if (fields[i].kind == CatalogValue::kTimestamp && value && !value->empty()) {
      times[i] = formats::ParseTimestamp(*value);
      if (!times[i]) {
        if (auto day = formats::ParseDate(*value)) times[i] = static_cast<int64_t>(*day) * 86'400'000'000LL;
      }
      if (!times[i]) {
        reject.column = fields[i].name;
        reject.code = "invalid_timestamp";
        reject.message = "'" + formats::SafeText(*value, 64) + "' is not an ISO-8601 timestamp or YYYY-MM-DD date";
        return RecordOutcome::kRejected;
      }
    }
  }
  size_t row = batch.AddRow();
  batch.SetInt64(0, row, ingest_id_);
  reject.column.clear();
  batch.SetInt64(1, row, static_cast<int64_t>(reject.line));
  for (size_t i = 0; i < fields.size(); ++i) {
    if (times[i]) {
      batch.SetInt64(i + 2, row, *times[i]);
    } else if (auto value = reader_->Field(i); value && !value->empty() && fields[i].kind == CatalogValue::kText) {
      batch.SetString(i + 2, row, *value);
    }
  }
  return RecordOutcome::kAccepted;
}

}  // namespace earshot::ingest
