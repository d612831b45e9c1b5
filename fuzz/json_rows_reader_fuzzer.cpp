// Fuzz target: formats::JsonRowsReader (src/formats/json_rows_reader.h), the
// streaming splitter of JSON deliveries (array, {"rows": [...]}, NDJSON).
//
// The input is a whole delivery. It is read three times:
//  - with one block as large as the input (no refill inside a row);
//  - with 7-byte blocks, so every row, key, string and escape is cut across
//    refills; the rows, their lines, offsets, flaws and texts must be the
//    same as the first time (the split may not depend on where blocks end);
//  - with rows limited to 48 bytes, which exercises the oversized-row path.
// Every row lies inside the file, in order; a row without a flaw is exactly
// the input's bytes at its offset, and its line is the line of that offset.
// And against simdjson as the oracle: when the whole input is a valid JSON
// array, the rows are its elements; when it is an object whose only "rows"
// key holds an array, the rows are that array's elements; NDJSON rows are
// the non-blank lines.
#include <simdjson.h>

#include <string>
#include <vector>

#include "formats/json_rows_reader.h"
#include "formats/line_reader.h"
#include "formats/value_parsers.h"
#include "fuzz_support.h"

namespace {

using earshot::formats::JsonFlaw;
using earshot::formats::JsonRow;
using earshot::formats::JsonRowsReader;
using earshot::formats::JsonShape;

struct Row {
  std::string text;
  uint64_t line;
  uint64_t offset;
  JsonFlaw flaw;
  bool operator==(const Row&) const = default;
};

struct Read {
  JsonShape shape = JsonShape::kEmpty;
  std::vector<Row> rows;
  uint64_t consumed = 0;
};

Read ReadAll(const std::filesystem::path& path, size_t size, size_t block, size_t max_row) {
  auto reader = JsonRowsReader::Open(path, block, max_row);
  FUZZ_CHECK(reader.ok());
  Read out;
  out.shape = (*reader)->shape();
  FUZZ_CHECK((*reader)->file_size() == size);
  JsonRow row;
  while (true) {
    auto more = (*reader)->Next(row);
    FUZZ_CHECK(more.ok());
    if (!*more) break;
    out.rows.push_back({std::string(row.text), row.line, row.byte_offset, row.flaw});
    FUZZ_CHECK(out.rows.size() <= size + 1);
  }
  out.consumed = (*reader)->bytes_consumed();
  FUZZ_CHECK(out.consumed <= size);
  return out;
}

void CheckRows(const Read& read, std::string_view input, const earshot::fuzz::LineIndex& lines) {
  uint64_t last_offset = 0;
  for (size_t k = 0; k < read.rows.size(); ++k) {
    const Row& r = read.rows[k];
    FUZZ_CHECK(r.offset <= input.size());
    if (k > 0) FUZZ_CHECK(r.offset > last_offset);
    last_offset = r.offset;
    if (r.line != lines.LineAt(r.offset)) {
      std::fprintf(stderr, "row %zu at offset %lu says line %lu, is on line %lu (flaw %d)\n", k,
                   static_cast<unsigned long>(r.offset), static_cast<unsigned long>(r.line),
                   static_cast<unsigned long>(lines.LineAt(r.offset)), static_cast<int>(r.flaw));
    }
    FUZZ_CHECK(r.line == lines.LineAt(r.offset));
    if (r.flaw == JsonFlaw::kNone) {
      FUZZ_CHECK(!r.text.empty());
      FUZZ_CHECK(input.substr(r.offset, r.text.size()) == r.text);
    }
  }
  if (read.shape == JsonShape::kEmpty) FUZZ_CHECK(read.rows.empty());
}

// The minified elements of `array`.
std::vector<std::string> Elements(simdjson::dom::array array) {
  std::vector<std::string> out;
  for (simdjson::dom::element e : array) out.push_back(simdjson::minify(e));
  return out;
}

std::vector<std::string> MinifiedRows(const Read& read) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  for (const Row& r : read.rows) {
    if (r.flaw != JsonFlaw::kNone) return {};
    simdjson::dom::element e;
    if (parser.parse(r.text).get(e) != simdjson::SUCCESS) return {"<not JSON: " + r.text + ">"};
    out.push_back(simdjson::minify(e));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  earshot::fuzz::InputFile file(data, size);
  const std::string_view input = earshot::fuzz::AsText(data, size);
  const earshot::fuzz::LineIndex lines(input);

  const Read whole = ReadAll(file.path(), size, size + 64, 4 * (size + 64));
  CheckRows(whole, input, lines);
  FUZZ_CHECK(whole.consumed == size || whole.shape == JsonShape::kEmpty || whole.shape == JsonShape::kLines);

  const Read small = ReadAll(file.path(), size, 7, 4 * (size + 64));
  FUZZ_CHECK(small.shape == whole.shape);
  if (small.rows != whole.rows) {
    for (const Read* r : {&whole, &small}) {
      for (const Row& row : r->rows) {
        std::fprintf(stderr, "row line %lu offset %lu flaw %d: %s\n", static_cast<unsigned long>(row.line),
                     static_cast<unsigned long>(row.offset), static_cast<int>(row.flaw), row.text.c_str());
      }
      std::fprintf(stderr, "--\n");
    }
  }
  FUZZ_CHECK(small.rows == whole.rows);

  const Read limited = ReadAll(file.path(), size, 16, 48);
  CheckRows(limited, input, lines);  // (its shape may differ: a long head can exceed the limit)
  for (const Row& r : limited.rows) {
    if (r.flaw == JsonFlaw::kTooLarge) FUZZ_CHECK(r.text.size() <= 48 + 200);
  }

  // simdjson as the oracle for inputs that are valid JSON documents.
  std::string_view body = input;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  if (whole.shape == JsonShape::kLines) {
    // The rows are the non-blank lines (blank: white space only).
    auto reader = earshot::formats::LineReader::Open(file.path(), size + 64, 4 * (size + 64));
    FUZZ_CHECK(reader.ok());
    earshot::formats::Line line;
    std::vector<uint64_t> expected;
    while (true) {
      auto more = (*reader)->Next(line);
      FUZZ_CHECK(more.ok());
      if (!*more) break;
      if (line.text.find_first_not_of(" \t\r\n") != std::string_view::npos) expected.push_back(line.number);
    }
    std::vector<uint64_t> got;
    for (const Row& r : whole.rows) got.push_back(r.line);
    FUZZ_CHECK(got == expected);
    return 0;
  }
  // simdjson is never handed an empty body (its data pointer may be null).
  if (body.empty() || !earshot::formats::IsValidUtf8(body) || body.find('\\') != std::string_view::npos) return 0;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return 0;
  if (doc.type() == simdjson::dom::element_type::ARRAY) {
    FUZZ_CHECK(whole.shape == JsonShape::kArray);
    FUZZ_CHECK(MinifiedRows(whole) == Elements(doc.get_array().value_unsafe()));
  } else if (doc.type() == simdjson::dom::element_type::OBJECT) {
    int rows_keys = 0;
    simdjson::dom::array rows;
    const simdjson::dom::object object = doc.get_object().value_unsafe();
    for (auto field : object) {
      if (field.key == "rows") {
        ++rows_keys;
        if (field.value.get_array().get(rows) != simdjson::SUCCESS) rows_keys = 99;
      }
    }
    if (rows_keys == 1) {
      FUZZ_CHECK(whole.shape == JsonShape::kRowsObject);
      FUZZ_CHECK(MinifiedRows(whole) == Elements(rows));
    }
  }
  return 0;
}
