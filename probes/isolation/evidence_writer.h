// Evidence for an incident: the first N frames of it, written to a pcap file
// readable by tcpdump. Each frame is flushed as it is written, so the file
// stays readable if the daemon is killed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "probes/isolation/packet.h"

namespace netwarden {

class EvidenceWriter {
 public:
  // Creates (or truncates) the file at once, so a failure shows at the start.
  static Result<EvidenceWriter> create(const std::string& path, int link_type, int max_frames);
  EvidenceWriter(EvidenceWriter&&) noexcept;
  EvidenceWriter& operator=(EvidenceWriter&&) noexcept;
  ~EvidenceWriter();

  // Writes the frame while fewer than max_frames have been written; later
  // frames are ignored. A frame of another link type is an Error.
  Result<void> write(const CapturedFrame& frame);
  int written() const;
  bool full() const;
  const std::string& path() const;

 private:
  struct State;
  explicit EvidenceWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace netwarden
