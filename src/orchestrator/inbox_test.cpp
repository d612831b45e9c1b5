#include "orchestrator/inbox.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>

namespace earshot::orchestrator {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "earshot-inbox-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    project_.root = pattern;
    config::Provider alder;
    alder.name = "alder";
    project_.providers.push_back(alder);
    now_ = fs::file_time_type::clock::now();
  }
  void TearDown() override { fs::remove_all(project_.root); }
  // Writes inbox/<inbox>/<name>, last modified `age` ago.
  fs::path Put(const std::string& inbox, const std::string& name, std::chrono::seconds age = 3600s) {
    fs::path p = project_.inbox_dir() / inbox / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "x\n";
    fs::last_write_time(p, now_ - age);
    return p;
  }
  static std::vector<std::string> Names(const std::vector<InboxFile>& files) {
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(f.inbox + "/" + f.path.filename().string());
    return out;
  }

  config::Project project_;
  fs::file_time_type now_;
};

TEST_F(InboxTest, FoldersAreSourcesThenDeclaredProviders) {
  auto inboxes = ProjectInboxes(project_);
  ASSERT_EQ(inboxes.size(), 7u);
  EXPECT_EQ(inboxes[0].name, "events");
  EXPECT_EQ(inboxes[0].source, ingest::Source::kEvents);
  EXPECT_EQ(inboxes[5].name, "episode_credits");
  EXPECT_EQ(inboxes[6].name, "alder");
  EXPECT_EQ(inboxes[6].provider, "alder");
  EXPECT_FALSE(inboxes[6].source.has_value());
}

TEST_F(InboxTest, CompleteFilesInNameOrderSkippingPartialOnes) {
  Put("alder", "2025-01-02.csv");
  Put("alder", "2025-01-01.csv");
  Put("alder", "2025-01-10.csv");
  Put("alder", ".hidden.csv");
  Put("alder", "2025-01-03.csv.tmp");
  Put("alder", "2025-01-04.csv.part");
  Put("podcasts", "podcasts.csv");
  Put("zeta", "z.csv");                   // not a source nor a provider
  fs::create_directories(project_.inbox_dir() / "alder" / "sub");  // folders are not files
  Put("alder", "2025-01-05.csv", 2s);     // modified 2 s ago: still being written
  InboxScan scan = ScanInboxes(project_, now_);
  EXPECT_EQ(Names(scan.ready), (std::vector<std::string>{"podcasts/podcasts.csv", "alder/2025-01-01.csv",
                                                          "alder/2025-01-02.csv", "alder/2025-01-10.csv"}));
  EXPECT_EQ(scan.ready[0].source, ingest::Source::kPodcasts);
  EXPECT_EQ(scan.ready[1].provider, "alder");
  ASSERT_EQ(Names(scan.waiting), (std::vector<std::string>{"alder/2025-01-05.csv"}));
  EXPECT_NEAR(scan.waiting[0].settles_in, 3.0, 0.01);
  ASSERT_EQ(scan.notes.size(), 1u);
  EXPECT_NE(scan.notes[0].find("inbox/zeta/"), std::string::npos);
  // Settled once 5 s have passed since its last change.
  EXPECT_EQ(ScanInboxes(project_, now_ + 3s).waiting.size(), 0u);
  // settle_seconds = 0: everything listed is complete.
  project_.run.settle_seconds = 0;
  EXPECT_EQ(ScanInboxes(project_, now_).ready.size(), 5u);
}

TEST_F(InboxTest, DoneMarkerMakesAFileCompleteAndMovesWithIt) {
  project_.run.settle_seconds = 600;
  fs::path file = Put("alder", "2025-02.csv", 0s);
  EXPECT_EQ(ScanInboxes(project_, now_).ready.size(), 0u);
  std::ofstream(file.string() + ".done");
  InboxScan scan = ScanInboxes(project_, now_);
  ASSERT_EQ(scan.ready.size(), 1u);
  EXPECT_EQ(scan.ready[0].marker, fs::path(file.string() + ".done"));
  auto moved = MoveAside(scan.ready[0], ".processed");
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(*moved, project_.inbox_dir() / "alder" / ".processed" / "2025-02.csv");
  EXPECT_TRUE(fs::exists(*moved));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file.string() + ".done"));
  EXPECT_TRUE(fs::exists(moved->string() + ".done"));
  // The .processed folder is hidden from the next scan.
  EXPECT_TRUE(ScanInboxes(project_, now_).ready.empty());
}

TEST(InboxNames, Ignored) {
  for (const char* n : {".x", "a.tmp", "a.part", "a.csv.done", ""}) EXPECT_TRUE(IgnoredName(n)) << n;
  for (const char* n : {"a.csv", "tmp.csv", "a.partial.json", "done"}) EXPECT_FALSE(IgnoredName(n)) << n;
}

}  // namespace
}  // namespace earshot::orchestrator
