// Bodies sent compressed although netwarden asked for identity: some
// servers and CDNs gzip whatever the request says, and a page read as its
// compressed bytes hides every word on it. gzip and deflate (zlib-wrapped
// or raw, as servers send both) are inflated; the inflated body is held to
// the same max_body cap as any other, so a small bomb cannot grow past it.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "probes/web/fetch_result.h"

namespace netwarden {

struct InflateFailure {
  FetchFailure failure;  // body_too_large, or protocol for a corrupt stream
  std::string detail;
};

// `body` as the server meant it, given its Content-Encoding header value
// ("" or "identity": as it is). Codings other than gzip and deflate are left
// as they are: the caller asked for none, and only these two are known to
// be sent regardless.
std::expected<std::string, InflateFailure> decode_content(std::string body, std::string_view content_encoding,
                                                          std::uint64_t max_body);

}  // namespace netwarden
