// VethNamespace: a network namespace "inside" joined to this one by a veth
// pair, for tests of capture and isolation. Inside has 203.0.113.2/24 and
// 2001:db8::2/64; the far addresses .1 and ::1 have static neighbour
// entries pointing at the host side, so datagrams sent to them leave at
// once (no ARP or neighbour discovery) and show on host_interface(). Names
// carry the pid so parallel test processes do not clash; the destructor
// removes everything. Needs root.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {

class VethNamespace {
 public:
  VethNamespace();
  ~VethNamespace();
  VethNamespace(const VethNamespace&) = delete;
  VethNamespace& operator=(const VethNamespace&) = delete;

  Result<void> create();
  // `count` UDP datagrams from inside to address:port.
  Result<void> send_udp(const std::string& address, int port, int count);
  const std::string& host_interface() const { return host_; }

 private:
  Result<void> ip(std::vector<std::string> args);

  TempDir dir_;
  std::string namespace_;
  std::string host_;
  std::string peer_;
  std::string log_;
};

}  // namespace netwarden::test
