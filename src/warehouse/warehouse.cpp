#include "warehouse/warehouse.h"

#include <duckdb.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace earshot::warehouse {

namespace {

// Owns a duckdb_result and destroys it even when the query failed.
class ResultHolder {
 public:
  ResultHolder() { std::memset(&result_, 0, sizeof(result_)); }
  ~ResultHolder() { duckdb_destroy_result(&result_); }
  ResultHolder(const ResultHolder&) = delete;
  ResultHolder& operator=(const ResultHolder&) = delete;
  duckdb_result* get() { return &result_; }

 private:
  duckdb_result result_;
};

Status QueryError(duckdb_result* result, std::string_view sql) {
  const char* err = duckdb_result_error(result);
  std::string snippet(sql.substr(0, 200));
  return Status::Database(std::string(err ? err : "unknown DuckDB error") +
                          (snippet.empty() ? "" : "\n  in: " + snippet));
}

ValueKind KindOf(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT: case DUCKDB_TYPE_INTEGER: case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT: case DUCKDB_TYPE_USMALLINT: case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT:
      return ValueKind::kInteger;
    case DUCKDB_TYPE_FLOAT: case DUCKDB_TYPE_DOUBLE: case DUCKDB_TYPE_DECIMAL:
      return ValueKind::kDecimal;
    case DUCKDB_TYPE_BOOLEAN:
      return ValueKind::kBoolean;
    case DUCKDB_TYPE_TIMESTAMP: case DUCKDB_TYPE_TIMESTAMP_TZ: case DUCKDB_TYPE_DATE:
    case DUCKDB_TYPE_TIMESTAMP_S: case DUCKDB_TYPE_TIMESTAMP_MS: case DUCKDB_TYPE_TIMESTAMP_NS:
      return ValueKind::kTimestamp;
    default:
      return ValueKind::kText;
  }
}

duckdb_type DuckType(ColumnType type) {
  switch (type) {
    case ColumnType::kVarchar: return DUCKDB_TYPE_VARCHAR;
    case ColumnType::kBigint: return DUCKDB_TYPE_BIGINT;
    case ColumnType::kInteger: return DUCKDB_TYPE_INTEGER;
    case ColumnType::kDouble: return DUCKDB_TYPE_DOUBLE;
    case ColumnType::kTimestamp: return DUCKDB_TYPE_TIMESTAMP;
    case ColumnType::kBoolean: return DUCKDB_TYPE_BOOLEAN;
    case ColumnType::kDate: return DUCKDB_TYPE_DATE;
  }
  return DUCKDB_TYPE_VARCHAR;
}

// Copies rows [begin, begin + n) of `batch` into `chunk` (n <= vector size).
void FillChunk(duckdb_data_chunk chunk, const RowBatch& batch, size_t begin, size_t n) {
  const auto& types = batch.types();
  for (size_t c = 0; c < types.size(); ++c) {
    duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, c);
    void* data = duckdb_vector_get_data(vec);
    duckdb_vector_ensure_validity_writable(vec);
    uint64_t* validity = duckdb_vector_get_validity(vec);
    for (size_t r = 0; r < n; ++r) {
      size_t row = begin + r;
      if (!batch.IsValid(c, row)) {
        duckdb_validity_set_row_invalid(validity, r);
        continue;
      }
      switch (types[c]) {
        case ColumnType::kVarchar: {
          std::string_view sv = batch.String(c, row);
          duckdb_vector_assign_string_element_len(vec, r, sv.data(), sv.size());
          break;
        }
        case ColumnType::kBigint:
        case ColumnType::kTimestamp:
          static_cast<int64_t*>(data)[r] = batch.Int64(c, row);
          break;
        case ColumnType::kInteger:
        case ColumnType::kDate:
          static_cast<int32_t*>(data)[r] = static_cast<int32_t>(batch.Int64(c, row));
          break;
        case ColumnType::kDouble:
          static_cast<double*>(data)[r] = batch.Double(c, row);
          break;
        case ColumnType::kBoolean:
          static_cast<bool*>(data)[r] = batch.Int64(c, row) != 0;
          break;
      }
    }
  }
  duckdb_data_chunk_set_size(chunk, n);
}

