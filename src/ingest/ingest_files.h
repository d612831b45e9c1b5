// IngestFiles: several files in one go. Files of different sources are
// ingested at the same time, one thread and one warehouse connection per
// source (each ingest is still its own transaction); files of the same source
// go one after another in the order given, so each sees the ones before it
// (duplicates across files, replacements). Results come back in input order.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "ingest/ingest_runner.h"
#include "ingest/source.h"
#include "warehouse/warehouse.h"

namespace earshot::ingest {

struct FileOutcome {
  std::filesystem::path file;
  Status status;        // ok: `report` holds the result
  IngestReport report;
};

struct FileToIngest {
  std::filesystem::path path;
  std::optional<Source> source;  // empty: recognised from the content
  std::string provider;          // a delivery of listens from this provider
};

// `progress` may be called from several threads at once (with the file it is about).
std::vector<FileOutcome> IngestFiles(
    const config::Project& project, warehouse::Warehouse& wh, const std::vector<FileToIngest>& files,
    const std::function<void(const std::filesystem::path&, const IngestProgress&)>& progress = {});

}  // namespace earshot::ingest
