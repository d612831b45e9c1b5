// End-to-end tests of the playlists pipeline: each test runs the real
// `earshot` binary (EARSHOT_BINARY) in a fresh temporary project on a small
// fixture folder (EARSHOT_FIXTURES/playlists/<case>/) and checks the outcome
// through `earshot query --format json` and `earshot status --format json`.
// Every expected value is computed by hand from the fixture (the arithmetic is
// in the comment beside it) against shared/contracts/playlists.md, never
// copied from the program's output.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"

namespace earshot::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr double kShareTolerance = 1e-9;

std::string Fixture(const std::string& relative) {
  return std::string(EARSHOT_FIXTURES) + "/playlists/" + relative;
}

// The numbers of one "ingest #N (source) R rows in: A accepted, J rejected,
// D duplicates" summary line.
struct IngestSummary {
  int64_t id = 0;
  std::string source;
  int64_t rows_in = -1, accepted = -1, rejected = -1, duplicates = -1;
};

int64_t ParseCount(std::string text) {
  std::erase(text, ',');
  return std::stoll(text);
}

std::vector<IngestSummary> ParseIngestSummaries(const std::string& out) {
  static const std::regex kLine(
      R"(ingest #(\d+) \((\w+)\) ([\d,]+) rows in: ([\d,]+) accepted, ([\d,]+) rejected, ([\d,]+) duplicates)");
  std::vector<IngestSummary> summaries;
  for (std::sregex_iterator it(out.begin(), out.end(), kLine), end; it != end; ++it) {
    const std::smatch& m = *it;
    summaries.push_back({std::stoll(m[1]), m[2], ParseCount(m[3]), ParseCount(m[4]), ParseCount(m[5]),
                         ParseCount(m[6])});
  }
  return summaries;
}

class PlaylistsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "earshot-e2e-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "cannot create a temporary folder";
    root_ = pattern;
    project_ = (root_ / "project").string();
    CommandResult init = Earshot({"init", project_});
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }

  void TearDown() override {
    // Case 15: rows_in = accepted + rejected + duplicates for every ingest of
    // every test, checked once here.
    if (ingested_) ExpectEveryIngestBalances();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  CommandResult Earshot(std::vector<std::string> args) {
    args.insert(args.begin(), EARSHOT_BINARY);
    return RunCommand(args);
  }

  // Ingests `paths` (absolute) in one command; `source` empty: sniffed.
  CommandResult IngestPaths(const std::vector<std::string>& paths, const std::string& source = "") {
    std::vector<std::string> args = {"ingest", "--project", project_};
    args.insert(args.end(), paths.begin(), paths.end());
    if (!source.empty()) {
      args.push_back("--source");
      args.push_back(source);
    }
    CommandResult r = Earshot(args);
    if (r.exit_code == 0) ingested_ = true;
    return r;
  }

  // Ingests fixture files (relative to fixtures/playlists) and expects success.
  std::vector<IngestSummary> Ingest(const std::vector<std::string>& fixtures, const std::string& source = "") {
    std::vector<std::string> paths;
    for (const std::string& f : fixtures) paths.push_back(Fixture(f));
    CommandResult r = IngestPaths(paths, source);
    EXPECT_EQ(r.exit_code, 0) << "ingest failed\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
    auto summaries = ParseIngestSummaries(r.out);
    EXPECT_EQ(summaries.size(), fixtures.size()) << r.out;
    return summaries;
  }

  void Build() {
    CommandResult r = Earshot({"build", "--project", project_});
    ASSERT_EQ(r.exit_code, 0) << "build failed\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
  }

  static json ParseJson(const CommandResult& r, const std::string& what) {
    if (r.exit_code != 0) {
      ADD_FAILURE() << what << " exited " << r.exit_code << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
      return json::array();
    }
    json parsed = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      ADD_FAILURE() << what << " did not print valid JSON:\n" << r.out;
      return json::array();
    }
    return parsed;
  }

  // Rows of a read-only query on the published marts.
  json Query(const std::string& sql) {
    return ParseJson(Earshot({"query", "--project", project_, sql, "--format", "json"}), "query `" + sql + "`");
  }

  json Status() {
    json s = ParseJson(Earshot({"status", "--project", project_, "--format", "json"}), "status");
    return s.is_object() ? s : json::object({{"ingests", json::array()}});
  }

  json Rejects(int64_t ingest_id) {
    return ParseJson(Earshot({"status", "--project", project_, "--rejects", std::to_string(ingest_id), "--format",
                              "json"}),
                     "status --rejects " + std::to_string(ingest_id));
  }

  json IngestRow(int64_t ingest_id) {
    const json ingests = Status()["ingests"];
    for (const json& row : ingests) {
      if (row["ingest_id"] == ingest_id) return row;
    }
    ADD_FAILURE() << "no ingest #" << ingest_id << " in status";
    return json::object();
  }

  // The counts an ingest reported, as the summary line and as `status` says.
  void ExpectCounts(const IngestSummary& s, int64_t rows_in, int64_t accepted, int64_t rejected,
                    int64_t duplicates) {
    EXPECT_EQ(s.rows_in, rows_in) << "ingest #" << s.id;
    EXPECT_EQ(s.accepted, accepted) << "ingest #" << s.id;
    EXPECT_EQ(s.rejected, rejected) << "ingest #" << s.id;
    EXPECT_EQ(s.duplicates, duplicates) << "ingest #" << s.id;
    json row = IngestRow(s.id);
    EXPECT_EQ(row.value("rows_in", json()), rows_in) << row;
    EXPECT_EQ(row.value("accepted", json()), accepted) << row;
    EXPECT_EQ(row.value("rejected", json()), rejected) << row;
    EXPECT_EQ(row.value("duplicates", json()), duplicates) << row;
    EXPECT_EQ(row.value("status", json()), "loaded") << row;
  }

  void ExpectEveryIngestBalances() {
    json status = Status();
    for (const json& row : status["ingests"]) {
      if (row["rows_in"].is_null()) {
        // A failed ingest loaded nothing: no counts at all.
        EXPECT_NE(row["status"], "loaded") << row;
        EXPECT_TRUE(row["accepted"].is_null() || row["accepted"] == 0) << row;
        continue;
      }
      EXPECT_EQ(row["rows_in"].get<int64_t>(), row["accepted"].get<int64_t>() + row["rejected"].get<int64_t>() +
                                                   row["duplicates"].get<int64_t>())
          << "rows_in != accepted + rejected + duplicates for " << row;
    }
  }

  // One row of playlist_popularity, by playlist name.
  void ExpectPopularity(const json& rows, const std::string& playlist, double seconds, int64_t streams,
                        int64_t listeners, double share) {
    for (const json& row : rows) {
      if (row["playlist"] != playlist) continue;
      EXPECT_DOUBLE_EQ(row["seconds_streamed"].get<double>(), seconds) << row;
      EXPECT_EQ(row["streams"], streams) << row;
      EXPECT_EQ(row["listeners"], listeners) << row;
      EXPECT_NEAR(row["share_of_seconds"].get<double>(), share, kShareTolerance) << row;
      return;
    }
    ADD_FAILURE() << "no playlist_popularity row for " << playlist << " in " << rows.dump(1);
  }

  json Popularity() { return Query("SELECT * FROM playlist_popularity ORDER BY playlist"); }

  // Compares row by row, so a failure names the row that differs.
  static void ExpectRows(const json& actual, const json& expected) {
    ASSERT_EQ(actual.size(), expected.size()) << "actual:\n" << actual.dump(1) << "\nexpected:\n" << expected.dump(1);
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << "row " << i;
  }

  fs::path root_;
  std::string project_;
  bool ingested_ = false;
};

