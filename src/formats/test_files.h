// Test helper: writes bytes to a fresh temporary file and removes it at scope end.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace earshot::testing {

class TempFile {
 public:
  explicit TempFile(std::string_view contents, const std::string& suffix = ".txt") {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("earshot_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix);
    std::ofstream out(path_, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace earshot::testing
