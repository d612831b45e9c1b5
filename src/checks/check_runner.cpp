#include "checks/check_runner.h"

#include <cmath>
#include <cstdio>

#include "checks/check_sql.h"

namespace earshot::checks {

using config::CheckType;
using warehouse::SqlIdentifier;
using warehouse::SqlQuote;

namespace {

constexpr int kSampleRows = 3;

std::string Fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

CheckResult Errored(const config::CheckSpec& spec, const Status& st) {
  CheckResult r{spec};
  r.outcome = Outcome::kError;
  r.detail = "could not run: " + st.message();
  return r;
}

// "podcast_id=p1, month=NULL; podcast_id=p2, month=NULL"
std::string Sample(const Table& t) {
  std::string out;
  for (const auto& row : t.rows) {
    std::string one;
    for (size_t c = 0; c < t.columns.size() && c < row.size(); ++c) {
      one += (one.empty() ? "" : ", ") + t.columns[c].name + "=" + row[c].value_or("NULL");
    }
    out += (out.empty() ? "" : "; ") + one;
  }
  return out;
}

std::string WhatFails(const config::CheckSpec& spec) {
  std::string cols;
  for (const std::string& c : spec.columns) cols += (cols.empty() ? "" : ", ") + c;
  switch (spec.type) {
    case CheckType::kNotNull: return "with NULL in " + cols;
    case CheckType::kUnique: return "repeated (" + cols + ") values";
    case CheckType::kAcceptedValues: return "with " + cols + " not among the accepted values";
    case CheckType::kRange: {
      std::string bounds = spec.min && spec.max ? "[" + SqlNumber(*spec.min) + ", " + SqlNumber(*spec.max) + "]"
                           : spec.min           ? ">= " + SqlNumber(*spec.min)
                                                : "<= " + SqlNumber(*spec.max);
      return "with " + cols + " outside " + bounds;
    }
    case CheckType::kRelationships:
      return "with a " + cols + " missing from " + spec.to_table + "." + spec.to_column;
    default: return "";
  }
}

CheckResult RowCheck(warehouse::Warehouse& wh, const config::CheckSpec& spec, const CheckTarget& target) {
  const std::string failing = FailingRowsSql(spec, target.marts_catalog);
  auto n = wh.QueryInt("SELECT count(*) FROM (" + failing + ")");
  if (!n.ok()) return Errored(spec, n.status());
  CheckResult r{spec};
  r.failing_rows = n->value_or(0);
  if (r.failing_rows == 0) return r;
  r.outcome = Outcome::kFail;
  const char* unit = spec.type == CheckType::kUnique ? "key" : "row";
  const char* units = spec.type == CheckType::kUnique ? "keys" : "rows";
  r.detail = Plural(r.failing_rows, unit, units) + " " + WhatFails(spec);
  auto sample = wh.Query("SELECT * FROM (" + failing + ") LIMIT " + std::to_string(kSampleRows));
  if (sample.ok() && !sample->rows.empty()) r.detail += ", e.g. " + Sample(*sample);
  return r;
}

CheckResult RowCountChange(warehouse::Warehouse& wh, const config::CheckSpec& spec, const CheckTarget& target) {
  auto n = wh.QueryInt("SELECT count(*) FROM " + TableRef(spec.table, target.marts_catalog));
  if (!n.ok()) return Errored(spec, n.status());
  CheckResult r{spec};
  const double rows = static_cast<double>(n->value_or(0));
  r.observed = rows;
  // The last count stored for each of the last `history` published builds
  // other than this one.
  auto history = wh.Query(
      "SELECT avg(observed), count(*) FROM (SELECT build_id, arg_max(observed, checked_at) AS observed "
      "FROM raw.check_results WHERE check_name = " + SqlQuote(spec.name) +
      " AND outcome <> 'error' AND observed IS NOT NULL AND build_id <> " + std::to_string(target.build_id) +
      " AND build_id IN (SELECT build_id FROM raw.builds WHERE status = 'published') "
      "GROUP BY build_id ORDER BY build_id DESC LIMIT " + std::to_string(spec.history) + ")");
  if (!history.ok()) return Errored(spec, history.status());
  const auto& row = history->rows.at(0);
  const int64_t builds = std::stoll(row[1].value_or("0"));
  if (builds == 0 || !row[0]) {
    r.detail = Fixed(rows, 0) + " rows; no earlier published build to compare with yet";
    return r;
  }
  const double avg = std::stod(*row[0]);
  const double change = avg == 0 ? (rows == 0 ? 0 : INFINITY) : std::fabs(rows - avg) / avg;
  r.detail = Fixed(rows, 0) + " rows vs a trailing average of " + Fixed(avg, 1) + " over " +
             Plural(builds, "build", "builds") + ": " + (rows >= avg ? "+" : "-") +
             (std::isinf(change) ? std::string("inf") : Fixed(100 * change, 1)) + "% (allowed " +
             Fixed(100 * spec.max_change, 1) + "%)";
  if (change > spec.max_change) {
    r.outcome = Outcome::kFail;
    r.failing_rows = 1;
  }
  return r;
}

CheckResult Freshness(warehouse::Warehouse& wh, const config::CheckSpec& spec, const CheckTarget& target) {
  // The moment the newest data reaches: the end of its day (daily counts,
  // the days of instant events are not used, their timestamps are), the end
  // of its month (monthly), or the newest timestamp.
  std::string newest;
  std::string what;
  if (!spec.provider.empty()) {
    newest = "SELECT max(CASE delivery WHEN 'monthly' THEN period + INTERVAL 1 MONTH "
             "WHEN 'instant' THEN listened_at ELSE period + INTERVAL 1 DAY END) AS newest "
             "FROM raw.listens WHERE provider = " + SqlQuote(spec.provider);
    what = "the newest listens of provider " + spec.provider;
  } else if (!spec.source.empty()) {
    newest = "SELECT max(finished_at) AS newest FROM raw.ingests WHERE source = " + SqlQuote(spec.source) +
             " AND status IN ('loaded', 'replaced')";
    what = "the newest ingest of " + spec.source;
  } else {
    newest = "SELECT max(" + SqlIdentifier(spec.columns.at(0)) + ")::TIMESTAMP AS newest FROM " +
             TableRef(spec.table, target.marts_catalog);
    what = "the newest " + spec.table + "." + spec.columns.at(0);
  }
  auto t = wh.Query("SELECT strftime(newest, '%Y-%m-%d %H:%M:%S') AS at, CAST(epoch_ms(newest) AS BIGINT) AS ms "
                    "FROM (" + newest + ")");
  if (!t.ok()) return Errored(spec, t.status());
  CheckResult r{spec};
  const auto& row = t->rows.at(0);
  if (!row[1]) {
    r.outcome = Outcome::kFail;
    r.failing_rows = 1;
    r.detail = "no data: " + what + " is missing (allowed age " + Fixed(spec.max_age_hours, 1) + " h)";
    return r;
  }
  const double now_ms =
      static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(target.now.time_since_epoch()).count());
  const double age_hours = (now_ms - std::stod(*row[1])) / 3'600'000.0;
  r.observed = age_hours;
  r.detail = what + " reaches " + row[0].value_or("?") + " UTC, " + Fixed(age_hours, 1) + " h ago (allowed " +
             Fixed(spec.max_age_hours, 1) + " h)";
  if (age_hours > spec.max_age_hours) {
    r.outcome = Outcome::kFail;
    r.failing_rows = 1;
  }
  return r;
}

}  // namespace

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kError: return "error";
  }
  return "error";
}

