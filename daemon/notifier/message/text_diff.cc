#include "daemon/notifier/message/text_diff.h"

#include <algorithm>
#include <cstdint>

namespace netwarden {

namespace {

// Above this many cells (old tokens x new tokens) the middle is not aligned.
constexpr std::size_t kMaxCells = 1'000'000;
// Hunks this close (in unchanged tokens) are shown as one.
constexpr std::size_t kJoinGap = 2;

bool word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::vector<std::string_view> tokens(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = at + 1;
    if (word_char(text[at])) {
      while (end < text.size() && word_char(text[end])) ++end;
    } else {
      while (end < text.size() && continuation_byte(text[end])) ++end;
    }
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

// Cut to `width` characters at a character boundary, "…" marking the cut;
// line ends become spaces, surrounding spaces go.
std::string shortened(std::string text, std::size_t width) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::size_t first = text.find_first_not_of(' '), last = text.find_last_not_of(' ');
  text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (continuation_byte(text[i])) continue;
    if (chars++ == width) return text.substr(0, i) + "…";
  }
  return text;
}

struct Hunk {
  std::size_t old_begin, old_end, new_begin, new_end;
};

// Changed ranges between a and b (already without their common ends), by
// longest common subsequence; one hunk for all when that is too costly.
std::vector<Hunk> hunks(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const std::size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0 || n * m > kMaxCells) return {Hunk{0, n, 0, m}};
  // lcs[i][j]: common subsequence length of a[i..] and b[j..]; min(n, m) is
  // at most 1000 here, so 16 bits suffice.
  std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::vector<Hunk> out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ++i, ++j;
      continue;
    }
    Hunk h{i, i, j, j};
    while ((i < n || j < m) && !(i < n && j < m && a[i] == b[j])) {
      if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
        ++i;
      } else {
        ++j;
      }
    }
    h.old_end = i;
    h.new_end = j;
    if (!out.empty() && h.old_begin - out.back().old_end <= kJoinGap) {
      out.back().old_end = h.old_end;
      out.back().new_end = h.new_end;
    } else {
      out.push_back(h);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string_view>& t, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t k = begin; k < end; ++k) out += t[k];
  return out;
}

}  // namespace

ShortDiff short_diff(std::string_view old_text, std::string_view new_text, std::size_t max_lines, std::size_t width) {
  std::vector<std::string_view> a = tokens(old_text), b = tokens(new_text);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const auto front = static_cast<std::ptrdiff_t>(prefix), back = static_cast<std::ptrdiff_t>(suffix);
  std::vector<std::string_view> a_mid(a.begin() + front, a.end() - back), b_mid(b.begin() + front, b.end() - back);
  ShortDiff out;
  if (a_mid.empty() && b_mid.empty()) return out;
  for (const Hunk& h : hunks(a_mid, b_mid)) {
    for (bool added : {false, true}) {
      std::string text = added ? joined(b_mid, h.new_begin, h.new_end) : joined(a_mid, h.old_begin, h.old_end);
      text = shortened(std::move(text), width);
      if (text.empty()) continue;
      if (out.lines.size() < max_lines) {
        out.lines.push_back({added, std::move(text)});
      } else {
        ++out.omitted;
      }
    }
  }
  return out;
}

}  // namespace netwarden
