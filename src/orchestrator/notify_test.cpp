#include "orchestrator/notify.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>

namespace earshot::orchestrator {
namespace {

namespace fs = std::filesystem;

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/earshot-notify-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

// A one-request HTTP listener on 127.0.0.1: answers `status` and hands back
// the whole request it received.
class Listener {
 public:
  explicit Listener(int status) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    request_ = std::async(std::launch::async, [this, status] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return std::string();
      std::string got;
      char buf[4096];
      // Headers, then Content-Length bytes of body.
      while (true) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
        auto end = got.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        auto cl = got.find("Content-Length: ");
        size_t want = cl == std::string::npos ? 0 : std::stoul(got.substr(cl + 16));
        if (got.size() >= end + 4 + want) break;
      }
      std::string answer = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)::write(c, answer.data(), answer.size());
      ::close(c);
      return got;
    });
  }
  ~Listener() { ::close(fd_); }
  int port() const { return port_; }
  std::string Request() { return request_.get(); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::future<std::string> request_;
};

TEST_F(NotifyTest, ACommandGetsTheSummaryOnItsStdin) {
  config::NotifySettings s;
  s.command = "cat > " + (dir_ / "got.json").string();
  EXPECT_TRUE(Notify(s, "{\"event\":\"run_finished\"}").empty());
  EXPECT_EQ(Read(dir_ / "got.json"), "{\"event\":\"run_finished\"}\n");
}

TEST_F(NotifyTest, AFailingOrHangingCommandIsReportedNotFatal) {
  config::NotifySettings s;
  s.command = "exit 3";
  auto failed = Notify(s, "{}");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].find("exit 3"), std::string::npos) << failed[0];

  s.command = "sleep 30";
  s.timeout_seconds = 0.2;
  auto hung = Notify(s, "{}");
  ASSERT_EQ(hung.size(), 1u);
  EXPECT_NE(hung[0].find("timed out"), std::string::npos) << hung[0];
}

TEST_F(NotifyTest, AWebhookGetsTheSummaryPosted) {
  Listener listener(200);
  config::NotifySettings s;
  s.webhook = "http://127.0.0.1:" + std::to_string(listener.port()) + "/hooks/earshot";
  EXPECT_TRUE(Notify(s, "{\"event\":\"check_failed\"}").empty());
  const std::string req = listener.Request();
  EXPECT_EQ(req.rfind("POST /hooks/earshot HTTP/1.1\r\n", 0), 0u) << req;
  EXPECT_NE(req.find("Content-Type: application/json"), std::string::npos) << req;
  EXPECT_NE(req.find("\r\n\r\n{\"event\":\"check_failed\"}"), std::string::npos) << req;
}

TEST_F(NotifyTest, AWebhookThatRefusesOrIsNotThereIsReported) {
  Listener listener(500);
  config::NotifySettings s;
  s.webhook = "http://127.0.0.1:" + std::to_string(listener.port()) + "/";
  auto refused = Notify(s, "{}");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("answered 500"), std::string::npos) << refused[0];
  listener.Request();

  int port = 0;
  {
    Listener closed(200);  // a port that was free a moment ago
    port = closed.port();
    s.webhook = "http://127.0.0.1:" + std::to_string(port) + "/";
    EXPECT_TRUE(Notify(s, "{}").empty());
    closed.Request();
  }
  auto gone = Notify(s, "{}");
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_NE(gone[0].find("cannot connect"), std::string::npos) << gone[0];
}

TEST(JsonQuote, EscapesWhatJsonNeeds) {
  EXPECT_EQ(JsonString("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

}  // namespace
}  // namespace earshot::orchestrator
