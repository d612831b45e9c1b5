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

}  // namespace
}  // namespace earshot::config
