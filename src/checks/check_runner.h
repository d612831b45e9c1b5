// Running the [[checks]] of earshot.toml against a marts snapshot (attached
// read-only to the working warehouse) and the raw tables, and keeping their
// results in raw.check_results:
//   (run_id, build_id, check_name, table_name, check_type, severity, outcome,
//    failing_rows, observed, detail, checked_at)
// outcome: pass | fail | error (the check itself could not run, e.g. a
// missing table). `observed` is the row count for row_count_change (its
// history: the trailing average is taken over the counts stored for earlier
// published builds) and the age in hours for freshness.
// A failed or errored check of severity error blocks publishing; warn only
// reports. Not thread-safe (one Warehouse connection).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/table.h"
#include "config/project.h"
#include "warehouse/warehouse.h"

namespace earshot::checks {

enum class Outcome { kPass, kFail, kError };
std::string_view OutcomeName(Outcome o);

struct CheckResult {
  config::CheckSpec spec;
  Outcome outcome = Outcome::kPass;
  int64_t failing_rows = 0;
  std::optional<double> observed;
  std::string detail;  // what failed and an example, for the person reading
  bool blocks() const { return outcome != Outcome::kPass && spec.severity == config::Severity::kError; }
};

// What the checks look at.
struct CheckTarget {
  std::string marts_catalog;  // the attached snapshot
  int64_t build_id = 0;       // the build that made it (0: unknown)
  std::optional<int64_t> run_id;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// A marts snapshot attached read-only to the working warehouse for as long
// as this lives.
class AttachedSnapshot {
 public:
  // Attaches `file` as `alias` and reads the build id it records. kNotFound
  // when the file does not exist; the warehouse's error otherwise.
  static Result<AttachedSnapshot> Attach(warehouse::Warehouse& wh, const std::filesystem::path& file,
                                         std::string alias);
  AttachedSnapshot(AttachedSnapshot&& other) noexcept;
  AttachedSnapshot(const AttachedSnapshot&) = delete;
  AttachedSnapshot& operator=(const AttachedSnapshot&) = delete;
  AttachedSnapshot& operator=(AttachedSnapshot&&) = delete;
  ~AttachedSnapshot();

  const std::string& alias() const { return alias_; }
  int64_t build_id() const { return build_id_; }

 private:
  AttachedSnapshot(warehouse::Warehouse& wh, std::string alias, int64_t build_id)
      : wh_(&wh), alias_(std::move(alias)), build_id_(build_id) {}
  warehouse::Warehouse* wh_;
  std::string alias_;
  int64_t build_id_;
};

// Creates raw.check_results when missing. Idempotent.
Status EnsureCheckSchema(warehouse::Warehouse& wh);

// Runs one check. Never fails: a check that cannot run is Outcome::kError
// with the reason in `detail`.
CheckResult RunCheck(warehouse::Warehouse& wh, const config::CheckSpec& spec, const CheckTarget& target);

// Runs every check in order and stores the results. Fails only when the
// results cannot be stored.
Result<std::vector<CheckResult>> RunAndStoreChecks(warehouse::Warehouse& wh, const std::vector<config::CheckSpec>& specs,
                                                   const CheckTarget& target);

// The results as a table for the terminal: check, table, type, severity,
// outcome, failing_rows, observed, detail.
Table ResultsTable(const std::vector<CheckResult>& results);

}  // namespace earshot::checks
