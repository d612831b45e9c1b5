#include "ingest/field_reader.h"

#include <simdjson.h>

#include <cstring>

#include "formats/csv_reader.h"
#include "formats/json_rows_reader.h"
#include "formats/value_parsers.h"

namespace earshot::ingest {

namespace {

constexpr size_t kMaxRaw = 4096;

void Describe(Reject& reject, uint64_t line, uint64_t offset, std::string_view raw) {
  reject.line = line;
  reject.byte_offset = offset;
  // The warehouse stores only valid UTF-8: invalid bytes and NULs are escaped.
  reject.raw = formats::SafeText(raw, kMaxRaw);
}

void Fail(Reject& reject, const char* column, const char* code, std::string message) {
  reject.column = column;
  reject.code = code;
  reject.message = std::move(message);
}

class CsvFieldReader final : public FieldReader {
 public:
  CsvFieldReader(std::unique_ptr<formats::CsvReader> reader, std::vector<std::string> names)
      : reader_(std::move(reader)), names_(std::move(names)), index_(names_.size(), -1) {}

  Status BindHeader(const std::filesystem::path& path) {
    EARSHOT_ASSIGN_OR_RETURN(bool any, reader_->Next(record_));
    if (!any) return Status::DataError(path.string() + ": empty file (code empty_file): a CSV delivery needs a header row");
    header_line_ = record_.line;
    const std::string where = path.string() + ":" + std::to_string(record_.line);
    if (!formats::IsValidUtf8(record_.raw)) {
      return Status::DataError(where + ": the header is not valid UTF-8 (code invalid_utf8)");
    }
    header_fields_ = record_.fields.size();
    std::vector<std::string> seen;
    for (size_t c = 0; c < record_.fields.size(); ++c) {
      std::string norm = formats::NormalizeHeaderName(record_.fields[c]);
      for (const std::string& s : seen) {
        if (!norm.empty() && s == norm) {
          return Status::DataError(where + ": column '" + formats::SafeText(record_.fields[c], 64) +
                                   "' appears twice in the header (code duplicate_header)");
        }
      }
      seen.push_back(norm);
    }
    for (size_t i = 0; i < names_.size(); ++i) {
      for (size_t c = 0; c < record_.fields.size() && index_[i] < 0; ++c) {
        if (formats::TrimAscii(record_.fields[c]) == names_[i]) index_[i] = static_cast<int>(c);
      }
      const std::string want = formats::NormalizeHeaderName(names_[i]);
      for (size_t c = 0; c < seen.size() && index_[i] < 0; ++c) {
        if (seen[c] == want) index_[i] = static_cast<int>(c);
      }
    }
    return Status::Ok();
  }

  Result<RecordOutcome> Next(Reject& reject) override {
    EARSHOT_ASSIGN_OR_RETURN(bool any, reader_->Next(record_));
    if (!any) return RecordOutcome::kEnd;
    Locate(reject);
    if (record_.flaw == formats::CsvFlaw::kUnterminatedQuote) {
      Fail(reject, "", "unterminated_quote", "a quoted field is never closed before the end of the file");
      return RecordOutcome::kRejected;
    }
    if (record_.flaw == formats::CsvFlaw::kRecordTooLarge) {
      Fail(reject, "", "record_too_large", "the record is larger than the reader's limit");
      return RecordOutcome::kRejected;
    }
    if (record_.fields.size() != header_fields_) {
      Fail(reject, "", "field_count_mismatch",
           "expected " + std::to_string(header_fields_) + " fields as in the header, found " +
               std::to_string(record_.fields.size()));
      return RecordOutcome::kRejected;
    }
    if (std::memchr(record_.raw.data(), '\0', record_.raw.size()) != nullptr) {
      Fail(reject, "", "nul_byte", "the record contains a NUL byte");
      return RecordOutcome::kRejected;
    }
    if (!formats::IsValidUtf8(record_.raw)) {
      Fail(reject, "", "invalid_utf8", "the record is not valid UTF-8");
      return RecordOutcome::kRejected;
    }
    return RecordOutcome::kAccepted;
  }

  std::optional<std::string_view> Field(size_t i) const override {
    if (index_[i] < 0) return std::nullopt;
    return formats::TrimAscii(record_.fields[static_cast<size_t>(index_[i])]);
  }
  bool HasColumn(size_t i) const override { return index_[i] >= 0; }
  void Locate(Reject& reject) const override { Describe(reject, record_.line, record_.byte_offset, record_.raw); }
  uint64_t header_line() const override { return header_line_; }
  uint64_t bytes_consumed() const override { return reader_->bytes_consumed(); }
  uint64_t file_size() const override { return reader_->file_size(); }

 private:
  std::unique_ptr<formats::CsvReader> reader_;
  std::vector<std::string> names_;
  std::vector<int> index_;
  formats::CsvRecord record_;
  size_t header_fields_ = 0;
  uint64_t header_line_ = 1;
};

class JsonFieldReader final : public FieldReader {
 public:
  JsonFieldReader(std::unique_ptr<formats::JsonRowsReader> reader, std::vector<std::string> names)
      : reader_(std::move(reader)), names_(std::move(names)), values_(names_.size()), present_(names_.size()) {
    for (const std::string& n : names_) normalized_.push_back(formats::NormalizeHeaderName(n));
  }

