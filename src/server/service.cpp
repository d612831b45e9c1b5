#include "server/service.h"

#include <signal.h>
#include <sys/stat.h>

#include <chrono>

#include "ingest/raw_schema.h"
#include "server/background_priority.h"
#include "server/json_log.h"
#include "server/openapi.h"
#include "server/read_api.h"
#include "server/router.h"

namespace earshot::server {

namespace {

std::vector<std::string> ProviderNames(const config::Project& project) {
  std::vector<std::string> names;
  for (const auto& p : project.providers) names.push_back(p.name);
  return names;
}

int64_t MtimeNs(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// How much lower the loader, the builder and DuckDB run than the threads
// that answer requests (nice values; see background_priority.h).
constexpr int kBackgroundNice = 10;

HttpResponse Unauthorized(std::string_view message) {
  HttpResponse r = ErrorResponse(401, "unauthorized", message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

Service::Service(const config::Project& project, warehouse::Warehouse& wh)
    : project_(project), wh_(wh), metrics_(ProviderNames(project)), auth_(std::make_shared<Authenticator>(project)) {}

Result<std::unique_ptr<Service>> Service::Start(const config::Project& project, warehouse::Warehouse& wh,
                                                SegmentLoader::BuildFn build, const std::string& listen) {
  // The threads there are now belong to DuckDB (the working warehouse):
  // they load and build, in the background of the requests.
  LowerOtherThreadsPriority(kBackgroundNice);
  std::unique_ptr<Service> s(new Service(project, wh));
  const config::ServeSettings& cfg = project.serve;
  s->config_mtime_ns_ = MtimeNs(project.config_file());
  LogSettings settings{cfg.segment_bytes, cfg.segment_seconds, cfg.max_queue_bytes, cfg.max_unloaded_bytes,
                       cfg.min_free_disk_bytes};
  EARSHOT_ASSIGN_OR_RETURN(s->log_, EventLog::Open(project.archive_dir(), project.providers, settings));
  EARSHOT_RETURN_IF_ERROR(s->Rebuild());
  s->log_->OnCommit([m = &s->metrics_](double seconds, uint64_t requests, uint64_t bytes) {
    m->Commit(seconds, requests);
    m->Appended(bytes);
  });
  s->listens_ = std::make_unique<ListensEndpoint>(project.providers, *s->log_, s->metrics_);
  s->marts_ = std::make_unique<MartCache>(project.published_file(), s->metrics_);
  s->marts_->Start();
  EventLog* log = s->log_.get();
  MartCache* marts = s->marts_.get();
  s->loader_ = std::make_unique<SegmentLoader>(
      project, wh, std::move(build), cfg.build_interval_seconds, s->metrics_,
      [log](const Segment& segment) { log->Loaded(segment); }, [marts] { marts->Poke(); });
  for (const Segment& seg : s->log_->Recovered()) s->loader_->Add(seg);
  s->loader_->Start();
  SegmentLoader* loader = s->loader_.get();
  s->log_->Start([loader](Segment segment) { loader->Add(std::move(segment)); });
  HttpLimits limits{cfg.max_body_bytes, cfg.request_timeout_seconds, 60};
  EARSHOT_ASSIGN_OR_RETURN(s->http_, HttpServer::Start(listen.empty() ? cfg.listen : listen, cfg.threads, limits, *s));
  Service* self = s.get();
  s->maintainer_ = std::thread([self] { self->Maintain(); });
  return s;
}

Service::~Service() { Shutdown(); }

// The dedupe set must know every event already kept: those in raw.listens
// (the log's own segments were added by EventLog::Open).
Status Service::Rebuild() {
  auto started = std::chrono::steady_clock::now();
  EARSHOT_RETURN_IF_ERROR(ingest::EnsureRawSchema(wh_));
  uint64_t n = 0;
  std::string current_name;
  std::optional<size_t> current;
  EARSHOT_RETURN_IF_ERROR(
      wh_.QueryEach("SELECT provider, event_id FROM raw.listens WHERE event_id IS NOT NULL", [&](const Table& chunk) {
        for (const auto& row : chunk.rows) {
          if (!row[0] || !row[1]) continue;
          if (*row[0] != current_name) {
            current_name = *row[0];
            current = ProviderIndex(current_name);
          }
          if (!current) continue;
          log_->AddKnown(*current, *row[1]);
          ++n;
        }
      }));
  EARSHOT_ASSIGN_OR_RETURN(auto newest, wh_.Query("SELECT max(file_name) FROM raw.ingests WHERE source = 'listens' "
                                                  "AND file_name LIKE 'seg-%'"));
  if (!newest.rows.empty() && newest.rows[0][0]) log_->NameAfter(*newest.rows[0][0]);
  LogInfo("dedupe_rebuilt")
      .Int("warehouse_events", static_cast<int64_t>(n))
      .Int("known_events", static_cast<int64_t>(log_->stats().known_events))
      .Int("segments_to_load", static_cast<int64_t>(log_->Recovered().size()))
      .Num("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return Status::Ok();
}

std::optional<size_t> Service::ProviderIndex(const std::string& name) const {
  for (size_t i = 0; i < project_.providers.size(); ++i) {
    if (project_.providers[i].name == name) return i;
  }
  return std::nullopt;
}

std::shared_ptr<const Authenticator> Service::auth() const {
  std::lock_guard<std::mutex> lock(auth_mu_);
  return auth_;
}

void Service::Maintain() {
  std::unique_lock<std::mutex> lock(maintain_mu_);
  while (!maintain_stop_) {
    maintain_wake_.wait_for(lock, std::chrono::seconds(1));
    if (maintain_stop_) break;
    lock.unlock();
    log_->RefreshDiskSpace();
    // New tokens (earshot token create) work without a restart.
    const int64_t mtime = MtimeNs(project_.config_file());
    if (mtime != config_mtime_ns_) {
      config_mtime_ns_ = mtime;
      auto reloaded = config::LoadProject(project_.root);
      if (reloaded.ok()) {
        auto fresh = std::make_shared<Authenticator>(*reloaded);
        std::lock_guard<std::mutex> auth_lock(auth_mu_);
        auth_ = std::move(fresh);
        LogInfo("tokens_reloaded");
      } else {
        LogWarn("config_reload_failed").Str("message", reloaded.status().message());
      }
    }
    lock.lock();
  }
}

void Service::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  draining_ = true;
  LogInfo("shutdown_started");
  if (http_) http_->StopAccepting();
  // Answers every queued body, closes the open segments (to the loader).
  if (log_) log_->Stop();
  if (http_) http_->Stop();
  {
    std::lock_guard<std::mutex> lock(maintain_mu_);
    maintain_stop_ = true;
  }
  maintain_wake_.notify_all();
  if (maintainer_.joinable()) maintainer_.join();
  if (marts_) marts_->Stop();
  if (loader_) loader_->StopAndDrain();
  LogInfo("shutdown_done");
}

std::optional<HttpResponse> Service::OnHead(HttpRequest& head, uint64_t content_length) {
  const RouteMatch match = MatchRoute(head.method, head.target);
  if (match.route == Route::kUnknown) {
    HttpResponse r = match.method_allowed
                         ? ErrorResponse(404, "no_such_route",
                                         "no route " + head.method + " " +
                                             head.target.substr(0, head.target.find('?')) + " (see /openapi.json)")
                         : ErrorResponse(405, "method_not_allowed", head.method + " is not allowed here");
    metrics_.Request(Route::kUnknown, r.status, 0);
    return r;
  }
  const std::string_view token = BearerToken(head.authorization);
  Identity who;
  if (!token.empty()) {
    who = auth()->Authenticate(token);
    if (who.kind == Identity::Kind::kNobody) {
      metrics_.Request(match.route, 401, 0);
      return Unauthorized("the bearer token is not known (earshot token create prints one)");
    }
  }
  if (match.route != Route::kListens) {
    head.pro = who.kind == Identity::Kind::kReader && who.tier == config::ReaderTier::kPro;
    return std::nullopt;
  }
  auto refuse = [&](HttpResponse r) {
    metrics_.Request(match.route, r.status, 0);
    return std::optional<HttpResponse>(std::move(r));
  };
  if (token.empty())
    return refuse(Unauthorized("sending events needs a provider token: Authorization: Bearer <token>"));
  if (who.kind != Identity::Kind::kProvider) {
    return refuse(ErrorResponse(403, "read_only_token", "a read token cannot send events: use a provider token"));
  }
  auto query = QueryParams(head.target);
  if (auto it = query.find("provider"); it != query.end() && it->second != who.provider) {
    return refuse(ErrorResponse(403, "wrong_provider",
                                "the token sends as provider '" + who.provider + "', not '" + it->second + "'"));
  }
  auto index = ProviderIndex(who.provider);
  if (!index || !project_.providers[*index].Delivers(config::Delivery::kInstant)) {
    return refuse(ErrorResponse(403, "instant_not_declared",
                                "provider '" + who.provider +
                                    "' does not declare deliveries = [\"instant\", ...] "
                                    "in earshot.toml"));
  }
  if (draining_) {
    HttpResponse r = ErrorResponse(503, "shutting_down", "the server is shutting down: retry");
    r.retry_after_seconds = 5;
    return refuse(std::move(r));
  }
  const Admission admission = log_->Check(content_length);
  if (admission != Admission::kOk) return refuse(RefusedByLog(admission));
  head.sender = who.provider;
  return std::nullopt;
}

void Service::OnServerAnswer(const HttpRequest& head, int status) {
  metrics_.Request(head.method.empty() ? Route::kUnknown : MatchRoute(head.method, head.target).route, status, 0);
}

void Service::OnRequest(HttpRequest request, Responder respond) {
  const auto started = std::chrono::steady_clock::now();
  const RouteMatch match = MatchRoute(request.method, request.target);
  const Route route = match.route;
  auto reply = [this, route, started, respond = std::move(respond)](HttpResponse r) {
    metrics_.Request(route, r.status,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    respond(std::move(r));
  };
  switch (route) {
    case Route::kListens: {
      if (draining_) {
        HttpResponse r = ErrorResponse(503, "shutting_down", "the server is shutting down: retry");
        r.retry_after_seconds = 5;
        return reply(std::move(r));
      }
      return listens_->Handle(*ProviderIndex(request.sender), request.body, std::move(reply));
    }
    case Route::kHealthz:
      return reply({200, "application/json", "{\"status\":\"ok\"}"});
    case Route::kReadyz:
      return reply(Ready());
    case Route::kMetrics: {
      const EventLog::Stats s = log_->stats();
      Gauges g;
      g.ready = s.writable && !draining_;
      g.queue_bytes = s.queue_bytes;
      g.unloaded_bytes = s.unloaded_bytes;
      g.unloaded_segments = s.unloaded_segments;
      g.loader_lag_seconds = s.oldest_unloaded_seconds;
      g.known_events = s.known_events;
      g.preallocated_segments = s.preallocated_segments;
      if (auto m = marts_->current()) {
        g.snapshot_age_seconds =
            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count() -
            m->published_unix_seconds;
      }
      return reply({200, "text/plain; version=0.0.4", metrics_.Render(g)});
    }
    case Route::kOpenApi:
      return reply({200, "application/json", std::string(OpenApiDocument())});
    default:
      break;
  }
  auto marts = marts_->current();
  if (!marts) {
    HttpResponse r = ErrorResponse(503, "no_snapshot", "nothing published yet: the first build has not run");
    r.retry_after_seconds = 5;
    return reply(std::move(r));
  }
  const Tier tier = request.pro ? Tier::kPro : Tier::kPublic;
  const auto query = QueryParams(request.target);
  switch (route) {
    case Route::kEstimates:
      return reply(EstimatesAnswer(*marts, match.params[0], query, tier));
    case Route::kRising:
      return reply(RisingAnswer(*marts, query, tier));
    case Route::kCreatorsTop:
      return reply(CreatorsTopAnswer(*marts, query, tier));
    case Route::kFirst30Days:
      return reply(First30DaysAnswer(*marts, match.params[0], tier));
    default:
      return reply(ErrorResponse(500, "internal", "unrouted request"));
  }
}

HttpResponse Service::Ready() const {
  const EventLog::Stats s = log_->stats();
  const bool ready = s.writable && !draining_;
  HttpResponse r;
  r.status = ready ? 200 : 503;
  r.body = std::string("{\"ready\":") + (ready ? "true" : "false") +
           ",\"warehouse_open\":true,\"log_writable\":" + (s.writable ? "true" : "false") +
           ",\"draining\":" + (draining_ ? "true" : "false") +
           ",\"snapshot_loaded\":" + (marts_->current() ? "true" : "false") + "}";
  return r;
}

namespace {
sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}
}  // namespace

void BlockStopSignals() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

Status RunUntilSignal(const config::Project& project, warehouse::Warehouse& wh, SegmentLoader::BuildFn build,
                      const std::string& listen) {
  BlockStopSignals();  // in case the caller did not: covers the threads started from here on
  sigset_t signals = StopSignals();
  EARSHOT_ASSIGN_OR_RETURN(auto service, Service::Start(project, wh, std::move(build), listen));
  LogInfo("listening").Str("address", service->address()).Str("project", project.root.string());
  int sig = 0;
  while (sigwait(&signals, &sig) != 0) {
  }
  LogInfo("signal").Str("signal", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  service->Shutdown();
  return Status::Ok();
}

}  // namespace earshot::server
