#include "orchestrator/run_lock.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

namespace earshot::orchestrator {
namespace {

namespace fs = std::filesystem;

TEST(RunLock, SecondHolderIsRefusedUntilTheFirstReleases) {
  std::string pattern = (fs::temp_directory_path() / "earshot-lock-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path file = fs::path(pattern) / "warehouse" / "earshot.lock";
  {
    auto first = RunLock::Acquire(file);
    ASSERT_TRUE(first.ok()) << first.status().message();
    std::string pid;
    std::ifstream(file) >> pid;
    EXPECT_EQ(pid, std::to_string(::getpid()));
    auto second = RunLock::Acquire(file);  // a separate open file: flock refuses it
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
    EXPECT_NE(second.status().message().find("(pid " + pid + ")"), std::string::npos) << second.status().message();
    RunLock moved = std::move(first).value();  // moving keeps it held
    EXPECT_FALSE(RunLock::Acquire(file).ok());
  }
  auto again = RunLock::Acquire(file);
  EXPECT_TRUE(again.ok()) << again.status().message();
  fs::remove_all(pattern);
}

TEST(RunLock, UnwritablePlaceIsAnIoError) {
  auto r = RunLock::Acquire("/proc/earshot-no-such-dir/earshot.lock");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace earshot::orchestrator
