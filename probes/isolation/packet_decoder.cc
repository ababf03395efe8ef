#include "probes/isolation/packet_decoder.h"

#include <pcap/pcap.h>

#include <cstring>

namespace netwarden {
namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
// 802.1Q, 802.1ad (QinQ outer tag) and the older pre-standard QinQ value.
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherQinQOld = 0x9100;
// More tags than this is not a frame anyone sends on purpose.
constexpr int kMaxVlanTags = 4;
constexpr int kMaxIpv6ExtensionHeaders = 16;

constexpr std::uint8_t kProtoSctp = 132;
constexpr std::uint8_t kIpv6HopByHop = 0;
constexpr std::uint8_t kIpv6Routing = 43;
constexpr std::uint8_t kIpv6Fragment = 44;
constexpr std::uint8_t kIpv6Auth = 51;
constexpr std::uint8_t kIpv6DestOptions = 60;

// BSD loopback address families: AF_INET is 2 everywhere, AF_INET6 differs
// between the BSDs (24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS).
constexpr std::uint32_t kBsdInet = 2;
constexpr std::uint32_t kBsdInet6[] = {24, 28, 30};

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

// The bytes of a frame still to be decoded.
struct Cursor {
  const std::uint8_t* data;
  std::size_t size;
  bool has(std::size_t n) const { return size >= n; }
  void skip(std::size_t n) {
    data += n;
    size -= n;
  }
};

enum class Network { ipv4, ipv6, by_version, other };

Network network_of_ethertype(std::uint16_t type) {
  if (type == kEtherIpv4) return Network::ipv4;
  if (type == kEtherIpv6) return Network::ipv6;
  return Network::other;
}

bool is_vlan_ethertype(std::uint16_t type) { return type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld; }

enum class LinkResult { ok, not_ip, truncated, too_many_vlan_tags };

// Skips VLAN tags after an ethertype field already read; `type` becomes the
// inner ethertype.
LinkResult skip_vlan_tags(Cursor& c, std::uint16_t& type) {
  for (int tags = 0; is_vlan_ethertype(type); ++tags) {
    if (tags == kMaxVlanTags) return LinkResult::too_many_vlan_tags;
    if (!c.has(4)) return LinkResult::truncated;
    type = be16(c.data + 2);
    c.skip(4);
  }
  return LinkResult::ok;
}

LinkResult strip_ethertype_link(Cursor& c, std::size_t header, std::size_t type_at, Network& network) {
  if (!c.has(header)) return LinkResult::truncated;
  std::uint16_t type = be16(c.data + type_at);
  c.skip(header);
  if (const LinkResult tags = skip_vlan_tags(c, type); tags != LinkResult::ok) return tags;
  network = network_of_ethertype(type);
  return network == Network::other ? LinkResult::not_ip : LinkResult::ok;
}

LinkResult strip_bsd_loopback(Cursor& c, Network& network) {
  if (!c.has(4)) return LinkResult::truncated;
  std::uint32_t big =
      (std::uint32_t{c.data[0]} << 24) | (std::uint32_t{c.data[1]} << 16) | (std::uint32_t{c.data[2]} << 8) | c.data[3];
  std::uint32_t little =
      (std::uint32_t{c.data[3]} << 24) | (std::uint32_t{c.data[2]} << 16) | (std::uint32_t{c.data[1]} << 8) | c.data[0];
  c.skip(4);
  auto is = [&](std::uint32_t family) { return big == family || little == family; };
  if (is(kBsdInet)) {
    network = Network::ipv4;
  } else if (is(kBsdInet6[0]) || is(kBsdInet6[1]) || is(kBsdInet6[2])) {
    network = Network::ipv6;
  } else {
    return LinkResult::not_ip;
  }
  return LinkResult::ok;
}

LinkResult strip_link_header(int link_type, Cursor& c, Network& network) {
  switch (link_type) {
    case DLT_EN10MB: return strip_ethertype_link(c, 14, 12, network);
    case DLT_LINUX_SLL: return strip_ethertype_link(c, 16, 14, network);
    case DLT_LINUX_SLL2: return strip_ethertype_link(c, 20, 0, network);
    case DLT_RAW: network = Network::by_version; return LinkResult::ok;
    case DLT_IPV4: network = Network::ipv4; return LinkResult::ok;
    case DLT_IPV6: network = Network::ipv6; return LinkResult::ok;
    case DLT_NULL:
    case DLT_LOOP: return strip_bsd_loopback(c, network);
    default: return LinkResult::not_ip;
  }
}

bool has_ports(std::uint8_t protocol) {
  return protocol == kProtoTcp || protocol == kProtoUdp || protocol == kProtoSctp;
}

// The transport header at `c` (first fragment only): its ports, if captured.
void read_ports(const Cursor& c, DecodedPacket& out) {
  if (!has_ports(out.protocol) || !c.has(4)) return;
  out.has_ports = true;
  out.source_port = be16(c.data);
  out.destination_port = be16(c.data + 2);
}

DecodeStatus decode_ipv4(Cursor c, std::size_t wire_ip_length, DecodedPacket& out) {
  if (!c.has(20)) return DecodeStatus::truncated;
  const std::uint8_t* h = c.data;
  const std::size_t header_length = std::size_t{h[0] & 0x0fu} * 4;
  if ((h[0] >> 4) != 4 || header_length < 20) return DecodeStatus::malformed;
  out.source.family = out.destination.family = IpFamily::ipv4;
  std::memcpy(out.source.bytes.data(), h + 12, 4);
  std::memcpy(out.destination.bytes.data(), h + 16, 4);
  out.protocol = h[9];
  // Offloaded (TSO) packets are captured with total length 0.
  const std::uint16_t total = be16(h + 2);
  out.ip_length = total != 0 ? total : static_cast<std::uint32_t>(wire_ip_length);
  const std::uint16_t flags_offset = be16(h + 6);
  const bool more_fragments = (flags_offset & 0x2000) != 0;
  const std::uint16_t offset = flags_offset & 0x1fff;
  out.fragment = more_fragments || offset != 0;
  if (offset == 0 && c.has(header_length)) {
    c.skip(header_length);
    read_ports(c, out);
  }
  return DecodeStatus::ok;
}

bool is_ipv6_extension(std::uint8_t next) {
  return next == kIpv6HopByHop || next == kIpv6Routing || next == kIpv6Fragment || next == kIpv6Auth ||
         next == kIpv6DestOptions;
}

DecodeStatus decode_ipv6(Cursor c, std::size_t wire_ip_length, DecodedPacket& out) {
  if (!c.has(40)) return DecodeStatus::truncated;
  const std::uint8_t* h = c.data;
  if ((h[0] >> 4) != 6) return DecodeStatus::malformed;
  out.source.family = out.destination.family = IpFamily::ipv6;
  std::memcpy(out.source.bytes.data(), h + 8, 16);
  std::memcpy(out.destination.bytes.data(), h + 24, 16);
  const std::uint16_t payload = be16(h + 4);
  // Payload length 0: a jumbogram, or an offloaded packet.
  out.ip_length = payload != 0 ? 40u + payload : static_cast<std::uint32_t>(wire_ip_length);
  std::uint8_t next = h[6];
  c.skip(40);
  // If the chain is cut short by the snap length, the protocol reported is
  // the extension header it stopped at, without ports.
  for (int walked = 0; is_ipv6_extension(next); ++walked) {
    if (walked == kMaxIpv6ExtensionHeaders || !c.has(8)) {
      out.protocol = next;
      return DecodeStatus::ok;
    }
    std::size_t length;
    if (next == kIpv6Fragment) {
      out.fragment = true;
      length = 8;
      if ((be16(c.data + 2) & 0xfff8) != 0) {
        // A later fragment: the transport header is in the first one.
        out.protocol = c.data[0];
        return DecodeStatus::ok;
      }
    } else if (next == kIpv6Auth) {
      length = (std::size_t{c.data[1]} + 2) * 4;
    } else {
      length = (std::size_t{c.data[1]} + 1) * 8;
    }
    next = c.data[0];
    if (!c.has(length)) {
      out.protocol = next;
      return DecodeStatus::ok;
    }
    c.skip(length);
  }
  out.protocol = next;
  read_ports(c, out);
  return DecodeStatus::ok;
}

}  // namespace

