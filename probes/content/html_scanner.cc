#include "probes/content/html_scanner.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#include "probes/content/html_entities.h"
#include "probes/content/html_tags.h"
#include "probes/content/link_host.h"
#include "probes/content/text_normaliser.h"

namespace netwarden::content_detail {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// Byte classes for the tokenizer's inner loops: one table load per byte
// instead of a chain of comparisons.
enum : std::uint8_t { kSpace = 1, kEndsName = 2, kEndsAttributeName = 4, kEndsUnquoted = 8 };

constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> table{};
  for (unsigned char c : {' ', '\t', '\n', '\r', '\f'})
    table[c] = kSpace | kEndsName | kEndsAttributeName | kEndsUnquoted;
  table['/'] = kEndsName | kEndsAttributeName;
  table['>'] = kEndsName | kEndsAttributeName | kEndsUnquoted;
  table['='] = kEndsAttributeName;
  return table;
}();

bool is(char c, std::uint8_t class_bits) { return (kClass[static_cast<unsigned char>(c)] & class_bits) != 0; }
bool is_space(char c) { return is(c, kSpace); }

bool iequals(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) { return fold(x) == y; });
}

// The attributes the structure is made of; the first of duplicates wins,
// as in browsers.
struct Attributes {
  std::optional<std::string_view> src, href, name, content, http_equiv, property, charset;

  void set(std::string_view attribute, std::string_view value) {
    std::optional<std::string_view>* slot = nullptr;
    switch (fold(attribute.front())) {
      case 's': slot = iequals(attribute, "src") ? &src : nullptr; break;
      case 'h':
        slot = iequals(attribute, "href") ? &href : iequals(attribute, "http-equiv") ? &http_equiv : nullptr;
        break;
      case 'n': slot = iequals(attribute, "name") ? &name : nullptr; break;
      case 'c':
        slot = iequals(attribute, "content") ? &content : iequals(attribute, "charset") ? &charset : nullptr;
        break;
      case 'p': slot = iequals(attribute, "property") ? &property : nullptr; break;
      default: break;
    }
    if (slot && !*slot) *slot = value;
  }
};

class Scanner {
 public:
  Scanner(std::string_view body, std::string_view page_host, ScannedPage& out)
      : body_(body), page_host_(page_host), out_(out), text_(out.text) {}

  void run() {
    while (pos_ < body_.size()) {
      const void* lt = std::memchr(body_.data() + pos_, '<', body_.size() - pos_);
      const std::size_t next =
          lt ? static_cast<std::size_t>(static_cast<const char*>(lt) - body_.data()) : body_.size();
      if (next > pos_) append_text(body_.substr(pos_, next - pos_));
      pos_ = next;
      if (pos_ < body_.size()) markup();
    }
  }

 private:
  static constexpr std::size_t kMaxName = 16;

  char at(std::size_t i) const { return i < body_.size() ? body_[i] : '\0'; }

  void append_text(std::string_view raw) {
    if (raw.find('&') == std::string_view::npos) {
      text_.append(raw);
      return;
    }
    scratch_.clear();
    append_decoded(scratch_, raw);
    text_.append(scratch_);
  }

  // pos_ is at '<'.
  void markup() {
    const std::size_t i = pos_ + 1;
    const char c = at(i);
    if (c == '!' && body_.substr(i + 1, 2) == "--") {
      // From i + 1 so that "<!-->" and "<!--->" close themselves, as in HTML.
      const std::size_t end = body_.find("-->", i + 1);
      pos_ = end == std::string_view::npos ? body_.size() : end + 3;
    } else if (c == '!' || c == '?' || (c == '/' && !is_alpha(at(i + 1)))) {
      const std::size_t end = body_.find('>', i);
      pos_ = end == std::string_view::npos ? body_.size() : end + 1;
    } else if (c == '/') {
      pos_ = i + 1;
      const ElementInfo info = element_info(read_name());
      parse_attributes(nullptr);
      if (info.block) text_.space();
    } else if (is_alpha(c)) {
      pos_ = i;
      start_tag();
    } else {
      text_.append("<");
      pos_ = i;
    }
  }

  // The tag name at pos_, lower-cased; empty if too long to be one we know.
  std::string_view read_name() {
    std::size_t length = 0;
    bool too_long = false;
    for (; pos_ < body_.size() && !is(body_[pos_], kEndsName); ++pos_) {
      if (length < kMaxName) {
        name_[length++] = fold(body_[pos_]);
      } else {
        too_long = true;
      }
    }
    return too_long ? std::string_view() : std::string_view(name_, length);
  }

