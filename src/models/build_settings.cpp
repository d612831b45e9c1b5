#include "models/build_settings.h"

#include <ctime>

#include "formats/calendar.h"

namespace earshot::models {

using warehouse::SqlQuote;

Status WriteBuildSettings(warehouse::Warehouse& wh, const config::Project& project, const std::string& as_of) {
  std::string date = as_of;
  if (date.empty()) {
    std::time_t now = std::time(nullptr);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&now));
    date = buf;
  } else if (!formats::ParseDate(date)) {
    return Status::Invalid("--as-of '" + as_of + "' is not a YYYY-MM-DD date");
  }
  std::string sql =
      "CREATE OR REPLACE TABLE raw.provider_config (provider VARCHAR, market_share DOUBLE, granularity VARCHAR, "
      "delivers_instant BOOLEAN, delivers_daily BOOLEAN, delivers_monthly BOOLEAN, rank_monthly INTEGER, "
      "rank_daily INTEGER, rank_instant INTEGER);";
  for (const config::Provider& p : project.providers) {
    using config::Delivery;
    auto flag = [&](Delivery d) { return p.Delivers(d) ? std::string("true") : std::string("false"); };
    char share[40];
    std::snprintf(share, sizeof share, "%.17g", p.market_share);
    sql += "INSERT INTO raw.provider_config VALUES (" + SqlQuote(p.name) + ", " + share + ", " +
           SqlQuote(config::GranularityName(p.granularity)) + ", " + flag(Delivery::kInstant) + ", " +
           flag(Delivery::kDaily) + ", " + flag(Delivery::kMonthly) + ", " +
           std::to_string(p.PrecedenceRank(Delivery::kMonthly)) + ", " +
           std::to_string(p.PrecedenceRank(Delivery::kDaily)) + ", " +
           std::to_string(p.PrecedenceRank(Delivery::kInstant)) + ");";
  }
  char floor[40];
  std::snprintf(floor, sizeof floor, "%.17g", project.trend_floor);
  sql += "CREATE OR REPLACE TABLE raw.build_settings AS SELECT DATE " + SqlQuote(date) + " AS as_of, " + floor +
         "::DOUBLE AS trend_floor;";
  return wh.Execute(sql);
}

}  // namespace earshot::models
