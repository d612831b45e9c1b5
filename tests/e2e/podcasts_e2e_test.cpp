// End-to-end tests of the podcasts pipeline (shared/contracts/podcasts.md):
// each test writes a small earshot.toml and small deliveries into a fresh
// project, runs the real `earshot` binary (ingest, build --as-of, query) and
// checks the marts against answers worked out by hand from the contract's
// definitions. The arithmetic is written out beside each expectation with the
// fixture's numbers; nothing is copied from the program's output.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace earshot::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr double kEps = 1e-9;

// Mean and sample standard deviation of the providers' own estimates, and
// the bounds the contract defines from them.
struct Bounds {
  double low, high;
};
Bounds ExpectedBounds(double estimate, double observed, const std::vector<double>& own_estimates) {
  const double k = static_cast<double>(own_estimates.size());
  double mean = 0;
  for (double e : own_estimates) mean += e / k;
  double ss = 0;
  for (double e : own_estimates) ss += (e - mean) * (e - mean);
  const double se = std::sqrt(ss / (k - 1)) / std::sqrt(k);
  return {std::max(estimate - 1.96 * se, observed), estimate + 1.96 * se};
}

class PodcastsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = FreshTempDir("earshot-pod-e2e");
    ASSERT_FALSE(root_.empty());
    project_ = (root_ / "project").string();
    CommandResult init = Earshot({"init", project_});
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  void TearDown() override {
    // rows_in = accepted + rejected + duplicates, for every ingest of every test.
    json ingests = Status()["ingests"];
    for (const auto& i : ingests) {
      if (i["status"] != "loaded") continue;
      EXPECT_EQ(i["rows_in"].get<int64_t>(),
                i["accepted"].get<int64_t>() + i["rejected"].get<int64_t>() + i["duplicates"].get<int64_t>())
          << i.dump();
    }
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void Config(const std::string& providers) {
    std::ofstream(fs::path(project_) / "earshot.toml", std::ios::app) << providers;
  }
  std::string Write(const std::string& name, const std::string& contents) {
    fs::path p = root_ / "files" / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << contents;
    return p.string();
  }
  CommandResult Ingest(const std::string& provider, const std::string& file) {
    CommandResult r = provider.empty() ? Earshot({"ingest", "--project", project_, file})
                                       : Earshot({"ingest", "--project", project_, "--provider", provider, file});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r;
  }
  void Build(const std::string& as_of) {
    CommandResult r = Earshot({"build", "--project", project_, "--as-of", as_of});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  json Query(const std::string& sql) {
    CommandResult r = Earshot({"query", "--project", project_, "--format", "json", sql});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::array();
  }
  json Status() {
    CommandResult r = Earshot({"status", "--project", project_, "--format", "json"});
    return r.exit_code == 0 ? json::parse(r.out) : json::object();
  }
  // The one row of `table` for `where`; fails the test when there is not exactly one.
  json Row(const std::string& table, const std::string& where) {
    json rows = Query("SELECT * FROM " + table + " WHERE " + where);
    EXPECT_EQ(rows.size(), 1u) << table << " WHERE " << where << ": " << rows.dump();
    return rows.empty() ? json::object() : rows[0];
  }

  fs::path root_;
  std::string project_;
};

// kAlphaBetaProviders (e2e_support.h). alpha: only 2 of January's 31 days
// delivered (a missing daily file, a partial month); beta: January restated.
TEST_F(PodcastsE2E, MonthlyEstimatesWithRestatementPartialMonthAndOneProvider) {
  Config(kAlphaBetaProviders);
  Ingest("", Write("podcasts.csv", "podcast_id,title,publisher\np1,\"Talk, Talk\",Acme\np2,Quiet,Acme\n"));
  Ingest("alpha", Write("alpha/2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,10\n2025-01-01,p1,e2,20\n"
                                                "2025-01-01,p2,e3,5\n"));
  Ingest("alpha", Write("alpha/2025-01-02.csv", "day,show,ep,downloads\n2025-01-02,p1,e1,4\n"));
  Ingest("beta", Write("beta/2025-01.json", R"({"provider": "beta", "rows": [
    {"period": "2025-01", "podcast": "p1", "plays": 300},
    {"period": "2025-01", "podcast": "p2", "plays": 0},
    {"period": "2025-01", "podcast": "p3", "plays": 50}]})"));
  // The restatement: a newer delivery for the same provider and month replaces the first.
  Ingest("beta", Write("beta/2025-01.restated.json",
                       R"({"rows": [{"period": "2025-01", "podcast": "p1", "plays": 400},
                                   {"period": "2025-01", "podcast": "p2", "plays": 10}]})"));
  Ingest("beta", Write("beta/2025-02.json", R"({"rows": [{"period": "2025-02", "podcast": "p1", "plays": 500}]})"));
  Build("2025-03-10");

  // January: alpha covers 2 of 31 days, beta the whole month.
  const double coverage = 0.10 * 2.0 / 31.0 + 0.20 * 1.0;
  {
    json r = Row("podcast_monthly_estimates", "podcast_id = 'p1' AND month = '2025-01'");
    // alpha: 10 + 20 + 4 = 34 (its episodes summed); beta: 400 (restated, not 300).
    const double observed = 34 + 400;
    EXPECT_EQ(r["podcast_title"], "Talk, Talk");
    EXPECT_EQ(r["observed_listens"].get<int64_t>(), 434);
    EXPECT_NEAR(r["coverage"].get<double>(), coverage, kEps);
    const double estimate = observed / coverage;
    EXPECT_NEAR(r["estimated_listens"].get<double>(), estimate, 1e-6);
    // Own estimates: alpha 34 / (0.1 * 2/31) = 5270, beta 400 / 0.2 = 2000.
    Bounds b = ExpectedBounds(estimate, observed, {34 / (0.10 * 2.0 / 31.0), 400 / 0.20});
    EXPECT_NEAR(r["estimate_low"].get<double>(), b.low, 1e-6);
    EXPECT_NEAR(r["estimate_high"].get<double>(), b.high, 1e-6);
    EXPECT_EQ(r["estimate_low"].get<double>(), 434.0);  // clamped at observed
    EXPECT_EQ(r["providers_reporting"].get<int64_t>(), 2);
    EXPECT_EQ(r["month_complete"], false);
  }
  {
    json r = Row("podcast_monthly_estimates", "podcast_id = 'p2' AND month = '2025-01'");
    // alpha 5, beta 10 (restated from an explicit 0).
    EXPECT_EQ(r["observed_listens"].get<int64_t>(), 15);
    const double estimate = 15 / coverage;
    EXPECT_NEAR(r["estimated_listens"].get<double>(), estimate, 1e-6);
    Bounds b = ExpectedBounds(estimate, 15, {5 / (0.10 * 2.0 / 31.0), 10 / 0.20});
    EXPECT_NEAR(r["estimate_high"].get<double>(), b.high, 1e-6);
  }
  // p3 was only in the replaced January file: no provider says anything about it now.
  EXPECT_TRUE(Query("SELECT * FROM podcast_monthly_estimates WHERE podcast_id = 'p3'").empty());
  {
    // February: beta alone (k = 1): both bounds NULL.
    json r = Row("podcast_monthly_estimates", "podcast_id = 'p1' AND month = '2025-02'");
    EXPECT_EQ(r["observed_listens"].get<int64_t>(), 500);
    EXPECT_NEAR(r["coverage"].get<double>(), 0.20, kEps);
    EXPECT_NEAR(r["estimated_listens"].get<double>(), 2500.0, 1e-9);
    EXPECT_TRUE(r["estimate_low"].is_null());
    EXPECT_TRUE(r["estimate_high"].is_null());
    EXPECT_EQ(r["providers_reporting"].get<int64_t>(), 1);
  }
  // p1 and p2 in January, p1 in February.
  EXPECT_EQ(Query("SELECT * FROM podcast_monthly_estimates").size(), 3u);
}

