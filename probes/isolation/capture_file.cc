#include "probes/isolation/capture_file.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/os_error.h"

namespace netwarden {
namespace {

constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
constexpr std::size_t kFileHeaderSize = 24;
constexpr std::size_t kRecordHeaderSize = 16;
// libpcap's own upper bound on a record for the link types read here; a
// record longer than this and than the file's snap length is corruption.
// (libpcap, too, accepts records longer than the snap length up to it.)
constexpr std::uint32_t kMaxRecordLength = 262144;
// LINKTYPE_RAW in files is DLT_RAW in memory; the other link types read
// here have the same number in both.
constexpr std::uint32_t kLinktypeRaw = 101;

std::uint32_t load32(const std::uint8_t* p, bool swapped) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return swapped ? __builtin_bswap32(v) : v;
}

}  // namespace

struct CaptureFile::State {
  std::string path;
  int link_type = 0;
  // Classic pcap, mapped.
  const std::uint8_t* map = nullptr;
  std::size_t size = 0;
  bool swapped = false;
  bool nanoseconds = false;
  std::uint32_t snap_length = 0;
  // Anything else, through libpcap.
  pcap_t* pcap = nullptr;

  ~State() {
    if (map) munmap(const_cast<std::uint8_t*>(map), size);
    if (pcap) pcap_close(pcap);
  }

  // Reads the classic pcap header of the mapped file; false if it is not one.
  bool parse_classic_header();
  Result<std::uint64_t> read_mapped(const FrameCallback& on_frame) const;
  Result<std::uint64_t> read_libpcap(const FrameCallback& on_frame) const;
};

CaptureFile::CaptureFile(std::unique_ptr<State> state) : state_(std::move(state)) {}
CaptureFile::CaptureFile(CaptureFile&&) noexcept = default;
CaptureFile& CaptureFile::operator=(CaptureFile&&) noexcept = default;
CaptureFile::~CaptureFile() = default;

int CaptureFile::link_type() const { return state_->link_type; }

Result<CaptureFile> CaptureFile::open(const std::string& path) {
  auto state = std::make_unique<State>();
  state->path = path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot open capture file " + path + ": " + errno_text());
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const std::string why = errno_text();
    ::close(fd);
    return fail("cannot read capture file " + path + ": " + why);
  }
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) >= kFileHeaderSize) {
    // Populating the whole mapping at once costs a fraction of faulting it
    // in page by page while walking (a third faster on a 2 M packet file).
    void* map = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map != MAP_FAILED) {
      madvise(map, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL | MADV_WILLNEED);
      state->map = static_cast<const std::uint8_t*>(map);
      state->size = static_cast<std::size_t>(st.st_size);
    }
  }
  if (state->map && state->parse_classic_header()) {
    ::close(fd);
    return CaptureFile(std::move(state));
  }
  if (state->map) {
    munmap(const_cast<std::uint8_t*>(state->map), state->size);
    state->map = nullptr;
  }
  // pcapng, a pipe, or not a capture at all: libpcap decides, reading our
  // descriptor (close-on-exec, which its own fopen would not set; nothing
  // has been read from it yet). From here the FILE owns it.
  FILE* file = ::fdopen(fd, "rb");
  if (!file) {
    const std::string why = errno_text();
    ::close(fd);
    return fail("cannot read capture file " + path + ": " + why);
  }
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  state->pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!state->pcap) {
    std::fclose(file);
    return fail("cannot read capture file " + path + ": " + errbuf);
  }
  state->link_type = pcap_datalink(state->pcap);
  return CaptureFile(std::move(state));
}

bool CaptureFile::State::parse_classic_header() {
  std::uint32_t magic;
  std::memcpy(&magic, map, 4);
  if (magic == kMagicMicro || magic == kMagicNano) {
    swapped = false;
  } else if (magic == __builtin_bswap32(kMagicMicro) || magic == __builtin_bswap32(kMagicNano)) {
    swapped = true;
  } else {
    return false;
  }
  nanoseconds = (swapped ? __builtin_bswap32(magic) : magic) == kMagicNano;
  snap_length = load32(map + 16, swapped);
  // The top bits carry the FCS length, not the link type.
  const std::uint32_t link = load32(map + 20, swapped) & 0x03ffffff;
  link_type = link == kLinktypeRaw ? DLT_RAW : static_cast<int>(link);
  return true;
}

Result<std::uint64_t> CaptureFile::State::read_mapped(const FrameCallback& on_frame) const {
  const std::uint32_t max_length = std::max(snap_length, kMaxRecordLength);
  const std::int64_t fraction_per_ms = nanoseconds ? 1000000 : 1000;
  std::uint64_t count = 0;
  std::size_t offset = kFileHeaderSize;
  CapturedFrame frame;
  frame.link_type = link_type;
  while (offset < size) {
    if (size - offset < kRecordHeaderSize) {
      return fail("capture file " + path + " is truncated: record at offset " + std::to_string(offset) + " has only " +
                  std::to_string(size - offset) + " bytes of its 16-byte header");
    }
    const std::uint8_t* h = map + offset;
    const std::uint32_t seconds = load32(h, swapped);
    const std::uint32_t fraction = load32(h + 4, swapped);
    const std::uint32_t captured = load32(h + 8, swapped);
    if (captured > max_length) {
      return fail("capture file " + path + " is corrupt: record at offset " + std::to_string(offset) + " claims " +
                  std::to_string(captured) + " captured bytes, more than the snap length " +
                  std::to_string(max_length));
    }
    const std::size_t data = offset + kRecordHeaderSize;
    if (size - data < captured) {
      return fail("capture file " + path + " is truncated: record at offset " + std::to_string(offset) + " claims " +
                  std::to_string(captured) + " captured bytes, only " + std::to_string(size - data) + " remain");
    }
    frame.at = from_unix_ms(std::int64_t{seconds} * 1000 + fraction / fraction_per_ms);
    frame.bytes = std::span<const std::uint8_t>(map + data, captured);
    frame.wire_length = load32(h + 12, swapped);
    on_frame(frame);
    ++count;
    offset = data + captured;
  }
  return count;
}

Result<std::uint64_t> CaptureFile::State::read_libpcap(const FrameCallback& on_frame) const {
  std::uint64_t count = 0;
  CapturedFrame frame;
  frame.link_type = link_type;
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int got = pcap_next_ex(pcap, &header, &data);
    if (got == PCAP_ERROR_BREAK) return count;  // end of file
    if (got != 1) {
      return fail("capture file " + path + " is corrupt after record " + std::to_string(count) + ": " +
                  pcap_geterr(pcap));
    }
    // Opened with nanosecond precision: tv_usec holds nanoseconds.
    frame.at = from_unix_ms(std::int64_t{header->ts.tv_sec} * 1000 + header->ts.tv_usec / 1000000);
    frame.bytes = std::span<const std::uint8_t>(data, header->caplen);
    frame.wire_length = header->len;
    on_frame(frame);
    ++count;
  }
}

Result<std::uint64_t> CaptureFile::read_all(const FrameCallback& on_frame) {
  return state_->map ? state_->read_mapped(on_frame) : state_->read_libpcap(on_frame);
}

Result<std::uint64_t> read_capture_file(const std::string& path, const FrameCallback& on_frame) {
  Result<CaptureFile> file = CaptureFile::open(path);
  if (!file) return std::unexpected(file.error());
  return file->read_all(on_frame);
}

}  // namespace netwarden
