#include "daemon/isolation/isolation_monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>

#include "probes/isolation/bpf_filter.h"
#include "probes/isolation/breach_aggregator.h"
#include "probes/isolation/breach_classifier.h"
#include "probes/isolation/capture_file.h"
#include "probes/isolation/evidence_writer.h"
#include "probes/isolation/live_capture.h"
#include "probes/isolation/packet_decoder.h"
#include "probes/reach/reach_probe.h"

namespace netwarden {

namespace asio = boost::asio;

namespace {

// How many destinations a report names before "and N more".
constexpr std::size_t kDestinationsShown = 8;

std::string destinations_text(const HostBreach& h) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& d : h.destinations) {
    if (shown++ == kDestinationsShown) break;
    if (!out.empty()) out += ", ";
    out += destination_text(d);
  }
  if (h.destinations.size() > kDestinationsShown) {
    out += " and " + std::to_string(h.destinations.size() - kDestinationsShown) + " more destinations";
  }
  if (h.other_packets > 0) out += " (+" + std::to_string(h.other_packets) + " packets to further destinations)";
  return out;
}

// A file name part safe on any filesystem: IPv6 colons become '-'.
std::string file_part(std::string text) {
  for (char& c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') c = '-';
  }
  return text;
}

// "20261125T101500Z" for 2026-11-25T10:15:00.123Z.
std::string compact_utc(Time t) {
  std::string s = format_utc(t).substr(0, 19);
  std::erase_if(s, [](char c) { return c == '-' || c == ':'; });
  return s + "Z";
}

}  // namespace

struct IsolationMonitor::Impl {
  struct Host {
    IpAddress address;
    Time last_seen;  // its latest breach packet, for the quiet check
    // Its first frames; closed once full, so a burst of breaching hosts
    // holds descriptors only for the files still being written.
    std::optional<EvidenceWriter> evidence;
    std::string evidence_path;      // "" when none could be created
    bool evidence_started = false;  // created, or tried and failed: never tried again
    bool reported = true;           // nothing new since the last report
  };
  struct PcapWatch {
    const IsolationWatch& config;
    BreachClassifier classifier;
    BreachAggregator aggregator;
    std::unique_ptr<LiveCapture> capture;
    std::map<std::string, Host> hosts;  // by address text
    std::uint64_t frames = 0;
    std::uint64_t undecodable = 0;
    std::string error;
  };
  struct ReachWatch {
    const IsolationWatch& config;
    std::unique_ptr<asio::steady_timer> timer;
    std::uint64_t rounds = 0;
  };

  Impl(asio::any_io_executor executor, const Config& config, std::string evidence_dir, Listener listener)
      : executor(executor),
        config(config),
        evidence_dir(std::move(evidence_dir)),
        listener(std::move(listener)),
        report_timer(executor),
        reach(std::make_unique<ReachProbe>(executor)) {}

  void start_pcap(PcapWatch& w);
  void on_frame(PcapWatch& w, const CapturedFrame& frame);
  void report();
  void schedule_report();
  void start_round(ReachWatch& w);

  asio::any_io_executor executor;
  const Config& config;
  std::string evidence_dir;
  Listener listener;
  asio::steady_timer report_timer;
  std::unique_ptr<ReachProbe> reach;  // dropped at stop: checks in flight report nothing
  std::vector<std::unique_ptr<PcapWatch>> pcap;
  std::vector<std::unique_ptr<ReachWatch>> reaching;
  bool stopping = false;
};

void IsolationMonitor::Impl::start_pcap(PcapWatch& w) {
  const IsolationWatch& c = w.config;
  auto handler = [this, &w](const CapturedFrame& frame) { on_frame(w, frame); };
  if (!c.file.empty()) {
    auto read = read_capture_file(c.file, handler);
    if (!read) w.error = read.error().message;
    if (read) spdlog::info("isolation watch '{}': read {} frames from {}", c.id, *read, c.file);
  } else {
    auto open_for = [&](int link_type) {
      return LiveCapture::open(executor, c.interface, breach_filter_text(c, link_type), handler, [&w](const Error& e) {
        w.error = e.message;
        spdlog::error("isolation watch '{}': capture stopped: {}", w.config.id, e.message);
      });
    };
    // The filter's text depends on the link type, known once the handle is
    // open: Ethernet (with VLAN tags) is the usual case; anything else is
    // opened again with its own.
    constexpr int kEthernet = 1;  // DLT_EN10MB
    auto opened = open_for(kEthernet);
    if (opened && (*opened)->link_type() != kEthernet) {
      const int link_type = (*opened)->link_type();
      (*opened)->stop();
      opened = open_for(link_type);
    }
    if (opened) {
      w.capture = std::move(*opened);
    } else {
      w.error = opened.error().message;
    }
  }
  if (!w.error.empty()) {
    spdlog::error("isolation watch '{}' is not running: {}", c.id, w.error);
  } else if (w.capture) {
    spdlog::info("isolation watch '{}': capturing on {}", c.id, c.interface);
  }
}

