#include "server/read_api.h"

#include <charconv>
#include <cmath>

#include "formats/calendar.h"
#include "server/json_log.h"

namespace earshot::server {

namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 100;

// Builds one JSON object, member by member.
class Obj {
 public:
  Obj& Str(std::string_view k, const std::optional<std::string>& v) {
    return Raw(k, v ? JsonQuote(*v) : std::string("null"));
  }
  Obj& Int(std::string_view k, std::optional<int64_t> v) { return Raw(k, v ? std::to_string(*v) : "null"); }
  Obj& Num(std::string_view k, std::optional<double> v) { return Raw(k, v ? JsonNumber(*v) : "null"); }
  Obj& Bool(std::string_view k, std::optional<bool> v) { return Raw(k, v ? (*v ? "true" : "false") : "null"); }
  Obj& Raw(std::string_view k, const std::string& json) {
    s_ += (s_.empty() ? "{" : ",") + JsonQuote(k) + ":" + json;
    return *this;
  }
  std::string Done() { return s_.empty() ? "{}" : s_ + "}"; }

 private:
  std::string s_;
};

std::optional<double> Listens(std::optional<double> v, Tier tier) {
  if (!v || tier == Tier::kPro) return v;
  return RoundSignificant(*v, 2);
}

HttpResponse Ok(std::string body) {
  HttpResponse r;
  r.body = std::move(body);
  return r;
}

bool ValidMonth(const std::string& m) { return m.size() == 7 && formats::ParseMonth(m).has_value(); }

// Reads `month` (default: the newest key of `by_month`) and `limit`; an
// error answer when either is malformed.
template <typename Map>
std::optional<HttpResponse> MonthAndLimit(const Map& by_month, const Query& query, std::string& month, int& limit) {
  limit = kDefaultLimit;
  if (auto it = query.find("limit"); it != query.end()) {
    int v = 0;
    auto r = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (r.ec != std::errc() || r.ptr != it->second.data() + it->second.size() || v < 1 || v > kMaxLimit) {
      return ErrorResponse(400, "invalid_limit", "limit must be a whole number from 1 to " + std::to_string(kMaxLimit));
    }
    limit = v;
  }
  if (auto it = query.find("month"); it != query.end()) {
    if (!ValidMonth(it->second)) return ErrorResponse(400, "invalid_month", "month must be YYYY-MM");
    month = it->second;
  } else if (!by_month.empty()) {
    month = by_month.rbegin()->first;
  }
  return std::nullopt;
}

const char* TierName(Tier t) { return t == Tier::kPro ? "\"pro\"" : "\"public\""; }

}  // namespace

double RoundSignificant(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return v;
  const int e = digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v))));
  // Powers of ten up to 1e22 are exact doubles: divide or multiply by one,
  // never by an inexact 0.001.
  if (e >= 0) {
    const double scale = std::pow(10.0, e);
    return std::round(v * scale) / scale;
  }
  const double step = std::pow(10.0, -e);
  return std::round(v / step) * step;
}

HttpResponse EstimatesAnswer(const Marts& marts, const std::string& podcast_id, const Query& query, Tier tier) {
  std::string from = "0000-00", to = "9999-99";
  if (auto it = query.find("from"); it != query.end()) {
    if (!ValidMonth(it->second)) return ErrorResponse(400, "invalid_month", "from must be YYYY-MM");
    from = it->second;
  }
  if (auto it = query.find("to"); it != query.end()) {
    if (!ValidMonth(it->second)) return ErrorResponse(400, "invalid_month", "to must be YYYY-MM");
    to = it->second;
  }
  if (from > to) return ErrorResponse(400, "invalid_range", "from is after to");
  auto it = marts.estimates.find(podcast_id);
  if (it == marts.estimates.end()) {
    return ErrorResponse(404, "unknown_podcast", "no estimates for podcast '" + podcast_id + "'");
  }
  std::string months;
  for (const EstimateRow& m : it->second.months) {
    if (m.month < from || m.month > to) continue;
    Obj o;
    o.Str("month", m.month).Num("estimated_listens", Listens(m.estimated_listens, tier));
    if (tier == Tier::kPro) {
      o.Num("estimate_low", m.estimate_low)
          .Num("estimate_high", m.estimate_high)
          .Int("observed_listens", m.observed_listens)
          .Num("coverage", m.coverage)
          .Int("providers_reporting", m.providers_reporting);
    }
    o.Bool("month_complete", m.month_complete);
    months += (months.empty() ? "" : ",") + o.Done();
  }
  return Ok(Obj()
                .Str("podcast_id", podcast_id)
                .Str("podcast_title", it->second.title)
                .Raw("tier", TierName(tier))
                .Raw("months", "[" + months + "]")
                .Done());
}

