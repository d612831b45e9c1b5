#include "server/router.h"

#include "server/http_types.h"
#include "server/json_log.h"

namespace earshot::server {

namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 1;  // after the leading '/'
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return parts;
}

}  // namespace

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = "{\"error\":{\"code\":" + JsonQuote(code) + ",\"message\":" + JsonQuote(message) + "}}";
  return r;
}

const std::vector<RouteSpec>& Routes() {
  static const std::vector<RouteSpec> routes = {
      {"POST", "/v1/listens", Route::kListens},
      {"GET", "/v1/podcasts/rising", Route::kRising},
      {"GET", "/v1/podcasts/{id}/estimates", Route::kEstimates},
      {"GET", "/v1/creators/top", Route::kCreatorsTop},
      {"GET", "/v1/episodes/{id}/first-30-days", Route::kFirst30Days},
      {"GET", "/healthz", Route::kHealthz},
      {"GET", "/readyz", Route::kReadyz},
      {"GET", "/metrics", Route::kMetrics},
      {"GET", "/openapi.json", Route::kOpenApi},
  };
  return routes;
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = Hex(s[i + 1]), lo = Hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

RouteMatch MatchRoute(std::string_view method, std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  const auto parts = Split(path);
  bool path_known = false;
  for (const RouteSpec& spec : Routes()) {
    const auto pattern = Split(spec.pattern);
    if (pattern.size() != parts.size()) continue;
    std::vector<std::string> params;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{') {
        auto decoded = PercentDecode(parts[i], false);
        match = decoded.has_value() && !decoded->empty();
        if (match) params.push_back(std::move(*decoded));
      } else {
        match = pattern[i] == parts[i];
      }
    }
    if (!match) continue;
    if (spec.method != method) {
      path_known = true;
      continue;
    }
    result.route = spec.route;
    result.params = std::move(params);
    return result;
  }
  result.method_allowed = !path_known;
  return result;
}

std::map<std::string, std::string> QueryParams(std::string_view target) {
  std::map<std::string, std::string> out;
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (key && value) out[*key] = *value;
  }
  return out;
}

}  // namespace earshot::server
