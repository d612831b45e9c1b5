// Fuzz target: the request handling of `earshot serve` without sockets
// (src/server): the router (MatchRoute, QueryParams, PercentDecode), bearer
// tokens (BearerToken, Authenticator), the read API answers (read_api) from
// marts held in memory, and POST /v1/listens: ListensEndpoint with its
// per-line EventValidator, appending to an EventLog whose files are kept in
// memory (LogFiles), so the segment it would write can be read back.
//
// The input is a raw HTTP/1.1 request: "METHOD TARGET HTTP/1.1", header
// lines, an empty line, the body. Only the request line, Authorization and
// the body matter; Beast's own parsing is not under test. The request goes
// the way Service::OnHead and Service::OnRequest send it. Providers are the
// five of `earshot init --template podcasts`, each also declaring instant
// deliveries except birchcast; their tokens, and a public and a pro read
// token, are "fuzz-token-<name>" (in the dictionary).
//
// Checked for every request: the answer's status is one the API documents,
// its JSON body parses, an error is {"error": {"code", "message"}}; a route
// match has the route's method and one non-empty parameter per {...}. For
// POST /v1/listens with a provider token: 202 when the body has a line,
// with lines = accepted + duplicated + rejected, the rejects exactly the
// lines the validator refuses, the duplicates exactly the repeated event ids
// (each request gets a fresh, empty log), and the segment the log wrote
// holds exactly the accepted events, which the loader (ListensMapper, as a
// file of the provider) reads back as accepted instant events with the same
// ids: a line accepted here is accepted there.
#include <simdjson.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "config/project.h"
#include "formats/value_parsers.h"
#include "fuzz_support.h"
#include "ingest/listens_mapper.h"
#include "ingest/raw_schema.h"
#include "server/event_log.h"
#include "server/event_validator.h"
#include "server/listens_endpoint.h"
#include "server/mart_cache.h"
#include "server/metrics.h"
#include "server/read_api.h"
#include "server/router.h"
#include "server/tokens.h"

namespace {

namespace fs = std::filesystem;
using namespace earshot;
using server::HttpResponse;
using server::Route;

// The log's files, in memory: what a segment would hold on disk.
class MemoryLogFiles final : public server::LogFiles {
 public:
  explicit MemoryLogFiles(std::map<std::string, std::string>& segments) : segments_(segments) {}
  Result<int> Create(const fs::path& path) override {
    paths_.push_back(path.string());
    segments_[path.string()];
    return static_cast<int>(paths_.size() - 1);
  }
  Status Append(int fd, const std::vector<std::string_view>& parts) override {
    for (std::string_view p : parts) segments_[paths_[fd]].append(p);
    return Status::Ok();
  }
  Status Sync(int) override { return Status::Ok(); }
  Status Truncate(int fd, uint64_t size) override {
    segments_[paths_[fd]].resize(size);
    return Status::Ok();
  }
  Status SyncDir(const fs::path&) override { return Status::Ok(); }
  void Close(int) override {}

