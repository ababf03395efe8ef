#include "probes/isolation/bpf_filter.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <memory>

namespace netwarden {
namespace {

// Snap length for the dead handle: large enough for any link type.
constexpr int kSnapLength = 262144;

std::string any_of(std::string_view direction, const std::vector<const Cidr*>& ranges) {
  std::string out;
  for (const Cidr* c : ranges) {
    if (!out.empty()) out += " or ";
    out += c->ipv6 ? "ip6 " : "ip ";
    out += direction;
    out += " net ";
    out += network_text(*c);
  }
  return "(" + out + ")";
}

// libpcap accepts `vlan` only where it knows how to skip a tag.
bool has_vlan_tags(int link_type) { return link_type == DLT_EN10MB; }

}  // namespace

std::string network_text(const Cidr& cidr) {
  std::array<std::uint8_t, 16> network = cidr.address;
  const int bits = cidr.ipv6 ? 128 : 32;
  for (int i = cidr.prefix; i < bits; ++i) network[i / 8] &= static_cast<std::uint8_t>(~(0x80u >> (i % 8)));
  char text[INET6_ADDRSTRLEN];
  inet_ntop(cidr.ipv6 ? AF_INET6 : AF_INET, network.data(), text, sizeof text);
  return std::string(text) + "/" + std::to_string(cidr.prefix);
}

std::string breach_filter_text(const IsolationWatch& watch, int link_type) {
  std::vector<const Cidr*> internal;
  std::vector<const Cidr*> permitted;
  internal.reserve(watch.internal.size());
  for (const Cidr& c : watch.internal) internal.push_back(&c);
  permitted = internal;
  for (const Cidr& c : watch.allowed) permitted.push_back(&c);
  std::string test = any_of("src", internal) + " and not " + any_of("dst", permitted);
  if (!has_vlan_tags(link_type)) return test;
  // Each `vlan` moves the offsets of everything after it by one tag, so the
  // untagged test must come first and the double-tagged one last.
  // Behind three tags or more everything reaches user space: the decoder
  // judges up to four and counts deeper stacks as undecodable, so a breach
  // cannot hide behind extra tags.
  return "(" + test + ") or (vlan and ((" + test + ") or (vlan and ((" + test + ") or vlan))))";
}

Result<void> check_filter_compiles(const std::string& filter, int link_type) {
  std::unique_ptr<pcap_t, decltype(&pcap_close)> dead(pcap_open_dead(link_type, kSnapLength), &pcap_close);
  if (!dead) return fail("cannot open a pcap handle for link type " + std::to_string(link_type));
  bpf_program program{};
  if (pcap_compile(dead.get(), &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    return fail("BPF filter does not compile: " + std::string(pcap_geterr(dead.get())) + ": " + filter);
  }
  pcap_freecode(&program);
  return {};
}

}  // namespace netwarden
