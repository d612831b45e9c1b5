#include "config/project.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace earshot::config {
namespace {

std::filesystem::path FreshDir(const char* name) {
  auto d = std::filesystem::temp_directory_path() / (std::string("earshot_cfg_") + name + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

TEST(Project, InitThenLoad) {
  auto dir = FreshDir("init");
  auto made = InitProject(dir);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_TRUE(std::filesystem::is_directory(dir / "inbox" / "events"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "inbox" / "playlists"));
  auto loaded = LoadProject(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->batch_rows, 2048u);
  EXPECT_EQ(loaded->memory_limit, "512MB");
  auto again = InitProject(dir);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  std::filesystem::remove_all(dir);
}

TEST(Project, MissingProjectSaysToInit) {
  auto r = LoadProject(FreshDir("missing"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("earshot init"), std::string::npos);
}

TEST(Project, BadValuesNameFileAndLine) {
  auto dir = FreshDir("bad");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "earshot.toml") << "[project]\nname = \"x\"\n[ingest]\nbatch_rows = -4\n";
  auto r = LoadProject(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("earshot.toml:4"), std::string::npos) << r.status().message();
  std::ofstream(dir / "earshot.toml") << "[project\n";
  r = LoadProject(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("earshot.toml:1"), std::string::npos) << r.status().message();
  std::filesystem::remove_all(dir);
}

TEST(Project, PodcastsTemplateDeclaresFiveProviders) {
  auto dir = FreshDir("podcasts");
  ASSERT_TRUE(InitProject(dir, Template::kPodcasts).ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir / "inbox" / "alderhost"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "inbox" / "episode_credits"));
  auto loaded = LoadProject(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->providers.size(), 5u);
  const Provider* alder = loaded->FindProvider("alderhost");
  ASSERT_NE(alder, nullptr);
  EXPECT_DOUBLE_EQ(alder->market_share, 0.10);
  EXPECT_EQ(alder->TheirField("date"), "day");
  EXPECT_EQ(alder->TheirField("event_id"), "event_id");
  EXPECT_EQ(alder->format, FileFormat::kCsv);
  const Provider* birch = loaded->FindProvider("birchcast");
  ASSERT_NE(birch, nullptr);
  EXPECT_EQ(birch->granularity, Granularity::kPodcast);
  EXPECT_TRUE(birch->Delivers(Delivery::kMonthly));
  EXPECT_FALSE(birch->Delivers(Delivery::kDaily));
  EXPECT_EQ(birch->PrecedenceRank(Delivery::kMonthly), 1);
  EXPECT_EQ(birch->PrecedenceRank(Delivery::kInstant), 3);
  EXPECT_DOUBLE_EQ(loaded->trend_floor, 1000);
  std::filesystem::remove_all(dir);
}

TEST(Project, BadProviderDeclarationsNameTheKey) {
  auto dir = FreshDir("badprov");
  std::filesystem::create_directories(dir);
  auto expect_error = [&](const std::string& toml, const std::string& needle) {
    std::ofstream(dir / "earshot.toml") << toml;
    auto r = LoadProject(dir);
    ASSERT_FALSE(r.ok()) << toml;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  expect_error("[providers.a]\nmarket_share = 1.5\ndeliveries=[\"daily\"]\n", "earshot.toml:2: providers.a.market_share");
  expect_error("[providers.a]\nmarket_share = 0.1\n", "providers.a.deliveries");
  expect_error("[providers.a]\nmarket_share = 0.1\ndeliveries=[\"weekly\"]\n", "providers.a.deliveries");
  expect_error("[providers.a]\nmarket_share = 0.1\ndeliveries=[\"daily\"]\nformat=\"xml\"\n", "providers.a.format");
  expect_error("[providers.a]\nmarket_share = 0.1\ndeliveries=[\"daily\"]\n[providers.a.mapping]\nplays = \"x\"\n",
               "providers.a.mapping.plays");
  expect_error("[providers.a]\nmarket_share = 0.6\ndeliveries=[\"daily\"]\n[providers.b]\nmarket_share = 0.6\n"
               "deliveries=[\"daily\"]\n", "more than the whole market");
  expect_error("[providers.A]\nmarket_share = 0.1\ndeliveries=[\"daily\"]\n", "a-z");
  std::ofstream(dir / "earshot.toml") << "[providers.a]\nmarket_share = 0.2\ndeliveries=[\"daily\"]\n"
                                         "precedence = [\"instant\"]\n";
  auto ok = LoadProject(dir);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->providers[0].PrecedenceRank(Delivery::kInstant), 1);
  EXPECT_EQ(ok->providers[0].PrecedenceRank(Delivery::kMonthly), 2);
  EXPECT_EQ(ok->providers[0].PrecedenceRank(Delivery::kDaily), 3);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace earshot::config
