#include "landing/archive.h"

#include <gtest/gtest.h>
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
