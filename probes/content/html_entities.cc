#include "probes/content/html_entities.h"

#include <algorithm>
#include <cstring>

#include "probes/content/html_entity_table.h"
#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

bool is_digit(char c, bool hex) {
  return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// What browsers show for &#128; to &#159;: the windows-1252 character of
// that byte (HTML's "numeric character reference end state" table); 0 where
// windows-1252 has none and the control character stays.
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

char32_t numeric_reference_value(char32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0xFFFD;
  if (code >= 0x80 && code <= 0x9F && kWindows1252[code - 0x80] != 0) return kWindows1252[code - 0x80];
  return code;
}

// raw[0] == '&', raw[1] == '#'.
std::size_t decode_numeric(std::string& out, std::string_view raw) {
  std::size_t i = 2;
  const bool hex = i < raw.size() && (raw[i] == 'x' || raw[i] == 'X');
  if (hex) ++i;
  const std::size_t digits = i;
  char32_t code = 0;
  for (; i < raw.size() && is_digit(raw[i], hex); ++i) {
    const char c = raw[i];
    const char32_t d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    code = std::min<char32_t>(code * (hex ? 16 : 10) + d, 0x110000);
  }
  if (i == digits) return 0;
  if (i < raw.size() && raw[i] == ';') ++i;
  append_utf8(out, numeric_reference_value(code));
  return i;
}

constexpr const NamedReference* find_in_table(std::string_view name) {
  const auto* end = std::end(kNamedReferences);
  const auto* it = std::lower_bound(std::begin(kNamedReferences), end, name,
                                    [](const NamedReference& e, std::string_view n) { return e.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

// The references Chinese and English institutional pages use nearly all
// the time, tried first: a short scan comparing lengths and first letters
// is cheaper than a binary search of the whole table's names.
constexpr const NamedReference* kCommon[] = {
    find_in_table("nbsp;"),   find_in_table("amp;"),   find_in_table("lt;"),     find_in_table("gt;"),
    find_in_table("quot;"),   find_in_table("copy;"),  find_in_table("middot;"), find_in_table("mdash;"),
    find_in_table("ldquo;"),  find_in_table("rdquo;"), find_in_table("hellip;"), find_in_table("raquo;"),
    find_in_table("laquo;"),  find_in_table("apos;"),  find_in_table("bull;"),   find_in_table("ndash;"),
    find_in_table("lsquo;"),  find_in_table("rsquo;"), find_in_table("reg;"),    find_in_table("times;"),
    find_in_table("emsp;"),   find_in_table("ensp;"),  find_in_table("yen;"),    find_in_table("trade;"),
    find_in_table("deg;"),    find_in_table("shy;"),   find_in_table("zwj;"),    find_in_table("zwnj;"),
    find_in_table("thinsp;"), find_in_table("nbsp"),   find_in_table("amp"),     find_in_table("copy"),
};

const NamedReference* find_named(std::string_view name) {
  for (const NamedReference* e : kCommon) {
    if (e->name.size() != name.size() || e->name[0] != name[0]) continue;
    std::size_t k = 1;
    while (k < name.size() && e->name[k] == name[k]) ++k;
    if (k == name.size()) return e;
  }
  return find_in_table(name);
}

// raw[0] == '&' followed by a letter or digit. HTML takes the longest name
// in its table that the input starts with; only the names with ';' can be
// longer than the legacy ones, and one of those matches only as the whole
// run of letters and digits followed by ';'.
std::size_t decode_named(std::string& out, std::string_view raw, ReferenceContext where) {
  std::size_t run = 1;
  while (run < raw.size() && run <= kLongestReference && is_alnum(raw[run])) ++run;
  if (run < raw.size() && raw[run] == ';' && run <= kLongestReference) {
    if (const NamedReference* e = find_named(raw.substr(1, run))) {
      out.append(e->utf8);
      return run + 1;
    }
  }
  for (std::size_t length = std::min(run - 1, kLongestLegacyReference); length >= 2; --length) {
    const NamedReference* e = find_named(raw.substr(1, length));
    if (!e) continue;
    const char next = 1 + length < raw.size() ? raw[1 + length] : '\0';
    if (where == ReferenceContext::attribute && (next == '=' || is_alnum(next))) return 0;
    out.append(e->utf8);
    return 1 + length;
  }
  return 0;
}

// Decodes the reference starting at raw[0] == '&'; returns the bytes it
// used, or 0 when it is not one.
std::size_t decode_one(std::string& out, std::string_view raw, ReferenceContext where) {
  if (raw.size() < 2) return 0;
  if (raw[1] == '#') return decode_numeric(out, raw);
  return is_alnum(raw[1]) ? decode_named(out, raw, where) : 0;
}

}  // namespace

void append_decoded(std::string& out, std::string_view raw, ReferenceContext where) {
  while (!raw.empty()) {
    const void* amp = std::memchr(raw.data(), '&', raw.size());
    if (amp == nullptr) {
      out.append(raw);
      return;
    }
    const auto at = static_cast<std::size_t>(static_cast<const char*>(amp) - raw.data());
    out.append(raw.substr(0, at));
    raw.remove_prefix(at);
    const std::size_t used = decode_one(out, raw, where);
    if (used == 0) out += '&';
    raw.remove_prefix(used == 0 ? 1 : used);
  }
}

}  // namespace netwarden::content_detail
