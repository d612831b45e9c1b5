#include "landing/async_landing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace earshot::landing {
namespace {

class AsyncLandingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("earshot_async_landing_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path Write(const std::string& name, const std::string& text, std::ios::openmode mode = {}) {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary | std::ios::out | mode) << text;
    return p;
  }
  static std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::filesystem::path dir_;
};

TEST_F(AsyncLandingTest, LandsTheSameBytesAsASynchronousLanding) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + ",\"quoted, text\"\n";
  auto file = Write("big.csv", text);
  RawArchive archive(dir_ / "archive");
  auto landing = AsyncLanding::Start(archive, file);
  ASSERT_TRUE(landing.ok()) << landing.status().message();
  EXPECT_EQ((*landing)->size_at_start(), text.size());
  // The caller reads the file meanwhile, as the loader does.
  EXPECT_EQ(Read(file), text);
  auto landed = (*landing)->Finish();
  ASSERT_TRUE(landed.ok()) << landed.status().message();
  EXPECT_EQ(landed->bytes, text.size());
  EXPECT_EQ(Read(landed->object), text);
  auto sync = Sha256File(file);
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ(landed->sha256, *sync);
  // Asking again gives the same answer without landing twice.
  auto again = (*landing)->Finish();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->object, landed->object);
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "archive" / "tmp"));
}

TEST_F(AsyncLandingTest, AFileChangedWhileLandingIsRefused) {
  auto file = Write("growing.csv", "a,b\n1,2\n");
  RawArchive archive(dir_ / "archive");
  auto landing = AsyncLanding::Start(archive, file);
  ASSERT_TRUE(landing.ok());
  // Whether the landing thread read before or after this, the loader and the
  // archive cannot be trusted to have seen the same bytes.
  Write("growing.csv", "3,4\n", std::ios::app);
  auto landed = (*landing)->Finish();
  ASSERT_FALSE(landed.ok());
  EXPECT_EQ(landed.status().code(), StatusCode::kDataError);
  EXPECT_NE(landed.status().message().find("growing.csv changed while it was being ingested"), std::string::npos)
      << landed.status().message();
}

TEST_F(AsyncLandingTest, AMissingFileFailsAtStart) {
  RawArchive archive(dir_ / "archive");
  auto landing = AsyncLanding::Start(archive, dir_ / "nope.csv");
  ASSERT_FALSE(landing.ok());
  EXPECT_NE(landing.status().message().find("nope.csv"), std::string::npos);
}

TEST_F(AsyncLandingTest, AnUnfinishedLandingIsWaitedForOnDestruction) {
  auto file = Write("a.csv", "x\n");
  RawArchive archive(dir_ / "archive");
  {
    auto landing = AsyncLanding::Start(archive, file);
    ASSERT_TRUE(landing.ok());
  }
  // The thread finished its landing before the object went away.
  auto sha = Sha256File(file);
  ASSERT_TRUE(sha.ok());
  EXPECT_TRUE(std::filesystem::exists(archive.ObjectPath(*sha)));
}

}  // namespace
}  // namespace earshot::landing
