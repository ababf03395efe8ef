#include "probes/isolation/breach_classifier.h"

#include <algorithm>
#include <map>

namespace netwarden {
namespace {

using U128 = unsigned __int128;

// Up to this many networks of one prefix length a linear scan beats a
// binary search.
constexpr std::size_t kLinearScanLimit = 8;

std::uint32_t v4_word(const std::uint8_t* b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

U128 v6_word(const std::uint8_t* b) {
  U128 w = 0;
  for (int i = 0; i < 16; ++i) w = (w << 8) | b[i];
  return w;
}

template <class Word>
Word prefix_mask(int prefix) {
  constexpr int bits = sizeof(Word) * 8;
  return prefix == 0 ? Word{0} : static_cast<Word>(~Word{0} << (bits - prefix));
}

template <class Group, class Word>
void build(std::vector<Group>& groups, const std::map<int, std::vector<Word>>& by_prefix) {
  for (const auto& [prefix, words] : by_prefix) {
    Group g{prefix_mask<Word>(prefix), {}};
    for (Word w : words) g.networks.push_back(w & g.mask);
    std::sort(g.networks.begin(), g.networks.end());
    g.networks.erase(std::unique(g.networks.begin(), g.networks.end()), g.networks.end());
    groups.push_back(std::move(g));
  }
}

template <class Group, class Word>
bool any_contains(const std::vector<Group>& groups, Word address) {
  for (const Group& g : groups) {
    const Word key = address & g.mask;
    if (g.networks.size() <= kLinearScanLimit) {
      for (Word n : g.networks) {
        if (n == key) return true;
      }
    } else if (std::binary_search(g.networks.begin(), g.networks.end(), key)) {
      return true;
    }
  }
  return false;
}

}  // namespace

PrefixSet::PrefixSet(const std::vector<Cidr>& ranges) {
  std::map<int, std::vector<std::uint32_t>> v4;
  std::map<int, std::vector<U128>> v6;
  for (const Cidr& c : ranges) {
    if (c.ipv6) {
      v6[c.prefix].push_back(v6_word(c.address.data()));
    } else {
      v4[c.prefix].push_back(v4_word(c.address.data()));
    }
  }
  build(v4_, v4);
  build(v6_, v6);
}

bool PrefixSet::contains(const IpAddress& address) const {
  if (address.family == IpFamily::ipv4) return any_contains(v4_, v4_word(address.bytes.data()));
  return any_contains(v6_, v6_word(address.bytes.data()));
}

BreachClassifier::BreachClassifier(const IsolationWatch& watch) : internal_(watch.internal) {
  std::vector<Cidr> permitted = watch.internal;
  permitted.insert(permitted.end(), watch.allowed.begin(), watch.allowed.end());
  permitted_destinations_ = PrefixSet(permitted);
}

bool BreachClassifier::is_breach(const DecodedPacket& packet) const {
  return internal_.contains(packet.source) && !permitted_destinations_.contains(packet.destination);
}

}  // namespace netwarden
