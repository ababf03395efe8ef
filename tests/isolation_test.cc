// The passive isolation watch's core against captures written by
// isolation_captures.py (scapy): every link type, VLAN and QinQ, IPv6
// extension headers, fragments, truncation, non-IP frames, corrupt files and
// pcapng; the BPF filter checked by tcpdump on the same files.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <map>

#include "config/value_syntax.h"
#include "probes/isolation/bpf_filter.h"
#include "probes/isolation/breach_aggregator.h"
#include "probes/isolation/breach_classifier.h"
#include "probes/isolation/capture_file.h"
#include "probes/isolation/evidence_writer.h"
#include "probes/isolation/packet_decoder.h"
#include "probes/isolation/replay_report.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

constexpr std::int64_t kT0Ms = 1'700'000'000'000;  // the captures' first timestamp, minus its 250 ms

std::vector<Cidr> cidrs(std::initializer_list<const char*> texts) {
  std::vector<Cidr> out;
  for (const char* t : texts) out.push_back(config_detail::parse_cidr(t).value());
  return out;
}

IsolationWatch test_watch(std::string id = "campus") {
  IsolationWatch w;
  w.id = std::move(id);
  w.kind = "pcap";
  w.file = "unused.pcap";
  w.internal = cidrs({"10.0.0.0/8", "fd00:1::/48"});
  w.allowed = cidrs({"192.0.2.0/24", "2001:db8:a::/48"});
  return w;
}

// "HOST packets/bytes: DEST:PORT/PROTO×N, ..." — one string per host.
std::vector<std::string> summary(const std::vector<HostBreach>& hosts) {
  std::vector<std::string> out;
  for (const HostBreach& h : hosts) {
    std::string s = h.host + " " + std::to_string(h.packets) + "/" + std::to_string(h.bytes) + ":";
    for (const BreachDestination& d : h.destinations) {
      s += " " + d.address + ":" + std::to_string(d.port) + "/" + d.protocol + "×" + std::to_string(d.packets);
    }
    out.push_back(s);
  }
  return out;
}

class IsolationCaptures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("isolation");
    const char* source = std::getenv("NETWARDEN_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "run through ctest: NETWARDEN_SOURCE_DIR is not set";
    const std::string script = std::string(source) + "/tests/isolation_captures.py";
    test::Finished done = test::run_program({"/usr/bin/python3", script, dir_->path().string()});
    ASSERT_EQ(done.exit_code, 0) << done.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static std::vector<std::string> breaches(const std::string& name) {
    Result<std::vector<HostBreach>> hosts = replay_capture(test_watch(), file(name));
    EXPECT_TRUE(hosts.has_value()) << hosts.error().message;
    return hosts ? summary(*hosts) : std::vector<std::string>{};
  }

  static test::TempDir* dir_;
};
test::TempDir* IsolationCaptures::dir_ = nullptr;

using Summary = std::vector<std::string>;

TEST_F(IsolationCaptures, EthernetWithVlanQinQIpv6ExtensionHeadersAndFragments) {
  EXPECT_EQ(breaches("ethernet.pcap"),
            (Summary{"10.1.1.1 2/80: 203.0.113.5:443/tcp×2", "10.1.1.2 1/28: 198.51.100.1:123/udp×1",
                     "10.1.1.3 1/28: 198.51.100.2:0/icmp×1",
                     "fd00:1::5 2/132: 2001:db8:ff::1:22/tcp×1 2001:db8:ff::1:0/icmpv6×1",
                     "10.1.1.4 3/168: 203.0.113.9:5000/udp×1 203.0.113.9:0/udp×2",
                     "fd00:1::6 3/272: 2001:db8:ff::2:6000/udp×1 2001:db8:ff::2:0/udp×2"}));
}

TEST_F(IsolationCaptures, TruncatedTransportStillCountsWithoutPortCutAddressesDoNot) {
  EXPECT_EQ(breaches("truncated.pcap"), (Summary{"10.1.3.1 1/40: 203.0.113.30:0/tcp×1"}));
}