class DuckAppender final : public Appender {
 public:
  explicit DuckAppender(duckdb_appender appender) : appender_(appender) {}
  ~DuckAppender() override {
    if (chunk_ != nullptr) duckdb_destroy_data_chunk(&chunk_);
    duckdb_appender_destroy(&appender_);
  }

  Status Append(const RowBatch& batch) override {
    if (chunk_ == nullptr) {
      EARSHOT_RETURN_IF_ERROR(MakeChunk(batch.types()));
    }
    const idx_t vsize = duckdb_vector_size();
    for (size_t begin = 0; begin < batch.size(); begin += vsize) {
      size_t n = std::min<size_t>(vsize, batch.size() - begin);
      duckdb_data_chunk_reset(chunk_);
      FillChunk(chunk_, batch, begin, n);
      if (duckdb_append_data_chunk(appender_, chunk_) != DuckDBSuccess) return Error("append");
    }
    return Status::Ok();
  }

  Status Close() override {
    if (duckdb_appender_close(appender_) != DuckDBSuccess) return Error("close");
    return Status::Ok();
  }

 private:
  Status MakeChunk(const std::vector<ColumnType>& types) {
    std::vector<duckdb_logical_type> logical;
    for (ColumnType t : types) logical.push_back(duckdb_create_logical_type(DuckType(t)));
    chunk_ = duckdb_create_data_chunk(logical.data(), logical.size());
    for (auto& l : logical) duckdb_destroy_logical_type(&l);
    if (chunk_ == nullptr) return Status::Database("could not create a DuckDB data chunk");
    return Status::Ok();
  }
  Status Error(const char* what) {
    const char* err = duckdb_appender_error(appender_);
    return Status::Database(std::string("appender ") + what + ": " + (err ? err : "unknown error"));
  }

  duckdb_appender appender_;
  duckdb_data_chunk chunk_ = nullptr;
};

}  // namespace

namespace {
struct Database {
  duckdb_database db = nullptr;
  ~Database() {
    if (db != nullptr) duckdb_close(&db);
  }
};
}  // namespace

struct Warehouse::Handles {
  std::shared_ptr<Database> database = std::make_shared<Database>();
  duckdb_connection conn = nullptr;
  ~Handles() {
    if (conn != nullptr) duckdb_disconnect(&conn);
  }
};

Warehouse::Warehouse(std::filesystem::path path, std::unique_ptr<Handles> handles)
    : path_(std::move(path)), handles_(std::move(handles)) {}

Warehouse::~Warehouse() = default;

Result<std::unique_ptr<Warehouse>> Warehouse::Open(const std::filesystem::path& path,
                                                   const OpenOptions& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) != DuckDBSuccess) return Status::Database("cannot create DuckDB config");
  auto set = [&](const char* k, const std::string& v) { duckdb_set_config(config, k, v.c_str()); };
  set("access_mode", options.read_only ? "READ_ONLY" : "READ_WRITE");
  if (!options.memory_limit.empty()) set("memory_limit", options.memory_limit);
  if (options.threads > 0) set("threads", std::to_string(options.threads));
  if (!options.temp_directory.empty()) set("temp_directory", options.temp_directory.string());
  // Nothing leaves this machine: no extension downloads.
  set("autoinstall_known_extensions", "false");
  set("autoload_known_extensions", "false");
  if (options.sandboxed) set("enable_external_access", "false");
  if (!options.disabled_compression.empty()) set("disabled_compression_methods", options.disabled_compression);

  auto handles = std::make_unique<Handles>();
  char* error = nullptr;
  duckdb_state st = duckdb_open_ext(path.c_str(), &handles->database->db, config, &error);
  duckdb_destroy_config(&config);
  if (st != DuckDBSuccess) {
    std::string msg = error ? error : "unknown error";
    if (error) duckdb_free(error);
    handles->database->db = nullptr;
    return Status::Database("cannot open warehouse " + path.string() + ": " + msg);
  }
  if (duckdb_connect(handles->database->db, &handles->conn) != DuckDBSuccess) {
    return Status::Database("cannot connect to warehouse " + path.string());
  }
  return std::unique_ptr<Warehouse>(new Warehouse(path, std::move(handles)));
}

