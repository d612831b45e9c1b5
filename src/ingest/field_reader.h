// FieldReader: the records of a delivery as named fields, whatever the file
// format. A CSV file binds its header to the wanted names (exact name first,
// else the same name ignoring case, `_`, `-` and spaces); a JSON delivery
// (array, {"rows": [...]} or NDJSON; see formats/json_rows_reader.h) looks
// each name up among the keys of every row object. Values come out as text:
// JSON strings as they are, numbers as written, true/false, null as absent.
// Record-level problems (unterminated quote, field count, NUL byte, invalid
// UTF-8 or JSON, a row that is not an object, a nested value) come back as a
// Reject, so every source's mapper rejects them with the same codes.
// Not thread-safe; values stay valid until the next call to Next().
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/record_mapper.h"

namespace earshot::ingest {

enum class RecordFormat { kCsv, kJson };

class FieldReader {
 public:
  virtual ~FieldReader() = default;

  // Opens `path` as `format` and binds `names` (their names, in the order the
  // caller will ask for them). Fails with kDataError naming file and line for
  // an empty CSV, a header that is not UTF-8 or repeats a column.
  static Result<std::unique_ptr<FieldReader>> Open(const std::filesystem::path& path, RecordFormat format,
                                                   std::vector<std::string> names);

  // kAccepted: a record whose fields can be asked for; kRejected: `reject`
  // says why the record cannot be read; kEnd at the end of the file. For
  // every record, `reject` gets its line, byte offset and raw text, so a
  // mapper that rejects a value only sets column, code and message.
  virtual Result<RecordOutcome> Next(Reject& reject) = 0;
  // The value of the i-th name for the current record, trimmed of ASCII
  // white space; nullopt when the record has no such field (or JSON null).
  virtual std::optional<std::string_view> Field(size_t i) const = 0;
  // False when a CSV header has no column for the i-th name (JSON: true).
  virtual bool HasColumn(size_t i) const = 0;

  // Fills the location and raw text of the current record into `reject`.
  virtual void Locate(Reject& reject) const = 0;
  // The header line of a CSV (1 for JSON): where a missing column is reported.
  virtual uint64_t header_line() const = 0;
  virtual uint64_t bytes_consumed() const = 0;
  virtual uint64_t file_size() const = 0;
};

}  // namespace earshot::ingest
