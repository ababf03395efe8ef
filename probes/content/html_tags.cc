#include "probes/content/html_tags.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace netwarden::content_detail {
namespace {

struct Entry {
  std::string_view name;
  ElementInfo info;
};

constexpr Entry kElements[] = {
    {"a", {Element::a, 0}},
    {"address", {Element::other, kBlock}},
    {"area", {Element::area, kVoid}},
    {"article", {Element::other, kBlock}},
    {"aside", {Element::other, kBlock}},
    {"base", {Element::base, kVoid}},
    {"blockquote", {Element::other, kBlock | kLeavesForeign}},
    {"body", {Element::other, kBlock | kLeavesForeign}},
    {"br", {Element::other, kBlock | kVoid | kLeavesForeign}},
    {"caption", {Element::other, kBlock}},
    {"center", {Element::other, kBlock | kLeavesForeign}},
    {"dd", {Element::other, kBlock | kLeavesForeign}},
    {"details", {Element::other, kBlock}},
    {"dialog", {Element::other, kBlock}},
    {"div", {Element::other, kBlock | kLeavesForeign}},
    {"dl", {Element::other, kBlock | kLeavesForeign}},
    {"dt", {Element::other, kBlock | kLeavesForeign}},
    {"fieldset", {Element::other, kBlock}},
    {"figcaption", {Element::other, kBlock}},
    {"figure", {Element::other, kBlock}},
    {"footer", {Element::other, kBlock}},
    {"form", {Element::other, kBlock}},
    {"frame", {Element::frame, kBlock}},
    {"h1", {Element::other, kBlock | kLeavesForeign}},
    {"h2", {Element::other, kBlock | kLeavesForeign}},
    {"h3", {Element::other, kBlock | kLeavesForeign}},
    {"h4", {Element::other, kBlock | kLeavesForeign}},
    {"h5", {Element::other, kBlock | kLeavesForeign}},
    {"h6", {Element::other, kBlock | kLeavesForeign}},
    {"head", {Element::other, kBlock | kLeavesForeign}},
    {"header", {Element::other, kBlock}},
    {"hr", {Element::other, kBlock | kVoid | kLeavesForeign}},
    {"html", {Element::other, kBlock}},
    {"iframe", {Element::iframe, kBlock}},
    {"li", {Element::other, kBlock | kLeavesForeign}},
    {"link", {Element::link, kVoid}},
    {"listing", {Element::other, kBlock | kLeavesForeign}},
    {"main", {Element::other, kBlock}},
    {"math", {Element::math, 0}},
    {"menu", {Element::other, kBlock | kLeavesForeign}},
    {"meta", {Element::meta, kVoid | kLeavesForeign}},
    {"nav", {Element::other, kBlock}},
    {"noembed", {Element::noembed, kBlock}},
    {"noframes", {Element::noframes, kBlock}},
    {"noscript", {Element::noscript, kBlock}},
    {"ol", {Element::other, kBlock | kLeavesForeign}},
    {"option", {Element::other, kBlock}},
    {"p", {Element::other, kBlock | kLeavesForeign}},
    {"plaintext", {Element::plaintext, kBlock}},
    {"pre", {Element::other, kBlock | kLeavesForeign}},
    {"script", {Element::script, kBlock}},
    {"section", {Element::other, kBlock}},
    {"style", {Element::style, kBlock}},
    {"summary", {Element::other, kBlock}},
    {"svg", {Element::svg, 0}},
    {"table", {Element::other, kBlock | kLeavesForeign}},
    {"tbody", {Element::other, kBlock}},
    {"td", {Element::other, kBlock}},
    {"template", {Element::template_, kBlock}},
    {"textarea", {Element::textarea, kBlock}},
    {"tfoot", {Element::other, kBlock}},
    {"th", {Element::other, kBlock}},
    {"thead", {Element::other, kBlock}},
    {"title", {Element::title, kBlock}},
    {"tr", {Element::other, kBlock}},
    {"ul", {Element::other, kBlock | kLeavesForeign}},
    {"xmp", {Element::xmp, kBlock}},
};

// Inline elements that matter only inside SVG or MathML (they end it) or
// to PageEvents (void): left out of kElements so that the lookup every tag
// needs stays short; inline_element_flags() reads these.
struct InlineEntry {
  std::string_view name;
  std::uint8_t flags;
};

constexpr InlineEntry kInlineElements[] = {
    {"b", kLeavesForeign},      {"big", kLeavesForeign},
    {"code", kLeavesForeign},   {"col", kVoid},
    {"em", kLeavesForeign},     {"embed", kVoid | kLeavesForeign},
    {"i", kLeavesForeign},      {"img", kVoid | kLeavesForeign},
    {"input", kVoid},           {"keygen", kVoid},
    {"nobr", kLeavesForeign},   {"param", kVoid},
    {"ruby", kLeavesForeign},   {"s", kLeavesForeign},
    {"small", kLeavesForeign},  {"source", kVoid},
    {"span", kLeavesForeign},   {"strike", kLeavesForeign},
    {"strong", kLeavesForeign}, {"sub", kLeavesForeign},
    {"sup", kLeavesForeign},    {"track", kVoid},
    {"tt", kLeavesForeign},     {"u", kLeavesForeign},
    {"var", kLeavesForeign},    {"wbr", kVoid},
};

constexpr std::uint8_t kEmpty = 0xFF;
constexpr std::size_t kSlots = 256;  // a power of two, well over twice the entries
static_assert(std::size(kElements) < kKnownElements - 1 && kKnownElements <= kEmpty);

// Length and the first, second and last letters tell the known names
// apart well enough for short probe sequences (these multipliers: one
// probe for nearly every known name, and common names the table leaves
// out, span, td, font ..., mostly land on an empty slot); cheap for every
// tag.
constexpr std::size_t slot_of(std::string_view name) {
  const auto at = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(name[i])); };
  return (at(0) * 7 + at(name.size() > 1 ? 1 : 0) * 11 + at(name.size() - 1) * 43 + name.size() * 5) & (kSlots - 1);
}

constexpr std::array<std::uint8_t, kSlots> kTable = [] {
  std::array<std::uint8_t, kSlots> table{};
  table.fill(kEmpty);
  for (std::size_t i = 0; i < std::size(kElements); ++i) {
    std::size_t s = slot_of(kElements[i].name);
    while (table[s] != kEmpty) s = (s + 1) & (kSlots - 1);
    table[s] = static_cast<std::uint8_t>(i);
  }
  return table;
}();

}  // namespace

ElementInfo element_info(std::string_view name) {
  if (name.empty() || name.size() > 10) return {};
  for (std::size_t s = slot_of(name); kTable[s] != kEmpty; s = (s + 1) & (kSlots - 1)) {
    const std::string_view candidate = kElements[kTable[s]].name;
    if (candidate.size() != name.size()) continue;
    // Names are a few bytes: a plain loop beats a call to memcmp.
    std::size_t k = 0;
    while (k < name.size() && name[k] == candidate[k]) ++k;
    if (k == name.size()) {
      ElementInfo info = kElements[kTable[s]].info;
      info.id = kTable[s];
      return info;
    }
  }
  return {};
}

std::uint8_t inline_element_flags(std::string_view name) {
  const auto* end = std::end(kInlineElements);
  const auto* it = std::lower_bound(std::begin(kInlineElements), end, name,
                                    [](const InlineEntry& e, std::string_view n) { return e.name < n; });
  return it != end && it->name == name ? it->flags : 0;
}

}  // namespace netwarden::content_detail
