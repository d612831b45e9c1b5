#include "ingest/ingest_files.h"

#include <map>
#include <thread>

#include "ingest/raw_schema.h"

namespace earshot::ingest {

std::vector<FileOutcome> IngestFiles(
    const config::Project& project, warehouse::Warehouse& wh, const std::vector<FileToIngest>& files,
    const std::function<void(const std::filesystem::path&, const IngestProgress&)>& progress) {
  std::vector<FileOutcome> outcomes(files.size());
  // Group by source, keeping the given order inside each group.
  std::map<Source, std::vector<size_t>> groups;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::filesystem::path& path = files[i].path;
    outcomes[i].file = path;
    if (!files[i].provider.empty()) {
      groups[Source::kListens].push_back(i);  // every provider's deliveries, in the order given
      continue;
    }
    if (files[i].source) {
      groups[*files[i].source].push_back(i);
      continue;
    }
    auto sniffed = std::filesystem::is_regular_file(path)
                       ? SniffSource(path)
                       : Result<Source>(Status::NotFound(path.string() + ": no such file (or not a regular file)"));
    if (sniffed.ok()) {
      groups[*sniffed].push_back(i);
    } else {
      outcomes[i].status = sniffed.status();
    }
  }
  if (Status st = EnsureRawSchema(wh); !st.ok()) {
    for (auto& [src, indexes] : groups) {
      for (size_t i : indexes) outcomes[i].status = st;
    }
    return outcomes;
  }

  auto run_group = [&](warehouse::Warehouse& conn, Source src, const std::vector<size_t>& indexes) {
    for (size_t i : indexes) {
      Ingestor one(project, conn, [&, i](const IngestProgress& p) {
        if (progress) progress(files[i].path, p);
      });
      auto report = one.Ingest(files[i].path, src, files[i].provider);
      if (report.ok()) {
        outcomes[i].report = std::move(report).value();
      } else {
        outcomes[i].status = report.status();
      }
    }
  };

  std::vector<std::unique_ptr<warehouse::Warehouse>> connections;
  std::vector<std::thread> workers;
  bool first = true;
  for (auto& [src, indexes] : groups) {
    if (first) {
      first = false;
      continue;  // the calling thread takes the first group
    }
    auto conn = wh.NewConnection();
    if (!conn.ok()) {
      for (size_t i : indexes) outcomes[i].status = conn.status();
      continue;
    }
    connections.push_back(std::move(conn).value());
    warehouse::Warehouse* c = connections.back().get();
    workers.emplace_back([&, c, src = src, idx = indexes] { run_group(*c, src, idx); });
  }
  if (!groups.empty()) run_group(wh, groups.begin()->first, groups.begin()->second);
  for (std::thread& t : workers) t.join();
  return outcomes;
}

}  // namespace earshot::ingest
