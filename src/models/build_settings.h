// What a build takes from outside the warehouse, written into it before the
// models run so the SQL can read it: raw.provider_config (the providers of
// earshot.toml: share, granularity, deliveries, precedence ranks) and
// raw.build_settings (as_of: the UTC date from which a day is not over yet,
// for instant events; trend_floor). Both are replaced on every build.
#pragma once

#include <string>

#include "common/status.h"
#include "config/project.h"
#include "warehouse/warehouse.h"

namespace earshot::models {

// `as_of` is a YYYY-MM-DD date; empty means today (UTC).
Status WriteBuildSettings(warehouse::Warehouse& wh, const config::Project& project, const std::string& as_of);

}  // namespace earshot::models
