// Reading a saved capture. Classic pcap files (either byte order, micro- or
// nanosecond timestamps) are mapped into memory and walked record by record
// here, which is several times faster than pcap_next_ex; pcapng files, and
// anything that cannot be mapped (a pipe), go through libpcap. A corrupt or
// truncated file is an Error naming the file and the offset of the bad
// record; the frames before it have been delivered.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "probes/isolation/packet.h"

namespace netwarden {

using FrameCallback = std::function<void(const CapturedFrame&)>;

class CaptureFile {
 public:
  static Result<CaptureFile> open(const std::string& path);
  CaptureFile(CaptureFile&&) noexcept;
  CaptureFile& operator=(CaptureFile&&) noexcept;
  ~CaptureFile();

  // DLT_* value (LINKTYPE_RAW in the file header is reported as DLT_RAW).
  int link_type() const;
  // Calls on_frame for every record, in file order; returns how many there
  // were. The frame's bytes are valid only during the call.
  Result<std::uint64_t> read_all(const FrameCallback& on_frame);

 private:
  struct State;
  explicit CaptureFile(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// open + read_all.
Result<std::uint64_t> read_capture_file(const std::string& path, const FrameCallback& on_frame);

}  // namespace netwarden
