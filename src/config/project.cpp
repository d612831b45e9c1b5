#include "config/project.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <toml++/toml.h>

namespace earshot::config {

namespace {

constexpr const char* kTemplate = R"(# earshot project file. Paths are relative to this folder.
[project]
name = "%NAME%"

[ingest]
# Rows a loader thread takes from the mapper at a time: memory stays bounded
# by this, whatever the size of the input file.
batch_rows = 2048

[warehouse]
# DuckDB spills to disk beyond this limit.
memory_limit = "512MB"
# threads = 2        # default: one per core

# `earshot run` (one pass) and `earshot watch` (continuously): see the README,
# "Orchestration".
[run]
# A file in inbox/<source>/ is picked up once FILE.done exists next to it, or
# once its size and modification time have not changed for this long.
settle_seconds = 5
# Failures to read, write or reach the warehouse are retried this many times,
# waiting backoff_seconds, then twice as long, ...; bad data is never retried.
retries = 2
backoff_seconds = 1
# `earshot watch` also runs a pass at these times (cron: minute hour
# day-of-month month day-of-week, UTC), rebuilding even when no file arrived.
# schedules = ["0 6 * * *"]

# Checks run after each build, before the snapshot is published; a failed
# error-level check keeps the previous snapshot (`earshot check` runs them on
# the published one). Types: not_null, unique, accepted_values, range,
# relationships, row_count_change, freshness.
# [[checks]]
# table = "playlist_popularity"
# type = "not_null"
# column = "playlist"
# severity = "error"   # or "warn"

# Sources of the shipped playlists pipeline. Files dropped in inbox/<source>/
# are picked up by `earshot run`; `earshot ingest FILE` takes them directly.
[sources.events]
format = "csv"
inbox = "inbox/events"

[sources.playlists]
format = "ndjson"
inbox = "inbox/playlists"
)";

constexpr const char* kPodcastsTemplate = R"(
# Podcast listens (contracts/podcasts.md). Each provider sees a known share of
# the market and delivers in its own way. Files dropped in inbox/<provider>/
# are picked up by `earshot run`; `earshot ingest --provider NAME FILE` takes
# them directly. Mapping: our field = their field (fields not listed keep our
# name). Our fields: date, month, podcast_id, episode_id, listens, event_id,
# listened_at.
[podcasts]
# podcast_trends ranks only podcasts with at least this many estimated
# listens in the month.
trend_floor = 1000

# Per-episode counts, one CSV file a day.
[providers.alderhost]
market_share = 0.10
granularity  = "episode"
deliveries   = ["daily"]
format       = "csv"
[providers.alderhost.mapping]
date = "day"
podcast_id = "show"
episode_id = "ep"
listens = "downloads"

# Per-podcast counts only, one JSON file a month ({"rows": [...]}).
[providers.birchcast]
market_share = 0.10
granularity  = "podcast"
deliveries   = ["monthly"]
format       = "json"
[providers.birchcast.mapping]
month = "period"
podcast_id = "podcast"
listens = "plays"

# Per-episode counts, one NDJSON file a day, our own field names.
[providers.cedarfm]
market_share = 0.10
granularity  = "episode"
deliveries   = ["daily"]
format       = "ndjson"

# Per-episode counts as a JSON array: daily files at first, then monthly.
[providers.dunepod]
market_share = 0.10
granularity  = "episode"
deliveries   = ["daily", "monthly"]
format       = "json"
precedence   = ["monthly", "daily", "instant"]
[providers.dunepod.mapping]
date = "day"
month = "month"
podcast_id = "feed_id"
episode_id = "item_id"
listens = "count"

# One event per listen, sent as it happens (NDJSON over HTTP, or files of
# events in its inbox).
[providers.emberwave]
market_share = 0.10
granularity  = "episode"
deliveries   = ["instant"]
format       = "ndjson"
[providers.emberwave.mapping]
event_id = "id"
podcast_id = "podcast"
episode_id = "episode"
listened_at = "ts"
)";

std::string Location(const toml::source_region& src) {
  return ":" + std::to_string(src.begin.line);
}

std::optional<Delivery> ParseDelivery(std::string_view s) {
  if (s == "instant") return Delivery::kInstant;
  if (s == "daily") return Delivery::kDaily;
  if (s == "monthly") return Delivery::kMonthly;
  return std::nullopt;
}

