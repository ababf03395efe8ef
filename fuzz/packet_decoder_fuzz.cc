// Fuzz target: one captured frame through the packet decoder. The first
// input byte picks the link type: each supported one, and one unsupported;
// the rest is the captured bytes.
#include <pcap/dlt.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "probes/isolation/packet_decoder.h"

namespace {

constexpr std::array kLinkTypes = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,       DLT_IPV4,
                                   DLT_IPV6,   DLT_NULL,      DLT_LOOP,       DLT_IEEE802_11};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  netwarden::CapturedFrame frame;
  frame.link_type = kLinkTypes[data[0] % kLinkTypes.size()];
  frame.bytes = {data + 1, size - 1};
  frame.wire_length = static_cast<std::uint32_t>(size - 1);
  netwarden::DecodedPacket packet;
  (void)netwarden::decode_frame(frame, packet);
  return 0;
}
