#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"

namespace earshot::cli {

void AddStatusCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string format = "table";
    int64_t rejects_of = 0;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand("status", "Show every ingest (rows in, accepted, rejected, duplicates) and the last build");
  AddProjectOption(verb, opts->project);
  verb->add_option("--format", opts->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->default_val("table");
  verb->add_option("--rejects", opts->rejects_of, "List the rejected rows of ingest ID")->type_name("ID");
  verb->callback([opts, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    auto empty_project = [&] {
      if (opts->format == "json") {
        std::cout << "{\"ingests\": [], \"last_build\": []}\n";
      } else {
        std::cout << "Nothing ingested yet in " << project->root.string() << ": run `earshot ingest FILE`\n";
      }
      exit_code = kExitOk;
    };
    if (!std::filesystem::exists(project->warehouse_file())) return empty_project();
    auto wh = OpenWorkingReadOnly(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status());
      return;
    }
    auto has_manifest = (*wh)->QueryInt(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'ingests'");
    if (!has_manifest.ok()) {
      exit_code = Fail(has_manifest.status());
      return;
    }
    if (has_manifest->value_or(0) == 0) return empty_project();
    if (opts->rejects_of > 0) {
      auto rejects = (*wh)->Query("SELECT line, byte_offset, column_name, error_code, message, raw_text "
                                  "FROM raw.rejects WHERE ingest_id = " + std::to_string(opts->rejects_of) +
                                  " ORDER BY line");
      exit_code = rejects.ok() ? PrintTable(*rejects, opts->format) : Fail(rejects.status());
      return;
    }
    auto ingests = (*wh)->Query(
        "SELECT ingest_id, source, provider, file_name AS file, sha256, rows_in, accepted, rejected, duplicates, status, "
        "started_at, finished_at, message FROM raw.ingests ORDER BY ingest_id");
    if (!ingests.ok()) {
      exit_code = Fail(ingests.status());
      return;
    }
    auto builds = (*wh)->Query(
        "SELECT build_id, status, models, started_at, finished_at, published_at, message "
        "FROM raw.builds ORDER BY build_id DESC LIMIT 1");
    if (!builds.ok()) {
      exit_code = Fail(builds.status());
      return;
    }
    if (opts->format == "json") {
      std::cout << "{\"ingests\": ";
      PrintTable(*ingests, "json");
      std::cout << ", \"last_build\": ";
      PrintTable(*builds, "json");
      std::cout << "}\n";
    } else {
      std::cout << "Ingests\n";
      PrintTable(*ingests, "table");
      std::cout << "\nLast build\n";
      if (builds->rows.empty()) {
        std::cout << "(none yet: run `earshot build`)\n";
      } else {
        PrintTable(*builds, "table");
      }
    }
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
