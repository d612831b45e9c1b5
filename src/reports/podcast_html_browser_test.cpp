// Renders the podcast estimates and trends HTML reports in a real browser
// (Debian's headless Chromium) and checks the chart a person would see: the
// page paints to a non-trivial PNG; at the chosen month the biggest podcast's
// point is laid out highest and the points stack in the order of the
// estimates; the lines drawn thick are exactly the rising podcasts. The
// screenshots are kept in the build tree (podcast_html_browser/ under the
// test's working directory) for a human to look at.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "reports/podcast_estimates_report.h"
#include "reports/podcast_test_fixtures.h"
#include "reports/podcast_trends_report.h"

namespace earshot::reports {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kTimeoutSeconds = "90";

// 2024-04 estimates of the fixture's charted podcasts, biggest first.
const std::vector<std::string> kChartedBiggestFirst = {"pod_01", "pod_02", "pod_03", "pod_04", "pod_orphan",
                                                       "pod_06", "pod_07", "pod_08", "pod_09", "pod_12"};
const std::set<std::string> kRisers = {"pod_02", "pod_03", "pod_orphan", "pod_09", "pod_12"};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Parses "id=number;id=number" as written by the chart's script.
std::map<std::string, double> ParsePairs(const std::string& list) {
  std::map<std::string, double> out;
  std::istringstream in(list);
  for (std::string entry; std::getline(in, entry, ';');) {
    const std::size_t equals = entry.find('=');
    if (equals != std::string::npos) out[entry.substr(0, equals)] = std::stod(entry.substr(equals + 1));
  }
  return out;
}

// The value of attribute `name` on the <body> of a dumped DOM ("" if none).
std::string BodyAttribute(const std::string& dom, const std::string& name) {
  const std::size_t body = dom.find("<body");
  if (body == std::string::npos) return "";
  const std::size_t body_end = dom.find('>', body);
  const std::size_t at = dom.find(" " + name + "=\"", body);
  if (at == std::string::npos || at > body_end) return "";
  const std::size_t value = at + name.size() + 3;
  return dom.substr(value, dom.find('"', value) - value);
}

class PodcastHtmlBrowser : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kChromium)) << kChromium << " is missing; this test needs Debian's headless Chromium. "
                                       << "Run `make deps` to install it.";
    std::string pattern = (fs::temp_directory_path() / "earshot-podcast-html-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "cannot create a temp dir";
    work_ = pattern;
    page_ = work_ / (GetParam() + ".html");
    const auto html = GetParam() == "podcast-estimates"
                          ? RenderPodcastEstimatesHtml(podcast_fixtures::FixtureEstimates(),
                                                       podcast_fixtures::FixtureTrends(), {}, "2024-05-01 12:00:00 UTC")
                          : RenderPodcastTrendsHtml(podcast_fixtures::FixtureTrends(), {}, "2024-05-01 12:00:00 UTC");
    ASSERT_TRUE(html.ok()) << html.status().message();
    std::ofstream(page_, std::ios::binary) << html.value();
  }

  void TearDown() override {
    std::error_code ignored;
    if (!work_.empty()) fs::remove_all(work_, ignored);
  }

  // Runs Chromium on the page with a fresh profile. Returns its exit code;
  // stdout goes to `out`, stderr to a log shown when something fails.
  int Chromium(const std::string& run, const std::string& flags, std::string& out) {
    const fs::path profile = work_ / ("profile-" + run);
    fs::create_directories(profile);
    const fs::path stdout_file = work_ / (run + ".out");
    log_ = work_ / (run + ".log");
    const std::string command = std::string("timeout ") + kTimeoutSeconds + " " + kChromium +
                                " --headless --no-sandbox --disable-gpu --disable-background-networking"
                                " --disable-component-update --disable-sync --no-first-run --disable-quic"
                                " --virtual-time-budget=2000 --user-data-dir='" +
                                profile.string() + "' " + flags + " 'file://" + page_.string() + "' >'" +
                                stdout_file.string() + "' 2>'" + log_.string() + "'";
    const int status = std::system(command.c_str());
    out = Slurp(stdout_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string LogTail() const {
    const std::string log = Slurp(log_);
    return log.substr(log.size() > 2000 ? log.size() - 2000 : 0);
  }

  fs::path work_;
  fs::path page_;
  fs::path log_;
};

TEST_P(PodcastHtmlBrowser, ScreenshotIsANonTrivialPng) {
  const fs::path keep = fs::current_path() / "podcast_html_browser";
  fs::create_directories(keep);
  const fs::path png = keep / (GetParam() + ".png");
  fs::remove(png);
  fs::copy_file(page_, keep / page_.filename(), fs::copy_options::overwrite_existing);
  std::string out;
  ASSERT_EQ(Chromium("screenshot", "--screenshot='" + png.string() + "' --window-size=1100,1300", out), 0)
      << "chromium failed; stderr tail:\n"
      << LogTail();
  const std::string bytes = Slurp(png);
  ASSERT_GE(bytes.size(), 8u) << "no screenshot at " << png << "; stderr tail:\n" << LogTail();
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(bytes.size(), 20u * 1024) << "a chart, a legend and a table do not compress to almost nothing";
}

TEST_P(PodcastHtmlBrowser, BiggestPodcastIsHighestAndRisersAreThick) {
  std::string dom;
  ASSERT_EQ(Chromium("dom", "--window-size=1100,1300 --dump-dom", dom), 0) << "chromium failed; stderr tail:\n"
                                                                           << LogTail();
  const std::string y_list = BodyAttribute(dom, "data-chart-month-y");
  const std::string width_list = BodyAttribute(dom, "data-line-widths");
  ASSERT_FALSE(y_list.empty()) << "no data-chart-month-y on <body>: did the chart script run? DOM head:\n"
                               << dom.substr(0, 3000) << "\nstderr tail:\n"
                               << LogTail();
  std::cout << "y at 2024-04: " << y_list << "\nline widths: " << width_list << "\n";
  const std::map<std::string, double> y = ParsePairs(y_list);
  const std::map<std::string, double> widths = ParsePairs(width_list);
  ASSERT_EQ(y.size(), kChartedBiggestFirst.size()) << y_list;
  ASSERT_EQ(widths.size(), kChartedBiggestFirst.size()) << width_list;

  // Screen y grows downwards: a bigger estimate is a smaller y, and the
  // biggest podcast sits above every other line in the chosen month.
  for (std::size_t i = 1; i < kChartedBiggestFirst.size(); ++i) {
    const std::string& bigger = kChartedBiggestFirst[i - 1];
    const std::string& smaller = kChartedBiggestFirst[i];
    ASSERT_TRUE(y.count(bigger) && y.count(smaller)) << y_list;
    EXPECT_LT(y.at(bigger), y.at(smaller)) << bigger << " should be drawn above " << smaller << ": " << y_list;
  }
  // The chart is 380 units tall at ~1000 px wide: 120,000 vs 5,000 listens
  // must be far apart on screen, not a few pixels.
  EXPECT_GT(y.at("pod_12") - y.at("pod_01"), 150.0) << y_list;

  double thinnest_riser = 1e9;
  double thickest_other = 0;
  for (const auto& [id, width] : widths) {
    EXPECT_GT(width, 0.0) << id;
    if (kRisers.count(id)) {
      thinnest_riser = std::min(thinnest_riser, width);
    } else {
      thickest_other = std::max(thickest_other, width);
    }
  }
  EXPECT_GE(thinnest_riser, 2 * thickest_other) << "risers must stand out: " << width_list;
}

INSTANTIATE_TEST_SUITE_P(Reports, PodcastHtmlBrowser, ::testing::Values("podcast-estimates", "podcast-trends"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param == "podcast-estimates" ? "Estimates" : "Trends";
                         });

}  // namespace
}  // namespace earshot::reports
