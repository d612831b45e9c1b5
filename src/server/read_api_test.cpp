#include "server/read_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace earshot::server {
namespace {

using json = nlohmann::json;

TEST(ReadApi, RoundsToTwoSignificantFigures) {
  const std::pair<double, double> cases[] = {
      {0, 0}, {12345.678, 12000}, {12500, 13000}, {-12345, -12000}, {999.9, 1000},          {1, 1}, {0.0456, 0.046},
      {7, 7}, {95, 95},           {96.5, 97},     {1.5e20, 1.5e20}, {123456789, 120000000},
  };
  for (const auto& [in, want] : cases) EXPECT_DOUBLE_EQ(RoundSignificant(in, 2), want) << in;
}

Marts Sample() {
  Marts m;
  PodcastEstimates& p = m.estimates["p1"];
  p.title = "Show \"One\"";
  p.months.push_back({"2025-01", 1234, 0.1, 12340.5, 11000.25, 13000.75, 2, false});
  p.months.push_back({"2025-02", 10, 0.2, 50, std::nullopt, std::nullopt, 1, true});
  m.rising["2025-02"] = {{"p1", p.title, 50, 0.123456, 0.987654, 1}, {"p2", std::nullopt, 40, std::nullopt, 0.5, 2}};
  m.creators["2025-01"] = {{"c1", "Ann", 2, 12340.5, 6170.25, 1}};
  m.episodes["e1"] = {"p1", "Pilot", "2025-01-01T00:00:00Z", 77, 0.1, 770.4, false};
  return m;
}

TEST(ReadApi, PublicNumbersAreRoundedAndProOnesExact) {
  const Marts m = Sample();
  json pub = json::parse(EstimatesAnswer(m, "p1", {}, Tier::kPublic).body);
  EXPECT_EQ(pub["podcast_title"], "Show \"One\"");
  EXPECT_EQ(pub["tier"], "public");
  ASSERT_EQ(pub["months"].size(), 2u);
  EXPECT_EQ(pub["months"][0]["estimated_listens"], 12000);
  EXPECT_FALSE(pub["months"][0].contains("observed_listens"));
  EXPECT_FALSE(pub["months"][0].contains("estimate_low"));
  EXPECT_FALSE(pub["months"][0].contains("coverage"));
  EXPECT_FALSE(pub["months"][0].contains("providers_reporting"));
  json pro = json::parse(EstimatesAnswer(m, "p1", {}, Tier::kPro).body);
  EXPECT_DOUBLE_EQ(pro["months"][0]["estimated_listens"].get<double>(), 12340.5);
  EXPECT_DOUBLE_EQ(pro["months"][0]["estimate_low"].get<double>(), 11000.25);
  EXPECT_EQ(pro["months"][0]["observed_listens"], 1234);
  EXPECT_EQ(pro["months"][0]["providers_reporting"], 2);
  EXPECT_TRUE(pro["months"][1]["estimate_low"].is_null());
}

TEST(ReadApi, EstimatesRangeAndErrors) {
  const Marts m = Sample();
  json only_feb = json::parse(EstimatesAnswer(m, "p1", {{"from", "2025-02"}}, Tier::kPublic).body);
  ASSERT_EQ(only_feb["months"].size(), 1u);
  EXPECT_EQ(only_feb["months"][0]["month"], "2025-02");
  EXPECT_EQ(EstimatesAnswer(m, "nope", {}, Tier::kPublic).status, 404);
  EXPECT_EQ(EstimatesAnswer(m, "p1", {{"from", "2025-13"}}, Tier::kPublic).status, 400);
  EXPECT_EQ(EstimatesAnswer(m, "p1", {{"to", "202501"}}, Tier::kPublic).status, 400);
  EXPECT_EQ(EstimatesAnswer(m, "p1", {{"from", "2025-03"}, {"to", "2025-01"}}, Tier::kPublic).status, 400);
}

TEST(ReadApi, RankedLists) {
  const Marts m = Sample();
  json rising = json::parse(RisingAnswer(m, {}, Tier::kPublic).body);
  EXPECT_EQ(rising["month"], "2025-02") << "default: the newest month";
  ASSERT_EQ(rising["podcasts"].size(), 2u);
  EXPECT_DOUBLE_EQ(rising["podcasts"][0]["growth_3m"].get<double>(), 0.99);
  EXPECT_DOUBLE_EQ(rising["podcasts"][0]["mom_growth"].get<double>(), 0.12);
  json one = json::parse(RisingAnswer(m, {{"limit", "1"}}, Tier::kPro).body);
  ASSERT_EQ(one["podcasts"].size(), 1u);
  EXPECT_DOUBLE_EQ(one["podcasts"][0]["growth_3m"].get<double>(), 0.987654);
  EXPECT_EQ(RisingAnswer(m, {{"limit", "0"}}, Tier::kPublic).status, 400);
  EXPECT_EQ(RisingAnswer(m, {{"limit", "5x"}}, Tier::kPublic).status, 400);
  EXPECT_EQ(json::parse(RisingAnswer(m, {{"month", "2024-01"}}, Tier::kPublic).body)["podcasts"].size(), 0u);
  json top = json::parse(CreatorsTopAnswer(m, {}, Tier::kPublic).body);
  EXPECT_EQ(top["creators"][0]["creator_name"], "Ann");
  EXPECT_EQ(top["creators"][0]["attributed_listens"], 12000);
  EXPECT_EQ(top["creators"][0]["avg_listens_per_episode"], 6200);
}

TEST(ReadApi, FirstThirtyDays) {
  const Marts m = Sample();
  json pub = json::parse(First30DaysAnswer(m, "e1", Tier::kPublic).body);
  EXPECT_EQ(pub["estimated_listens_30d"], 770);
  EXPECT_FALSE(pub.contains("observed_listens_30d"));
  json pro = json::parse(First30DaysAnswer(m, "e1", Tier::kPro).body);
  EXPECT_EQ(pro["observed_listens_30d"], 77);
  EXPECT_DOUBLE_EQ(pro["estimated_listens_30d"].get<double>(), 770.4);
  EXPECT_EQ(First30DaysAnswer(m, "e9", Tier::kPro).status, 404);
}

}  // namespace
}  // namespace earshot::server
