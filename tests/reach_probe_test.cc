// ReachProbe against real sockets on loopback: TCP listeners, closed ports,
// a listener that never completes a handshake, and a resolver of our own
// that answers (or misbehaves) as each test needs.
#include "probes/reach/reach_probe.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <functional>
#include <optional>

#include "tests/support/free_port.h"

namespace netwarden {
namespace {

namespace asio = boost::asio;
using Bytes = std::vector<std::uint8_t>;

IsolationWatch watch_of(std::vector<std::string> endpoints, std::vector<std::string> names = {},
                        std::vector<std::string> resolvers = {}) {
  IsolationWatch w;
  w.id = "test";
  w.kind = "must_not_reach";
  w.endpoints = std::move(endpoints);
  w.must_not_resolve = std::move(names);
  w.resolvers = std::move(resolvers);
  w.timeout = std::chrono::milliseconds(300);
  return w;
}

// Runs one check to completion (every step is bounded by the watch's timeout).
ReachResult check(asio::io_context& io, const IsolationWatch& watch, std::uint16_t dns_port = 53) {
  ReachProbe probe(io.get_executor(), dns_port);
  std::optional<ReachResult> result;
  probe.check(watch, [&](ReachResult r) { result = std::move(r); });
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!result && std::chrono::steady_clock::now() < limit) io.run_one_for(std::chrono::milliseconds(50));
  if (!result) ADD_FAILURE() << "the check did not finish";
  return result.value_or(ReachResult{});
}

std::string port_of(const asio::ip::tcp::acceptor& a) { return std::to_string(a.local_endpoint().port()); }

TEST(ReachProbeTest, AListenerThatAcceptsIsABreach) {
  asio::io_context io;
  asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
  const std::string endpoint = "127.0.0.1:" + port_of(listener);
  ReachResult r = check(io, watch_of({endpoint}));
  EXPECT_TRUE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].target, endpoint);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::reached);
  EXPECT_EQ(r.detail, "connected to " + endpoint);
}

TEST(ReachProbeTest, IPv6AndNamedEndpointsAreConnectedToo) {
  asio::io_context io;
  asio::ip::tcp::acceptor v6(io, {asio::ip::make_address("::1"), 0});
  asio::ip::tcp::acceptor v4(io, {asio::ip::make_address("127.0.0.1"), 0});
  ReachResult r = check(io, watch_of({"[::1]:" + port_of(v6), "localhost:" + port_of(v4)}));
  EXPECT_TRUE(r.breach);
  ASSERT_GE(r.attempts.size(), 2u);
  EXPECT_EQ(r.attempts.front().detail, "connected to [::1]:" + port_of(v6));
  // localhost may be ::1 first (nobody there on v4's port), then 127.0.0.1.
  EXPECT_EQ(r.attempts.back().target, "localhost:" + port_of(v4));
  EXPECT_EQ(r.attempts.back().detail, "connected to 127.0.0.1:" + port_of(v4));
}

TEST(ReachProbeTest, AClosedPortIsHealthy) {
  asio::io_context io;
  const std::string endpoint = "127.0.0.1:" + std::to_string(test::free_loopback_port());
  ReachResult r = check(io, watch_of({endpoint}));
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::refused);
  EXPECT_EQ(r.attempts[0].detail, endpoint + " refused the connection");
  EXPECT_EQ(r.detail, "none of 1 attempts got through");
}

