#include "daemon/control/control_server.h"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "daemon/control/control_reply.h"
#include "tests/support/control_server_thread.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;

int connect_unix(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A blocking test client with a receive deadline, so a hung server fails the
// test instead of hanging it.
class Client {
 public:
  explicit Client(const std::string& path) : fd_(connect_unix(path)) {
    timeval tv{.tv_sec = 5, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // The next line, or nullopt at end of stream, reset or timeout (see
  // last_error).
  std::optional<std::string> read_line() {
    for (;;) {
      if (auto end = buffer_.find('\n'); end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      char chunk[65536];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      last_error = n < 0 ? errno : 0;
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  boost::json::object call(std::string_view line) {
    EXPECT_TRUE(send(std::string(line) + "\n"));
    auto reply = read_line();
    if (!reply) {
      ADD_FAILURE() << "no reply to " << line << " (errno " << last_error << ")";
      return {};
    }
    return boost::json::parse(*reply).as_object();
  }

  // Whether the server hangs up within `limit`, without reading what it
  // sent: the peer's end of a Unix socket shows POLLRDHUP once it is closed.
  bool hung_up_within(std::chrono::milliseconds limit) {
    pollfd p{fd_, POLLRDHUP, 0};
    return ::poll(&p, 1, static_cast<int>(limit.count())) == 1 && (p.revents & (POLLRDHUP | POLLHUP)) != 0;
  }

  // True when the server closed the connection (as opposed to a timeout).
  bool closed_by_server() {
    while (read_line()) {}
    return last_error == 0 || last_error == ECONNRESET;
  }

  int last_error = 0;

 private:
  int fd_;
  std::string buffer_;
};

// Answers kept for later by "keep" and "later"; touched on the io thread only.
std::vector<ControlRespond> kept_answers;

void test_handler(const ControlRequest& r, const ControlRespond& respond) {
  if (r.command == "echo") return respond(reply_ok(*r.args));
  if (r.command == "peer") {
    return respond(reply_ok(boost::json::object{{"pid", r.peer.pid}, {"uid", r.peer.uid}, {"gid", r.peer.gid}}));
  }
  if (r.command == "big") {
    return respond(reply_ok(boost::json::string(r.args->at("bytes").to_number<std::size_t>(), 'x')));
  }
  if (r.command == "throw") throw std::runtime_error("boom");
  if (r.command == "twice") {
    respond(reply_ok("first"));
    return respond(reply_ok("second"));
  }
  if (r.command == "keep") {  // answers now and keeps the responder
    respond(reply_ok("kept"));
    kept_answers.push_back(respond);
    return;
  }
  if (r.command == "later") return kept_answers.push_back(respond);
  respond(reply_error("unknown command '" + r.command + "'"));
}

bool is_error(const boost::json::object& reply) { return reply.at("ok") == false && reply.at("error").is_string(); }

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  Result<void> start() { return start({.path = path_}); }
  Result<void> start(const ControlServerOptions& options) {
    kept_answers.clear();
    return server_.start(options, test_handler);
  }
  void stop() { server_.stop(); }

  // Waits until the handler has kept `n` responders (it runs on the io
  // thread once the request has been read).
  bool kept(std::size_t n) {
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(std::chrono::milliseconds(2))) {
      std::size_t size = 0;
      server_.run_on_io_thread([&] { size = kept_answers.size(); });
      if (size >= n) return size == n;
    }
    return false;
  }

  test::TempDir dir_{"netwarden-control"};
  std::string path_ = dir_.file("control.sock");
  test::ControlServerThread server_;
};

TEST_F(ControlServerTest, AnswersRequestsInOrderOnOneConnection) {
  ASSERT_TRUE(start());
  Client c(path_);
  ASSERT_TRUE(c.connected());
  auto reply = c.call(R"({"command":"echo","args":{"n":1,"word":"网信办"}})");
  EXPECT_EQ(reply, (boost::json::object{{"ok", true}, {"result", {{"n", 1}, {"word", "网信办"}}}}));

  // Two requests in one write get two replies, in order.
  ASSERT_TRUE(c.send("{\"command\":\"echo\",\"args\":{\"n\":2}}\r\n{\"command\":\"echo\",\"args\":{\"n\":3}}\n"));
  EXPECT_EQ(boost::json::parse(*c.read_line()).at("result").at("n"), 2);
  EXPECT_EQ(boost::json::parse(*c.read_line()).at("result").at("n"), 3);

  // "args" is optional; the handler then sees an empty object.
  EXPECT_EQ(c.call(R"({"command":"echo"})").at("result"), boost::json::object());
}

TEST_F(ControlServerTest, MalformedRequestsGetErrorsAndTheConnectionStaysUsable) {
  ASSERT_TRUE(start());
  Client c(path_);
  for (const char* bad : {R"({"command":)", "not json", "", R"([1,2])", R"("status")", R"({})", R"({"command":5})",
                          R"({"command":"echo","args":[1]})"}) {
    auto reply = c.call(bad);
    EXPECT_TRUE(is_error(reply)) << bad << " -> " << boost::json::serialize(reply);
  }
  EXPECT_EQ(c.call(R"({"command":"echo","args":{"still":"open"}})").at("ok"), true);
}

TEST_F(ControlServerTest, ErrorMessagesSayWhatIsWrong) {
  ASSERT_TRUE(start());
  Client c(path_);
  EXPECT_NE(c.call("{oops").at("error").as_string().find("malformed JSON"), boost::json::string::npos);
  EXPECT_NE(c.call("[]").at("error").as_string().find("JSON object"), boost::json::string::npos);
  EXPECT_NE(c.call(R"({"cmd":"status"})").at("error").as_string().find("\"command\""), boost::json::string::npos);
  EXPECT_NE(c.call(R"({"command":"echo","args":1})").at("error").as_string().find("\"args\""),
            boost::json::string::npos);
}

// Boost.JSON would keep one of two equal keys silently; the request is
// refused instead, naming the key and where it is.
TEST_F(ControlServerTest, RepeatedKeysAreRefusedAtEveryLevel) {
  ASSERT_TRUE(start());
  Client c(path_);
  EXPECT_EQ(c.call(R"({"command":"echo","command":"peer"})").at("error"),
            "a request must not repeat a key: \"command\"");
  EXPECT_EQ(c.call(R"({"command":"echo","args":{"id":1,"note":"x","id":2}})").at("error"),
            "a request must not repeat a key: \"id\" in \"args\"");
  EXPECT_EQ(c.call(R"({"command":"echo","args":{"list":[{"a":1},{"b":1,"b":2}]}})").at("error"),
            "a request must not repeat a key: \"b\" in \"args.list[]\"");
  // Escapes are compared decoded: "\u0069d" is "id".
  EXPECT_EQ(c.call(R"({"command":"echo","args":{"id":1,"\u0069d":2}})").at("error"),
            "a request must not repeat a key: \"id\" in \"args\"");
  // The same key in different objects is no repeat.
  auto reply = c.call(R"({"command":"echo","args":{"a":{"id":1},"b":{"id":2},"list":[{"id":3},{"id":4}]}})");
  EXPECT_EQ(reply.at("ok"), true) << boost::json::serialize(reply);
}

TEST_F(ControlServerTest, UnknownCommandsAreReportedByTheHandler) {
  ASSERT_TRUE(start());
  Client c(path_);
  EXPECT_EQ(c.call(R"({"command":"frobnicate"})"),
            (boost::json::object{{"ok", false}, {"error", "unknown command 'frobnicate'"}}));
}

TEST_F(ControlServerTest, AnAnswerCanComeLaterAndOnlyOnce) {
  ASSERT_TRUE(start());
  Client c(path_);
  EXPECT_EQ(c.call(R"({"command":"twice"})").at("result"), "first");
  EXPECT_EQ(c.call(R"({"command":"keep"})").at("result"), "kept");

  ASSERT_TRUE(c.send("{\"command\":\"later\"}\n"));
  ASSERT_TRUE(kept(2));
  server_.run_on_io_thread([] {
    // The responder of the earlier request cannot answer this one.
    kept_answers[0](reply_ok("stale"));
    kept_answers[1](reply_ok("late"));
  });
  auto line = c.read_line();
  ASSERT_TRUE(line);
  EXPECT_EQ(boost::json::parse(*line).at("result"), "late");
  EXPECT_EQ(c.call(R"({"command":"echo","args":{"next":true}})").at("result").at("next"), true);
}

TEST_F(ControlServerTest, StopEndsAConnectionWaitingForAnAnswer) {
  ASSERT_TRUE(start());
  Client c(path_);
  ASSERT_TRUE(c.send("{\"command\":\"later\"}\n"));
  ASSERT_TRUE(kept(1));
  server_.stop();  // returns only once the io thread ran out of work
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ControlServerTest, HandlerExceptionBecomesAnErrorReply) {
  ASSERT_TRUE(start());
  Client c(path_);
  auto reply = c.call(R"({"command":"throw"})");
  ASSERT_TRUE(is_error(reply));
  EXPECT_NE(reply.at("error").as_string().find("boom"), boost::json::string::npos);
  EXPECT_EQ(c.call(R"({"command":"echo"})").at("ok"), true);
}

TEST_F(ControlServerTest, LineOfMaxLengthIsAcceptedLongerOneClosesTheConnection) {
  ASSERT_TRUE(start());
  auto request_of_length = [](std::size_t length) {
    std::string head = R"({"command":"echo","args":{"pad":")", tail = R"("}})";
    return head + std::string(length - head.size() - tail.size(), 'p') + tail;
  };
  Client fits(path_);
  EXPECT_EQ(fits.call(request_of_length(64 * 1024)).at("ok"), true);

  Client over(path_);
  auto reply = over.call(request_of_length(64 * 1024 + 1));
  ASSERT_TRUE(is_error(reply));
  EXPECT_NE(reply.at("error").as_string().find("longer than 65536"), boost::json::string::npos);
  EXPECT_TRUE(over.closed_by_server());
}

TEST_F(ControlServerTest, ServesManyClientsAtOnce) {
  ASSERT_TRUE(start());
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 20; ++i) {
    clients.emplace_back([&, i] {
      Client c(path_);
      for (int k = 0; k < 20; ++k) {
        auto reply = c.call(R"({"command":"echo","args":{"client":)" + std::to_string(i) + R"(,"k":)" +
                            std::to_string(k) + "}}");
        if (reply.contains("result") && reply.at("result") == boost::json::object{{"client", i}, {"k", k}}) ++good;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good, 20 * 20);
}

TEST_F(ControlServerTest, ClientsBeyondTheLimitAreTurnedAway) {
  ASSERT_TRUE(start({.path = path_, .max_connections = 3}));
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Client>(path_));
    EXPECT_EQ(held.back()->call(R"({"command":"echo"})").at("ok"), true);
  }
  Client extra(path_);
  auto refused = extra.read_line();
  ASSERT_TRUE(refused);
  EXPECT_TRUE(is_error(boost::json::parse(*refused).as_object())) << *refused;
  EXPECT_TRUE(extra.closed_by_server());

  // A slot freed is a slot available again.
  held.pop_back();
  for (int attempt = 0; attempt < 50; ++attempt) {
    Client again(path_);
    auto reply = again.call(R"({"command":"echo"})");
    if (reply.at("ok") == true) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "no slot became free after a client left";
}

// Connections opened by a child process running as nobody (uid 65534),
// held idle until the object goes; the test process stays root.
class ClientsAsNobody {
 public:
  static constexpr uid_t kUid = 65534;

  ClientsAsNobody(const std::string& path, int count) {
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(to_child[1]);
      ::close(from_child[0]);
      run_child(path.c_str(), count, to_child[0], from_child[1]);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    to_child_ = to_child[1];
    from_child_ = from_child[0];
  }
  ~ClientsAsNobody() {
    if (to_child_ >= 0) ::close(to_child_);  // the child's cue to exit
    if (from_child_ >= 0) ::close(from_child_);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
  }

  // Waits until the child has connected all its clients (they are queued
  // for the server, in order, ahead of any later connection).
  bool connected() { return read_reply() == "connected"; }

  // "HELD REFUSED FIRST-ERROR-LINE": how many connections are still open
  // with nothing received, and how many got a line (the first one's kept).
  std::string look() {
    if (::write(to_child_, "l", 1) != 1) return "";
    return read_reply();
  }

 private:
  [[noreturn]] static void run_child(const char* path, int count, int in, int out) {
    // Only system calls from here: the parent has other threads.
    if (::setgroups(0, nullptr) != 0 || ::setresgid(kUid, kUid, kUid) != 0 || ::setresuid(kUid, kUid, kUid) != 0) {
      ::_exit(2);
    }
    int fds[64];
    for (int i = 0; i < count && i < 64; ++i) {
      fds[i] = connect_unix(path);
      if (fds[i] < 0) ::_exit(3);
    }
    char cue;
    if (::write(out, "connected\n", 10) != 10 || ::read(in, &cue, 1) != 1) ::_exit(4);
    int held = 0, refused = 0;
    char first[512] = "";
    for (int i = 0; i < count; ++i) {
      char line[512];
      const ssize_t n = ::recv(fds[i], line, sizeof line - 1, MSG_DONTWAIT);
      if (n < 0 && errno == EAGAIN) ++held;
      if (n <= 0) continue;
      if (refused++ == 0) {
        line[n] = '\0';
        std::memcpy(first, line, static_cast<std::size_t>(n) + 1);
      }
    }
    char report[600];
    const int length = std::snprintf(report, sizeof report, "%d %d %s", held, refused, first);
    if (::write(out, report, static_cast<std::size_t>(length)) != length) ::_exit(5);
    while (::read(in, &cue, 1) > 0) {}
    ::_exit(0);
  }

  std::string read_reply() {
    pollfd p{from_child_, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) return "";
    char buffer[600];
    const ssize_t n = ::read(from_child_, buffer, sizeof buffer);
    std::string reply = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
    while (reply.ends_with('\n')) reply.pop_back();
    return reply;
  }

  pid_t pid_ = -1;
  int to_child_ = -1, from_child_ = -1;
};

class ControlServerLimitsTest : public ControlServerTest {
 protected:
  // Lets nobody reach the socket: it is root's, in a root-only directory.
  void open_to_everyone() {
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    ASSERT_EQ(::chmod(path_.c_str(), 0666), 0);
  }
};

TEST_F(ControlServerLimitsTest, OneUserBeyondItsCapIsRefusedWhileRootGetsInAtOnce) {
  ASSERT_TRUE(start({.path = path_, .max_per_uid = 3}));
  open_to_everyone();
  ClientsAsNobody nobody(path_, 5);
  ASSERT_TRUE(nobody.connected());
  Client root(path_);
  const auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(root.call(R"({"command":"echo","args":{"x":1}})").at("result").at("x"), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 1s);
  EXPECT_EQ(nobody.look(),
            R"(3 2 {"ok":false,"error":"uid 65534 already has 3 control connections open, the most one user may )"
            R"(have; try again later"})");
}

TEST_F(ControlServerLimitsTest, ReservedSlotsAreRootsAlone) {
  ASSERT_TRUE(start({.path = path_, .max_connections = 6, .max_per_uid = 10, .reserved = 2}));
  open_to_everyone();
  ClientsAsNobody nobody(path_, 6);
  ASSERT_TRUE(nobody.connected());
  Client root1(path_), root2(path_);
  EXPECT_EQ(root1.call(R"({"command":"echo"})").at("ok"), true);
  EXPECT_EQ(root2.call(R"({"command":"echo"})").at("ok"), true);
  EXPECT_EQ(nobody.look(),
            R"(4 2 {"ok":false,"error":"4 control connections are open, the most there may be for users other )"
            R"(than root; try again later"})");
  // All six slots taken: even root waits for one to free.
  Client root3(path_);
  auto refused = root3.read_line();
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused,
            R"({"ok":false,"error":"6 control connections are open, the most there may be; try again later"})");
}