// gamma: per episode, a JSON array; daily in January, monthly from February
// (a provider switching from daily to monthly). delta: instant events (NDJSON).
constexpr const char* kGammaDelta = R"(
[podcasts]
trend_floor = 0

[providers.gamma]
market_share = 0.10
granularity = "episode"
deliveries = ["daily", "monthly"]
format = "json"

[providers.delta]
market_share = 0.10
granularity = "episode"
deliveries = ["instant"]
format = "ndjson"
[providers.delta.mapping]
event_id = "id"
listened_at = "ts"
)";

std::string Day(int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "2025-%02d-%02d", month, day);
  return buf;
}

TEST_F(PodcastsE2E, SwitchingProviderInstantEventsTrendsCreatorsAndFirst30Days) {
  Config(kGammaDelta);
  Ingest("", Write("episodes.csv",
                   "episode_id,podcast_id,title,published_at\n"
                   "e1,p1,Pilot,2025-01-01T08:00:00Z\n"
                   "e2,p1,Late January,2025-01-31T22:00:00Z\n"
                   "e3,p1,Unheard,2025-02-10T00:00:00Z\n"));
  Ingest("", Write("creators.csv", "creator_id,name\nc1,Ann\nc2,Bob\nc3,Cy\n"));
  Ingest("", Write("episode_credits.csv",
                   "episode_id,creator_id,role\ne1,c1,host\ne2,c1,host\ne2,c2,guest\ne2,c2,host\ne3,c3,host\n"));
  // January: gamma daily files for all 31 days, 2 listens of e1 each day.
  for (int d = 1; d <= 31; ++d) {
    Ingest("gamma", Write("gamma/" + Day(1, d) + ".json",
                          "[{\"date\": \"" + Day(1, d) + "\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", "
                          "\"listens\": 2}]"));
  }
  // February and March: gamma monthly files.
  Ingest("gamma", Write("gamma/2025-02.json", R"([{"month": "2025-02", "podcast_id": "p1", "episode_id": "e1", "listens": 100},
{"month": "2025-02", "podcast_id": "p1", "episode_id": "e2", "listens": 20}])"));
  Ingest("gamma", Write("gamma/2025-03.json",
                        R"([{"month": "2025-03", "podcast_id": "p1", "episode_id": "e1", "listens": 300}])"));
  // delta: 3 events of e1 a day on January 1-10 (plus one resent event),
  // one event of e2 a day all February, one of e1 a day on March 1-14, and
  // one on March 15, which is not over at the build's as-of date.
  std::string events;
  int n = 0;
  auto event = [&](const std::string& day, const std::string& episode) {
    events += "{\"id\": \"ev" + std::to_string(++n) + "\", \"podcast_id\": \"p1\", \"episode_id\": \"" + episode +
              "\", \"ts\": \"" + day + "T12:00:00Z\"}\n";
  };
  for (int d = 1; d <= 10; ++d) {
    for (int i = 0; i < 3; ++i) event(Day(1, d), "e1");
  }
  events += "{\"id\": \"ev1\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"ts\": \"2025-01-01T12:00:00Z\"}\n";
  for (int d = 1; d <= 28; ++d) event(Day(2, d), "e2");
  for (int d = 1; d <= 15; ++d) event(Day(3, d), "e1");
  CommandResult ingested = Ingest("delta", Write("delta/events.ndjson", events));
  EXPECT_NE(ingested.out.find("1 duplicates"), std::string::npos) << ingested.out;
  Build("2025-03-15");

  // January: gamma f = 1 (31 daily files), delta f = 10/31.
  const double jan_cov = 0.10 + 0.10 * 10.0 / 31.0;
  const double jan_est = (62.0 + 30.0) / jan_cov;  // gamma 2 x 31 = 62, delta 3 x 10 = 30
  // February: gamma monthly f = 1, delta 28/28 days: the month is complete.
  const double feb_est = (120.0 + 28.0) / 0.20;
  // March: gamma monthly f = 1, delta 14/31 (March 15 is not over).
  const double mar_cov = 0.10 + 0.10 * 14.0 / 31.0;
  const double mar_est = (300.0 + 14.0) / mar_cov;
  {
    json jan = Row("podcast_monthly_estimates", "month = '2025-01'");
    EXPECT_EQ(jan["observed_listens"].get<int64_t>(), 92);
    EXPECT_NEAR(jan["coverage"].get<double>(), jan_cov, kEps);
    EXPECT_NEAR(jan["estimated_listens"].get<double>(), jan_est, 1e-6);
    EXPECT_EQ(jan["month_complete"], false);
    json feb = Row("podcast_monthly_estimates", "month = '2025-02'");
    EXPECT_EQ(feb["observed_listens"].get<int64_t>(), 148);
    EXPECT_NEAR(feb["estimated_listens"].get<double>(), feb_est, 1e-6);
    EXPECT_EQ(feb["month_complete"], true);
    Bounds b = ExpectedBounds(feb_est, 148, {120 / 0.10, 28 / 0.10});
    EXPECT_NEAR(feb["estimate_low"].get<double>(), b.low, 1e-6);
    EXPECT_NEAR(feb["estimate_high"].get<double>(), b.high, 1e-6);
    json mar = Row("podcast_monthly_estimates", "month = '2025-03'");
    EXPECT_EQ(mar["observed_listens"].get<int64_t>(), 314);
    EXPECT_NEAR(mar["coverage"].get<double>(), mar_cov, kEps);
    EXPECT_EQ(mar["month_complete"], false);
  }
  {
    json jan = Row("podcast_trends", "month = '2025-01'");
    EXPECT_TRUE(jan["mom_growth"].is_null());
    EXPECT_TRUE(jan["growth_3m"].is_null());
    EXPECT_TRUE(jan["trend_rank"].is_null());
    json feb = Row("podcast_trends", "month = '2025-02'");
    EXPECT_NEAR(feb["mom_growth"].get<double>(), feb_est / jan_est - 1, 1e-9);
    EXPECT_TRUE(feb["growth_3m"].is_null());
    json mar = Row("podcast_trends", "month = '2025-03'");
    EXPECT_NEAR(mar["mom_growth"].get<double>(), mar_est / feb_est - 1, 1e-9);
    // Least squares through (-2, ln jan), (-1, ln feb), (0, ln mar): slope = (ln mar - ln jan) / 2.
    EXPECT_NEAR(mar["growth_3m"].get<double>(), std::exp((std::log(mar_est) - std::log(jan_est)) / 2) - 1, 1e-9);
    EXPECT_EQ(mar["trend_rank"].get<int64_t>(), 1);
  }
  {
    // Episodes in February (both providers per episode, coverage 0.2):
    // e1 = 100 / 0.2 = 500; e2 = (20 + 28) / 0.2 = 240; e3 has no listens.
    json c1 = Row("creator_popularity", "creator_id = 'c1' AND month = '2025-02'");
    EXPECT_EQ(c1["creator_name"], "Ann");
    EXPECT_EQ(c1["episodes"].get<int64_t>(), 2);
    EXPECT_NEAR(c1["attributed_listens"].get<double>(), 740.0, 1e-9);
    EXPECT_NEAR(c1["avg_listens_per_episode"].get<double>(), 370.0, 1e-9);
    EXPECT_EQ(c1["rank"].get<int64_t>(), 1);
    json c2 = Row("creator_popularity", "creator_id = 'c2' AND month = '2025-02'");
    EXPECT_EQ(c2["episodes"].get<int64_t>(), 1);  // credited twice on e2, counted once
    EXPECT_NEAR(c2["attributed_listens"].get<double>(), 240.0, 1e-9);
    EXPECT_EQ(c2["rank"].get<int64_t>(), 2);
    json c1_jan = Row("creator_popularity", "creator_id = 'c1' AND month = '2025-01'");
    EXPECT_NEAR(c1_jan["attributed_listens"].get<double>(), jan_est, 1e-6);
    EXPECT_TRUE(Query("SELECT * FROM creator_popularity WHERE creator_id IN ('c3') "
                      "OR (creator_id = 'c2' AND month = '2025-01')").empty());
  }
  {
    // e1: window January 1-30. gamma's daily files cover all 30 days (2 a
    // day = 60); delta covers January 1-10 (30 events): f = 10/30.
    json e1 = Row("episode_first_30_days", "episode_id = 'e1'");
    const double cov = 0.10 + 0.10 * 10.0 / 30.0;
    EXPECT_EQ(e1["observed_listens_30d"].get<int64_t>(), 90);
    EXPECT_NEAR(e1["coverage_30d"].get<double>(), cov, kEps);
    EXPECT_NEAR(e1["estimated_listens_30d"].get<double>(), 90 / cov, 1e-6);
    EXPECT_EQ(e1["window_complete"], false);
    EXPECT_EQ(e1["episode_title"], "Pilot");
    // e2, published January 31 22:00 UTC: window January 31 - March 1.
    // gamma covers only January 31 at day level (its monthly February file
    // does not count): f = 1/30. delta covers February 1-28 and March 1 but
    // not January 31: f = 29/30; its 28 February events of e2 are inside.
    json e2 = Row("episode_first_30_days", "episode_id = 'e2'");
    EXPECT_EQ(e2["observed_listens_30d"].get<int64_t>(), 28);
    EXPECT_NEAR(e2["coverage_30d"].get<double>(), 0.10 * 1.0 / 30.0 + 0.10 * 29.0 / 30.0, kEps);
    EXPECT_NEAR(e2["estimated_listens_30d"].get<double>(), 28 / 0.10, 1e-6);
    // e3: window February 10 - March 11: delta covers all 30 days, gamma none.
    json e3 = Row("episode_first_30_days", "episode_id = 'e3'");
    EXPECT_EQ(e3["observed_listens_30d"].get<int64_t>(), 0);
    EXPECT_NEAR(e3["coverage_30d"].get<double>(), 0.10, kEps);
    EXPECT_NEAR(e3["estimated_listens_30d"].get<double>(), 0.0, kEps);
    EXPECT_EQ(e3["window_complete"], false);
  }
}

