// ReachProbe: the active must_not_reach watch. It tries, from this host, to
// reach what an isolated network must not reach, and reports any success as
// a breach.
//
// For each endpoint "host:port" or "[v6]:port", a host name is resolved with
// the system resolver (a name that does not resolve is healthy) and every
// address is connected to over TCP, one after another. For each
// must_not_resolve name, with no resolvers configured the system resolver is
// asked (getaddrinfo); otherwise every resolver is sent its own A and AAAA
// queries over UDP and any address record in an answer is a breach.
// Endpoints and names are all tried at once; each network step (a lookup, a
// connect, a resolver's answers) is bounded by the watch's timeout.
//
// Thread-safety: use from the thread running the executor it was made with;
// `done` is called there. Destroying the probe drops the results of checks
// in flight (their `done` is never called); their sockets close within the
// timeout.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "config/config.h"
#include "probes/reach/reach_result.h"

namespace netwarden {

class ReachProbe {
 public:
  // `dns_port` is where configured resolvers are asked: 53, except in tests.
  explicit ReachProbe(boost::asio::any_io_executor executor, std::uint16_t dns_port = 53);
  ~ReachProbe();
  ReachProbe(const ReachProbe&) = delete;
  ReachProbe& operator=(const ReachProbe&) = delete;

  // Runs one check of a must_not_reach watch; `done` gets every attempt
  // and the verdict, always asynchronously.
  void check(const IsolationWatch& watch, std::function<void(ReachResult)> done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netwarden
