// Builder: materialises models into their layer schemas in dependency order,
// all in one transaction (a failed build leaves the previous tables intact),
// records the build in raw.builds, then publishes: the marts are copied into
// a new snapshot file which is fsync'd and renamed over the published one, so
// readers (query, report, the API) never wait on, or see half of, a build.
// Not thread-safe; one builder per working warehouse.
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
  int64_t rows = 0;
  double seconds = 0;
};

struct BuildReport {
  int64_t build_id = 0;
  std::vector<ModelTiming> models;
  std::filesystem::path published;
  double seconds = 0;
};

// Builds `models` (already ordered) and publishes marts to `published_file`.
// `on_model` (optional) is told as each model finishes.
Result<BuildReport> BuildAndPublish(warehouse::Warehouse& wh, const std::vector<Model>& models,
                                    const std::filesystem::path& published_file,
                                    const std::function<void(const ModelTiming&)>& on_model = {});

}  // namespace earshot::models