 private:
  std::map<std::string, std::string>& segments_;
  std::vector<std::string> paths_;
};

struct World {
  World();
  ~World() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path dir;
  config::Project project;
  std::unique_ptr<server::Authenticator> auth;
  server::Marts marts;
};

World::World() {
  World& w = *this;
  char tmpl[] = "/tmp/earshot-fuzz-XXXXXX";
  FUZZ_CHECK(::mkdtemp(tmpl) != nullptr);
  w.dir = tmpl;
  {
    std::ofstream out(w.dir / "earshot.toml");
    out << config::PodcastsTemplateToml();
  }
  auto loaded = config::LoadProject(w.dir);
  FUZZ_CHECK(loaded.ok());
  w.project = *loaded;
  for (config::Provider& p : w.project.providers) {
    if (p.name != "birchcast" && !p.Delivers(config::Delivery::kInstant)) {
      p.deliveries.push_back(config::Delivery::kInstant);
    }
    auto hash = server::HashToken("fuzz-token-" + p.name);
    FUZZ_CHECK(hash.ok());
    p.token_hashes.push_back(*hash);
  }
  for (config::ReaderTier tier : {config::ReaderTier::kPublic, config::ReaderTier::kPro}) {
    auto hash = server::HashToken("fuzz-token-" + std::string(config::ReaderTierName(tier)));
    FUZZ_CHECK(hash.ok());
    w.project.readers.push_back({tier, *hash});
  }
  w.auth = std::make_unique<server::Authenticator>(w.project);

  server::PodcastEstimates est;
  est.title = "Pod \"One\"";
  est.months.push_back({"2025-01", 1200, 0.4, 3000, 2500, 3600, 2, true});
  est.months.push_back({"2025-02", 10, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, false});
  w.marts.estimates["pod1"] = est;
  w.marts.estimates["p%d/x"] = {};
  w.marts.rising["2025-02"] = {{"pod1", "Pod", 3000, 0.5, 1.25, 1}, {"pod2", std::nullopt, 10, -0.5, std::nullopt, 2}};
  w.marts.creators["2025-02"] = {{"cr1", "Ana", 3, 4500, 1500, 1},
                                 {"cr2", std::nullopt, 1, std::nullopt, std::nullopt, 2}};
  w.marts.episodes["ep1"] = {"pod1", "Ep", "2025-01-02T00:00:00Z", 40, 0.4, 100, true};
}

const World& TheWorld() {
  static const World world;
  return world;
}

struct Request {
  std::string method, target, authorization, body;
};

// "METHOD TARGET HTTP/1.1\r\n" headers "\r\n" body; nullopt when the request
// line is not three words (Beast would answer 400 before any handler).
std::optional<Request> Parse(std::string_view in) {
  Request r;
  size_t eol = in.find('\n');
  std::string_view line = in.substr(0, eol);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const size_t s1 = line.find(' ');
  const size_t s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
  if (s2 == std::string_view::npos || s1 == 0 || s2 == s1 + 1) return std::nullopt;
  r.method = line.substr(0, s1);
  r.target = line.substr(s1 + 1, s2 - s1 - 1);
  size_t pos = eol == std::string_view::npos ? in.size() : eol + 1;
  while (pos < in.size()) {
    eol = in.find('\n', pos);
    std::string_view header = in.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? in.size() : eol + 1;
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    if (header.empty()) break;
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(header.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "authorization") r.authorization = formats::TrimAscii(header.substr(colon + 1));
  }
  r.body = in.substr(std::min(pos, in.size()));
  return r;
}

void CheckAnswer(const HttpResponse& r) {
  static const std::set<int> kStatuses = {200, 202, 400, 401, 403, 404, 405, 413, 429, 503};
  FUZZ_CHECK(kStatuses.count(r.status) == 1);
  if (r.content_type != "application/json") return;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  FUZZ_CHECK(parser.parse(r.body).get(doc) == simdjson::SUCCESS);
  if (r.status >= 400) {
    std::string_view code, message;
    FUZZ_CHECK(doc["error"]["code"].get(code) == simdjson::SUCCESS && !code.empty());
    FUZZ_CHECK(doc["error"]["message"].get(message) == simdjson::SUCCESS);
  }
}

// POST /v1/listens from provider `index`: the endpoint's answer and the
// segment the log wrote, checked against the validator and the loader.
HttpResponse PostListens(const World& world, size_t index, const std::string& body) {
  const config::Provider& provider = world.project.providers[index];
  std::map<std::string, std::string> segments;
  server::LogSettings settings;
  settings.min_free_disk_bytes = 0;
  auto log = server::EventLog::Open(world.dir / "archive", world.project.providers, settings,
                                    std::make_unique<MemoryLogFiles>(segments));
  FUZZ_CHECK(log.ok());
  (*log)->Start([](server::Segment) {});
  std::vector<std::string> names;
  for (const auto& p : world.project.providers) names.push_back(p.name);
  server::Metrics metrics(names);
  server::ListensEndpoint endpoint(world.project.providers, **log, metrics);

  std::mutex mu;
  std::condition_variable cv;
  std::optional<HttpResponse> answer;
  endpoint.Handle(index, body, [&](HttpResponse r) {
    std::lock_guard<std::mutex> lock(mu);
    answer = std::move(r);
    cv.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return answer.has_value(); });
  }
  (*log)->Stop();
  const HttpResponse r = *answer;
  CheckAnswer(r);

