#include "probes/isolation/breach_aggregator.h"

#include <arpa/inet.h>

#include <cstring>

namespace netwarden {
namespace {

// FNV-1a over the key's bytes; the keys hold no padding that could differ.
std::size_t fnv1a(const std::uint8_t* p, std::size_t n, std::size_t h = 1469598103934665603ull) {
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

}  // namespace

std::string protocol_name(std::uint8_t protocol) {
  switch (protocol) {
    case kProtoTcp: return "tcp";
    case kProtoUdp: return "udp";
    case kProtoIcmp: return "icmp";
    case kProtoIcmpv6: return "icmpv6";
    case 2: return "igmp";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case 132: return "sctp";
    default: return "ip-proto-" + std::to_string(protocol);
  }
}

std::string destination_text(const BreachDestination& d) {
  const bool ipv6 = d.address.find(':') != std::string::npos;
  std::string out = ipv6 && d.port != 0 ? "[" + d.address + "]" : d.address;
  if (d.port != 0) out += ":" + std::to_string(d.port);
  return out + "/" + d.protocol + " ×" + std::to_string(d.packets);
}

std::string address_text(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN];
  inet_ntop(address.family == IpFamily::ipv4 ? AF_INET : AF_INET6, address.bytes.data(), text, sizeof text);
  return text;
}

std::size_t BreachAggregator::KeyHash::operator()(const AddressKey& k) const {
  return fnv1a(k.bytes.data(), k.bytes.size(), static_cast<std::size_t>(k.family) + 1469598103934665603ull);
}

std::size_t BreachAggregator::KeyHash::operator()(const DestinationKey& k) const {
  const std::uint8_t tail[3] = {static_cast<std::uint8_t>(k.port >> 8), static_cast<std::uint8_t>(k.port), k.protocol};
  return fnv1a(tail, sizeof tail, (*this)(k.address));
}

BreachAggregator::BreachAggregator(AggregatorLimits limits) : limits_(limits) {}

BreachAggregator::AddressKey BreachAggregator::key_of(const IpAddress& address) {
  return AddressKey{address.bytes, address.family};
}

BreachAggregator::Added BreachAggregator::add(const DecodedPacket& packet, Time at) {
  const AddressKey source = key_of(packet.source);
  Added added = Added::existing_host;
  auto found = host_index_.find(source);
  if (found == host_index_.end()) {
    if (hosts_.size() >= limits_.max_hosts) {
      ++unrecorded_packets_;
      return Added::unrecorded;
    }
    found = host_index_.emplace(source, hosts_.size()).first;
    HostRecord& fresh = hosts_.emplace_back();
    fresh.address = source;
    fresh.first_seen = at;
    fresh.last_seen = at;
    added = Added::new_host;
  }
  HostRecord& host = hosts_[found->second];
  // Captures from several interfaces can interleave slightly out of order.
  if (at < host.first_seen) host.first_seen = at;
  if (at > host.last_seen) host.last_seen = at;
  ++host.packets;
  host.bytes += packet.ip_length;

  const DestinationKey destination{key_of(packet.destination),
                                   packet.has_ports ? packet.destination_port : std::uint16_t{0}, packet.protocol};
  auto d = host.destination_index.find(destination);
  if (d == host.destination_index.end()) {
    if (host.destinations.size() >= limits_.max_destinations) {
      ++host.other_packets;
      host.other_bytes += packet.ip_length;
      return added;
    }
    d = host.destination_index.emplace(destination, host.destinations.size()).first;
    host.destinations.push_back(DestinationCount{destination, 0, 0});
  }
  DestinationCount& count = host.destinations[d->second];
  ++count.packets;
  count.bytes += packet.ip_length;
  return added;
}

HostBreach BreachAggregator::summary(const HostRecord& record) const {
  HostBreach out;
  out.host = address_text(IpAddress{record.address.family, record.address.bytes});
  out.first_seen = record.first_seen;
  out.last_seen = record.last_seen;
  out.packets = record.packets;
  out.bytes = record.bytes;
  out.other_packets = record.other_packets;
  out.other_bytes = record.other_bytes;
  out.destinations.reserve(record.destinations.size());
  for (const DestinationCount& d : record.destinations) {
    out.destinations.push_back(BreachDestination{address_text(IpAddress{d.key.address.family, d.key.address.bytes}),
                                                 d.key.port, protocol_name(d.key.protocol), d.packets, d.bytes});
  }
  return out;
}

std::vector<HostBreach> BreachAggregator::hosts() const {
  std::vector<HostBreach> out;
  out.reserve(hosts_.size());
  for (const HostRecord& record : hosts_) out.push_back(summary(record));
  return out;
}

std::optional<HostBreach> BreachAggregator::host(const IpAddress& address) const {
  auto found = host_index_.find(key_of(address));
  if (found == host_index_.end()) return std::nullopt;
  return summary(hosts_[found->second]);
}

void BreachAggregator::forget(const IpAddress& address) {
  auto found = host_index_.find(key_of(address));
  if (found == host_index_.end()) return;
  const std::size_t index = found->second;
  host_index_.erase(found);
  hosts_.erase(hosts_.begin() + static_cast<std::ptrdiff_t>(index));
  for (auto& [key, i] : host_index_) {
    if (i > index) --i;
  }
}

}  // namespace netwarden
