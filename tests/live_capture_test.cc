// LiveCapture on a real interface: the host side of a veth pair whose other
// end sits in a network namespace the test sends from. Needs root.
#include "probes/isolation/live_capture.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <pcap/dlt.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <vector>

#include "tests/support/veth_namespace.h"

namespace netwarden {
namespace {

struct Seen {
  int link_type;
  std::vector<std::uint8_t> bytes;
  std::uint32_t wire_length;
};

// Runs the loop until `done` holds or 5 s pass, then a little longer so
// that frames which should not come have had their chance.
template <class Done>
void run_until(boost::asio::io_context& io, Done done) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < limit) io.run_one_for(std::chrono::milliseconds(50));
  io.run_for(std::chrono::milliseconds(200));
}

std::uint16_t be16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return static_cast<std::uint16_t>(b.at(at) << 8 | b.at(at + 1));
}

TEST(LiveCaptureTest, DeliversOnlyTheFramesTheFilterPasses) {
  test::VethNamespace net;
  Result<void> made = net.create();
  ASSERT_TRUE(made) << made.error().message;
  boost::asio::io_context io;
  std::vector<Seen> seen;
  auto capture =
      LiveCapture::open(io.get_executor(), net.host_interface(), "udp dst port 9999", [&](const CapturedFrame& f) {
        seen.push_back({f.link_type, {f.bytes.begin(), f.bytes.end()}, f.wire_length});
      });
  ASSERT_TRUE(capture) << capture.error().message;
  EXPECT_EQ((*capture)->link_type(), DLT_EN10MB);

  ASSERT_TRUE(net.send_udp("203.0.113.1", 9998, 2));
  ASSERT_TRUE(net.send_udp("203.0.113.1", 9999, 3));
  ASSERT_TRUE(net.send_udp("2001:db8::1", 9999, 1));
  run_until(io, [&] { return seen.size() >= 4; });

  ASSERT_EQ(seen.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    const Seen& f = seen[i];
    EXPECT_EQ(f.link_type, DLT_EN10MB);
    EXPECT_EQ(f.wire_length, f.bytes.size());
    EXPECT_EQ(be16(f.bytes, 12), 0x0800);
    EXPECT_EQ(std::vector<std::uint8_t>(f.bytes.begin() + 26, f.bytes.begin() + 34),
              (std::vector<std::uint8_t>{203, 0, 113, 2, 203, 0, 113, 1}));
    EXPECT_EQ(be16(f.bytes, 36), 9999);
  }
  const Seen& v6 = seen[3];
  EXPECT_EQ(be16(v6.bytes, 12), 0x86dd);
  EXPECT_EQ(v6.bytes.at(14 + 6), 17);       // next header: UDP
  EXPECT_EQ(v6.bytes.at(14 + 8 + 15), 2);   // source 2001:db8::2
  EXPECT_EQ(v6.bytes.at(14 + 24 + 15), 1);  // destination 2001:db8::1
  EXPECT_EQ(be16(v6.bytes, 14 + 40 + 2), 9999);
  EXPECT_EQ((*capture)->stats().frames, 4u);
  EXPECT_EQ((*capture)->stats().kernel_drops, 0u);
}

TEST(LiveCaptureTest, StopFromTheHandlerEndsDelivery) {
  test::VethNamespace net;
  Result<void> made = net.create();
  ASSERT_TRUE(made) << made.error().message;
  boost::asio::io_context io;
  int frames = 0;
  std::unique_ptr<LiveCapture> capture;
  auto opened = LiveCapture::open(io.get_executor(), net.host_interface(), "udp", [&](const CapturedFrame&) {
    ++frames;
    capture->stop();
  });
  ASSERT_TRUE(opened) << opened.error().message;
  capture = std::move(*opened);

  ASSERT_TRUE(net.send_udp("203.0.113.1", 9999, 3));
  run_until(io, [&] { return frames > 0; });
  EXPECT_EQ(frames, 1);
  EXPECT_TRUE(io.stopped());  // nothing left waiting on the descriptor
}

TEST(LiveCaptureTest, AFrameHandlerThatThrowsStopsTheCaptureWithAReason) {
  test::VethNamespace net;
  Result<void> made = net.create();
  ASSERT_TRUE(made) << made.error().message;
  boost::asio::io_context io;
  int frames = 0;
  std::vector<std::string> failures;
  auto capture = LiveCapture::open(
      io.get_executor(), net.host_interface(), "udp",
      [&](const CapturedFrame&) {
        ++frames;
        throw std::runtime_error("disk full");
      },
      [&](const Error& e) { failures.push_back(e.message); });
  ASSERT_TRUE(capture) << capture.error().message;

  ASSERT_TRUE(net.send_udp("203.0.113.1", 9999, 3));
  run_until(io, [&] { return !failures.empty(); });
  EXPECT_EQ(frames, 1);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].find(net.host_interface()), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find("disk full"), std::string::npos) << failures[0];
}

TEST(LiveCaptureTest, AMissingInterfaceIsNamed) {
  boost::asio::io_context io;
  const std::string name = "nwnone" + std::to_string(getpid());
  auto capture = LiveCapture::open(io.get_executor(), name, "", [](const CapturedFrame&) {});
  ASSERT_FALSE(capture);
  EXPECT_EQ(capture.error().message, "no such interface '" + name + "'");
}

TEST(LiveCaptureTest, AFilterThatDoesNotCompileIsAnErrorWithLibpcapsReason) {
  boost::asio::io_context io;
  auto capture = LiveCapture::open(io.get_executor(), "lo", "udp dst port banana", [](const CapturedFrame&) {});
  ASSERT_FALSE(capture);
  const std::string& message = capture.error().message;
  EXPECT_NE(message.find("BPF filter for interface 'lo' does not compile"), std::string::npos) << message;
  EXPECT_NE(message.find("banana"), std::string::npos) << message;
}

// Takes CAP_NET_RAW out of this thread's effective set (root keeps it
// permitted, so the destructor can put it back).
class WithoutNetRaw {
 public:
  WithoutNetRaw() {
    capget(saved_);
    __user_cap_data_struct lowered[2] = {saved_[0], saved_[1]};
    lowered[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
    ok_ = capset(lowered);
  }
  ~WithoutNetRaw() { capset(saved_); }
  bool ok() const { return ok_; }

 private:
  static void capget(__user_cap_data_struct* data) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    syscall(SYS_capget, &header, data);
  }
  static bool capset(__user_cap_data_struct* data) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    return syscall(SYS_capset, &header, data) == 0;
  }
  __user_cap_data_struct saved_[2]{};
  bool ok_ = false;
};

TEST(LiveCaptureTest, WithoutCapNetRawTheErrorSaysWhatToGrant) {
  boost::asio::io_context io;
  WithoutNetRaw lowered;
  ASSERT_TRUE(lowered.ok());
  auto capture = LiveCapture::open(io.get_executor(), "lo", "", [](const CapturedFrame&) {});
  ASSERT_FALSE(capture);
  EXPECT_EQ(capture.error().message,
            "capture on interface 'lo' needs CAP_NET_RAW: run as root or grant it in the systemd unit");
}

}  // namespace
}  // namespace netwarden
