// The BPF filter (tcpdump syntax) that keeps exactly the suspected breaches
// of a watch, so that the kernel drops permitted traffic before user space
// sees it. Same rule as BreachClassifier:
//   (ip src net I1 or ip6 src net I2) and not (ip dst net I1 or ip6 dst net I2 or ip dst net A1 ...)
// On link types where libpcap understands `vlan` (Ethernet) the same test is
// repeated behind one and two VLAN tags (802.1Q, 802.1ad QinQ); frames with
// three tags or more all pass, for user space to judge or count.
#pragma once

#include <string>

#include "common/result.h"
#include "config/config.h"

namespace netwarden {

std::string breach_filter_text(const IsolationWatch& watch, int link_type);

// Compiles the text for the link type on a dead pcap handle: Ok, or an Error
// with libpcap's message (used by tests and before opening a capture).
Result<void> check_filter_compiles(const std::string& filter, int link_type);

// "10.0.0.0/8", "2001:db8::/32": the network with host bits cleared, as
// libpcap insists.
std::string network_text(const Cidr& cidr);

}  // namespace netwarden
