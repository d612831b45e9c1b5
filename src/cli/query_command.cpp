#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"

namespace earshot::cli {

void AddQueryCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string sql;
    std::string format = "table";
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "query", "Run read-only SQL on the published marts (personalized_playlists, "
               "personalized_playlist_streams, playlist_popularity)");
  AddProjectOption(verb, opts->project);
  verb->add_option("SQL", opts->sql, "The query")->required();
  verb->add_option("--format", opts->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->default_val("table");
  verb->callback([opts, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    auto wh = OpenPublished(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status());
      return;
    }
    auto table = (*wh)->Query(opts->sql);
    if (!table.ok()) {
      exit_code = Fail(table.status().WithContext("query"));
      return;
    }
    exit_code = PrintTable(*table, opts->format);
  });
}

}  // namespace earshot::cli