bool ValidProviderName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Reads [providers.NAME] tables; errors name file, line and key.
Status LoadProviders(const toml::table& tbl, const std::string& file, Project& project) {
  const toml::table* providers = tbl["providers"].as_table();
  if (providers == nullptr) {
    if (tbl.contains("providers")) return Status::Invalid(file + ": [providers] must be a table of provider tables");
    return Status::Ok();
  }
  double total_share = 0;
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one
  // in the lambda below.
  for (const auto& entry : *providers) {
    const toml::node& node = entry.second;
    const std::string name(entry.first.str());
    auto where = [&](const toml::node* n, std::string_view field) {
      const toml::node* at = n != nullptr ? n : &node;
      return file + Location(at->source()) + ": providers." + name + (field.empty() ? "" : ".") + std::string(field);
    };
    const toml::table* p = node.as_table();
    if (p == nullptr) return Status::Invalid(where(nullptr, "") + " must be a table");
    if (!ValidProviderName(name)) {
      return Status::Invalid(where(nullptr, "") + ": provider names use a-z, 0-9, '_' and '-' only (at most 64)");
    }
    Provider out;
    out.name = name;
    const toml::node* share = p->get("market_share");
    auto share_value = share != nullptr ? share->value<double>() : std::nullopt;
    if (!share_value || !(*share_value > 0) || *share_value > 1) {
      return Status::Invalid(where(share, "market_share") + " must be a number above 0 and at most 1 (0.10 is 10%)");
    }
    out.market_share = *share_value;
    total_share += out.market_share;
    if (const toml::node* g = p->get("granularity")) {
      auto v = g->value<std::string>();
      if (v == "episode") {
        out.granularity = Granularity::kEpisode;
      } else if (v == "podcast") {
        out.granularity = Granularity::kPodcast;
      } else {
        return Status::Invalid(where(g, "granularity") + " must be \"episode\" or \"podcast\"");
      }
    }
    const toml::node* deliveries = p->get("deliveries");
    const toml::array* list = deliveries != nullptr ? deliveries->as_array() : nullptr;
    if (list == nullptr || list->empty()) {
      return Status::Invalid(where(deliveries, "deliveries") +
                             " must list what the provider sends: any of \"instant\", \"daily\", \"monthly\"");
    }
    for (const auto& item : *list) {
      auto d = ParseDelivery(item.value<std::string>().value_or(""));
      if (!d) return Status::Invalid(where(&item, "deliveries") + ": each entry is \"instant\", \"daily\" or \"monthly\"");
      if (!out.Delivers(*d)) out.deliveries.push_back(*d);
    }
    if (const toml::node* f = p->get("format")) {
      auto v = f->value<std::string>();
      if (v == "csv") {
        out.format = FileFormat::kCsv;
      } else if (v == "json") {
        out.format = FileFormat::kJson;
      } else if (v == "ndjson") {
        out.format = FileFormat::kNdjson;
      } else {
        return Status::Invalid(where(f, "format") + " must be \"csv\", \"json\" or \"ndjson\"");
      }
    }
    if (const toml::node* prec = p->get("precedence")) {
      const toml::array* order = prec->as_array();
      if (order == nullptr) return Status::Invalid(where(prec, "precedence") + " must be a list, e.g. [\"monthly\", \"daily\", \"instant\"]");
      std::vector<Delivery> ranked;
      for (const auto& item : *order) {
        auto d = ParseDelivery(item.value<std::string>().value_or(""));
        if (!d || std::find(ranked.begin(), ranked.end(), *d) != ranked.end()) {
          return Status::Invalid(where(&item, "precedence") +
                                 ": each entry is \"instant\", \"daily\" or \"monthly\", at most once");
        }
        ranked.push_back(*d);
      }
      for (Delivery d : {Delivery::kMonthly, Delivery::kDaily, Delivery::kInstant}) {
        if (std::find(ranked.begin(), ranked.end(), d) == ranked.end()) ranked.push_back(d);
      }
      out.precedence = ranked;
    }
    if (const toml::node* m = p->get("mapping")) {
      const toml::table* mapping = m->as_table();
      if (mapping == nullptr) return Status::Invalid(where(m, "mapping") + " must be a table: our_field = \"their_field\"");
      for (const auto& [ours, theirs] : *mapping) {
        const std::string field(ours.str());
        const auto& known = ProviderFields();
        if (std::find(known.begin(), known.end(), field) == known.end()) {
          return Status::Invalid(where(&theirs, "mapping." + field) +
                                 ": unknown field; ours are date, month, podcast_id, episode_id, listens, "
                                 "event_id, listened_at");
        }
        auto v = theirs.value<std::string>();
        if (!v || v->empty()) return Status::Invalid(where(&theirs, "mapping." + field) + " must be a non-empty string");
        out.mapping[field] = *v;
      }
    }
    if (const toml::node* t = p->get("token_hashes")) {
      const toml::array* hashes = t->as_array();
      if (hashes == nullptr) return Status::Invalid(where(t, "token_hashes") + " must be a list of strings");
      for (const auto& h : *hashes) {
        auto v = h.value<std::string>();
        if (!v) return Status::Invalid(where(&h, "token_hashes") + " must be a list of strings");
        out.token_hashes.push_back(*v);
      }
    }
    project.providers.push_back(std::move(out));
  }
  if (total_share > 1 + 1e-9) {
    return Status::Invalid(file + ": the providers' market shares add up to " + std::to_string(total_share) +
                           ", more than the whole market (1.0)");
  }
  return Status::Ok();
}

