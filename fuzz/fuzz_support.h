// Helpers shared by the fuzz targets (fuzz/*_fuzzer.cpp).
//
// InputFile puts the fuzzer's bytes in an anonymous in-memory file
// (memfd_create) and names it by /proc/self/fd/N, so the readers under test
// open it exactly as they open a real file, without touching the disk.
// FUZZ_CHECK states an invariant of the code under test; when it does not
// hold the process aborts, which libFuzzer (and the replay driver) report as a
// crash with the input that caused it. Not thread-safe; one input at a time.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

namespace earshot::fuzz {

class InputFile {
 public:
  InputFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("earshot-fuzz-input", MFD_CLOEXEC);
    FUZZ_CHECK(fd_ >= 0);
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::write(fd_, data + done, size - done);
      FUZZ_CHECK(n > 0);
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~InputFile() { ::close(fd_); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The physical line of every byte offset of a text: 1 + the number of '\n'
// before it. Built once per input so checking many records stays linear.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : newlines_before_(text.size() + 1, 0) {
    for (size_t i = 0; i < text.size(); ++i) newlines_before_[i + 1] = newlines_before_[i] + (text[i] == '\n');
  }
  uint64_t LineAt(uint64_t offset) const {
    return 1 + newlines_before_[offset < newlines_before_.size() ? offset : newlines_before_.size() - 1];
  }

 private:
  std::vector<uint64_t> newlines_before_;
};

}  // namespace earshot::fuzz
