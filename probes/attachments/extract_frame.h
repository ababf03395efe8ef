// What netwarden-extract writes on its standard output, and how the daemon
// reads it: one header line, then exactly the bytes it announces.
//   ok PARTS IMAGE_ONLY TRUNCATED LENGTH\n TEXT
//   error LENGTH\n MESSAGE
// Anything else (a short write, extra bytes, a parser's stray output) is a
// garbled answer, never read as text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "probes/attachments/extract_text.h"

namespace netwarden::attachment_detail {

// The exit status of a child whose allocation failed (std::bad_alloc):
// the daemon says it needed more memory than allowed.
inline constexpr int kExitNoMemory = 3;

std::string encode_frame(const Result<ExtractedText>& result);

// nullopt: the answer is garbled.
std::optional<Result<ExtractedText>> decode_frame(std::string_view answer);

}  // namespace netwarden::attachment_detail
