// The project as the loader of instant-event log segments sees it. Segments
// are NDJSON whatever a provider's files are, and the Ingestor reads a
// provider's deliveries in its declared format, so this copy declares NDJSON
// for every provider. Used by the server's segment loader and by the replay
// of archived segments (rebuild, backfill).
#pragma once

#include "config/project.h"

namespace earshot::ingest {

inline config::Project SegmentProject(const config::Project& project) {
  config::Project p = project;
  for (config::Provider& provider : p.providers) provider.format = config::FileFormat::kNdjson;
  return p;
}

}  // namespace earshot::ingest
