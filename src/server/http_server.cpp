#include "server/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "server/json_log.h"

namespace earshot::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::chrono::steady_clock::duration Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

class Session;

// What every session shares: limits, the handler, and the registry of open
// sessions (so Stop() can close the idle ones).
struct Shared {
  HttpLimits limits;
  HttpHandler* handler = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::list<std::weak_ptr<Session>> sessions;  // guarded by mu
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void Run(std::list<std::weak_ptr<Session>>::iterator self) {
    self_ = self;
    net::dispatch(stream_.get_executor(), [s = shared_from_this()] { s->ReadHead(); });
  }

  // On the session's strand: close now when waiting for a request, else
  // after the answer being prepared.
  void CloseWhenIdle() {
    net::post(stream_.get_executor(), [s = shared_from_this()] {
      if (!s->busy_) {
        beast::error_code ec;
        s->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        s->stream_.close();
      }
    });
  }

  ~Session() {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.sessions.erase(self_);
  }

 private:
  void ReadHead() {
    if (shared_.stopping) return Close();
    busy_ = false;
    head_ = HttpRequest();
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(shared_.limits.max_body_bytes);
    // The first request of a connection has the request timeout; later
    // ones may idle in between.
    stream_.expires_after(
        Seconds(first_ ? shared_.limits.request_timeout_seconds : shared_.limits.idle_timeout_seconds));
    first_ = false;
    http::async_read_header(stream_, buffer_, *parser_,
                            [s = shared_from_this()](beast::error_code ec, size_t) { s->OnHead(ec); });
  }

  void OnHead(beast::error_code ec) {
    if (ec) {
      if (ec == http::error::header_limit)
        return SendAndClose(ErrorResponse(431, "header_too_large", "request headers over 16 KB"));
      // A Content-Length over the body limit fails while the headers are read.
      if (ec == http::error::body_limit) {
        unread_body_ = true;
        return SendAndClose(BodyTooLarge());
      }
      if (ec != http::error::end_of_stream && ec != beast::error::timeout && ec != net::error::operation_aborted &&
          ec != net::error::connection_reset && ec != net::error::bad_descriptor) {
        return SendAndClose(ErrorResponse(400, "bad_request", "not an HTTP/1.1 request: " + ec.message()));
      }
      return Close();
    }
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    stream_.expires_after(Seconds(shared_.limits.request_timeout_seconds));
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    HttpRequest head;
    head.method = std::string(req.method_string());
    head.target = std::string(req.target());
    head.authorization = std::string(req[http::field::authorization]);
    const uint64_t length = parser_->content_length().value_or(0);
    const bool body_unread = !parser_->is_done();
    head_ = head;
    if (parser_->content_length() && *parser_->content_length() > shared_.limits.max_body_bytes) {
      unread_body_ = true;
      return SendAndClose(BodyTooLarge());
    }
    if (auto early = shared_.handler->OnHead(head, length)) {
      // The body was not read: the connection cannot carry another request.
      if (body_unread) {
        early->close = true;
        unread_body_ = true;
      }
      return Send(std::move(*early));
    }
    head_ = std::move(head);
    if (!body_unread) return OnBody({});
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
      return http::async_write(stream_, *cont, [s = shared_from_this(), cont](beast::error_code e, size_t) {
        if (e) return s->Close();
        s->ReadBody();
      });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [s = shared_from_this()](beast::error_code ec, size_t) { s->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      unread_body_ = true;
      return SendAndClose(BodyTooLarge());
    }
    if (ec == beast::error::timeout) {
      return SendAndClose(ErrorResponse(408, "request_timeout", "the request did not arrive in time"));
    }
    if (ec) return Close();
    stream_.expires_never();  // the answer may wait for the log; the handler bounds that
    HttpRequest request = std::move(head_);
    request.body = parser_->release().body();
    auto self = shared_from_this();
    shared_.handler->OnRequest(std::move(request), [self](HttpResponse response) {
      net::post(self->stream_.get_executor(), [self, r = std::move(response)]() mutable { self->Send(std::move(r)); });
    });
  }

  HttpResponse BodyTooLarge() const {
    return ErrorResponse(413, "body_too_large",
                         "the body is larger than " + std::to_string(shared_.limits.max_body_bytes) +
                             " bytes (serve.max_body_bytes): send fewer events a request");
  }