TEST_F(IsolationCaptures, LinuxCookedV1AndV2) {
  EXPECT_EQ(breaches("sll.pcap"),
            (Summary{"10.1.4.1 1/40: 203.0.113.40:80/tcp×1", "fd00:1::41 1/48: 2001:db8:ff::41:443/udp×1"}));
  EXPECT_EQ(breaches("sll2.pcap"),
            (Summary{"10.1.5.1 1/40: 203.0.113.50:25/tcp×1", "fd00:1::51 1/60: 2001:db8:ff::51:25/tcp×1"}));
}

TEST_F(IsolationCaptures, RawIpBigEndianNanosecondFile) {
  Result<std::vector<HostBreach>> hosts = replay_capture(test_watch(), file("raw.pcap"));
  ASSERT_TRUE(hosts) << hosts.error().message;
  EXPECT_EQ(summary(*hosts),
            (Summary{"10.1.6.1 1/28: 203.0.113.60:53/udp×1", "fd00:1::61 1/48: 2001:db8:ff::61:53/udp×1"}));
  EXPECT_EQ(to_unix_ms((*hosts)[0].first_seen), kT0Ms + 250);
  EXPECT_EQ(to_unix_ms((*hosts)[1].last_seen), kT0Ms + 1250);
  EXPECT_EQ(breaches("ipv4.pcap"), (Summary{"10.1.7.1 1/40: 203.0.113.70:993/tcp×1"}));
  EXPECT_EQ(breaches("ipv6.pcap"), (Summary{"fd00:1::71 1/60: 2001:db8:ff::71:993/tcp×1"}));
}

TEST_F(IsolationCaptures, BsdLoopbackInBothByteOrders) {
  EXPECT_EQ(breaches("null.pcap"),
            (Summary{"10.1.8.1 1/40: 203.0.113.80:21/tcp×1", "fd00:1::81 1/60: 2001:db8:ff::81:21/tcp×1"}));
  EXPECT_EQ(breaches("null-swapped.pcap"),
            (Summary{"10.1.11.1 1/40: 203.0.113.80:21/tcp×1", "fd00:1::111 1/60: 2001:db8:ff::81:21/tcp×1"}));
  EXPECT_EQ(breaches("loop.pcap"),
            (Summary{"10.1.9.1 1/40: 203.0.113.80:21/tcp×1", "fd00:1::91 1/60: 2001:db8:ff::81:21/tcp×1"}));
  EXPECT_EQ(breaches("loop-swapped.pcap"),
            (Summary{"10.1.12.1 1/40: 203.0.113.80:21/tcp×1", "fd00:1::121 1/60: 2001:db8:ff::81:21/tcp×1"}));
}

TEST_F(IsolationCaptures, PcapngThroughLibpcap) {
  EXPECT_EQ(breaches("capture.pcapng"), (Summary{"10.1.10.1 1/40: 203.0.113.100:3389/tcp×1"}));
}

TEST_F(IsolationCaptures, DecodeStatusesOfNonIpAndCutFrames) {
  std::map<DecodeStatus, int> statuses;
  for (const char* name : {"ethernet.pcap", "truncated.pcap", "sll.pcap", "null.pcap"}) {
    ASSERT_TRUE(read_capture_file(file(name), [&](const CapturedFrame& frame) {
      DecodedPacket packet;
      ++statuses[decode_frame(frame, packet)];
    }));
  }
  EXPECT_EQ(statuses[DecodeStatus::not_ip], 4);     // ARP, LLDP, SLL ARP, unknown loopback family
  EXPECT_EQ(statuses[DecodeStatus::truncated], 3);  // the three records cut inside the link or IP header
  EXPECT_EQ(statuses[DecodeStatus::ok], 18 + 1 + 3 + 3);
}

