// IsolationMonitor: runs the config's isolation watches on the io thread
// and tells a listener (the incident keeper) what they find.
//
// A pcap watch captures on its interface with the breach filter in the
// kernel (or reads its saved `file` once at start), so user space sees only
// suspected breaches; each is decoded, classified again (the kernel filter
// is a first cut, the classifier is the rule) and summed per internal host.
// The first evidence_packets frames of each host's breach are written to
// state_dir/evidence/. Once a second, every host with new traffic is
// reported; a host quiet for the watch's quiet_period is forgotten, so its
// next traffic is a new breach with a new evidence file. Frames that cannot
// be decoded (see undecodable() in packet_decoder.h) are counted per watch.
// A must_not_reach
// watch runs its probe every interval and reports each round.
//
// A watch that cannot start (no such interface, no CAP_NET_RAW, an
// unreadable file) is logged with its reason and shown in status(); every
// other watch and probe keeps running.
//
// Thread-safety: single-threaded; everything runs on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/core/observation.h"

namespace netwarden {

struct IsolationWatchStatus {
  std::string id;
  std::string kind;
  std::string source;              // the interface, file or endpoints it watches
  std::string error;               // why it is not running; "" when it is
  std::uint64_t frames = 0;        // pcap: suspected breaches seen (after the kernel's filter)
  std::uint64_t kernel_drops = 0;  // pcap: frames the kernel dropped for lack of buffer
  std::uint64_t undecodable = 0;   // pcap: frames that could not be decoded (cut short, malformed, 5+ VLAN tags)
  std::uint64_t hosts = 0;         // pcap: internal hosts with breach traffic now
  std::uint64_t rounds = 0;        // must_not_reach: rounds of checks done
};

class IsolationMonitor {
 public:
  using Listener = std::function<void(const IsolationObservation&)>;

  // `config` must outlive the monitor.
  IsolationMonitor(boost::asio::any_io_executor executor, const Config& config, std::string evidence_dir,
                   Listener listener);
  ~IsolationMonitor();

  // Opens every capture now (this is what needs CAP_NET_RAW) and starts the
  // reports and probes.
  void start();
  // Stops captures, probes and reports; nothing is reported afterwards.
  void stop();

  std::vector<IsolationWatchStatus> status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netwarden
