// The parts of an Office Open XML file (a zip archive), read as XML events
// with every byte inflated counted against one cap: a zip bomb (a part
// that claims, or turns out, to inflate to gigabytes) is an error naming
// the part, found before memory or time runs out.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace netwarden::attachment_detail {

// What one part may inflate to, all parts together.
inline constexpr std::uint64_t kMaxInflated = std::uint64_t{256} << 20;

struct XmlEvent {
  enum Type { start, end, text };
  Type type;
  std::string_view name;   // local name ("t" for <w:t>); "" for text
  std::string_view value;  // text; for a start, its "t" attribute (a cell's type)
};
using XmlHandler = std::function<void(const XmlEvent&)>;

class ZipParts {
 public:
  // `format` names the file in errors ("not a DOCX: ...").
  static Result<ZipParts> open(std::string_view bytes, std::string_view format);
  ~ZipParts();
  ZipParts(ZipParts&&) noexcept;
  ZipParts& operator=(ZipParts&&) = delete;
  ZipParts(const ZipParts&) = delete;
  ZipParts& operator=(const ZipParts&) = delete;

  // The names of the parts `prefix`NUMBER`suffix`, by number (slide2
  // before slide10).
  std::vector<std::string> numbered(std::string_view prefix, std::string_view suffix) const;
  bool has(const std::string& name) const;
  // Parses the part, no DTD, entity or network access; an error for
  // malformed XML or for bytes beyond kMaxInflated.
  Result<void> read_xml(const std::string& name, const XmlHandler& handler);

 private:
  struct Impl;
  explicit ZipParts(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace netwarden::attachment_detail
