// `earshot report NAME`: the named reports, read from the published snapshot.
//
// The reports are one table (Reports() below): a name, what it shows, which
// of --month / --limit it takes, and its handler. table and html go through
// the renderers in src/reports; csv and json print the mart's own rows (the
// chosen month, in the report's order) through PrintTable.
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "reports/playlist_popularity_report.h"
#include "reports/podcast_creators_report.h"
#include "reports/podcast_episodes_report.h"
#include "reports/podcast_estimates_report.h"
#include "reports/podcast_marts.h"
#include "reports/podcast_months.h"
#include "reports/podcast_trends_report.h"

namespace earshot::cli {

namespace {

using reports::PodcastMart;

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return buf;
}

// Writes a rendered report to `output`, or to stdout when it is empty.
int Emit(const Result<std::string>& text, const std::string& output) {
  if (!text.ok()) return Fail(text.status());
  if (output.empty()) {
    std::cout << text.value();
    return kExitOk;
  }
  std::ofstream out(output, std::ios::binary);
  out << text.value();
  if (!out) return Fail(Status::IoError("cannot write " + output));
  std::cout << "wrote " << output << "\n";
  return kExitOk;
}

// What one `earshot report NAME ...` asked for.
struct ReportRequest {
  config::Project project;
  std::string format;  // table, csv, json or html
  std::string output;  // "" = stdout
  std::string month;   // "" = the newest month in the mart
  std::optional<std::size_t> limit;
};

// ---- podcast reports -------------------------------------------------------

// A SQL string literal. Months are checked to be 'YYYY-MM' before they get
// here, or come from the mart itself; quoting keeps even a bad one inert.
std::string SqlText(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

// The published podcast marts, read with the contract's columns.
class PodcastMarts {
 public:
  explicit PodcastMarts(warehouse::Warehouse& wh) : wh_(wh) {}

  // Fails with kNotFound when the snapshot has no such table yet.
  Status CheckExists(PodcastMart mart) {
    const std::string name(reports::MartName(mart));
    EARSHOT_ASSIGN_OR_RETURN(
        const std::optional<int64_t> count,
        wh_.QueryInt("SELECT count(*) FROM information_schema.tables WHERE table_name = " + SqlText(name)));
    if (count.value_or(0) > 0) return Status::Ok();
    return Status::NotFound("the published snapshot has no " + name +
                            " table: declare podcast providers in earshot.toml (earshot init --template podcasts), "
                            "ingest their deliveries, then run `earshot build`");
  }

  // The month to report: `requested` if the mart has it, else its newest.
  Result<std::string> ChooseMonth(PodcastMart mart, const std::string& requested) {
    EARSHOT_ASSIGN_OR_RETURN(
        const Table months,
        wh_.Query("SELECT DISTINCT month FROM " + std::string(reports::MartName(mart)) + " WHERE month IS NOT NULL"));
    std::set<std::string> distinct;
    for (const auto& row : months.rows) {
      if (!row.empty() && row[0]) distinct.insert(*row[0]);
    }
    return reports::ChooseMonth(distinct, requested, reports::MartName(mart));
  }

  // The mart's rows: of `month` only unless it is "" (all of them), in
  // `order_by` (SQL) when given, at most `limit` of them when given.
  Result<Table> Rows(PodcastMart mart, const std::string& month, std::string_view order_by = "",
                     std::optional<std::size_t> limit = std::nullopt) {
    std::string columns;
    for (const std::string_view column : reports::MartColumns(mart)) {
      columns += (columns.empty() ? "" : ", ") + std::string(column);
    }
    std::string sql = "SELECT " + columns + " FROM " + std::string(reports::MartName(mart));
    if (!month.empty()) sql += " WHERE month = " + SqlText(month);
    if (!order_by.empty()) sql += " ORDER BY " + std::string(order_by);
    if (limit) sql += " LIMIT " + std::to_string(*limit);
    return wh_.Query(sql);
  }

 private:
  warehouse::Warehouse& wh_;
};

struct PodcastReport {
  PodcastMart mart;
  bool monthly;  // has a month column, so takes --month
  // The order of csv/json rows: the order the renderers show.
  std::string_view order_by;
  Result<std::string> (*text)(const Table& rows, const reports::PodcastReportOptions& options);
  // Reads what the page needs (the chart wants every month) and renders it.
  Result<std::string> (*html)(PodcastMarts& marts, const reports::PodcastReportOptions& options);
};

const PodcastReport kPodcastEstimates = {
    PodcastMart::kMonthlyEstimates, true, "estimated_listens DESC NULLS LAST, podcast_title NULLS FIRST, podcast_id",
    reports::RenderPodcastEstimatesText,
    [](PodcastMarts& marts, const reports::PodcastReportOptions& options) -> Result<std::string> {
      EARSHOT_ASSIGN_OR_RETURN(const Table estimates, marts.Rows(PodcastMart::kMonthlyEstimates, ""));
      EARSHOT_ASSIGN_OR_RETURN(const Table trends, marts.Rows(PodcastMart::kTrends, options.month));
      return reports::RenderPodcastEstimatesHtml(estimates, trends, options, NowUtc());
    }};

const PodcastReport kPodcastTrends = {
    PodcastMart::kTrends, true,
    "trend_rank NULLS LAST, estimated_listens DESC NULLS LAST, podcast_title NULLS FIRST, podcast_id",
    reports::RenderPodcastTrendsText,
    [](PodcastMarts& marts, const reports::PodcastReportOptions& options) -> Result<std::string> {
      EARSHOT_ASSIGN_OR_RETURN(const Table trends, marts.Rows(PodcastMart::kTrends, ""));
      return reports::RenderPodcastTrendsHtml(trends, options, NowUtc());
    }};

const PodcastReport kCreatorPopularity = {
    PodcastMart::kCreatorPopularity, true,
    "rank NULLS LAST, attributed_listens DESC NULLS LAST, creator_name NULLS FIRST, creator_id",
    reports::RenderCreatorPopularityText,
    [](PodcastMarts& marts, const reports::PodcastReportOptions& options) -> Result<std::string> {
      EARSHOT_ASSIGN_OR_RETURN(const Table creators, marts.Rows(PodcastMart::kCreatorPopularity, options.month));
      return reports::RenderCreatorPopularityHtml(creators, options, NowUtc());
    }};

const PodcastReport kEpisodeFirst30Days = {
    PodcastMart::kEpisodeFirst30Days, false,
    "window_complete IS TRUE DESC, estimated_listens_30d DESC NULLS LAST, published_at DESC NULLS LAST, episode_id",
    reports::RenderEpisodeFirst30DaysText,
    [](PodcastMarts& marts, const reports::PodcastReportOptions& options) -> Result<std::string> {
      EARSHOT_ASSIGN_OR_RETURN(const Table episodes, marts.Rows(PodcastMart::kEpisodeFirst30Days, ""));
      return reports::RenderEpisodeFirst30DaysHtml(episodes, options, NowUtc());
    }};

int RunPodcastReport(const PodcastReport& report, const ReportRequest& request) {
  if (!request.output.empty() && (request.format == "csv" || request.format == "json")) {
    return Fail(Status::Invalid("--output goes with --format table or html; redirect csv and json instead"));
  }
  auto wh = OpenPublished(request.project);
  if (!wh.ok()) return Fail(wh.status());
  PodcastMarts marts(**wh);
  if (Status exists = marts.CheckExists(report.mart); !exists.ok()) return Fail(exists);

  reports::PodcastReportOptions options{"", request.limit};
  if (report.monthly) {
    auto month = marts.ChooseMonth(report.mart, request.month);
    if (!month.ok()) return Fail(month.status());
    options.month = *month;
  }
  if (request.format == "html") return Emit(report.html(marts, options), request.output);
  if (request.format == "table") {
    auto rows = marts.Rows(report.mart, options.month);
    if (!rows.ok()) return Fail(rows.status());
    return Emit(report.text(*rows, options), request.output);
  }
  // csv / json: the mart's rows, everything unless --limit says otherwise.
  auto rows = marts.Rows(report.mart, options.month, report.order_by, request.limit);
  if (!rows.ok()) return Fail(rows.status());
  return PrintTable(*rows, request.format);
}

// ---- the list of reports ---------------------------------------------------

struct ReportSpec {
  std::string_view name;
  std::string_view about;
  bool takes_month;
  bool takes_limit;
  std::function<int(const ReportRequest&)> run;
};

std::function<int(const ReportRequest&)> Podcast(const PodcastReport& report) {
  return [&report](const ReportRequest& request) { return RunPodcastReport(report, request); };
}

const std::vector<ReportSpec>& Reports() {
  static const std::vector<ReportSpec> reports = {
      {"playlist-popularity", "seconds, streams and listeners per personalized playlist", false, false,
       [](const ReportRequest& request) {
         return PrintPlaylistPopularity(request.project, request.format, request.output);
       }},
      {"podcast-estimates", "estimated listens per podcast in a month, with range and coverage", true, true,
       Podcast(kPodcastEstimates)},
      {"podcast-trends", "the fastest rising podcasts of a month (growth vs last month and over 3 months)", true, true,
       Podcast(kPodcastTrends)},
      {"creator-popularity", "hosts and guests by the listens of their episodes in a month", true, true,
       Podcast(kCreatorPopularity)},
      {"episode-first-30-days", "episodes by their listens in the 30 days after publication, complete windows first",
       false, true, Podcast(kEpisodeFirst30Days)},
  };
  return reports;
}

const ReportSpec* FindReport(const std::string& name) {
  for (const ReportSpec& spec : Reports()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string ReportList() {
  std::string list = "Reports:\n";
  for (const ReportSpec& spec : Reports()) {
    std::string flags =
        std::string(spec.takes_month ? " [--month YYYY-MM]" : "") + (spec.takes_limit ? " [--limit N]" : "");
    list += "  " + std::string(spec.name) + flags + "\n      " + std::string(spec.about) + "\n";
  }
  return list;
}

}  // namespace

int PrintPlaylistPopularity(const config::Project& project, const std::string& format, const std::string& output) {
  auto wh = OpenPublished(project);
  if (!wh.ok()) return Fail(wh.status());
  auto table = (*wh)->Query(
      "SELECT playlist, seconds_streamed, streams, listeners, share_of_seconds FROM playlist_popularity "
      "ORDER BY playlist");
  if (!table.ok()) return Fail(table.status());
  if (format == "html") return Emit(reports::RenderPopularityHtml(*table, NowUtc()), output);
  if (format == "table") return Emit(reports::RenderPopularityText(*table), output);
  if (!output.empty()) return Fail(Status::Invalid("--output goes with --format html"));
  return PrintTable(*table, format);
}

void AddReportCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string name;
    std::string format = "table";
    std::string output;
    std::string month;
    std::optional<std::size_t> limit;
  };
  auto opts = std::make_shared<Options>();
  std::vector<std::string> names;
  for (const ReportSpec& spec : Reports()) names.emplace_back(spec.name);

  auto* verb = app.add_subcommand("report", "Print a report from the published marts");
  AddProjectOption(verb, opts->project);
  verb->add_option("REPORT", opts->name, "Which report (listed below)")->required()->check(CLI::IsMember(names));
  verb->add_option("--format", opts->format, "table, csv, json or html")
      ->check(CLI::IsMember({"table", "csv", "json", "html"}))
      ->default_val("table");
  verb->add_option("--output,-o", opts->output, "Write the report to FILE instead of stdout")->type_name("FILE");
  verb->add_option("--month", opts->month, "The month to report (default: the newest in the mart)")
      ->type_name("YYYY-MM");
  verb->add_option("--limit", opts->limit,
                   "Show at most N rows (default: " + std::to_string(reports::kDefaultShownRows) +
                       " for table and html, all for csv and json)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  verb->footer(ReportList());
  verb->callback([opts, &exit_code] {
    const ReportSpec& spec = *FindReport(opts->name);  // IsMember checked the name
    if (!opts->month.empty() && !spec.takes_month) {
      exit_code = Fail(Status::Invalid("report " + opts->name + " has no --month"));
      return;
    }
    if (opts->limit && !spec.takes_limit) {
      exit_code = Fail(Status::Invalid("report " + opts->name + " has no --limit"));
      return;
    }
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    exit_code = spec.run({std::move(*project), opts->format, opts->output, opts->month, opts->limit});
  });
}

}  // namespace earshot::cli
