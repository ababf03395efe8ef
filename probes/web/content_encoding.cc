#include "probes/web/content_encoding.h"
#include "common/ascii.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace netwarden {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class Inflated { done, too_large, corrupt };

// window_bits: 15 + 32 reads a gzip or zlib header, -15 raw deflate.
Inflated inflate_into(std::string& out, std::string_view in, int window_bits, std::uint64_t max_body) {
  z_stream stream{};
  if (inflateInit2(&stream, window_bits) != Z_OK) return Inflated::corrupt;
  // zlib's interface is not const-correct; it does not write the input.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT_MAX));
  char buffer[16 * 1024];
  Inflated outcome = Inflated::corrupt;
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int rc = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - stream.avail_out;
    if (out.size() + produced > max_body) {
      outcome = Inflated::too_large;
      break;
    }
    out.append(buffer, produced);
    if (rc == Z_STREAM_END) {
      outcome = Inflated::done;
      break;
    }
    // Z_BUF_ERROR with input left is impossible here (output space was
    // given); with none left the stream was cut short.
    if (rc != Z_OK) break;
  }
  inflateEnd(&stream);
  return outcome;
}

}  // namespace

std::expected<std::string, InflateFailure> decode_content(std::string body, std::string_view content_encoding,
                                                          std::uint64_t max_body) {
  const std::string_view coding = trim(content_encoding);
  const bool gzip = iequals_lower(coding, "gzip") || iequals_lower(coding, "x-gzip");
  if (!gzip && !iequals_lower(coding, "deflate")) return body;
  if (body.size() > UINT_MAX) return std::unexpected(InflateFailure{FetchFailure::body_too_large, "body too large"});

  std::string out;
  Inflated outcome = inflate_into(out, body, 15 + 32, max_body);
  if (outcome == Inflated::corrupt && !gzip) {
    // "deflate" from servers that send the raw stream without zlib's header.
    out.clear();
    outcome = inflate_into(out, body, -15, max_body);
  }
  switch (outcome) {
    case Inflated::done: return out;
    case Inflated::too_large:
      return std::unexpected(
          InflateFailure{FetchFailure::body_too_large, std::string(coding) + " body inflates to more than max_body"});
    case Inflated::corrupt: break;
  }
  return std::unexpected(InflateFailure{FetchFailure::protocol, "corrupt " + std::string(coding) + " body"});
}

}  // namespace netwarden
