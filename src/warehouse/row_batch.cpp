#include "warehouse/row_batch.h"

#include <cstring>

namespace earshot::warehouse {

namespace {
constexpr size_t kArenaBlock = size_t{1} << 20;
}

RowBatch::RowBatch(std::vector<ColumnType> types, size_t capacity)
    : types_(std::move(types)), capacity_(capacity), flush_at_(capacity), columns_(types_.size()) {
  for (size_t c = 0; c < types_.size(); ++c) {
    Column& col = columns_[c];
    col.valid.assign(capacity_, 0);
    switch (types_[c]) {
      case ColumnType::kVarchar: col.strings.resize(capacity_); break;
      case ColumnType::kDouble: col.doubles.resize(capacity_); break;
      default: col.ints.resize(capacity_); break;
    }
  }
}

size_t RowBatch::AddRow() {
  if (size_ == capacity_) Grow();
  size_t row = size_++;
  for (Column& col : columns_) col.valid[row] = 0;
  return row;
}

void RowBatch::Grow() {
  capacity_ = capacity_ == 0 ? 1024 : capacity_ * 2;
  for (size_t c = 0; c < types_.size(); ++c) {
    Column& col = columns_[c];
    col.valid.resize(capacity_, 0);
    switch (types_[c]) {
      case ColumnType::kVarchar: col.strings.resize(capacity_); break;
      case ColumnType::kDouble: col.doubles.resize(capacity_); break;
      default: col.ints.resize(capacity_); break;
    }
  }
}

void RowBatch::DropLastRow() {
  if (size_ > 0) --size_;
}

void RowBatch::Clear() {
  size_ = 0;
  arena_block_ = 0;
  arena_used_ = 0;
  oversized_.clear();
}

char* RowBatch::Allocate(size_t n) {
  if (n > kArenaBlock / 4) {
    oversized_.push_back(std::make_unique<char[]>(n));
    return oversized_.back().get();
  }
  if (arena_blocks_.empty() || arena_used_ + n > kArenaBlock) {
    if (!arena_blocks_.empty()) ++arena_block_;
    if (arena_block_ >= arena_blocks_.size()) arena_blocks_.push_back(std::make_unique<char[]>(kArenaBlock));
    arena_used_ = 0;
  }
  char* p = arena_blocks_[arena_block_].get() + arena_used_;
  arena_used_ += n;
  return p;
}

void RowBatch::SetString(size_t col, size_t row, std::string_view v) {
  char* p = Allocate(v.size() == 0 ? 1 : v.size());
  if (!v.empty()) std::memcpy(p, v.data(), v.size());
  Set(col, row).strings[row] = std::string_view(p, v.size());
}

}  // namespace earshot::warehouse
