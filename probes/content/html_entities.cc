#include "probes/content/html_entities.h"

#include <algorithm>
#include <cstring>

#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

struct Named {
  std::string_view name;
  char32_t code;
};

// HTML defines over two thousand; these are the ones
// Chinese and English institutional pages actually use.
constexpr Named kNamed[] = {
    {"amp", '&'},      {"apos", '\''},    {"bull", 0x2022},  {"cent", 0xA2},   {"copy", 0xA9},    {"deg", 0xB0},
    {"divide", 0xF7},  {"emsp", 0x2003},  {"ensp", 0x2002},  {"euro", 0x20AC}, {"gt", '>'},       {"hellip", 0x2026},
    {"laquo", 0xAB},   {"ldquo", 0x201C}, {"lsquo", 0x2018}, {"lt", '<'},      {"mdash", 0x2014}, {"middot", 0xB7},
    {"nbsp", 0xA0},    {"ndash", 0x2013}, {"para", 0xB6},    {"pound", 0xA3},  {"quot", '"'},     {"raquo", 0xBB},
    {"rdquo", 0x201D}, {"reg", 0xAE},     {"rsquo", 0x2019}, {"sect", 0xA7},   {"shy", 0xAD},     {"thinsp", 0x2009},
    {"times", 0xD7},   {"trade", 0x2122}, {"yen", 0xA5},     {"zwj", 0x200D},  {"zwnj", 0x200C},
};

bool is_digit(char c, bool hex) {
  return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Decodes the reference starting at raw[0] == '&'; returns the bytes it
// used, or 0 when it is not one.
std::size_t decode_one(std::string& out, std::string_view raw) {
  std::size_t i = 1;
  if (i < raw.size() && raw[i] == '#') {
    ++i;
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
    append_utf8(out, code == 0 ? 0xFFFD : code);
    return i;
  }
  while (i < raw.size() && i <= 8 && is_alnum(raw[i])) ++i;
  if (i >= raw.size() || raw[i] != ';') return 0;
  const std::string_view name = raw.substr(1, i - 1);
  if (name.empty()) return 0;
  // A short scan comparing lengths and first letters first: cheaper than a
  // binary search's string comparisons for a table this size.
  for (const Named& e : kNamed) {
    if (e.name.size() != name.size() || e.name[0] != name[0]) continue;
    std::size_t k = 1;
    while (k < name.size() && e.name[k] == name[k]) ++k;
    if (k < name.size()) continue;
    append_utf8(out, e.code);
    return i + 1;
  }
  return 0;
}

}  // namespace

void append_decoded(std::string& out, std::string_view raw) {
  while (!raw.empty()) {
    const void* amp = std::memchr(raw.data(), '&', raw.size());
    if (amp == nullptr) {
      out.append(raw);
      return;
    }
    const auto at = static_cast<std::size_t>(static_cast<const char*>(amp) - raw.data());
    out.append(raw.substr(0, at));
    raw.remove_prefix(at);
    const std::size_t used = decode_one(out, raw);
    if (used == 0) out += '&';
    raw.remove_prefix(used == 0 ? 1 : used);
  }
}

}  // namespace netwarden::content_detail
