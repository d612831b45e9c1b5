// RejectSpool: rejects written to a temporary file while the rows of an
// ingest stream into the warehouse (the connection is busy with that insert),
// then read back and loaded. Memory stays flat however many rows are bad.
// The file is removed when the spool is destroyed. Not thread-safe.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>

#include "common/status.h"
#include "ingest/record_mapper.h"

namespace earshot::ingest {

class RejectSpool {
 public:
  // Creates an empty spool file in `dir` (created if missing).
  static Result<std::unique_ptr<RejectSpool>> Create(const std::filesystem::path& dir);
  ~RejectSpool();
  RejectSpool(const RejectSpool&) = delete;
  RejectSpool& operator=(const RejectSpool&) = delete;

  Status Write(const Reject& reject);
  // Calls `each` for every reject written, in order.
  Status ReadAll(const std::function<Status(const Reject&)>& each);

 private:
  RejectSpool(std::FILE* file, std::filesystem::path path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::filesystem::path path_;
};

}  // namespace earshot::ingest
