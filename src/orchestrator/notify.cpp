#include "orchestrator/notify.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "common/json_text.h"

namespace earshot::orchestrator {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

Status RunNotifyCommand(const std::string& command, const std::string& input, double timeout_seconds) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Status::IoError("notify command: cannot make a pipe");
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::IoError("notify command: cannot start it");
  }
  if (pid == 0) {
    // Its own process group, so a timeout ends whatever the command started too.
    ::setpgid(0, 0);
    ::dup2(fds[0], 0);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  // A command that does not read its stdin must not block us: write what fits.
  ::signal(SIGPIPE, SIG_IGN);
  const char* p = input.data();
  size_t left = input.size();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  while (left > 0 && std::chrono::steady_clock::now() < deadline) {
    ssize_t w = ::write(fds[1], p, left);
    if (w > 0) {
      p += w;
      left -= static_cast<size_t>(w);
    } else if (w < 0 && errno == EAGAIN) {
      pollfd pfd{fds[1], POLLOUT, 0};
      ::poll(&pfd, 1, 50);
    } else {
      break;  // the command closed its stdin
    }
  }
  ::close(fds[1]);
  int status = 0;
  while (true) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Status::IoError("notify command timed out after " + std::to_string(timeout_seconds) + " s: " + command);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IoError("notify command failed (exit " +
                           std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) +
                           "): " + command);
  }
  return Status::Ok();
}

Status PostJson(const std::string& url, const std::string& json, double timeout_seconds) {
  if (!url.starts_with("http://")) return Status::Invalid("notify webhook " + url + ": only http:// URLs");
  std::string rest = url.substr(7);
  const size_t slash = rest.find('/');
  const std::string hostport = rest.substr(0, slash);
  const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  const size_t colon = hostport.rfind(':');
  const std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
    beast::error_code ec;
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return Status::IoError("notify webhook " + url + ": cannot resolve " + host + ": " + ec.message());
    stream.expires_after(timeout);
    stream.connect(endpoints, ec);
    if (ec) return Status::IoError("notify webhook " + url + ": cannot connect: " + ec.message());
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, hostport);
    req.set(http::field::user_agent, "earshot");
    req.set(http::field::content_type, "application/json");
    req.body() = json;
    req.prepare_payload();
    stream.expires_after(timeout);
    http::write(stream, req, ec);
    if (ec) return Status::IoError("notify webhook " + url + ": cannot send: " + ec.message());
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    stream.expires_after(timeout);
    http::read(stream, buffer, res, ec);
    if (ec) return Status::IoError("notify webhook " + url + ": no answer: " + ec.message());
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    if (res.result_int() < 200 || res.result_int() >= 300) {
      return Status::IoError("notify webhook " + url + ": answered " + std::to_string(res.result_int()));
    }
  } catch (const std::exception& e) {
    return Status::IoError("notify webhook " + url + ": " + e.what());
  }
  return Status::Ok();
}

std::vector<std::string> Notify(const config::NotifySettings& settings, const std::string& json) {
  std::vector<std::string> failures;
  if (!settings.command.empty()) {
    if (Status st = RunNotifyCommand(settings.command, json + "\n", settings.timeout_seconds); !st.ok()) {
      failures.push_back(st.message());
    }
  }
  if (!settings.webhook.empty()) {
    if (Status st = PostJson(settings.webhook, json, settings.timeout_seconds); !st.ok()) failures.push_back(st.message());
  }
  return failures;
}

}  // namespace earshot::orchestrator
