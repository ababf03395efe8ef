// Offline classification rate of the isolation watch against tcpdump with
// the equivalent BPF filter, measured in one run on the same file.
//
//   build/bench/isolation_bench [--packets N] [--file PATH] [--runs R]
//
// Writes a capture of N small Ethernet frames (default 2,000,000: internal
// and allowed traffic, inbound replies, 5 % VLAN-tagged, 10 % IPv6, 1 % of
// them breaches from 50 internal hosts), then times, best of R runs each:
//   ours     read (mapped) + decode + classify + aggregate, in this process
//   tcpdump  `tcpdump -r FILE -w /dev/null 'FILTER'` (FILTER from bpf_filter)
// and prints both rates and their ratio. Run under `taskset -c 0` for one core.
#include <fcntl.h>
#include <pcap/pcap.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "config/value_syntax.h"
#include "probes/isolation/bpf_filter.h"
#include "probes/isolation/breach_aggregator.h"
#include "probes/isolation/breach_classifier.h"
#include "probes/isolation/capture_file.h"
#include "probes/isolation/packet_decoder.h"

extern char** environ;

namespace netwarden {
namespace {

using Seconds = std::chrono::duration<double>;

IsolationWatch bench_watch() {
  IsolationWatch w;
  w.id = "bench";
  w.kind = "pcap";
  for (const char* c : {"10.0.0.0/8", "172.16.0.0/12", "fd00:1::/48"}) {
    w.internal.push_back(config_detail::parse_cidr(c).value());
  }
  for (const char* c : {"192.0.2.0/24", "198.51.100.0/24", "100.64.0.0/10", "2001:db8:a::/48"}) {
    w.allowed.push_back(config_detail::parse_cidr(c).value());
  }
  return w;
}

struct Frame {
  std::uint8_t bytes[80];
  std::size_t size = 0;
};

void put16(std::uint8_t* p, unsigned v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

// An Ethernet frame (optionally one VLAN tag) carrying a TCP SYN.
Frame tcp_frame(bool vlan, bool ipv6, const std::uint8_t* src, const std::uint8_t* dst, unsigned dport) {
  Frame f{};
  std::uint8_t* p = f.bytes;
  std::memset(p, 0x02, 12);
  p += 12;
  if (vlan) {
    put16(p, 0x8100);
    put16(p + 2, 10);
    p += 4;
  }
  put16(p, ipv6 ? 0x86dd : 0x0800);
  p += 2;
  if (ipv6) {
    p[0] = 0x60;
    put16(p + 4, 20);
    p[6] = kProtoTcp;
    p[7] = 64;
    std::memcpy(p + 8, src, 16);
    std::memcpy(p + 24, dst, 16);
    p += 40;
  } else {
    p[0] = 0x45;
    put16(p + 2, 40);
    p[8] = 64;
    p[9] = kProtoTcp;
    std::memcpy(p + 12, src, 4);
    std::memcpy(p + 16, dst, 4);
    p += 20;
  }
  put16(p, 40000);
  put16(p + 2, dport);
  p[12] = 0x50;
  p[13] = 0x02;
  p += 20;
  f.size = static_cast<std::size_t>(p - f.bytes);
  return f;
}

// Returns how many breaches it wrote.
std::uint64_t generate(const std::string& path, std::uint64_t packets) {
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 262144);
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  if (!dumper) {
    std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), pcap_geterr(dead));
    std::exit(1);
  }
  std::mt19937_64 rng(42);
  std::uint64_t breaches = 0;
  for (std::uint64_t i = 0; i < packets; ++i) {
    const std::uint64_t r = rng();
    const unsigned kind = r % 100;
    const bool vlan = (r >> 8) % 20 == 0;
    const bool ipv6 = (r >> 16) % 10 == 0;
    const std::uint8_t h = static_cast<std::uint8_t>(r >> 24);
    const std::uint8_t h2 = static_cast<std::uint8_t>(r >> 32);
    std::uint8_t src[16] = {};
    std::uint8_t dst[16] = {};
    auto v4 = [](std::uint8_t* a, std::uint8_t b0, std::uint8_t b1, std::uint8_t b2, std::uint8_t b3) {
      a[0] = b0;
      a[1] = b1;
      a[2] = b2;
      a[3] = b3;
    };
    auto v6 = [](std::uint8_t* a, std::uint16_t w0, std::uint16_t w1, std::uint16_t w2, std::uint8_t last) {
      put16(a, w0);
      put16(a + 2, w1);
      put16(a + 4, w2);
      a[15] = last;
    };
    if (kind == 0) {  // breach: one of 50 internal hosts to the internet
      ++breaches;
      if (ipv6) {
        v6(src, 0xfd00, 1, 0, static_cast<std::uint8_t>(h % 50));
        v6(dst, 0x2400, 0xcb00, h2, 1);
      } else {
        v4(src, 10, 9, 0, static_cast<std::uint8_t>(h % 50));
        v4(dst, 203, 0, 113, h2);
      }
    } else if (kind < 60) {  // internal to internal
      if (ipv6) {
        v6(src, 0xfd00, 1, 0, h);
        v6(dst, 0xfd00, 1, 0, h2);
      } else {
        v4(src, 10, h, h2, 1);
        v4(dst, 172, 16, h, 2);
      }
    } else if (kind < 85) {  // internal to allowed
      if (ipv6) {
        v6(src, 0xfd00, 1, 0, h);
        v6(dst, 0x2001, 0xdb8, 0xa, h2);
      } else {
        v4(src, 10, h, h2, 1);
        v4(dst, 198, 51, 100, h2);
      }
    } else {  // inbound replies from outside
      if (ipv6) {
        v6(src, 0x2400, 0xcb00, h, 1);
        v6(dst, 0xfd00, 1, 0, h2);
      } else {
        v4(src, 203, 0, 113, h);
        v4(dst, 10, h, h2, 1);
      }
    }
    const Frame f = tcp_frame(vlan, ipv6, src, dst, 443);
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(1'700'000'000 + i / 100000);
    header.ts.tv_usec = static_cast<suseconds_t>(i % 100000 * 10);
    header.caplen = header.len = static_cast<bpf_u_int32>(f.size);
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, f.bytes);
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
  return breaches;
}

struct Ours {
  double seconds;
  std::uint64_t packets;
  std::uint64_t breaches;
  std::size_t hosts;
};

Ours run_ours(const IsolationWatch& watch, const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const BreachClassifier classifier(watch);
  BreachAggregator aggregator;
  DecodedPacket packet;
  std::uint64_t breaches = 0;
  Result<std::uint64_t> read = read_capture_file(path, [&](const CapturedFrame& frame) {
    if (decode_frame(frame, packet) == DecodeStatus::ok && classifier.is_breach(packet)) {
      ++breaches;
      aggregator.add(packet, frame.at);
    }
  });
  const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  if (!read) {
    std::fprintf(stderr, "%s\n", read.error().message.c_str());
    std::exit(1);
  }
  return Ours{seconds, *read, breaches, aggregator.host_count()};
}

double run_tcpdump(const std::string& path, const std::string& filter) {
  std::vector<std::string> args = {"tcpdump", "-r", path, "-w", "/dev/null", filter};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, "tcpdump", &actions, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "cannot run tcpdump\n");
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  posix_spawn_file_actions_destroy(&actions);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "tcpdump failed (status %d)\n", status);
    std::exit(1);
  }
  return seconds;
}

}  // namespace
}  // namespace netwarden

