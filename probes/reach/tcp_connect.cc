// Endpoints that must not be reachable: resolve, then TCP connect to each
// address until one answers.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <optional>

#include "common/cloexec_socket.h"
#include "probes/reach/reach_steps.h"

namespace netwarden::reach {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

struct HostPort {
  std::string host;  // brackets removed
  std::uint16_t port = 0;
};

std::optional<HostPort> split_endpoint(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  std::uint16_t port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0) return std::nullopt;
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::nullopt;
  return HostPort{std::string(host), port};
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

asio::awaitable<ReachAttempt> connect_once(const std::string& target, tcp::endpoint endpoint, Duration timeout) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string where = endpoint_text(endpoint);
  ReachAttempt attempt{target, where, ReachOutcome::failed, ""};
  tcp::socket socket(executor);
  if (const auto opened = open_cloexec(socket, endpoint.protocol())) {
    attempt.detail = "cannot open a socket for " + where + ": " + opened.message();
    co_return attempt;
  }
  asio::steady_timer deadline(executor, timeout);
  const auto first = co_await (socket.async_connect(endpoint, nothrow) || deadline.async_wait(nothrow));
  if (first.index() == 1) {
    attempt.outcome = ReachOutcome::timed_out;
    attempt.detail = where + " did not answer within " + timeout_text(timeout);
    co_return attempt;
  }
  const auto [ec] = std::get<0>(first);
  if (!ec) {
    attempt.outcome = ReachOutcome::reached;
    attempt.detail = "connected to " + where;
  } else if (ec == asio::error::connection_refused) {
    attempt.outcome = ReachOutcome::refused;
    attempt.detail = where + " refused the connection";
  } else if (ec == asio::error::network_unreachable || ec == asio::error::host_unreachable) {
    attempt.outcome = ReachOutcome::unreachable;
    attempt.detail = where + " is unreachable: " + ec.message();
  } else {
    attempt.detail = "connecting to " + where + " failed: " + ec.message();
  }
  co_return attempt;
}

}  // namespace

asio::awaitable<std::vector<ReachAttempt>> connect_to(std::string endpoint, Duration timeout) {
  const std::optional<HostPort> parts = split_endpoint(endpoint);
  if (!parts) {
    co_return std::vector<ReachAttempt>{
        {endpoint, "", ReachOutcome::failed, "\"" + endpoint + "\" is not an endpoint like \"host:port\""}};
  }
  std::vector<asio::ip::address> addresses;
  boost::system::error_code literal;
  const asio::ip::address address = asio::ip::make_address(parts->host, literal);
  if (!literal) {
    addresses.push_back(address);
  } else {
    Lookup lookup = co_await system_lookup(parts->host, timeout);
    if (lookup.timed_out || lookup.error || lookup.addresses.empty()) {
      ReachAttempt attempt{endpoint, "system resolver", ReachOutcome::not_found, parts->host + " does not resolve"};
      if (lookup.timed_out) {
        attempt.outcome = ReachOutcome::timed_out;
        attempt.detail = "the system resolver did not answer for " + parts->host + " within " + timeout_text(timeout);
      } else if (lookup.error && lookup.error != asio::error::host_not_found) {
        attempt.outcome = ReachOutcome::failed;
        attempt.detail = "looking up " + parts->host + " failed: " + lookup.error.message();
      }
      co_return std::vector<ReachAttempt>{std::move(attempt)};
    }
    addresses = std::move(lookup.addresses);
  }
  std::vector<ReachAttempt> attempts;
  for (const asio::ip::address& a : addresses) {
    attempts.push_back(co_await connect_once(endpoint, tcp::endpoint(a, parts->port), timeout));
    if (attempts.back().outcome == ReachOutcome::reached) break;
  }
  co_return attempts;
}

}  // namespace netwarden::reach
