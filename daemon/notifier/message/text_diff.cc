#include "daemon/notifier/message/text_diff.h"

#include <algorithm>

namespace netwarden {

namespace {

// Myers' search stops after this many edits (inserted plus removed tokens)
// and shows the middle as one hunk: its trace takes about D² integers (16 MB
// at the cap, for a change of 2,000 tokens).
constexpr int kMaxEdits = 2000;
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

// Adds the changed range [old_begin, old_end) x [new_begin, new_end) to
// `out`, joined with the previous hunk when only a few tokens lie between.
void add_hunk(std::vector<Hunk>& out, Hunk h) {
  if (!out.empty() && h.old_begin - out.back().old_end <= kJoinGap) {
    out.back().old_end = h.old_end;
    out.back().new_end = h.new_end;
  } else {
    out.push_back(h);
  }
}

// Changed ranges between a and b (already without their common ends), by
// Myers' O(ND) shortest edit script ("An O(ND) Difference Algorithm and Its
// Variations", 1986): cost grows with the size of the change, not of the
// page, so spam added at both ends of a long page is found as two
// insertions. One hunk for all when the change is larger than kMaxEdits.
std::vector<Hunk> hunks(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (n == 0 || m == 0) return {Hunk{0, a.size(), 0, b.size()}};
  const int max_d = std::min(n + m, kMaxEdits);
  // v[k + offset]: the furthest x reached on diagonal k = x - y. trace[d]
  // keeps v as it was before edit count d, for diagonals -d..d.
  const int offset = max_d + 1;
  std::vector<int> v(2 * static_cast<std::size_t>(max_d) + 3, 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max_d && found_d < 0; ++d) {
    trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    for (int k = -d; k <= d; k += 2) {
      const bool down = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]);
      int x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return {Hunk{0, a.size(), 0, b.size()}};

  // Walk back from the end, one edit per d, collecting edits last first.
  struct Edit {
    int x, y;
    bool insert;
  };
  std::vector<Edit> edits;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& before = trace[d];  // diagonals -d..d at index k + d
    const int k = x - y;
    const bool down = k == -d || (k != d && before[k - 1 + d] < before[k + 1 + d]);
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = before[prev_k + d], prev_y = prev_x - prev_k;
    edits.push_back(Edit{prev_x, prev_y, down});
    x = prev_x, y = prev_y;
  }
  std::reverse(edits.begin(), edits.end());

  std::vector<Hunk> out;
  for (std::size_t e = 0; e < edits.size();) {
    const auto begin_x = static_cast<std::size_t>(edits[e].x), begin_y = static_cast<std::size_t>(edits[e].y);
    std::size_t end_x = begin_x, end_y = begin_y;
    // Consecutive edits touching each other form one changed range.
    for (; e < edits.size() && static_cast<std::size_t>(edits[e].x) == end_x &&
           static_cast<std::size_t>(edits[e].y) == end_y;
         ++e) {
      (edits[e].insert ? end_y : end_x) += 1;
    }
    add_hunk(out, Hunk{begin_x, end_x, begin_y, end_y});
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