TEST_F(IsolationCaptures, FramesWithFiveOrMoreVlanTagsAreCountedAsUndecodable) {
  std::vector<DecodeStatus> statuses;
  ASSERT_TRUE(read_capture_file(file("vlan-deep.pcap"), [&](const CapturedFrame& frame) {
    DecodedPacket packet;
    statuses.push_back(decode_frame(frame, packet));
  }));
  EXPECT_EQ(statuses, (std::vector<DecodeStatus>{DecodeStatus::ok, DecodeStatus::too_many_vlan_tags,
                                                 DecodeStatus::too_many_vlan_tags, DecodeStatus::not_ip}));
  EXPECT_FALSE(undecodable(DecodeStatus::ok));
  EXPECT_FALSE(undecodable(DecodeStatus::not_ip));
  EXPECT_TRUE(undecodable(DecodeStatus::too_many_vlan_tags));
  EXPECT_TRUE(undecodable(DecodeStatus::truncated));
  EXPECT_TRUE(undecodable(DecodeStatus::malformed));

  Config config;
  config.isolation.push_back(test_watch("campus"));
  Result<ReplayReport> text = replay_report(config, file("vlan-deep.pcap"), false);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->undecodable, 2u);
  const std::string at = format_local(from_unix_ms(kT0Ms + 250));
  EXPECT_EQ(text->output, "isolation 'campus' (" + file("vlan-deep.pcap") + "):\n" +
                              "  10.1.13.4  packets 1  bytes 40  first " + at + "  last " + at +
                              "  to 203.0.113.130:443/tcp ×1\n" + "undecodable frames in " + file("vlan-deep.pcap") +
                              ": 2 (cut short, malformed or more than 4 VLAN tags)\n");
  Result<ReplayReport> json = replay_report(config, file("vlan-deep.pcap"), true);
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ(json->undecodable, 2u);
  EXPECT_EQ(boost::json::parse(json->output).as_array().size(), 1u);

  // A live capture's kernel filter lets every frame with 3 tags or more
  // through, for the decoder to judge or count.
  const std::string filter = breach_filter_text(test_watch(), DLT_EN10MB);
  test::Finished kept = test::run_program({"/usr/bin/tcpdump", "-r", file("vlan-deep.pcap"), "-w", "-", filter});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  const std::string out = file("kept-vlan-deep.pcap");
  std::ofstream(out, std::ios::binary) << kept.out;
  int kept_frames = 0;
  ASSERT_TRUE(read_capture_file(out, [&](const CapturedFrame&) { ++kept_frames; }));
  EXPECT_EQ(kept_frames, 4);
}

TEST_F(IsolationCaptures, CorruptAndCutFilesAreErrorsNamingFileAndOffset) {
  // Record 2 starts at 24 (file header) + 16 + 54 (the first record).
  for (const char* name : {"corrupt.pcap", "cut.pcap"}) {
    int frames = 0;
    Result<std::uint64_t> read = read_capture_file(file(name), [&](const CapturedFrame&) { ++frames; });
    ASSERT_FALSE(read) << name;
    EXPECT_NE(read.error().message.find(file(name)), std::string::npos) << read.error().message;
    EXPECT_NE(read.error().message.find("offset 94"), std::string::npos) << read.error().message;
    EXPECT_EQ(frames, 1);
  }
  for (const char* name : {"not-a-capture.pcap", "missing.pcap"}) {
    Result<std::vector<HostBreach>> hosts = replay_capture(test_watch(), file(name));
    ASSERT_FALSE(hosts) << name;
    EXPECT_NE(hosts.error().message.find(file(name)), std::string::npos) << hosts.error().message;
  }
}

TEST_F(IsolationCaptures, UnsupportedLinkTypeIsNamed) {
  Result<std::vector<HostBreach>> hosts = replay_capture(test_watch(), file("wifi.pcap"));
  ASSERT_FALSE(hosts);
  EXPECT_NE(hosts.error().message.find("link type 105 (IEEE802_11) is not supported"), std::string::npos)
      << hosts.error().message;
  EXPECT_FALSE(link_type_supported(DLT_IEEE802_11));
  for (int dlt : {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP}) {
    EXPECT_TRUE(link_type_supported(dlt)) << dlt;
  }
}

