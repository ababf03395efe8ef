// netwarden-extract KIND CPU_SECONDS MEMORY_BYTES MAX_TEXT
//
// Reads one attachment on standard input, of KIND (pdf docx xlsx pptx xls
// csv text), and writes its text as one frame (extract_frame.h) on
// standard output. Started only by the daemon (extract_sandbox.h), which
// judges how it ended; it limits and filters itself (child_sandbox.h)
// before reading a byte.
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <new>
#include <string>
#include <string_view>

#include "probes/attachments/child_sandbox.h"
#include "probes/attachments/extract_frame.h"

namespace {

using namespace netwarden;

template <class T>
bool parse(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<AttachmentKind> kind_named(std::string_view name) {
  for (int k = 0; k <= static_cast<int>(AttachmentKind::other); ++k) {
    if (to_string(static_cast<AttachmentKind>(k)) == name) return static_cast<AttachmentKind>(k);
  }
  return std::nullopt;
}

void write_all(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n <= 0) return;  // the daemon stopped reading: it judges the child anyway
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_input() {
  std::string bytes;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(STDIN_FILENO, buffer, sizeof buffer)) > 0) bytes.append(buffer, static_cast<std::size_t>(n));
  return bytes;
}

Result<ExtractedText> run(AttachmentKind kind, std::size_t max_text) {
  const std::string bytes = read_input();
  // Standard input is a memory file (extract_sandbox.cc), which FreeXL opens by name.
  return extract_text(bytes, kind, max_text, kind == AttachmentKind::xls ? "/proc/self/fd/0" : nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  // The parsers' complaints would corrupt the frame on stdout (which the
  // daemon also gave as stderr); the frame says what went wrong.
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
  ChildLimits limits;
  long cpu = 0;
  std::size_t max_text = 0;
  const std::optional<AttachmentKind> kind = argc == 5 ? kind_named(argv[1]) : std::nullopt;
  if (!kind || !parse(argv[2], cpu) || !parse(argv[3], limits.memory) || !parse(argv[4], max_text)) {
    write_all(
        attachment_detail::encode_frame(fail("netwarden-extract: usage: KIND CPU_SECONDS MEMORY_BYTES MAX_TEXT")));
    return 2;
  }
  limits.cpu = std::chrono::seconds(cpu);
  if (Result<void> sandboxed = enter_sandbox(limits); !sandboxed) {
    write_all(attachment_detail::encode_frame(fail("cannot sandbox the parser: " + sandboxed.error().message)));
    return 0;
  }
  try {
    write_all(attachment_detail::encode_frame(run(*kind, max_text)));
  } catch (const std::bad_alloc&) {
    _exit(attachment_detail::kExitNoMemory);
  } catch (const std::exception& e) {
    write_all(attachment_detail::encode_frame(fail(std::string("parser failed: ") + e.what())));
  }
  // No exit handlers once sandboxed: in a sanitizer build LeakSanitizer's
  // check starts a thread to stop the world, which the filter forbids.
  _exit(0);
}
