#include "ingest/ingest_runner.h"

#include <chrono>

#include "common/json_text.h"
#include "ingest/catalog_mapper.h"
#include "ingest/events_mapper.h"
#include "ingest/listens_mapper.h"
#include "ingest/playlists_mapper.h"
#include "ingest/raw_schema.h"
#include "ingest/reject_spool.h"
#include "landing/archive.h"
#include "landing/async_landing.h"

namespace earshot::ingest {

namespace {

using warehouse::SqlQuote;

constexpr size_t kSampleRejects = 10;

Result<std::unique_ptr<RecordMapper>> OpenMapper(Source source, const config::Provider* provider,
                                                 const std::filesystem::path& object, int32_t ingest_id) {
  switch (source) {
    case Source::kEvents: {
      EARSHOT_ASSIGN_OR_RETURN(auto m, EventsMapper::Open(object, ingest_id));
      return std::unique_ptr<RecordMapper>(std::move(m));
    }
    case Source::kPlaylists: {
      EARSHOT_ASSIGN_OR_RETURN(auto m, PlaylistsMapper::Open(object, ingest_id));
      return std::unique_ptr<RecordMapper>(std::move(m));
    }
    case Source::kListens: {
      EARSHOT_ASSIGN_OR_RETURN(auto m, ListensMapper::Open(object, *provider, ingest_id));
      return std::unique_ptr<RecordMapper>(std::move(m));
    }
    default: {
      EARSHOT_ASSIGN_OR_RETURN(auto m, CatalogMapper::Open(object, source, ingest_id));
      return std::unique_ptr<RecordMapper>(std::move(m));
    }
  }
}

// The columns that identify a catalog record: a later record with the same
// key replaces an earlier one (and counts as a duplicate in its own file).
const char* CatalogKey(Source source) {
  switch (source) {
    case Source::kPodcasts: return "podcast_id";
    case Source::kEpisodes: return "episode_id";
    case Source::kCreators: return "creator_id";
    case Source::kEpisodeCredits: return "episode_id, creator_id, role";
    default: return nullptr;
  }
}

}  // namespace

Result<IngestReport> Ingestor::Ingest(const std::filesystem::path& file, std::optional<Source> source,
                                      const std::string& provider_name) {
  auto started = std::chrono::steady_clock::now();
  if (!std::filesystem::is_regular_file(file)) {
    return Status::NotFound(file.string() + ": no such file (or not a regular file)");
  }
  if (!provider_name.empty()) {
    provider_ = project_.FindProvider(provider_name);
    if (provider_ == nullptr) {
      std::string known;
      for (const auto& p : project_.providers) known += (known.empty() ? "" : ", ") + p.name;
      return Status::Invalid("unknown provider '" + provider_name + "': " +
                             (known.empty() ? "earshot.toml declares no [providers.NAME]"
                                            : "earshot.toml declares " + known));
    }
    source = Source::kListens;
  } else if (source == Source::kListens) {
    return Status::Invalid("a delivery of listens needs its provider: pass --provider NAME");
  }
  EARSHOT_RETURN_IF_ERROR(EnsureRawSchema(wh_));
  if (!source) {
    EARSHOT_ASSIGN_OR_RETURN(Source sniffed, SniffSource(file));
    source = sniffed;
  }

  IngestReport report;
  report.source = *source;
  report.provider = provider_name;
  report.file_name = replay_ ? replay_->file_name : file.filename().string();
  const std::string source_sql = SqlQuote(SourceName(*source));
  // Same bytes and same file names are told apart per source and provider.
  const std::string same_origin = "source = " + source_sql + " AND coalesce(provider, '') = " + SqlQuote(provider_name);

  // Landing (copy, SHA-256, fsync into the raw archive) runs on its own
  // thread while the rows load from the same file: it is joined before the
  // COMMIT, which happens only once the raw copy is durable. When a loaded
  // file of this origin has the same size, the bytes may be the same: then
  // landing finishes first, and the same bytes are a no-op without a load.
  landing::RawArchive archive(project_.archive_dir());
  EARSHOT_ASSIGN_OR_RETURN(auto landing, landing::AsyncLanding::Start(archive, file));
  const std::string size_sql = std::to_string(landing->size_at_start());
  EARSHOT_ASSIGN_OR_RETURN(auto same_size, wh_.QueryInt("SELECT count(*) FROM raw.ingests WHERE " + same_origin +
                                                        " AND bytes = " + size_sql + " AND status = 'loaded'"));
  if (same_size.value_or(0) > 0 && !(replay_ && replay_->reload)) {
    if (progress_) progress_({"landing", 0, landing->size_at_start(), 0});
    EARSHOT_ASSIGN_OR_RETURN(landing::LandedFile landed, landing->Finish());
    EARSHOT_ASSIGN_OR_RETURN(bool same, FindSameBytes(same_origin, landed.sha256, report));
    if (same) return report;
  }
  EARSHOT_ASSIGN_OR_RETURN(auto previous, wh_.QueryInt("SELECT max(ingest_id) FROM raw.ingests WHERE " + same_origin +
                                                       " AND file_name = " +
                                                       SqlQuote(report.file_name) + " AND status = 'loaded'"));
  report.replaced_ingest = previous.value_or(0);
  EARSHOT_ASSIGN_OR_RETURN(auto id, wh_.QueryInt("SELECT nextval('raw.ingest_ids')"));
  report.ingest_id = id.value_or(0);

  // The manifest records the ingest before any row is read (`landing`: its
  // raw copy is being made; the hash is filled in once it is).
  const std::string id_sql = std::to_string(report.ingest_id);
  EARSHOT_RETURN_IF_ERROR(wh_.Execute(
      "INSERT INTO raw.ingests (ingest_id, source, provider, file_name, original_path, sha256, bytes, "
      "status, started_at) VALUES (" + id_sql + ", " + source_sql + ", " +
      (provider_name.empty() ? std::string("NULL") : SqlQuote(provider_name)) + ", " + SqlQuote(report.file_name) + ", " +
      SqlQuote(replay_ ? replay_->original_path : std::filesystem::absolute(file).string()) + ", '', " + size_sql + ", 'landing', " +
      warehouse::SqlNow() + ")"));

  Status loaded = Load(file, *landing, archive, report);
  if (!loaded.ok()) {
    (void)wh_.Execute("ROLLBACK");
    // The raw copy is kept even when the rows are refused: note where it is.
    auto landed = landing->Finish();
    std::string set_landed;
    if (landed.ok()) {
      set_landed = ", sha256 = " + SqlQuote(landed->sha256) + ", archive_object = " + SqlQuote(landed->object.string());
      // A refused delivery is journaled too: backfill and rebuild find it.
      (void)Journal(archive, file, *landed, report);
    }
    (void)wh_.Execute("UPDATE raw.ingests SET status = 'failed', finished_at = " + warehouse::SqlNow() + ", message = " +
                      SqlQuote(loaded.message()) + set_landed + " WHERE ingest_id = " + id_sql);
    return loaded;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Status Ingestor::Load(const std::filesystem::path& file, landing::AsyncLanding& landing,
                      const landing::RawArchive& archive, IngestReport& report) {
  const std::string id_sql = std::to_string(report.ingest_id);
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<RecordMapper> mapper,
                           OpenMapper(report.source, provider_, file, static_cast<int32_t>(report.ingest_id)));

  EARSHOT_RETURN_IF_ERROR(wh_.Execute("BEGIN TRANSACTION"));
  EARSHOT_ASSIGN_OR_RETURN(auto spool, RejectSpool::Create(project_.warehouse_dir() / "tmp"));
  const std::string source_name(SourceName(report.source));

  // DuckDB's threads pull validated rows from the mapper (one at a time) and
  // compress and store them in parallel, all inside this ingest's transaction.
  Reject reject;
  uint64_t records = 0;
  auto last_progress = std::chrono::steady_clock::now();
  const size_t rows_per_pull = project_.batch_rows;
  auto fill = [&](warehouse::RowBatch& batch) -> Result<bool> {
    while (batch.size() < rows_per_pull) {
      EARSHOT_ASSIGN_OR_RETURN(RecordOutcome outcome, mapper->Next(batch, reject));
      if (outcome == RecordOutcome::kEnd) return false;
      ++records;
      if (outcome == RecordOutcome::kAccepted) {
        ++report.accepted;
        continue;
      }
      ++report.rejected;
      if (report.sample_rejects.size() < kSampleRejects) report.sample_rejects.push_back(reject);
      EARSHOT_RETURN_IF_ERROR(spool->Write(reject));
    }
    auto now = std::chrono::steady_clock::now();
    if (progress_ && now - last_progress > std::chrono::milliseconds(250)) {
      last_progress = now;
      progress_({"loading", mapper->bytes_consumed(), mapper->file_size(), records});
    }
    return true;
  };
  EARSHOT_RETURN_IF_ERROR(wh_.InsertFrom("raw", std::string(RawTable(report.source)), RawColumns(report.source), fill));

  // The rows are in (not committed): now the raw copy must be durable.
  EARSHOT_ASSIGN_OR_RETURN(landing::LandedFile landed, landing.Finish());
  report.sha256 = landed.sha256;
  report.bytes = landed.bytes;
  EARSHOT_RETURN_IF_ERROR(Journal(archive, file, landed, report));

  EARSHOT_ASSIGN_OR_RETURN(auto rejects_app, wh_.NewAppender("raw", "rejects"));
  warehouse::RowBatch rejects(RejectsColumns(), 1024);
  EARSHOT_RETURN_IF_ERROR(spool->ReadAll([&](const Reject& r) -> Status {
    size_t row = rejects.AddRow();
    rejects.SetInt64(0, row, report.ingest_id);
    rejects.SetString(1, row, source_name);
    rejects.SetInt64(2, row, static_cast<int64_t>(r.line));
    rejects.SetInt64(3, row, static_cast<int64_t>(r.byte_offset));
    if (!r.column.empty()) rejects.SetString(4, row, r.column);
    rejects.SetString(5, row, r.code);
    rejects.SetString(6, row, r.message);
    rejects.SetString(7, row, r.raw);
    if (!rejects.full()) return Status::Ok();
    Status st = rejects_app->Append(rejects);
    rejects.Clear();
    return st;
  }));
  EARSHOT_RETURN_IF_ERROR(rejects_app->Append(rejects));
  EARSHOT_RETURN_IF_ERROR(rejects_app->Close());
  if (progress_) progress_({"loading", mapper->file_size(), mapper->file_size(), records});

  if (report.replaced_ingest != 0) {
    const std::string prev = std::to_string(report.replaced_ingest);
    std::string sql;
    if (report.source == Source::kEvents) {
      // Rows of other files marked as repeats of this file's old rows may be
      // first occurrences now: release their marks; CountDuplicates re-ranks them.
      sql = "CREATE OR REPLACE TEMP TABLE earshot_released AS SELECT DISTINCT d.event_id "
            "FROM raw.event_duplicates d WHERE d.ingest_id <> " + prev +
            " AND d.event_id IN (SELECT event_id FROM raw.events WHERE ingest_id = " + prev + ");"
            "DELETE FROM raw.event_duplicates WHERE event_id IN (SELECT event_id FROM earshot_released);"
            "DELETE FROM raw.event_duplicates WHERE ingest_id = " + prev + ";";
    }
    EARSHOT_RETURN_IF_ERROR(wh_.Execute(
        sql + "DELETE FROM raw." + std::string(RawTable(report.source)) + " WHERE ingest_id = " + prev + ";"
        "UPDATE raw.ingests SET status = 'replaced', replaced_by = " + id_sql + " WHERE ingest_id = " + prev + ";"));
  }
  EARSHOT_RETURN_IF_ERROR(CountDuplicates(report, *mapper));
  report.accepted -= report.duplicates;
  report.rows_in = report.accepted + report.rejected + report.duplicates;
  EARSHOT_RETURN_IF_ERROR(wh_.Execute(
      "UPDATE raw.ingests SET status = 'loaded', sha256 = " + SqlQuote(landed.sha256) + ", archive_object = " +
      SqlQuote(landed.object.string()) + ", finished_at = " + warehouse::SqlNow() + ", rows_in = " +
      std::to_string(report.rows_in) + ", accepted = " + std::to_string(report.accepted) +
      ", rejected = " + std::to_string(report.rejected) + ", duplicates = " + std::to_string(report.duplicates) +
      ", replaces = " + (report.replaced_ingest ? std::to_string(report.replaced_ingest) : "NULL") +
      " WHERE ingest_id = " + id_sql));
  return wh_.Execute("COMMIT");
}

Status Ingestor::Journal(const landing::RawArchive& archive, const std::filesystem::path& file,
                         const landing::LandedFile& landed, const IngestReport& report) {
  // A replay (rebuild, backfill) re-reads what the journal already holds.
  if (replay_ || journaled_ == report.ingest_id) return Status::Ok();
  journaled_ = report.ingest_id;
  return archive.Journal("{\"ingest_id\":" + std::to_string(report.ingest_id) + ",\"source\":" +
                         JsonString(SourceName(report.source)) +
                         (report.provider.empty() ? "" : ",\"provider\":" + JsonString(report.provider)) +
                         ",\"file_name\":" + JsonString(report.file_name) + ",\"original_path\":" +
                         JsonString(std::filesystem::absolute(file).string()) + ",\"sha256\":" +
                         JsonString(landed.sha256) + ",\"bytes\":" + std::to_string(landed.bytes) + "}");
}

Result<bool> Ingestor::FindSameBytes(const std::string& same_origin, const std::string& sha256,
                                     IngestReport& report) {
  report.sha256 = sha256;
  EARSHOT_ASSIGN_OR_RETURN(auto same, wh_.QueryInt("SELECT min(ingest_id) FROM raw.ingests WHERE " + same_origin +
                                                   " AND sha256 = " + SqlQuote(sha256) + " AND status = 'loaded'"));
  if (!same) return false;
  report.already_ingested = true;
  report.ingest_id = *same;
  EARSHOT_ASSIGN_OR_RETURN(auto t, wh_.Query("SELECT bytes, rows_in, accepted, rejected, duplicates FROM raw.ingests "
                                             "WHERE ingest_id = " + std::to_string(*same)));
  if (!t.rows.empty()) {
    report.bytes = std::stoull(t.rows[0][0].value_or("0"));
    report.rows_in = std::stoull(t.rows[0][1].value_or("0"));
    report.accepted = std::stoull(t.rows[0][2].value_or("0"));
    report.rejected = std::stoull(t.rows[0][3].value_or("0"));
    report.duplicates = std::stoull(t.rows[0][4].value_or("0"));
  }
  return true;
}

Status Ingestor::CountDuplicates(IngestReport& report, const RecordMapper& mapper) {
  const std::string id = std::to_string(report.ingest_id);
  if (const char* key = CatalogKey(report.source)) {
    EARSHOT_ASSIGN_OR_RETURN(auto n, wh_.QueryInt("SELECT count(*) - count(DISTINCT (" + std::string(key) + ")) FROM raw." +
                                                  std::string(RawTable(report.source)) + " WHERE ingest_id = " + id));
    report.duplicates = static_cast<uint64_t>(n.value_or(0));
    return Status::Ok();
  }
  if (report.source == Source::kListens) {
    // An instant event repeated with the same (provider, event_id), in this
    // delivery or one loaded before, counts once: the repeats are duplicates.
    const std::string provider = SqlQuote(report.provider);
    EARSHOT_ASSIGN_OR_RETURN(
        auto n, wh_.QueryInt(
                    "WITH mine AS (SELECT DISTINCT event_id FROM raw.listens WHERE ingest_id = " + id +
                    " AND event_id IS NOT NULL), "
                    "ranked AS (SELECT l.ingest_id, row_number() OVER (PARTITION BY l.event_id ORDER BY l.ingest_id, "
                    "l.line) AS rn FROM raw.listens l WHERE l.provider = " + provider +
                    " AND l.event_id IN (SELECT event_id FROM mine) AND (l.ingest_id = " + id +
                    " OR l.ingest_id IN (SELECT ingest_id FROM raw.ingests WHERE source = 'listens' AND status = "
                    "'loaded' AND provider = " + provider + "))) "
                    "SELECT count(*) FROM ranked WHERE rn > 1 AND ingest_id = " + id));
    report.duplicates = static_cast<uint64_t>(n.value_or(0));
    return Status::Ok();
  }
  if (report.source == Source::kPlaylists) {
    // A user on several lines: the last line wins, earlier lines are superseded.
    EARSHOT_ASSIGN_OR_RETURN(auto n, wh_.QueryInt("SELECT count(*) - count(DISTINCT user_id) FROM raw.recommendations "
                                                  "WHERE ingest_id = " + id + " AND playlist IS NULL"));
    report.duplicates = static_cast<uint64_t>(n.value_or(0));
    return Status::Ok();
  }
  // A repeated eventId is a duplicate of its first occurrence (in ingest
  // order, then line order), within this file and against the files already
  // loaded. The mapper's filter names the few ids that may repeat inside the
  // file; ids shared with other loaded files are found by a join. Only those
  // are ranked exactly, and the duplicates' lines recorded for the models.
  EARSHOT_ASSIGN_OR_RETURN(auto others, wh_.QueryInt("SELECT count(*) FROM raw.ingests WHERE source = 'events' "
                                                     "AND status = 'loaded'"));
  const auto* candidates = mapper.DuplicateCandidates();
  const bool has_others = others.value_or(0) > 0;
  const bool released = report.replaced_ingest != 0;
  if (!has_others && !released && (candidates == nullptr || candidates->empty())) return Status::Ok();

  // The ids to rank: the filter's candidates, ids this file shares with the
  // files already loaded, and ids whose marks a replacement released.
  std::vector<std::string> ids;
  if (candidates != nullptr) ids.assign(candidates->begin(), candidates->end());
  std::string shared_sql;
  if (has_others) {
    shared_sql = "SELECT DISTINCT e.event_id FROM raw.events e WHERE e.ingest_id = " + id +
                 " AND e.event_id IN (SELECT o.event_id FROM raw.events o WHERE o.ingest_id IN "
                 "(SELECT ingest_id FROM raw.ingests WHERE source = 'events' AND status = 'loaded'))";
  }
  if (released) shared_sql += std::string(shared_sql.empty() ? "" : " UNION ") + "SELECT event_id FROM earshot_released";
  if (!shared_sql.empty()) {
    EARSHOT_RETURN_IF_ERROR(wh_.QueryEach(shared_sql, [&](const Table& chunk) {
      for (const auto& row : chunk.rows) {
        if (row[0]) ids.push_back(*row[0]);
      }
    }));
  }
  EARSHOT_ASSIGN_OR_RETURN(auto current, wh_.Query("SELECT ingest_id FROM raw.ingests WHERE source = 'events' "
                                                   "AND status = 'loaded'"));
  std::string current_ids = id;
  for (const auto& row : current.rows) current_ids += ", " + row[0].value_or("0");

  if (!ids.empty()) {
    // A literal IN list becomes a filter inside the scan: no join over the
    // whole table, so memory stays flat. A huge list goes through a table.
    constexpr size_t kLiteralIds = 20000;
    std::string filter;
    if (ids.size() <= kLiteralIds) {
      for (const std::string& c : ids) filter += (filter.empty() ? "" : ", ") + SqlQuote(c);
      filter = "e.event_id IN (" + filter + ")";
    } else {
      EARSHOT_RETURN_IF_ERROR(wh_.Execute("CREATE OR REPLACE TEMP TABLE earshot_dup_ids (event_id VARCHAR)"));
      std::string insert;
      for (size_t n = 0; n < ids.size(); ++n) {
        insert += (n % 1000 == 0 ? "INSERT INTO earshot_dup_ids VALUES (" : ", (") + SqlQuote(ids[n]) + ")";
        if ((n + 1) % 1000 == 0 || n + 1 == ids.size()) {
          EARSHOT_RETURN_IF_ERROR(wh_.Execute(insert));
          insert.clear();
        }
      }
      filter = "e.event_id IN (SELECT event_id FROM earshot_dup_ids)";
    }
    // Rows of this ingest that repeat an earlier row; with a replacement, also
    // rows of other files whose released marks must be decided again.
    const std::string marked = released
                                   ? "(ingest_id = " + id + " OR event_id IN (SELECT event_id FROM earshot_released))"
                                   : "ingest_id = " + id;
    EARSHOT_RETURN_IF_ERROR(wh_.Execute(
        "INSERT INTO raw.event_duplicates "
        "WITH matching AS (SELECT e.ingest_id, e.line, e.event_id FROM raw.events e WHERE " + filter + "), "
        "ranked AS (SELECT m.ingest_id, m.line, m.event_id, "
        "           row_number() OVER (PARTITION BY m.event_id ORDER BY m.ingest_id, m.line) AS rn "
        "           FROM matching m WHERE m.ingest_id IN (" + current_ids + ")) "
        "SELECT ingest_id, line, event_id FROM ranked WHERE rn > 1 AND " + marked));
  }
  EARSHOT_RETURN_IF_ERROR(wh_.Execute("DROP TABLE IF EXISTS earshot_dup_ids; DROP TABLE IF EXISTS earshot_released"));
  EARSHOT_ASSIGN_OR_RETURN(auto n, wh_.QueryInt("SELECT count(*) FROM raw.event_duplicates WHERE ingest_id = " + id));
  report.duplicates = static_cast<uint64_t>(n.value_or(0));
  return Status::Ok();
}

}  // namespace earshot::ingest
