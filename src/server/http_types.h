// The HTTP request and response as the API sees them, independent of the
// HTTP library (only http_server.cpp knows Boost.Beast). Plain data.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace earshot::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string authorization;
  std::string body;
  // Set by the handler's OnHead for its own OnRequest: who sent it.
  std::string sender;  // a provider token's provider
  bool pro = false;    // a pro read token
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  int retry_after_seconds = 0;                               // > 0: a Retry-After header
  bool close = false;                                        // close the connection after this answer
  std::vector<std::pair<std::string, std::string>> headers;  // any others
};

// Hands a response to the connection; callable once, from any thread.
using Responder = std::function<void(HttpResponse)>;

// A JSON error answer: {"error": {"code": "...", "message": "..."}}.
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message);

}  // namespace earshot::server
