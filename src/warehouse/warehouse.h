// Warehouse: the DuckDB adapter. The only code in earshot that includes
// duckdb.h; everything else sees Status, Table and RowBatch.
//
// A Warehouse owns one database handle and one connection. DuckDB allows one
// writing process per file, so earshot opens the working warehouse read-write
// from the process that ingests and builds, and every reader opens the
// published snapshot read-only. A Warehouse is not thread-safe; an Appender
// belongs to the Warehouse that made it and must not outlive it. Several
// threads may each use their own connection (NewConnection()) at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/table.h"
#include "warehouse/row_batch.h"

namespace earshot::warehouse {

struct OpenOptions {
  bool read_only = false;
  std::string memory_limit;  // DuckDB syntax, e.g. "1GB"; empty = DuckDB's default
  int threads = 0;           // 0 = DuckDB's default
  std::filesystem::path temp_directory;  // where DuckDB may spill; empty = default
  // No access to other files (no read_csv, COPY TO, ATTACH): for running
  // SQL typed by a user against the published snapshot.
  bool sandboxed = false;
  // DuckDB compression methods not to use when writing (e.g. "fsst"): trades
  // file size for write speed on columns that are written once, read rarely.
  std::string disabled_compression;
};

class Appender {
 public:
  virtual ~Appender() = default;
  // Appends all rows of `batch` (column types must match the table).
  virtual Status Append(const RowBatch& batch) = 0;
  // Flushes pending rows into the current transaction.
  virtual Status Close() = 0;
};

class Warehouse {
 public:
  // Opens (creating when read-write) the database file at `path`.
  // Fails with kDatabaseError naming the file, e.g. when another process holds it.
  static Result<std::unique_ptr<Warehouse>> Open(const std::filesystem::path& path,
                                                 const OpenOptions& options = {});
  ~Warehouse();
  Warehouse(const Warehouse&) = delete;
  Warehouse& operator=(const Warehouse&) = delete;

  // Runs one or more statements, discarding results.
  Status Execute(std::string_view sql);
  // Runs a query and materialises its result (for report-sized results).
  Result<Table> Query(std::string_view sql);
  // Runs a query returning one integer (NULL -> nullopt).
  Result<std::optional<int64_t>> QueryInt(std::string_view sql);
  // Streams a query's result rows to `on_row` chunk by chunk (bounded memory).
  Status QueryEach(std::string_view sql, const std::function<void(const Table& chunk)>& on_chunk);
  Result<std::unique_ptr<Appender>> NewAppender(const std::string& schema, const std::string& table);
  // INSERT INTO schema.table SELECT * FROM a source fed by `fill`: DuckDB's
  // worker threads pull rows by calling `fill` (never two calls at once),
  // which adds up to 2048 rows to the batch it is given and returns false
  // when there are no more. Storing (compression) then runs on every DuckDB
  // thread instead of one, inside the current transaction. Row order in the
  // table is not preserved. Returns `fill`'s first error, or DuckDB's.
  Status InsertFrom(const std::string& schema, const std::string& table, const std::vector<ColumnType>& types,
                    const std::function<Result<bool>(RowBatch&)>& fill);
  // Another connection to the same database, with its own transactions, for
  // work on another thread. The database stays open until every connection
  // made from it is gone.
  Result<std::unique_ptr<Warehouse>> NewConnection();

  const std::filesystem::path& path() const { return path_; }

 private:
  struct Handles;
  Warehouse(std::filesystem::path path, std::unique_ptr<Handles> handles);

  std::filesystem::path path_;
  std::unique_ptr<Handles> handles_;
};

// The current UTC time as a SQL TIMESTAMP literal. (DuckDB's now() is the
// start of the transaction, which is not when a long load finished.)
std::string SqlNow();
// SQL string literal for `text` ('it''s').
std::string SqlQuote(std::string_view text);
// SQL identifier, always quoted ("my table").
std::string SqlIdentifier(std::string_view name);

}  // namespace earshot::warehouse