// ---------------------------------------------------------------------------
// 1, 2: which listening contexts are personalized playlists.

// contexts/events.csv: c01..c06 and c12..c17 use look-alike contexts
// (playlist, playlist_, playlist_01a, curated_playlist_17, user_playlist_01,
// album, user_playlist, search, radio, recording, playlist_1_2,
// "my playlist_01"); c07 is " Playlist_03 "; c08..c11 are playlist_1 /
// playlist_01 / PLAYLIST_1.
TEST_F(PlaylistsE2E, NonPersonalizedContextsAreExcludedAndSpacedCapitalisedOneCounts) {
  auto s = Ingest({"contexts/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  ExpectCounts(s[0], 17, 17, 0, 0);
  Build();

  json streams = Query("SELECT event_id, playlist FROM personalized_playlist_streams ORDER BY event_id");
  ExpectRows(streams, json::parse(R"([
    {"event_id": "c07", "playlist": "playlist_03"},
    {"event_id": "c08", "playlist": "playlist_1"},
    {"event_id": "c09", "playlist": "playlist_01"},
    {"event_id": "c10", "playlist": "playlist_01"},
    {"event_id": "c11", "playlist": "playlist_1"}
  ])"));
  EXPECT_EQ(Query("SELECT DISTINCT playlist FROM personalized_playlists ORDER BY playlist"),
            json::parse(R"([{"playlist": "playlist_01"}, {"playlist": "playlist_03"}, {"playlist": "playlist_1"}])"));
  EXPECT_EQ(Query("SELECT playlist FROM playlist_popularity ORDER BY playlist"),
            json::parse(R"([{"playlist": "playlist_01"}, {"playlist": "playlist_03"}, {"playlist": "playlist_1"}])"));
  // " Playlist_03 " (c07, 7 s) is playlist_03 in personalized_playlists too.
  EXPECT_EQ(Query("SELECT user_id, work_id, streams, seconds_streamed FROM personalized_playlists "
                  "WHERE playlist = 'playlist_03'"),
            json::parse(R"([{"user_id": "u1", "work_id": "w1", "streams": 1, "seconds_streamed": 7.0}])"));
}

TEST_F(PlaylistsE2E, PlaylistOneAndPlaylistZeroOneAreDifferentPlaylists) {
  Ingest({"contexts/events.csv"});
  Build();
  json pop = Popularity();
  ASSERT_EQ(pop.size(), 3u) << pop.dump(1);
  // Personalized seconds: playlist_01 = c09 13 + c10 2 = 15 (u2, u3);
  // playlist_03 = c07 7 (u1); playlist_1 = c08 11 + c11 5 = 16 (u2, u1).
  // Total 15 + 7 + 16 = 38.
  ExpectPopularity(pop, "playlist_01", 15, 2, 2, 15.0 / 38.0);  // 0.394736842...
  ExpectPopularity(pop, "playlist_03", 7, 1, 1, 7.0 / 38.0);    // 0.184210526...
  ExpectPopularity(pop, "playlist_1", 16, 2, 2, 16.0 / 38.0);   // 0.421052631...
  // u2 streamed w2 from both: two rows with their own seconds.
  EXPECT_EQ(Query("SELECT playlist, streams, seconds_streamed FROM personalized_playlists "
                  "WHERE user_id = 'u2' ORDER BY playlist"),
            json::parse(R"([{"playlist": "playlist_01", "streams": 1, "seconds_streamed": 13.0},
                            {"playlist": "playlist_1", "streams": 1, "seconds_streamed": 11.0}])"));
}

// ---------------------------------------------------------------------------
// 3: RFC 4180 quoting in events.csv, and exact non-ASCII titles.

TEST_F(PlaylistsE2E, QuotedFieldsAndNonAsciiTitlesComeBackExact) {
  // events.csv: 6 records on 7 data lines (q4's trackId spans lines 5-6);
  // q5 (line 7) has -1 seconds.
  auto s = Ingest({"quoting/events.csv", "quoting/playlists.ndjson"});
  ASSERT_EQ(s.size(), 2u);
  ExpectCounts(s[0], 6, 5, 1, 0);
  ExpectCounts(s[1], 2, 2, 0, 0);
  json rejects = Rejects(s[0].id);
  ASSERT_EQ(rejects.size(), 1u) << rejects.dump(1);
  EXPECT_EQ(rejects[0]["line"], 7);
  EXPECT_EQ(rejects[0]["error_code"], "negative_seconds");
  Build();

  ExpectRows(Query("SELECT user_id, position, work_id, work_title, composer, streams, seconds_streamed "
                   "FROM personalized_playlists WHERE user_id = 'smith, \"jj\"' ORDER BY position"),
             json::parse(R"([
    {"user_id": "smith, \"jj\"", "position": 1, "work_id": "w1", "work_title": "Symphony No. 5, \"Fate\"",
     "composer": "Beethoven", "streams": 1, "seconds_streamed": 20.0},
    {"user_id": "smith, \"jj\"", "position": 2, "work_id": "w4", "work_title": "Études, Op. 10 — «Tristesse» 悲愴 🎹",
     "composer": "Frédéric Chopin", "streams": 0, "seconds_streamed": 0.0}
  ])"));
  // The NDJSON title "Back\\slash \u00e9 \"q\"" decodes to: Back\slash é "q".
  ExpectRows(Query("SELECT user_id, playlist, work_title, composer, recommended, seconds_streamed "
                   "FROM personalized_playlist_streams WHERE event_id = 'q3'"),
             json::parse(R"([{"user_id": "Zoë ☕", "playlist": "playlist_02", "work_title": "Back\\slash é \"q\"",
                              "composer": "Dvořák", "recommended": true, "seconds_streamed": 5.0}])"));
  ExpectRows(Query("SELECT event_id, track_id FROM personalized_playlist_streams "
                   "WHERE event_id IN ('q2', 'q4') ORDER BY event_id"),
             json::parse(R"([{"event_id": "q2", "track_id": "track, \"live\""},
                             {"event_id": "q4", "track_id": "two\nlines"}])"));
  json pop = Popularity();
  ASSERT_EQ(pop.size(), 2u) << pop.dump(1);
  // playlist_01: q1 20 + q2 30 + q4 1.5 + q6 2 = 53.5, listeners smith,"jj" and u2;
  // playlist_02: q3 5. Total 58.5.
  ExpectPopularity(pop, "playlist_01", 53.5, 4, 2, 53.5 / 58.5);
  ExpectPopularity(pop, "playlist_02", 5, 1, 1, 5.0 / 58.5);
}