// The filter keeps exactly the packets the classifier calls breaches: tcpdump
// applies it to each capture, and what it writes is read back and judged.
// (Not on the *-swapped loopback files: libpcap's filter reads the family
// only in the byte order the link type prescribes.)
TEST_F(IsolationCaptures, BpfFilterKeepsExactlyTheBreaches) {
  const IsolationWatch watch = test_watch();
  const BreachClassifier classifier(watch);
  for (const char* name : {"ethernet.pcap", "truncated.pcap", "sll.pcap", "sll2.pcap", "raw.pcap", "ipv4.pcap",
                           "ipv6.pcap", "null.pcap", "loop.pcap"}) {
    SCOPED_TRACE(name);
    int link_type = 0;
    auto count_breaches = [&](const std::string& path, int& total) {
      int breaches = 0;
      Result<std::uint64_t> read = read_capture_file(path, [&](const CapturedFrame& frame) {
        link_type = frame.link_type;
        DecodedPacket packet;
        ++total;
        if (decode_frame(frame, packet) == DecodeStatus::ok && classifier.is_breach(packet)) ++breaches;
      });
      EXPECT_TRUE(read) << read.error().message;
      return breaches;
    };
    int input_total = 0;
    const int expected = count_breaches(file(name), input_total);
    ASSERT_GT(expected, 0);
    ASSERT_GE(input_total, expected);
    const std::string filter = breach_filter_text(watch, link_type);
    ASSERT_TRUE(check_filter_compiles(filter, link_type)) << filter;
    test::Finished kept = test::run_program({"/usr/bin/tcpdump", "-r", file(name), "-w", "-", filter});
    ASSERT_EQ(kept.exit_code, 0) << kept.err;
    const std::string out = file(std::string("kept-") + name);
    std::ofstream(out, std::ios::binary) << kept.out;
    int kept_total = 0;
    EXPECT_EQ(count_breaches(out, kept_total), expected);
    EXPECT_EQ(kept_total, expected);
  }
}

TEST(BpfFilter, TextAndCompilesForEveryLinkType) {
  IsolationWatch watch = test_watch();
  EXPECT_EQ(breach_filter_text(watch, DLT_RAW),
            "(ip src net 10.0.0.0/8 or ip6 src net fd00:1::/48) and not (ip dst net 10.0.0.0/8 or ip6 dst net "
            "fd00:1::/48 or ip dst net 192.0.2.0/24 or ip6 dst net 2001:db8:a::/48)");
  EXPECT_NE(breach_filter_text(watch, DLT_EN10MB).find("vlan and"), std::string::npos);
  for (int dlt : {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP}) {
    Result<void> ok = check_filter_compiles(breach_filter_text(watch, dlt), dlt);
    EXPECT_TRUE(ok) << dlt << ": " << ok.error().message;
  }
  EXPECT_FALSE(check_filter_compiles("ip src net 10.0.0.1/8", DLT_EN10MB));
}

TEST(PrefixSet, ManyRangesOfOnePrefixLengthAndMixedLengths) {
  std::vector<Cidr> ranges;
  for (int i = 0; i < 40; i += 2)
    ranges.push_back(config_detail::parse_cidr("10.0." + std::to_string(i) + ".0/24").value());
  ranges.push_back(config_detail::parse_cidr("172.16.0.0/12").value());
  ranges.push_back(config_detail::parse_cidr("2001:db8::/32").value());
  ranges.push_back(config_detail::parse_cidr("2001:db9::7").value());
  const PrefixSet set(ranges);
  auto v4 = [](std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return IpAddress{IpFamily::ipv4, {a, b, c, d}};
  };
  auto v6 = [](std::uint8_t b2, std::uint8_t b3, std::uint8_t last) {
    return IpAddress{IpFamily::ipv6, {0x20, 0x01, 0x0d, b2, 0, b3, 0, 0, 0, 0, 0, 0, 0, 0, 0, last}};
  };
  EXPECT_TRUE(set.contains(v4(10, 0, 0, 1)));
  EXPECT_TRUE(set.contains(v4(10, 0, 38, 255)));
  EXPECT_FALSE(set.contains(v4(10, 0, 39, 1)));
  EXPECT_FALSE(set.contains(v4(10, 0, 40, 1)));
  EXPECT_TRUE(set.contains(v4(172, 31, 255, 255)));
  EXPECT_FALSE(set.contains(v4(172, 32, 0, 0)));
  EXPECT_TRUE(set.contains(v6(0xb8, 0xff, 1)));
  EXPECT_FALSE(set.contains(v6(0xb9, 0, 1)));
  EXPECT_TRUE(set.contains(v6(0xb9, 0, 7)));
  // An IPv4 address never matches an IPv6 range with the same leading bytes.
  EXPECT_FALSE(PrefixSet(cidrs({"::/0"})).contains(v4(10, 0, 0, 1)));
  EXPECT_TRUE(PrefixSet(cidrs({"0.0.0.0/0"})).contains(v4(8, 8, 8, 8)));
}

