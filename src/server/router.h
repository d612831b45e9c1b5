// The routes of the HTTP API: one table, used to dispatch requests and
// checked against the OpenAPI document (router_test) so the two never drift.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/metrics.h"

namespace earshot::server {

struct RouteSpec {
  std::string_view method;
  std::string_view pattern;  // OpenAPI style: /v1/podcasts/{id}/estimates
  Route route;
};

// Every route the server answers, in the order it tries them.
const std::vector<RouteSpec>& Routes();

struct RouteMatch {
  Route route = Route::kUnknown;
  bool method_allowed = true;       // false: the path exists for another method (405)
  std::vector<std::string> params;  // the {...} segments, percent-decoded
};

// Matches the path part of `target` (the query is ignored).
RouteMatch MatchRoute(std::string_view method, std::string_view target);

// The query parameters of `target` (percent-decoded, '+' is a space); a
// repeated name keeps its last value.
std::map<std::string, std::string> QueryParams(std::string_view target);

// Percent-decodes `s`; nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace earshot::server