  void SendAndClose(HttpResponse response) {
    shared_.handler->OnServerAnswer(head_, response.status);
    response.close = true;
    Send(std::move(response));
  }

  void Send(HttpResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status),
                                                                   version_ ? version_ : 11);
    res->set(http::field::server, "earshot");
    res->set(http::field::content_type, r.content_type);
    if (r.retry_after_seconds > 0) res->set(http::field::retry_after, std::to_string(r.retry_after_seconds));
    for (auto& [k, v] : r.headers) res->set(k, v);
    const bool close = r.close || !keep_alive_ || shared_.stopping;
    res->keep_alive(!close);
    res->body() = std::move(r.body);
    res->prepare_payload();
    stream_.expires_after(Seconds(shared_.limits.request_timeout_seconds));
    http::async_write(stream_, *res, [s = shared_from_this(), res, close](beast::error_code ec, size_t) {
      if (ec) return s->Close();
      if (close) return s->unread_body_ ? s->Linger() : s->Close();
      s->ReadHead();
    });
  }

  // After answering without reading a body the client may still be
  // sending: closing now would reset the connection and could destroy the
  // answer before the client reads it. Stop sending, drain what arrives
  // for a while, then close.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    Drain();
  }
  void Drain() {
    stream_.async_read_some(net::buffer(scratch_), [s = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return s->Close();
      s->Drain();
    });
  }

  void Close() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  std::list<std::weak_ptr<Session>>::iterator self_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest head_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool busy_ = false;
  bool first_ = true;
  bool unread_body_ = false;
  char scratch_[16384];
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

struct HttpServer::Impl {
  Shared shared;  // outlives ioc: sessions still queued in ioc use it when destroyed
  net::io_context ioc;
  // Keeps the threads running while no connection is open (until Stop()).
  net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
  tcp::acceptor acceptor{net::make_strand(ioc)};
  std::atomic<bool> accepting{true};
  std::vector<std::thread> threads;
  std::string address;

  explicit Impl(int threads_hint) : ioc(threads_hint) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        LogWarn("accept_failed").Str("message", ec.message());
        // Out of file descriptors and the like: try again shortly.
        auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
        return timer->async_wait([this, timer](beast::error_code) { Accept(); });
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto session = std::make_shared<Session>(std::move(socket), shared);
      std::list<std::weak_ptr<Session>>::iterator it;
      {
        std::lock_guard<std::mutex> lock(shared.mu);
        it = shared.sessions.insert(shared.sessions.end(), session);
      }
      session->Run(it);
      Accept();
    });
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(0); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& listen, int threads, HttpLimits limits,
                                                      HttpHandler& handler) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::Invalid("--listen must be host:port, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) return Status::Invalid("--listen: bad port in '" + listen + "'");
  beast::error_code ec;
  auto address = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return Status::Invalid("--listen: '" + host + "' is not an IP address");

  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto impl = std::make_unique<Impl>(threads);
  impl->shared.limits = limits;
  impl->shared.handler = &handler;
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::IoError("cannot listen on " + listen + ": " + ec.message());
  auto bound = impl->acceptor.local_endpoint(ec);
  impl->address = (bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string()) +
                  ":" + std::to_string(bound.port());
  impl->Accept();
  for (int i = 0; i < threads; ++i) impl->threads.emplace_back([ioc = &impl->ioc] { ioc->run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::string HttpServer::address() const { return impl_->address; }

void HttpServer::StopAccepting() {
  if (!impl_->accepting.exchange(false) || impl_->threads.empty()) return;
  std::promise<void> done;
  auto closed = done.get_future();
  net::post(impl_->acceptor.get_executor(), [this, &done] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    done.set_value();
  });
  closed.wait();
}

void HttpServer::Stop(double grace_seconds) {
  if (impl_->threads.empty()) return;
  StopAccepting();
  impl_->shared.stopping = true;
  const auto deadline = std::chrono::steady_clock::now() + Seconds(grace_seconds);
  while (true) {
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard<std::mutex> lock(impl_->shared.mu);
      for (auto& w : impl_->shared.sessions) {
        if (auto s = w.lock()) open.push_back(std::move(s));
      }
    }
    if (open.empty() || std::chrono::steady_clock::now() >= deadline) break;
    for (auto& s : open) s->CloseWhenIdle();
    open.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace earshot::server
