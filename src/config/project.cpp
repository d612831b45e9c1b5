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
  for (const auto& [key, node] : *providers) {
    const std::string name(key.str());
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
