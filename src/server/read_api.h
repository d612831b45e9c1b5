// The read endpoints of the HTTP API, answered from the marts in memory
// (MartCache). Without a token, or with a `public` read token, numbers of
// listens are rounded to two significant figures and only the estimate is
// given; a `pro` read token gets exact estimates, bounds, observed listens,
// coverage and the providers reporting. Pure functions of their inputs;
// thread-safe.
#pragma once

#include <map>
#include <string>

#include "server/http_types.h"
#include "server/mart_cache.h"

namespace earshot::server {

enum class Tier { kPublic, kPro };

// `v` rounded to `digits` significant figures (0 stays 0).
double RoundSignificant(double v, int digits);

using Query = std::map<std::string, std::string>;

// GET /v1/podcasts/{id}/estimates?from=YYYY-MM&to=YYYY-MM
HttpResponse EstimatesAnswer(const Marts& marts, const std::string& podcast_id, const Query& query, Tier tier);
// GET /v1/podcasts/rising?month=YYYY-MM&limit=N (default: the newest month, 10)
HttpResponse RisingAnswer(const Marts& marts, const Query& query, Tier tier);
// GET /v1/creators/top?month=YYYY-MM&limit=N
HttpResponse CreatorsTopAnswer(const Marts& marts, const Query& query, Tier tier);
// GET /v1/episodes/{id}/first-30-days
HttpResponse First30DaysAnswer(const Marts& marts, const std::string& episode_id, Tier tier);

}  // namespace earshot::server
