// EventIdSet: the (provider, event_id) pairs the log already holds, so a
// repeated event is answered "duplicated" and never appended twice. Each pair
// is kept as a 128-bit hash (XXH3-128 of the id, seeded by the provider), 16
// bytes an event in an open-addressing table: the chance that two different
// events collide is below 1e-20 for a billion events. Rebuilt at startup from
// raw.listens and the segments not loaded yet. Not thread-safe (the log
// guards it with its mutex).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace earshot::server {

struct EventKey {
  uint64_t lo = 0, hi = 0;
  bool operator==(const EventKey&) const = default;
};

EventKey KeyOf(std::string_view provider, std::string_view event_id);

class EventIdSet {
 public:
  EventIdSet();
  // True when `key` was not in the set (it is now).
  bool Insert(EventKey key);
  bool Contains(EventKey key) const;
  // Removes `key` (for appends that could not be made durable).
  void Erase(EventKey key);
  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.size() * sizeof(EventKey); }

 private:
  size_t Find(EventKey key) const;  // its slot, or the empty slot where it would go
  void Grow();

  std::vector<EventKey> slots_;  // {0, 0} is an empty slot
  size_t size_ = 0;
};

}  // namespace earshot::server