TEST_F(ControlServerTest, SilentClientIsDroppedAfterIdleTimeout) {
  ASSERT_TRUE(start({.path = path_, .idle_timeout = 200ms}));
  Client silent(path_);
  auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.closed_by_server());
  auto waited = std::chrono::steady_clock::now() - began;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 3s);

  // A half-sent request does not count as activity either.
  Client partial(path_);
  ASSERT_TRUE(partial.send(R"({"command":"ec)"));
  EXPECT_TRUE(partial.closed_by_server());
}

TEST_F(ControlServerTest, ClientThatNeverReadsBlocksNeitherOthersNorItselfForever) {
  ASSERT_TRUE(start({.path = path_, .idle_timeout = 10s, .write_timeout = 200ms}));
  Client hog(path_);
  // Far more than the socket buffers hold: the server's write stalls.
  std::string big = R"({"command":"big","args":{"bytes":4000000}})"
                    "\n";
  ASSERT_TRUE(hog.send(big + big + big));

  Client other(path_);
  auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(other.call(R"({"command":"echo","args":{"x":1}})").at("result").at("x"), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 1s);

  // Once the write deadline passes the hog is dropped: draining its socket
  // ends in end-of-stream well before the idle timeout could have fired.
  EXPECT_TRUE(hog.hung_up_within(3s));
  EXPECT_TRUE(hog.closed_by_server());
}

