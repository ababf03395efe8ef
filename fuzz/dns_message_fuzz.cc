// Fuzz target: a DNS reply off the network. The first input byte picks the
// question type (A or AAAA), the rest is the message; its own id is used so
// parsing gets past the id check. The question is www.example.com, which
// the corpus's replies ask.
#include <cstddef>
#include <cstdint>
#include <span>

#include "probes/reach/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint16_t type = (data[0] & 1) ? netwarden::kDnsTypeAaaa : netwarden::kDnsTypeA;
  const std::span<const std::uint8_t> message(data + 1, size - 1);
  const std::uint16_t id = netwarden::dns_message_id(message).value_or(0);
  (void)netwarden::parse_dns_reply(message, id, "www.example.com", type);
  return 0;
}
