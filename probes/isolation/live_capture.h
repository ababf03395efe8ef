// LiveCapture: a libpcap handle on one network interface, with a BPF filter
// in the kernel, driven by Asio so that waiting for frames never blocks the
// io thread.
//
// open() does everything that needs privilege (CAP_NET_RAW) at once, so a
// daemon opens its captures at start. Frames are handed to the handler as
// they arrive (immediate mode, promiscuous); the CapturedFrame borrows
// libpcap's buffer and is valid only during the call. Frames are read in
// bounded batches, yielding to other work between them.
//
// When the capture fails after opening (the interface disappears), on_failure
// is called once with the reason and the capture stops.
//
// Thread-safety: use from the thread running the executor it was opened
// with; the handlers are called there. The handler may call stop().
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "probes/isolation/packet.h"

namespace netwarden {

class LiveCapture {
 public:
  using FrameHandler = std::function<void(const CapturedFrame&)>;
  using FailureHandler = std::function<void(const Error&)>;

  struct Stats {
    std::uint64_t frames = 0;        // handed to the handler
    std::uint64_t kernel_drops = 0;  // dropped for lack of buffer space (pcap_stats ps_drop)
  };

  // Errors name the interface: it does not exist, it is down, the process
  // lacks CAP_NET_RAW, or the filter does not compile (with libpcap's reason).
  static Result<std::unique_ptr<LiveCapture>> open(boost::asio::any_io_executor executor, const std::string& interface,
                                                   const std::string& bpf_filter, FrameHandler handler,
                                                   FailureHandler on_failure = {});
  ~LiveCapture();  // stop()s
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  // DLT_* of the interface, fixed once open.
  int link_type() const;
  // Counters since open; the kernel's are the last ones read before stop().
  Stats stats() const;
  // Cancels the wait and closes the handle; no handler is called afterwards.
  void stop();

 private:
  struct Impl;
  explicit LiveCapture(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;  // shared with the pending wait
};

}  // namespace netwarden
