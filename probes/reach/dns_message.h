// The two DNS messages the must_not_reach probe needs (RFC 1035): a query for
// one name and type, and the parse of a reply to it.
//
// Replies come from the network and may be hostile: every read is
// bounds-checked, compression pointers may only point backwards and at most
// kMaxPointers times per name, names are limited to 255 bytes, and a reply
// that does not answer exactly our question is rejected. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden {

inline constexpr std::uint16_t kDnsTypeA = 1;
inline constexpr std::uint16_t kDnsTypeAaaa = 28;
inline constexpr std::uint8_t kDnsNoError = 0;
inline constexpr std::uint8_t kDnsServFail = 2;
inline constexpr std::uint8_t kDnsNxDomain = 3;
inline constexpr std::uint8_t kDnsRefused = 5;

// A recursive query (RD set) for `name` ("www.example.com", a final dot
// allowed), class IN. Error when the name cannot be encoded.
Result<std::vector<std::uint8_t>> build_dns_query(std::uint16_t id, std::string_view name, std::uint16_t type);

struct DnsReply {
  std::uint8_t rcode = 0;
  bool truncated = false;              // TC: the answer did not fit
  std::vector<std::string> addresses;  // A and AAAA records of the answer section, as text
};

// The id of any message at least two bytes long (how a reply is matched to
// its query before it is parsed).
std::optional<std::uint16_t> dns_message_id(std::span<const std::uint8_t> message);

// Parses a reply to the query build_dns_query(id, name, type) made. Error
// when it is malformed, not a reply, or not about that question.
Result<DnsReply> parse_dns_reply(std::span<const std::uint8_t> message, std::uint16_t id, std::string_view name,
                                 std::uint16_t type);

}  // namespace netwarden
