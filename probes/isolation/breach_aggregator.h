// Suspected breaches summed per internal host: when it was first and last
// seen, how much it sent, and where to. Bounded, because the traffic being
// counted may be hostile: past max_hosts new hosts are only counted in
// unrecorded_packets(); past max_destinations a host's new destinations are
// summed into its `other_*` fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/time.h"
#include "probes/isolation/packet.h"

namespace netwarden {

struct BreachDestination {
  std::string address;   // "203.0.113.7", "2001:db8::1"
  std::uint16_t port;    // 0 when the packet had none (ICMP, later fragments)
  std::string protocol;  // "tcp", "udp", "icmp", "icmpv6", "sctp", ... or "ip-proto-N"
  std::uint64_t packets;
  std::uint64_t bytes;
};

struct HostBreach {
  std::string host;
  Time first_seen;
  Time last_seen;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;                      // IP lengths
  std::vector<BreachDestination> destinations;  // in order of first appearance
  std::uint64_t other_packets = 0;              // to destinations beyond the per-host bound
  std::uint64_t other_bytes = 0;
};

struct AggregatorLimits {
  std::size_t max_hosts = 65536;
  std::size_t max_destinations = 256;  // per host
};

// "tcp", "udp", ...: the name a report uses for a protocol number.
std::string protocol_name(std::uint8_t protocol);
// inet_ntop of the address.
std::string address_text(const IpAddress& address);
// "203.0.113.7:443/tcp ×10", "[2001:db8::1]:53/udp ×2", "8.8.8.8/icmp ×3".
std::string destination_text(const BreachDestination& destination);

class BreachAggregator {
 public:
  BreachAggregator() = default;
  explicit BreachAggregator(AggregatorLimits limits);

  enum class Added { new_host, existing_host, unrecorded };
  // Counts one suspected breach (the caller has classified it).
  Added add(const DecodedPacket& packet, Time at);

  // Every host, in order of first appearance.
  std::vector<HostBreach> hosts() const;
  std::optional<HostBreach> host(const IpAddress& address) const;
  // Drops a host (its incident was resolved); later packets start it afresh.
  void forget(const IpAddress& address);
  std::size_t host_count() const { return hosts_.size(); }
  std::uint64_t unrecorded_packets() const { return unrecorded_packets_; }

 private:
  struct AddressKey {
    std::array<std::uint8_t, 16> bytes;
    IpFamily family;
    bool operator==(const AddressKey&) const = default;
  };
  struct DestinationKey {
    AddressKey address;
    std::uint16_t port;
    std::uint8_t protocol;
    bool operator==(const DestinationKey&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const AddressKey& k) const;
    std::size_t operator()(const DestinationKey& k) const;
  };
  struct DestinationCount {
    DestinationKey key;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
  };
  struct HostRecord {
    AddressKey address;
    Time first_seen;
    Time last_seen;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    std::vector<DestinationCount> destinations;
    std::unordered_map<DestinationKey, std::size_t, KeyHash> destination_index;
    std::uint64_t other_packets = 0;
    std::uint64_t other_bytes = 0;
  };

  static AddressKey key_of(const IpAddress& address);
  HostBreach summary(const HostRecord& record) const;

  AggregatorLimits limits_;
  std::vector<HostRecord> hosts_;  // in order of first appearance
  std::unordered_map<AddressKey, std::size_t, KeyHash> host_index_;
  std::uint64_t unrecorded_packets_ = 0;
};

}  // namespace netwarden
