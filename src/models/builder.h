// Builder: materialises models in dependency order and publishes the marts.
//
// Models address each other as <layer>.<name> and the sources as raw.<table>:
//   staging (and intermediate)  views in the working warehouse: computed
//                               inside the marts' queries (which spill to disk
//                               under the memory limit), never stored;
//   marts                       tables in a new snapshot file attached as
//                               `marts` (published.duckdb.tmp).
// When every model is built the snapshot is closed, fsync'd and renamed over
// published.duckdb: readers (query, report, the API) never wait on, or see
// half of, a build, and a failed build leaves the previous snapshot in place.
// The build is recorded in raw.builds. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "models/model_dag.h"
#include "warehouse/warehouse.h"

namespace earshot::models {

struct ModelTiming {
  std::string model;  // qualified
  int64_t rows = -1;  // -1 for views
  double seconds = 0;
};

struct BuildReport {
  int64_t build_id = 0;
  std::vector<ModelTiming> models;
  std::filesystem::path published;
  double seconds = 0;
};

// The gate between a finished snapshot and its publication: called with the
// new snapshot file (complete, closed, not yet renamed over published.duckdb).
// A failed Status keeps the previous snapshot published: the new file is
// deleted and the build recorded as failed with that message.
using BeforePublish = std::function<Status(const std::filesystem::path& snapshot)>;

// Builds `models` (already ordered) and publishes the marts to `published_file`.
// `on_model` (optional) is told as each model finishes; `before_publish`
// (optional) may refuse the snapshot. On failure the message names the model
// and its file, or is the gate's.
Result<BuildReport> BuildAndPublish(warehouse::Warehouse& wh, const std::vector<Model>& models,
                                    const std::filesystem::path& published_file,
                                    const std::function<void(const ModelTiming&)>& on_model = {},
                                    const BeforePublish& before_publish = {});

}  // namespace earshot::models