// A table or column name a check may use: letters, digits and '_'.
bool ValidIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 128 || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "x", "marts.x" (a mart: stored as "x") or "raw.x".
std::optional<std::string> CheckTable(std::string_view s) {
  if (s.starts_with("marts.")) s.remove_prefix(6);
  std::string_view name = s.starts_with("raw.") ? s.substr(4) : s;
  if (!ValidIdentifier(name)) return std::nullopt;
  return std::string(s);
}

// Reads [run]; errors name file, line and key.
Status LoadRetention(const toml::table& tbl, const std::string& file, RetentionSettings& retention) {
  const toml::node* node = tbl.get("retention");
  if (node == nullptr) return Status::Ok();
  const toml::table* t = node->as_table();
  if (t == nullptr) return Status::Invalid(file + Location(node->source()) + ": [retention] must be a table");
  auto days = [&](const toml::node& v, const std::string& key) -> Result<int64_t> {
    auto n = v.value<int64_t>();
    if (!n || *n < 0) {
      return Status::Invalid(file + Location(v.source()) + ": retention." + key +
                             " must be a whole number of days (0 or more)");
    }
    return *n;
  };
  for (const auto& [key, v] : *t) {
    const std::string k(key.str());
    if (k == "keep_days") {
      EARSHOT_ASSIGN_OR_RETURN(int64_t d, days(v, k));
      retention.keep_days = d;
    } else if (k == "sources") {
      const toml::table* s = v.as_table();
      if (s == nullptr) return Status::Invalid(file + Location(v.source()) + ": [retention.sources] must be a table");
      for (const auto& [name, d] : *s) {
        EARSHOT_ASSIGN_OR_RETURN(int64_t n, days(d, "sources." + std::string(name.str())));
        retention.per_source[std::string(name.str())] = n;
      }
    } else {
      return Status::Invalid(file + Location(v.source()) + ": unknown key retention." + k +
                             " (expected keep_days or [retention.sources])");
    }
  }
  return Status::Ok();
}

Status LoadNotify(const toml::table& tbl, const std::string& file, NotifySettings& notify) {
  const toml::node* node = tbl.get("notify");
  if (node == nullptr) return Status::Ok();
  const toml::table* t = node->as_table();
  if (t == nullptr) return Status::Invalid(file + Location(node->source()) + ": [notify] must be a table");
  for (const auto& [key, v] : *t) {
    const std::string k(key.str());
    if (k == "command" || k == "webhook") {
      auto s = v.value<std::string>();
      if (!s) return Status::Invalid(file + Location(v.source()) + ": notify." + k + " must be a string");
      if (k == "webhook" && !s->starts_with("http://")) {
        return Status::Invalid(file + Location(v.source()) + ": notify.webhook must be an http:// URL");
      }
      (k == "command" ? notify.command : notify.webhook) = *s;
    } else if (k == "timeout_seconds") {
      auto d = v.value<double>();
      if (!d || !(*d > 0) || *d > 300) {
        return Status::Invalid(file + Location(v.source()) + ": notify.timeout_seconds must be a number from 0 to 300");
      }
      notify.timeout_seconds = *d;
    } else {
      return Status::Invalid(file + Location(v.source()) + ": unknown key notify." + k +
                             " (expected command, webhook or timeout_seconds)");
    }
  }
  return Status::Ok();
}

