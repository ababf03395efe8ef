// Extracting an attachment's text in a child process (netwarden-extract),
// so that a corrupt or hostile file (a zip bomb, a recursive PDF, malformed
// XML, a parser bug) ends with an error for that file and never stops the
// crawl or the daemon. The child runs under CPU, memory and file limits and
// a seccomp filter (child_sandbox.h); the daemon adds a wall-clock limit,
// kills the child (SIGKILL) when it passes and always reaps it.
//
// The bytes go in through a sealed memory file (the child's standard
// input), the answer comes back through a pipe read on the caller's
// executor, and the child's exit is awaited through a pidfd: the daemon's
// io thread keeps running other checks meanwhile.
//
// Thread-safety: use from the thread running `executor`.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "probes/attachments/extract_text.h"

namespace netwarden {

struct ExtractLimits {
  std::chrono::seconds cpu{10};
  std::uint64_t memory = std::uint64_t{512} << 20;
  std::chrono::seconds wall{30};
  std::uint64_t max_text = kDefaultMaxText;
  // The netwarden-extract to run. Empty: the one beside the running
  // program (/proc/self/exe's directory: a build tree, or a test), else
  // the installed one, NETWARDEN_EXTRACT_PROGRAM
  // (CMAKE_INSTALL_FULL_LIBEXECDIR/netwarden/netwarden-extract).
  std::string program{};
};

// The text, or the error for this file: what the parser said ("zip bomb:
// ...", "not a readable PDF: ..."), or how the child ended: "parser
// crashed (signal 11)", "took more than 10 s of CPU", "needed more than
// 512 MiB", "gave no answer within 30 s", "stopped by the sandbox (a
// forbidden system call)", "gave a garbled answer".
boost::asio::awaitable<Result<ExtractedText>> extract_in_child(boost::asio::any_io_executor executor, std::string bytes,
                                                               AttachmentKind kind, ExtractLimits limits);

}  // namespace netwarden
