// End-to-end tests of orchestration: `earshot run` (one pass: inbox sensing,
// ingest, build, checks, publish), the run lock, `earshot runs` and
// `earshot check`. Each test makes a fresh project with `earshot init`,
// drops small deliveries into its inboxes and runs the real binary; expected
// numbers are worked out by hand from the files written here.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_support.h"

namespace earshot::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// kAlphaBetaProviders (e2e_support.h), and gamma: daily CSV under our names.
constexpr const char* kGamma = R"(
[providers.gamma]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "csv"
)";

// YYYY-MM-DD of today (UTC) plus `days`.
std::string UtcDay(int days) {
  using namespace std::chrono;
  const year_month_day d{floor<std::chrono::days>(system_clock::now()) + std::chrono::days(days)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

class RunE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = FreshTempDir("earshot-run-e2e");
    ASSERT_FALSE(root_.empty());
    project_ = root_ / "project";
    CommandResult init = Earshot({"init", project_.string()});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    SetRun("settle_seconds", "0");
    SetRun("backoff_seconds", "0");
    Config(kAlphaBetaProviders);
    Config(kGamma);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  CommandResult Run(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", "--project", project_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Earshot(args);
  }
  void Config(const std::string& text) { std::ofstream(project_ / "earshot.toml", std::ios::app) << text; }
  // Replaces `key = ...` in the [run] section that `earshot init` writes.
  void SetRun(const std::string& key, const std::string& value) {
    std::ifstream in(project_ / "earshot.toml");
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    const std::string needle = "\n" + key + " = ";
    auto at = text.find(needle);
    ASSERT_NE(at, std::string::npos) << key;
    auto end = text.find('\n', at + 1);
    text.replace(at, end - at, needle + value);
    std::ofstream(project_ / "earshot.toml", std::ios::trunc) << text;
  }
  fs::path Drop(const std::string& inbox, const std::string& name, const std::string& contents) {
    fs::path p = project_ / "inbox" / inbox / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << contents;
    return p;
  }
  json Query(const std::string& sql) {
    CommandResult r = Earshot({"query", "--project", project_.string(), "--format", "json", sql});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::array();
  }
  json Ingests() {
    CommandResult r = Earshot({"status", "--project", project_.string(), "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out)["ingests"] : json::array();
  }
  json ShowRun(int64_t id) {
    CommandResult r = Earshot({"runs", "show", std::to_string(id), "--project", project_.string(), "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::object();
  }
  // The task of `run` with this target, or null.
  static json Task(const json& run, const std::string& target) {
    for (const auto& t : run["tasks"]) {
      if (t["target"] == target) return t;
    }
    return nullptr;
  }

  fs::path root_;
  fs::path project_;
};

TEST_F(RunE2E, OnePassIngestsEveryInboxAndABrokenFileFailsAlone) {
  Drop("podcasts", "podcasts.csv", "podcast_id,title,publisher\np1,Talk,Acme\np2,Quiet,Acme\n");
  Drop("alpha", "2025-01-02.csv", "day,show,ep,downloads\n2025-01-02,p1,e1,4\n");
  Drop("alpha", "2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n2025-01-01,p2,e3,5\n");
  Drop("beta", "2025-01.json", R"({"rows": [{"period": "2025-01", "podcast": "p1", "plays": 300}]})");
  // gamma's file is broken as a whole: its header lacks episode_id and listens.
  Drop("gamma", "2025-01-01.csv", "date,podcast_id\n2025-01-01,p1\n");
  Drop("alpha", ".2025-01-03.csv.swp", "partial");
  Drop("alpha", "2025-01-03.csv.part", "day,show,ep,downloads\n2025-01-03,p1,e1,");

  CommandResult first = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
  EXPECT_NE(first.out.find("ingest  inbox/gamma/2025-01-01.csv  FAILED"), std::string::npos) << first.out;
  EXPECT_NE(first.err.find("missing_column"), std::string::npos) << first.err;
  EXPECT_NE(first.out.find("publish warehouse/published.duckdb  ok"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("run #1 failed: 4 files ingested; published; 1 task failed"), std::string::npos)
      << first.out;

  // Deliveries one per inbox at a time, each inbox in name order: alpha's
  // first file, beta's, (gamma's failed), alpha's second. gamma loaded nothing.
  json ingests = Ingests();
  std::vector<std::string> loaded;
  for (const auto& i : ingests) {
    if (i["status"] == "loaded" && !i["provider"].is_null()) {
      loaded.push_back(i["provider"].get<std::string>() + "/" + i["file"].get<std::string>());
    }
  }
  EXPECT_EQ(loaded, (std::vector<std::string>{"alpha/2025-01-01.csv", "beta/2025-01.json", "alpha/2025-01-02.csv"}));
  EXPECT_EQ(ingests.size(), 5u);
  // The other providers are published: p1 in January is alpha 10 + 4 and beta 300.
  json p1 = Query("SELECT observed_listens, providers_reporting FROM podcast_monthly_estimates "
                  "WHERE podcast_id = 'p1' AND month = '2025-01'");
  ASSERT_EQ(p1.size(), 1u) << p1.dump();
  EXPECT_EQ(p1[0]["observed_listens"].get<int64_t>(), 314);
  EXPECT_EQ(p1[0]["providers_reporting"].get<int64_t>(), 2);

  // Files moved aside; the partial and hidden ones left alone.
  const fs::path inbox = project_ / "inbox";
  EXPECT_TRUE(fs::exists(inbox / "alpha" / ".processed" / "2025-01-01.csv"));
  EXPECT_TRUE(fs::exists(inbox / "gamma" / ".failed" / "2025-01-01.csv"));
  EXPECT_TRUE(fs::exists(inbox / "alpha" / "2025-01-03.csv.part"));
  EXPECT_TRUE(fs::exists(inbox / "alpha" / ".2025-01-03.csv.swp"));

  // The history: 5 ingests, build, publish.
  json run = ShowRun(1);
  EXPECT_EQ(run["run"]["status"], "failed");
  EXPECT_EQ(run["run"]["trigger"], "manual");
  ASSERT_EQ(run["tasks"].size(), 7u) << run.dump();
  json broken = Task(run, "inbox/gamma/2025-01-01.csv");
  EXPECT_EQ(broken["kind"], "ingest");
  EXPECT_EQ(broken["status"], "failed");
  EXPECT_EQ(broken["attempts"], 1);  // bad data is not retried
  EXPECT_NE(broken["error"].get<std::string>().find("missing_column"), std::string::npos) << broken.dump();
  json alpha = Task(run, "inbox/alpha/2025-01-01.csv");
  EXPECT_EQ(alpha["status"], "ok");
  EXPECT_EQ(alpha["rows"], 2);
  EXPECT_EQ(Task(run, "models")["status"], "ok");
  EXPECT_EQ(Task(run, "warehouse/published.duckdb")["status"], "ok");

  // A second pass finds nothing new: exit 0, nothing ingested twice.
  CommandResult second = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("run #2 ok: 0 files ingested; nothing new to build"), std::string::npos) << second.out;
  EXPECT_EQ(Ingests().size(), ingests.size());

  // The fixed file, dropped again, is picked up.
  Drop("gamma", "2025-01-01.csv", "date,podcast_id,episode_id,listens\n2025-01-01,p1,e1,6\n");
  CommandResult third = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_EQ(Query("SELECT observed_listens FROM podcast_monthly_estimates WHERE podcast_id = 'p1' "
                  "AND month = '2025-01'")[0]["observed_listens"].get<int64_t>(),
            320);

  CommandResult list = Earshot({"runs", "--project", project_.string(), "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json runs = json::parse(list.out);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0]["run_id"], 3);  // newest first
  EXPECT_EQ(runs[0]["status"], "ok");
  EXPECT_EQ(runs[2]["failed"], 1);
  CommandResult missing = Earshot({"runs", "show", "99", "--project", project_.string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no run #99"), std::string::npos) << missing.err;
}

TEST_F(RunE2E, AFileBeingWrittenIsNotPickedUpBeforeItIsComplete) {
  SetRun("settle_seconds", "3600");
  // Half a delivery: the writer has not finished the last line.
  fs::path file = Drop("alpha", "2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n2025-01-01,p1,e2,");
  CommandResult early = Run();
  EXPECT_EQ(early.exit_code, 0) << early.out << early.err;
  EXPECT_NE(early.out.find("waiting inbox/alpha/2025-01-01.csv: still being written"), std::string::npos) << early.out;
  EXPECT_TRUE(Ingests().empty());
  EXPECT_TRUE(fs::exists(file));

  // The writer finishes and says so with a marker.
  std::ofstream(file, std::ios::app) << "7\n";
  std::ofstream(file.string() + ".done");
  CommandResult done = Run();
  EXPECT_EQ(done.exit_code, 0) << done.out << done.err;
  json ingests = Ingests();
  ASSERT_EQ(ingests.size(), 1u);
  EXPECT_EQ(ingests[0]["accepted"], 2);
  EXPECT_EQ(ingests[0]["rejected"], 0);
  EXPECT_FALSE(fs::exists(file.string() + ".done"));

  // Without a marker a file counts as complete once unchanged for settle_seconds.
  SetRun("settle_seconds", "60");
  fs::path settled = Drop("alpha", "2025-01-02.csv", "day,show,ep,downloads\n2025-01-02,p1,e1,1\n");
  fs::path fresh = Drop("alpha", "2025-01-03.csv", "day,show,ep,downloads\n2025-01-03,p1,e1,1\n");
  fs::last_write_time(settled, fs::file_time_type::clock::now() - std::chrono::minutes(2));
  CommandResult later = Run();
  EXPECT_EQ(later.exit_code, 0) << later.out << later.err;
  EXPECT_FALSE(fs::exists(settled));
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_EQ(Ingests().size(), 2u);
}

TEST_F(RunE2E, TwoRunsNeverOverlapAndNeverIngestTwice) {
  // While another process holds the lock, a run does nothing and says why.
  fs::create_directories(project_ / "warehouse");
  int fd = ::open((project_ / "warehouse" / "earshot.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  Drop("alpha", "2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n");
  CommandResult busy = Run();
  EXPECT_EQ(busy.exit_code, 3) << busy.out << busy.err;
  EXPECT_NE(busy.err.find("another earshot run, watch or check is working in this project"), std::string::npos)
      << busy.err;
  EXPECT_TRUE(fs::exists(project_ / "inbox" / "alpha" / "2025-01-01.csv"));
  ::close(fd);

  // Two runs started together over ten files: each file is ingested once.
  for (int d = 2; d <= 10; ++d) {
    char name[32];
    std::snprintf(name, sizeof name, "2025-01-%02d.csv", d);
    Drop("alpha", name, "day,show,ep,downloads\n2025-01-" + std::string(name).substr(8, 2) + ",p1,e1," +
                            std::to_string(d) + "\n");
  }
  auto a = std::async(std::launch::async, [&] { return Run(); });
  auto b = std::async(std::launch::async, [&] { return Run(); });
  CommandResult ra = a.get();
  CommandResult rb = b.get();
  for (const CommandResult* r : {&ra, &rb}) {
    EXPECT_TRUE(r->exit_code == 0 || r->exit_code == 3) << r->exit_code << r->out << r->err;
  }
  EXPECT_TRUE(ra.exit_code == 0 || rb.exit_code == 0) << ra.err << rb.err;
  // Whichever order they ran in, a second pass found nothing left to do.
  CommandResult after = Run();
  EXPECT_EQ(after.exit_code, 0) << after.err;
  json ingests = Ingests();
  EXPECT_EQ(ingests.size(), 10u) << ingests.dump();
  EXPECT_EQ(Query("SELECT count(*) AS n FROM podcast_monthly_estimates")[0]["n"], 1);
  EXPECT_EQ(Query("SELECT observed_listens FROM podcast_monthly_estimates")[0]["observed_listens"].get<int64_t>(),
            10 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10);
}

TEST_F(RunE2E, FreshnessFailsWhenADailyFileIsLate) {
  // alpha delivered yesterday's file; gamma's newest file is four days old.
  const std::string yesterday = UtcDay(-1);
  const std::string four_days_ago = UtcDay(-4);
  Config(R"(
[[checks]]
name = "alpha on time"
type = "freshness"
provider = "alpha"
max_age_hours = 48

[[checks]]
name = "gamma on time"
type = "freshness"
provider = "gamma"
max_age_hours = 48
severity = "warn"
)");
  Drop("alpha", yesterday + ".csv", "day,show,ep,downloads\n" + yesterday + ",p1,e1,3\n");
  Drop("gamma", four_days_ago + ".csv", "date,podcast_id,episode_id,listens\n" + four_days_ago + ",p1,e1,1\n");
  // Yesterday's data reaches today 00:00 UTC: less than 24 h old. Gamma's
  // reaches 3 days ago: more than 72 h, over the 48 allowed, but only a warning.
  CommandResult run = Run();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("check   alpha on time  ok"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("check   gamma on time  warn"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("publish warehouse/published.duckdb  ok"), std::string::npos) << run.out;

  CommandResult check = Earshot({"check", "--project", project_.string(), "--format", "json"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  json results = json::parse(check.out);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["check"], "alpha on time");
  EXPECT_EQ(results[0]["outcome"], "pass");
  EXPECT_LT(results[0]["observed"].get<double>(), 24.0);
  EXPECT_EQ(results[1]["outcome"], "fail");
  EXPECT_GE(results[1]["observed"].get<double>(), 72.0);
  EXPECT_NE(results[1]["detail"].get<std::string>().find("the newest listens of provider gamma"), std::string::npos);

  // Gamma's lateness made an error: `check` and the next run (nothing new to
  // build, so it checks the published snapshot) both exit 1.
  std::ifstream in(project_ / "earshot.toml");
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  text.replace(text.find("severity = \"warn\""), 17, "severity = \"error\"");
  std::ofstream(project_ / "earshot.toml", std::ios::trunc) << text;
  CommandResult failing = Earshot({"check", "--project", project_.string()});
  EXPECT_EQ(failing.exit_code, 1) << failing.out << failing.err;
  EXPECT_NE(failing.out.find("gamma on time"), std::string::npos) << failing.out;
  EXPECT_NE(failing.err.find("1 error-level check failed"), std::string::npos) << failing.err;
  CommandResult late = Run();
  EXPECT_EQ(late.exit_code, 1) << late.out << late.err;
  EXPECT_NE(late.out.find("check   gamma on time  FAILED"), std::string::npos) << late.out;
  // The run history has the failed check as a task of run #2 (`check` is not a run).
  json second = ShowRun(2);
  EXPECT_EQ(second["run"]["status"], "failed");
  json gamma = Task(second, "gamma on time");
  EXPECT_EQ(gamma["kind"], "check");
  EXPECT_EQ(gamma["status"], "failed");
  EXPECT_EQ(Task(second, "models"), nullptr);  // nothing new: no build, checks on the published snapshot
}

TEST_F(RunE2E, AFailedErrorCheckKeepsThePreviousSnapshotPublished) {
  Drop("alpha", "2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n");
  ASSERT_EQ(Run({"--as-of", "2025-03-01"}).exit_code, 0);
  ASSERT_EQ(Query("SELECT observed_listens FROM podcast_monthly_estimates")[0]["observed_listens"], 10);

  // From now on, no podcast may have more than 50 observed listens in a month.
  Config(R"(
[[checks]]
table = "podcast_monthly_estimates"
type = "range"
column = "observed_listens"
max = 50

[[checks]]
table = "podcast_monthly_estimates"
type = "not_null"
columns = ["podcast_id", "month"]
)");
  Drop("alpha", "2025-01-02.csv", "day,show,ep,downloads\n2025-01-02,p1,e1,90\n");
  CommandResult blocked = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(blocked.exit_code, 1) << blocked.out << blocked.err;
  EXPECT_NE(blocked.out.find("range:podcast_monthly_estimates.observed_listens  FAILED: 1 row with observed_listens "
                             "outside <= 50, e.g. observed_listens=100"),
            std::string::npos)
      << blocked.out;
  EXPECT_NE(blocked.out.find("not_null:podcast_monthly_estimates.podcast_id,month  ok"), std::string::npos)
      << blocked.out;
  // Only the checked mart and what is built from it are held back.
  EXPECT_NE(blocked.out.find("publish warehouse/published.duckdb  warn: build #2 published except "
                             "podcast_monthly_estimates, podcast_trends, held back"),
            std::string::npos)
      << blocked.out;
  // Readers still see the last good snapshot: 10, not 100.
  EXPECT_EQ(Query("SELECT observed_listens FROM podcast_monthly_estimates")[0]["observed_listens"], 10);
  EXPECT_FALSE(fs::exists(project_ / "warehouse" / "published.duckdb.tmp"));
  // The data was loaded; the next run tries the build again (still refused).
  CommandResult again = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("build   models  ok"), std::string::npos) << again.out;
}

// "A failed task blocks only what depends on it": an error-level check failing
// on podcast_monthly_estimates holds back that mart and podcast_trends (built
// from it) in their previous version, while the playlists marts, which do not
// depend on it, are published with the new events; the run says what was held
// back and fails, and the next pass builds again.
TEST_F(RunE2E, AFailedCheckHoldsBackOnlyTheMartsThatDependOnIt) {
  const std::string events_header = "eventId,timestamp,userId,trackId,workId,listeningContext,secondsStreamed\n";
  Drop("alpha", "2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n");
  Drop("events", "events-1.csv", events_header + "a1,2025-01-01T10:00:00Z,u1,t1,w1,playlist_01,30\n");
  ASSERT_EQ(Run({"--as-of", "2025-03-01"}).exit_code, 0);
  Config(R"(
[[checks]]
table = "podcast_monthly_estimates"
type = "range"
column = "observed_listens"
max = 50
)");
  Drop("alpha", "2025-01-02.csv", "day,show,ep,downloads\n2025-01-02,p1,e1,90\n");
  Drop("events", "events-2.csv", events_header + "a2,2025-01-02T10:00:00Z,u2,t1,w1,playlist_01,45\n");
  CommandResult partial = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(partial.exit_code, 1) << partial.out;
  EXPECT_NE(partial.out.find("published except podcast_monthly_estimates, podcast_trends"), std::string::npos)
      << partial.out;
  // Held back: the previous version.
  EXPECT_EQ(Query("SELECT observed_listens FROM podcast_monthly_estimates")[0]["observed_listens"], 10);
  EXPECT_EQ(Query("SELECT count(*) AS n FROM podcast_trends")[0]["n"], 1);
  // Published: the new events are there.
  json pop = Query("SELECT streams, seconds_streamed FROM playlist_popularity WHERE playlist = 'playlist_01'");
  ASSERT_EQ(pop.size(), 1u);
  EXPECT_EQ(pop[0]["streams"], 2);
  EXPECT_EQ(pop[0]["seconds_streamed"], 75.0);
  // Recorded: the publish task says what was held back; the build is partial.
  json run = ShowRun(2);
  json publish = Task(run, "warehouse/published.duckdb");
  ASSERT_FALSE(publish.is_null()) << run.dump();
  EXPECT_EQ(publish["status"], "warn");
  EXPECT_NE(publish["error"].get<std::string>().find("held back"), std::string::npos) << publish.dump();
  EXPECT_NE(run["run"]["message"].get<std::string>().find("published except podcast_monthly_estimates"),
            std::string::npos) << run.dump();
  // Nothing new, but the held-back marts are behind: the next pass builds again.
  CommandResult again = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("build   models  ok"), std::string::npos) << again.out;
}

// [notify]: a real shell command gets a JSON summary on stdin when a check
// fails and when the run finishes; a webhook nobody answers is reported in
// the run's output and does not change its outcome.
TEST_F(RunE2E, NotificationsGoOutWhenACheckFailsAndWhenTheRunFinishes) {
  const fs::path got = root_ / "notified.ndjson";
  Config("\n[notify]\ncommand = \"cat >> " + got.string() + "\"\nwebhook = \"http://127.0.0.1:9/hook\"\n"
         "timeout_seconds = 2\n");
  Config(R"(
[[checks]]
table = "podcast_monthly_estimates"
type = "range"
column = "observed_listens"
max = 50
)");
  Drop("alpha", "2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n");
  CommandResult ok = Run({"--as-of", "2025-03-01"});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("notification (run_finished) not delivered: notify webhook http://127.0.0.1:9/hook"),
            std::string::npos) << ok.out;
  Drop("alpha", "2025-01-02.csv", "day,show,ep,downloads\n2025-01-02,p1,e1,90\n");
  CommandResult blocked = Run({"--as-of", "2025-03-01"});
  EXPECT_EQ(blocked.exit_code, 1) << blocked.out;

  std::ifstream in(got);
  std::vector<json> events;
  for (std::string line; std::getline(in, line);) events.push_back(json::parse(line));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["event"], "run_finished");
  EXPECT_EQ(events[0]["status"], "ok");
  EXPECT_EQ(events[0]["published"], true);
  EXPECT_EQ(events[1]["event"], "check_failed");
  EXPECT_EQ(events[1]["run_id"], 2);
  ASSERT_EQ(events[1]["tasks"].size(), 1u);
  EXPECT_EQ(events[1]["tasks"][0]["target"], "range:podcast_monthly_estimates.observed_listens");
  EXPECT_EQ(events[2]["event"], "run_finished");
  EXPECT_EQ(events[2]["status"], "failed");
  EXPECT_EQ(events[2]["published"], true) << "the marts that do not depend on the check";
  EXPECT_EQ(events[2]["held_back"], json({"podcast_monthly_estimates", "podcast_trends"}));
  EXPECT_EQ(events[2]["trigger"], "manual");
}

// `earshot watch` as a background process whose output goes to a file; the
// test stops it (SIGKILL as a last resort, so no process outlives the test).
class Watcher {
 public:
  Watcher(const fs::path& project, const fs::path& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::execl(EARSHOT_BINARY, EARSHOT_BINARY, "watch", "--project", project.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Watcher() {
    if (pid_ > 0 && exit_code_ < 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }
  // Waits up to `seconds` for `done`; returns whether it happened.
  template <typename F>
  static bool Within(double seconds, F done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }
  // Sends `sig` and waits up to `seconds` for the exit; returns the exit
  // code (128 + N when killed by signal N), or -1 when it did not stop.
  int Stop(int sig, double seconds) {
    ::kill(pid_, sig);
    Within(seconds, [&] {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    });
    return exit_code_;
  }
  bool started() const { return pid_ > 0; }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

TEST_F(RunE2E, WatchPicksUpANewFileWithinTwoSecondsAndStopsCleanlyOnSigterm) {
  Watcher watch(project_, root_ / "watch.log");
  ASSERT_TRUE(watch.started());
  ASSERT_TRUE(Watcher::Within(30, [&] { return watch.Log().find("watch: watching") != std::string::npos; }))
      << watch.Log();
  // Idle watching records no runs, and a second watcher is refused.
  CommandResult second = Earshot({"watch", "--project", project_.string()});
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_NE(second.err.find("another earshot run, watch or check"), std::string::npos) << second.err;

  // A delivery arrives the way careful senders write one: a .part file, renamed when complete.
  const fs::path inbox = project_ / "inbox" / "alpha";
  const fs::path part = Drop("alpha", "2025-01-01.csv.part", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n");
  const auto dropped = std::chrono::steady_clock::now();
  fs::rename(part, inbox / "2025-01-01.csv");
  const bool picked_up =
      Watcher::Within(2.0, [&] { return fs::exists(inbox / ".processed" / "2025-01-01.csv"); });
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - dropped).count();
  EXPECT_TRUE(picked_up) << "not ingested within 2 s (" << took << " s)\n" << watch.Log();

  // SIGTERM (most likely while the pass is still building): the pass
  // finishes and publishes, then watch exits 0.
  EXPECT_EQ(watch.Stop(SIGTERM, 60), 0) << watch.Log();
  const std::string log = watch.Log();
  EXPECT_NE(log.find("watch: stopping on SIGTERM"), std::string::npos) << log;
  EXPECT_NE(log.find("run #1 ok: 1 file ingested; published"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(project_ / "warehouse" / "published.duckdb"));
  CommandResult runs = Earshot({"runs", "--project", project_.string(), "--format", "json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  json list = json::parse(runs.out);
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["trigger"], "watch");
  EXPECT_EQ(list[0]["status"], "ok");
  EXPECT_EQ(Query("SELECT observed_listens FROM podcast_monthly_estimates")[0]["observed_listens"], 10);
  // The lock went with the process: a run can start now.
  EXPECT_EQ(Run().exit_code, 0);
}

TEST_F(RunE2E, WatchRefusesABadSchedule) {
  SetRun("backoff_seconds", "0\nschedules = [\"0 25 * * *\"]");
  CommandResult r = Earshot({"watch", "--project", project_.string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("run.schedules: schedule \"0 25 * * *\": hour must be 0-23"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace earshot::e2e
