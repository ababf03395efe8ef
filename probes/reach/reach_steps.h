// The network steps a ReachProbe check is made of, each a coroutine on the
// caller's executor that never throws for a network failure and never waits
// longer than its timeout. Private to probes/reach.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"
#include "probes/reach/reach_result.h"

namespace netwarden::reach {

// getaddrinfo through Asio. A lookup still running at the timeout is left to
// finish on its own (getaddrinfo cannot be interrupted); its answer is dropped.
struct Lookup {
  boost::system::error_code error;
  bool timed_out = false;
  std::vector<boost::asio::ip::address> addresses;
};
boost::asio::awaitable<Lookup> system_lookup(std::string host, Duration timeout);

// A must_not_resolve name through the system resolver.
boost::asio::awaitable<ReachAttempt> resolve_with_system(std::string name, Duration timeout);

// A must_not_resolve name through one resolver: A and AAAA queries over UDP.
boost::asio::awaitable<ReachAttempt> resolve_with(std::string name, boost::asio::ip::address resolver,
                                                  std::uint16_t port, Duration timeout);

// An endpoint "host:port" or "[v6]:port": one attempt per address tried
// (one for a name that does not resolve). The connects are made one after
// another and stop at the first that succeeds.
boost::asio::awaitable<std::vector<ReachAttempt>> connect_to(std::string endpoint, Duration timeout);

// "5s", "300ms": how a timeout reads in a detail.
std::string timeout_text(Duration timeout);

}  // namespace netwarden::reach
