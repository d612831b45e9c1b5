// SeenFilter: a blocked Bloom filter that finds the few keys of a file that
// may have been seen before in it (possible duplicates), in memory fixed at
// construction, never growing with the input. A key it has not seen is never
// reported (no false negatives); a few unseen keys are (false positives), so
// callers confirm candidates exactly (the warehouse ranks them in SQL).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace earshot::ingest {

class SeenFilter {
 public:
  // `expected_keys` sizes the filter at ~16 bits a key, between 1 MiB and
  // `max_bytes`; beyond that more candidates come out, never fewer.
  explicit SeenFilter(uint64_t expected_keys, uint64_t max_bytes = uint64_t{64} << 20);

  // Records `key`; returns true when it was possibly seen before (and then
  // keeps it as a candidate).
  bool Add(std::string_view key);

  const std::unordered_set<std::string>& candidates() const { return candidates_; }
  size_t bytes() const { return blocks_.size() * sizeof(Block); }

 private:
  struct alignas(64) Block {
    uint64_t words[8];
  };
  std::vector<Block> blocks_;
  std::unordered_set<std::string> candidates_;
};

}  // namespace earshot::ingest
