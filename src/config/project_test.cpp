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

TEST(Project, RunSettingsDefaultAndDeclared) {
  auto dir = FreshDir("run");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "earshot.toml") << "[project]\nname = \"x\"\n";
  auto defaults = LoadProject(dir);
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_DOUBLE_EQ(defaults->run.settle_seconds, 5);
  EXPECT_EQ(defaults->run.retries, 2);
  EXPECT_DOUBLE_EQ(defaults->run.backoff_seconds, 1);
  EXPECT_TRUE(defaults->checks.empty());
  std::ofstream(dir / "earshot.toml") << "[run]\nsettle_seconds = 0\nretries = 4\nbackoff_seconds = 0.5\n"
                                         "schedules = [\"0 6 * * *\"]\n";
  auto declared = LoadProject(dir);
  ASSERT_TRUE(declared.ok()) << declared.status().message();
  EXPECT_DOUBLE_EQ(declared->run.settle_seconds, 0);
  EXPECT_EQ(declared->run.retries, 4);
  EXPECT_DOUBLE_EQ(declared->run.backoff_seconds, 0.5);
  EXPECT_EQ(declared->run.schedules, std::vector<std::string>{"0 6 * * *"});
  std::ofstream(dir / "earshot.toml") << "[run]\nretries = -1\n";
  auto bad = LoadProject(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("earshot.toml:2: run.retries"), std::string::npos) << bad.status().message();
  std::ofstream(dir / "earshot.toml") << "[run]\nsettle_seconds = \"soon\"\n";
  bad = LoadProject(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("run.settle_seconds"), std::string::npos) << bad.status().message();
  // The template's [run] section loads.
  auto init_dir = FreshDir("runinit");
  ASSERT_TRUE(InitProject(init_dir, Template::kPodcasts).ok());
  auto init = LoadProject(init_dir);
  ASSERT_TRUE(init.ok()) << init.status().message();
  EXPECT_DOUBLE_EQ(init->run.settle_seconds, 5);
  std::filesystem::remove_all(init_dir);
  std::filesystem::remove_all(dir);
}

TEST(Project, RetentionAndNotifyDefaultAndDeclared) {
  auto dir = FreshDir("retention");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "earshot.toml") << "[project]\nname = \"x\"\n";
  auto defaults = LoadProject(dir);
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_FALSE(defaults->retention.DaysFor("events", ""));
  EXPECT_TRUE(defaults->notify.command.empty());
  EXPECT_TRUE(defaults->notify.webhook.empty());
  std::ofstream(dir / "earshot.toml") << "[retention]\nkeep_days = 90\n[retention.sources]\nevents = 30\n"
                                         "alderhost = 400\n[notify]\ncommand = \"cat\"\n"
                                         "webhook = \"http://127.0.0.1:9000/x\"\ntimeout_seconds = 2\n";
  auto declared = LoadProject(dir);
  ASSERT_TRUE(declared.ok()) << declared.status().message();
  EXPECT_EQ(declared->retention.DaysFor("events", ""), 30);
  EXPECT_EQ(declared->retention.DaysFor("listens", "alderhost"), 400);
  EXPECT_EQ(declared->retention.DaysFor("listens", "birchcast"), 90);
  EXPECT_EQ(declared->retention.DaysFor("podcasts", ""), 90);
  EXPECT_EQ(declared->notify.command, "cat");
  EXPECT_EQ(declared->notify.webhook, "http://127.0.0.1:9000/x");
  EXPECT_DOUBLE_EQ(declared->notify.timeout_seconds, 2);
  struct Bad {
    const char* toml;
    const char* says;
  } bad[] = {
      {"[retention]\nkeep_days = -1\n", "earshot.toml:2: retention.keep_days"},
      {"[retention]\nkeep = 3\n", "unknown key retention.keep"},
      {"[retention.sources]\nevents = \"a week\"\n", "retention.sources.events"},
      {"[notify]\nwebhook = \"https://x/\"\n", "notify.webhook must be an http:// URL"},
      {"[notify]\ntimeout_seconds = 0\n", "notify.timeout_seconds"},
      {"[notify]\nemail = \"a@b\"\n", "unknown key notify.email"},
  };
  for (const Bad& b : bad) {
    std::ofstream(dir / "earshot.toml") << b.toml;
    auto loaded = LoadProject(dir);
    ASSERT_FALSE(loaded.ok()) << b.toml;
    EXPECT_NE(loaded.status().message().find(b.says), std::string::npos) << loaded.status().message();
  }
  std::filesystem::remove_all(dir);
}

TEST(Project, ChecksAreParsedWithDefaults) {
  auto dir = FreshDir("checks");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "earshot.toml") << R"(
[providers.alder]
market_share = 0.1
deliveries = ["daily"]

[[checks]]
table = "podcast_monthly_estimates"
type = "not_null"
columns = ["podcast_id", "month"]

[[checks]]
name = "delivery kinds"
table = "raw.listens"
type = "accepted_values"
column = "delivery"
values = ["daily", "monthly", 3]
severity = "warn"