bool undecodable(DecodeStatus status) { return status != DecodeStatus::ok && status != DecodeStatus::not_ip; }

bool link_type_supported(int link_type) {
  switch (link_type) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LOOP: return true;
    default: return false;
  }
}

Result<void> check_link_type(int link_type) {
  if (link_type_supported(link_type)) return {};
  const char* name = pcap_datalink_val_to_name(link_type);
  return fail("link type " + std::to_string(link_type) + " (" + (name ? name : "unknown to libpcap") +
              ") is not supported; supported: EN10MB (Ethernet, with VLAN tags), LINUX_SLL and LINUX_SLL2 "
              "(tcpdump -i any), RAW, IPV4, IPV6, NULL and LOOP (BSD loopback)");
}

DecodeStatus decode_frame(const CapturedFrame& frame, DecodedPacket& out) {
  out = DecodedPacket{};
  if (!link_type_supported(frame.link_type)) return DecodeStatus::unsupported_link_type;
  Cursor c{frame.bytes.data(), frame.bytes.size()};
  Network network = Network::other;
  switch (strip_link_header(frame.link_type, c, network)) {
    case LinkResult::truncated: return DecodeStatus::truncated;
    case LinkResult::not_ip: return DecodeStatus::not_ip;
    case LinkResult::too_many_vlan_tags: return DecodeStatus::too_many_vlan_tags;
    case LinkResult::ok: break;
  }
  const std::size_t link_header = frame.bytes.size() - c.size;
  const std::size_t wire_ip_length = frame.wire_length > link_header ? frame.wire_length - link_header : 0;
  if (network == Network::by_version) {
    if (!c.has(1)) return DecodeStatus::truncated;
    const int version = c.data[0] >> 4;
    if (version != 4 && version != 6) return DecodeStatus::malformed;
    network = version == 4 ? Network::ipv4 : Network::ipv6;
  }
  return network == Network::ipv4 ? decode_ipv4(c, wire_ip_length, out) : decode_ipv6(c, wire_ip_length, out);
}

}  // namespace netwarden