TEST(ReachProbeTest, AnEndpointThatNeverAnswersTimesOutAsHealthy) {
  // A listener with a backlog of 0 holds one connection it never accepts;
  // the kernel then drops further handshakes unanswered.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int filler = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 0), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ASSERT_EQ(connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

  asio::io_context io;
  const std::string endpoint = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  const auto start = std::chrono::steady_clock::now();
  ReachResult r = check(io, watch_of({endpoint}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  close(filler);
  close(listener);
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::timed_out);
  EXPECT_EQ(r.attempts[0].detail, endpoint + " did not answer within 300ms");
}

TEST(ReachProbeTest, ANameThatDoesNotResolveIsHealthy) {
  asio::io_context io;
  ReachResult r = check(io, watch_of({"no-such-host.invalid:443"}, {"no-such-host.invalid"}));
  EXPECT_FALSE(r.breach) << r.detail;
  ASSERT_EQ(r.attempts.size(), 2u);
  for (const ReachAttempt& a : r.attempts) EXPECT_NE(a.outcome, ReachOutcome::reached) << a.detail;
}

TEST(ReachProbeTest, ANameTheSystemResolverKnowsIsABreach) {
  asio::io_context io;
  ReachResult r = check(io, watch_of({}, {"localhost"}));
  EXPECT_TRUE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].via, "system resolver");
  EXPECT_TRUE(r.detail.starts_with("localhost resolved to ")) << r.detail;
  EXPECT_NE(r.detail.find("127.0.0.1"), std::string::npos) << r.detail;
}

// A resolver on 127.0.0.1 whose replies the test writes: `answer` gets each
// query and returns the datagram to send back (none when empty).
class TestResolver {
 public:
  using Answer = std::function<Bytes(const Bytes& query)>;
  TestResolver(asio::io_context& io, Answer answer)
      : socket_(io, {asio::ip::make_address("127.0.0.1"), 0}), answer_(std::move(answer)) {
    receive();
  }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }
  const std::vector<Bytes>& queries() const { return queries_; }

 private:
  void receive() {
    socket_.async_receive_from(asio::buffer(buffer_), peer_, [this](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      queries_.emplace_back(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(n));
      if (Bytes reply = answer_(queries_.back()); !reply.empty()) socket_.send_to(asio::buffer(reply), peer_, 0, ec);
      receive();
    });
  }
  asio::ip::udp::socket socket_;
  Answer answer_;
  std::array<std::uint8_t, 1500> buffer_{};
  asio::ip::udp::endpoint peer_;
  std::vector<Bytes> queries_;
};

std::uint16_t query_type(const Bytes& query) {
  return static_cast<std::uint16_t>(query[query.size() - 4] << 8 | query[query.size() - 3]);
}

// The query turned into a reply with `rcode`, and an A record for the
// question's name (a pointer to offset 12) when `a` is given.
Bytes reply_to(const Bytes& query, std::uint8_t rcode, std::optional<std::array<std::uint8_t, 4>> a = {}) {
  Bytes b = query;
  b[2] = 0x81;
  b[3] = static_cast<std::uint8_t>(0x80 | rcode);
  if (a && query_type(query) == 1) {
    b[7] = 1;
    b.insert(b.end(), {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
    b.insert(b.end(), a->begin(), a->end());
  }
  return b;
}

TEST(ReachProbeTest, AResolverThatAnswersWithAnAddressIsABreach) {
  asio::io_context io;
  TestResolver resolver(io, [](const Bytes& q) { return reply_to(q, 0, std::array<std::uint8_t, 4>{1, 2, 3, 4}); });
  ReachResult r = check(io, watch_of({}, {"www.baidu.com"}, {"127.0.0.1"}), resolver.port());
  EXPECT_TRUE(r.breach);
  EXPECT_EQ(r.detail, "www.baidu.com resolved to 1.2.3.4 via 127.0.0.1");
  ASSERT_EQ(resolver.queries().size(), 2u);
  EXPECT_EQ(query_type(resolver.queries()[0]), 1);
  EXPECT_EQ(query_type(resolver.queries()[1]), 28);
  EXPECT_NE(resolver.queries()[0][0] << 8 | resolver.queries()[0][1],
            resolver.queries()[1][0] << 8 | resolver.queries()[1][1]);
}

TEST(ReachProbeTest, NxdomainIsHealthy) {
  asio::io_context io;
  TestResolver resolver(io, [](const Bytes& q) { return reply_to(q, 3); });
  ReachResult r = check(io, watch_of({}, {"www.baidu.com"}, {"127.0.0.1"}), resolver.port());
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::not_found);
  EXPECT_EQ(r.attempts[0].detail, "www.baidu.com does not exist at 127.0.0.1 (NXDOMAIN)");
}

TEST(ReachProbeTest, AMalformedReplyIsAHealthyFailure) {
  asio::io_context io;
  // Our id, then an answer whose owner name points at itself.
  TestResolver resolver(io, [](const Bytes& q) {
    Bytes b = reply_to(q, 0);
    b[7] = 1;
    const auto at = b.size();
    b.insert(b.end(), {static_cast<std::uint8_t>(0xC0 | at >> 8), static_cast<std::uint8_t>(at), 0, 1, 0, 1, 0, 0, 0,
                       60, 0, 4, 1, 2, 3, 4});
    return b;
  });
  ReachResult r = check(io, watch_of({}, {"www.baidu.com"}, {"127.0.0.1"}), resolver.port());
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::failed);
  EXPECT_NE(r.attempts[0].detail.find("malformed reply"), std::string::npos) << r.attempts[0].detail;
}

