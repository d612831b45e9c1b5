#include "orchestrator/pass.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <map>

#include "orchestrator/run_log.h"

namespace earshot::orchestrator {
namespace {

namespace fs = std::filesystem;

// A podcasts project with one provider, `alder` (daily CSV under our own
// field names), driven through RunPass with the real ingest wrapped so a
// test can make chosen files fail on input/output.
class PassTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "earshot-pass-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    project_.root = pattern;
    config::Provider alder;
    alder.name = "alder";
    alder.market_share = 0.1;
    alder.deliveries = {config::Delivery::kDaily};
    project_.providers.push_back(alder);
    project_.run.settle_seconds = 0;
    project_.run.retries = 2;
    project_.run.backoff_seconds = 1;
    fs::create_directories(project_.warehouse_dir());
    auto wh = warehouse::Warehouse::Open(project_.warehouse_file());
    ASSERT_TRUE(wh.ok()) << wh.status().message();
    wh_ = std::move(wh).value();
    env_.sleep = [this](double s) { sleeps_.push_back(s); };
    env_.ingest = [this](const std::vector<ingest::FileToIngest>& files) {
      std::vector<ingest::FileToIngest> real;
      std::vector<size_t> where;
      std::vector<ingest::FileOutcome> out(files.size());
      for (size_t i = 0; i < files.size(); ++i) {
        const std::string name = files[i].path.filename().string();
        ++calls_[name];
        if (auto f = io_failures_.find(name); f != io_failures_.end() && f->second > 0) {
          --f->second;
          out[i] = {files[i].path, Status::IoError("cannot read " + name + ": injected"), {}};
          continue;
        }
        real.push_back(files[i]);
        where.push_back(i);
      }
      auto done = ingest::IngestFiles(project_, *wh_, real);
      for (size_t k = 0; k < done.size(); ++k) out[where[k]] = std::move(done[k]);
      return out;
    };
  }
  void TearDown() override {
    wh_.reset();
    fs::remove_all(project_.root);
  }
  fs::path Put(const std::string& inbox, const std::string& name, const std::string& text) {
    fs::path p = project_.inbox_dir() / inbox / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
  static std::string Day(const std::string& date, int listens) {
    return "date,podcast_id,episode_id,listens\n" + date + ",p1,e1," + std::to_string(listens) + "\n";
  }
  PassReport Pass() {
    auto r = RunPass(project_, *wh_, {}, env_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : PassReport{};
  }
  static const TaskReport* Find(const PassReport& r, const std::string& kind, const std::string& target) {
    for (const auto& t : r.tasks) {
      if (t.kind == kind && t.target == target) return &t;
    }
    return nullptr;
  }
  int64_t Int(const std::string& sql) {
    auto v = wh_->QueryInt(sql);
    EXPECT_TRUE(v.ok()) << v.status().message() << "\n" << sql;
    return v.ok() ? v->value_or(-1) : -1;
  }

  config::Project project_;
  std::unique_ptr<warehouse::Warehouse> wh_;
  PassEnv env_;
  std::vector<double> sleeps_;
  std::map<std::string, int> io_failures_;  // file name -> attempts left to fail
  std::map<std::string, int> calls_;
};

TEST_F(PassTest, RetriesInputOutputFailuresWithBackoffAndSetsBadDataAside) {
  Put("podcasts", "podcasts.csv", "podcast_id,title,publisher\np1,Talk,Acme\n");
  Put("alder", "2025-01-01.csv", Day("2025-01-01", 10));
  Put("alder", "2025-01-02.csv", "day,show\n2025-01-02,p1\n");  // not alder's columns: bad data
  Put("alder", "2025-01-03.csv", Day("2025-01-03", 5));
  io_failures_["2025-01-01.csv"] = 2;  // fails twice, then loads

  PassReport r = Pass();
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.failed_tasks(), 1);
  // Two retries of the flaky file: 1 s, then 2 s. The bad file is not retried.
  EXPECT_EQ(sleeps_, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(calls_["2025-01-01.csv"], 3);
  EXPECT_EQ(calls_["2025-01-02.csv"], 1);
  const TaskReport* flaky = Find(r, "ingest", "inbox/alder/2025-01-01.csv");
  ASSERT_NE(flaky, nullptr);
  EXPECT_EQ(flaky->status, "ok");
  EXPECT_EQ(flaky->attempts, 3);
  EXPECT_EQ(flaky->rows, 1);
  const TaskReport* bad = Find(r, "ingest", "inbox/alder/2025-01-02.csv");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->status, "failed");
  EXPECT_EQ(bad->attempts, 1);
  EXPECT_NE(bad->error.find("inbox/alder/.failed/"), std::string::npos) << bad->error;
  // The file after the bad one still loads: bad data blocks nothing.
  ASSERT_NE(Find(r, "ingest", "inbox/alder/2025-01-03.csv"), nullptr);
  EXPECT_EQ(Find(r, "ingest", "inbox/alder/2025-01-03.csv")->status, "ok");
  EXPECT_EQ(Find(r, "ingest", "inbox/podcasts/podcasts.csv")->status, "ok");
  EXPECT_EQ(Find(r, "build", "models")->status, "ok");
  EXPECT_EQ(Find(r, "publish", "warehouse/published.duckdb")->status, "ok");
  EXPECT_TRUE(r.published);
  EXPECT_TRUE(fs::exists(project_.published_file()));
  // Files moved aside; the inboxes are empty for the next pass.
  EXPECT_TRUE(fs::exists(project_.inbox_dir() / "alder" / ".processed" / "2025-01-01.csv"));
  EXPECT_TRUE(fs::exists(project_.inbox_dir() / "alder" / ".failed" / "2025-01-02.csv"));
  EXPECT_FALSE(fs::exists(project_.inbox_dir() / "alder" / "2025-01-03.csv"));
  EXPECT_EQ(Int("SELECT sum(listens) FROM raw.listens"), 15);
  // The history says the same.
  EXPECT_EQ(Int("SELECT count(*) FROM raw.runs WHERE run_id = " + std::to_string(r.run_id) +
                " AND status = 'failed' AND \"trigger\" = 'manual' AND finished_at IS NOT NULL"), 1);
  EXPECT_EQ(Int("SELECT count(*) FROM raw.run_tasks WHERE run_id = " + std::to_string(r.run_id)), 6);
  EXPECT_EQ(Int("SELECT attempts FROM raw.run_tasks WHERE target = 'inbox/alder/2025-01-01.csv'"), 3);
  EXPECT_EQ(Int("SELECT count(*) FROM raw.run_tasks WHERE target = 'inbox/alder/2025-01-02.csv' AND status = 'failed'"
                " AND error LIKE '%missing_column%'"), 1);

  // Next pass: nothing new, nothing to build, nothing failed.
  PassReport again = Pass();
  EXPECT_EQ(again.status, "ok");
  EXPECT_TRUE(again.tasks.empty());
  EXPECT_FALSE(again.built);
  EXPECT_GT(again.run_id, r.run_id);
}

TEST_F(PassTest, AFileThatKeepsFailingHoldsBackTheRestOfItsInboxOnly) {
  project_.run.retries = 1;
  Put("podcasts", "podcasts.csv", "podcast_id,title,publisher\np1,Talk,Acme\n");
  Put("alder", "2025-01-01.csv", Day("2025-01-01", 10));
  Put("alder", "2025-01-02.csv", Day("2025-01-02", 20));
  io_failures_["2025-01-01.csv"] = 2;  // more than one retry

  PassReport r = Pass();
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(sleeps_, (std::vector<double>{1.0}));
  const TaskReport* first = Find(r, "ingest", "inbox/alder/2025-01-01.csv");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->status, "failed");
  EXPECT_EQ(first->attempts, 2);
  EXPECT_NE(first->error.find("left in the inbox"), std::string::npos) << first->error;
  const TaskReport* second = Find(r, "ingest", "inbox/alder/2025-01-02.csv");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->status, "skipped");
  EXPECT_EQ(calls_["2025-01-02.csv"], 0);
  EXPECT_EQ(Find(r, "ingest", "inbox/podcasts/podcasts.csv")->status, "ok");
  EXPECT_TRUE(fs::exists(project_.inbox_dir() / "alder" / "2025-01-01.csv"));
  EXPECT_TRUE(fs::exists(project_.inbox_dir() / "alder" / "2025-01-02.csv"));
  EXPECT_TRUE(r.published);  // the catalog was loaded: it is published

  // The fault is gone: both files load, in name order.
  PassReport next = Pass();
  EXPECT_EQ(next.status, "ok") << next.message;
  EXPECT_EQ(Int("SELECT count(*) FROM raw.ingests WHERE provider = 'alder' AND status = 'loaded'"), 2);
  EXPECT_EQ(Int("SELECT count(*) FROM raw.ingests a JOIN raw.ingests b ON a.file_name = '2025-01-01.csv' "
                "AND b.file_name = '2025-01-02.csv' AND a.ingest_id < b.ingest_id"), 1);
}

