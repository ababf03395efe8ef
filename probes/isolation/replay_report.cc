#include "probes/isolation/replay_report.h"

#include <boost/json.hpp>

#include "probes/isolation/breach_classifier.h"
#include "probes/isolation/capture_file.h"
#include "probes/isolation/packet_decoder.h"

namespace netwarden {
namespace {

struct Replayed {
  std::vector<std::vector<HostBreach>> hosts;  // per watch
  std::uint64_t undecodable = 0;               // frames no watch could judge
};

// One pass over the file for all watches: each frame is decoded once and
// judged by every watch's ranges.
Result<Replayed> replay_watches(const std::vector<const IsolationWatch*>& watches, const std::string& path) {
  Result<CaptureFile> file = CaptureFile::open(path);
  if (!file) return std::unexpected(file.error());
  if (Result<void> ok = check_link_type(file->link_type()); !ok) {
    return fail("capture file " + path + ": " + ok.error().message);
  }
  std::vector<BreachClassifier> classifiers;
  classifiers.reserve(watches.size());
  std::vector<BreachAggregator> aggregators(watches.size());
  for (const IsolationWatch* w : watches) classifiers.emplace_back(*w);
  DecodedPacket packet;
  Replayed out;
  Result<std::uint64_t> read = file->read_all([&](const CapturedFrame& frame) {
    const DecodeStatus decoded = decode_frame(frame, packet);
    if (undecodable(decoded)) ++out.undecodable;
    if (decoded != DecodeStatus::ok) return;
    for (std::size_t i = 0; i < classifiers.size(); ++i) {
      if (classifiers[i].is_breach(packet)) aggregators[i].add(packet, frame.at);
    }
  });
  if (!read) return std::unexpected(read.error());
  for (const BreachAggregator& a : aggregators) out.hosts.push_back(a.hosts());
  return out;
}

boost::json::object host_json(const HostBreach& h) {
  boost::json::array destinations;
  for (const BreachDestination& d : h.destinations) {
    destinations.push_back(boost::json::object{
        {"address", d.address}, {"port", d.port}, {"protocol", d.protocol}, {"packets", d.packets}});
  }
  return boost::json::object{{"host", h.host},
                             {"packets", h.packets},
                             {"bytes", h.bytes},
                             {"first_seen", format_utc(h.first_seen)},
                             {"last_seen", format_utc(h.last_seen)},
                             {"destinations", std::move(destinations)}};
}

}  // namespace

Result<std::vector<HostBreach>> replay_capture(const IsolationWatch& watch, const std::string& path) {
  Result<Replayed> all = replay_watches({&watch}, path);
  if (!all) return std::unexpected(all.error());
  return std::move(all->hosts.front());
}

std::string format_breaches_text(const std::vector<HostBreach>& hosts) {
  if (hosts.empty()) return "no suspected breaches\n";
  std::string out;
  for (const HostBreach& h : hosts) {
    out += h.host + "  packets " + std::to_string(h.packets) + "  bytes " + std::to_string(h.bytes) + "  first " +
           format_local(h.first_seen) + "  last " + format_local(h.last_seen) + "  to ";
    for (std::size_t i = 0; i < h.destinations.size(); ++i) {
      if (i != 0) out += ", ";
      out += destination_text(h.destinations[i]);
    }
    if (h.other_packets != 0) out += ", other destinations ×" + std::to_string(h.other_packets);
    out += "\n";
  }
  return out;
}

std::string format_breaches_json(const std::vector<HostBreach>& hosts) {
  boost::json::array out;
  for (const HostBreach& h : hosts) out.push_back(host_json(h));
  return boost::json::serialize(out) + "\n";
}

Result<ReplayReport> replay_report(const Config& config, const std::string& path, bool json) {
  std::vector<const IsolationWatch*> watches;
  for (const IsolationWatch& w : config.isolation) {
    if (w.kind == "pcap") watches.push_back(&w);
  }
  if (watches.empty()) {
    return fail(
        "--replay needs an [isolation.ID] watch with kind = \"pcap\" in the configuration: its "
        "'internal' and 'allowed' networks decide what is a breach");
  }
  Result<Replayed> all = replay_watches(watches, path);
  if (!all) return std::unexpected(all.error());
  ReplayReport report{"", all->undecodable};
  if (json) {
    boost::json::array out;
    for (std::size_t i = 0; i < watches.size(); ++i) {
      for (const HostBreach& h : all->hosts[i]) {
        boost::json::object o = host_json(h);
        o["watch"] = watches[i]->id;
        out.push_back(std::move(o));
      }
    }
    report.output = boost::json::serialize(out) + "\n";
    return report;
  }
  for (std::size_t i = 0; i < watches.size(); ++i) {
    report.output += "isolation '" + watches[i]->id + "' (" + path + "):\n";
    std::string section = format_breaches_text(all->hosts[i]);
    for (std::size_t start = 0; start < section.size();) {
      const std::size_t end = section.find('\n', start);
      report.output += "  " + section.substr(start, end - start + 1);
      start = end + 1;
    }
  }
  report.output += undecodable_text(report.undecodable, path) + "\n";
  return report;
}

std::string undecodable_text(std::uint64_t frames, const std::string& path) {
  return "undecodable frames in " + path + ": " + std::to_string(frames) +
         " (cut short, malformed or more than 4 VLAN tags)";
}

}  // namespace netwarden
