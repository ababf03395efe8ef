// End to end: the real netwardend watching isolation. A network namespace
// plays the internal network, joined by a veth pair whose host side the
// daemon captures on; a loopback listener plays an internet service that a
// must_not_reach watch must not get to. Needs root (namespaces, capture).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/temp_dir.h"
#include "tests/support/veth_namespace.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// The office network: its own addresses, and the campus it may reach.
const std::string kOffice = "internal = [\"10.20.0.0/16\"]\nallowed = [\"10.0.0.0/8\"]\n";

// A TCP listener on 127.0.0.1 that the kernel completes connections for;
// closing it makes the port refuse.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      close();
      return;
    }
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { close(); }
  int port() const { return port_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Writes the frames `code` puts in the list `p` (scapy) to `path`.
Finished write_capture(const std::string& path, const std::string& code) {
  return run_program(
      {"/usr/bin/python3", "-c",
       "import sys\nfrom scapy.all import Ether, Dot1Q, IP, TCP, UDP, wrpcap\n" + code + "wrpcap(sys.argv[1], p)\n",
       path});
}

class IsolationFlowTest : public ::testing::Test {
 protected:
  void write_config(const std::string& watches) {
    std::ofstream(config_) << world_config(dir_, {.recovery_window = "1s", .extra = watches});
  }

  // The one incident's JSON once `done` holds for it.
  json::object incident_when(const std::function<bool(const json::object&)>& done) {
    json::object last;
    const bool reached = daemon_.wait_until([&] {
      json::value listed = daemon_.ctl_json({"incidents", "--all"});
      if (listed.is_null() || listed.at("incidents").as_array().size() != 1) return false;
      last = listed.at("incidents").as_array()[0].as_object();
      return done(last);
    });
    EXPECT_TRUE(reached) << json::serialize(last) << "\n" << daemon_.log();
    return last;
  }

  TempDir dir_{"netwarden-isolation"};
  std::string config_ = dir_.file("netwarden.toml");
  DaemonHarness daemon_{dir_};
};

TEST_F(IsolationFlowTest, AnInternalHostReachingOutIsOneIncidentWithEvidenceUntilItGoesQuiet) {
  VethNamespace inside;
  ASSERT_TRUE(inside.create());
  write_config(isolation_watch("lab_net", "pcap", R"(interface = ")" + inside.host_interface() + R"("
internal = ["203.0.113.2/32", "2001:db8::2/128"]
allowed = ["203.0.113.1/32"]
quiet_period = "2s"
evidence_packets = 5
)"));
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value status = daemon_.ctl_json({"status"});
    return !status.is_null() && status.at("isolation").as_array().size() == 1 &&
           status.at("isolation").as_array()[0].at("running").as_bool();
  })) << daemon_.log();

  // Allowed traffic is no breach; traffic to an outside address is.
  ASSERT_TRUE(inside.send_udp("203.0.113.1", 53, 5));
  ASSERT_TRUE(inside.send_udp("2001:db8::1", 443, 20));
  const json::object opened = incident_when([](const json::object& i) { return i.at("state") == "open"; });
  EXPECT_EQ(opened.at("kind"), "isolation_breach");
  EXPECT_EQ(opened.at("target"), "lab_net");
  EXPECT_EQ(opened.at("host"), "2001:db8::2");
  EXPECT_NE(std::string(opened.at("detail").as_string()).find("[2001:db8::1]:443/udp"), std::string::npos) << opened;
  EXPECT_EQ(std::string(opened.at("detail").as_string()).find("203.0.113.1"), std::string::npos) << opened;

  // The evidence: the first 5 packets, readable by tcpdump.
  const std::string evidence(opened.at("evidence").as_string());
  ASSERT_TRUE(std::filesystem::exists(evidence)) << evidence;
  Finished read = run_program({"/usr/bin/tcpdump", "-nn", "-r", evidence});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(std::count(read.out.begin(), read.out.end(), '\n'), 5) << read.out;
  EXPECT_NE(read.out.find("2001:db8::2."), std::string::npos) << read.out;

  // Quiet for 2s: resolved as of its last packet, and the operator told.
  const json::object resolved = incident_when([](const json::object& i) { return i.at("state") == "resolved"; });
  EXPECT_EQ(daemon_.sql("SELECT json_extract(details_json, '$.how') FROM ledger WHERE type = 'resolved'"), "quiet\n");
  EXPECT_EQ(daemon_.sql("SELECT json_extract(details_json, '$.person') || ': ' || json_extract(details_json, "
                        "'$.reasons') FROM ledger WHERE type = 'notified' ORDER BY seq"),
            "op: step 1\nop: resolved\n");
  EXPECT_EQ(daemon_.ctl({"verify"}).exit_code, 0);
  Finished shown = daemon_.ctl({"show", std::to_string(resolved.at("id").as_int64())});
  EXPECT_NE(shown.out.find("isolation_breach of lab_net 2001:db8::2"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("evidence: " + evidence), std::string::npos) << shown.out;
}

