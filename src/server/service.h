// Service: `earshot serve`, everything wired together.
//
//   HTTP (HttpServer) ── POST /v1/listens ──► ListensEndpoint ──► EventLog
//        │                                  (per-line checks)   (group commit,
//        │                                                       segments)
//        │                                                          │ closed segments
//        ├── GET /v1/... ◄── MartCache ◄── published.duckdb ◄── SegmentLoader
//        │                  (in memory)    (new snapshot)       (Ingestor::Ingest,
//        └── /healthz /readyz /metrics /openapi.json             build every N s)
//
// Start() recovers the log, rebuilds the dedupe set from raw.listens and
// the unloaded segments, loads the current snapshot and starts listening.
// Shutdown() stops accepting, answers what is in flight, flushes and closes
// the log, loads every segment, builds, and returns. The Service is the
// only user of the working warehouse from Start() on.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "config/project.h"
#include "server/event_log.h"
#include "server/http_server.h"
#include "server/listens_endpoint.h"
#include "server/mart_cache.h"
#include "server/metrics.h"
#include "server/segment_loader.h"
#include "server/tokens.h"
#include "warehouse/warehouse.h"

namespace earshot::server {

class Service final : public HttpHandler {
 public:
  // `listen`: host:port, or empty for the project's serve.listen. `build`
  // builds the models and publishes (the CLI's BuildProject).
  static Result<std::unique_ptr<Service>> Start(const config::Project& project, warehouse::Warehouse& wh,
                                                SegmentLoader::BuildFn build, const std::string& listen);
  ~Service() override;

  std::string address() const { return http_->address(); }
  void Shutdown();

  std::optional<HttpResponse> OnHead(HttpRequest& head, uint64_t content_length) override;
  void OnRequest(HttpRequest request, Responder respond) override;
  void OnServerAnswer(const HttpRequest& head, int status) override;

 private:
  Service(const config::Project& project, warehouse::Warehouse& wh);
  Status Rebuild();
  void Maintain();
  std::shared_ptr<const Authenticator> auth() const;
  HttpResponse Ready() const;
  std::optional<size_t> ProviderIndex(const std::string& name) const;

  const config::Project project_;
  warehouse::Warehouse& wh_;
  Metrics metrics_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<ListensEndpoint> listens_;
  std::unique_ptr<MartCache> marts_;
  std::unique_ptr<SegmentLoader> loader_;
  std::unique_ptr<HttpServer> http_;

  mutable std::mutex auth_mu_;
  std::shared_ptr<const Authenticator> auth_;  // guarded by auth_mu_; swapped when earshot.toml changes
  int64_t config_mtime_ns_ = 0;                // maintenance thread

  std::atomic<bool> draining_{false};
  std::mutex maintain_mu_;
  std::condition_variable maintain_wake_;
  bool maintain_stop_ = false;  // guarded by maintain_mu_
  std::thread maintainer_;
  bool shut_down_ = false;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// afterwards (DuckDB's too), so that only RunUntilSignal receives them. Call
// before opening the warehouse.
void BlockStopSignals();

// Runs the service until SIGTERM or SIGINT (blocked by BlockStopSignals()),
// then shuts it down gracefully. Logs (JSON lines on stderr) where it
// listens. Returns Ok after a clean shutdown, or what kept it from starting.
Status RunUntilSignal(const config::Project& project, warehouse::Warehouse& wh, SegmentLoader::BuildFn build,
                      const std::string& listen);

}  // namespace earshot::server
