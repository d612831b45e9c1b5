#include "ingest/seen_filter.h"

#include <xxhash.h>

#include <algorithm>

namespace earshot::ingest {

SeenFilter::SeenFilter(uint64_t expected_keys, uint64_t max_bytes) {
  uint64_t bytes = std::clamp<uint64_t>(expected_keys * 2, uint64_t{1} << 20, std::max<uint64_t>(max_bytes, 1 << 20));
  blocks_.assign(bytes / sizeof(Block), Block{});
}

bool SeenFilter::Add(std::string_view key) {
  XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  Block& block = blocks_[h.low64 % blocks_.size()];
  // One bit in each of the block's eight words, chosen by 6-bit slices of the
  // second hash: one cache line per key.
  bool all_set = true;
  uint64_t bits = h.high64;
  for (int w = 0; w < 8; ++w) {
    uint64_t mask = uint64_t{1} << (bits & 63);
    bits >>= 6;
    all_set &= (block.words[w] & mask) != 0;
    block.words[w] |= mask;
  }
  if (all_set) candidates_.emplace(key);
  return all_set;
}

}  // namespace earshot::ingest