TEST(ReachProbeTest, RepliesWithAnotherIdAreIgnoredUntilTheTimeout) {
  asio::io_context io;
  TestResolver resolver(io, [](const Bytes& q) {
    Bytes b = reply_to(q, 0, std::array<std::uint8_t, 4>{1, 2, 3, 4});
    b[0] ^= 0x5A;
    return b;
  });
  ReachResult r = check(io, watch_of({}, {"www.baidu.com"}, {"127.0.0.1"}), resolver.port());
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::timed_out);
  EXPECT_EQ(r.attempts[0].detail, "127.0.0.1 did not answer A www.baidu.com within 300ms");
}

TEST(ReachProbeTest, ASilentResolverIsHealthy) {
  asio::io_context io;
  TestResolver resolver(io, [](const Bytes&) { return Bytes{}; });
  ReachResult r = check(io, watch_of({}, {"www.baidu.com"}, {"127.0.0.1"}), resolver.port());
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::timed_out);
}

TEST(ReachProbeTest, NobodyListeningOnTheResolverPortIsRefused) {
  asio::io_context io;
  std::uint16_t closed = 0;
  {
    asio::ip::udp::socket probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    closed = probe.local_endpoint().port();
  }
  ReachResult r = check(io, watch_of({}, {"www.baidu.com"}, {"127.0.0.1"}), closed);
  EXPECT_FALSE(r.breach);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].outcome, ReachOutcome::refused) << r.attempts[0].detail;
}

TEST(ReachProbeTest, EveryEndpointAndResolverIsReportedInConfigOrder) {
  asio::io_context io;
  asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
  TestResolver resolver(io, [](const Bytes& q) { return reply_to(q, 3); });
  const std::string closed = "127.0.0.1:" + std::to_string(test::free_loopback_port());
  const std::string open = "127.0.0.1:" + port_of(listener);
  ReachResult r = check(io, watch_of({closed, open}, {"a.example", "b.example"}, {"127.0.0.1"}), resolver.port());
  EXPECT_TRUE(r.breach);
  ASSERT_EQ(r.attempts.size(), 4u);
  EXPECT_EQ(r.attempts[0].target, closed);
  EXPECT_EQ(r.attempts[1].target, open);
  EXPECT_EQ(r.attempts[2].target, "a.example");
  EXPECT_EQ(r.attempts[3].target, "b.example");
  EXPECT_EQ(r.detail, "connected to " + open);
}

TEST(ReachProbeTest, ResultsOfADestroyedProbeAreDropped) {
  asio::io_context io;
  asio::ip::tcp::acceptor listener(io, {asio::ip::make_address("127.0.0.1"), 0});
  bool called = false;
  {
    ReachProbe probe(io.get_executor());
    probe.check(watch_of({"127.0.0.1:" + port_of(listener)}), [&](ReachResult) { called = true; });
  }
  io.run_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace netwarden
