// Renders the playlist popularity HTML report in a real browser (Debian's
// headless Chromium) and checks what a person would see: the page paints to
// a non-trivial PNG, and the chart's bars are laid out with widths in
// proportion to seconds streamed. The screenshot is kept in the build tree,
// html_report_browser/report.png under the test's working directory, for a
// human to look at.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reports/playlist_popularity_report.h"

namespace earshot::reports {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr int kChromiumTimeoutSeconds = 90;

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
};

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Table Fixture() {
  return Table{{{"playlist", ValueKind::kText},
                {"seconds_streamed", ValueKind::kDecimal},
                {"streams", ValueKind::kInteger},
                {"listeners", ValueKind::kInteger},
                {"share_of_seconds", ValueKind::kDecimal}},
               {{"playlist_01", "3600.0", "4", "2", "0.5714285714285714"},
                {"playlist_02", "1800.0", "2", "1", "0.2857142857142857"},
                {"playlist_03", "900.0", "1", "1", "0.14285714285714285"}}};
}

class HtmlReportBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kChromium))
        << kChromium << " is missing; this test needs Debian's headless Chromium. "
        << "Run `make deps` to install it.";
    std::string pattern = (fs::temp_directory_path() / "earshot-html-report-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "cannot create a temp dir";
    work_ = pattern;
    page_ = work_ / "report.html";
    const auto html = RenderPopularityHtml(Fixture(), "2024-05-01T12:00:00Z");
    ASSERT_TRUE(html.ok()) << html.status().message();
    std::ofstream(page_, std::ios::binary) << html.value();
    ASSERT_TRUE(fs::exists(page_));
  }

  void TearDown() override {
    std::error_code ignored;
    if (!work_.empty()) fs::remove_all(work_, ignored);
  }

  // Runs Chromium on the page with a fresh profile; stderr goes to a log
  // whose tail is shown when something fails.
  CommandResult RunChromium(const std::string& name, const std::vector<std::string>& flags) {
    const fs::path profile = work_ / ("profile-" + name);
    fs::create_directories(profile);
    log_ = work_ / ("chromium-" + name + ".log");
    std::string command = "timeout " + std::to_string(kChromiumTimeoutSeconds) + " " +
                          kChromium +
                          " --headless --no-sandbox --disable-gpu"
                          " --disable-background-networking --disable-component-update"
                          " --disable-sync --no-first-run --disable-quic"
                          " --virtual-time-budget=2000 --user-data-dir=" +
                          ShellQuote(profile.string());
    for (const auto& flag : flags) command += " " + ShellQuote(flag);
    command += " " + ShellQuote("file://" + page_.string()) + " 2>" + ShellQuote(log_.string());
    return RunCommand(command);
  }

  std::string LogTail() const {
    const std::string log = ReadFile(log_);
    return log.size() > 2000 ? log.substr(log.size() - 2000) : log;
  }

  fs::path work_;
  fs::path page_;
  fs::path log_;
};

TEST_F(HtmlReportBrowser, ScreenshotIsANonTrivialPng) {
  const fs::path keep = fs::current_path() / "html_report_browser";
  fs::create_directories(keep);
  const fs::path png = keep / "report.png";
  fs::remove(png);
  fs::copy_file(page_, keep / "report.html", fs::copy_options::overwrite_existing);

  const CommandResult run =
      RunChromium("screenshot", {"--screenshot=" + png.string(), "--window-size=1000,800"});
  ASSERT_EQ(run.exit_code, 0) << "chromium failed; stderr tail:\n" << LogTail();
  ASSERT_TRUE(fs::exists(png)) << "no screenshot at " << png << "; stderr tail:\n" << LogTail();
  const std::string bytes = ReadFile(png);
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(bytes.size(), 5u * 1024) << "a blank page compresses to almost nothing";
}

TEST_F(HtmlReportBrowser, BarWidthsFollowSeconds) {
  const CommandResult run = RunChromium("dom", {"--dump-dom"});
  ASSERT_EQ(run.exit_code, 0) << "chromium failed; stderr tail:\n" << LogTail();

  // <body ... data-bar-widths="playlist_01=650.0;playlist_02=325.0;...">
  // (std::regex is avoided: GCC 12 warns inside it at -O2.)
  const std::size_t body = run.out.find("<body");
  const std::string attribute = "data-bar-widths=\"";
  const std::size_t start = body == std::string::npos ? body : run.out.find(attribute, body);
  const std::size_t body_end = body == std::string::npos ? body : run.out.find('>', body);
  ASSERT_TRUE(start != std::string::npos && start < body_end)
      << "no data-bar-widths on <body>: did the script run? DOM head:\n"
      << run.out.substr(0, 3000) << "\nstderr tail:\n" << LogTail();
  const std::size_t value_start = start + attribute.size();
  const std::size_t value_end = run.out.find('"', value_start);
  const std::string list = run.out.substr(value_start, value_end - value_start);
  std::cout << "bar widths: " << list << "\n";

  std::map<std::string, double> widths;
  std::istringstream entries(list);
  for (std::string entry; std::getline(entries, entry, ';');) {
    const std::size_t equals = entry.find('=');
    ASSERT_NE(equals, std::string::npos) << "malformed entry '" << entry << "' in " << list;
    widths[entry.substr(0, equals)] = std::stod(entry.substr(equals + 1));
  }
  ASSERT_EQ(widths.size(), 3u) << list;
  for (const auto& [name, width] : widths) EXPECT_GT(width, 0.0) << name << " in " << list;
  ASSERT_TRUE(widths.count("playlist_01") && widths.count("playlist_02") &&
              widths.count("playlist_03"))
      << list;
  const double w1 = widths["playlist_01"];
  const double w2 = widths["playlist_02"];
  const double w3 = widths["playlist_03"];
  // 3600 : 1800 : 900 seconds is 4 : 2 : 1.
  EXPECT_NEAR(w1 / w3, 4.0, 4.0 * 0.05) << list;
  EXPECT_NEAR(w2 / w3, 2.0, 2.0 * 0.05) << list;
  EXPECT_NEAR(w1 / w2, 2.0, 2.0 * 0.05) << list;
}

}  // namespace
}  // namespace earshot::reports