TEST_F(ControlServerTest, PeerCredentialsAreTheCallers) {
  ASSERT_TRUE(start());
  Client c(path_);
  auto peer = c.call(R"({"command":"peer"})").at("result").as_object();
  EXPECT_EQ(peer.at("pid").to_number<pid_t>(), ::getpid());
  EXPECT_EQ(peer.at("uid").to_number<uid_t>(), ::getuid());
  EXPECT_EQ(peer.at("gid").to_number<gid_t>(), ::getgid());
}

TEST_F(ControlServerTest, SocketFileIsASocketWithMode0660) {
  ASSERT_TRUE(start());
  struct stat st {};
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
}

TEST_F(ControlServerTest, StaleSocketFileIsReplaced) {
  {
    // Bound and closed without unlinking: what a crashed daemon leaves.
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path_.data(), path_.size());
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
  }
  ASSERT_TRUE(std::filesystem::is_socket(path_));
  auto started = start();
  ASSERT_TRUE(started) << started.error().message;
  Client c(path_);
  EXPECT_EQ(c.call(R"({"command":"echo"})").at("ok"), true);
}

TEST_F(ControlServerTest, LiveSocketIsLeftAlone) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);

  auto started = start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("already in use"), std::string::npos) << started.error().message;
  EXPECT_NE(started.error().message.find(path_), std::string::npos);
  // The other process's socket still works.
  int client = connect_unix(path_);
  EXPECT_GE(client, 0);
  ::close(client);
  ::close(fd);
}

TEST_F(ControlServerTest, NonSocketFileIsNotReplaced) {
  std::ofstream(path_) << "important";
  auto started = start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("not a socket"), std::string::npos) << started.error().message;
  std::ifstream in(path_);
  std::string kept;
  in >> kept;
  EXPECT_EQ(kept, "important");
}

TEST_F(ControlServerTest, MissingDirectoryIsReportedWithThePath) {
  path_ = dir_.file("missing/control.sock");
  auto started = start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find(path_), std::string::npos) << started.error().message;
}

TEST_F(ControlServerTest, StopClosesConnectionsAndRemovesTheFile) {
  ASSERT_TRUE(start());
  Client c(path_);
  EXPECT_EQ(c.call(R"({"command":"echo"})").at("ok"), true);
  stop();
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_LT(connect_unix(path_), 0);
}

}  // namespace
}  // namespace netwarden
