#include "probes/attachments/extract_frame.h"

#include <charconv>
#include <cstdint>
#include <vector>

namespace netwarden::attachment_detail {
namespace {

// The header's fields: exactly `count` decimal numbers, one space apart.
std::optional<std::vector<std::uint64_t>> numbers(std::string_view fields, std::size_t count) {
  std::vector<std::uint64_t> out;
  for (;;) {
    const std::size_t space = fields.find(' ');
    const std::string_view field = fields.substr(0, space);
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
    out.push_back(value);
    if (space == std::string_view::npos) break;
    fields.remove_prefix(space + 1);
  }
  if (out.size() != count) return std::nullopt;
  return out;
}

}  // namespace

std::string encode_frame(const Result<ExtractedText>& result) {
  if (!result) return "error " + std::to_string(result.error().message.size()) + "\n" + result.error().message;
  const ExtractedText& t = *result;
  return "ok " + std::to_string(t.parts) + " " + (t.image_only ? "1" : "0") + " " + (t.truncated ? "1" : "0") + " " +
         std::to_string(t.text.size()) + "\n" + t.text;
}

std::optional<Result<ExtractedText>> decode_frame(std::string_view answer) {
  const std::size_t newline = answer.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  const std::string_view header = answer.substr(0, newline);
  const std::string_view body = answer.substr(newline + 1);
  if (header.starts_with("error ")) {
    const auto length = numbers(header.substr(6), 1);
    if (!length || (*length)[0] != body.size()) return std::nullopt;
    return Result<ExtractedText>(fail(std::string(body)));
  }
  if (!header.starts_with("ok ")) return std::nullopt;
  const auto fields = numbers(header.substr(3), 4);
  if (!fields || (*fields)[1] > 1 || (*fields)[2] > 1 || (*fields)[3] != body.size() || (*fields)[0] > INT32_MAX) {
    return std::nullopt;
  }
  ExtractedText text{std::string(body), (*fields)[1] == 1, static_cast<int>((*fields)[0]), (*fields)[2] == 1};
  return Result<ExtractedText>(std::move(text));
}

}  // namespace netwarden::attachment_detail