Status LoadRunSettings(const toml::table& tbl, const std::string& file, RunSettings& run) {
  const toml::node* node = tbl.get("run");
  if (node == nullptr) return Status::Ok();
  const toml::table* t = node->as_table();
  if (t == nullptr) return Status::Invalid(file + Location(node->source()) + ": [run] must be a table");
  auto number = [&](const char* key, double lo, double hi, double& out) -> Status {
    const toml::node* v = t->get(key);
    if (v == nullptr) return Status::Ok();
    auto d = v->value<double>();
    if (!d || !(*d >= lo) || !(*d <= hi)) {
      return Status::Invalid(file + Location(v->source()) + ": run." + key + " must be a number of seconds from " +
                             std::to_string(static_cast<int64_t>(lo)) + " to " + std::to_string(static_cast<int64_t>(hi)));
    }
    out = *d;
    return Status::Ok();
  };
  EARSHOT_RETURN_IF_ERROR(number("settle_seconds", 0, 86400, run.settle_seconds));
  EARSHOT_RETURN_IF_ERROR(number("backoff_seconds", 0, 3600, run.backoff_seconds));
  EARSHOT_RETURN_IF_ERROR(number("poll_seconds", 0, 86400, run.poll_seconds));
  if (run.poll_seconds < 0.1) run.poll_seconds = 0.1;
  if (const toml::node* v = t->get("retries")) {
    auto n = v->value<int64_t>();
    if (!n || *n < 0 || *n > 20) {
      return Status::Invalid(file + Location(v->source()) + ": run.retries must be a whole number from 0 to 20");
    }
    run.retries = static_cast<int>(*n);
  }
  if (const toml::node* v = t->get("schedules")) {
    const toml::array* list = v->as_array();
    if (list == nullptr) {
      return Status::Invalid(file + Location(v->source()) + ": run.schedules must be a list of cron expressions, "
                                                            "e.g. [\"0 6 * * *\"]");
    }
    for (const auto& item : *list) {
      auto s = item.value<std::string>();
      if (!s) return Status::Invalid(file + Location(item.source()) + ": run.schedules entries are strings");
      run.schedules.push_back(*s);
    }
  }
  return Status::Ok();
}

std::optional<CheckType> ParseCheckType(std::string_view s) {
  if (s == "not_null") return CheckType::kNotNull;
  if (s == "unique") return CheckType::kUnique;
  if (s == "accepted_values") return CheckType::kAcceptedValues;
  if (s == "range") return CheckType::kRange;
  if (s == "relationships") return CheckType::kRelationships;
  if (s == "row_count_change") return CheckType::kRowCountChange;
  if (s == "freshness") return CheckType::kFreshness;
  return std::nullopt;
}