Result<AttachedSnapshot> AttachedSnapshot::Attach(warehouse::Warehouse& wh, const std::filesystem::path& file,
                                                  std::string alias) {
  if (!std::filesystem::exists(file)) {
    return Status::NotFound("no snapshot at " + file.string() + ": run `earshot build` (or `earshot run`) first");
  }
  (void)wh.Execute("DETACH DATABASE IF EXISTS " + alias);
  EARSHOT_RETURN_IF_ERROR(wh.Execute("ATTACH " + SqlQuote(file.string()) + " AS " + alias + " (READ_ONLY)"));
  AttachedSnapshot attached(wh, alias, 0);
  auto id = wh.QueryInt("SELECT max(build_id) FROM " + alias + ".main.earshot_build");
  if (id.ok()) attached.build_id_ = id->value_or(0);
  return attached;
}

AttachedSnapshot::AttachedSnapshot(AttachedSnapshot&& other) noexcept
    : wh_(other.wh_), alias_(std::move(other.alias_)), build_id_(other.build_id_) {
  other.wh_ = nullptr;
}

AttachedSnapshot::~AttachedSnapshot() {
  if (wh_ != nullptr) (void)wh_->Execute("DETACH DATABASE IF EXISTS " + alias_);
}

Status EnsureCheckSchema(warehouse::Warehouse& wh) {
  return wh.Execute(R"sql(
    CREATE SCHEMA IF NOT EXISTS raw;
    CREATE TABLE IF NOT EXISTS raw.check_results (
      run_id BIGINT,             -- NULL for `earshot check`
      build_id BIGINT,           -- the build of the snapshot checked
      check_name VARCHAR NOT NULL,
      table_name VARCHAR,
      check_type VARCHAR,
      severity VARCHAR,          -- warn | error
      outcome VARCHAR NOT NULL,  -- pass | fail | error
      failing_rows BIGINT,
      observed DOUBLE,           -- row_count_change: rows; freshness: age in hours
      detail VARCHAR,
      checked_at TIMESTAMP);
  )sql");
}

