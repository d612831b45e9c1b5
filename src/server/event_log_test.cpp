#include "server/event_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

namespace earshot::server {
namespace {

namespace fs = std::filesystem;

config::Provider Ember() {
  config::Provider p;
  p.name = "ember";
  p.granularity = config::Granularity::kPodcast;
  p.deliveries = {config::Delivery::kInstant};
  p.format = config::FileFormat::kNdjson;
  return p;
}

std::string Event(const std::string& id) {
  return R"({"event_id":")" + id + R"(","podcast_id":"p","listened_at":"2025-01-05T10:00:00Z"})";
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Posix files, except that appends fail (as on a full disk, after writing
// part of the data) while `fail_appends` is set.
class FlakyFiles final : public LogFiles {
 public:
  std::atomic<bool> fail_appends{false};
  Result<int> Create(const fs::path& path) override { return real_->Create(path); }
  Status Append(int fd, const std::vector<std::string_view>& parts) override {
    if (fail_appends) {
      // Half of the first part reaches the file before the disk is full.
      std::string_view half = parts[0].substr(0, parts[0].size() / 2);
      (void)real_->Append(fd, {half});
      return Status::IoError("No space left on device");
    }
    return real_->Append(fd, parts);
  }
  Status Sync(int fd) override { return real_->Sync(fd); }
  Status Truncate(int fd, uint64_t size) override { return real_->Truncate(fd, size); }
  Status SyncDir(const fs::path& dir) override { return real_->SyncDir(dir); }
  void Close(int fd) override { real_->Close(fd); }

 private:
  std::unique_ptr<LogFiles> real_ = PosixLogFiles();
};

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "earshot-log-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<EventLog> Open(LogSettings settings = {}, std::unique_ptr<LogFiles> files = PosixLogFiles()) {
    auto log = EventLog::Open(dir_, {Ember()}, settings, std::move(files));
    EXPECT_TRUE(log.ok()) << log.status().message();
    return log.ok() ? std::move(log).value() : nullptr;
  }
  // Submits events and waits for the commit; returns (status, duplicated).
  std::pair<Status, uint64_t> Append(EventLog& log, const std::vector<std::string>& ids) {
    std::vector<std::string> lines;
    for (const auto& id : ids) lines.push_back(Event(id));
    std::vector<EventLog::Line> in;
    for (size_t i = 0; i < ids.size(); ++i) in.push_back({lines[i], ids[i]});
    std::promise<std::pair<Status, uint64_t>> done;
    auto future = done.get_future();
    Admission a = log.Submit(0, in, [&](Status st, uint64_t dups) { done.set_value({st, dups}); });
    EXPECT_EQ(a, Admission::kOk);
    if (a != Admission::kOk) return {Status::Internal("refused"), 0};
    return future.get();
  }
  std::vector<fs::path> Segments() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_ / "log" / "ember")) {
      if (e.is_regular_file()) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
};

TEST_F(EventLogTest, AppendsOnceAndClosesSegmentsForTheLoader) {
  std::vector<Segment> closed;
  {
    auto log = Open();
    log->Start([&](Segment s) { closed.push_back(s); });
    auto [st, dups] = Append(*log, {"a", "b", "a"});
    EXPECT_TRUE(st.ok());
    EXPECT_EQ(dups, 1u) << "a repeated inside one body";
    auto [st2, dups2] = Append(*log, {"b", "c"});
    EXPECT_TRUE(st2.ok());
    EXPECT_EQ(dups2, 1u) << "b repeated from the body before";
    EXPECT_EQ(log->stats().known_events, 3u);
    log->Stop();
  }
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(Slurp(closed[0].path), Event("a") + "\n" + Event("b") + "\n" + Event("c") + "\n");
  EXPECT_EQ(closed[0].bytes, Slurp(closed[0].path).size());
}

TEST_F(EventLogTest, RollsAtTheSegmentSize) {
  LogSettings s;
  s.segment_bytes = 1024;
  s.segment_seconds = 3600;
  std::vector<Segment> closed;
  auto log = Open(s);
  log->Start([&](Segment seg) { closed.push_back(seg); });
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(Append(*log, {"e" + std::to_string(i)}).first.ok());
  log->Stop();
  EXPECT_GT(closed.size(), 2u);
  size_t total = 0;
  for (const Segment& seg : closed) total += seg.bytes;
  EXPECT_EQ(total, 40 * (Event("e10").size() + 1) - 10 * 1) << "e0..e9 are one byte shorter";
}

TEST_F(EventLogTest, RecoveryCutsATornTailAndRemembersIds) {
  {
    auto log = Open();
    log->Start([](Segment) {});
    ASSERT_TRUE(Append(*log, {"a", "b"}).first.ok());
    // Crash: no Stop(); the segment stays open. Simulate a torn append.
    auto segs = Segments();
    ASSERT_EQ(segs.size(), 1u);
    std::ofstream(segs[0], std::ios::app) << Event("torn").substr(0, 20);
    log->Stop();
  }
  auto segs = Segments();
  ASSERT_EQ(segs.size(), 1u);
  auto log = Open();
  auto recovered = log->Recovered();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(Slurp(segs[0]), Event("a") + "\n" + Event("b") + "\n");
  EXPECT_EQ(recovered[0].bytes, Slurp(segs[0]).size());
  log->Start([](Segment) {});
  auto [st, dups] = Append(*log, {"a", "b", "torn"});
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(dups, 2u) << "ids of the recovered segment are known; the torn line was never acknowledged";
  auto names = Segments();
  EXPECT_EQ(names.size(), 2u);
  EXPECT_LT(names[0].filename().string(), names[1].filename().string()) << "new segments sort after old ones";
}

TEST_F(EventLogTest, AFailedCommitKeepsNothingAndForgetsItsIds) {
  auto files = std::make_unique<FlakyFiles>();
  FlakyFiles* flaky = files.get();
  std::vector<Segment> closed;
  auto log = Open({}, std::move(files));
  log->Start([&](Segment s) { closed.push_back(s); });
  ASSERT_TRUE(Append(*log, {"a"}).first.ok());
  flaky->fail_appends = true;
  auto [st, dups] = Append(*log, {"b", "c"});
  EXPECT_FALSE(st.ok());
  flaky->fail_appends = false;
  // The retry of the failed body is taken in full: b and c were forgotten.
  auto [st2, dups2] = Append(*log, {"b", "c", "a"});
  EXPECT_TRUE(st2.ok());
  EXPECT_EQ(dups2, 1u);
  log->Stop();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(Slurp(closed[0].path), Event("a") + "\n" + Event("b") + "\n" + Event("c") + "\n")
      << "the half-written append was cut away";
}

TEST_F(EventLogTest, RefusesWhenTheDiskIsLow) {
  LogSettings s;
  s.min_free_disk_bytes = ~0ull;
  auto log = Open(s);
  log->Start([](Segment) {});
  EXPECT_EQ(log->Check(100), Admission::kDiskFull);
  std::vector<EventLog::Line> in = {{"x", "x"}};
  EXPECT_EQ(log->Submit(0, in, [](Status, uint64_t) { FAIL() << "never called"; }), Admission::kDiskFull);
  EXPECT_FALSE(log->stats().writable);
}

TEST_F(EventLogTest, RefusesWhenTheLoaderIsBehind) {
  LogSettings s;
  s.max_unloaded_bytes = 1024;
  auto log = Open(s);
  std::vector<Segment> closed;
  log->Start([&](Segment seg) { closed.push_back(seg); });
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back("e" + std::to_string(i));
  ASSERT_TRUE(Append(*log, ids).first.ok());
  EXPECT_EQ(log->Check(100), Admission::kLoaderBehind);
  log->Stop();
  for (const Segment& seg : closed) log->Loaded(seg);
  EXPECT_EQ(log->stats().unloaded_bytes, 0u);
}

}  // namespace
}  // namespace earshot::server