// Reads [[checks]]; errors name file, line and key. Runs after the providers
// are loaded (a freshness check may name one).
Status LoadChecks(const toml::table& tbl, const std::string& file, Project& project) {
  const toml::node* node = tbl.get("checks");
  if (node == nullptr) return Status::Ok();
  const toml::array* list = node->as_array();
  if (list == nullptr) {
    return Status::Invalid(file + Location(node->source()) + ": checks must be an array of tables: [[checks]]");
  }
  int index = 0;
  for (const auto& item : *list) {
    ++index;
    const toml::table* c = item.as_table();
    const std::string at = file + Location(item.source()) + ": checks #" + std::to_string(index);
    if (c == nullptr) return Status::Invalid(at + " must be a table ([[checks]])");
    auto where = [&](const char* key) {
      const toml::node* n = c->get(key);
      return file + Location(n != nullptr ? n->source() : item.source()) + ": checks #" + std::to_string(index) +
             "." + key;
    };
    auto text = [&](const char* key) -> std::optional<std::string> {
      const toml::node* n = c->get(key);
      if (n == nullptr) return std::string();
      return n->value<std::string>();
    };
    auto number = [&](const char* key) -> Result<std::optional<double>> {
      const toml::node* n = c->get(key);
      if (n == nullptr) return std::optional<double>();
      auto d = n->value<double>();
      if (!d || !std::isfinite(*d)) return Status::Invalid(where(key) + " must be a number");
      return std::optional<double>(*d);
    };
    CheckSpec spec;
    spec.line = static_cast<int>(item.source().begin.line);
    for (const auto& [key, value] : *c) {
      static const std::vector<std::string_view> kKeys = {
          "name", "table", "type", "severity", "column", "columns", "values", "min", "max", "to_table",
          "to_column", "max_change", "history", "max_age_hours", "provider", "source"};
      if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end()) {
        return Status::Invalid(file + Location(value.source()) + ": checks #" + std::to_string(index) + "." +
                               std::string(key.str()) + ": unknown key");
      }
    }
    auto type = ParseCheckType(text("type").value_or(""));
    if (!type) {
      return Status::Invalid(where("type") + " must be one of not_null, unique, accepted_values, range, "
                                             "relationships, row_count_change, freshness");
    }
    spec.type = *type;
    auto severity = text("severity");
    if (!severity || (!severity->empty() && *severity != "warn" && *severity != "error")) {
      return Status::Invalid(where("severity") + " must be \"warn\" or \"error\" (default \"error\")");
    }
    spec.severity = *severity == "warn" ? Severity::kWarn : Severity::kError;
    auto table = text("table");
    if (!table) return Status::Invalid(where("table") + " must be a string");
    if (!table->empty()) {
      auto t = CheckTable(*table);
      if (!t) return Status::Invalid(where("table") + ": a mart name or raw.<table> (letters, digits, '_')");
      spec.table = *t;
    }
    if (const toml::node* n = c->get("column")) {
      auto v = n->value<std::string>();
      if (!v || !ValidIdentifier(*v)) return Status::Invalid(where("column") + " must be a column name");
      spec.columns.push_back(*v);
    }
    if (const toml::node* n = c->get("columns")) {
      const toml::array* cols = n->as_array();
      if (cols == nullptr || cols->empty() || !spec.columns.empty()) {
        return Status::Invalid(where("columns") + " must be a non-empty list of column names (or use `column`)");
      }
      for (const auto& col : *cols) {
        auto v = col.value<std::string>();
        if (!v || !ValidIdentifier(*v)) return Status::Invalid(where("columns") + " must list column names");
        spec.columns.push_back(*v);
      }
    }
    if (const toml::node* n = c->get("values")) {
      const toml::array* vals = n->as_array();
      if (vals == nullptr || vals->empty()) return Status::Invalid(where("values") + " must be a non-empty list");
      for (const auto& v : *vals) {
        if (auto s = v.value_exact<std::string>()) {
          spec.values.push_back(*s);
        } else if (auto i = v.value_exact<int64_t>()) {
          spec.values.push_back(std::to_string(*i));
        } else if (auto b = v.value_exact<bool>()) {
          spec.values.push_back(*b ? "true" : "false");
        } else {
          return Status::Invalid(where("values") + " must list strings, whole numbers or booleans");
        }
      }
    }
    EARSHOT_ASSIGN_OR_RETURN(spec.min, number("min"));
    EARSHOT_ASSIGN_OR_RETURN(spec.max, number("max"));
    auto to_table = text("to_table");
    auto to_column = text("to_column");
    if (!to_table || !to_column) return Status::Invalid(where("to_table") + ": to_table and to_column are strings");
    if (!to_table->empty()) {
      auto t = CheckTable(*to_table);
      if (!t) return Status::Invalid(where("to_table") + ": a mart name or raw.<table>");
      spec.to_table = *t;
    }
    if (!to_column->empty() && !ValidIdentifier(*to_column)) {
      return Status::Invalid(where("to_column") + " must be a column name");
    }
    spec.to_column = *to_column;
    EARSHOT_ASSIGN_OR_RETURN(auto max_change, number("max_change"));
    if (max_change) {
      if (*max_change < 0) return Status::Invalid(where("max_change") + " must be a fraction >= 0 (0.5 is 50%)");
      spec.max_change = *max_change;
    }
    if (const toml::node* n = c->get("history")) {
      auto v = n->value<int64_t>();
      if (!v || *v < 1 || *v > 1000) return Status::Invalid(where("history") + " must be a whole number from 1 to 1000");
      spec.history = static_cast<int>(*v);
    }
    EARSHOT_ASSIGN_OR_RETURN(auto max_age, number("max_age_hours"));
    auto provider = text("provider");
    auto source = text("source");
    if (!provider || !source) return Status::Invalid(where("provider") + ": provider and source are strings");
    spec.provider = *provider;
    spec.source = *source;
    auto name = text("name");
    if (!name) return Status::Invalid(where("name") + " must be a string");

    // What each type needs.
    const bool needs_table = spec.type != CheckType::kFreshness || (spec.provider.empty() && spec.source.empty());
    if (needs_table && spec.table.empty()) return Status::Invalid(where("table") + " is required for this check");
    switch (spec.type) {
      case CheckType::kNotNull:
      case CheckType::kUnique:
        if (spec.columns.empty()) return Status::Invalid(where("column") + " (or columns) is required");
        break;
      case CheckType::kAcceptedValues:
        if (spec.columns.size() != 1) return Status::Invalid(where("column") + ": accepted_values takes one column");
        if (spec.values.empty()) return Status::Invalid(where("values") + " is required for accepted_values");
        break;
      case CheckType::kRange:
        if (spec.columns.size() != 1) return Status::Invalid(where("column") + ": range takes one column");
        if (!spec.min && !spec.max) return Status::Invalid(where("min") + ": range needs min, max or both");
        if (spec.min && spec.max && *spec.min > *spec.max) return Status::Invalid(where("min") + " is above max");
        break;
      case CheckType::kRelationships:
        if (spec.columns.size() != 1) return Status::Invalid(where("column") + ": relationships takes one column");
        if (spec.to_table.empty() || spec.to_column.empty()) {
          return Status::Invalid(where("to_table") + ": relationships needs to_table and to_column");
        }
        break;
      case CheckType::kRowCountChange:
        break;
      case CheckType::kFreshness: {
        const int given = (!spec.provider.empty()) + (!spec.source.empty()) + (!spec.columns.empty());
        if (given != 1) {
          return Status::Invalid(where("max_age_hours") +
                                 ": freshness needs exactly one of provider, source, or table + column");
        }
        if (!max_age || *max_age <= 0) return Status::Invalid(where("max_age_hours") + " must be a number above 0");
        spec.max_age_hours = *max_age;
        if (!spec.provider.empty() && project.FindProvider(spec.provider) == nullptr) {
          return Status::Invalid(where("provider") + ": unknown provider '" + spec.provider +
                                 "' (declare it as [providers." + spec.provider + "])");
        }
        static const std::vector<std::string_view> kSources = {"events",   "playlists",       "podcasts", "episodes",
                                                               "creators", "episode_credits", "listens"};
        if (!spec.source.empty() && std::find(kSources.begin(), kSources.end(), spec.source) == kSources.end()) {
          return Status::Invalid(where("source") + ": one of events, playlists, podcasts, episodes, creators, "
                                                   "episode_credits, listens");
        }
        if (spec.table.empty()) spec.table = spec.provider.empty() ? "raw.ingests" : "raw.listens";
        break;
      }
    }
    if (!name->empty()) {
      spec.name = *name;
    } else {
      spec.name = std::string(CheckTypeName(spec.type)) + ":" + spec.table;
      if (!spec.provider.empty()) spec.name += "." + spec.provider;
      if (!spec.source.empty()) spec.name += "." + spec.source;
      for (size_t i = 0; i < spec.columns.size(); ++i) spec.name += (i == 0 ? "." : ",") + spec.columns[i];
    }
    for (const CheckSpec& other : project.checks) {
      if (other.name == spec.name) {
        return Status::Invalid(at + ": a check named '" + spec.name + "' is already declared at line " +
                               std::to_string(other.line) + " (give one a `name`)");
      }
    }
    project.checks.push_back(std::move(spec));
  }
  return Status::Ok();
}

}  // namespace

