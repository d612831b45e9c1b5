#include "server/event_id_set.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace earshot::server {

namespace {
constexpr EventKey kEmpty{};
}  // namespace

EventKey KeyOf(std::string_view provider, std::string_view event_id) {
  const uint64_t seed = XXH3_64bits(provider.data(), provider.size());
  XXH128_hash_t h = XXH3_128bits_withSeed(event_id.data(), event_id.size(), seed);
  EventKey key{h.low64, h.high64};
  if (key == kEmpty) key.lo = 1;  // {0, 0} marks an empty slot
  return key;
}

EventIdSet::EventIdSet() : slots_(1024) {}

size_t EventIdSet::Find(EventKey key) const {
  const size_t mask = slots_.size() - 1;
  size_t i = key.lo & mask;
  while (!(slots_[i] == kEmpty) && !(slots_[i] == key)) i = (i + 1) & mask;
  return i;
}

bool EventIdSet::Insert(EventKey key) {
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  size_t i = Find(key);
  if (slots_[i] == key) return false;
  slots_[i] = key;
  ++size_;
  return true;
}

bool EventIdSet::Contains(EventKey key) const { return slots_[Find(key)] == key; }

void EventIdSet::Erase(EventKey key) {
  const size_t mask = slots_.size() - 1;
  size_t i = Find(key);
  if (!(slots_[i] == key)) return;
  // Backward-shift deletion keeps every probe chain unbroken without tombstones.
  size_t j = i;
  while (true) {
    j = (j + 1) & mask;
    if (slots_[j] == kEmpty) break;
    const size_t home = slots_[j].lo & mask;
    // slots_[j] may move into the hole at i when its home is not in (i, j].
    const bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (in_between) continue;
    slots_[i] = slots_[j];
    i = j;
  }
  slots_[i] = kEmpty;
  --size_;
}

void EventIdSet::Grow() {
  std::vector<EventKey> old(slots_.size() * 2);
  old.swap(slots_);
  for (const EventKey& k : old) {
    if (!(k == kEmpty)) slots_[Find(k)] = k;
  }
}

}  // namespace earshot::server
