#include "config/project.h"

#include <fstream>
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

std::string Location(const toml::source_region& src) {
  return ":" + std::to_string(src.begin.line);
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
  return project;
}

Result<Project> InitProject(const std::filesystem::path& dir) {
  Project project;
  project.root = std::filesystem::absolute(dir).lexically_normal();
  if (std::filesystem::exists(project.config_file())) {
    return Status(StatusCode::kAlreadyExists,
                  "there is already an earshot project in " + project.root.string());
  }
  std::error_code ec;
  for (const auto& sub : {project.inbox_dir() / "events", project.inbox_dir() / "playlists",
                          project.archive_dir(), project.warehouse_dir()}) {
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
  std::ofstream out(project.config_file());
  out << text;
  if (!out) return Status::IoError("cannot write " + project.config_file().string());
  project.name = name;
  return project;
}

}  // namespace earshot::config