// ---------------------------------------------------------------------------
// 4: BOM + CRLF.

// crlf_bom/events.csv (bytes: BOM, CRLF; header starts with the required
// userId and ends with secondsStreamed so a kept BOM or CR breaks it):
//   line 1 @0   header (3 + 72 + 2 = 77 bytes)
//   line 2 @77  b1 ... 10        (47 + 2 bytes)
//   line 3 @126 b2 ... abc       (48 + 2)  invalid_number
//   line 4 @176 b3 ... 20.5      (49 + 2)
//   line 5 @227 b4 ... -3        (47 + 2)  negative_seconds
//   line 6 @276 blank            (2)
//   line 7 @278 b5 ... 4.5       (48 + 2)
//   line 8 @328 u3,b6,<ts>       field_count_mismatch
TEST_F(PlaylistsE2E, CrlfAndBomEventsKeepHeaderAndLineNumbers) {
  auto s = Ingest({"crlf_bom/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].source, "events");
  ExpectCounts(s[0], 6, 3, 3, 0);
  json rejects = Rejects(s[0].id);
  for (json& row : rejects) {
    // raw_text is the record without its line terminator: no CR left.
    EXPECT_EQ(row["raw_text"].get<std::string>().find('\r'), std::string::npos) << row;
    row.erase("message");
    row.erase("raw_text");
  }
  ExpectRows(rejects, json::parse(R"([
    {"line": 3, "byte_offset": 126, "column_name": "secondsStreamed", "error_code": "invalid_number"},
    {"line": 5, "byte_offset": 227, "column_name": "secondsStreamed", "error_code": "negative_seconds"},
    {"line": 8, "byte_offset": 328, "column_name": null, "error_code": "field_count_mismatch"}
  ])"));
  Build();
  ExpectRows(Query("SELECT event_id, user_id, seconds_streamed FROM personalized_playlist_streams ORDER BY event_id"),
             json::parse(R"([{"event_id": "b1", "user_id": "u1", "seconds_streamed": 10.0},
                             {"event_id": "b3", "user_id": "u2", "seconds_streamed": 20.5},
                             {"event_id": "b5", "user_id": "u3", "seconds_streamed": 4.5}])"));
  json pop = Popularity();
  // playlist_01: b1 10; playlist_02: b3 20.5 + b5 4.5 = 25 (u2, u3). Total 35.
  ExpectPopularity(pop, "playlist_01", 10, 1, 1, 10.0 / 35.0);
  ExpectPopularity(pop, "playlist_02", 25, 2, 2, 25.0 / 35.0);
}

// ---------------------------------------------------------------------------
// 5: timestamps.

TEST_F(PlaylistsE2E, EpochSecondsMillisecondsAndIsoAreTheSameUtcInstant) {
  auto s = Ingest({"timestamps/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  ExpectCounts(s[0], 9, 9, 0, 0);
  Build();
  // 2020-03-14T09:26:53Z = 1584144000 (2020-03-14 00:00Z) + 9*3600 + 26*60 + 53
  //                      = 1584178013 s. t1..t6 all spell it:
  //   1584178013, 1584178013000 ms, ...Z, 11:26:53+02:00, 04:56:53-04:30, 09:26:53.000Z.
  // t7 1584178013250 ms and t8 10:26:53.25+01:00 are 09:26:53.25Z.
  // t9 2020-03-15T01:00:00+02:00 = 2020-03-14 23:00:00Z = 1584144000 + 82800 = 1584226800 s.
  ExpectRows(Query("SELECT event_id, streamed_at, epoch_ms(streamed_at) AS ms FROM personalized_playlist_streams "
                   "ORDER BY event_id"),
             json::parse(R"([
    {"event_id": "t1", "streamed_at": "2020-03-14 09:26:53", "ms": 1584178013000},
    {"event_id": "t2", "streamed_at": "2020-03-14 09:26:53", "ms": 1584178013000},
    {"event_id": "t3", "streamed_at": "2020-03-14 09:26:53", "ms": 1584178013000},
    {"event_id": "t4", "streamed_at": "2020-03-14 09:26:53", "ms": 1584178013000},
    {"event_id": "t5", "streamed_at": "2020-03-14 09:26:53", "ms": 1584178013000},
    {"event_id": "t6", "streamed_at": "2020-03-14 09:26:53", "ms": 1584178013000},
    {"event_id": "t7", "streamed_at": "2020-03-14 09:26:53.25", "ms": 1584178013250},
    {"event_id": "t8", "streamed_at": "2020-03-14 09:26:53.25", "ms": 1584178013250},
    {"event_id": "t9", "streamed_at": "2020-03-14 23:00:00", "ms": 1584226800000}
  ])"));
  // u1: 1+2+3+4+5+6 = 21 s over 6 streams at one instant.
  ExpectRows(Query("SELECT user_id, streams, seconds_streamed, first_streamed_at, last_streamed_at "
                   "FROM personalized_playlists ORDER BY user_id"),
             json::parse(R"([
    {"user_id": "u1", "streams": 6, "seconds_streamed": 21.0,
     "first_streamed_at": "2020-03-14 09:26:53", "last_streamed_at": "2020-03-14 09:26:53"},
    {"user_id": "u2", "streams": 2, "seconds_streamed": 15.0,
     "first_streamed_at": "2020-03-14 09:26:53.25", "last_streamed_at": "2020-03-14 09:26:53.25"},
    {"user_id": "u3", "streams": 1, "seconds_streamed": 9.0,
     "first_streamed_at": "2020-03-14 23:00:00", "last_streamed_at": "2020-03-14 23:00:00"}
  ])"));
}

// ---------------------------------------------------------------------------
// 6: duplicate eventIds.

// duplicates/events.csv: d1 (10 s), d2 (20 s), d1 again (1000 s), two rows
// without eventId (u2, 5 s each, identical), d2 again (2000 s), d3 (album) twice.
// duplicates/events_later.csv: d1 again (3000 s), d9 (u3, 8 s), one more row
// without eventId (u2, 5 s).
TEST_F(PlaylistsE2E, DuplicateEventIdsKeepTheFirstAndRowsWithoutIdAreNeverDeduplicated) {
  auto s = Ingest({"duplicates/events.csv", "duplicates/events_later.csv"});
  ASSERT_EQ(s.size(), 2u);
  // File 1: 8 rows; duplicates d1 (line 4), d2 (line 7), d3 (line 9) = 3; 8 - 3 = 5 accepted.
  ExpectCounts(s[0], 8, 5, 0, 3);
  // File 2: 3 rows; d1 repeats file 1's d1 = 1 duplicate; 2 accepted.
  ExpectCounts(s[1], 3, 2, 0, 1);
  EXPECT_TRUE(Rejects(s[0].id).empty());
  EXPECT_TRUE(Rejects(s[1].id).empty());
  Build();

  ExpectRows(Query("SELECT event_id, streamed_at, seconds_streamed FROM personalized_playlist_streams "
                   "WHERE event_id IS NOT NULL ORDER BY event_id"),
             json::parse(R"([
    {"event_id": "d1", "streamed_at": "2021-04-01 12:00:00", "seconds_streamed": 10.0},
    {"event_id": "d2", "streamed_at": "2021-04-01 12:01:00", "seconds_streamed": 20.0},
    {"event_id": "d9", "streamed_at": "2021-04-02 12:01:00", "seconds_streamed": 8.0}
  ])"));
  EXPECT_EQ(Query("SELECT count(*) AS n, sum(seconds_streamed) AS s FROM personalized_playlist_streams "
                  "WHERE event_id IS NULL"),
            json::parse(R"([{"n": 3, "s": 15.0}])"));
  ExpectRows(Query("SELECT user_id, work_id, streams, seconds_streamed, first_streamed_at, last_streamed_at "
                   "FROM personalized_playlists ORDER BY user_id"),
             json::parse(R"([
    {"user_id": "u1", "work_id": "w1", "streams": 2, "seconds_streamed": 30.0,
     "first_streamed_at": "2021-04-01 12:00:00", "last_streamed_at": "2021-04-01 12:01:00"},
    {"user_id": "u2", "work_id": "w2", "streams": 3, "seconds_streamed": 15.0,
     "first_streamed_at": "2021-04-01 12:03:00", "last_streamed_at": "2021-04-02 12:02:00"},
    {"user_id": "u3", "work_id": "w3", "streams": 1, "seconds_streamed": 8.0,
     "first_streamed_at": "2021-04-02 12:01:00", "last_streamed_at": "2021-04-02 12:01:00"}
  ])"));
  json pop = Popularity();
  ASSERT_EQ(pop.size(), 1u) << pop.dump(1);
  // d1 10 + d2 20 + 5 + 5 + d9 8 + 5 = 53 s, 6 streams, u1 u2 u3.
  ExpectPopularity(pop, "playlist_01", 53, 6, 3, 1.0);
}

// ---------------------------------------------------------------------------
// 7, 8: bad values (fixtures named by error code).

TEST_F(PlaylistsE2E, NegativeSecondsRejectedWithLineNumbers) {
  auto s = Ingest({"rejects/negative_seconds/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  ExpectCounts(s[0], 4, 2, 2, 0);
  json rejects = Rejects(s[0].id);
  ASSERT_EQ(rejects.size(), 2u) << rejects.dump(1);
  // n2 (line 3) -5, n4 (line 5) -0.5.
  EXPECT_EQ(rejects[0]["line"], 3);
  EXPECT_EQ(rejects[0]["error_code"], "negative_seconds");
  EXPECT_EQ(rejects[0]["column_name"], "secondsStreamed");
  EXPECT_EQ(rejects[0]["raw_text"], "n2,2021-05-01T00:01:00Z,u1,t1,w1,playlist_01,-5");
  EXPECT_EQ(rejects[1]["line"], 5);
  EXPECT_EQ(rejects[1]["error_code"], "negative_seconds");
  Build();
  json pop = Popularity();
  // n1 10 + n3 0 = 10 s, 2 streams.
  ExpectPopularity(pop, "playlist_01", 10, 2, 1, 1.0);
}

TEST_F(PlaylistsE2E, NonNumericSecondsRejectedWithLineNumbers) {
  auto s = Ingest({"rejects/invalid_number/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  ExpectCounts(s[0], 6, 2, 4, 0);
  json rejects = Rejects(s[0].id);
  for (json& row : rejects) {
    row.erase("message");
    row.erase("raw_text");
    row.erase("byte_offset");
  }
  // abc (line 3), "1,5" (line 4), NaN (line 5): invalid_number; empty (line 7): missing_field.
  ExpectRows(rejects, json::parse(R"([
    {"line": 3, "column_name": "secondsStreamed", "error_code": "invalid_number"},
    {"line": 4, "column_name": "secondsStreamed", "error_code": "invalid_number"},
    {"line": 5, "column_name": "secondsStreamed", "error_code": "invalid_number"},
    {"line": 7, "column_name": "secondsStreamed", "error_code": "missing_field"}
  ])"));
  Build();
  // x1 12.5 + x5 7 = 19.5 s, u1 and u2.
  ExpectPopularity(Popularity(), "playlist_01", 19.5, 2, 2, 1.0);
}

TEST_F(PlaylistsE2E, TruncatedLastLineIsAFieldCountMismatch) {
  auto s = Ingest({"rejects/field_count_mismatch/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  ExpectCounts(s[0], 4, 2, 2, 0);
  json rejects = Rejects(s[0].id);
  ASSERT_EQ(rejects.size(), 2u) << rejects.dump(1);
  // f2 (line 3) has 8 fields; f4 (line 5, no newline, offset 223) has 3.
  EXPECT_EQ(rejects[0]["line"], 3);
  EXPECT_EQ(rejects[0]["error_code"], "field_count_mismatch");
  EXPECT_EQ(rejects[1]["line"], 5);
  EXPECT_EQ(rejects[1]["byte_offset"], 223);
  EXPECT_EQ(rejects[1]["error_code"], "field_count_mismatch");
  EXPECT_EQ(rejects[1]["raw_text"], "f4,2021-05-03T00:03:00Z,u1");
  Build();
  // f1 10 + f3 30 = 40 s, u1 and u2.
  ExpectPopularity(Popularity(), "playlist_01", 40, 2, 2, 1.0);
}

// ---------------------------------------------------------------------------
// 9, 16, 17: the full case.
//
// full/playlists.ndjson
//   line 1 alice (nested): playlist_01 = [w1 "Title One"/"Comp A", w2 "Title Two"/"Comp B"],
//                          playlist_02 = [w3 "Title Three"/no composer]
//   line 2 bob (user_id, top-level key, plain ids): playlist_01 = ["w5", 42]
//   line 3 carol (user): playlist_01 = ["w9"]                 -> superseded by line 5
//   line 4 blank
//   line 5 carol: playlist_01 = [{id w3 "Title Three"}, "w6"], playlist_03 = ["w7"]
//   line 6 not json                                            -> invalid_json
//   line 7 no user id                                          -> missing_user_id
// full/events.csv (13 rows, all accepted): alice e01..e05 (e04 album), bob
// e06..e08, carol e09..e10, dave (not in playlists.ndjson) e11..e13 (e13 search).

TEST_F(PlaylistsE2E, UsersMissingFromPlaylistsStillCountAsNotRecommended) {
  Ingest({"full/events.csv", "full/playlists.ndjson"});
  Build();
  ExpectRows(Query("SELECT event_id, playlist, work_id, seconds_streamed, recommended "
                   "FROM personalized_playlist_streams WHERE user_id = 'dave' ORDER BY event_id"),
             json::parse(R"([
    {"event_id": "e11", "playlist": "playlist_02", "work_id": "w10", "seconds_streamed": 45.0, "recommended": false},
    {"event_id": "e12", "playlist": "playlist_07", "work_id": "w8", "seconds_streamed": 15.0, "recommended": false}
  ])"));
  ExpectRows(Query("SELECT playlist, position, work_id, recommended, streams, seconds_streamed "
                   "FROM personalized_playlists WHERE user_id = 'dave' ORDER BY playlist"),
             json::parse(R"([
    {"playlist": "playlist_02", "position": null, "work_id": "w10", "recommended": false, "streams": 1,
     "seconds_streamed": 45.0},
    {"playlist": "playlist_07", "position": null, "work_id": "w8", "recommended": false, "streams": 1,
     "seconds_streamed": 15.0}
  ])"));
  json pop = Popularity();
  // playlist_07 exists only through dave; playlist_02 = alice e05 60 + dave e11 45 = 105.
  // Total 430.5 (see PersonalizedPlaylistsComputedByHand).
  ExpectPopularity(pop, "playlist_02", 105, 2, 2, 105.0 / 430.5);
  ExpectPopularity(pop, "playlist_07", 15, 1, 1, 15.0 / 430.5);
}

TEST_F(PlaylistsE2E, BusinessQuestionReturnsTheRecommendedWorksInOrder) {
  auto s = Ingest({"full/events.csv", "full/playlists.ndjson"});
  ASSERT_EQ(s.size(), 2u);
  ExpectCounts(s[0], 13, 13, 0, 0);
  // 6 non-blank lines: 2 rejected (lines 6, 7), carol's line 3 superseded (1
  // duplicate), 3 accepted (alice, bob, carol's line 5).
  EXPECT_EQ(s[1].source, "playlists");
  ExpectCounts(s[1], 6, 3, 2, 1);
  json rejects = Rejects(s[1].id);
  ASSERT_EQ(rejects.size(), 2u) << rejects.dump(1);
  EXPECT_EQ(rejects[0]["line"], 6);
  EXPECT_EQ(rejects[0]["error_code"], "invalid_json");
  EXPECT_EQ(rejects[1]["line"], 7);
  EXPECT_EQ(rejects[1]["error_code"], "missing_user_id");
  Build();

  auto business = [&](const std::string& user) {
    return Query("SELECT playlist, position, work_title, composer FROM personalized_playlists "
                 "WHERE user_id = '" + user + "' AND recommended ORDER BY playlist, position");
  };
  ExpectRows(business("alice"), json::parse(R"([
    {"playlist": "playlist_01", "position": 1, "work_title": "Title One", "composer": "Comp A"},
    {"playlist": "playlist_01", "position": 2, "work_title": "Title Two", "composer": "Comp B"},
    {"playlist": "playlist_02", "position": 1, "work_title": "Title Three", "composer": null}
  ])"));
  ExpectRows(business("bob"), json::parse(R"([
    {"playlist": "playlist_01", "position": 1, "work_title": null, "composer": null},
    {"playlist": "playlist_01", "position": 2, "work_title": null, "composer": null}
  ])"));
  EXPECT_EQ(Query("SELECT work_id FROM personalized_playlists WHERE user_id = 'bob' AND recommended "
                  "ORDER BY playlist, position"),
            json::parse(R"([{"work_id": "w5"}, {"work_id": "42"}])"));
  // carol: line 5 wins; line 3's w9 is not recommended.
  ExpectRows(business("carol"), json::parse(R"([
    {"playlist": "playlist_01", "position": 1, "work_title": "Title Three", "composer": null},
    {"playlist": "playlist_01", "position": 2, "work_title": null, "composer": null},
    {"playlist": "playlist_03", "position": 1, "work_title": null, "composer": null}
  ])"));
  EXPECT_EQ(Query("SELECT work_id FROM personalized_playlists WHERE user_id = 'carol' AND recommended "
                  "ORDER BY playlist, position"),
            json::parse(R"([{"work_id": "w3"}, {"work_id": "w6"}, {"work_id": "w7"}])"));
  EXPECT_TRUE(business("dave").empty());
}

TEST_F(PlaylistsE2E, PersonalizedPlaylistsComputedByHand) {
  Ingest({"full/events.csv", "full/playlists.ndjson"});
  Build();
  // One row per user x playlist x work: every recommended work, plus every
  // work streamed from the user's personalized context that was not recommended.
  //   alice/playlist_01/w1: e01 100 + e02 50.5 = 150.5, 10:00 .. 10:05 (e04 album not counted)
  //   alice/playlist_01/w2: recommended, never streamed
  //   alice/playlist_01/w4: e03 30, not recommended
  //   alice/playlist_02/w3: e05 60
  //   bob/playlist_01/w5:   e06 20
  //   bob/playlist_01/42:   e07 40 + e08 10 = 50, first e08 07:30, last e07 09:00
  //   carol/playlist_01/w3: e10 35
  //   carol/playlist_01/w6: recommended, never streamed
  //   carol/playlist_01/w9: e09 25, not recommended (line 3 superseded)
  //   carol/playlist_03/w7: recommended, never streamed
  //   dave/playlist_02/w10: e11 45;  dave/playlist_07/w8: e12 15 (e13 search not counted)
  json rows = Query(
      "SELECT user_id, playlist, position, work_id, work_title, composer, recommended, streams, seconds_streamed, "
      "first_streamed_at, last_streamed_at FROM personalized_playlists "
      "ORDER BY user_id, playlist, position NULLS LAST, work_id");
  ExpectRows(rows, json::parse(R"([
    {"user_id": "alice", "playlist": "playlist_01", "position": 1, "work_id": "w1", "work_title": "Title One",
     "composer": "Comp A", "recommended": true, "streams": 2, "seconds_streamed": 150.5,
     "first_streamed_at": "2021-06-01 10:00:00", "last_streamed_at": "2021-06-01 10:05:00"},
    {"user_id": "alice", "playlist": "playlist_01", "position": 2, "work_id": "w2", "work_title": "Title Two",
     "composer": "Comp B", "recommended": true, "streams": 0, "seconds_streamed": 0.0,
     "first_streamed_at": null, "last_streamed_at": null},
    {"user_id": "alice", "playlist": "playlist_01", "position": null, "work_id": "w4", "work_title": null,
     "composer": null, "recommended": false, "streams": 1, "seconds_streamed": 30.0,
     "first_streamed_at": "2021-06-01 11:00:00", "last_streamed_at": "2021-06-01 11:00:00"},
    {"user_id": "alice", "playlist": "playlist_02", "position": 1, "work_id": "w3", "work_title": "Title Three",
     "composer": null, "recommended": true, "streams": 1, "seconds_streamed": 60.0,
     "first_streamed_at": "2021-06-02 09:00:00", "last_streamed_at": "2021-06-02 09:00:00"},
    {"user_id": "bob", "playlist": "playlist_01", "position": 1, "work_id": "w5", "work_title": null,
     "composer": null, "recommended": true, "streams": 1, "seconds_streamed": 20.0,
     "first_streamed_at": "2021-06-01 08:00:00", "last_streamed_at": "2021-06-01 08:00:00"},
    {"user_id": "bob", "playlist": "playlist_01", "position": 2, "work_id": "42", "work_title": null,
     "composer": null, "recommended": true, "streams": 2, "seconds_streamed": 50.0,
     "first_streamed_at": "2021-06-01 07:30:00", "last_streamed_at": "2021-06-01 09:00:00"},
    {"user_id": "carol", "playlist": "playlist_01", "position": 1, "work_id": "w3", "work_title": "Title Three",
     "composer": null, "recommended": true, "streams": 1, "seconds_streamed": 35.0,
     "first_streamed_at": "2021-06-03 10:10:00", "last_streamed_at": "2021-06-03 10:10:00"},
    {"user_id": "carol", "playlist": "playlist_01", "position": 2, "work_id": "w6", "work_title": null,
     "composer": null, "recommended": true, "streams": 0, "seconds_streamed": 0.0,
     "first_streamed_at": null, "last_streamed_at": null},
    {"user_id": "carol", "playlist": "playlist_01", "position": null, "work_id": "w9", "work_title": null,
     "composer": null, "recommended": false, "streams": 1, "seconds_streamed": 25.0,
     "first_streamed_at": "2021-06-03 10:00:00", "last_streamed_at": "2021-06-03 10:00:00"},
    {"user_id": "carol", "playlist": "playlist_03", "position": 1, "work_id": "w7", "work_title": null,
     "composer": null, "recommended": true, "streams": 0, "seconds_streamed": 0.0,
     "first_streamed_at": null, "last_streamed_at": null},
    {"user_id": "dave", "playlist": "playlist_02", "position": null, "work_id": "w10", "work_title": null,
     "composer": null, "recommended": false, "streams": 1, "seconds_streamed": 45.0,
     "first_streamed_at": "2021-06-04 10:00:00", "last_streamed_at": "2021-06-04 10:00:00"},
    {"user_id": "dave", "playlist": "playlist_07", "position": null, "work_id": "w8", "work_title": null,
     "composer": null, "recommended": false, "streams": 1, "seconds_streamed": 15.0,
     "first_streamed_at": "2021-06-04 10:05:00", "last_streamed_at": "2021-06-04 10:05:00"}
  ])"));

  // personalized_playlist_streams: 13 events - e04 (album) - e13 (search) = 11.
  EXPECT_EQ(Query("SELECT count(*) AS n FROM personalized_playlist_streams"), json::parse(R"([{"n": 11}])"));

  json pop = Popularity();
  ASSERT_EQ(pop.size(), 3u) << pop.dump(1);
  // playlist_01: e01 100 + e02 50.5 + e03 30 + e06 20 + e07 40 + e08 10 + e09 25 + e10 35
  //              = 310.5 s, 8 streams, alice bob carol;
  // playlist_02: e05 60 + e11 45 = 105, alice dave;  playlist_07: e12 15, dave.
  // Total 310.5 + 105 + 15 = 430.5.
  ExpectPopularity(pop, "playlist_01", 310.5, 8, 3, 310.5 / 430.5);  // 0.721254355...
  ExpectPopularity(pop, "playlist_02", 105, 2, 2, 105.0 / 430.5);    // 0.243902439...
  ExpectPopularity(pop, "playlist_07", 15, 1, 1, 15.0 / 430.5);      // 0.034843205...
}

// ---------------------------------------------------------------------------
// 10, 11: re-ingesting.

TEST_F(PlaylistsE2E, SameFileTwiceIsAlreadyIngested) {
  auto first = Ingest({"full/events.csv"});
  ASSERT_EQ(first.size(), 1u);
  ExpectCounts(first[0], 13, 13, 0, 0);

  CommandResult again = IngestPaths({Fixture("full/events.csv")});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already ingested"), std::string::npos) << again.out;
  json ingests = Status()["ingests"];
  ASSERT_EQ(ingests.size(), 1u) << ingests.dump(1);
  EXPECT_EQ(ingests[0]["rows_in"], 13);
  EXPECT_EQ(ingests[0]["accepted"], 13);
  EXPECT_EQ(ingests[0]["status"], "loaded");
  Build();
  // No playlists.ndjson here; the same events as PersonalizedPlaylistsComputedByHand.
  json pop = Popularity();
  ExpectPopularity(pop, "playlist_01", 310.5, 8, 3, 310.5 / 430.5);
  EXPECT_EQ(Query("SELECT count(*) AS n FROM personalized_playlist_streams"), json::parse(R"([{"n": 11}])"));
}

TEST_F(PlaylistsE2E, ReplacedFileReplacesItsRowsAndOtherNamesAccumulate) {
  // The same path, events.csv, first with v1's bytes, then with v2's.
  const fs::path inbox = root_ / "inbox";
  fs::create_directories(inbox);
  const std::string events = (inbox / "events.csv").string();
  fs::copy_file(Fixture("replace/v1/events.csv"), events);

  CommandResult r1 = IngestPaths({events});
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  auto v1 = ParseIngestSummaries(r1.out);
  ASSERT_EQ(v1.size(), 1u) << r1.out;
  ExpectCounts(v1[0], 2, 2, 0, 0);
  auto more = Ingest({"replace/other/events_more.csv"});
  ASSERT_EQ(more.size(), 1u);
  ExpectCounts(more[0], 1, 1, 0, 0);
  Build();
  json pop = Popularity();
  ASSERT_EQ(pop.size(), 2u) << pop.dump(1);
  // v1 r1 100 + m1 1 = 101 (u1, u4); v1 r2 200. Total 301.
  ExpectPopularity(pop, "playlist_01", 101, 2, 2, 101.0 / 301.0);
  ExpectPopularity(pop, "playlist_02", 200, 1, 1, 200.0 / 301.0);

  fs::copy_file(Fixture("replace/v2/events.csv"), events, fs::copy_options::overwrite_existing);
  CommandResult r2 = IngestPaths({events});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_EQ(r2.out.find("already ingested"), std::string::npos) << r2.out;
  auto v2 = ParseIngestSummaries(r2.out);
  ASSERT_EQ(v2.size(), 1u) << r2.out;
  // v2's r1 is not a duplicate: v1's rows are gone.
  ExpectCounts(v2[0], 2, 2, 0, 0);
  EXPECT_NE(r2.out.find("replaces ingest #" + std::to_string(v1[0].id)), std::string::npos) << r2.out;
  EXPECT_EQ(IngestRow(v1[0].id)["status"], "replaced");
  EXPECT_EQ(IngestRow(more[0].id)["status"], "loaded");
  Build();
  pop = Popularity();
  ASSERT_EQ(pop.size(), 2u) << pop.dump(1);
  // v2 r1 10 + m1 1 = 11 (u1, u4); v2 r3 30; v1's playlist_02 is gone. Total 41.
  ExpectPopularity(pop, "playlist_01", 11, 2, 2, 11.0 / 41.0);
  ExpectPopularity(pop, "playlist_03", 30, 1, 1, 30.0 / 41.0);
  EXPECT_EQ(Query("SELECT event_id, seconds_streamed FROM personalized_playlist_streams ORDER BY event_id"),
            json::parse(R"([{"event_id": "m1", "seconds_streamed": 1.0},
                            {"event_id": "r1", "seconds_streamed": 10.0},
                            {"event_id": "r3", "seconds_streamed": 30.0}])"));
}

// A duplicate is relative to the first occurrence in the current data: once
// the file holding the first occurrence is replaced by a version without it,
// the later occurrence (in another file) is the first one and counts.
//   v1/events.csv:           e1 u1 10 s
//   other/events_other.csv:  e1 u2 20 s (duplicate of v1's e1 at ingest time), e2 u2 1 s
//   v2/events.csv:           e9 u1 5 s (same name as v1: replaces it)
TEST_F(PlaylistsE2E, ReplacingAFileReleasesTheDuplicatesItCaused) {
  const fs::path inbox = root_ / "inbox";
  fs::create_directories(inbox);
  const std::string events = (inbox / "events.csv").string();
  fs::copy_file(Fixture("replace_duplicates/v1/events.csv"), events);
  CommandResult r1 = IngestPaths({events});
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  auto other = Ingest({"replace_duplicates/other/events_other.csv"});
  ASSERT_EQ(other.size(), 1u);
  ExpectCounts(other[0], 2, 1, 0, 1);
  Build();
  // Before: v1 e1 10 + e2 1 = 11 s, 2 streams (u1, u2).
  ExpectPopularity(Popularity(), "playlist_01", 11, 2, 2, 1.0);

  fs::copy_file(Fixture("replace_duplicates/v2/events.csv"), events, fs::copy_options::overwrite_existing);
  CommandResult r2 = IngestPaths({events});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  Build();
  // After: v1's e1 is gone, so events_other's e1 (u2, 20 s) is the first e1.
  // e1 20 + e2 1 + e9 5 = 26 s, 3 streams, u1 and u2.
  EXPECT_EQ(Query("SELECT event_id, user_id, seconds_streamed FROM personalized_playlist_streams ORDER BY event_id"),
            json::parse(R"([{"event_id": "e1", "user_id": "u2", "seconds_streamed": 20.0},
                            {"event_id": "e2", "user_id": "u2", "seconds_streamed": 1.0},
                            {"event_id": "e9", "user_id": "u1", "seconds_streamed": 5.0}])"));
  ExpectPopularity(Popularity(), "playlist_01", 26, 3, 2, 1.0);
}

// ---------------------------------------------------------------------------
// 12: header spelling, column order, extra columns.

TEST_F(PlaylistsE2E, ColumnsInAnyOrderWithOtherSpellingsAndAnExtraColumn) {
  // Header: Seconds-Streamed,USER_ID,listening_context,Notes,timestamp,work id,event-id,TrackId
  auto s = Ingest({"columns/events.csv"});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].source, "events");
  ExpectCounts(s[0], 3, 3, 0, 0);
  Build();
  ExpectRows(Query("SELECT event_id, streamed_at, user_id, playlist, track_id, work_id, seconds_streamed "
                   "FROM personalized_playlist_streams ORDER BY event_id"),
             json::parse(R"([
    {"event_id": "k1", "streamed_at": "2021-08-01 00:00:00", "user_id": "u1", "playlist": "playlist_01",
     "track_id": "t1", "work_id": "w1", "seconds_streamed": 12.5},
    {"event_id": "k2", "streamed_at": "2021-08-01 00:01:00", "user_id": "u2", "playlist": "playlist_01",
     "track_id": "t2", "work_id": "w2", "seconds_streamed": 7.5},
    {"event_id": "k3", "streamed_at": "2021-08-01 00:02:00", "user_id": "u1", "playlist": "playlist_02",
     "track_id": "t1", "work_id": "w1", "seconds_streamed": 3.0}
  ])"));
  json pop = Popularity();
  // playlist_01: 12.5 + 7.5 = 20 (u1, u2); playlist_02: 3. Total 23.
  ExpectPopularity(pop, "playlist_01", 20, 2, 2, 20.0 / 23.0);
  ExpectPopularity(pop, "playlist_02", 3, 1, 1, 3.0 / 23.0);
}

// ---------------------------------------------------------------------------
// 13, 14: files that are not inputs at all.

TEST_F(PlaylistsE2E, EmptyFileIsAClearErrorAndLoadsNothing) {
  const std::string empty = Fixture("empty/events.csv");
  CommandResult sniffed = IngestPaths({empty});
  EXPECT_EQ(sniffed.exit_code, 1) << sniffed.out << sniffed.err;
  EXPECT_NE(sniffed.err.find(empty), std::string::npos) << sniffed.err;
  EXPECT_NE(sniffed.err.find("empty"), std::string::npos) << sniffed.err;
  EXPECT_TRUE(ParseIngestSummaries(sniffed.out).empty()) << sniffed.out;

  // Nothing loaded: status works and lists no loaded ingest.
  CommandResult status = Earshot({"status", "--project", project_, "--format", "json"});
  EXPECT_EQ(status.exit_code, 0) << "status after a refused empty file:\n" << status.err;
  if (status.exit_code == 0) {
    const json ingests = ParseJson(status, "status")["ingests"];
    for (const json& row : ingests) EXPECT_NE(row["status"], "loaded") << row;
  }

  CommandResult forced = IngestPaths({empty}, "events");
  EXPECT_EQ(forced.exit_code, 1) << forced.out << forced.err;
  EXPECT_NE(forced.err.find(empty), std::string::npos) << forced.err;
  EXPECT_NE(forced.err.find("empty"), std::string::npos) << forced.err;
  json ingests = Status()["ingests"];
  for (const json& row : ingests) {
    EXPECT_NE(row["status"], "loaded") << row;
    EXPECT_TRUE(row["accepted"].is_null() || row["accepted"] == 0) << row;
  }
  ingested_ = true;  // check the manifest's counts in TearDown too
}

TEST_F(PlaylistsE2E, NeitherCsvNorNdjsonIsAClearErrorNamingTheFile) {
  for (const char* name : {"unknown_format/image.png", "unknown_format/notes.txt"}) {
    SCOPED_TRACE(name);
    const std::string path = Fixture(name);
    CommandResult r = IngestPaths({path});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--source"), std::string::npos) << "the message should say how to force a source:\n"
                                                        << r.err;
    EXPECT_TRUE(ParseIngestSummaries(r.out).empty()) << r.out;
  }
  CommandResult status = Earshot({"status", "--project", project_, "--format", "json"});
  EXPECT_EQ(status.exit_code, 0) << "status after refused files:\n" << status.err;
  if (status.exit_code == 0) {
    const json ingests = ParseJson(status, "status")["ingests"];
    for (const json& row : ingests) EXPECT_NE(row["status"], "loaded") << row;
  }
}

// ---------------------------------------------------------------------------
// 18: the CLI surface.

std::vector<std::vector<std::string>> ParseSimpleCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream fs_in(line);
    std::string field;
    while (std::getline(fs_in, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

TEST_F(PlaylistsE2E, ReportCsvAndJsonMatchTheQuery) {
  Ingest({"full/events.csv", "full/playlists.ndjson"});
  Build();
  json expected = Query(
      "SELECT playlist, seconds_streamed, streams, listeners, share_of_seconds FROM playlist_popularity "
      "ORDER BY playlist");
  ASSERT_EQ(expected.size(), 3u);

  CommandResult as_json = Earshot({"report", "playlist-popularity", "--project", project_, "--format", "json"});
  json report = ParseJson(as_json, "report --format json");
  ASSERT_EQ(report.size(), expected.size()) << as_json.out;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(report[i]["playlist"], expected[i]["playlist"]);
    EXPECT_DOUBLE_EQ(report[i]["seconds_streamed"].get<double>(), expected[i]["seconds_streamed"].get<double>());
    EXPECT_EQ(report[i]["streams"], expected[i]["streams"]);
    EXPECT_EQ(report[i]["listeners"], expected[i]["listeners"]);
    EXPECT_NEAR(report[i]["share_of_seconds"].get<double>(), expected[i]["share_of_seconds"].get<double>(),
                kShareTolerance);
  }

  CommandResult as_csv = Earshot({"report", "playlist-popularity", "--project", project_, "--format", "csv"});
  ASSERT_EQ(as_csv.exit_code, 0) << as_csv.err;
  auto csv = ParseSimpleCsv(as_csv.out);
  ASSERT_EQ(csv.size(), expected.size() + 1) << as_csv.out;
  EXPECT_EQ(csv[0], (std::vector<std::string>{"playlist", "seconds_streamed", "streams", "listeners",
                                              "share_of_seconds"}));
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& row = csv[i + 1];
    ASSERT_EQ(row.size(), 5u) << as_csv.out;
    EXPECT_EQ(row[0], expected[i]["playlist"].get<std::string>());
    EXPECT_DOUBLE_EQ(std::stod(row[1]), expected[i]["seconds_streamed"].get<double>());
    EXPECT_EQ(std::stoll(row[2]), expected[i]["streams"].get<int64_t>());
    EXPECT_EQ(std::stoll(row[3]), expected[i]["listeners"].get<int64_t>());
    EXPECT_NEAR(std::stod(row[4]), expected[i]["share_of_seconds"].get<double>(), kShareTolerance);
  }
  // And the hand-computed numbers once more (PersonalizedPlaylistsComputedByHand).
  EXPECT_EQ(csv[1][0], "playlist_01");
  EXPECT_DOUBLE_EQ(std::stod(csv[1][1]), 310.5);
}

TEST_F(PlaylistsE2E, OneShotPlaylistsVerbPrintsThePopularityReport) {
  const std::string fresh = (root_ / "one-shot").string();
  CommandResult r = Earshot({"playlists", "--project", fresh, "--events", Fixture("full/events.csv"),
                             "--playlists", Fixture("full/playlists.ndjson"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  size_t start = r.out.find("\n[");
  ASSERT_NE(start, std::string::npos) << r.out;
  json report = json::parse(r.out.substr(start), nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  ASSERT_EQ(report.size(), 3u) << r.out;
  EXPECT_EQ(report[0]["playlist"], "playlist_01");
  EXPECT_DOUBLE_EQ(report[0]["seconds_streamed"].get<double>(), 310.5);
  EXPECT_EQ(report[0]["streams"], 8);
  EXPECT_EQ(report[0]["listeners"], 3);
  EXPECT_NEAR(report[0]["share_of_seconds"].get<double>(), 310.5 / 430.5, kShareTolerance);
}

TEST_F(PlaylistsE2E, HelpOfEveryVerbExitsZero) {
  CommandResult top = Earshot({"--help"});
  EXPECT_EQ(top.exit_code, 0) << top.err;
  for (const char* verb : {"init", "ingest", "build", "report", "query", "status", "playlists", "generate"}) {
    CommandResult r = Earshot({verb, "--help"});
    EXPECT_EQ(r.exit_code, 0) << verb << ": " << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << verb << ": " << r.out;
  }
}

TEST_F(PlaylistsE2E, UnknownVerbOrBadOptionExitsTwo) {
  const std::vector<std::vector<std::string>> usage_errors = {
      {"frobnicate"},
      {"build", "--project", project_, "--no-such-option"},
      {"report", "playlist-popularity", "--project", project_, "--format", "xml"},
      {"report", "no-such-report", "--project", project_},
      {"query", "--project", project_, "SELECT 1", "--format", "html"},
      {"ingest", "--project", project_, Fixture("full/events.csv"), "--source", "tracks"},
      {"status", "--project", project_, "--rejects", "not-a-number"},
  };
  for (const auto& args : usage_errors) {
    CommandResult r = Earshot(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << "\n" << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << joined;
  }
}

TEST_F(PlaylistsE2E, QueryRefusesToWrite) {
  Ingest({"full/events.csv"});
  Build();
  const fs::path copy_target = root_ / "copied.csv";
  const std::vector<std::string> writes = {
      "CREATE TABLE x AS SELECT 1",
      "DELETE FROM playlist_popularity",
      "COPY (SELECT 1) TO '" + copy_target.string() + "'",
  };
  for (const std::string& sql : writes) {
    CommandResult r = Earshot({"query", "--project", project_, sql, "--format", "json"});
    EXPECT_EQ(r.exit_code, 1) << sql << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("error"), std::string::npos) << sql << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(copy_target));
  // Nothing changed.
  EXPECT_EQ(Query("SELECT count(*) AS n FROM playlist_popularity"), json::parse(R"([{"n": 3}])"));
}

}  // namespace
}  // namespace earshot::e2e