TEST_F(PodcastsE2E, DailyBeatsInstantOnTheSameDayUnlessPrecedenceSaysOtherwise) {
  Config(R"(
[providers.both]
market_share = 0.10
granularity = "episode"
deliveries = ["daily", "instant"]
format = "ndjson"

[providers.eventsfirst]
market_share = 0.10
granularity = "episode"
deliveries = ["daily", "instant"]
format = "ndjson"
precedence = ["instant", "daily", "monthly"]
)");
  const std::string daily = "{\"date\": \"2025-01-05\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listens\": 7}\n";
  const std::string instant =
      "{\"event_id\": \"a\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listened_at\": \"2025-01-05T01:00:00Z\"}\n"
      "{\"event_id\": \"b\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listened_at\": \"2025-01-05T02:00:00Z\"}\n"
      "{\"event_id\": \"c\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listened_at\": \"2025-01-06T02:00:00Z\"}\n";
  for (const char* p : {"both", "eventsfirst"}) {
    Ingest(p, Write(std::string(p) + "/2025-01-05.ndjson", daily));
    Ingest(p, Write(std::string(p) + "/events.ndjson", instant));
  }
  Build("2025-02-01");
  // both: January 5 from the daily file (7), January 6 from events (1): 8 over 2 days.
  // eventsfirst: January 5 from events (2), January 6 from events (1): 3 over 2 days.
  // Coverage: 0.1 * 2/31 each.
  json r = Row("podcast_monthly_estimates", "podcast_id = 'p1'");
  EXPECT_EQ(r["observed_listens"].get<int64_t>(), 11);
  EXPECT_NEAR(r["coverage"].get<double>(), 2 * 0.10 * 2.0 / 31.0, kEps);
  Bounds b = ExpectedBounds(11 / (0.2 * 2.0 / 31.0), 11, {8 / (0.1 * 2.0 / 31.0), 3 / (0.1 * 2.0 / 31.0)});
  EXPECT_NEAR(r["estimate_high"].get<double>(), b.high, 1e-6);
}

