// Fuzz target: ingest::SniffSource (src/ingest/source.h), which guesses a
// file's source from its first 64 KiB. Whatever the bytes, it answers with a
// source or a data error naming a code (empty_file or unknown_format).
#include <string>

#include "fuzz_support.h"
#include "ingest/source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  earshot::fuzz::InputFile file(data, size);
  auto source = earshot::ingest::SniffSource(file.path());
  if (!source.ok()) {
    const std::string& m = source.status().message();
    FUZZ_CHECK(m.find("(code empty_file)") != std::string::npos || m.find("(code unknown_format)") != std::string::npos);
  }
  return 0;
}
