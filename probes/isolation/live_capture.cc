#include "probes/isolation/live_capture.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <exception>
#include <optional>

#include "common/os_error.h"

namespace netwarden {

namespace asio = boost::asio;

namespace {

constexpr int kSnapLength = 262144;
// The kernel ring rides out bursts while the io thread does other work.
constexpr int kBufferBytes = 8 * 1024 * 1024;
// Frames per pcap_dispatch, and calls before other handlers get a turn.
constexpr int kBatch = 256;
constexpr int kBatchesPerTurn = 16;

struct PcapCloser {
  void operator()(pcap_t* handle) const { pcap_close(handle); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

std::string on(const std::string& interface) { return "capture on interface '" + interface + "'"; }

// libpcap's activation codes, in words an operator can act on.
Error activation_error(int code, pcap_t* handle, const std::string& interface) {
  switch (code) {
    case PCAP_ERROR_NO_SUCH_DEVICE: return Error{"no such interface '" + interface + "'"};
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return Error{on(interface) + " needs CAP_NET_RAW: run as root or grant it in the systemd unit"};
    case PCAP_ERROR_IFACE_NOT_UP: return Error{on(interface) + ": the interface is down"};
    default: return Error{on(interface) + ": " + pcap_geterr(handle)};
  }
}

Time frame_time(const timeval& ts) {
  return from_unix_ms(static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_usec / 1000);
}

}  // namespace

struct LiveCapture::Impl {
  Impl(const asio::any_io_executor& executor, PcapHandle pcap, std::string name, FrameHandler frame_handler,
       FailureHandler failure_handler)
      : handle(std::move(pcap)),
        descriptor(executor),
        interface(std::move(name)),
        on_frame(std::move(frame_handler)),
        on_failure(std::move(failure_handler)),
        link_type(pcap_datalink(handle.get())) {}

  PcapHandle handle;
  asio::posix::stream_descriptor descriptor;  // a dup of libpcap's descriptor, so each closes its own
  std::string interface;
  FrameHandler on_frame;
  FailureHandler on_failure;
  int link_type;
  Stats counters;
  std::optional<std::string> handler_failure;  // what the frame handler threw, reported once the batch ends
  bool dispatching = false;                    // inside pcap_dispatch: the handle may not be closed yet
  bool stopped = false;

  static void wait(const std::shared_ptr<Impl>& self) {
    self->descriptor.async_wait(asio::posix::stream_descriptor::wait_read, [self](const boost::system::error_code& ec) {
      if (self->stopped) return;
      if (ec) return self->give_up("waiting for frames: " + ec.message());
      drain(self);
    });
  }

  // Reads until the ring is empty, then waits again; after a bounded number
  // of batches it lets other handlers run first.
  static void drain(const std::shared_ptr<Impl>& self) {
    for (int turn = 0; turn < kBatchesPerTurn; ++turn) {
      self->dispatching = true;
      const int n = pcap_dispatch(self->handle.get(), kBatch, &Impl::deliver, reinterpret_cast<u_char*>(self.get()));
      self->dispatching = false;
      if (self->handler_failure) return self->give_up("the frame handler failed: " + *self->handler_failure);
      if (self->stopped) return self->close();
      if (n == PCAP_ERROR) return self->give_up(pcap_geterr(self->handle.get()));
      if (n == 0) return wait(self);
    }
    asio::post(self->descriptor.get_executor(), [self] {
      if (!self->stopped) drain(self);
    });
  }

  static void deliver(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    auto* self = reinterpret_cast<Impl*>(user);
    if (self->stopped || self->handler_failure) return;
    const CapturedFrame frame{frame_time(header->ts), self->link_type,
                              std::span<const std::uint8_t>(bytes, header->caplen), header->len};
    ++self->counters.frames;
    // An exception must not unwind through libpcap's C frames.
    try {
      self->on_frame(frame);
    } catch (const std::exception& e) {
      self->handler_failure = e.what();
    } catch (...) {
      self->handler_failure = "unknown exception";
    }
    if (self->handler_failure) pcap_breakloop(self->handle.get());
  }

  void refresh_kernel_stats() {
    pcap_stat kernel{};
    if (handle && pcap_stats(handle.get(), &kernel) == 0) counters.kernel_drops = kernel.ps_drop;
  }

  void close() {
    stopped = true;
    refresh_kernel_stats();
    boost::system::error_code ignored;
    descriptor.close(ignored);
    handle.reset();
  }

  void give_up(const std::string& reason) {
    close();
    if (on_failure) on_failure(Error{on(interface) + " stopped: " + reason});
  }
};

Result<std::unique_ptr<LiveCapture>> LiveCapture::open(asio::any_io_executor executor, const std::string& interface,
                                                       const std::string& bpf_filter, FrameHandler handler,
                                                       FailureHandler on_failure) {
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  PcapHandle handle(pcap_create(interface.c_str(), errbuf));
  if (!handle) return fail(on(interface) + ": " + errbuf);
  pcap_t* pcap = handle.get();
  pcap_set_snaplen(pcap, kSnapLength);
  pcap_set_promisc(pcap, 1);
  pcap_set_immediate_mode(pcap, 1);
  pcap_set_buffer_size(pcap, kBufferBytes);
  if (const int code = pcap_activate(pcap); code < 0) return std::unexpected(activation_error(code, pcap, interface));

  bpf_program program{};
  if (pcap_compile(pcap, &program, bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    return fail("BPF filter for interface '" + interface + "' does not compile: " + pcap_geterr(pcap) +
                " (filter: " + bpf_filter + ")");
  }
  const int set = pcap_setfilter(pcap, &program);
  pcap_freecode(&program);
  if (set != 0) return fail(on(interface) + ": cannot set the BPF filter: " + pcap_geterr(pcap));
  if (pcap_setnonblock(pcap, 1, errbuf) != 0) return fail(on(interface) + ": " + errbuf);
  const int fd = pcap_get_selectable_fd(pcap);
  if (fd < 0) return fail(on(interface) + ": libpcap offers no descriptor to wait on");
  // libpcap opens its packet socket without close-on-exec: set it at once
  // (its internal wake-up eventfd is out of reach; programs the daemon
  // starts close every descriptor above 2 anyway).
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
    return fail_errno(on(interface) + ": cannot set close-on-exec on the capture descriptor");
  }
  const int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) return fail_errno(on(interface) + ": cannot duplicate the capture descriptor");

  auto impl = std::make_shared<Impl>(executor, std::move(handle), interface, std::move(handler), std::move(on_failure));
  boost::system::error_code ec;
  impl->descriptor.assign(own, ec);
  if (ec) {
    ::close(own);
    return fail(on(interface) + ": " + ec.message());
  }
  Impl::wait(impl);
  return std::unique_ptr<LiveCapture>(new LiveCapture(std::move(impl)));
}

LiveCapture::LiveCapture(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

LiveCapture::~LiveCapture() { stop(); }

int LiveCapture::link_type() const { return impl_->link_type; }

LiveCapture::Stats LiveCapture::stats() const {
  impl_->refresh_kernel_stats();
  return impl_->counters;
}

void LiveCapture::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  // Inside a handler libpcap still holds the handle; drain() closes it when
  // pcap_dispatch returns.
  if (impl_->dispatching) {
    pcap_breakloop(impl_->handle.get());
  } else {
    impl_->close();
  }
}

}  // namespace netwarden
