// What the isolation watch sees of one captured frame, before and after
// decoding. Both are views: a CapturedFrame borrows the capture buffer (valid
// only inside the callback that hands it over), and a DecodedPacket holds
// only values, so decoding never allocates.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/time.h"

namespace netwarden {

struct CapturedFrame {
  Time at;
  int link_type = 0;                    // DLT_* of the capture
  std::span<const std::uint8_t> bytes;  // the captured part (caplen bytes)
  std::uint32_t wire_length = 0;        // length on the wire (may exceed bytes.size())
};

enum class IpFamily : std::uint8_t { ipv4, ipv6 };

// An address as 16 bytes; IPv4 uses the first 4 and leaves the rest zero.
struct IpAddress {
  IpFamily family = IpFamily::ipv4;
  std::array<std::uint8_t, 16> bytes{};
};

// IANA protocol numbers the report names; any other number is kept as is.
inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoIcmpv6 = 58;

struct DecodedPacket {
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;  // transport protocol number (after IPv6 extension headers)
  bool has_ports = false;     // TCP/UDP header present: first fragment, not truncated
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint32_t ip_length = 0;  // IP total length (IPv6: 40 + payload length)
  bool fragment = false;        // any fragment, first or later
};

}  // namespace netwarden