int main(int argc, char** argv) {
  using namespace netwarden;
  std::uint64_t packets = 2'000'000;
  std::string path = "/tmp/netwarden-isolation-bench.pcap";
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--packets")
      packets = std::stoull(argv[i + 1]);
    else if (flag == "--file")
      path = argv[i + 1];
    else if (flag == "--runs")
      runs = std::stoi(argv[i + 1]);
  }
  const IsolationWatch watch = bench_watch();
  const std::uint64_t written_breaches = generate(path, packets);
  const std::string filter = breach_filter_text(watch, DLT_EN10MB);
  std::printf("capture: %s, %llu packets, %llu breaches\nfilter: %s\n", path.c_str(),
              static_cast<unsigned long long>(packets), static_cast<unsigned long long>(written_breaches),
              filter.c_str());

  Ours best{1e30, 0, 0, 0};
  double tcpdump_best = 1e30;
  run_ours(watch, path);  // page cache and code warm
  for (int r = 0; r < runs; ++r) {
    const Ours ours = run_ours(watch, path);
    if (ours.breaches != written_breaches || ours.packets != packets) {
      std::fprintf(stderr, "wrong result: %llu breaches in %llu packets\n",
                   static_cast<unsigned long long>(ours.breaches), static_cast<unsigned long long>(ours.packets));
      return 1;
    }
    if (ours.seconds < best.seconds) best = ours;
    tcpdump_best = std::min(tcpdump_best, run_tcpdump(path, filter));
  }
  const double ours_rate = static_cast<double>(packets) / best.seconds;
  const double tcpdump_rate = static_cast<double>(packets) / tcpdump_best;
  std::printf("ours:    %.3f s  %.2f M packets/s  (%llu breaches, %zu hosts)\n", best.seconds, ours_rate / 1e6,
              static_cast<unsigned long long>(best.breaches), best.hosts);
  std::printf("tcpdump: %.3f s  %.2f M packets/s\n", tcpdump_best, tcpdump_rate / 1e6);
  std::printf("ratio:   %.2fx (target >= 1.5x)\n", ours_rate / tcpdump_rate);
  return 0;
}
