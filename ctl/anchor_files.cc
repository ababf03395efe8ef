#include "ctl/anchor_files.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/text_file.h"

namespace netwarden {

namespace {

using Anchor = std::pair<std::int64_t, std::string>;

bool is_hash(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::int64_t> seq_of(std::string_view text) {
  std::int64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size() || seq < 1) return std::nullopt;
  return seq;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// "seq=N; hash=HEX"
Result<Anchor> parse_header_value(std::string_view value) {
  std::optional<std::int64_t> seq;
  std::string hash;
  while (!value.empty()) {
    const auto semicolon = value.find(';');
    const std::string_view part = trimmed(value.substr(0, semicolon));
    value = semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
    if (part.starts_with("seq=")) seq = seq_of(part.substr(4));
    if (part.starts_with("hash=") && is_hash(part.substr(5))) hash = part.substr(5);
  }
  if (!seq || hash.empty()) return fail("X-Netwarden-Ledger is not \"seq=N; hash=<64 hex digits>\"");
  return Anchor{*seq, hash};
}

// "SEQ HASH" lines.
Result<std::vector<std::pair<Anchor, std::string>>> anchors_in_list(const std::string& path, std::string_view text) {
  std::vector<std::pair<Anchor, std::string>> out;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = trimmed(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = path + ":" + std::to_string(number);
    const auto space = line.find_first_of(" \t");
    const auto seq = seq_of(line.substr(0, space));
    const std::string_view hash = space == std::string_view::npos ? "" : trimmed(line.substr(space));
    if (!seq || !is_hash(hash)) return fail(where + ": expected \"SEQ HASH\" (a number and 64 lowercase hex digits)");
    out.push_back({{*seq, std::string(hash)}, where});
  }
  return out;
}

}  // namespace

Result<std::optional<Anchor>> anchor_in_message(std::string_view message) {
  // Headers end at the first empty line; a line starting with white space
  // continues the one before (folding).
  std::string header;
  bool in_ours = false;
  while (!message.empty()) {
    const auto newline = message.find('\n');
    std::string_view line = message.substr(0, newline);
    message = newline == std::string_view::npos ? std::string_view() : message.substr(newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (in_ours) header += line;
      continue;
    }
    if (in_ours) break;
    constexpr std::string_view kName = "x-netwarden-ledger:";
    if (line.size() >= kName.size() && std::equal(kName.begin(), kName.end(), line.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      in_ours = true;
      header = line.substr(kName.size());
    }
  }
  if (!in_ours) return std::nullopt;
  auto anchor = parse_header_value(header);
  if (!anchor) return std::unexpected(anchor.error());
  return std::optional(std::move(*anchor));
}

Result<boost::json::array> read_anchor_files(const std::string& path) {
  std::error_code ec;
  std::vector<std::pair<Anchor, std::string>> found;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".eml") files.push_back(it->path().string());
    }
    if (ec) return fail(path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      auto text = read_text_file(file);
      if (!text) return fail(file + ": " + text.error().message);
      auto anchor = anchor_in_message(*text);
      if (!anchor) return fail(file + ": " + anchor.error().message);
      if (*anchor) found.push_back({**anchor, file});
    }
  } else {
    auto text = read_text_file(path);
    if (!text) return fail(path + ": " + text.error().message);
    auto listed = anchors_in_list(path, *text);
    if (!listed) return std::unexpected(listed.error());
    found = std::move(*listed);
  }
  boost::json::array out;
  std::set<Anchor> seen;
  for (const auto& [anchor, source] : found) {
    if (!seen.insert(anchor).second) continue;
    out.push_back(boost::json::object{{"seq", anchor.first}, {"hash", anchor.second}, {"source", source}});
  }
  return out;
}

}  // namespace netwarden
