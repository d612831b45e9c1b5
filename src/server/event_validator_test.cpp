#include "server/event_validator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ingest/listens_mapper.h"
#include "ingest/raw_schema.h"

namespace earshot::server {
namespace {

config::Provider Ember() {
  config::Provider p;
  p.name = "ember";
  p.granularity = config::Granularity::kEpisode;
  p.deliveries = {config::Delivery::kInstant};
  p.format = config::FileFormat::kNdjson;
  p.mapping = {{"event_id", "id"}, {"podcast_id", "podcast"}, {"episode_id", "episode"}, {"listened_at", "ts"}};
  return p;
}

struct Case {
  const char* line;
  const char* code;  // nullptr: accepted
  const char* event_id_or_field;
};

// Must-pass lines beside must-fail ones, each failure with its code and field.
const Case kCases[] = {
    {R"({"id":"e1","podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z"})", nullptr, "e1"},
    {R"({"id":42,"podcast":"p","episode":"x","ts":1736071200})", nullptr, "42"},
    {R"({"ID":" e2 ","Podcast":"p","EPISODE":"x","ts":"2025-01-05 10:00:00+02:00","extra":{"a":1}})", nullptr, "e2"},
    {R"({"id":"e3","podcast":"p","episode":"x","ts":"1736071200000","provider":"ember"})", nullptr, "e3"},
    {R"({"i_d":"alias","id":"exact","podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z"})", nullptr, "exact"},
    {"\xff\xfe", "invalid_utf8", ""},
    {"not json", "invalid_json", ""},
    {R"({"id":"e1","podcast":"p")", "invalid_json", ""},
    {"[1,2]", "not_an_object", ""},
    {R"("just a string")", "not_an_object", ""},
    {R"({"id":{"nested":1},"podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z"})", "invalid_value", "id"},
    {R"({"id":"e1","podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z","rows":[1]})", "invalid_value", "rows"},
    {R"({"date":"2025-01-05","podcast":"p","episode":"x","listens":3})", "not_an_event", "date"},
    {R"({"month":"2025-01","podcast":"p","episode":"x","listens":3})", "not_an_event", "month"},
    {R"({"podcast":"p","episode":"x"})", "missing_field", "id"},
    {R"({"id":"e1","episode":"x","ts":"2025-01-05T10:00:00Z"})", "missing_field", "podcast"},
    {R"({"id":"e1","podcast":"p","ts":"2025-01-05T10:00:00Z"})", "missing_field", "episode"},
    {R"({"id":"e1","podcast":"p","episode":null,"ts":"2025-01-05T10:00:00Z"})", "missing_field", "episode"},
    {R"({"id":"","podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z"})", "missing_field", "id"},
    {R"({"id":"e1","podcast":"p","episode":"x"})", "missing_field", "ts"},
    {R"({"id":"e1","podcast":"p","episode":"x","ts":"2025-02-30T10:00:00Z"})", "invalid_timestamp", "ts"},
    {R"({"id":"e1","podcast":"p","episode":"x","ts":"yesterday"})", "invalid_timestamp", "ts"},
};

TEST(EventValidator, AcceptsAndRefusesWithStableCodes) {
  EventValidator v(Ember());
  for (const Case& c : kCases) {
    LineCheck check;
    const bool ok = v.Check(c.line, check);
    if (c.code == nullptr) {
      EXPECT_TRUE(ok) << c.line << ": " << kLineErrorCodes[check.code] << " " << check.message;
      EXPECT_EQ(check.event_id, c.event_id_or_field) << c.line;
    } else {
      EXPECT_FALSE(ok) << c.line;
      EXPECT_EQ(kLineErrorCodes[check.code], c.code) << c.line << ": " << check.message;
      EXPECT_EQ(check.field, c.event_id_or_field) << c.line;
    }
  }
}

TEST(EventValidator, ClaimOfAnotherProviderIsReported) {
  EventValidator v(Ember());
  LineCheck check;
  v.Check(R"({"id":"e1","podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z","provider":"other"})", check);
  EXPECT_EQ(check.claimed_provider, "other");
  v.Check(R"({"id":"e1","podcast":"p","ts":"bad","Provider":"other"})", check);
  EXPECT_EQ(check.claimed_provider, "other") << "even on a line refused for another reason";
  v.Check(R"({"id":"e1","podcast":"p","episode":"x","ts":"2025-01-05T10:00:00Z","provider":"ember"})", check);
  EXPECT_EQ(check.claimed_provider, "");
}

TEST(EventValidator, PodcastGranularityNeedsNoEpisode) {
  config::Provider p = Ember();
  p.granularity = config::Granularity::kPodcast;
  EventValidator v(p);
  LineCheck check;
  EXPECT_TRUE(v.Check(R"({"id":"e1","podcast":"p","ts":"2025-01-05T10:00:00Z"})", check)) << check.message;
}

// The loader reads a segment with FieldReader + ListensMapper: every line
// this validator accepts must load, and every line it refuses would be
// rejected by the loader with the same code (except the two rules that only
// apply to events sent over HTTP).
TEST(EventValidator, AgreesWithTheLoader) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("earshot-validator-" + std::to_string(::getpid()) + ".ndjson");
  std::ofstream out(file, std::ios::binary);
  for (const Case& c : kCases) out << c.line << "\n";
  out.close();
  const config::Provider ember = Ember();  // the mapper keeps a reference
  auto mapper = ingest::ListensMapper::Open(file, ember, 1);
  ASSERT_TRUE(mapper.ok()) << mapper.status().message();
  warehouse::RowBatch batch(ingest::RawColumns(ingest::Source::kListens), 64);
  EventValidator v(Ember());
  for (const Case& c : kCases) {
    ingest::Reject reject;
    auto outcome = (*mapper)->Next(batch, reject);
    ASSERT_TRUE(outcome.ok());
    ASSERT_NE(*outcome, ingest::RecordOutcome::kEnd) << c.line;
    LineCheck check;
    const bool ok = v.Check(c.line, check);
    const std::string code = ok ? "" : std::string(kLineErrorCodes[check.code]);
    if (code == "not_an_event" || (code == "invalid_value" && check.field == "rows")) continue;
    EXPECT_EQ(*outcome == ingest::RecordOutcome::kAccepted, ok) << c.line << ": loader says " << reject.code;
    if (!ok && *outcome == ingest::RecordOutcome::kRejected) {
      EXPECT_EQ(reject.code, code) << c.line;
    }
  }
  std::filesystem::remove(file);
}

TEST(EventValidator, LinesOfABody) {
  std::vector<std::pair<uint64_t, std::string>> got;
  ForEachLine(
      "\xEF\xBB\xBF"
      "a\r\n\n  \t\nb  \nc",
      [&](uint64_t n, std::string_view l) { got.emplace_back(n, l); });
  const std::vector<std::pair<uint64_t, std::string>> want = {{1, "a"}, {4, "b"}, {5, "c"}};
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace earshot::server
