// Models: SQL files, one SELECT each, named by file (`stg_x.sql` -> model
// `stg_x`) and layered by folder (`staging/`, `marts/`). A model depends on
// every other model it names as `<layer>.<name>`; raw.* are sources.
// OrderModels() returns them in dependency order or says which cycle or which
// missing layer is wrong. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace earshot::models {

struct Model {
  std::string name;   // stg_playlist_streams
  std::string layer;  // staging | marts
  std::string path;   // where it came from, for messages
  std::string sql;
  std::vector<std::string> depends_on;  // qualified names, e.g. staging.stg_x
  // A staging or intermediate model whose SQL holds the line
  // `-- earshot: materialized = table` is stored as a table in the working
  // warehouse (computed once, read by several models); the others are views.
  bool materialized = false;
  std::string qualified() const { return layer + "." + name; }
};

// Builds a Model from a file path like "playlists/models/marts/x.sql".
Result<Model> ParseModel(std::string_view path, std::string_view sql);

// The models of one pipeline (e.g. "playlists") from the embedded files.
Result<std::vector<Model>> PipelineModels(std::string_view pipeline);

// Topological order (dependencies first; ties by layer then name).
Result<std::vector<Model>> OrderModels(std::vector<Model> models);

}  // namespace earshot::models
