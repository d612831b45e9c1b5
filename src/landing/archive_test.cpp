#include "landing/archive.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

namespace earshot::landing {
namespace {

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("earshot_archive_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path Write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::filesystem::path dir_;
};

TEST_F(ArchiveTest, StoresBytesUnderTheirSha256Once) {
  RawArchive archive(dir_ / "archive");
  auto a = archive.Land(Write("a.csv", "abc"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  // sha256("abc"), a published test vector.
  EXPECT_EQ(a->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(a->bytes, 3u);
  EXPECT_FALSE(a->already_archived);
  std::ifstream in(a->object, std::ios::binary);
  std::string copy((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(copy, "abc");

  auto b = archive.Land(Write("b.csv", "abc"));
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->already_archived);
  EXPECT_EQ(b->object, a->object);
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "archive" / "tmp"));
}

// A process killed while landing leaves its temporary copy; the next
// landing removes it, and never a live process's.
TEST_F(ArchiveTest, TemporaryCopiesOfDeadProcessesAreRemoved) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // a pid that is gone now
  const auto tmp = dir_ / "archive" / "tmp";
  std::filesystem::create_directories(tmp);
  const auto dead = tmp / ("landing-" + std::to_string(child) + "-0");
  const auto alive = tmp / ("landing-" + std::to_string(::getppid()) + "-3");
  const auto other = tmp / "notes.txt";
  for (const auto& p : {dead, alive, other}) std::ofstream(p) << "partial";
  RawArchive archive(dir_ / "archive");
  ASSERT_TRUE(archive.Land(Write("a.csv", "abc")).ok());
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_TRUE(std::filesystem::exists(alive)) << "the parent of this test is alive";
  EXPECT_TRUE(std::filesystem::exists(other)) << "not a landing file";
}

TEST_F(ArchiveTest, MissingFileIsAClearError) {
  RawArchive archive(dir_ / "archive");
  auto r = archive.Land(dir_ / "nope.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nope.csv"), std::string::npos);
}

TEST_F(ArchiveTest, JournalAppendsLines) {
  RawArchive archive(dir_ / "archive");
  std::filesystem::create_directories(dir_ / "archive");
  ASSERT_TRUE(archive.Journal("{\"a\":1}").ok());
  ASSERT_TRUE(archive.Journal("{\"b\":2}").ok());
  std::ifstream in(dir_ / "archive" / "landings.ndjson");
  std::string all((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(all, "{\"a\":1}\n{\"b\":2}\n");
}

}  // namespace
}  // namespace earshot::landing