Status Warehouse::Execute(std::string_view sql) {
  ResultHolder result;
  std::string text(sql);
  if (duckdb_query(handles_->conn, text.c_str(), result.get()) != DuckDBSuccess) {
    return QueryError(result.get(), sql);
  }
  return Status::Ok();
}

Result<Table> Warehouse::Query(std::string_view sql) {
  Table table;
  EARSHOT_RETURN_IF_ERROR(QueryEach(sql, [&](const Table& chunk) {
    if (table.columns.empty()) table.columns = chunk.columns;
    for (const auto& row : chunk.rows) table.rows.push_back(row);
  }));
  return table;
}

Status Warehouse::QueryEach(std::string_view sql, const std::function<void(const Table&)>& on_chunk) {
  ResultHolder result;
  std::string text(sql);
  if (duckdb_query(handles_->conn, text.c_str(), result.get()) != DuckDBSuccess) {
    return QueryError(result.get(), sql);
  }
  Table chunk_table;
  idx_t ncols = duckdb_column_count(result.get());
  for (idx_t c = 0; c < ncols; ++c) {
    chunk_table.columns.push_back({duckdb_column_name(result.get(), c),
                                   KindOf(duckdb_column_type(result.get(), c))});
  }
  // Every value as DuckDB itself prints it, handed on in slices of 2048 rows.
  const idx_t nrows = duckdb_row_count(result.get());
  constexpr idx_t kSlice = 2048;
  for (idx_t begin = 0; begin < nrows || begin == 0; begin += kSlice) {
    idx_t n = std::min(kSlice, nrows - begin);
    chunk_table.rows.assign(n, std::vector<std::optional<std::string>>(ncols));
    for (idx_t r = 0; r < n; ++r) {
      for (idx_t c = 0; c < ncols; ++c) {
        if (duckdb_value_is_null(result.get(), c, begin + r)) continue;
        char* s = duckdb_value_varchar(result.get(), c, begin + r);
        chunk_table.rows[r][c] = std::string(s ? s : "");
        if (s) duckdb_free(s);
      }
    }
    on_chunk(chunk_table);
    if (nrows == 0) break;
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> Warehouse::QueryInt(std::string_view sql) {
  ResultHolder result;
  std::string text(sql);
  if (duckdb_query(handles_->conn, text.c_str(), result.get()) != DuckDBSuccess) {
    return QueryError(result.get(), sql);
  }
  if (duckdb_row_count(result.get()) == 0 || duckdb_column_count(result.get()) == 0 ||
      duckdb_value_is_null(result.get(), 0, 0)) {
    return std::optional<int64_t>();
  }
  return std::optional<int64_t>(duckdb_value_int64(result.get(), 0, 0));
}

Result<std::unique_ptr<Appender>> Warehouse::NewAppender(const std::string& schema, const std::string& table) {
  duckdb_appender appender = nullptr;
  if (duckdb_appender_create(handles_->conn, schema.c_str(), table.c_str(), &appender) != DuckDBSuccess) {
    std::string err = appender ? duckdb_appender_error(appender) : "unknown error";
    if (appender) duckdb_appender_destroy(&appender);
    return Status::Database("cannot append to " + schema + "." + table + ": " + err);
  }
  return std::unique_ptr<Appender>(new DuckAppender(appender));
}

namespace {

// What the table function behind InsertFrom() shares between DuckDB's threads.
struct InsertSource {
  const std::vector<ColumnType>* types;
  const std::function<Result<bool>(RowBatch&)>* fill;
  std::mutex mu;
  bool done = false;
  Status error;
};

void SourceBind(duckdb_bind_info info) {
  auto* src = static_cast<InsertSource*>(duckdb_bind_get_extra_info(info));
  for (size_t c = 0; c < src->types->size(); ++c) {
    duckdb_logical_type lt = duckdb_create_logical_type(DuckType((*src->types)[c]));
    duckdb_bind_add_result_column(info, ("c" + std::to_string(c)).c_str(), lt);
    duckdb_destroy_logical_type(&lt);
  }
}

void SourceInit(duckdb_init_info info) { duckdb_init_set_max_threads(info, 64); }

// Per DuckDB thread: rows `fill` produced that are not yet handed out (one
// record may map to many rows, so a fill can overshoot a chunk).
struct SourceLocal {
  explicit SourceLocal(const std::vector<ColumnType>& types) : batch(types, duckdb_vector_size()) {}
  RowBatch batch;
  size_t emitted = 0;
};

void SourceLocalInit(duckdb_init_info info) {
  auto* src = static_cast<InsertSource*>(duckdb_init_get_extra_info(info));
  duckdb_init_set_init_data(info, new SourceLocal(*src->types), [](void* p) { delete static_cast<SourceLocal*>(p); });
}

void SourceFunction(duckdb_function_info info, duckdb_data_chunk output) {
  auto* src = static_cast<InsertSource*>(duckdb_function_get_extra_info(info));
  auto* local = static_cast<SourceLocal*>(duckdb_function_get_local_init_data(info));
  RowBatch* batch = &local->batch;
  if (local->emitted >= batch->size()) {
    batch->Clear();
    local->emitted = 0;
    std::lock_guard<std::mutex> lock(src->mu);
    if (!src->done) {
      auto more = (*src->fill)(*batch);
      if (!more.ok()) {
        src->error = more.status();
        src->done = true;
      } else if (!*more) {
        src->done = true;
      }
    }
    if (!src->error.ok()) {
      duckdb_function_set_error(info, src->error.message().c_str());
      return;
    }
  }
  size_t n = std::min<size_t>(batch->size() - local->emitted, duckdb_vector_size());
  FillChunk(output, *batch, local->emitted, n);
  local->emitted += n;
}

}  // namespace

Status Warehouse::InsertFrom(const std::string& schema, const std::string& table,
                             const std::vector<ColumnType>& types,
                             const std::function<Result<bool>(RowBatch&)>& fill) {
  static std::atomic<uint64_t> counter{0};
  InsertSource src;
  src.types = &types;
  src.fill = &fill;
  const std::string name = "earshot_insert_source_" + std::to_string(counter.fetch_add(1));
  duckdb_table_function tf = duckdb_create_table_function();
  duckdb_table_function_set_name(tf, name.c_str());
  duckdb_table_function_set_extra_info(tf, &src, nullptr);
  duckdb_table_function_set_bind(tf, SourceBind);
  duckdb_table_function_set_init(tf, SourceInit);
  duckdb_table_function_set_local_init(tf, SourceLocalInit);
  duckdb_table_function_set_function(tf, SourceFunction);
  duckdb_state registered = duckdb_register_table_function(handles_->conn, tf);
  duckdb_destroy_table_function(&tf);
  if (registered != DuckDBSuccess) return Status::Database("cannot register the insert source " + name);
  Status st = Execute("SET preserve_insertion_order = false");
  if (st.ok()) st = Execute("INSERT INTO " + schema + "." + table + " SELECT * FROM " + name + "()");
  Status reset = Execute("SET preserve_insertion_order = true");
  if (!src.error.ok()) return src.error;
  EARSHOT_RETURN_IF_ERROR(st);
  return reset;
}

Result<std::unique_ptr<Warehouse>> Warehouse::NewConnection() {
  auto handles = std::make_unique<Handles>();
  handles->database = handles_->database;
  if (duckdb_connect(handles->database->db, &handles->conn) != DuckDBSuccess) {
    return Status::Database("cannot open another connection to " + path_.string());
  }
  return std::unique_ptr<Warehouse>(new Warehouse(path_, std::move(handles)));
}

std::string SqlNow() {
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "TIMESTAMP '%04d-%02d-%02d %02d:%02d:%02d.%06lld'", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros % 1000000));
  return buf;
}

std::string SqlQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string SqlIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace earshot::warehouse
