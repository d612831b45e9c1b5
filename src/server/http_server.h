// HttpServer: HTTP/1.1 over TCP with Boost.Beast and Asio, the only code of
// earshot that knows them. A fixed pool of threads (one per core by
// default) runs every connection asynchronously, so a request waiting for
// the log's group commit holds no thread, and a keep-alive connection costs
// a socket, not a thread (README, "HTTP API", why this library).
//
// Per request: the headers are read first and shown to the handler
// (OnHead), which may answer at once (401, 403, 413, 429, 503) without the
// body being read; then the body is read (at most max_body_bytes, else 413)
// within request_timeout, and OnRequest gets the whole request and a
// Responder to call once, from any thread. Connections idle longer than
// idle_timeout are closed.
//
// Start() and the stop functions are for one controlling thread; the
// handler is called on the pool's threads, concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "server/http_types.h"

namespace earshot::server {

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // The request without its body (`content_length`: announced, 0 when none).
  // An answer to send instead of reading the body, or nullopt to go on; the
  // handler may note what it learnt in `head` (it is passed to OnRequest).
  virtual std::optional<HttpResponse> OnHead(HttpRequest& head, uint64_t content_length) = 0;
  virtual void OnRequest(HttpRequest request, Responder respond) = 0;
  // An answer the server gave by itself (400, 408, 413, 431), for metrics;
  // `head` is empty when the headers could not be read.
  virtual void OnServerAnswer(const HttpRequest& head, int status) = 0;
};

struct HttpLimits {
  uint64_t max_body_bytes = 8ull << 20;
  double request_timeout_seconds = 30;
  double idle_timeout_seconds = 60;
};

class HttpServer {
 public:
  // Listens on "host:port" (port 0: any free port) with `threads` threads
  // (0: one per core). IoError when the address cannot be used.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& listen, int threads, HttpLimits limits,
                                                   HttpHandler& handler);
  ~HttpServer();

  // "host:port" actually bound.
  std::string address() const;
  // Closes the listening socket: no new connections.
  void StopAccepting();
  // Closes idle connections, lets busy ones send their answer (for up to
  // `grace_seconds`), then stops the threads.
  void Stop(double grace_seconds = 10);

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace earshot::server
