#include "ingest/listens_mapper.h"

#include "formats/calendar.h"
#include "formats/value_parsers.h"

namespace earshot::ingest {

namespace {

// Our field names, in the order they are bound (config::ProviderFields()).
enum Field { kDate, kMonth, kPodcast, kEpisode, kListens, kEventId, kListenedAt };
// raw.listens columns.
enum Col { cIngest, cLine, cProvider, cDelivery, cPeriod, cPodcast, cEpisode, cListens, cEventId, cListenedAt };

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;

// A value in a reject's message: at most 64 bytes, never cut inside a character.
std::string Shown(std::string_view v) { return "'" + formats::SafeText(v, 64) + "'"; }

}  // namespace

Result<std::unique_ptr<ListensMapper>> ListensMapper::Open(const std::filesystem::path& path,
                                                           const config::Provider& provider, int32_t ingest_id) {
  std::vector<std::string> names;
  for (const std::string& ours : config::ProviderFields()) names.push_back(provider.TheirField(ours));
  const RecordFormat format = provider.format == config::FileFormat::kCsv ? RecordFormat::kCsv : RecordFormat::kJson;
  EARSHOT_ASSIGN_OR_RETURN(auto reader, FieldReader::Open(path, format, names));
  auto has = [&](Field f) { return reader->HasColumn(f); };
  const bool counts = has(kListens) && (has(kDate) || has(kMonth));
  const bool events = has(kEventId) && has(kListenedAt);
  std::string missing;
  if (!has(kPodcast)) missing = names[kPodcast];
  if (provider.granularity == config::Granularity::kEpisode && !has(kEpisode)) {
    missing += (missing.empty() ? "" : ", ") + names[kEpisode];
  }
  if (!counts && !events) {
    missing += std::string(missing.empty() ? "" : ", ") + names[kListens] + " with " + names[kDate] + " or " +
               names[kMonth] + " (or " + names[kEventId] + " with " + names[kListenedAt] + ")";
  }
  if (!missing.empty()) {
    return Status::DataError(
        path.string() + ":" + std::to_string(reader->header_line()) + ": the header lacks required column(s) " +
        missing + " (code missing_column) for provider " + provider.name + " (declared format " +
        std::string(config::FileFormatName(provider.format)) + ", granularity " +
        std::string(config::GranularityName(provider.granularity)) +
        "). Check the file, or the provider's [providers." + provider.name + ".mapping] in earshot.toml");
  }
  return std::unique_ptr<ListensMapper>(new ListensMapper(std::move(reader), provider, ingest_id));
}

RecordOutcome ListensMapper::Refuse(Reject& reject, const char* field, const char* code, std::string message) const {
  reject.column = field;
  reject.code = code;
  reject.message = std::move(message);
  return RecordOutcome::kRejected;
}

Result<RecordOutcome> ListensMapper::Next(warehouse::RowBatch& batch, Reject& reject) {
  EARSHOT_ASSIGN_OR_RETURN(RecordOutcome outcome, reader_->Next(reject));
  if (outcome != RecordOutcome::kAccepted) return outcome;
  auto value = [&](Field f) -> std::string_view { return reader_->Field(f).value_or(std::string_view()); };
  auto name = [&](Field f) { return provider_.TheirField(config::ProviderFields()[f]); };

  const std::string_view date = value(kDate);
  const std::string_view month = value(kMonth);
  const std::string_view listened_at = value(kListenedAt);
  const std::string_view event_id = value(kEventId);
  const char* delivery = nullptr;
  if (!date.empty()) {
    delivery = "daily";
  } else if (!month.empty()) {
    delivery = "monthly";
  } else if (!listened_at.empty() || !event_id.empty()) {
    delivery = "instant";
  } else {
    return Refuse(reject, name(kDate).c_str(), "missing_field",
                   "no period: a daily row needs " + name(kDate) + ", a monthly row " + name(kMonth) +
                       ", an instant event " + name(kEventId) + " and " + name(kListenedAt));
  }
  const std::string_view podcast = value(kPodcast);
  if (podcast.empty()) return Refuse(reject, name(kPodcast).c_str(), "missing_field", name(kPodcast) + " is empty");
  const bool per_episode = provider_.granularity == config::Granularity::kEpisode;
  const std::string_view episode = value(kEpisode);
  if (per_episode && episode.empty()) {
    return Refuse(reject, name(kEpisode).c_str(), "missing_field",
                   name(kEpisode) + " is empty (provider " + provider_.name + " reports per episode)");
  }

  int32_t period = 0;
  int64_t listens = 1;
  std::optional<int64_t> at;
  if (delivery[0] == 'i') {
    if (event_id.empty()) return Refuse(reject, name(kEventId).c_str(), "missing_field", name(kEventId) + " is empty");
    at = formats::ParseTimestamp(listened_at);
    if (!at) {
      return Refuse(reject, name(kListenedAt).c_str(), listened_at.empty() ? "missing_field" : "invalid_timestamp",
                     listened_at.empty() ? name(kListenedAt) + " is empty"
                                         : Shown(listened_at) + " is not an ISO-8601 timestamp or Unix epoch time");
    }
    int64_t day = *at / kMicrosPerDay;
    if (*at < 0 && *at % kMicrosPerDay != 0) --day;
    period = static_cast<int32_t>(day);
  } else {
    auto parsed = delivery[0] == 'd' ? formats::ParseDate(date) : formats::ParseMonth(month);
    if (!parsed) {
      return delivery[0] == 'd'
                 ? Refuse(reject, name(kDate).c_str(), "invalid_date", Shown(date) + " is not a real YYYY-MM-DD date")
                 : Refuse(reject, name(kMonth).c_str(), "invalid_month", Shown(month) + " is not a YYYY-MM month");
    }
    period = *parsed;
    auto count_text = reader_->Field(kListens);
    if (!count_text || count_text->empty()) {
      return Refuse(reject, name(kListens).c_str(), "missing_field", name(kListens) + " is empty");
    }
    formats::CountError error;
    listens = formats::ParseCount(*count_text, error);
    switch (error) {
      case formats::CountError::kNone: break;
      case formats::CountError::kNotANumber:
        return Refuse(reject, name(kListens).c_str(), "invalid_number", Shown(*count_text) + " is not a whole number");
      case formats::CountError::kNegative:
        return Refuse(reject, name(kListens).c_str(), "negative_listens",
                       name(kListens) + " is negative (" + formats::SafeText(*count_text, 64) + ")");
      case formats::CountError::kOutOfRange:
        return Refuse(reject, name(kListens).c_str(), "number_out_of_range",
                       Shown(*count_text) + " is larger than 10^15 listens");
    }
  }

  size_t row = batch.AddRow();
  batch.SetInt64(cIngest, row, ingest_id_);
  batch.SetInt64(cLine, row, static_cast<int64_t>(reject.line));
  batch.SetString(cProvider, row, provider_.name);
  batch.SetString(cDelivery, row, delivery);
  batch.SetInt64(cPeriod, row, period);
  batch.SetString(cPodcast, row, podcast);
  if (per_episode) batch.SetString(cEpisode, row, episode);
  batch.SetInt64(cListens, row, listens);
  if (at) {
    batch.SetString(cEventId, row, event_id);
    batch.SetInt64(cListenedAt, row, *at);
  }
  return RecordOutcome::kAccepted;
}

}  // namespace earshot::ingest
