#include "server/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "server/http_types.h"
#include "server/openapi.h"

namespace earshot::server {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every route the server answers is in the OpenAPI document, and every
// operation of the document is a route the server answers.
TEST(Router, RoutesAreExactlyTheOpenApiDocument) {
  auto doc = nlohmann::json::parse(OpenApiDocument());
  EXPECT_TRUE(doc["openapi"].get<std::string>().starts_with("3."));
  std::set<std::pair<std::string, std::string>> documented, routed;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) documented.insert({method, path});
  }
  for (const RouteSpec& r : Routes()) routed.insert({Lower(r.method), std::string(r.pattern)});
  EXPECT_EQ(documented, routed);
}

TEST(Router, Matches) {
  struct Case {
    const char* method;
    const char* target;
    Route route;
    bool method_allowed;
    std::vector<std::string> params;
  };
  const Case cases[] = {
      {"POST", "/v1/listens", Route::kListens, true, {}},
      {"POST", "/v1/listens?provider=x", Route::kListens, true, {}},
      {"GET", "/v1/listens", Route::kUnknown, false, {}},
      {"GET", "/v1/podcasts/p1/estimates?from=2025-01", Route::kEstimates, true, {"p1"}},
      {"GET", "/v1/podcasts/a%20b%2Fc/estimates", Route::kEstimates, true, {"a b/c"}},
      {"GET", "/v1/podcasts/%zz/estimates", Route::kUnknown, true, {}},
      {"GET", "/v1/podcasts//estimates", Route::kUnknown, true, {}},
      {"GET", "/v1/podcasts/rising", Route::kRising, true, {}},
      {"GET", "/v1/creators/top?month=2025-01&limit=3", Route::kCreatorsTop, true, {}},
      {"GET", "/v1/episodes/e+1/first-30-days", Route::kFirst30Days, true, {"e+1"}},
      {"GET", "/healthz", Route::kHealthz, true, {}},
      {"GET", "/metrics", Route::kMetrics, true, {}},
      {"GET", "/openapi.json", Route::kOpenApi, true, {}},
      {"GET", "/", Route::kUnknown, true, {}},
      {"GET", "/v1/podcasts/p1/estimates/extra", Route::kUnknown, true, {}},
      {"DELETE", "/healthz", Route::kUnknown, false, {}},
      {"GET", "healthz", Route::kUnknown, true, {}},
  };
  for (const Case& c : cases) {
    RouteMatch m = MatchRoute(c.method, c.target);
    EXPECT_EQ(m.route, c.route) << c.method << " " << c.target;
    EXPECT_EQ(m.method_allowed, c.method_allowed) << c.method << " " << c.target;
    EXPECT_EQ(m.params, c.params) << c.method << " " << c.target;
  }
}

TEST(Router, QueryParameters) {
  auto q = QueryParams("/x?month=2025-01&limit=5&name=a+b%21&empty=&flag&month=2025-02");
  EXPECT_EQ(q["month"], "2025-02");
  EXPECT_EQ(q["limit"], "5");
  EXPECT_EQ(q["name"], "a b!");
  EXPECT_EQ(q["empty"], "");
  EXPECT_TRUE(q.count("flag"));
  EXPECT_TRUE(QueryParams("/x").empty());
  EXPECT_FALSE(PercentDecode("%4", false).has_value());
  EXPECT_EQ(PercentDecode("%41%62", false), "Ab");
}

}  // namespace
}  // namespace earshot::server

namespace earshot::server {
namespace {

// Found by fuzz/http_request: a path parameter that is not UTF-8, quoted in
// the 404 answer, made its body invalid JSON.
TEST(Router, AnErrorQuotingBytesThatAreNotUtf8IsStillJson) {
  auto match = MatchRoute("GET", "/v1/episodes/ep%FF%FE\xff/first-30-days");
  ASSERT_EQ(match.route, Route::kFirst30Days);
  HttpResponse r = ErrorResponse(404, "no_such_episode", "no episode '" + match.params[0] + "'");
  nlohmann::json doc;
  ASSERT_NO_THROW(doc = nlohmann::json::parse(r.body));
  EXPECT_EQ(doc["error"]["message"].get<std::string>(), "no episode 'ep\\xff\\xfe\\xff'");
}

}  // namespace
}  // namespace earshot::server