namespace {

// Reads [readers.public] and [readers.pro] (token_hashes = ["salt$hex", ...])
// and [serve]; errors name file, line and key.
Status LoadServeAndReaders(const toml::table& tbl, const std::string& file, Project& project) {
  if (const toml::node* node = tbl.get("readers")) {
    const toml::table* readers = node->as_table();
    if (readers == nullptr) return Status::Invalid(file + Location(node->source()) + ": [readers] must be a table");
    for (const auto& [key, value] : *readers) {
      const std::string at = file + Location(value.source()) + ": readers." + std::string(key.str());
      if (key.str() != "public" && key.str() != "pro") return Status::Invalid(at + ": the tiers are public and pro");
      const toml::table* tier = value.as_table();
      const toml::array* hashes = tier == nullptr ? nullptr : tier->get_as<toml::array>("token_hashes");
      if (tier == nullptr || (tier->get("token_hashes") != nullptr && hashes == nullptr)) {
        return Status::Invalid(at + ".token_hashes must be a list of strings");
      }
      for (const auto& h : hashes == nullptr ? toml::array() : *hashes) {
        auto v = h.value<std::string>();
        if (!v) return Status::Invalid(at + ".token_hashes must be a list of strings");
        project.readers.push_back({key.str() == "pro" ? ReaderTier::kPro : ReaderTier::kPublic, *v});
      }
    }
  }
  const toml::node* node = tbl.get("serve");
  if (node == nullptr) return Status::Ok();
  const toml::table* t = node->as_table();
  if (t == nullptr) return Status::Invalid(file + Location(node->source()) + ": [serve] must be a table");
  ServeSettings& s = project.serve;
  auto number = [&](const char* key, double lo, double hi, auto& out) -> Status {
    const toml::node* v = t->get(key);
    if (v == nullptr) return Status::Ok();
    auto d = v->value<double>();
    if (!d || !(*d >= lo) || !(*d <= hi)) {
      return Status::Invalid(file + Location(v->source()) + ": serve." + key + " must be a number from " +
                             std::to_string(static_cast<int64_t>(lo)) + " to " + std::to_string(static_cast<int64_t>(hi)));
    }
    out = static_cast<std::remove_reference_t<decltype(out)>>(*d);
    return Status::Ok();
  };
  if (const toml::node* v = t->get("listen")) {
    auto text = v->value<std::string>();
    if (!text || text->find(':') == std::string::npos) {
      return Status::Invalid(file + Location(v->source()) + ": serve.listen must be \"host:port\", e.g. \"127.0.0.1:8080\"");
    }
    s.listen = *text;
  }
  constexpr double kTiB = 1099511627776.0;
  EARSHOT_RETURN_IF_ERROR(number("threads", 0, 256, s.threads));
  EARSHOT_RETURN_IF_ERROR(number("max_body_bytes", 1024, 1073741824.0, s.max_body_bytes));
  EARSHOT_RETURN_IF_ERROR(number("request_timeout_seconds", 0.1, 3600, s.request_timeout_seconds));
  EARSHOT_RETURN_IF_ERROR(number("max_queue_bytes", 1024, kTiB, s.max_queue_bytes));
  EARSHOT_RETURN_IF_ERROR(number("max_unloaded_bytes", 1024, kTiB, s.max_unloaded_bytes));
  EARSHOT_RETURN_IF_ERROR(number("min_free_disk_bytes", 0, 1024 * kTiB, s.min_free_disk_bytes));
  EARSHOT_RETURN_IF_ERROR(number("segment_bytes", 1024, kTiB, s.segment_bytes));
  EARSHOT_RETURN_IF_ERROR(number("segment_seconds", 0.01, 86400, s.segment_seconds));
  EARSHOT_RETURN_IF_ERROR(number("build_interval_seconds", 0, 86400, s.build_interval_seconds));
  return Status::Ok();
}

}  // namespace

