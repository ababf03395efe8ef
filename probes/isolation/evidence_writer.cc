#include "probes/isolation/evidence_writer.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "common/os_error.h"

namespace netwarden {
namespace {

constexpr int kSnapLength = 262144;

}  // namespace

struct EvidenceWriter::State {
  std::string path;
  int link_type = 0;
  int max_frames = 0;
  int written = 0;
  pcap_t* dead = nullptr;
  pcap_dumper_t* dumper = nullptr;

  ~State() {
    if (dumper) pcap_dump_close(dumper);
    if (dead) pcap_close(dead);
  }
};

EvidenceWriter::EvidenceWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
EvidenceWriter::EvidenceWriter(EvidenceWriter&&) noexcept = default;
EvidenceWriter& EvidenceWriter::operator=(EvidenceWriter&&) noexcept = default;
EvidenceWriter::~EvidenceWriter() = default;

Result<EvidenceWriter> EvidenceWriter::create(const std::string& path, int link_type, int max_frames) {
  auto state = std::make_unique<State>();
  state->path = path;
  state->link_type = link_type;
  state->max_frames = max_frames;
  state->dead = pcap_open_dead(link_type, kSnapLength);
  if (!state->dead)
    return fail("cannot write evidence " + path + ": no pcap handle for link type " + std::to_string(link_type));
  // Our own descriptor, close-on-exec (pcap_dump_open's fopen leaves it
  // inheritable); the dumper owns the FILE from here and closes it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return fail_errno("cannot write evidence " + path);
  FILE* file = ::fdopen(fd, "wb");
  if (!file) {
    const std::string why = errno_text();
    ::close(fd);
    return fail("cannot write evidence " + path + ": " + why);
  }
  state->dumper = pcap_dump_fopen(state->dead, file);
  if (!state->dumper) {
    std::fclose(file);
    return fail("cannot write evidence " + path + ": " + pcap_geterr(state->dead));
  }
  // The file header alone is already a valid, empty capture.
  if (pcap_dump_flush(state->dumper) != 0) return fail("cannot write evidence " + path + ": flush failed");
  return EvidenceWriter(std::move(state));
}

Result<void> EvidenceWriter::write(const CapturedFrame& frame) {
  State& s = *state_;
  if (s.written >= s.max_frames) return {};
  if (frame.link_type != s.link_type) {
    return fail("evidence " + s.path + " holds link type " + std::to_string(s.link_type) + ", not " +
                std::to_string(frame.link_type));
  }
  const std::int64_t ms = to_unix_ms(frame.at);
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(ms / 1000);
  header.ts.tv_usec = static_cast<suseconds_t>(ms % 1000 * 1000);
  header.caplen = static_cast<bpf_u_int32>(std::min<std::size_t>(frame.bytes.size(), kSnapLength));
  header.len = std::max<bpf_u_int32>(frame.wire_length, header.caplen);
  pcap_dump(reinterpret_cast<u_char*>(s.dumper), &header, frame.bytes.data());
  if (pcap_dump_flush(s.dumper) != 0) return fail("cannot write evidence " + s.path + ": flush failed");
  ++s.written;
  return {};
}

int EvidenceWriter::written() const { return state_->written; }
bool EvidenceWriter::full() const { return state_->written >= state_->max_frames; }
const std::string& EvidenceWriter::path() const { return state_->path; }

}  // namespace netwarden