  Result<RecordOutcome> Next(Reject& reject) override {
    EARSHOT_ASSIGN_OR_RETURN(bool any, reader_->Next(row_));
    if (!any) return RecordOutcome::kEnd;
    Locate(reject);
    switch (row_.flaw) {
      case formats::JsonFlaw::kNone: break;
      case formats::JsonFlaw::kTruncated:
        Fail(reject, "", "invalid_json", "the file ends inside this row, or before the array of rows is closed");
        return RecordOutcome::kRejected;
      case formats::JsonFlaw::kTooLarge:
        Fail(reject, "", "record_too_large", "the row is larger than the reader's limit");
        return RecordOutcome::kRejected;
      case formats::JsonFlaw::kTrailingText:
        Fail(reject, "", "invalid_json", "text after the end of the rows");
        return RecordOutcome::kRejected;
    }
    if (!formats::IsValidUtf8(row_.text)) {
      Fail(reject, "", "invalid_utf8", "the row is not valid UTF-8");
      return RecordOutcome::kRejected;
    }
    simdjson::dom::element doc;
    if (auto err = parser_.parse(row_.text.data(), row_.text.size()).get(doc); err) {
      Fail(reject, "", err == simdjson::DEPTH_ERROR ? "too_deep" : "invalid_json",
           std::string("not valid JSON: ") + simdjson::error_message(err));
      return RecordOutcome::kRejected;
    }
    simdjson::dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      Fail(reject, "", "not_an_object", "a row must be a JSON object");
      return RecordOutcome::kRejected;
    }
    for (size_t i = 0; i < names_.size(); ++i) present_[i] = false;
    std::vector<bool> exact(names_.size(), false);
    for (auto field : obj) {
      const std::string_view key = field.key;
      std::string norm;
      for (size_t i = 0; i < names_.size(); ++i) {
        const bool is_exact = key == names_[i];
        if (!is_exact) {
          if (exact[i]) continue;
          if (norm.empty()) norm = formats::NormalizeHeaderName(key);
          if (norm != normalized_[i]) continue;
        }
        exact[i] = exact[i] || is_exact;
        bool present = false;
        const bool scalar = Scalar(field.value, values_[i], present);
        present_[i] = present;
        if (!scalar) {
          Fail(reject, names_[i].c_str(), "invalid_value",
               names_[i] + " must be a string, a number or a boolean, not an object or array");
          return RecordOutcome::kRejected;
        }
      }
    }
    return RecordOutcome::kAccepted;
  }

  std::optional<std::string_view> Field(size_t i) const override {
    if (!present_[i]) return std::nullopt;
    return formats::TrimAscii(values_[i]);
  }
  bool HasColumn(size_t) const override { return true; }
  void Locate(Reject& reject) const override { Describe(reject, row_.line, row_.byte_offset, row_.text); }
  uint64_t header_line() const override { return 1; }
  uint64_t bytes_consumed() const override { return reader_->bytes_consumed(); }
  uint64_t file_size() const override { return reader_->file_size(); }

 private:
  static bool Scalar(simdjson::dom::element v, std::string& out, bool& present) {
    using simdjson::dom::element_type;
    present = true;
    switch (v.type()) {
      case element_type::STRING: out.assign(v.get_string().value_unsafe()); return true;
      case element_type::INT64: out = std::to_string(v.get_int64().value_unsafe()); return true;
      case element_type::UINT64: out = std::to_string(v.get_uint64().value_unsafe()); return true;
      case element_type::DOUBLE: out = simdjson::minify(v); return true;
      case element_type::BOOL: out = v.get_bool().value_unsafe() ? "true" : "false"; return true;
      case element_type::NULL_VALUE: present = false; return true;
      default: present = false; return false;
    }
  }

  std::unique_ptr<formats::JsonRowsReader> reader_;
  std::vector<std::string> names_;
  std::vector<std::string> normalized_;
  std::vector<std::string> values_;
  std::vector<char> present_;  // bool per name
  formats::JsonRow row_;
  simdjson::dom::parser parser_;
};

}  // namespace

Result<std::unique_ptr<FieldReader>> FieldReader::Open(const std::filesystem::path& path, RecordFormat format,
                                                       std::vector<std::string> names) {
  if (format == RecordFormat::kCsv) {
    EARSHOT_ASSIGN_OR_RETURN(auto csv, formats::CsvReader::Open(path));
    auto reader = std::make_unique<CsvFieldReader>(std::move(csv), std::move(names));
    EARSHOT_RETURN_IF_ERROR(reader->BindHeader(path));
    return std::unique_ptr<FieldReader>(std::move(reader));
  }
  EARSHOT_ASSIGN_OR_RETURN(auto rows, formats::JsonRowsReader::Open(path));
  return std::unique_ptr<FieldReader>(std::make_unique<JsonFieldReader>(std::move(rows), std::move(names)));
}

}  // namespace earshot::ingest