DecodedPacket packet_from(std::uint8_t host, std::uint8_t destination, std::uint16_t port) {
  DecodedPacket p;
  p.source = IpAddress{IpFamily::ipv4, {10, 0, 0, host}};
  p.destination = IpAddress{IpFamily::ipv4, {198, 51, 100, destination}};
  p.protocol = kProtoTcp;
  p.has_ports = true;
  p.destination_port = port;
  p.ip_length = 100;
  return p;
}

TEST(BreachAggregator, BoundsHostsAndDestinationsAndForgets) {
  BreachAggregator agg(AggregatorLimits{.max_hosts = 2, .max_destinations = 3});
  const Time t = from_unix_ms(kT0Ms);
  EXPECT_EQ(agg.add(packet_from(1, 1, 443), t), BreachAggregator::Added::new_host);
  for (std::uint8_t d = 1; d <= 5; ++d) {
    EXPECT_EQ(agg.add(packet_from(1, d, 443), t + Duration(d)), BreachAggregator::Added::existing_host);
  }
  EXPECT_EQ(agg.add(packet_from(2, 1, 80), t), BreachAggregator::Added::new_host);
  EXPECT_EQ(agg.add(packet_from(3, 1, 80), t), BreachAggregator::Added::unrecorded);
  EXPECT_EQ(agg.unrecorded_packets(), 1u);
  std::vector<HostBreach> hosts = agg.hosts();
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(summary(hosts)[0], "10.0.0.1 6/600: 198.51.100.1:443/tcp×2 198.51.100.2:443/tcp×1 198.51.100.3:443/tcp×1");
  EXPECT_EQ(hosts[0].other_packets, 2u);
  EXPECT_EQ(hosts[0].other_bytes, 200u);
  EXPECT_EQ(hosts[0].last_seen, t + Duration(5));
  agg.forget(IpAddress{IpFamily::ipv4, {10, 0, 0, 1}});
  EXPECT_FALSE(agg.host(IpAddress{IpFamily::ipv4, {10, 0, 0, 1}}));
  ASSERT_TRUE(agg.host(IpAddress{IpFamily::ipv4, {10, 0, 0, 2}}));
  EXPECT_EQ(agg.add(packet_from(3, 1, 80), t), BreachAggregator::Added::new_host);
  EXPECT_EQ(summary(agg.hosts()),
            (Summary{"10.0.0.2 1/100: 198.51.100.1:80/tcp×1", "10.0.0.3 1/100: 198.51.100.1:80/tcp×1"}));
}

TEST_F(IsolationCaptures, EvidenceKeepsFirstFramesFlushedAndTcpdumpReadsIt) {
  const std::string path = file("evidence.pcap");
  Result<EvidenceWriter> writer = EvidenceWriter::create(path, DLT_EN10MB, 3);
  ASSERT_TRUE(writer) << writer.error().message;
  int offered = 0;
  ASSERT_TRUE(read_capture_file(file("ethernet.pcap"), [&](const CapturedFrame& frame) {
    ++offered;
    EXPECT_TRUE(writer->write(frame));
  }));
  EXPECT_GT(offered, 3);
  EXPECT_EQ(writer->written(), 3);
  EXPECT_TRUE(writer->full());
  // Still open: what a kill -9 would leave behind.
  std::vector<Time> stamps;
  ASSERT_TRUE(read_capture_file(path, [&](const CapturedFrame& frame) { stamps.push_back(frame.at); }));
  EXPECT_EQ(stamps,
            (std::vector<Time>{from_unix_ms(kT0Ms + 250), from_unix_ms(kT0Ms + 1250), from_unix_ms(kT0Ms + 2250)}));
  test::Finished shown = test::run_program({"/usr/bin/tcpdump", "-nn", "-r", path});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(std::count(shown.out.begin(), shown.out.end(), '\n'), 3) << shown.out;
  EXPECT_NE(shown.out.find("10.1.1.1.40000 > 203.0.113.5.443"), std::string::npos) << shown.out;

  CapturedFrame other{from_unix_ms(kT0Ms), DLT_RAW, {}, 0};
  Result<EvidenceWriter> second = EvidenceWriter::create(file("evidence2.pcap"), DLT_EN10MB, 3);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->write(other));
  EXPECT_FALSE(EvidenceWriter::create(file("no-such-dir/evidence.pcap"), DLT_EN10MB, 3));
}

