#include "repair/retention.h"

#include <map>
#include <set>

#include "landing/archive.h"

namespace earshot::repair {

namespace {

using warehouse::SqlQuote;

constexpr const char* kSchema = R"(
  CREATE SCHEMA IF NOT EXISTS raw;
  CREATE TABLE IF NOT EXISTS raw.retention_deletions (
    sha256 VARCHAR, source VARCHAR, provider VARCHAR, file_name VARCHAR, bytes BIGINT,
    landed_on DATE, keep_days BIGINT, deleted_at TIMESTAMP);
)";

}  // namespace

Result<RetentionReport> ApplyRetention(const config::Project& project, warehouse::Warehouse& wh, Day today,
                                       bool dry_run) {
  EARSHOT_RETURN_IF_ERROR(wh.Execute(kSchema));
  EARSHOT_ASSIGN_OR_RETURN(std::vector<JournalEntry> journal, ReadJournal(project.archive_dir()));
  // The bytes whose rows are the current version (or are being loaded).
  std::set<std::string> current;
  EARSHOT_ASSIGN_OR_RETURN(auto has_ingests, wh.QueryInt("SELECT count(*) FROM information_schema.tables WHERE "
                                                         "table_schema = 'raw' AND table_name = 'ingests'"));
  if (has_ingests.value_or(0) > 0) {
    EARSHOT_ASSIGN_OR_RETURN(auto t, wh.Query("SELECT DISTINCT sha256 FROM raw.ingests WHERE status IN ('loaded', 'landed', 'landing')"));
    for (const auto& row : t.rows) {
      if (row[0]) current.insert(*row[0]);
    }
  }
  // Per object: its newest journal entry, and the longest time any of its
  // entries must be kept (nullopt: one of them forever).
  struct Object {
    const JournalEntry* newest = nullptr;
    std::optional<int64_t> keep;
    bool forever = false;
  };
  std::map<std::string, Object> objects;
  std::vector<std::string> order;
  for (const JournalEntry& e : journal) {
    auto [it, added] = objects.try_emplace(e.sha256);
    if (added) order.push_back(e.sha256);
    Object& o = it->second;
    o.newest = &e;
    auto days = project.retention.DaysFor(e.source, e.provider);
    if (!days) {
      o.forever = true;
    } else if (!o.keep || *days > *o.keep) {
      o.keep = days;
    }
  }
  const landing::RawArchive archive(project.archive_dir());
  RetentionReport report;
  for (const std::string& sha : order) {
    const Object& o = objects[sha];
    const std::filesystem::path object = archive.ObjectPath(sha);
    if (!std::filesystem::exists(object)) continue;  // deleted before
    if (o.forever) {
      ++report.kept_forever;
      continue;
    }
    const Day landed = FileDay(object);
    if (today - landed < *o.keep) {
      ++report.kept_young;
      continue;
    }
    if (current.count(sha) != 0) {
      ++report.kept_current;
      continue;
    }
    RetentionDecision d{*o.newest, landed, *o.keep};
    std::error_code ec;
    const uint64_t bytes = std::filesystem::file_size(object, ec);
    if (!dry_run) {
      if (!std::filesystem::remove(object, ec) || ec) {
        return Status::IoError("cannot delete " + object.string() + ": " + ec.message());
      }
      EARSHOT_RETURN_IF_ERROR(wh.Execute(
          "INSERT INTO raw.retention_deletions VALUES (" + SqlQuote(sha) + ", " + SqlQuote(d.entry.source) + ", " +
          (d.entry.provider.empty() ? std::string("NULL") : SqlQuote(d.entry.provider)) + ", " +
          SqlQuote(d.entry.file_name) + ", " + std::to_string(bytes) + ", DATE " + SqlQuote(FormatDay(landed)) + ", " +
          std::to_string(d.keep_days) + ", " + warehouse::SqlNow() + ")"));
    }
    report.bytes += bytes;
    report.deleted.push_back(std::move(d));
  }
  return report;
}

}  // namespace earshot::repair
