// Fuzz target: formats::LineReader (src/formats/line_reader.h), the NDJSON
// line splitter.
//
// The input is a whole file, read once with a block that holds it (the
// reference) and again with 1- and 5-byte blocks: every read must give the
// same lines. The reference must agree with the bytes: each line's text is
// the file's bytes at its offset (without the CR of a CRLF), its number is
// 1 + the newlines before that offset, and the lines and their terminators
// cover the file after the BOM exactly. A tiny line limit exercises the
// too-large path.
#include <string>
#include <vector>

#include "formats/line_reader.h"
#include "fuzz_support.h"

namespace {

using earshot::formats::Line;
using earshot::formats::LineReader;

struct Copy {
  std::string text;
  uint64_t number;
  uint64_t byte_offset;
  bool too_large;
  bool operator==(const Copy&) const = default;
};

// Reads every line; checks what must hold whatever the block and limit:
// numbers count up from 1, offsets move forward, a line's text is the file's
// bytes at its offset and its number is 1 + the newlines before that offset.
std::vector<Copy> ReadAll(const std::filesystem::path& path, size_t block, size_t max_line, std::string_view text) {
  const uint64_t size = text.size();
  const earshot::fuzz::LineIndex lines(text);
  auto reader = LineReader::Open(path, block, max_line);
  FUZZ_CHECK(reader.ok());
  std::vector<Copy> out;
  Line line;
  while (true) {
    auto more = (*reader)->Next(line);
    FUZZ_CHECK(more.ok());
    if (!*more) break;
    FUZZ_CHECK(line.byte_offset < size || (line.byte_offset == size && line.text.empty()));
    FUZZ_CHECK(out.empty() || line.byte_offset > out.back().byte_offset);
    FUZZ_CHECK(line.number == out.size() + 1);
    FUZZ_CHECK((*reader)->bytes_consumed() <= size);
    FUZZ_CHECK(line.number == lines.LineAt(line.byte_offset));
    FUZZ_CHECK(text.substr(line.byte_offset, line.text.size()) == line.text);
    out.push_back({std::string(line.text), line.number, line.byte_offset, line.too_large});
    FUZZ_CHECK(out.size() <= size);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  earshot::fuzz::InputFile file(data, size);
  const std::string_view text = earshot::fuzz::AsText(data, size);
  const size_t big = size + 64;

  const std::vector<Copy> reference = ReadAll(file.path(), big, 4 * big, text);
  uint64_t expected_offset = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (const Copy& l : reference) {
    FUZZ_CHECK(!l.too_large);
    FUZZ_CHECK(l.byte_offset == expected_offset);
    FUZZ_CHECK(l.text.find('\n') == std::string::npos);
    uint64_t next = l.byte_offset + l.text.size();
    if (next < size && text[next] == '\r') ++next;  // the CR of a CRLF
    if (next < size) {
      FUZZ_CHECK(text[next] == '\n');
      ++next;
    }
    expected_offset = next;
  }
  FUZZ_CHECK(expected_offset == size || (reference.empty() && size <= 3));
  for (size_t block : {size_t{1}, size_t{5}}) {
    FUZZ_CHECK(ReadAll(file.path(), block, 4 * big, text) == reference);
  }
  (void)ReadAll(file.path(), 4, 16, text);
  return 0;
}