Result<Project> LoadProject(const std::filesystem::path& dir) {
  Project project;
  project.root = std::filesystem::absolute(dir).lexically_normal();
  if (!std::filesystem::exists(project.config_file())) {
    return Status::NotFound("no earshot project in " + project.root.string() +
                            " (earshot.toml not found): run `earshot init " + dir.string() +
                            "` first, or pass --project DIR");
  }
  toml::table tbl;
  try {
    tbl = toml::parse_file(project.config_file().string());
  } catch (const toml::parse_error& e) {
    return Status::Invalid(project.config_file().string() + Location(e.source()) + ": " +
                           std::string(e.description()));
  }
  project.name = tbl["project"]["name"].value_or(project.name);
  if (auto v = tbl["ingest"]["batch_rows"]; v) {
    auto n = v.value<int64_t>();
    if (!n || *n < 1 || *n > 10'000'000) {
      return Status::Invalid(project.config_file().string() + Location(v.node()->source()) +
                             ": ingest.batch_rows must be a whole number from 1 to 10000000");
    }
    project.batch_rows = static_cast<uint64_t>(*n);
  }
  project.memory_limit = tbl["warehouse"]["memory_limit"].value_or(project.memory_limit);
  if (auto v = tbl["warehouse"]["threads"]; v) {
    auto n = v.value<int64_t>();
    if (!n || *n < 0 || *n > 1024) {
      return Status::Invalid(project.config_file().string() + Location(v.node()->source()) +
                             ": warehouse.threads must be a whole number from 0 to 1024");
    }
    project.threads = static_cast<int>(*n);
  }
  if (auto v = tbl["podcasts"]["trend_floor"]; v) {
    auto n = v.value<double>();
    if (!n || !(*n >= 0) || !std::isfinite(*n)) {
      return Status::Invalid(project.config_file().string() + Location(v.node()->source()) +
                             ": podcasts.trend_floor must be a number >= 0");
    }
    project.trend_floor = *n;
  }
  EARSHOT_RETURN_IF_ERROR(LoadProviders(tbl, project.config_file().string(), project));
  EARSHOT_RETURN_IF_ERROR(LoadServeAndReaders(tbl, project.config_file().string(), project));
  EARSHOT_RETURN_IF_ERROR(LoadRunSettings(tbl, project.config_file().string(), project.run));
  EARSHOT_RETURN_IF_ERROR(LoadRetention(tbl, project.config_file().string(), project.retention));
  EARSHOT_RETURN_IF_ERROR(LoadNotify(tbl, project.config_file().string(), project.notify));
  EARSHOT_RETURN_IF_ERROR(LoadChecks(tbl, project.config_file().string(), project));
  return project;
}

