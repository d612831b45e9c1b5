// Backfill: which archived deliveries `earshot backfill` re-ingests. A
// delivery's period is the first YYYY-MM-DD in its file name, else its first
// YYYY-MM (the whole month), else the day it landed. For every file name of
// the source (and provider) only its newest version in the journal counts
// (an older version must not come back over a newer one); it is chosen when
// its period overlaps [from, to]. Pure selection; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "repair/journal.h"

namespace earshot::repair {

struct BackfillRequest {
  std::string source;    // a source name, or a declared provider's name
  std::string provider;  // optional: only this provider's deliveries of listens
  std::string from, to;  // YYYY-MM-DD, inclusive
};

// The entries to replay, in journal order. Fails with kInvalidArgument (what
// to pass instead) for an unknown source or provider, or bad dates.
Result<std::vector<JournalEntry>> SelectForBackfill(const config::Project& project,
                                                   const std::vector<JournalEntry>& journal,
                                                   const BackfillRequest& request);

}  // namespace earshot::repair
