#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "reports/playlist_popularity_report.h"

namespace earshot::cli {

namespace {

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return buf;
}

}  // namespace

int PrintPlaylistPopularity(const config::Project& project, const std::string& format, const std::string& output) {
  auto wh = OpenPublished(project);
  if (!wh.ok()) return Fail(wh.status());
  auto table = (*wh)->Query(
      "SELECT playlist, seconds_streamed, streams, listeners, share_of_seconds FROM playlist_popularity "
      "ORDER BY playlist");
  if (!table.ok()) return Fail(table.status());
  std::string text;
  if (format == "html") {
    auto html = reports::RenderPopularityHtml(*table, NowUtc());
    if (!html.ok()) return Fail(html.status());
    text = *html;
  } else if (format == "table") {
    auto t = reports::RenderPopularityText(*table);
    if (!t.ok()) return Fail(t.status());
    text = *t;
  } else {
    if (!output.empty()) return Fail(Status::Invalid("--output goes with --format html"));
    return PrintTable(*table, format);
  }
  if (output.empty()) {
    std::cout << text;
    return kExitOk;
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out) return Fail(Status::IoError("cannot write " + output));
  std::cout << "wrote " << output << "\n";
  return kExitOk;
}

void AddReportCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string name;
    std::string format = "table";
    std::string output;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand("report", "Print a report from the published marts");
  AddProjectOption(verb, opts->project);
  verb->add_option("REPORT", opts->name, "Which report: playlist-popularity")
      ->required()
      ->check(CLI::IsMember({"playlist-popularity"}));
  verb->add_option("--format", opts->format, "table, csv, json or html")
      ->check(CLI::IsMember({"table", "csv", "json", "html"}))
      ->default_val("table");
  verb->add_option("--output,-o", opts->output, "Write the report to FILE instead of stdout")->type_name("FILE");
  verb->callback([opts, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    exit_code = PrintPlaylistPopularity(*project, opts->format, opts->output);
  });
}

}  // namespace earshot::cli