Result<Project> InitProject(const std::filesystem::path& dir, Template kind) {
  Project project;
  project.root = std::filesystem::absolute(dir).lexically_normal();
  if (std::filesystem::exists(project.config_file())) {
    return Status(StatusCode::kAlreadyExists,
                  "there is already an earshot project in " + project.root.string());
  }
  std::error_code ec;
  std::vector<std::filesystem::path> dirs = {project.archive_dir(), project.warehouse_dir()};
  if (kind == Template::kPlaylists) {
    for (const char* s : {"events", "playlists"}) dirs.push_back(project.inbox_dir() / s);
  } else {
    for (const char* s : {"podcasts", "episodes", "creators", "episode_credits", "alderhost", "birchcast",
                          "cedarfm", "dunepod", "emberwave"}) {
      dirs.push_back(project.inbox_dir() / s);
    }
  }
  for (const auto& sub : dirs) {
    std::filesystem::create_directories(sub, ec);
    if (ec) return Status::IoError("cannot create " + sub.string() + ": " + ec.message());
  }
  std::string text = kTemplate;
  std::string name = project.root.filename().string();
  if (name.empty()) name = "earshot";
  for (char& c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  text.replace(text.find("%NAME%"), 6, name);
  if (kind == Template::kPodcasts) text += kPodcastsTemplate;
  std::ofstream out(project.config_file());
  out << text;
  if (!out) return Status::IoError("cannot write " + project.config_file().string());
  project.name = name;
  return project;
}

std::string_view PodcastsTemplateToml() { return kPodcastsTemplate; }

std::string_view ReaderTierName(ReaderTier t) { return t == ReaderTier::kPro ? "pro" : "public"; }

std::string_view GranularityName(Granularity g) { return g == Granularity::kEpisode ? "episode" : "podcast"; }

std::string_view DeliveryName(Delivery d) {
  switch (d) {
    case Delivery::kInstant: return "instant";
    case Delivery::kDaily: return "daily";
    case Delivery::kMonthly: return "monthly";
  }
  return "daily";
}

std::string_view FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kJson: return "json";
    case FileFormat::kNdjson: return "ndjson";
  }
  return "csv";
}

std::string_view CheckTypeName(CheckType t) {
  switch (t) {
    case CheckType::kNotNull: return "not_null";
    case CheckType::kUnique: return "unique";
    case CheckType::kAcceptedValues: return "accepted_values";
    case CheckType::kRange: return "range";
    case CheckType::kRelationships: return "relationships";
    case CheckType::kRowCountChange: return "row_count_change";
    case CheckType::kFreshness: return "freshness";
  }
  return "not_null";
}

std::string_view SeverityName(Severity s) { return s == Severity::kWarn ? "warn" : "error"; }

const std::vector<std::string>& ProviderFields() {
  static const std::vector<std::string> kFields = {"date",    "month",    "podcast_id", "episode_id",
                                                   "listens", "event_id", "listened_at"};
  return kFields;
}

bool Provider::Delivers(Delivery d) const {
  return std::find(deliveries.begin(), deliveries.end(), d) != deliveries.end();
}

const std::string& Provider::TheirField(const std::string& ours) const {
  auto it = mapping.find(ours);
  return it == mapping.end() ? ours : it->second;
}

int Provider::PrecedenceRank(Delivery d) const {
  auto it = std::find(precedence.begin(), precedence.end(), d);
  return static_cast<int>(it - precedence.begin()) + 1;
}

const Provider* Project::FindProvider(std::string_view provider) const {
  for (const Provider& p : providers) {
    if (p.name == provider) return &p;
  }
  return nullptr;
}

}  // namespace earshot::config