CheckResult RunCheck(warehouse::Warehouse& wh, const config::CheckSpec& spec, const CheckTarget& target) {
  switch (spec.type) {
    case CheckType::kRowCountChange: return RowCountChange(wh, spec, target);
    case CheckType::kFreshness: return Freshness(wh, spec, target);
    default: return RowCheck(wh, spec, target);
  }
}

Result<std::vector<CheckResult>> RunAndStoreChecks(warehouse::Warehouse& wh, const std::vector<config::CheckSpec>& specs,
                                                   const CheckTarget& target) {
  EARSHOT_RETURN_IF_ERROR(EnsureCheckSchema(wh));
  std::vector<CheckResult> results;
  for (const config::CheckSpec& spec : specs) {
    results.push_back(RunCheck(wh, spec, target));
    const CheckResult& r = results.back();
    EARSHOT_RETURN_IF_ERROR(wh.Execute(
        "INSERT INTO raw.check_results VALUES (" + (target.run_id ? std::to_string(*target.run_id) : "NULL") + ", " +
        std::to_string(target.build_id) + ", " + SqlQuote(spec.name) + ", " + SqlQuote(spec.table) + ", " +
        SqlQuote(config::CheckTypeName(spec.type)) + ", " + SqlQuote(config::SeverityName(spec.severity)) + ", " +
        SqlQuote(OutcomeName(r.outcome)) + ", " + std::to_string(r.failing_rows) + ", " +
        (r.observed && std::isfinite(*r.observed) ? SqlNumber(*r.observed) : "NULL") + ", " + SqlQuote(r.detail) +
        ", " + warehouse::SqlNow() + ")"));
  }
  return results;
}

Table ResultsTable(const std::vector<CheckResult>& results) {
  Table t;
  t.columns = {{"check", ValueKind::kText},        {"table", ValueKind::kText},
               {"type", ValueKind::kText},         {"severity", ValueKind::kText},
               {"outcome", ValueKind::kText},      {"failing_rows", ValueKind::kInteger},
               {"observed", ValueKind::kDecimal},  {"detail", ValueKind::kText}};
  for (const CheckResult& r : results) {
    std::optional<std::string> observed;
    if (r.observed && std::isfinite(*r.observed)) observed = Fixed(*r.observed, 2);
    t.rows.push_back({r.spec.name, r.spec.table, std::string(config::CheckTypeName(r.spec.type)),
                      std::string(config::SeverityName(r.spec.severity)), std::string(OutcomeName(r.outcome)),
                      std::to_string(r.failing_rows), observed, r.detail});
  }
  return t;
}

}  // namespace earshot::checks
