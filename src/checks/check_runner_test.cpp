#include "checks/check_runner.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>

#include "checks/check_sql.h"

namespace earshot::checks {
namespace {

namespace fs = std::filesystem;
using config::CheckSpec;
using config::CheckType;
using config::Severity;

// A working warehouse with a few raw tables and a snapshot file holding one
// mart, `t`, made by build 7.
class ChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "earshot-checks-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto wh = warehouse::Warehouse::Open(dir_ / "earshot.duckdb");
    ASSERT_TRUE(wh.ok()) << wh.status().message();
    wh_ = std::move(wh).value();
    ASSERT_TRUE(wh_->Execute(R"sql(
      CREATE SCHEMA raw;
      CREATE TABLE raw.ref (id VARCHAR);
      INSERT INTO raw.ref VALUES ('a');
      CREATE TABLE raw.builds (build_id BIGINT, status VARCHAR);
      CREATE TABLE raw.listens (provider VARCHAR, delivery VARCHAR, period DATE, listened_at TIMESTAMP);
      INSERT INTO raw.listens VALUES
        ('alder', 'daily', DATE '2025-01-02', NULL), ('alder', 'daily', DATE '2025-01-03', NULL),
        ('birch', 'monthly', DATE '2024-12-01', NULL),
        ('ember', 'instant', DATE '2025-01-04', TIMESTAMP '2025-01-04 18:30:00');
      CREATE TABLE raw.ingests (source VARCHAR, status VARCHAR, finished_at TIMESTAMP);
      INSERT INTO raw.ingests VALUES ('episodes', 'loaded', TIMESTAMP '2025-01-05 06:00:00'),
                                     ('episodes', 'failed', TIMESTAMP '2025-01-05 11:00:00');
    )sql").ok());
    MakeSnapshot("snap.duckdb", 7, 3);
    auto snap = AttachedSnapshot::Attach(*wh_, dir_ / "snap.duckdb", "snap");
    ASSERT_TRUE(snap.ok()) << snap.status().message();
    snap_.emplace(std::move(snap).value());
    target_.marts_catalog = "snap";
    target_.build_id = snap_->build_id();
    // 2025-01-05 12:00:00 UTC
    target_.now = std::chrono::system_clock::time_point(std::chrono::seconds(1736078400));
  }
  void TearDown() override {
    snap_.reset();
    wh_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // A snapshot whose mart `t` has the three rows below, plus `extra` copies of row a.
  void MakeSnapshot(const std::string& name, int64_t build_id, int rows) {
    const std::string path = (dir_ / name).string();
    ASSERT_TRUE(wh_->Execute("ATTACH " + warehouse::SqlQuote(path) + " AS mk").ok());
    ASSERT_TRUE(wh_->Execute("CREATE TABLE mk.main.t (id VARCHAR, month VARCHAR, coverage DOUBLE, kind VARCHAR);"
                             "INSERT INTO mk.main.t VALUES ('a', '2025-01', 0.5, 'daily'), ('b', NULL, 1.5, 'weekly'),"
                             " ('b', '2025-02', 0.2, NULL);"
                             "INSERT INTO mk.main.t SELECT 'x' || i, '2025-03', 0.1, 'daily' FROM range(" +
                             std::to_string(rows - 3) + ") r(i);"
                             "CREATE TABLE mk.main.earshot_build AS SELECT " + std::to_string(build_id) +
                             "::BIGINT AS build_id;"
                             "DETACH mk")
                    .ok());
  }
  CheckSpec Spec(CheckType type, std::string table, std::vector<std::string> columns) {
    CheckSpec s;
    s.type = type;
    s.table = std::move(table);
    s.columns = std::move(columns);
    s.name = std::string(config::CheckTypeName(type)) + ":" + s.table + std::to_string(++n_);
    return s;
  }

  fs::path dir_;
  std::unique_ptr<warehouse::Warehouse> wh_;
  std::optional<AttachedSnapshot> snap_;
  CheckTarget target_;
  int n_ = 0;
};

TEST_F(ChecksTest, RowChecksPassAndFail) {
  auto accepted = [&](std::vector<std::string> values) {
    CheckSpec s = Spec(CheckType::kAcceptedValues, "t", {"kind"});
    s.values = std::move(values);
    return s;
  };
  auto range = [&](std::optional<double> lo, std::optional<double> hi) {
    CheckSpec s = Spec(CheckType::kRange, "t", {"coverage"});
    s.min = lo;
    s.max = hi;
    return s;
  };
  auto rel = [&](std::string column, std::string to_table, std::string to_column) {
    CheckSpec s = Spec(CheckType::kRelationships, "t", {std::move(column)});
    s.to_table = std::move(to_table);
    s.to_column = std::move(to_column);
    return s;
  };
  struct Case {
    CheckSpec spec;
    Outcome outcome;
    int64_t failing;
    std::string detail;  // a part of it
  };
  const std::vector<Case> cases = {
      {Spec(CheckType::kNotNull, "t", {"id"}), Outcome::kPass, 0, ""},
      {Spec(CheckType::kNotNull, "t", {"month"}), Outcome::kFail, 1, "1 row with NULL in month, e.g. month=NULL"},
      {Spec(CheckType::kNotNull, "t", {"id", "kind"}), Outcome::kFail, 1, "id=b, kind=NULL"},
      {Spec(CheckType::kUnique, "t", {"id"}), Outcome::kFail, 1, "1 key repeated (id) values, e.g. id=b, occurrences=2"},
      {Spec(CheckType::kUnique, "t", {"id", "month"}), Outcome::kPass, 0, ""},
      {accepted({"daily", "monthly"}), Outcome::kFail, 1, "kind=weekly"},  // NULL is not judged
      {accepted({"daily", "monthly", "weekly"}), Outcome::kPass, 0, ""},
      {range(0.0, 1.0), Outcome::kFail, 1, "outside [0, 1], e.g. coverage=1.5"},
      {range(0.0, std::nullopt), Outcome::kPass, 0, ""},
      {range(std::nullopt, 0.3), Outcome::kFail, 2, "outside <= 0.3, e.g. coverage=0.5"},
      {rel("id", "raw.ref", "id"), Outcome::kFail, 2, "2 rows with a id missing from raw.ref.id"},
      {rel("id", "t", "id"), Outcome::kPass, 0, ""},
      {Spec(CheckType::kNotNull, "no_such_mart", {"id"}), Outcome::kError, 0, "could not run"},
      {Spec(CheckType::kNotNull, "t", {"no_such_column"}), Outcome::kError, 0, "could not run"},
  };
  for (const Case& c : cases) {
    CheckResult r = RunCheck(*wh_, c.spec, target_);
    EXPECT_EQ(r.outcome, c.outcome) << c.spec.name << ": " << r.detail;
    EXPECT_EQ(r.failing_rows, c.failing) << c.spec.name << ": " << r.detail;
    EXPECT_NE(r.detail.find(c.detail), std::string::npos) << c.spec.name << ": " << r.detail;
    EXPECT_EQ(r.blocks(), c.outcome != Outcome::kPass) << c.spec.name;  // severity error by default
  }
}

TEST_F(ChecksTest, FreshnessOfAProviderASourceAndAColumn) {
  auto fresh = [&](std::string provider, std::string source, double hours) {
    CheckSpec s = Spec(CheckType::kFreshness, provider.empty() ? "raw.ingests" : "raw.listens", {});
    s.provider = std::move(provider);
    s.source = std::move(source);
    s.max_age_hours = hours;
    return s;
  };
  struct Case {
    CheckSpec spec;
    Outcome outcome;
    double age_hours;  // expected observed; < 0 for none
  };
  // now = 2025-01-05 12:00. alder's newest day 2025-01-03 ends 2025-01-04 00:00: 36 h.
  // birch's newest month December 2024 ends 2025-01-01 00:00: 108 h.
  // ember's newest event 2025-01-04 18:30: 17.5 h. episodes loaded 2025-01-05 06:00: 6 h
  // (the later failed ingest does not count).
  CheckSpec column = Spec(CheckType::kFreshness, "raw.listens", {"listened_at"});
  column.max_age_hours = 12;
  const std::vector<Case> cases = {
      {fresh("alder", "", 48), Outcome::kPass, 36},
      {fresh("alder", "", 35), Outcome::kFail, 36},
      {fresh("birch", "", 24 * 31), Outcome::kPass, 108},
      {fresh("ember", "", 17), Outcome::kFail, 17.5},
      {fresh("nobody", "", 1000), Outcome::kFail, -1},
      {fresh("", "episodes", 6.5), Outcome::kPass, 6},
      {fresh("", "creators", 1000), Outcome::kFail, -1},
      {column, Outcome::kFail, 17.5},
  };
  for (const Case& c : cases) {
    CheckResult r = RunCheck(*wh_, c.spec, target_);
    EXPECT_EQ(r.outcome, c.outcome) << c.spec.name << ": " << r.detail;
    if (c.age_hours < 0) {
      EXPECT_FALSE(r.observed.has_value()) << r.detail;
      EXPECT_NE(r.detail.find("no data"), std::string::npos) << r.detail;
    } else {
      ASSERT_TRUE(r.observed.has_value()) << r.detail;
      EXPECT_NEAR(*r.observed, c.age_hours, 1e-9) << c.spec.name;
    }
  }
}

TEST_F(ChecksTest, RowCountChangeAgainstTheTrailingAverageOfPublishedBuilds) {
  CheckSpec spec = Spec(CheckType::kRowCountChange, "t", {});
  spec.max_change = 0.5;
  spec.history = 2;
  spec.severity = Severity::kWarn;
  // No history: passes and records 3 rows for build 7.
  auto first = RunAndStoreChecks(*wh_, {spec}, target_);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ((*first)[0].outcome, Outcome::kPass);
  EXPECT_NE((*first)[0].detail.find("no earlier published build"), std::string::npos);
  // Build 7 published; earlier builds 5 (published, 2 rows) and 6 (failed, 1000 rows: not counted).
  ASSERT_TRUE(wh_->Execute("INSERT INTO raw.builds VALUES (5, 'published'), (6, 'failed'), (7, 'published');"
                           "INSERT INTO raw.check_results (check_name, build_id, outcome, observed, checked_at) VALUES "
                           "(" + warehouse::SqlQuote(spec.name) + ", 5, 'pass', 2, TIMESTAMP '2025-01-01'),"
                           "(" + warehouse::SqlQuote(spec.name) + ", 6, 'pass', 1000, TIMESTAMP '2025-01-02')").ok());
  // Build 8 with 6 rows: trailing average over builds 7 (3) and 5 (2) = 2.5; +140% > 50%.
  snap_.reset();
  MakeSnapshot("snap8.duckdb", 8, 6);
  auto snap8 = AttachedSnapshot::Attach(*wh_, dir_ / "snap8.duckdb", "snap");
  ASSERT_TRUE(snap8.ok()) << snap8.status().message();
  EXPECT_EQ(snap8->build_id(), 8);
  target_.build_id = 8;
  auto second = RunAndStoreChecks(*wh_, {spec}, target_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  const CheckResult& r = (*second)[0];
  EXPECT_EQ(r.outcome, Outcome::kFail) << r.detail;
  EXPECT_EQ(r.observed, 6.0);
  EXPECT_NE(r.detail.find("trailing average of 2.5 over 2 builds: +140.0%"), std::string::npos) << r.detail;
  EXPECT_FALSE(r.blocks());  // severity warn
  // With history = 1 only build 7 counts: 3 -> 6 is +100%, still above 50%; max_change 1.0 lets it pass.
  spec.history = 1;
  spec.max_change = 1.0;
  EXPECT_EQ(RunCheck(*wh_, spec, target_).outcome, Outcome::kPass);
  // Every result is stored with its build.
  EXPECT_EQ(wh_->QueryInt("SELECT count(*) FROM raw.check_results WHERE build_id IN (7, 8)")->value_or(0), 2);
  EXPECT_EQ(wh_->QueryInt("SELECT count(*) FROM raw.check_results WHERE outcome = 'fail' AND build_id = 8 "
                          "AND severity = 'warn' AND check_type = 'row_count_change' AND observed = 6")
                ->value_or(0),
            1);
  Table t = ResultsTable(*second);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][4], "fail");
}

TEST(CheckSql, QuotesNamesAndKeepsRawTablesInTheWorkingWarehouse) {
  EXPECT_EQ(TableRef("raw.listens", "snap"), "raw.\"listens\"");
  EXPECT_EQ(TableRef("podcast_trends", "snap"), "snap.main.\"podcast_trends\"");
  CheckSpec s;
  s.type = CheckType::kRowCountChange;
  EXPECT_EQ(FailingRowsSql(s, "snap"), "");
}

TEST(AttachedSnapshotTest, MissingFileIsNotFound) {
  std::string pattern = (fs::temp_directory_path() / "earshot-checks-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  auto wh = warehouse::Warehouse::Open(fs::path(pattern) / "w.duckdb");
  ASSERT_TRUE(wh.ok());
  auto snap = AttachedSnapshot::Attach(**wh, fs::path(pattern) / "none.duckdb", "snap");
  EXPECT_EQ(snap.status().code(), StatusCode::kNotFound);
  wh->reset();
  fs::remove_all(pattern);
}

}  // namespace
}  // namespace earshot::checks
