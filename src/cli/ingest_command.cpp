#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "ingest/ingest_runner.h"

namespace earshot::cli {

namespace {

std::string Count(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

void PrintReport(const ingest::IngestReport& r, const std::string& file) {
  if (r.already_ingested) {
    std::cout << file << ": already ingested (ingest #" << r.ingest_id << ", same bytes, sha256 "
              << r.sha256.substr(0, 12) << "): nothing to do\n";
    return;
  }
  std::cout << file << ": ingest #" << r.ingest_id << " (" << ingest::SourceName(r.source) << ") "
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

int IngestFiles(const config::Project& project, warehouse::Warehouse& wh, const std::vector<std::string>& files,
                std::optional<ingest::Source> source) {
  ProgressLine progress;
  auto started = std::chrono::steady_clock::now();
  std::string current;
  ingest::Ingestor ingestor(project, wh, [&](const ingest::IngestProgress& p) {
    if (!progress.enabled()) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char line[256];
    double pct = p.bytes_total ? 100.0 * static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total) : 100;
    std::snprintf(line, sizeof line, "%s %s: %s / %s (%.0f%%), %s rows, %.0f rows/s", std::string(p.phase).c_str(),
                  current.c_str(), HumanBytes(static_cast<double>(p.bytes_done)).c_str(),
                  HumanBytes(static_cast<double>(p.bytes_total)).c_str(), pct, Count(p.records).c_str(),
                  secs > 0 ? static_cast<double>(p.records) / secs : 0.0);
    progress.Update(line);
  });
  int code = kExitOk;
  for (const std::string& file : files) {
    current = file;
    started = std::chrono::steady_clock::now();
    auto report = ingestor.Ingest(file, source);
    progress.Done();
    if (!report.ok()) {
      code = Fail(report.status().WithContext("ingest " + file));
      continue;
    }
    PrintReport(*report, file);
  }
  return code;
}

void AddIngestCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::vector<std::string> files;
    std::string source;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand("ingest", "Land files in the raw archive, validate them and load the warehouse");
  AddProjectOption(verb, opts->project);
  verb->add_option("FILE", opts->files, "Files to ingest")->required();
  verb->add_option("--source", opts->source, "events or playlists (default: recognised from the content)")
      ->check(CLI::IsMember({"events", "playlists"}));
  verb->callback([opts, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    auto wh = OpenWorking(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status());
      return;
    }
    std::optional<ingest::Source> source;
    if (!opts->source.empty()) source = ingest::ParseSource(opts->source);
    exit_code = IngestFiles(*project, **wh, opts->files, source);
  });
}

}  // namespace earshot::cli
