#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "ingest/ingest_files.h"
#include "reports/number_format.h"

namespace earshot::cli {

namespace {

std::string Count(uint64_t n) { return reports::FormatThousands(static_cast<int64_t>(n)); }

void PrintReport(const ingest::IngestReport& r, const std::string& file) {
  if (r.already_ingested) {
    std::cout << file << ": already ingested (ingest #" << r.ingest_id << ", same bytes, sha256 "
              << r.sha256.substr(0, 12) << "): nothing to do\n";
    return;
  }
  std::cout << file << ": ingest #" << r.ingest_id << " ("
            << (r.provider.empty() ? std::string(ingest::SourceName(r.source)) : "provider " + r.provider) << ") "
            << Count(r.rows_in) << " rows in: " << Count(r.accepted) << " accepted, " << Count(r.rejected)
            << " rejected, " << Count(r.duplicates) << " duplicates";
  if (r.replaced_ingest != 0) std::cout << "; replaces ingest #" << r.replaced_ingest;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", r.seconds);
  std::cout << " [" << HumanBytes(static_cast<double>(r.bytes)) << ", " << secs << " s]\n";
  for (const auto& rej : r.sample_rejects) {
    std::cout << "  rejected " << file << ":" << rej.line << " " << rej.code
              << (rej.column.empty() ? "" : " (" + rej.column + ")") << ": " << rej.message << "\n";
  }
  if (r.rejected > r.sample_rejects.size()) {
    std::cout << "  ... " << Count(r.rejected - r.sample_rejects.size())
              << " more: see them all with `earshot status --rejects " << r.ingest_id << "`\n";
  }
}

}  // namespace

int RunIngest(const config::Project& project, warehouse::Warehouse& wh,
                const std::vector<ingest::FileToIngest>& files) {
  ProgressLine progress;
  std::mutex mu;
  std::map<std::string, ingest::IngestProgress> state;  // per file, as last reported
  const auto started = std::chrono::steady_clock::now();
  auto on_progress = [&](const std::filesystem::path& file, const ingest::IngestProgress& p) {
    if (!progress.enabled()) return;
    std::lock_guard<std::mutex> lock(mu);
    state[file.filename().string()] = p;
    std::string line;
    uint64_t records = 0;
    for (const auto& [name, s] : state) {
      double pct = s.bytes_total ? 100.0 * static_cast<double>(s.bytes_done) / static_cast<double>(s.bytes_total) : 100;
      char part[160];
      std::snprintf(part, sizeof part, "%s%s %s %.0f%% of %s", line.empty() ? "" : " | ", std::string(s.phase).c_str(),
                    name.c_str(), pct, HumanBytes(static_cast<double>(s.bytes_total)).c_str());
      line += part;
      records += s.records;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char tail[96];
    std::snprintf(tail, sizeof tail, " | %s rows, %.0f rows/s", Count(records).c_str(),
                  secs > 0 ? static_cast<double>(records) / secs : 0.0);
    progress.Update(line + tail);
  };
  auto outcomes = ingest::IngestFiles(project, wh, files, on_progress);
  progress.Done();
  int code = kExitOk;
  for (const auto& outcome : outcomes) {
    if (!outcome.status.ok()) {
      code = Fail(outcome.status.WithContext("ingest " + outcome.file.string()));
      continue;
    }
    PrintReport(outcome.report, outcome.file.string());
  }
  return code;
}

void AddIngestCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::vector<std::string> files;
    std::string source;
    std::string provider;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand("ingest", "Land files in the raw archive, validate them and load the warehouse");
  AddProjectOption(verb, opts->project);
  verb->add_option("FILE", opts->files, "Files to ingest")->required();
  auto* source_opt = verb->add_option("--source", opts->source,
                                  "events, playlists, or a podcast catalog: podcasts, episodes, creators, "
                                  "episode_credits (default: recognised from the content)")
                     ->check(CLI::IsMember({"events", "playlists", "podcasts", "episodes", "creators", "episode_credits"}));
  verb->add_option("--provider", opts->provider, "A delivery of listens from this provider (declared in earshot.toml)")
      ->excludes(source_opt);
  verb->callback([opts, &exit_code] {
    auto open = OpenForWriting(opts->project);
    if (!open.ok()) {
      exit_code = Fail(open.status());
      return;
    }
    std::optional<ingest::Source> source;
    if (!opts->source.empty()) source = ingest::ParseSource(opts->source);
    std::vector<ingest::FileToIngest> files;
    for (const std::string& f : opts->files) files.push_back({f, source, opts->provider});
    exit_code = RunIngest(open->project, *open->wh, files);
  });
}

}  // namespace earshot::cli