[[checks]]
table = "marts.podcast_monthly_estimates"
type = "range"
column = "coverage"
min = 0
max = 1

[[checks]]
table = "episode_first_30_days"
type = "relationships"
column = "episode_id"
to_table = "raw.episodes"
to_column = "episode_id"

[[checks]]
table = "playlist_popularity"
type = "row_count_change"
max_change = 0.25
history = 3

[[checks]]
type = "freshness"
provider = "alder"
max_age_hours = 36
)";
  auto p = LoadProject(dir);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->checks.size(), 6u);
  const auto& c = p->checks;
  EXPECT_EQ(c[0].name, "not_null:podcast_monthly_estimates.podcast_id,month");
  EXPECT_EQ(c[0].severity, Severity::kError);
  EXPECT_EQ(c[0].columns, (std::vector<std::string>{"podcast_id", "month"}));
  EXPECT_EQ(c[0].line, 6);
  EXPECT_EQ(c[1].name, "delivery kinds");
  EXPECT_EQ(c[1].table, "raw.listens");
  EXPECT_EQ(c[1].values, (std::vector<std::string>{"daily", "monthly", "3"}));
  EXPECT_EQ(c[1].severity, Severity::kWarn);
  EXPECT_EQ(c[2].table, "podcast_monthly_estimates");  // marts. prefix dropped
  EXPECT_EQ(c[2].min, 0.0);
  EXPECT_EQ(c[2].max, 1.0);
  EXPECT_EQ(c[3].to_table, "raw.episodes");
  EXPECT_DOUBLE_EQ(c[4].max_change, 0.25);
  EXPECT_EQ(c[4].history, 3);
  EXPECT_EQ(c[5].type, CheckType::kFreshness);
  EXPECT_EQ(c[5].table, "raw.listens");
  EXPECT_EQ(c[5].provider, "alder");
  EXPECT_DOUBLE_EQ(c[5].max_age_hours, 36);
  EXPECT_EQ(c[5].name, "freshness:raw.listens.alder");
  std::filesystem::remove_all(dir);
}

TEST(Project, BadChecksNameTheKey) {
  auto dir = FreshDir("badchecks");
  std::filesystem::create_directories(dir);
  struct Case {
    std::string toml;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"[[checks]]\ntable = \"t\"\ntype = \"maybe\"\n", "earshot.toml:3: checks #1.type"},
      {"[[checks]]\ntype = \"not_null\"\ncolumn = \"x\"\n", "checks #1.table is required"},
      {"[[checks]]\ntable = \"t\"\ntype = \"not_null\"\n", "checks #1.column"},
      {"[[checks]]\ntable = \"t; DROP\"\ntype = \"not_null\"\ncolumn = \"x\"\n", "checks #1.table"},
      {"[[checks]]\ntable = \"t\"\ntype = \"not_null\"\ncolumn = \"x y\"\n", "checks #1.column"},
      {"[[checks]]\ntable = \"t\"\ntype = \"not_null\"\ncolumn = \"x\"\nseverity = \"fatal\"\n", "checks #1.severity"},
      {"[[checks]]\ntable = \"t\"\ntype = \"accepted_values\"\ncolumn = \"x\"\n", "checks #1.values"},
      {"[[checks]]\ntable = \"t\"\ntype = \"range\"\ncolumn = \"x\"\n", "range needs min, max"},
      {"[[checks]]\ntable = \"t\"\ntype = \"range\"\ncolumn = \"x\"\nmin = 2\nmax = 1\n", "above max"},
      {"[[checks]]\ntable = \"t\"\ntype = \"relationships\"\ncolumn = \"x\"\n", "to_table and to_column"},
      {"[[checks]]\ntype = \"freshness\"\nprovider = \"nobody\"\nmax_age_hours = 1\n", "unknown provider 'nobody'"},
      {"[[checks]]\ntype = \"freshness\"\nsource = \"events\"\n", "checks #1.max_age_hours"},
      {"[[checks]]\ntype = \"freshness\"\nsource = \"songs\"\nmax_age_hours = 1\n", "checks #1.source"},
      {"[[checks]]\ntable = \"t\"\ntype = \"freshness\"\nmax_age_hours = 1\n", "exactly one of provider"},
      {"[[checks]]\ntable = \"t\"\ntype = \"not_null\"\ncolumn = \"x\"\ncolour = \"red\"\n", "checks #1.colour: unknown key"},
      {"[[checks]]\ntable = \"t\"\ntype = \"not_null\"\ncolumn = \"x\"\n[[checks]]\ntable = \"t\"\ntype = \"not_null\"\n"
       "column = \"x\"\n", "already declared at line 1"},
      {"checks = 3\n", "checks must be an array of tables"},
  };
  for (const Case& c : cases) {
    std::ofstream(dir / "earshot.toml") << c.toml;
    auto r = LoadProject(dir);
    ASSERT_FALSE(r.ok()) << c.toml;
    EXPECT_NE(r.status().message().find(c.needle), std::string::npos) << c.toml << "\n" << r.status().message();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace earshot::config