void IsolationMonitor::Impl::on_frame(PcapWatch& w, const CapturedFrame& frame) {
  DecodedPacket packet;
  const DecodeStatus decoded = decode_frame(frame, packet);
  if (undecodable(decoded)) ++w.undecodable;
  if (decoded != DecodeStatus::ok || !w.classifier.is_breach(packet)) return;
  ++w.frames;
  if (w.aggregator.add(packet, frame.at) == BreachAggregator::Added::unrecorded) return;
  Host& host = w.hosts[address_text(packet.source)];
  host.address = packet.source;
  host.last_seen = std::max(host.last_seen, frame.at);
  host.reported = false;
  if (!host.evidence_started && w.config.evidence_packets > 0) {
    host.evidence_started = true;
    const std::string path = evidence_dir + "/" + file_part(w.config.id) + "-" +
                             file_part(address_text(packet.source)) + "-" + compact_utc(frame.at) + ".pcap";
    auto writer = EvidenceWriter::create(path, frame.link_type, w.config.evidence_packets);
    if (!writer) {
      spdlog::error("isolation watch '{}': no evidence file: {}", w.config.id, writer.error().message);
    } else {
      host.evidence_path = path;
      host.evidence.emplace(std::move(*writer));
    }
  }
  if (host.evidence) {
    if (auto written = host.evidence->write(frame); !written) {
      spdlog::error("isolation watch '{}': evidence: {}", w.config.id, written.error().message);
    }
    if (host.evidence->full()) host.evidence.reset();
  }
}

void IsolationMonitor::Impl::report() {
  const Time now = now_utc();
  for (auto& w : pcap) {
    for (auto it = w->hosts.begin(); it != w->hosts.end();) {
      auto& [address, host] = *it;
      if (!host.reported) {
        host.reported = true;
        if (const auto breach = w->aggregator.host(host.address)) {
          listener(IsolationObservation{w->config.id, address, true, breach->first_seen, breach->last_seen,
                                        destinations_text(*breach), host.evidence_path});
        }
      }
      if (now - host.last_seen >= w->config.quiet_period) {
        w->aggregator.forget(host.address);
        it = w->hosts.erase(it);
        continue;
      }
      ++it;
    }
  }
}

void IsolationMonitor::Impl::schedule_report() {
  report_timer.expires_after(std::chrono::seconds(1));
  report_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping) return;
    report();
    schedule_report();
  });
}

void IsolationMonitor::Impl::start_round(ReachWatch& w) {
  reach->check(w.config, [this, &w](ReachResult result) {
    if (stopping) return;
    ++w.rounds;
    const Time now = now_utc();
    listener(IsolationObservation{w.config.id, "", result.breach, now, now, result.detail, ""});
    w.timer->expires_after(w.config.interval);
    w.timer->async_wait([this, &w](boost::system::error_code ec) {
      if (!ec && !stopping) start_round(w);
    });
  });
}

IsolationMonitor::IsolationMonitor(asio::any_io_executor executor, const Config& config, std::string evidence_dir,
                                   Listener listener)
    : impl_(std::make_unique<Impl>(executor, config, std::move(evidence_dir), std::move(listener))) {}

IsolationMonitor::~IsolationMonitor() { stop(); }

void IsolationMonitor::start() {
  Impl& m = *impl_;
  std::error_code ec;
  std::filesystem::create_directories(m.evidence_dir, ec);
  if (ec) spdlog::error("cannot create {}: {}: breach evidence is not kept", m.evidence_dir, ec.message());
  for (const auto& watch : m.config.isolation) {
    if (watch.kind == "pcap") {
      m.pcap.push_back(
          std::make_unique<Impl::PcapWatch>(Impl::PcapWatch{watch, BreachClassifier(watch), {}, {}, {}, 0, 0, ""}));
      m.start_pcap(*m.pcap.back());
    } else {
      m.reaching.push_back(std::make_unique<Impl::ReachWatch>(
          Impl::ReachWatch{watch, std::make_unique<asio::steady_timer>(m.executor), 0}));
      m.start_round(*m.reaching.back());
    }
  }
  m.report();
  m.schedule_report();
}

void IsolationMonitor::stop() {
  Impl& m = *impl_;
  if (m.stopping) return;
  m.stopping = true;
  m.report_timer.cancel();
  for (auto& w : m.pcap) {
    if (w->capture) w->capture->stop();
  }
  for (auto& w : m.reaching) w->timer->cancel();
  m.reach.reset();
}

std::vector<IsolationWatchStatus> IsolationMonitor::status() const {
  std::vector<IsolationWatchStatus> out;
  for (const auto& w : impl_->pcap) {
    IsolationWatchStatus s{
        w->config.id,   w->config.kind,  w->config.file.empty() ? w->config.interface : w->config.file,
        w->error,       w->frames,       0,
        w->undecodable, w->hosts.size(), 0};
    if (w->capture) s.kernel_drops = w->capture->stats().kernel_drops;
    out.push_back(std::move(s));
  }
  for (const auto& w : impl_->reaching) {
    std::string source;
    for (const auto& e : w->config.endpoints) source += (source.empty() ? "" : " ") + e;
    for (const auto& n : w->config.must_not_resolve) source += (source.empty() ? "" : " ") + n;
    out.push_back(IsolationWatchStatus{w->config.id, w->config.kind, source, "", 0, 0, 0, 0, w->rounds});
  }
  return out;
}

}  // namespace netwarden