TEST_F(IsolationCaptures, ReplayReportTextAndJson) {
  Config config;
  config.isolation.push_back(test_watch("campus"));
  IsolationWatch reach;
  reach.id = "outside";
  reach.kind = "must_not_reach";
  config.isolation.push_back(reach);
  IsolationWatch lab = test_watch("lab");
  lab.allowed = cidrs({"0.0.0.0/0"});  // the lab may reach any IPv4 address
  config.isolation.push_back(lab);

  Result<ReplayReport> text = replay_report(config, file("sll.pcap"), false);
  ASSERT_TRUE(text) << text.error().message;
  const std::string first = format_local(from_unix_ms(kT0Ms + 250));
  EXPECT_EQ(text->output,
            "isolation 'campus' (" + file("sll.pcap") + "):\n" + "  10.1.4.1  packets 1  bytes 40  first " + first +
                "  last " + first + "  to 203.0.113.40:80/tcp ×1\n" + "  fd00:1::41  packets 1  bytes 48  first " +
                format_local(from_unix_ms(kT0Ms + 1250)) + "  last " + format_local(from_unix_ms(kT0Ms + 1250)) +
                "  to [2001:db8:ff::41]:443/udp ×1\n" + "isolation 'lab' (" + file("sll.pcap") + "):\n" +
                "  fd00:1::41  packets 1  bytes 48  first " + format_local(from_unix_ms(kT0Ms + 1250)) + "  last " +
                format_local(from_unix_ms(kT0Ms + 1250)) + "  to [2001:db8:ff::41]:443/udp ×1\n" +
                "undecodable frames in " + file("sll.pcap") + ": 0 (cut short, malformed or more than 4 VLAN tags)\n");

  Result<ReplayReport> json = replay_report(config, file("ethernet.pcap"), true);
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ(json->undecodable, 0u);
  boost::json::array all = boost::json::parse(json->output).as_array();
  ASSERT_EQ(all.size(), 6u + 2u);  // campus: every host; lab: the two IPv6 hosts
  const boost::json::object& h = all[0].as_object();
  EXPECT_EQ(h.at("watch"), "campus");
  EXPECT_EQ(h.at("host"), "10.1.1.1");
  EXPECT_EQ(h.at("packets"), 2);
  EXPECT_EQ(h.at("bytes"), 80);
  EXPECT_EQ(h.at("first_seen"), "2023-11-14T22:13:20.250Z");
  EXPECT_EQ(h.at("last_seen"), "2023-11-14T22:13:21.250Z");
  EXPECT_EQ(boost::json::serialize(h.at("destinations")),
            R"([{"address":"203.0.113.5","port":443,"protocol":"tcp","packets":2}])");
  EXPECT_EQ(all[6].as_object().at("watch"), "lab");
  EXPECT_EQ(all[6].as_object().at("host"), "fd00:1::5");

  EXPECT_EQ(format_breaches_text({}), "no suspected breaches\n");
  EXPECT_EQ(format_breaches_json({}), "[]\n");
  Config none;
  none.isolation.push_back(reach);
  Result<ReplayReport> refused = replay_report(none, file("ethernet.pcap"), false);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("kind = \"pcap\""), std::string::npos);
}

}  // namespace
}  // namespace netwarden
