#include "warehouse/warehouse.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace earshot::warehouse {
namespace {

std::filesystem::path TempDb(const char* name) {
  auto p = std::filesystem::temp_directory_path() / (std::string("earshot_wh_") + name + std::to_string(::getpid()) + ".duckdb");
  std::filesystem::remove(p);
  return p;
}

TEST(Warehouse, AppendsBatchesInsideATransactionAndRollsBack) {
  auto path = TempDb("tx");
  auto wh = Warehouse::Open(path);
  ASSERT_TRUE(wh.ok()) << wh.status().message();
  ASSERT_TRUE((*wh)->Execute("CREATE TABLE t(s VARCHAR, i BIGINT, d DOUBLE, ts TIMESTAMP, b BOOLEAN, n INTEGER)").ok());
  RowBatch batch({ColumnType::kVarchar, ColumnType::kBigint, ColumnType::kDouble, ColumnType::kTimestamp,
                  ColumnType::kBoolean, ColumnType::kInteger},
                 5000);
  for (int i = 0; i < 5000; ++i) {
    size_t r = batch.AddRow();
    batch.SetString(0, r, i % 2 ? "Dvořák, \"Antonín\"" : "a string longer than twelve bytes");
    batch.SetInt64(1, r, i);
    batch.SetDouble(2, r, i * 0.5);
    batch.SetInt64(3, r, int64_t{1584177413} * 1000000);
    batch.SetBool(4, r, i % 3 == 0);
    if (i % 10 != 0) batch.SetInt64(5, r, i);
  }
  ASSERT_TRUE((*wh)->Execute("BEGIN TRANSACTION").ok());
  {
    auto app = (*wh)->NewAppender("main", "t");
    ASSERT_TRUE(app.ok());
    ASSERT_TRUE((*app)->Append(batch).ok());
    ASSERT_TRUE((*app)->Close().ok());
  }
  ASSERT_TRUE((*wh)->Execute("ROLLBACK").ok());
  EXPECT_EQ((*wh)->QueryInt("SELECT count(*) FROM t")->value(), 0);

  {
    auto app = (*wh)->NewAppender("main", "t");
    ASSERT_TRUE(app.ok());
    ASSERT_TRUE((*app)->Append(batch).ok());
    ASSERT_TRUE((*app)->Close().ok());
  }
  EXPECT_EQ((*wh)->QueryInt("SELECT count(*) FROM t")->value(), 5000);
  EXPECT_EQ((*wh)->QueryInt("SELECT count(*) FROM t WHERE n IS NULL")->value(), 500);
  EXPECT_EQ((*wh)->QueryInt("SELECT sum(i) FROM t")->value(), 4999 * 5000 / 2);
  auto table = (*wh)->Query("SELECT s, ts, b FROM t WHERE i = 1");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(*table->rows[0][0], "Dvořák, \"Antonín\"");
  EXPECT_EQ(*table->rows[0][1], "2020-03-14 09:16:53");
  EXPECT_EQ(table->columns[2].kind, ValueKind::kBoolean);
  std::filesystem::remove(path);
}

TEST(Warehouse, ErrorsAreStatusesWithTheQuery) {
  auto wh = Warehouse::Open(":memory:");
  ASSERT_TRUE(wh.ok());
  Status st = (*wh)->Execute("SELECT * FROM no_such_table");
  EXPECT_EQ(st.code(), StatusCode::kDatabaseError);
  EXPECT_NE(st.message().find("no_such_table"), std::string::npos);
}

TEST(Warehouse, ReadOnlyRefusesWrites) {
  auto path = TempDb("ro");
  { auto wh = Warehouse::Open(path); ASSERT_TRUE(wh.ok()); ASSERT_TRUE((*wh)->Execute("CREATE TABLE t(i INT)").ok()); }
  OpenOptions ro;
  ro.read_only = true;
  auto wh = Warehouse::Open(path, ro);
  ASSERT_TRUE(wh.ok());
  EXPECT_FALSE((*wh)->Execute("INSERT INTO t VALUES (1)").ok());
  std::filesystem::remove(path);
}

TEST(SqlQuote, EscapesQuotes) {
  EXPECT_EQ(SqlQuote("it's"), "'it''s'");
  EXPECT_EQ(SqlIdentifier("a\"b"), "\"a\"\"b\"");
}

}  // namespace
}  // namespace earshot::warehouse

namespace earshot::warehouse {
namespace {

TEST(Warehouse, InsertFromPullsEveryRowOnceInsideTheTransaction) {
  auto wh = Warehouse::Open(":memory:");
  ASSERT_TRUE(wh.ok());
  ASSERT_TRUE((*wh)->Execute("CREATE TABLE t(i BIGINT, s VARCHAR)").ok());
  std::vector<ColumnType> types = {ColumnType::kBigint, ColumnType::kVarchar};
  int64_t next = 0;
  const int64_t total = 100000;
  // Each call adds more than a chunk (as a record that maps to many rows would).
  auto fill = [&](RowBatch& batch) -> Result<bool> {
    while (batch.size() < 3000 && next < total) {
      size_t r = batch.AddRow();
      batch.SetInt64(0, r, next);
      batch.SetString(1, r, "row " + std::to_string(next));
      ++next;
    }
    return next < total;
  };
  ASSERT_TRUE((*wh)->Execute("BEGIN TRANSACTION").ok());
  Status st = (*wh)->InsertFrom("main", "t", types, fill);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_TRUE((*wh)->Execute("ROLLBACK").ok());
  EXPECT_EQ((*wh)->QueryInt("SELECT count(*) FROM t")->value(), 0);

  next = 0;
  st = (*wh)->InsertFrom("main", "t", types, fill);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ((*wh)->QueryInt("SELECT count(*) FROM t")->value(), total);
  EXPECT_EQ((*wh)->QueryInt("SELECT count(DISTINCT i) FROM t")->value(), total);
  EXPECT_EQ((*wh)->QueryInt("SELECT sum(i) FROM t")->value(), total * (total - 1) / 2);
  EXPECT_EQ((*wh)->QueryInt("SELECT count(*) FROM t WHERE s <> 'row ' || i")->value(), 0);
}

TEST(Warehouse, InsertFromReportsTheSourcesError) {
  auto wh = Warehouse::Open(":memory:");
  ASSERT_TRUE(wh.ok());
  ASSERT_TRUE((*wh)->Execute("CREATE TABLE t(i BIGINT)").ok());
  auto fill = [](RowBatch&) -> Result<bool> { return Status::IoError("disk went away"); };
  Status st = (*wh)->InsertFrom("main", "t", {ColumnType::kBigint}, fill);
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find("disk went away"), std::string::npos);
}

}  // namespace
}  // namespace earshot::warehouse
