// How close the podcast estimates land to the truth, end to end on generated
// data: `earshot generate podcasts` simulates a market, splits every listen
// at random over ten market slices (five of them are the providers of
// `earshot init --template podcasts`, each delivering in its own shape, with
// restated, late and missing files, bad rows and repeated events) and writes
// the whole market's true listens. The test ingests the deliveries in arrival
// order, builds, and for complete months compares podcast_monthly_estimates
// with the truth (issue: estimates within 5% for podcasts with >= 10,000 true
// listens, mean relative error under 3% for those with >= 1,000, truth inside
// [estimate_low, estimate_high] for at least 85% of them). The split is
// random, not tuned: sampling noise is part of what is measured.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "e2e_support.h"

namespace earshot::e2e {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<std::vector<std::string>> ReadTsv(const fs::path& path, char sep) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, sep)) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

TEST(PodcastsAccuracy, EstimatesLandNearTheGeneratedTruth) {
  const fs::path root = FreshTempDir("earshot-accuracy");
  ASSERT_FALSE(root.empty());
  const std::string data = (root / "data").string();
  const std::string project = (root / "project").string();

  CommandResult gen = Earshot({"generate", "podcasts", "--seed", "7", "--months", "3", "--podcasts", "300",
                               "--episodes-per-podcast", "8", "--out", data});
  ASSERT_EQ(gen.exit_code, 0) << gen.out << gen.err;
  ASSERT_EQ(Earshot({"init", "--template", "podcasts", project}).exit_code, 0);

  // Deliveries in arrival order: the catalog in one command, then each
  // provider's files in the order they arrived (restatements after originals).
  std::vector<std::string> catalog = {"ingest", "--project", project};
  std::map<std::string, std::vector<std::string>> by_provider;
  for (const auto& row : ReadTsv(fs::path(data) / "arrival.tsv", '\t')) {
    ASSERT_EQ(row.size(), 3u);
    const std::string path = data + "/" + row[2];
    if (row[0] == "catalog") {
      catalog.push_back(path);
    } else {
      by_provider[row[1]].push_back(path);
    }
  }
  CommandResult cat = Earshot(catalog);
  ASSERT_EQ(cat.exit_code, 0) << cat.out << cat.err;
  ASSERT_EQ(by_provider.size(), 5u);
  for (const auto& [provider, files] : by_provider) {
    std::vector<std::string> args = {"ingest", "--project", project, "--provider", provider};
    args.insert(args.end(), files.begin(), files.end());
    CommandResult r = Earshot(args);
    // Bad rows are rejected row by row; no delivery fails as a whole.
    ASSERT_EQ(r.exit_code, 0) << provider << ": " << r.err;
  }
  // Built well after the period, so every day of instant events is over.
  CommandResult build = Earshot({"build", "--project", project, "--as-of", "2030-01-01"});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;

  std::map<std::pair<std::string, std::string>, double> truth;
  for (const auto& row : ReadTsv(fs::path(data) / "truth" / "podcast_months.csv", ',')) {
    if (row.size() != 3 || row[0] == "podcast_id") continue;
    truth[{row[0], row[1]}] = std::stod(row[2]);
  }
  CommandResult q = Earshot({"query", "--project", project, "--format", "json",
                             "SELECT podcast_id, month, estimated_listens, estimate_low, estimate_high "
                             "FROM podcast_monthly_estimates WHERE month_complete"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  json rows = json::parse(q.out);
  ASSERT_FALSE(rows.empty()) << "no complete month was estimated";

  int big = 0, big_within = 0, mid = 0, inside = 0;
  double error_sum = 0;
  std::string worst;
  for (const auto& r : rows) {
    auto it = truth.find({r["podcast_id"].get<std::string>(), r["month"].get<std::string>()});
    ASSERT_NE(it, truth.end()) << r.dump();
    const double t = it->second;
    if (t < 1000) continue;
    const double est = r["estimated_listens"].get<double>();
    const double err = std::fabs(est - t) / t;
    ++mid;
    error_sum += err;
    if (!r["estimate_low"].is_null() && r["estimate_low"].get<double>() <= t && t <= r["estimate_high"].get<double>()) {
      ++inside;
    }
    if (t >= 10000) {
      ++big;
      if (err <= 0.05) {
        ++big_within;
      } else {
        worst += r.dump() + " truth " + std::to_string(t) + "\n";
      }
    }
  }
  ASSERT_GT(big, 10) << "too few podcasts with >= 10,000 true listens to judge";
  ASSERT_GT(mid, 50) << "too few podcasts with >= 1,000 true listens to judge";
  EXPECT_EQ(big_within, big) << "estimates more than 5% off:\n" << worst;
  EXPECT_LT(error_sum / mid, 0.03) << "mean relative error over " << mid << " podcasts";
  EXPECT_GE(static_cast<double>(inside) / mid, 0.85) << inside << " of " << mid << " truths inside the bounds";
  RecordProperty("podcasts_10k", big);
  RecordProperty("podcasts_1k", mid);
  std::printf("complete-month rows: %d with >= 1,000 true listens (mean relative error %.4f, %d inside bounds), "
              "%d with >= 10,000 (%d within 5%%)\n",
              mid, error_sum / mid, inside, big, big_within);

  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // namespace
}  // namespace earshot::e2e