  // Reads attributes up to and past the closing '>' (or to the end).
  void parse_attributes(Attributes* attributes) {
    const std::size_t n = body_.size();
    for (;;) {
      while (pos_ < n && (is_space(body_[pos_]) || body_[pos_] == '/')) ++pos_;
      if (pos_ >= n) return;
      if (body_[pos_] == '>') {
        ++pos_;
        return;
      }
      const std::size_t name_start = pos_++;  // a leading '=' belongs to the name
      while (pos_ < n && !is(body_[pos_], kEndsAttributeName)) ++pos_;
      const std::string_view name = body_.substr(name_start, pos_ - name_start);
      while (pos_ < n && is_space(body_[pos_])) ++pos_;
      std::string_view value;
      if (pos_ < n && body_[pos_] == '=') {
        ++pos_;
        while (pos_ < n && is_space(body_[pos_])) ++pos_;
        if (pos_ < n && (body_[pos_] == '"' || body_[pos_] == '\'')) {
          const char quote = body_[pos_++];
          const std::size_t end = std::min(body_.find(quote, pos_), n);
          value = body_.substr(pos_, end - pos_);
          pos_ = std::min(end + 1, n);
        } else {
          const std::size_t start = pos_;
          while (pos_ < n && !is(body_[pos_], kEndsUnquoted)) ++pos_;
          value = body_.substr(start, pos_ - start);
        }
      }
      if (attributes) attributes->set(name, value);
    }
  }

  // The content of a raw-text element up to its end tag, which is left for
  // the main loop to read.
  std::string_view raw_text(std::string_view tag) {
    const std::size_t start = pos_;
    for (std::size_t i = pos_; (i = body_.find("</", i)) != std::string_view::npos; i += 2) {
      const std::string_view candidate = body_.substr(i + 2, tag.size());
      const char after = at(i + 2 + tag.size());
      if (iequals(candidate, tag) && (after == '\0' || is_space(after) || after == '/' || after == '>')) {
        pos_ = i;
        return body_.substr(start, i - start);
      }
    }
    pos_ = body_.size();
    return body_.substr(start);
  }

  void start_tag() {
    const std::string_view name = read_name();
    const ElementInfo info = element_info(name);
    Attributes a;
    parse_attributes(&a);
    if (info.block) text_.space();
    switch (info.element) {
      case Element::script:
        if (a.src) item("script: ", *a.src);
        raw_text(name);
        break;
      case Element::style: raw_text(name); break;
      case Element::title: item("title: ", raw_text(name)); break;
      case Element::textarea: append_text(raw_text(name)); break;
      case Element::iframe:
      case Element::frame:
        if (a.src) item("iframe: ", *a.src);
        if (info.element == Element::iframe) raw_text(name);
        break;
      case Element::a:
      case Element::area:
      case Element::link:
      case Element::base:
        if (a.href) link(*a.href);
        break;
      case Element::meta: meta(a); break;
      case Element::other: break;
    }
  }

  void link(std::string_view raw_href) {
    scratch_.clear();
    append_decoded(scratch_, raw_href);
    if (is_foreign_link(scratch_, page_host_)) item("external-link: ", raw_href);
  }

  void meta(const Attributes& a) {
    if (a.charset) declare_charset(*a.charset);
    if (!a.content) return;
    if (a.http_equiv && iequals(*a.http_equiv, "content-type")) {
      // "text/html; charset=gbk"
      const std::string_view content = *a.content;
      for (std::size_t i = 0; i + 8 <= content.size(); ++i) {
        if (iequals(content.substr(i, 8), "charset=")) {
          declare_charset(content.substr(i + 8, content.find_first_of("; \"'", i + 8) - (i + 8)));
          break;
        }
      }
    }
    if (a.name) {
      item("meta name=", *a.name, " content=", *a.content);
    } else if (a.http_equiv) {
      item("meta http-equiv=", *a.http_equiv, " content=", *a.content);
    } else if (a.property) {
      item("meta property=", *a.property, " content=", *a.content);
    }
  }

  // The first declaration counts, as in browsers.
  void declare_charset(std::string_view raw) {
    if (!out_.charset.empty()) return;
    while (!raw.empty() && (is_space(raw.front()) || raw.front() == '"' || raw.front() == '\'')) raw.remove_prefix(1);
    while (!raw.empty() && (is_space(raw.back()) || raw.back() == '"' || raw.back() == '\'')) raw.remove_suffix(1);
    if (raw.size() <= 40) out_.charset = raw;
  }

  void item(std::string_view label, std::string_view raw_value, std::string_view label2 = {},
            std::string_view raw_value2 = {}) {
    if (!out_.structure.empty()) out_.structure += '\n';
    out_.structure += label;
    append_value(raw_value);
    if (!label2.empty()) {
      out_.structure += label2;
      append_value(raw_value2);
    }
  }

  void append_value(std::string_view raw) {
    scratch_.clear();
    append_decoded(scratch_, raw);
    append_normalised(out_.structure, scratch_);
  }

  std::string_view body_;
  std::string_view page_host_;
  ScannedPage& out_;
  NormalisedText text_;
  std::size_t pos_ = 0;
  char name_[kMaxName];
  std::string scratch_;
};

}  // namespace

ScannedPage scan_html(std::string_view body, std::string_view page_host) {
  ScannedPage page;
  page.text.reserve(body.size() / 2);
  Scanner(body, page_host, page).run();
  return page;
}

}  // namespace netwarden::content_detail
