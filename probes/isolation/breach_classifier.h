// Which packets are suspected breaches: the source lies inside the watch's
// `internal` networks and the destination lies neither inside `internal`
// nor inside `allowed`. Runs on every packet, so the ranges are kept as
// integer masks grouped by prefix length.
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "probes/isolation/packet.h"

namespace netwarden {

// A set of CIDR ranges answering "is this address inside any of them".
class PrefixSet {
 public:
  PrefixSet() = default;
  explicit PrefixSet(const std::vector<Cidr>& ranges);
  bool contains(const IpAddress& address) const;

 private:
  // All networks of one prefix length, masked and sorted.
  template <class Word>
  struct Group {
    Word mask;
    std::vector<Word> networks;
  };
  std::vector<Group<std::uint32_t>> v4_;
  std::vector<Group<unsigned __int128>> v6_;
};

class BreachClassifier {
 public:
  explicit BreachClassifier(const IsolationWatch& watch);
  bool is_breach(const DecodedPacket& packet) const;
  bool is_internal(const IpAddress& address) const { return internal_.contains(address); }

 private:
  PrefixSet internal_;
  PrefixSet permitted_destinations_;  // internal and allowed together
};

}  // namespace netwarden
