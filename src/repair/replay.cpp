#include "repair/replay.h"

#include "ingest/segment_project.h"
#include "ingest/source.h"
#include "landing/archive.h"

namespace earshot::repair {

std::vector<ReplayOutcome> ReplayEntries(const config::Project& project, warehouse::Warehouse& wh,
                                         const std::vector<JournalEntry>& entries, bool reload,
                                         const std::function<void(const ReplayOutcome&)>& on_each) {
  const config::Project segments = ingest::SegmentProject(project);
  const landing::RawArchive archive(project.archive_dir());
  std::vector<ReplayOutcome> out;
  out.reserve(entries.size());
  for (const JournalEntry& e : entries) {
    ReplayOutcome o;
    o.entry = e;
    const std::filesystem::path object = archive.ObjectPath(e.sha256);
    const auto source = ingest::ParseSource(e.source);
    if (!source) {
      o.status = Status::DataError("archive journal line " + std::to_string(e.line) + ": unknown source '" + e.source + "'");
    } else if (!std::filesystem::exists(object)) {
      o.missing = true;
      o.status = Status::NotFound(e.file_name + ": its archived object " + object.string() +
                                  " is gone (deleted by retention): not replayed");
    } else {
      ingest::Ingestor ingestor(IsLogSegment(e) ? segments : project, wh);
      ingestor.SetReplayOrigin(ingest::ReplayOrigin{
          e.file_name, e.original_path.empty() ? e.file_name : e.original_path, reload});
      auto report = ingestor.Ingest(object, *source, e.provider);
      if (report.ok()) {
        o.report = std::move(report).value();
      } else {
        // Messages name the archived object; the person knows the delivery by its name.
        std::string msg = report.status().message();
        const std::string name = (e.provider.empty() ? e.source : e.provider) + "/" + e.file_name + " (archived as " +
                                 e.sha256.substr(0, 12) + ")";
        for (size_t at; (at = msg.find(object.string())) != std::string::npos;) msg.replace(at, object.string().size(), name);
        o.status = Status(report.status().code(), msg);
      }
    }
    if (on_each) on_each(o);
    out.push_back(std::move(o));
  }
  return out;
}

std::string DescribeOutcome(const ReplayOutcome& o) {
  const std::string what = (o.entry.provider.empty() ? o.entry.source : o.entry.provider) + "/" + o.entry.file_name;
  if (!o.status.ok()) return what + ": " + (o.missing ? "skipped: " : "FAILED: ") + o.status.message();
  const ingest::IngestReport& r = o.report;
  if (r.already_ingested) return what + ": already loaded (same bytes, ingest #" + std::to_string(r.ingest_id) + ")";
  std::string line = what + ": ingest #" + std::to_string(r.ingest_id) + ", " + std::to_string(r.rows_in) +
                     " rows in, " + std::to_string(r.accepted) + " accepted, " + std::to_string(r.rejected) +
                     " rejected, " + std::to_string(r.duplicates) + " duplicates";
  if (r.replaced_ingest != 0) line += "; replaces ingest #" + std::to_string(r.replaced_ingest);
  return line;
}

}  // namespace earshot::repair
