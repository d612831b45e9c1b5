// The build of a run: every shipped pipeline (playlists, podcasts) built into
// one snapshot with the project's settings, exactly as `earshot build` does,
// plus a gate (the run's checks) before the snapshot is published.
// Not thread-safe (one Warehouse connection).
#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "config/project.h"
#include "models/builder.h"
#include "warehouse/warehouse.h"

namespace earshot::orchestrator {

// Builds and, when `gate` accepts the new snapshot, publishes it over
// project.published_file(). `as_of`: YYYY-MM-DD, or empty for today (UTC).
// Returns the build report, or the failure (the gate's own when it refused;
// the previous snapshot then stays published).
Result<models::BuildReport> BuildShippedModels(const config::Project& project, warehouse::Warehouse& wh,
                                               const std::string& as_of,
                                               const std::function<void(const models::ModelTiming&)>& on_model,
                                               const models::BeforePublish& gate);
// The same, publishing to `published_file` instead (`earshot rebuild` builds
// a snapshot beside the current one and swaps both in at the end).
Result<models::BuildReport> BuildShippedModels(const config::Project& project, warehouse::Warehouse& wh,
                                               const std::string& as_of,
                                               const std::function<void(const models::ModelTiming&)>& on_model,
                                               const models::BeforePublish& gate,
                                               const std::filesystem::path& published_file);

}  // namespace earshot::orchestrator
