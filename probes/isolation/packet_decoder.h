// Decoding a captured frame down to the IP addresses, transport protocol and
// ports the isolation watch judges by. Works on the frame in place: no
// allocation, and never a read past the captured bytes.
#pragma once

#include <string>

#include "common/result.h"
#include "probes/isolation/packet.h"

namespace netwarden {

enum class DecodeStatus {
  ok,                     // addresses known; ports only if has_ports
  not_ip,                 // ARP, LLDP, ... : no IP packet inside
  truncated,              // captured bytes end before the IP addresses
  malformed,              // IP header inconsistent (bad version or header length)
  too_many_vlan_tags,     // more VLAN tags than the decoder follows (4)
  unsupported_link_type,  // see link_type_supported
};

// Whether a frame with this status could not be judged at all: everything
// but ok and not_ip (which is understood, and simply not IP). Such frames
// are counted, so a breach hidden behind them does not pass unnoticed.
bool undecodable(DecodeStatus status);

// Ethernet (with up to 4 802.1Q / 802.1ad tags), Linux cooked v1 and v2, raw IP
// (DLT_RAW, DLT_IPV4, DLT_IPV6), BSD loopback (DLT_NULL, DLT_LOOP).
bool link_type_supported(int link_type);

// Ok for a supported link type, else an Error naming it, e.g.
// "link type 105 (IEEE802_11) is not supported; supported: EN10MB, ...".
Result<void> check_link_type(int link_type);

// A packet whose transport header is cut short by the snap length still
// decodes (status ok, addresses known, has_ports false): a small snap length
// must not hide a breach.
DecodeStatus decode_frame(const CapturedFrame& frame, DecodedPacket& out);

}  // namespace netwarden
