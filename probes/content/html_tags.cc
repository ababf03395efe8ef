#include "probes/content/html_tags.h"

#include <array>
#include <cstddef>
#include <cstdint>

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
    {"b", {Element::other, kLeavesForeign}},
    {"base", {Element::base, kVoid}},
    {"big", {Element::other, kLeavesForeign}},
    {"blockquote", {Element::other, kBlock | kLeavesForeign}},
    {"body", {Element::other, kBlock | kLeavesForeign}},
    {"br", {Element::other, kBlock | kVoid | kLeavesForeign}},
    {"caption", {Element::other, kBlock}},
    {"center", {Element::other, kBlock | kLeavesForeign}},
    {"code", {Element::other, kLeavesForeign}},
    {"col", {Element::other, kVoid}},
    {"dd", {Element::other, kBlock | kLeavesForeign}},
    {"details", {Element::other, kBlock}},
    {"dialog", {Element::other, kBlock}},
    {"div", {Element::other, kBlock | kLeavesForeign}},
    {"dl", {Element::other, kBlock | kLeavesForeign}},
    {"dt", {Element::other, kBlock | kLeavesForeign}},
    {"em", {Element::other, kLeavesForeign}},
    {"embed", {Element::other, kVoid | kLeavesForeign}},
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
    {"i", {Element::other, kLeavesForeign}},
    {"iframe", {Element::iframe, kBlock}},
    {"img", {Element::other, kVoid | kLeavesForeign}},
    {"input", {Element::other, kVoid}},
    {"keygen", {Element::other, kVoid}},
    {"li", {Element::other, kBlock | kLeavesForeign}},
    {"link", {Element::link, kVoid}},
    {"listing", {Element::other, kBlock | kLeavesForeign}},
    {"main", {Element::other, kBlock}},
    {"math", {Element::math, 0}},
    {"menu", {Element::other, kBlock | kLeavesForeign}},
    {"meta", {Element::meta, kVoid | kLeavesForeign}},
    {"nav", {Element::other, kBlock}},
    {"nobr", {Element::other, kLeavesForeign}},
    {"noembed", {Element::noembed, kBlock}},
    {"noframes", {Element::noframes, kBlock}},
    {"noscript", {Element::noscript, kBlock}},
    {"ol", {Element::other, kBlock | kLeavesForeign}},
    {"option", {Element::other, kBlock}},
    {"p", {Element::other, kBlock | kLeavesForeign}},
    {"param", {Element::other, kVoid}},
    {"plaintext", {Element::plaintext, kBlock}},
    {"pre", {Element::other, kBlock | kLeavesForeign}},
    {"ruby", {Element::other, kLeavesForeign}},
    {"s", {Element::other, kLeavesForeign}},
    {"script", {Element::script, kBlock}},
    {"section", {Element::other, kBlock}},
    {"small", {Element::other, kLeavesForeign}},
    {"source", {Element::other, kVoid}},
    {"span", {Element::other, kLeavesForeign}},
    {"strike", {Element::other, kLeavesForeign}},
    {"strong", {Element::other, kLeavesForeign}},
    {"style", {Element::style, kBlock}},
    {"sub", {Element::other, kLeavesForeign}},
    {"summary", {Element::other, kBlock}},
    {"sup", {Element::other, kLeavesForeign}},
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
    {"track", {Element::other, kVoid}},
    {"tt", {Element::other, kLeavesForeign}},
    {"u", {Element::other, kLeavesForeign}},
    {"ul", {Element::other, kBlock | kLeavesForeign}},
    {"var", {Element::other, kLeavesForeign}},
    {"wbr", {Element::other, kVoid}},
    {"xmp", {Element::xmp, kBlock}},
};

constexpr std::uint8_t kEmpty = 0xFF;
constexpr std::size_t kSlots = 256;  // a power of two, well over twice the entries
static_assert(std::size(kElements) < kEmpty);

// Length and the first, second and last letters tell the known names
// apart well enough for short probe sequences; cheap for every tag.
constexpr std::size_t slot_of(std::string_view name) {
  const auto at = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(name[i])); };
  return (at(0) * 37 + at(name.size() > 1 ? 1 : 0) * 11 + at(name.size() - 1) * 5 + name.size() * 3) & (kSlots - 1);
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
    if (k == name.size()) return kElements[kTable[s]].info;
  }
  return {};
}

}  // namespace netwarden::content_detail
