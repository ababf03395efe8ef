// A must_not_resolve name asked of one resolver: our own A and AAAA queries
// over UDP, so the answer is the resolver's and not the local cache's.
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <random>

#include "common/cloexec_socket.h"
#include "probes/reach/dns_message.h"
#include "probes/reach/reach_steps.h"

namespace netwarden::reach {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using udp = asio::ip::udp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// Larger replies are cut short by the kernel and then fail to parse.
constexpr std::size_t kMaxReply = 4096;

struct Question {
  std::uint16_t type = kDnsTypeA;
  std::uint16_t id = 0;
  std::vector<std::uint8_t> query;
  std::optional<Result<DnsReply>> reply;  // empty until a reply with our id arrives
};

std::string_view type_name(std::uint16_t type) { return type == kDnsTypeA ? "A" : "AAAA"; }

// What one question's reply (or its absence) says, as an attempt.
ReachAttempt judge(const Question& q, const std::string& name, const std::string& via, Duration timeout) {
  ReachAttempt a{name, via, ReachOutcome::failed, ""};
  const std::string asked = std::string(type_name(q.type)) + " " + name;
  if (!q.reply) {
    a.outcome = ReachOutcome::timed_out;
    a.detail = via + " did not answer " + asked + " within " + timeout_text(timeout);
  } else if (!*q.reply) {
    a.detail = via + " sent a malformed reply to " + asked + ": " + q.reply->error().message;
  } else if ((*q.reply)->rcode == kDnsNxDomain) {
    a.outcome = ReachOutcome::not_found;
    a.detail = name + " does not exist at " + via + " (NXDOMAIN)";
  } else if ((*q.reply)->rcode == kDnsRefused) {
    a.outcome = ReachOutcome::refused;
    a.detail = via + " refused to answer " + asked;
  } else if ((*q.reply)->rcode != kDnsNoError) {
    a.detail = via + " answered " + asked + " with rcode " + std::to_string((*q.reply)->rcode);
  } else if ((*q.reply)->truncated) {
    a.detail = via + " sent a truncated reply to " + asked + " with no address in it";
  } else {
    a.outcome = ReachOutcome::no_address;
    a.detail = name + " has no " + std::string(type_name(q.type)) + " record at " + via;
  }
  return a;
}

// Both questions answered without an address: the most telling answer
// speaks for the pair.
int rank(ReachOutcome outcome) {
  switch (outcome) {
    case ReachOutcome::not_found: return 0;
    case ReachOutcome::no_address: return 1;
    case ReachOutcome::refused: return 2;
    case ReachOutcome::failed: return 3;
    default: return 4;
  }
}

ReachAttempt verdict(const std::array<Question, 2>& questions, const std::string& name, const std::string& via,
                     Duration timeout) {
  std::vector<std::string> addresses;
  for (const Question& q : questions) {
    if (!q.reply || !*q.reply) continue;
    const std::vector<std::string>& found = (*q.reply)->addresses;
    addresses.insert(addresses.end(), found.begin(), found.end());
  }
  if (!addresses.empty()) {
    std::string list;
    for (const std::string& a : addresses) list += (list.empty() ? "" : ", ") + a;
    return {name, via, ReachOutcome::reached, name + " resolved to " + list + " via " + via};
  }
  ReachAttempt a = judge(questions[0], name, via, timeout);
  ReachAttempt aaaa = judge(questions[1], name, via, timeout);
  return rank(aaaa.outcome) < rank(a.outcome) ? aaaa : a;
}

ReachAttempt transport_failure(const boost::system::error_code& ec, const std::string& name, const std::string& via) {
  if (ec == asio::error::connection_refused) {
    return {name, via, ReachOutcome::refused, via + " refused the query (nothing listens there)"};
  }
  if (ec == asio::error::network_unreachable || ec == asio::error::host_unreachable) {
    return {name, via, ReachOutcome::unreachable, "resolver " + via + " is unreachable: " + ec.message()};
  }
  return {name, via, ReachOutcome::failed, "asking " + via + " about " + name + " failed: " + ec.message()};
}

// Unpredictable, distinct ids: an off-path forger must guess them. Not in
// the coroutine, whose frame would carry the random_device's kilobytes.
void pick_ids(std::array<Question, 2>& questions) {
  std::random_device random;
  std::uniform_int_distribution<std::uint16_t> any_id;
  questions[0].id = any_id(random);
  do {
    questions[1].id = any_id(random);
  } while (questions[1].id == questions[0].id);
}

// Reads replies until both questions have one or the timeout passes;
// stray datagrams (ids we did not use) are ignored, as resolvers do.
asio::awaitable<boost::system::error_code> receive_replies(udp::socket& socket, std::array<Question, 2>& questions,
                                                           const std::string& name, Duration timeout) {
  asio::steady_timer deadline(socket.get_executor(), timeout);
  std::vector<std::uint8_t> buffer(kMaxReply);
  while (!questions[0].reply || !questions[1].reply) {
    auto received = co_await (socket.async_receive(asio::buffer(buffer), nothrow) || deadline.async_wait(nothrow));
    if (received.index() == 1) break;
    const auto [error, size] = std::get<0>(received);
    if (error) co_return error;
    const std::span<const std::uint8_t> reply(buffer.data(), size);
    const std::optional<std::uint16_t> id = dns_message_id(reply);
    for (Question& q : questions) {
      if (id == q.id && !q.reply) q.reply = parse_dns_reply(reply, q.id, name, q.type);
    }
  }
  co_return boost::system::error_code{};
}

}  // namespace

asio::awaitable<ReachAttempt> resolve_with(std::string name, asio::ip::address resolver, std::uint16_t port,
                                           Duration timeout) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string via = resolver.to_string();
  std::array<Question, 2> questions;
  questions[0].type = kDnsTypeA;
  questions[1].type = kDnsTypeAaaa;
  pick_ids(questions);
  for (Question& q : questions) {
    Result<std::vector<std::uint8_t>> query = build_dns_query(q.id, name, q.type);
    if (!query) co_return ReachAttempt{name, via, ReachOutcome::failed, query.error().message};
    q.query = std::move(*query);
  }

  udp::socket socket(executor);
  const udp::endpoint server(resolver, port);
  boost::system::error_code ec = open_cloexec(socket, server.protocol());
  // Connected, so the kernel drops datagrams from anyone but the resolver.
  if (!ec) socket.connect(server, ec);
  if (ec) co_return transport_failure(ec, name, via);
  for (const Question& q : questions) {
    if (auto [send_error, sent] = co_await socket.async_send(asio::buffer(q.query), nothrow); send_error) {
      co_return transport_failure(send_error, name, via);
    }
  }

  const boost::system::error_code receive_error = co_await receive_replies(socket, questions, name, timeout);
  if (receive_error) co_return transport_failure(receive_error, name, via);
  co_return verdict(questions, name, via, timeout);
}

}  // namespace netwarden::reach
