#include "server/event_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

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
// part of the data) while `fail_appends` is set; with or without spare
// segments.
class FlakyFiles final : public LogFiles {
 public:
  explicit FlakyFiles(bool preallocate = false) : preallocate_(preallocate) {}
  std::atomic<bool> fail_appends{false};
  bool CanPreallocate() const override { return preallocate_; }
  Status Preallocate(const fs::path& path, uint64_t bytes) override { return real_->Preallocate(path, bytes); }
  Result<int> OpenForWrite(const fs::path& path) override { return real_->OpenForWrite(path); }
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
  const bool preallocate_;
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
  // The segment files (`seg-*`), or the spares (`.spare-*`), in name order.
  std::vector<fs::path> Segments(bool spares = false) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_ / "log" / "ember")) {
      if (e.is_regular_file() && (e.path().filename().string()[0] == '.') == spares) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Appends single events (`ids` gets them) until `count` segments were
  // opened from a spare; the open segment is one of them.
  void AppendUntilPreallocated(EventLog& log, uint64_t count, std::vector<std::string>& ids) {
    for (int i = 0; i < 20000 && log.stats().preallocated_segments < count; ++i) {
      ids.push_back("e" + std::to_string(ids.size()));
      ASSERT_TRUE(Append(log, {ids.back()}).first.ok());
      if (i % 20 == 19) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let the spare be written
    }
    ASSERT_EQ(log.stats().preallocated_segments, count);
  }
  static std::string Lines(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += Event(id) + "\n";
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

TEST_F(EventLogTest, SegmentsAreWrittenIntoSparesAndCutToTheirLinesWhenClosed) {
  LogSettings s;
  s.segment_bytes = 8192;
  s.segment_seconds = 3600;
  std::vector<Segment> closed;
  std::vector<uint64_t> closed_sizes;  // on disk, as the loader finds them
  auto log = Open(s);
  log->Start([&](Segment seg) {
    closed_sizes.push_back(fs::file_size(seg.path));
    closed.push_back(seg);
  });
  std::vector<std::string> ids;
  AppendUntilPreallocated(*log, 3, ids);
  // The open segment is a spare: its file holds zeros after the lines.
  const std::string open = Slurp(Segments().back());
  const size_t lines = open.find('\0');
  ASSERT_NE(lines, std::string::npos) << "the open segment was preallocated";
  EXPECT_EQ(open.find_first_not_of('\0', lines), std::string::npos);
  EXPECT_EQ(open[lines - 1], '\n');
  EXPECT_EQ(open.size() % 4096, 0u);
  // The next spare is made ahead, under a hidden name.
  for (int i = 0; i < 200 && Segments(true).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(Segments(true).size(), 1u);
  log->Stop();

  EXPECT_TRUE(Segments(true).empty()) << "the unused spare is removed at Stop()";
  ASSERT_GE(closed.size(), 4u);
  std::string all;
  for (size_t i = 0; i < closed.size(); ++i) {
    const std::string text = Slurp(closed[i].path);
    EXPECT_EQ(closed_sizes[i], closed[i].bytes) << closed[i].path;
    EXPECT_EQ(text.size(), closed[i].bytes) << closed[i].path;
    EXPECT_EQ(text.find('\0'), std::string::npos) << closed[i].path;
    if (i > 0) {
      EXPECT_LT(closed[i - 1].path.filename(), closed[i].path.filename());
    }
    all += text;
  }
  EXPECT_EQ(all, Lines(ids));
}

TEST_F(EventLogTest, AFailedCommitInASpareIsCutBackToo) {
  LogSettings s;
  s.segment_bytes = 8192;
  s.segment_seconds = 3600;
  auto files = std::make_unique<FlakyFiles>(/*preallocate=*/true);
  FlakyFiles* flaky = files.get();
  std::vector<Segment> closed;
  auto log = Open(s, std::move(files));
  log->Start([&](Segment seg) { closed.push_back(seg); });
  std::vector<std::string> ids;
  AppendUntilPreallocated(*log, 1, ids);
  flaky->fail_appends = true;
  EXPECT_FALSE(Append(*log, {"x", "y"}).first.ok());
  flaky->fail_appends = false;
  auto [st, dups] = Append(*log, {"x", "y"});
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(dups, 0u) << "the failed ids were forgotten";
  log->Stop();
  ids.push_back("x");
  ids.push_back("y");
  std::string all;
  for (const Segment& seg : closed) all += Slurp(seg.path);
  EXPECT_EQ(all, Lines(ids)) << "the half-written append was overwritten, nothing after the lines";
}

TEST_F(EventLogTest, RecoveryCutsAtTheFirstZeroByteAndNamesSparesThatHoldLines) {
  const fs::path dir = dir_ / "log" / "ember";
  fs::create_directories(dir);
  const std::string zeros(4096, '\0');
  // A preallocated segment: lines, zeros, then bytes a crash left in a block
  // written before the ones in between (never acknowledged).
  std::ofstream(dir / "seg-00000000000000000100.ndjson", std::ios::binary)
      << Event("a") + "\n" + Event("b") + "\n" + zeros + Event("late") + "\n" + zeros;
  // A spare renamed to its segment name, but the rename was lost: it holds
  // lines and a torn one.
  std::ofstream(dir / ".spare-7.ndjson", std::ios::binary) << Event("c") + "\n" + Event("d").substr(0, 12) + zeros;
  // A spare never used.
  std::ofstream(dir / ".spare-8.ndjson", std::ios::binary) << zeros;

  auto log = Open();
  auto recovered = log->Recovered();
  ASSERT_EQ(recovered.size(), 2u);
  EXPECT_EQ(recovered[0].path.filename(), "seg-00000000000000000100.ndjson");
  EXPECT_EQ(Slurp(recovered[0].path), Event("a") + "\n" + Event("b") + "\n");
  EXPECT_EQ(recovered[0].bytes, Slurp(recovered[0].path).size());
  EXPECT_GT(recovered[1].path.filename(), recovered[0].path.filename()) << "the spare is named after every segment";
  EXPECT_EQ(Slurp(recovered[1].path), Event("c") + "\n");
  EXPECT_TRUE(Segments(true).empty()) << "no spare is left";
  EXPECT_EQ(Segments().size(), 2u);

  log->Start([](Segment) {});
  auto [st, dups] = Append(*log, {"a", "c", "d", "late"});
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(dups, 2u) << "a and c were recovered; the torn d and the line after the zeros were never acknowledged";
}

}  // namespace
}  // namespace earshot::server
