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
    {"a", {Element::a, false}},
    {"address", {Element::other, true}},
    {"area", {Element::area, false}},
    {"article", {Element::other, true}},
    {"aside", {Element::other, true}},
    {"base", {Element::base, false}},
    {"blockquote", {Element::other, true}},
    {"body", {Element::other, true}},
    {"br", {Element::other, true}},
    {"caption", {Element::other, true}},
    {"center", {Element::other, true}},
    {"dd", {Element::other, true}},
    {"details", {Element::other, true}},
    {"dialog", {Element::other, true}},
    {"div", {Element::other, true}},
    {"dl", {Element::other, true}},
    {"dt", {Element::other, true}},
    {"fieldset", {Element::other, true}},
    {"figcaption", {Element::other, true}},
    {"figure", {Element::other, true}},
    {"footer", {Element::other, true}},
    {"form", {Element::other, true}},
    {"frame", {Element::frame, true}},
    {"h1", {Element::other, true}},
    {"h2", {Element::other, true}},
    {"h3", {Element::other, true}},
    {"h4", {Element::other, true}},
    {"h5", {Element::other, true}},
    {"h6", {Element::other, true}},
    {"head", {Element::other, true}},
    {"header", {Element::other, true}},
    {"hr", {Element::other, true}},
    {"html", {Element::other, true}},
    {"iframe", {Element::iframe, true}},
    {"li", {Element::other, true}},
    {"link", {Element::link, false}},
    {"main", {Element::other, true}},
    {"meta", {Element::meta, false}},
    {"nav", {Element::other, true}},
    {"ol", {Element::other, true}},
    {"option", {Element::other, true}},
    {"p", {Element::other, true}},
    {"pre", {Element::other, true}},
    {"script", {Element::script, true}},
    {"section", {Element::other, true}},
    {"style", {Element::style, true}},
    {"summary", {Element::other, true}},
    {"table", {Element::other, true}},
    {"tbody", {Element::other, true}},
    {"td", {Element::other, true}},
    {"textarea", {Element::textarea, true}},
    {"tfoot", {Element::other, true}},
    {"th", {Element::other, true}},
    {"thead", {Element::other, true}},
    {"title", {Element::title, true}},
    {"tr", {Element::other, true}},
    {"ul", {Element::other, true}},
};

constexpr std::size_t kSlots = 256;  // a power of two, well over twice the entries
constexpr std::uint8_t kEmpty = 0xFF;

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