TEST_F(PassTest, AnErrorCheckKeepsThePreviousSnapshotAndAWarningDoesNot) {
  config::CheckSpec only_monthly;
  only_monthly.name = "deliveries";
  only_monthly.table = "raw.listens";
  only_monthly.type = config::CheckType::kAcceptedValues;
  only_monthly.columns = {"delivery"};
  only_monthly.values = {"monthly"};
  project_.checks = {only_monthly};
  Put("alder", "2025-01-01.csv", Day("2025-01-01", 10));

  PassReport blocked = Pass();
  EXPECT_EQ(blocked.status, "failed");
  EXPECT_TRUE(blocked.built);
  EXPECT_FALSE(blocked.published);
  EXPECT_FALSE(fs::exists(project_.published_file()));
  EXPECT_FALSE(fs::exists(project_.published_file().string() + ".tmp"));
  const TaskReport* check = Find(blocked, "check", "deliveries");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->status, "failed");
  EXPECT_EQ(check->rows, 1);
  EXPECT_NE(check->error.find("delivery=daily"), std::string::npos) << check->error;
  const TaskReport* publish = Find(blocked, "publish", "warehouse/published.duckdb");
  ASSERT_NE(publish, nullptr);
  EXPECT_EQ(publish->status, "skipped");
  EXPECT_NE(publish->error.find("1 error-level check failed (deliveries)"), std::string::npos) << publish->error;
  EXPECT_EQ(Int("SELECT count(*) FROM raw.builds WHERE status = 'failed' AND message LIKE '%deliveries%'"), 1);
  EXPECT_EQ(Int("SELECT count(*) FROM raw.check_results WHERE outcome = 'fail' AND run_id = " +
                std::to_string(blocked.run_id)), 1);

  // The same failure as a warning: the snapshot is behind the data, so the
  // next pass builds again even though no file arrived, and publishes.
  project_.checks[0].severity = config::Severity::kWarn;
  PassReport warned = Pass();
  EXPECT_EQ(warned.status, "ok") << warned.message;
  EXPECT_TRUE(warned.published);
  EXPECT_EQ(Find(warned, "check", "deliveries")->status, "warn");
  EXPECT_TRUE(fs::exists(project_.published_file()));

  // Nothing new: no build, but the checks run on the published snapshot.
  PassReport idle = Pass();
  EXPECT_FALSE(idle.built);
  EXPECT_EQ(Find(idle, "build", "models"), nullptr);
  ASSERT_NE(Find(idle, "check", "deliveries"), nullptr);
  EXPECT_EQ(Find(idle, "check", "deliveries")->status, "warn");
  EXPECT_EQ(idle.status, "ok");
}

TEST_F(PassTest, RunsLeftRunningByADeadProcessAreAbandoned) {
  auto dead = RunLog::Start(*wh_, "manual");
  ASSERT_TRUE(dead.ok());
  ASSERT_TRUE(dead->StartTask("ingest", "inbox/alder/x.csv").ok());
  PassReport r = Pass();
  EXPECT_EQ(Int("SELECT count(*) FROM raw.runs WHERE run_id = " + std::to_string(dead->run_id()) +
                " AND status = 'abandoned'"), 1);
  EXPECT_EQ(Int("SELECT count(*) FROM raw.run_tasks WHERE status = 'abandoned'"), 1);
  auto runs = ListRuns(*wh_, 10);
  ASSERT_TRUE(runs.ok()) << runs.status().message();
  ASSERT_EQ(runs->rows.size(), 2u);
  EXPECT_EQ(runs->rows[0][0], std::to_string(r.run_id));  // newest first
  auto tasks = RunTasks(*wh_, dead->run_id());
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(tasks->rows.size(), 1u);
  EXPECT_EQ(RunRow(*wh_, 999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace earshot::orchestrator
