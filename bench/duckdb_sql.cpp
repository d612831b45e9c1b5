// duckdb_sql DBFILE SQLFILE: the "DuckDB peer" runner of the benchmarks in
// bench/ (there is no duckdb CLI in this tree). Opens DBFILE (created when
// missing) with DuckDB's C API, runs every statement of SQLFILE in order, and
// prints each statement's wall time to stderr. Rows of statements that return
// a result set (a final SELECT) go to stdout as CSV. On the first error it
// prints DuckDB's message and exits 1 (2 for usage or unreadable files).
// Nested values (lists, structs) in printed rows need a cast to VARCHAR.
//
// Statements are split on `;` outside quotes, comments and $$-strings so each
// one can be labelled and timed; every piece then goes through DuckDB's own
// duckdb_extract_statements, so a piece holding several statements (or a
// splitter mistake) still runs exactly as DuckDB parses it.
#include <duckdb.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Splits SQL text into statements on top-level semicolons.
std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  size_t i = 0;
  const size_t n = sql.size();
  auto flush = [&] {
    out.push_back(current);
    current.clear();
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // quoted literal / identifier; doubled quote escapes
      const char q = c;
      current += c;
      ++i;
      while (i < n) {
        current += sql[i];
        if (sql[i] == q) {
          if (i + 1 < n && sql[i + 1] == q) {
            current += sql[++i];
          } else {
            ++i;
            break;
          }
        }
        ++i;
      }
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {  // line comment
      while (i < n && sql[i] != '\n') current += sql[i++];
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {  // block comment
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? n : end + 2;
      current.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && i + 1 < n && sql[i + 1] == '$') {  // $$ ... $$
      size_t end = sql.find("$$", i + 2);
      end = end == std::string_view::npos ? n : end + 2;
      current.append(sql.substr(i, end - i));
      i = end;
    } else if (c == ';') {
      current += c;
      ++i;
      flush();
    } else {
      current += c;
      ++i;
    }
  }
  flush();
  return out;
}

