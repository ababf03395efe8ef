// `netwardend --replay FILE`: the suspected breaches found in a saved
// capture, judged by a watch's internal/allowed ranges, as text for people
// or as JSON for scripts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "probes/isolation/breach_aggregator.h"

namespace netwarden {

// Reads the whole file through decode, classify and aggregate. An
// unsupported link type or a corrupt file is an Error.
Result<std::vector<HostBreach>> replay_capture(const IsolationWatch& watch, const std::string& path);

// One line per host: "10.1.2.3  packets 12  bytes 840  first 2026-.. +08:00
// last ...  to 203.0.113.7:443/tcp ×10, 8.8.8.8:53/udp ×2"
// (times in local time). No hosts: "no suspected breaches".
std::string format_breaches_text(const std::vector<HostBreach>& hosts);

// [{"host", "packets", "bytes", "first_seen", "last_seen" (RFC 3339 UTC),
//   "destinations": [{"address", "port", "protocol", "packets"}]}]
std::string format_breaches_json(const std::vector<HostBreach>& hosts);

struct ReplayReport {
  std::string output;             // what goes to standard output
  std::uint64_t undecodable = 0;  // frames of the file no watch could judge
};

// What --replay prints: FILE judged by every kind = "pcap" watch of the
// config (its `interface`/`file` setting is ignored: FILE is what is
// replayed). Text: one section per watch, headed "isolation 'ID' (FILE):",
// then the undecodable_text() line. JSON: one array of all hosts, each
// object with an extra "watch" field (the caller reports undecodable frames
// on standard error, so the array keeps its shape).
// A config without a pcap watch is an Error.
Result<ReplayReport> replay_report(const Config& config, const std::string& path, bool json);

// "undecodable frames in FILE: N (cut short, malformed or more than 4 VLAN tags)"
std::string undecodable_text(std::uint64_t frames, const std::string& path);

}  // namespace netwarden
