#include "server/event_validator.h"

#include <simdjson.h>

#include "formats/value_parsers.h"

namespace earshot::server {

namespace {

// Our field names, in config::ProviderFields() order.
enum Field { kDate, kMonth, kPodcast, kEpisode, kListens, kEventId, kListenedAt, kFieldCount };

size_t Code(std::string_view code) {
  for (size_t i = 0; i < kLineErrorCodes.size(); ++i) {
    if (kLineErrorCodes[i] == code) return i;
  }
  return 0;
}

bool Refuse(LineCheck& check, std::string_view code, std::string field, std::string message) {
  check.accepted = false;
  check.code = Code(code);
  check.field = std::move(field);
  check.message = std::move(message);
  return false;
}

std::string Shown(std::string_view v) { return "'" + std::string(v.substr(0, 64)) + "'"; }

// A scalar as FieldReader gives it to a mapper: strings as they are, numbers
// as written, booleans as true/false; null as absent. False for an object or
// array.
bool Scalar(simdjson::dom::element v, std::string& out, bool& present) {
  using simdjson::dom::element_type;
  present = true;
  switch (v.type()) {
    case element_type::STRING:
      out.assign(v.get_string().value_unsafe());
      return true;
    case element_type::INT64:
      out = std::to_string(v.get_int64().value_unsafe());
      return true;
    case element_type::UINT64:
      out = std::to_string(v.get_uint64().value_unsafe());
      return true;
    case element_type::DOUBLE:
      out = simdjson::minify(v);
      return true;
    case element_type::BOOL:
      out = v.get_bool().value_unsafe() ? "true" : "false";
      return true;
    case element_type::NULL_VALUE:
      present = false;
      return true;
    default:
      present = false;
      return false;
  }
}

}  // namespace

EventValidator::EventValidator(const config::Provider& provider) : provider_(provider) {
  for (const std::string& ours : config::ProviderFields()) {
    names_.push_back(provider_.TheirField(ours));
    normalized_.push_back(formats::NormalizeHeaderName(names_.back()));
  }
}

bool EventValidator::Check(std::string_view line, LineCheck& check) const {
  check = LineCheck();
  if (!formats::IsValidUtf8(line)) return Refuse(check, "invalid_utf8", "", "the row is not valid UTF-8");
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(line.data(), line.size()).get(doc); err) {
    return Refuse(check, err == simdjson::DEPTH_ERROR ? "too_deep" : "invalid_json", "",
                  std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    return Refuse(check, "not_an_object", "", "a row must be a JSON object");
  }
  // The binding of keys to names is FieldReader's: an exact key wins over
  // one that only matches ignoring case, '_', '-' and spaces.
  std::string values[kFieldCount];
  bool present[kFieldCount] = {};
  bool exact[kFieldCount] = {};
  for (auto member : obj) {
    const std::string_view key = member.key;
    std::string norm;
    bool bound = false;
    for (size_t i = 0; i < kFieldCount; ++i) {
      const bool is_exact = key == names_[i];
      if (!is_exact) {
        if (exact[i]) continue;
        if (norm.empty()) norm = formats::NormalizeHeaderName(key);
        if (norm != normalized_[i]) continue;
      }
      bound = true;
      exact[i] = exact[i] || is_exact;
      if (!Scalar(member.value, values[i], present[i])) {
        return Refuse(check, "invalid_value", names_[i],
                      names_[i] + " must be a string, a number or a boolean, not an object or array");
      }
    }
    if (bound) continue;
    if (key == "rows" && member.value.is_array()) {
      return Refuse(check, "invalid_value", "rows", "an event cannot hold a \"rows\" array");
    }
    if (norm.empty()) norm = formats::NormalizeHeaderName(key);
    if (norm == "provider") {
      std::string claimed;
      bool has = false;
      if (Scalar(member.value, claimed, has) && has && formats::TrimAscii(claimed) != provider_.name) {
        check.claimed_provider = std::string(formats::TrimAscii(claimed));
      }
    }
  }
  auto value = [&](Field f) -> std::string_view {
    return present[f] ? formats::TrimAscii(values[f]) : std::string_view();
  };
  // ListensMapper's order of checks for an instant event.
  if (!value(kDate).empty() || !value(kMonth).empty()) {
    return Refuse(check, "not_an_event", value(kDate).empty() ? names_[kMonth] : names_[kDate],
                  "a count for a day or month is not an instant event: deliver counts as files "
                  "(earshot ingest --provider " +
                      provider_.name + ")");
  }
  const std::string_view listened_at = value(kListenedAt);
  const std::string_view event_id = value(kEventId);
  if (listened_at.empty() && event_id.empty()) {
    return Refuse(check, "missing_field", names_[kEventId],
                  "an instant event needs " + names_[kEventId] + " and " + names_[kListenedAt]);
  }
  if (value(kPodcast).empty()) return Refuse(check, "missing_field", names_[kPodcast], names_[kPodcast] + " is empty");
  if (provider_.granularity == config::Granularity::kEpisode && value(kEpisode).empty()) {
    return Refuse(check, "missing_field", names_[kEpisode],
                  names_[kEpisode] + " is empty (provider " + provider_.name + " reports per episode)");
  }
  if (event_id.empty()) return Refuse(check, "missing_field", names_[kEventId], names_[kEventId] + " is empty");
  if (!formats::ParseTimestamp(listened_at)) {
    return listened_at.empty() ? Refuse(check, "missing_field", names_[kListenedAt], names_[kListenedAt] + " is empty")
                               : Refuse(check, "invalid_timestamp", names_[kListenedAt],
                                        Shown(listened_at) + " is not an ISO-8601 timestamp or Unix epoch time");
  }
  check.accepted = true;
  check.event_id = std::string(event_id);
  return true;
}

}  // namespace earshot::server
