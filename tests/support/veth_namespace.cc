#include "tests/support/veth_namespace.h"

#include <unistd.h>

#include "tests/support/spawn.h"

namespace netwarden::test {

namespace {

constexpr const char* kIp = "/usr/sbin/ip";
constexpr const char* kHostMac = "02:00:00:00:00:01";

}  // namespace

VethNamespace::VethNamespace()
    : namespace_("nwlc" + std::to_string(getpid())),
      host_("nwlch" + std::to_string(getpid())),
      peer_("nwlcp" + std::to_string(getpid())),
      log_(dir_.file("commands.log")) {}

VethNamespace::~VethNamespace() {
  static_cast<void>(ip({"netns", "del", namespace_}));
  static_cast<void>(ip({"link", "del", host_}));
}

Result<void> VethNamespace::create() {
  const std::vector<std::vector<std::string>> steps = {
      {"netns", "add", namespace_},
      {"link", "add", host_, "address", kHostMac, "type", "veth", "peer", "name", peer_, "netns", namespace_},
      {"link", "set", host_, "up"},
      {"-n", namespace_, "addr", "add", "203.0.113.2/24", "dev", peer_},
      {"-n", namespace_, "addr", "add", "2001:db8::2/64", "dev", peer_, "nodad"},
      {"-n", namespace_, "link", "set", peer_, "up"},
      {"-n", namespace_, "neigh", "add", "203.0.113.1", "lladdr", kHostMac, "dev", peer_, "nud", "permanent"},
      {"-n", namespace_, "neigh", "add", "2001:db8::1", "lladdr", kHostMac, "dev", peer_, "nud", "permanent"},
  };
  for (const auto& step : steps) {
    if (Result<void> ok = ip(step); !ok) return ok;
  }
  return {};
}

Result<void> VethNamespace::send_udp(const std::string& address, int port, int count) {
  const std::string script =
      "import socket\n"
      "a = ('" +
      address + "', " + std::to_string(port) +
      ")\n"
      "s = socket.socket(socket.AF_INET6 if ':' in a[0] else socket.AF_INET, "
      "socket.SOCK_DGRAM)\n"
      "for _ in range(" +
      std::to_string(count) + "): s.sendto(b'netwarden', a)\n";
  return run({kIp, "netns", "exec", namespace_, "/usr/bin/python3", "-c", script}, log_);
}

Result<void> VethNamespace::ip(std::vector<std::string> args) {
  args.insert(args.begin(), kIp);
  return run(args, log_);
}

}  // namespace netwarden::test