HttpResponse RisingAnswer(const Marts& marts, const Query& query, Tier tier) {
  std::string month;
  int limit = 0;
  if (auto bad = MonthAndLimit(marts.rising, query, month, limit)) return *bad;
  std::string rows;
  if (auto it = marts.rising.find(month); it != marts.rising.end()) {
    int n = 0;
    for (const TrendRow& r : it->second) {
      if (n++ == limit) break;
      Obj o;
      o.Int("rank", r.trend_rank)
          .Str("podcast_id", r.podcast_id)
          .Str("podcast_title", r.podcast_title)
          .Num("estimated_listens", Listens(r.estimated_listens, tier))
          .Num("growth_3m", tier == Tier::kPro || !r.growth_3m ? r.growth_3m : RoundSignificant(*r.growth_3m, 2))
          .Num("mom_growth", tier == Tier::kPro || !r.mom_growth ? r.mom_growth : RoundSignificant(*r.mom_growth, 2));
      rows += (rows.empty() ? "" : ",") + o.Done();
    }
  }
  return Ok(Obj()
                .Str("month", month.empty() ? std::nullopt : std::optional<std::string>(month))
                .Raw("tier", TierName(tier))
                .Raw("podcasts", "[" + rows + "]")
                .Done());
}

HttpResponse CreatorsTopAnswer(const Marts& marts, const Query& query, Tier tier) {
  std::string month;
  int limit = 0;
  if (auto bad = MonthAndLimit(marts.creators, query, month, limit)) return *bad;
  std::string rows;
  if (auto it = marts.creators.find(month); it != marts.creators.end()) {
    int n = 0;
    for (const CreatorRow& r : it->second) {
      if (n++ == limit) break;
      Obj o;
      o.Int("rank", r.rank)
          .Str("creator_id", r.creator_id)
          .Str("creator_name", r.creator_name)
          .Int("episodes", r.episodes)
          .Num("attributed_listens", Listens(r.attributed_listens, tier))
          .Num("avg_listens_per_episode", Listens(r.avg_listens_per_episode, tier));
      rows += (rows.empty() ? "" : ",") + o.Done();
    }
  }
  return Ok(Obj()
                .Str("month", month.empty() ? std::nullopt : std::optional<std::string>(month))
                .Raw("tier", TierName(tier))
                .Raw("creators", "[" + rows + "]")
                .Done());
}

HttpResponse First30DaysAnswer(const Marts& marts, const std::string& episode_id, Tier tier) {
  auto it = marts.episodes.find(episode_id);
  if (it == marts.episodes.end()) {
    return ErrorResponse(404, "unknown_episode", "no catalog episode '" + episode_id + "' with a publication date");
  }
  const EpisodeRow& e = it->second;
  Obj o;
  o.Str("episode_id", episode_id)
      .Str("podcast_id", e.podcast_id)
      .Str("episode_title", e.episode_title)
      .Str("published_at", e.published_at)
      .Raw("tier", TierName(tier))
      .Num("estimated_listens_30d", Listens(e.estimated_listens_30d, tier));
  if (tier == Tier::kPro) o.Int("observed_listens_30d", e.observed_listens_30d).Num("coverage_30d", e.coverage_30d);
  o.Bool("window_complete", e.window_complete);
  return Ok(o.Done());
}

}  // namespace earshot::server
