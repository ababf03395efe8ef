// Lookups through the system resolver (getaddrinfo via Asio), bounded by a
// timeout the lookup itself does not know about.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "probes/reach/reach_steps.h"

namespace netwarden::reach {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string timeout_text(Duration timeout) {
  if (timeout < std::chrono::seconds(1)) return std::to_string(timeout.count()) + "ms";
  return format_duration(timeout);
}

asio::awaitable<Lookup> system_lookup(std::string host, Duration timeout) {
  struct Pending {
    explicit Pending(const asio::any_io_executor& executor) : resolver(executor), wake(executor) {}
    tcp::resolver resolver;
    asio::steady_timer wake;
    Lookup outcome;
    bool done = false;
  };
  auto pending = std::make_shared<Pending>(co_await asio::this_coro::executor);
  pending->wake.expires_after(timeout);
  pending->resolver.async_resolve(
      host, "", [pending](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
        pending->done = true;
        pending->outcome.error = ec;
        for (const auto& entry : results) {
          const asio::ip::address address = entry.endpoint().address();
          auto& seen = pending->outcome.addresses;
          if (std::find(seen.begin(), seen.end(), address) == seen.end()) seen.push_back(address);
        }
        pending->wake.cancel();
      });
  co_await pending->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!pending->done) {
    pending->resolver.cancel();
    co_return Lookup{{}, true, {}};
  }
  co_return pending->outcome;
}

asio::awaitable<ReachAttempt> resolve_with_system(std::string name, Duration timeout) {
  const Lookup lookup = co_await system_lookup(name, timeout);
  ReachAttempt attempt{name, "system resolver", ReachOutcome::failed, ""};
  if (lookup.timed_out) {
    attempt.outcome = ReachOutcome::timed_out;
    attempt.detail = "the system resolver did not answer for " + name + " within " + timeout_text(timeout);
  } else if (lookup.error == asio::error::host_not_found) {
    attempt.outcome = ReachOutcome::not_found;
    attempt.detail = name + " does not resolve through the system resolver";
  } else if (lookup.error) {
    attempt.detail = "the system resolver failed for " + name + ": " + lookup.error.message();
  } else if (lookup.addresses.empty()) {
    attempt.outcome = ReachOutcome::no_address;
    attempt.detail = name + " has no address through the system resolver";
  } else {
    attempt.outcome = ReachOutcome::reached;
    attempt.detail = name + " resolved to ";
    for (std::size_t i = 0; i < lookup.addresses.size(); ++i) {
      attempt.detail += (i ? ", " : "") + lookup.addresses[i].to_string();
    }
    attempt.detail += " via the system resolver";
  }
  co_return attempt;
}

}  // namespace netwarden::reach