TEST_F(PodcastsE2E, AnEmptyDailyFileCoversItsDayWithNoListens) {
  Config(kAlphaBetaProviders);
  Ingest("alpha", Write("alpha/2025-01-01.csv", "day,show,ep,downloads\n2025-01-01,p1,e1,6\n"));
  Ingest("alpha", Write("alpha/2025-01-02.csv", "day,show,ep,downloads\n"));  // nobody listened
  Ingest("beta", Write("beta/2025-01.json", "[]"));                          // nor in beta's month
  Build("2025-03-01");
  // alpha covers 2 of 31 days (6 listens), beta the month (0 listens).
  json r = Row("podcast_monthly_estimates", "podcast_id = 'p1'");
  EXPECT_EQ(r["observed_listens"].get<int64_t>(), 6);
  EXPECT_NEAR(r["coverage"].get<double>(), 0.10 * 2.0 / 31.0 + 0.20, kEps);
  EXPECT_EQ(r["providers_reporting"].get<int64_t>(), 2);
}

TEST_F(PodcastsE2E, BadRowsAreRejectedWithLineNumbersAndTheSameFileTwiceOnce) {
  Config(kAlphaBetaProviders);
  Config(R"(
[providers.cedar]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "ndjson"
)");
  const std::string csv = Write("alpha/2025-01-03.csv",
                                "day,show,ep,downloads\n"
                                "2025-01-03,p1,e1,10\n"    // line 2: ok
                                "2025-02-30,p1,e1,3\n"     // line 3: invalid_date
                                "2025-01-03,p1,e2,-4\n"    // line 4: negative_listens
                                "2025-01-03,,e3,4\n"       // line 5: missing_field (show)
                                "2025-01-03,p1,e4,abc\n"   // line 6: invalid_number
                                "2025-01-03,p1,,4\n"       // line 7: missing_field (ep)
                                "2025-01-03,p1,e5\n"       // line 8: field_count_mismatch
                                "2025-01-03,p1,e6,99999999999999999999\n"  // line 9: number_out_of_range
                                "\"2025-01-03,p1,e7,1\n");  // line 10: unterminated_quote
  CommandResult first = Ingest("alpha", csv);
  EXPECT_NE(first.out.find("9 rows in: 1 accepted, 8 rejected, 0 duplicates"), std::string::npos) << first.out;
  CommandResult again = Ingest("alpha", csv);
  EXPECT_NE(again.out.find("already ingested"), std::string::npos) << again.out;

  const std::string json_rows = Write("beta/2025-01.json",
                                      "[\n"
                                      "{\"period\": \"2025-01\", \"podcast\": \"p1\", \"plays\": 5},\n"  // line 2
                                      "{\"period\": \"2025-1\", \"podcast\": \"p1\", \"plays\": 5},\n"   // line 3
                                      "{\"period\": \"2025-01\", \"podcast\": {\"id\": 1}, \"plays\": 5},\n"  // 4
                                      "[1, 2],\n"                                                        // line 5
                                      "{\"period\": \"2025-01\", \"podcast\": \"p2\", \"plays\": 2.5}\n"  // line 6
                                      "]\n");
  Ingest("beta", json_rows);
  const std::string ndjson = Write("cedar/2025-01-04.ndjson",
                                   "{\"date\": \"2025-01-04\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listens\": 1}\n"
                                   "{\"date\": \"2025-01-04\", \"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listens\n"
                                   "\n"
                                   "{\"podcast_id\": \"p1\", \"episode_id\": \"e1\", \"listens\": 1}\n");
  Ingest("cedar", ndjson);

  json ingests = Status()["ingests"];
  ASSERT_EQ(ingests.size(), 3u);
  auto rejects = [&](int64_t id) {
    CommandResult r = Earshot({"status", "--project", project_, "--rejects", std::to_string(id), "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::pair<int64_t, std::string>> out;
    for (const auto& j : json::parse(r.out)) out.emplace_back(j["line"].get<int64_t>(), j["error_code"].get<std::string>());
    return out;
  };
  using P = std::pair<int64_t, std::string>;
  EXPECT_EQ(rejects(ingests[0]["ingest_id"].get<int64_t>()),
            (std::vector<P>{{3, "invalid_date"},
                            {4, "negative_listens"},
                            {5, "missing_field"},
                            {6, "invalid_number"},
                            {7, "missing_field"},
                            {8, "field_count_mismatch"},
                            {9, "number_out_of_range"},
                            {10, "unterminated_quote"}}));
  EXPECT_EQ(rejects(ingests[1]["ingest_id"].get<int64_t>()),
            (std::vector<P>{{3, "invalid_month"}, {4, "invalid_value"}, {5, "not_an_object"}, {6, "invalid_number"}}));
  EXPECT_EQ(rejects(ingests[2]["ingest_id"].get<int64_t>()), (std::vector<P>{{2, "invalid_json"}, {4, "missing_field"}}));

  // A CSV without the provider's columns is refused whole: exit 1, nothing loaded.
  CommandResult wrong = Earshot({"ingest", "--project", project_, "--provider", "alpha",
                                 Write("alpha/wrong.csv", "date,podcast,listens\n2025-01-01,p1,3\n")});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("missing_column"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("wrong.csv:1"), std::string::npos) << wrong.err;
  // An undeclared provider is a usage error.
  CommandResult unknown = Earshot({"ingest", "--project", project_, "--provider", "zeta", csv});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown provider 'zeta'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace earshot::e2e
