// End-to-end tests of repair: `earshot rebuild` (the warehouse recreated from
// the raw archive alone), `earshot backfill` and `earshot retention`. Each
// test makes a fresh project, ingests generated and hand-made deliveries with
// the real binary, and compares every published mart row for row, exactly
// (no tolerance), between the original warehouse and the repaired one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace earshot::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kMarts[] = {"creator_popularity",         "episode_first_30_days",  "personalized_playlist_streams",
                                  "personalized_playlists",     "playlist_popularity",    "podcast_monthly_estimates",
                                  "podcast_trends"};

std::vector<std::vector<std::string>> ReadTsv(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, '\t')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

class RepairE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = FreshTempDir("earshot-repair-e2e");
    ASSERT_FALSE(root_.empty());
    project_ = (root_ / "project").string();
    ASSERT_EQ(Earshot({"init", "--template", "podcasts", project_}).exit_code, 0);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  CommandResult In(std::vector<std::string> args) {
    args.push_back("--project");
    args.push_back(project_);
    return Earshot(args);
  }

  // A generated podcast market and playlists sample, ingested the way
  // deliveries arrive: the catalog, each provider's files in arrival order,
  // the playlists files; then a replaced events file (same name, new bytes)
  // and a broken provider file that fails as a whole.
  void IngestSample() {
    const fs::path data = root_ / "data";
    CommandResult gen = Earshot({"generate", "podcasts", "--seed", "11", "--months", "3", "--podcasts", "120",
                                 "--episodes-per-podcast", "6", "--out", data.string()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    std::vector<std::string> catalog = {"ingest"};
    std::map<std::string, std::vector<std::string>> by_provider;
    for (const auto& row : ReadTsv(data / "arrival.tsv")) {
      ASSERT_EQ(row.size(), 3u);
      if (row[0] == "catalog") {
        catalog.push_back((data / row[2]).string());
      } else {
        by_provider[row[1]].push_back((data / row[2]).string());
      }
    }
    CommandResult cat = In(catalog);
    ASSERT_EQ(cat.exit_code, 0) << cat.err;
    for (const auto& [provider, files] : by_provider) {
      std::vector<std::string> args = {"ingest", "--provider", provider};
      args.insert(args.end(), files.begin(), files.end());
      CommandResult r = In(args);
      ASSERT_EQ(r.exit_code, 0) << provider << ": " << r.err;
    }
    const fs::path pl = root_ / "playlists";
    ASSERT_EQ(Earshot({"generate", "playlists", "--users", "300", "--events", "20000", "--seed", "5", "--out",
                       pl.string()}).exit_code, 0);
    CommandResult p = In({"ingest", (pl / "events.csv").string(), (pl / "playlists.ndjson").string()});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    // The same name again with other bytes: a new version replacing the first.
    fs::create_directories(root_ / "v2");
    std::ofstream(root_ / "v2" / "events.csv") << "eventId,timestamp,userId,trackId,workId,listeningContext,"
                                                  "secondsStreamed\n"
                                                  "v2-1,2025-01-02T10:00:00Z,u0000001,t1,w00001,playlist_01,61.25\n"
                                                  "v2-1,2025-01-02T10:00:00Z,u0000001,t1,w00001,playlist_01,61.25\n";
    CommandResult v2 = In({"ingest", (root_ / "v2" / "events.csv").string()});
    ASSERT_EQ(v2.exit_code, 0) << v2.err;
    // A delivery that cannot be read as its provider's format fails whole.
    std::ofstream(root_ / "broken_2025-02-10.csv") << "nothing,useful\n1,2\n";
    CommandResult broken = In({"ingest", "--provider", "alderhost", (root_ / "broken_2025-02-10.csv").string()});
    ASSERT_EQ(broken.exit_code, 1) << broken.out;
  }

  // Every mart of the published snapshot, every row with its exact value
  // (DuckDB prints DOUBLEs in their shortest round-trip form) and its hash.
  std::map<std::string, std::string> Marts() {
    std::map<std::string, std::string> out;
    for (const char* mart : kMarts) {
      CommandResult r = In({"query", "--format", "csv",
                            std::string("SELECT hash(t) AS h, t::VARCHAR AS r FROM ") + mart + " AS t ORDER BY r, h"});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      out[mart] = r.out;
    }
    return out;
  }

  // The manifest without ids and times: what a rebuild must reproduce. Sorted:
  // files of different sources are ingested in parallel, so their ids (and
  // the manifest's order) may interleave differently; within a source the
  // order is the arrival order, and the counts say it was kept.
  json Manifest() {
    CommandResult r = In({"status", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json out = json::array();
    if (r.exit_code != 0) return out;
    const json status = json::parse(r.out);
    for (const json& row : status["ingests"]) {
      out.push_back({row["source"], row["provider"], row["file"], row["sha256"], row["rows_in"], row["accepted"],
                     row["rejected"], row["duplicates"], row["status"]});
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void Config(const std::string& text) { std::ofstream(fs::path(project_) / "earshot.toml", std::ios::app) << text; }
  // Replaces the last `from` in earshot.toml by `to`.
  void EditConfig(const std::string& from, const std::string& to) {
    std::ifstream in(fs::path(project_) / "earshot.toml");
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    auto at = text.rfind(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(fs::path(project_) / "earshot.toml", std::ios::trunc) << text;
  }
  std::string Write(const std::string& name, const std::string& contents) {
    fs::path p = root_ / "files" / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << contents;
    return p.string();
  }
  json Query(const std::string& sql) {
    CommandResult r = In({"query", "--format", "json", sql});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::array();
  }
  // file -> status of its newest manifest row.
  std::map<std::string, std::string> NewestStatus() {
    std::map<std::string, std::string> out;
    for (const json& row : Manifest()) out[row[2].get<std::string>()] = row[8].get<std::string>();
    return out;
  }

  fs::path root_;
  std::string project_;
};

void ExpectSameMarts(const std::map<std::string, std::string>& want, const std::map<std::string, std::string>& got) {
  for (const auto& [mart, rows] : want) {
    auto it = got.find(mart);
    ASSERT_NE(it, got.end()) << mart;
    EXPECT_GT(std::count(rows.begin(), rows.end(), '\n'), 1) << mart << " is empty: the test proves nothing";
    EXPECT_TRUE(rows == it->second) << mart << " differs after the rebuild (" << rows.size() << " vs "
                                    << it->second.size() << " bytes)";
  }
}

TEST_F(RepairE2E, RebuildFromTheArchiveAloneReproducesEveryMartExactly) {
  IngestSample();
  CommandResult build = In({"build", "--as-of", "2030-01-01"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const auto clean = Marts();
  const json manifest = Manifest();
  ASSERT_GT(manifest.size(), 300u);

  // Over the existing warehouse: the previous one is kept aside.
  CommandResult rebuild = In({"rebuild"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
  EXPECT_NE(rebuild.out.find("1 failed again"), std::string::npos) << rebuild.out;
  EXPECT_NE(rebuild.out.find("as of 2030-01-01"), std::string::npos) << rebuild.out;
  EXPECT_TRUE(fs::exists(fs::path(project_) / "warehouse" / "earshot.duckdb.before-rebuild"));
  ExpectSameMarts(clean, Marts());
  // The manifest keeps every delivery's own name and provider, in order,
  // with the same counts; the replaced version is replaced again.
  EXPECT_EQ(Manifest(), manifest);

  // With the whole warehouse folder lost: the archive alone is enough.
  fs::remove_all(fs::path(project_) / "warehouse");
  CommandResult again = In({"rebuild", "--as-of", "2030-01-01"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  ExpectSameMarts(clean, Marts());
  EXPECT_EQ(Manifest(), manifest);

  // Later deliveries land on the rebuilt warehouse as usual.
  std::ofstream(root_ / "late.csv") << "eventId,timestamp,userId,trackId,workId,listeningContext,secondsStreamed\n"
                                       "late-1,2025-01-05T10:00:00Z,u0000009,t9,w00009,playlist_02,30\n";
  CommandResult late = In({"ingest", (root_ / "late.csv").string()});
  EXPECT_EQ(late.exit_code, 0) << late.err;
  EXPECT_EQ(Manifest().size(), manifest.size() + 1);
}

TEST_F(RepairE2E, RebuildWithAnEmptyArchiveSaysSoAndChangesNothing) {
  CommandResult r = In({"rebuild"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("landings.ndjson lists no delivery"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(fs::path(project_) / "warehouse" / "earshot.duckdb.rebuild"));
}

// The provider renamed its count column: every file fails until the mapping is
// fixed; a backfill of March then loads March's files from the archive (not
// April's), under their own names, as one run with trigger `backfill`.
TEST_F(RepairE2E, BackfillReingestsTheArchivedDeliveriesOfAPeriod) {
  Config(kAlphaBetaProviders);
  const std::string header = "day,show,ep,plays\n";
  const std::string mar1 = Write("alpha_2025-03-01.csv", header + "2025-03-01,p1,e1,10\n2025-03-01,p1,e2,20\n");
  const std::string mar2 = Write("alpha_2025-03-02.csv", header + "2025-03-02,p1,e1,7\n");
  const std::string apr1 = Write("alpha_2025-04-01.csv", header + "2025-04-01,p1,e1,1000\n");
  for (const std::string& f : {mar1, mar2, apr1}) {
    CommandResult r = In({"ingest", "--provider", "alpha", f});
    ASSERT_EQ(r.exit_code, 1) << "the mapping still says downloads: " << r.out;
    EXPECT_NE(r.err.find("missing_column"), std::string::npos) << r.err;
  }
  EditConfig("episode_id = \"ep\"\nlistens = \"downloads\"", "episode_id = \"ep\"\nlistens = \"plays\"");

  CommandResult dry = In({"backfill", "--source", "alpha", "--from", "2025-03-01", "--to", "2025-03-31", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("alpha/alpha_2025-03-01.csv"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("2 deliveries would be re-ingested"), std::string::npos) << dry.out;
  EXPECT_EQ(NewestStatus()["alpha_2025-03-01.csv"], "failed");

  CommandResult back = In({"backfill", "--source", "listens", "--provider", "alpha", "--from", "2025-03-01", "--to",
                           "2025-03-31", "--as-of", "2030-01-01"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  EXPECT_NE(back.out.find("(backfill) ok"), std::string::npos) << back.out;
  auto status = NewestStatus();
  EXPECT_EQ(status["alpha_2025-03-01.csv"], "loaded");
  EXPECT_EQ(status["alpha_2025-03-02.csv"], "loaded");
  EXPECT_EQ(status["alpha_2025-04-01.csv"], "failed") << "April is outside the period";
  json rows = Query("SELECT month, observed_listens FROM podcast_monthly_estimates ORDER BY month");
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["month"], "2025-03");
  EXPECT_EQ(rows[0]["observed_listens"], 37);

  CommandResult runs = In({"runs", "--format", "json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_NE(runs.out.find("\"backfill\""), std::string::npos) << runs.out;

  // Again: the same bytes are read again and replace their own rows (no double count).
  CommandResult again = In({"backfill", "--source", "alpha", "--from", "2025-03-02", "--to", "2025-03-02",
                            "--as-of", "2030-01-01"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("replaces ingest"), std::string::npos) << again.out;
  rows = Query("SELECT sum(observed_listens) AS n FROM podcast_monthly_estimates");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["n"], 37);
}

TEST_F(RepairE2E, BackfillRefusesWhatItCannotDo) {
  Config(kAlphaBetaProviders);
  CommandResult source = In({"backfill", "--source", "nope", "--from", "2025-03-01", "--to", "2025-03-31"});
  EXPECT_EQ(source.exit_code, 2);
  EXPECT_NE(source.err.find("--source 'nope'"), std::string::npos) << source.err;
  CommandResult date = In({"backfill", "--source", "alpha", "--from", "2025-02-30", "--to", "2025-03-31"});
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("--from '2025-02-30'"), std::string::npos) << date.err;
  CommandResult order = In({"backfill", "--source", "alpha", "--from", "2025-03-31", "--to", "2025-03-01"});
  EXPECT_EQ(order.exit_code, 2);
  CommandResult nothing = In({"backfill", "--source", "alpha", "--from", "2025-03-01", "--to", "2025-03-31"});
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_NE(nothing.out.find("nothing to backfill"), std::string::npos) << nothing.out;
}

// Retention deletes only what is old enough and no longer current (a replaced
// version, a failed delivery), records it, and a rebuild from what is kept
// still reproduces the marts exactly.
TEST_F(RepairE2E, RetentionNeverDeletesTheCurrentVersionAndRebuildStillMatches) {
  Config(kAlphaBetaProviders);
  Config("\n[retention]\nkeep_days = 0\n[retention.sources]\nbeta = 30\n");
  const std::string header = "day,show,ep,downloads\n";
  ASSERT_EQ(In({"ingest", "--provider", "alpha", Write("v1/alpha_2025-03-01.csv", header + "2025-03-01,p1,e1,10\n")})
                .exit_code, 0);
  ASSERT_EQ(In({"ingest", "--provider", "alpha", Write("v2/alpha_2025-03-01.csv", header + "2025-03-01,p1,e1,12\n")})
                .exit_code, 0);
  ASSERT_EQ(In({"ingest", "--provider", "alpha", Write("alpha_2025-03-02.csv", "bad\n")}).exit_code, 1);
  ASSERT_EQ(In({"ingest", "--provider", "beta",
                Write("beta_2025-02.json", R"({"rows": [{"period": "2025-02", "podcast": "p1", "plays": 50}]})")})
                .exit_code, 0);
  ASSERT_EQ(In({"ingest", "--provider", "beta",
                Write("v2/beta_2025-02.json", R"({"rows": [{"period": "2025-02", "podcast": "p1", "plays": 60}]})")})
                .exit_code, 0);
  ASSERT_EQ(In({"build", "--as-of", "2030-01-01"}).exit_code, 0);
  const auto before = Marts();
  const size_t objects = std::distance(fs::recursive_directory_iterator(fs::path(project_) / "archive" / "objects"),
                                       fs::recursive_directory_iterator{});

  CommandResult dry = In({"retention", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("would delete 2 archived objects"), std::string::npos) << dry.out;
  EXPECT_EQ(std::distance(fs::recursive_directory_iterator(fs::path(project_) / "archive" / "objects"),
                          fs::recursive_directory_iterator{}), static_cast<long>(objects));

  CommandResult now = In({"retention"});
  ASSERT_EQ(now.exit_code, 0) << now.err;
  // alpha's replaced v1 and its failed file go; alpha's current v2 stays; beta
  // keeps 30 days, so its replaced version stays until later.
  EXPECT_NE(now.out.find("deleted 2 archived objects"), std::string::npos) << now.out;
  EXPECT_NE(now.out.find("1 still current"), std::string::npos) << now.out;
  EXPECT_NE(now.out.find("2 not old enough"), std::string::npos) << now.out;
  CommandResult later = In({"retention", "--today", "2099-01-01"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_NE(later.out.find("deleted 1 archived objects"), std::string::npos) << later.out;
  EXPECT_NE(later.out.find("2 still current"), std::string::npos) << later.out;

  CommandResult rebuild = In({"rebuild"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.out << rebuild.err;
  EXPECT_NE(rebuild.out.find("3 deleted by retention"), std::string::npos) << rebuild.out;
  const auto after = Marts();
  EXPECT_TRUE(before.at("podcast_monthly_estimates") == after.at("podcast_monthly_estimates"))
      << before.at("podcast_monthly_estimates") << "\n" << after.at("podcast_monthly_estimates");
  EXPECT_EQ(before, after);
  json rows = Query("SELECT month, observed_listens FROM podcast_monthly_estimates ORDER BY month");
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  EXPECT_EQ(rows[0]["observed_listens"], 60);
  EXPECT_EQ(rows[1]["observed_listens"], 12);
}

}  // namespace
}  // namespace earshot::e2e