// The statement without comments and blank space, on one line, shortened: its label.
std::string Label(std::string_view stmt) {
  std::string text;
  bool space = false;
  for (size_t i = 0; i < stmt.size(); ++i) {
    if (stmt[i] == '-' && i + 1 < stmt.size() && stmt[i + 1] == '-') {
      while (i < stmt.size() && stmt[i] != '\n') ++i;
      space = true;
      continue;
    }
    if (stmt[i] == '/' && i + 1 < stmt.size() && stmt[i + 1] == '*') {
      size_t end = stmt.find("*/", i + 2);
      i = end == std::string_view::npos ? stmt.size() : end + 1;
      space = true;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(stmt[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !text.empty()) text += ' ';
    space = false;
    text += static_cast<char>(c);
  }
  constexpr size_t kMax = 90;
  if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
  return text;
}

// Writes a result set as CSV (RFC 4180 quoting when needed; NULL as empty).
void PrintCsv(duckdb_result& result) {
  const idx_t cols = duckdb_column_count(&result);
  auto field = [](const char* s) {
    std::string v = s ? s : "";
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  };
  for (idx_t c = 0; c < cols; ++c) std::printf("%s%s", c ? "," : "", field(duckdb_column_name(&result, c)).c_str());
  std::printf("\n");
  const idx_t rows = duckdb_row_count(&result);
  for (idx_t r = 0; r < rows; ++r) {
    for (idx_t c = 0; c < cols; ++c) {
      const bool is_null = duckdb_value_is_null(&result, c, r);
      char* v = is_null ? nullptr : duckdb_value_varchar(&result, c, r);
      // Nested values (lists, structs, maps) do not print through this API: cast them to VARCHAR.
      const std::string text = is_null || v ? field(v) : std::string("<cast to VARCHAR to print>");
      std::printf("%s%s", c ? "," : "", text.c_str());
      if (v) duckdb_free(v);
    }
    std::printf("\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(stderr,
                 "usage: duckdb_sql DBFILE SQLFILE\n"
                 "  Runs every statement of SQLFILE against the DuckDB database DBFILE\n"
                 "  (':memory:' for none) and prints each statement's wall time to stderr.\n");
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "duckdb_sql: cannot read %s\n", argv[2]);
    return 2;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string sql = buffer.str();

  const auto started = Clock::now();
  duckdb_database db = nullptr;
  char* open_error = nullptr;
  const char* path = std::strcmp(argv[1], ":memory:") == 0 ? nullptr : argv[1];
  if (duckdb_open_ext(path, &db, nullptr, &open_error) != DuckDBSuccess) {
    std::fprintf(stderr, "duckdb_sql: cannot open %s: %s\n", argv[1], open_error ? open_error : "unknown error");
    if (open_error) duckdb_free(open_error);
    return 1;
  }
  duckdb_connection con = nullptr;
  if (duckdb_connect(db, &con) != DuckDBSuccess) {
    std::fprintf(stderr, "duckdb_sql: cannot connect to %s\n", argv[1]);
    duckdb_close(&db);
    return 1;
  }
  std::fprintf(stderr, "duckdb_sql: opened %s (duckdb %s) in %.3f s\n", argv[1], duckdb_library_version(),
               Since(started));

  int exit_code = 0;
  int number = 0;
  for (const std::string& piece : SplitStatements(sql)) {
    const std::string label = Label(piece);
    if (label.empty() || label == ";") continue;  // only comments or blank space
    ++number;
    const auto t = Clock::now();
    duckdb_extracted_statements stmts = nullptr;
    const idx_t count = duckdb_extract_statements(con, piece.c_str(), &stmts);
    if (count == 0) {
      const char* err = duckdb_extract_statements_error(stmts);
      std::fprintf(stderr, "duckdb_sql: statement %d failed to parse: %s\n  %s\n", number,
                   err ? err : "(no statements)", label.c_str());
      duckdb_destroy_extracted(&stmts);
      exit_code = 1;
      break;
    }
    idx_t changed = 0;
    bool have_changed = false;
    for (idx_t s = 0; s < count && exit_code == 0; ++s) {
      duckdb_prepared_statement prepared = nullptr;
      if (duckdb_prepare_extracted_statement(con, stmts, s, &prepared) != DuckDBSuccess) {
        std::fprintf(stderr, "duckdb_sql: statement %d failed: %s\n  %s\n", number, duckdb_prepare_error(prepared),
                     label.c_str());
        exit_code = 1;
      } else {
        duckdb_result result;
        if (duckdb_execute_prepared(prepared, &result) != DuckDBSuccess) {
          std::fprintf(stderr, "duckdb_sql: statement %d failed: %s\n  %s\n", number, duckdb_result_error(&result),
                       label.c_str());
          exit_code = 1;
        } else if (duckdb_result_return_type(result) == DUCKDB_RESULT_TYPE_CHANGED_ROWS) {
          changed += duckdb_rows_changed(&result);
          have_changed = true;
        } else if (duckdb_result_return_type(result) == DUCKDB_RESULT_TYPE_QUERY_RESULT) {
          PrintCsv(result);
        }
        duckdb_destroy_result(&result);
      }
      duckdb_destroy_prepare(&prepared);
    }
    duckdb_destroy_extracted(&stmts);
    if (exit_code != 0) break;
    if (have_changed) {
      std::fprintf(stderr, "  %8.3f s  %12llu rows  [%d] %s\n", Since(t), static_cast<unsigned long long>(changed),
                   number, label.c_str());
    } else {
      std::fprintf(stderr, "  %8.3f s  %12s       [%d] %s\n", Since(t), "", number, label.c_str());
    }
  }

  duckdb_disconnect(&con);
  const auto closing = Clock::now();
  duckdb_close(&db);  // checkpoints the WAL into the database file
  if (exit_code == 0) {
    std::fprintf(stderr, "  %8.3f s  %12s       close (checkpoint)\n", Since(closing), "");
    std::fprintf(stderr, "duckdb_sql: %d statements in %.3f s\n", number, Since(started));
  }
  return exit_code;
}