TEST_F(IsolationFlowTest, AMissingInterfaceStopsThatWatchOnly) {
  Listener service;
  ASSERT_GT(service.port(), 0);
  write_config(isolation_watch("ghost", "pcap", "interface = \"nw-no-such0\"\ninternal = [\"10.0.0.0/8\"]\n") +
               isolation_watch("reach", "must_not_reach",
                               "endpoints = [\"127.0.0.1:" + std::to_string(service.port()) +
                                   "\"]\ninterval = \"300ms\"\ntimeout = \"300ms\"\n"));
  daemon_.start();
  // The must_not_reach watch gets through to the listener: a breach.
  const json::object opened = incident_when([](const json::object& i) { return i.at("state") == "open"; });
  EXPECT_EQ(opened.at("target"), "reach");
  EXPECT_NE(std::string(opened.at("detail").as_string()).find("127.0.0.1:" + std::to_string(service.port())),
            std::string::npos)
      << opened;

  Finished status = daemon_.ctl({"status"});
  EXPECT_NE(status.out.find("isolation ghost"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("NOT RUNNING"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("nw-no-such0"), std::string::npos) << status.out;

  // The port refuses from now on: healthy rounds resolve it.
  service.close();
  incident_when([](const json::object& i) { return i.at("state") == "resolved"; });
}

TEST_F(IsolationFlowTest, ReplayPrintsTheBreachesInASavedCapture) {
  write_config(isolation_watch("office", "pcap", kOffice + "interface = \"eth9\"\n"));
  const std::string capture = dir_.file("office.pcap");
  Finished made = write_capture(capture,
                                "p = [Ether()/IP(src='10.20.1.5', dst='93.184.216.34')/TCP(dport=443)] * 3\n"
                                "p += [Ether()/IP(src='10.20.1.5', dst='10.0.0.53')/UDP(dport=53)]\n"
                                "p += [Ether()/IP(src='10.20.1.6', dst='8.8.8.8')/UDP(dport=53)]\n");
  ASSERT_EQ(made.exit_code, 0) << made.err;

  Finished replayed =
      run_program({built_binary("daemon/netwardend"), "--replay", capture, "--config", config_, "--json"});
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  const json::array hosts = json::parse(replayed.out).as_array();
  ASSERT_EQ(hosts.size(), 2u) << replayed.out;
  EXPECT_EQ(hosts[0].at("host"), "10.20.1.5");
  EXPECT_EQ(hosts[0].at("packets"), 3);
  ASSERT_EQ(hosts[0].at("destinations").as_array().size(), 1u) << replayed.out;
  EXPECT_EQ(hosts[0].at("destinations").at(0).at("address"), "93.184.216.34");
  EXPECT_EQ(hosts[0].at("destinations").at(0).at("port"), 443);
  EXPECT_EQ(hosts[0].at("destinations").at(0).at("protocol"), "tcp");
  EXPECT_EQ(hosts[1].at("host"), "10.20.1.6");
  EXPECT_TRUE(hosts[1].at("first_seen").is_string());

  Finished text = run_program({built_binary("daemon/netwardend"), "--replay", capture, "--config", config_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("93.184.216.34:443/tcp"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("10.20.1.6"), std::string::npos) << text.out;

  Finished missing =
      run_program({built_binary("daemon/netwardend"), "--replay", dir_.file("nope.pcap"), "--config", config_});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.pcap"), std::string::npos) << missing.err;
}

TEST_F(IsolationFlowTest, UndecodableFramesAreCountedInStatusAndReplay) {
  const std::string capture = dir_.file("deep-vlan.pcap");
  Finished made = write_capture(capture,
                                "def tagged(n):\n"
                                "    f = Ether()\n"
                                "    for i in range(n): f = f / Dot1Q(vlan=i + 1)\n"
                                "    return f / IP(src='10.20.1.7', dst='93.184.216.34') / TCP(dport=443)\n"
                                "p = [tagged(1), tagged(5), tagged(6)]\n");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  write_config(isolation_watch("office", "pcap", kOffice + "file = \"" + capture + "\"\n"));
  daemon_.start();
  json::object watch;
  ASSERT_TRUE(daemon_.wait_until([&] {
    json::value status = daemon_.ctl_json({"status"});
    if (status.is_null() || status.at("isolation").as_array().size() != 1) return false;
    watch = status.at("isolation").as_array()[0].as_object();
    return watch.at("frames") == 1;
  })) << json::serialize(watch)
      << "\n"
      << daemon_.log();
  EXPECT_EQ(watch.at("undecodable"), 2) << json::serialize(watch);
  Finished status = daemon_.ctl({"status"});
  EXPECT_NE(status.out.find("1 suspect frames, 1 hosts breaching now, 0 dropped by the kernel, 2 undecodable"),
            std::string::npos)
      << status.out;

  const std::string line = "undecodable frames in " + capture + ": 2 (cut short, malformed or more than 4 VLAN tags)";
  Finished text = run_program({built_binary("daemon/netwardend"), "--replay", capture, "--config", config_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("\n" + line + "\n"), std::string::npos) << text.out;
  Finished as_json =
      run_program({built_binary("daemon/netwardend"), "--replay", capture, "--config", config_, "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out).as_array().size(), 1u) << as_json.out;
  EXPECT_EQ(as_json.err, "netwardend: " + line + "\n");
}

}  // namespace
}  // namespace netwarden::test