  // What the answer must say, line by line, from the validator alone.
  const server::EventValidator validator(provider);
  uint64_t lines = 0, refused = 0;
  std::vector<std::string> ids;  // accepted lines' event ids, in order
  bool claimed = false;
  server::ForEachLine(body, [&](uint64_t, std::string_view line) {
    ++lines;
    if (claimed) return;
    server::LineCheck check;
    const bool accepted = validator.Check(line, check);
    if (!check.claimed_provider.empty()) {
      FUZZ_CHECK(check.claimed_provider != provider.name);
      claimed = true;
    } else if (accepted) {
      ids.push_back(check.event_id);
    } else {
      ++refused;
      FUZZ_CHECK(check.code < server::kLineErrorCodes.size());
    }
  });
  if (claimed) {
    FUZZ_CHECK(r.status == 403);
    FUZZ_CHECK(segments.empty() || segments.begin()->second.empty());
    return r;
  }
  if (lines == 0) {
    FUZZ_CHECK(r.status == 400);
    return r;
  }
  FUZZ_CHECK(r.status == 202);
  std::vector<std::string> distinct;
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (seen.insert(id).second) distinct.push_back(id);
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.body).value_unsafe();
  FUZZ_CHECK(uint64_t(doc["lines"]) == lines);
  FUZZ_CHECK(uint64_t(doc["rejected"]) == refused);
  FUZZ_CHECK(uint64_t(doc["duplicated"]) == ids.size() - distinct.size());
  FUZZ_CHECK(uint64_t(doc["accepted"]) == distinct.size());
  FUZZ_CHECK(simdjson::dom::array(doc["rejects"]).size() == std::min<uint64_t>(refused, 1000));

  // The segment: the accepted events, once each, as the loader reads them.
  std::string segment;
  for (const auto& [path, text] : segments) {
    FUZZ_CHECK(path.find("/" + provider.name + "/") != std::string::npos);
    segment += text;
  }
  if (distinct.empty()) {
    FUZZ_CHECK(segment.empty());
    return r;
  }
  config::Provider as_file = provider;
  as_file.format = config::FileFormat::kNdjson;
  fuzz::InputFile file(reinterpret_cast<const uint8_t*>(segment.data()), segment.size());
  auto mapper = ingest::ListensMapper::Open(file.path(), as_file, 1);
  FUZZ_CHECK(mapper.ok());
  warehouse::RowBatch batch(ingest::RawColumns(ingest::Source::kListens), distinct.size() + 1);
  ingest::Reject reject;
  size_t n = 0;
  while (true) {
    auto outcome = (*mapper)->Next(batch, reject);
    FUZZ_CHECK(outcome.ok());
    if (*outcome == ingest::RecordOutcome::kEnd) break;
    if (*outcome != ingest::RecordOutcome::kAccepted) {
      std::fprintf(stderr, "the loader rejects a line the server accepted: %s (%s)\n", reject.code.c_str(),
                   reject.message.c_str());
    }
    FUZZ_CHECK(*outcome == ingest::RecordOutcome::kAccepted);
    FUZZ_CHECK(n < distinct.size());
    FUZZ_CHECK(batch.String(3, n) == "instant");
    FUZZ_CHECK(batch.String(8, n) == distinct[n]);
    ++n;
  }
  FUZZ_CHECK(n == distinct.size());
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const World& world = TheWorld();
  auto request = Parse(fuzz::AsText(data, size));
  if (!request) return 0;

  const server::RouteMatch match = server::MatchRoute(request->method, request->target);
  if (match.route == Route::kUnknown) {
    FUZZ_CHECK(match.params.empty());
    return 0;  // 404 or 405, answered by Service::OnHead from the match alone
  }
  size_t holes = 0;
  for (const server::RouteSpec& spec : server::Routes()) {
    if (spec.route != match.route) continue;
    FUZZ_CHECK(spec.method == request->method);
    for (char c : spec.pattern) holes += c == '{';
  }
  FUZZ_CHECK(match.params.size() == holes);
  for (const std::string& p : match.params) FUZZ_CHECK(!p.empty());
  const auto query = server::QueryParams(request->target);

  // Service::OnHead: who is asking.
  const std::string_view token = server::BearerToken(request->authorization);
  server::Identity who;
  if (!token.empty()) {
    who = world.auth->Authenticate(token);
    if (who.kind == server::Identity::Kind::kNobody) return 0;  // 401
  }
  if (match.route == Route::kListens) {
    if (who.kind != server::Identity::Kind::kProvider) return 0;                                      // 401, 403
    if (auto it = query.find("provider"); it != query.end() && it->second != who.provider) return 0;  // 403
    size_t index = 0;
    while (index < world.project.providers.size() && world.project.providers[index].name != who.provider) ++index;
    FUZZ_CHECK(index < world.project.providers.size());
    if (!world.project.providers[index].Delivers(config::Delivery::kInstant)) return 0;  // 403
    PostListens(world, index, request->body);
    return 0;
  }

  // Service::OnRequest: the read API.
  const server::Tier tier = who.kind == server::Identity::Kind::kReader && who.tier == config::ReaderTier::kPro
                                ? server::Tier::kPro
                                : server::Tier::kPublic;
  switch (match.route) {
    case Route::kEstimates:
      CheckAnswer(server::EstimatesAnswer(world.marts, match.params[0], query, tier));
      break;
    case Route::kRising:
      CheckAnswer(server::RisingAnswer(world.marts, query, tier));
      break;
    case Route::kCreatorsTop:
      CheckAnswer(server::CreatorsTopAnswer(world.marts, query, tier));
      break;
    case Route::kFirst30Days:
      CheckAnswer(server::First30DaysAnswer(world.marts, match.params[0], tier));
      break;
    default:
      break;  // healthz, readyz, metrics, openapi: no input reaches them
  }
  return 0;
}
