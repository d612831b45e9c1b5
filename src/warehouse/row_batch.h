// RowBatch: a columnar batch of rows on its way from a mapper to the
// warehouse. It owns copies of its strings (in an arena reset by Clear()), so
// reader buffers can be reused as soon as a row is added. Memory is bounded by
// the capacity chosen by the caller. Not thread-safe; hand a whole batch to
// another thread rather than sharing one.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace earshot::warehouse {

// kTimestamp holds microseconds since the epoch (UTC), kDate days since
// 1970-01-01; both are set with SetInt64.
enum class ColumnType { kVarchar, kBigint, kInteger, kDouble, kTimestamp, kBoolean, kDate };

class RowBatch {
 public:
  RowBatch(std::vector<ColumnType> types, size_t capacity);

  const std::vector<ColumnType>& types() const { return types_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // A batch is full at its capacity; AddRow() past it grows the batch (a
  // record that maps to many rows may overshoot), so callers flush when full().
  bool full() const { return size_ >= flush_at_; }

  // Starts a new row whose values are all NULL; returns its index.
  size_t AddRow();
  // Drops the last row (a mapper found it bad half-way).
  void DropLastRow();
  void Clear();

  void SetNull(size_t col, size_t row) { columns_[col].valid[row] = 0; }
  void SetInt64(size_t col, size_t row, int64_t v) { Set(col, row).ints[row] = v; }
  void SetDouble(size_t col, size_t row, double v) { Set(col, row).doubles[row] = v; }
  void SetBool(size_t col, size_t row, bool v) { Set(col, row).ints[row] = v ? 1 : 0; }
  // Copies the bytes into the batch's arena.
  void SetString(size_t col, size_t row, std::string_view v);

  bool IsValid(size_t col, size_t row) const { return columns_[col].valid[row] != 0; }
  int64_t Int64(size_t col, size_t row) const { return columns_[col].ints[row]; }
  double Double(size_t col, size_t row) const { return columns_[col].doubles[row]; }
  std::string_view String(size_t col, size_t row) const { return columns_[col].strings[row]; }

 private:
  struct Column {
    std::vector<uint8_t> valid;
    std::vector<int64_t> ints;        // kBigint, kInteger, kTimestamp, kBoolean, kDate
    std::vector<double> doubles;      // kDouble
    std::vector<std::string_view> strings;  // kVarchar, pointing into the arena
  };
  Column& Set(size_t col, size_t row) {
    columns_[col].valid[row] = 1;
    return columns_[col];
  }
  char* Allocate(size_t n);
  void Grow();

  std::vector<ColumnType> types_;
  size_t capacity_;
  size_t flush_at_;
  size_t size_ = 0;
  std::vector<Column> columns_;
  std::vector<std::unique_ptr<char[]>> arena_blocks_;
  size_t arena_block_ = 0;
  size_t arena_used_ = 0;
  std::vector<std::unique_ptr<char[]>> oversized_;
};

}  // namespace earshot::warehouse
