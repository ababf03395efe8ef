#include "probes/content/html_scanner.h"
#include "common/ascii.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "probes/content/html_entities.h"
#include "probes/content/html_tags.h"
#include "probes/content/link_host.h"
#include "probes/content/text_normaliser.h"

namespace netwarden::content_detail {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

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

// An inline script without the "<!--" ... "//-->" that hid it from
// browsers older than scripts.
std::string_view without_comment_wrapper(std::string_view source) {
  std::string_view s = trim_html_space(source);
  if (!s.starts_with("<!--")) return source;
  s.remove_prefix(4);
  if (s.ends_with("-->")) {
    s = trim_html_space(s.substr(0, s.size() - 3));
    if (s.ends_with("//")) s.remove_suffix(2);
  }
  return trim_html_space(s);
}

// The attributes the structure is made of; the first of duplicates wins,
// as in browsers.
struct Attributes {
  std::optional<std::string_view> src, href, name, content, http_equiv, property, charset;

  void set(std::string_view attribute, std::string_view value) {
    std::optional<std::string_view>* slot = nullptr;
    switch (ascii_lower(attribute.front())) {
      case 's': slot = iequals_lower(attribute, "src") ? &src : nullptr; break;
      case 'h':
        slot = iequals_lower(attribute, "href")         ? &href
               : iequals_lower(attribute, "http-equiv") ? &http_equiv
                                                        : nullptr;
        break;
      case 'n': slot = iequals_lower(attribute, "name") ? &name : nullptr; break;
      case 'c':
        slot = iequals_lower(attribute, "content")   ? &content
               : iequals_lower(attribute, "charset") ? &charset
                                                     : nullptr;
        break;
      case 'p': slot = iequals_lower(attribute, "property") ? &property : nullptr; break;
      default: break;
    }
    if (slot && !*slot) *slot = value;
  }
};

// A start tag's attributes for PageEvents: names lower-cased, values
// decoded, duplicates dropped. Filled only when someone listens.
class EventAttributes {
 public:
  void clear() {
    text_.clear();
    spans_.clear();
  }

  void add(std::string_view raw_name, std::string_view raw_value) {
    const std::size_t name_at = text_.size();
    for (char c : raw_name) text_ += ascii_lower(c);
    const std::size_t name_length = text_.size() - name_at;
    for (const Span& s : spans_) {
      if (std::string_view(text_).substr(s.name_at, s.name_length) ==
          std::string_view(text_).substr(name_at, name_length)) {
        text_.resize(name_at);
        return;
      }
    }
    append_decoded(text_, raw_value, ReferenceContext::attribute);
    spans_.push_back({name_at, name_length, text_.size() - name_at - name_length});
  }

  std::span<const TagAttribute> views() {
    views_.clear();
    for (const Span& s : spans_) {
      const std::string_view all(text_);
      views_.push_back({all.substr(s.name_at, s.name_length), all.substr(s.name_at + s.name_length, s.value_length)});
    }
    return views_;
  }

 private:
  struct Span {
    std::size_t name_at, name_length, value_length;
  };
  std::string text_;
  std::vector<Span> spans_;
  std::vector<TagAttribute> views_;
};

class Scanner {
 public:
  Scanner(std::string_view body, std::string_view page_host, ScannedPage& out, PageEvents* events)
      : body_(body), page_host_(page_host), out_(out), text_(out.text), events_(events) {}

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
  // Longer tag names are cut here (the same way in start and end tags);
  // no element the scanner knows is that long.
  static constexpr std::size_t kMaxName = 64;

  char at(std::size_t i) const { return i < body_.size() ? body_[i] : '\0'; }

  void visible(std::string_view decoded) {
    if (template_depth_ > 0) return;
    text_.append(decoded);
    if (events_) events_->text(decoded);
  }

  // Text with character references.
  void append_text(std::string_view raw) {
    if (raw.find('&') == std::string_view::npos) {
      visible(raw);
      return;
    }
    scratch_.clear();
    append_decoded(scratch_, raw);
    visible(scratch_);
  }

  // pos_ is at '<'.
  void markup() {
    const std::size_t i = pos_ + 1;
    const char c = at(i);
    if (c == '!') {
      if (body_.substr(i + 1, 2) == "--") {
        comment(i + 3);
      } else if (foreign_depth_ > 0 && body_.substr(i + 1, 7) == "[CDATA[") {
        cdata(i + 8);
      } else {
        bogus_comment(i + 1);
      }
    } else if (c == '?') {
      bogus_comment(i + 1);
    } else if (c == '/') {
      const char after = at(i + 1);
      if (is_alpha(after)) {
        pos_ = i + 1;
        end_tag();
      } else if (after == '>') {
        pos_ = i + 2;  // "</>" is dropped
      } else if (i + 1 >= body_.size()) {
        append_text("</");
        pos_ = body_.size();
      } else {
        bogus_comment(i + 1);
      }
    } else if (is_alpha(c)) {
      pos_ = i;
      start_tag();
    } else {
      visible("<");
      pos_ = i;
    }
  }

  // A comment whose text starts at p (after "<!--"): it ends at "-->" or
  // "--!>", and "<!-->" and "<!--->" end at once.
  void comment(std::size_t p) {
    if (at(p) == '>') {
      pos_ = p + 1;
      return;
    }
    if (at(p) == '-' && at(p + 1) == '>') {
      pos_ = p + 2;
      return;
    }
    for (std::size_t k = p; (k = body_.find("--", k)) != std::string_view::npos; ++k) {
      if (at(k + 2) == '>') {
        pos_ = k + 3;
        return;
      }
      if (at(k + 2) == '!' && at(k + 3) == '>') {
        pos_ = k + 4;
        return;
      }
    }
    pos_ = body_.size();
  }

  // "<!x>", "<?x>", "</ x>", and "<![CDATA[" outside SVG and MathML: a
  // comment up to the first '>'.
  void bogus_comment(std::size_t p) {
    const std::size_t end = body_.find('>', p);
    pos_ = end == std::string_view::npos ? body_.size() : end + 1;
  }

  // Inside SVG or MathML, "<![CDATA[...]]>" is text, as written.
  void cdata(std::size_t p) {
    const std::size_t end = body_.find("]]>", p);
    visible(body_.substr(p, std::min(end, body_.size()) - p));
    pos_ = end == std::string_view::npos ? body_.size() : end + 3;
  }

  // The tag name at pos_, lower-cased, cut at kMaxName.
  std::string_view read_name() {
    std::size_t length = 0;
    for (; pos_ < body_.size() && !is(body_[pos_], kEndsName); ++pos_) {
      if (length < kMaxName) name_[length++] = ascii_lower(body_[pos_]);
    }
    return {name_, length};
  }

  // Reads attributes up to and past the closing '>' (or to the end);
  // whether the tag ended with "/>".
  bool parse_attributes(Attributes* attributes, EventAttributes* listened) {
    const std::size_t n = body_.size();
    bool slash = false;
    for (;;) {
      while (pos_ < n && (is_space(body_[pos_]) || body_[pos_] == '/')) slash = body_[pos_++] == '/';
      if (pos_ >= n) return false;
      if (body_[pos_] == '>') {
        ++pos_;
        return slash;
      }
      slash = false;
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
      if (listened) listened->add(name, value);
    }
  }

  // Whether "</" + tag + (space, '/' or '>') starts at i.
  bool end_tag_at(std::size_t i, std::string_view tag) const {
    if (at(i) != '<' || at(i + 1) != '/' || !iequals_lower(body_.substr(i + 2, tag.size()), tag)) return false;
    const std::size_t after = i + 2 + tag.size();
    return after < body_.size() && is(body_[after], kEndsName);
  }

  // The content of a raw-text or RCDATA element up to its end tag, which
  // is left for the main loop to read.
  std::string_view raw_text(std::string_view tag) {
    const std::size_t start = pos_;
    for (std::size_t i = pos_; (i = body_.find("</", i)) != std::string_view::npos; i += 2) {
      if (end_tag_at(i, tag)) {
        pos_ = i;
        return body_.substr(start, i - start);
      }
    }
    pos_ = body_.size();
    return body_.substr(start);
  }

  // The letters at i, lower-cased into name_ (cut at kMaxName); returns
  // where they end.
  std::size_t letters_at(std::size_t i, std::string_view& word) {
    std::size_t length = 0;
    for (; i < body_.size() && is_alpha(body_[i]); ++i) {
      if (length < kMaxName) name_[length++] = ascii_lower(body_[i]);
    }
    word = {name_, length};
    return i;
  }

  // A <script>'s content up to its end tag, by HTML's script data states:
  // inside "<!--" (escaped) a "<script" starts a double-escaped stretch in
  // which "</script>" does not end the script but only that stretch, and
  // "-->" leaves both.
  std::string_view script_data() {
    enum class State { data, escaped, double_escaped };
    const std::size_t n = body_.size();
    const std::size_t start = pos_;
    State state = State::data;
    int dashes = 0;
    std::size_t i = pos_;
    while (i < n) {
      if (state == State::data) {
        const void* lt = std::memchr(body_.data() + i, '<', n - i);
        if (!lt) break;
        i = static_cast<std::size_t>(static_cast<const char*>(lt) - body_.data());
        if (end_tag_at(i, "script")) {
          pos_ = i;
          return body_.substr(start, i - start);
        }
        if (body_.substr(i + 1, 3) == "!--") {
          state = State::escaped;
          dashes = 2;
          i += 4;
        } else {
          ++i;
        }
        continue;
      }
      const char c = body_[i];
      if (c == '-') {
        ++dashes;
        ++i;
        continue;
      }
      if (c == '>' && dashes >= 2) {
        state = State::data;
      } else if (c == '<') {
        std::string_view word;
        if (state == State::escaped && end_tag_at(i, "script")) {
          pos_ = i;
          return body_.substr(start, i - start);
        }
        if (state == State::escaped && is_alpha(at(i + 1))) {
          const std::size_t j = letters_at(i + 1, word);
          if (word == "script" && is(at(j), kEndsName)) state = State::double_escaped;
          i = j;
          dashes = 0;
          continue;
        }
        if (state == State::double_escaped && at(i + 1) == '/') {
          const std::size_t j = letters_at(i + 2, word);
          if (word == "script" && is(at(j), kEndsName)) state = State::escaped;
          i = j;
          dashes = 0;
          continue;
        }
      }
      dashes = 0;
      ++i;
    }
    pos_ = n;
    return body_.substr(start);
  }

  void end_tag() {
    const std::string_view name = read_name();
    const ElementInfo info = element_info(name);
    if (events_) events_->end_tag(name);
    parse_attributes(nullptr, nullptr);
    // An end tag with no element of its name open is dropped by browsers
    // ("cas</div>ino" reads "casino"); </p> and </br> count even then.
    if (info.block() && (open_[info.id] > 0 || name == "p" || name == "br")) {
      if (open_[info.id] > 0) --open_[info.id];
      text_.space();
    }
    if (info.element == Element::template_ && template_depth_ > 0) --template_depth_;
    if ((info.element == Element::svg || info.element == Element::math) && foreign_depth_ > 0) --foreign_depth_;
  }

  void start_tag() {
    const std::string_view name = read_name();
    ElementInfo info = element_info(name);
    if ((events_ || foreign_depth_ > 0) && info.element == Element::other && info.flags == 0) {
      info.flags = inline_element_flags(name);
    }
    Attributes a;
    if (events_) listened_.clear();
    const bool slash = parse_attributes(&a, events_ ? &listened_ : nullptr);
    if (events_) events_->start_tag(name, listened_.views(), slash || info.is_void());
    if (info.block()) {
      text_.space();
      if (!info.is_void()) ++open_[info.id];
    }
    if (foreign_depth_ > 0 && info.leaves_foreign()) foreign_depth_ = 0;
    switch (info.element) {
      case Element::script: {
        if (a.src) item("script: ", *a.src, ReferenceContext::attribute);
        const std::string_view source = script_data();
        if (events_) events_->script(without_comment_wrapper(source));
        return;
      }
      case Element::style: {
        const std::string_view css = raw_text("style");
        if (events_) events_->style(css);
        return;
      }
      case Element::a:
      case Element::area:
      case Element::link:
      case Element::base:
        if (a.href) link(*a.href);
        return;
      case Element::meta: meta(a); return;
      case Element::frame:
        if (a.src) item("iframe: ", *a.src, ReferenceContext::attribute);
        return;
      case Element::svg:
      case Element::math:
        if (!slash) ++foreign_depth_;
        return;
      default: break;
    }
    // In SVG and MathML these are ordinary elements (script and style
    // are read as in HTML: neither is drawn, and a script still runs).
    if (foreign_depth_ == 0) html_content(info.element, a);
  }

  // What the elements whose content HTML's tokenizer reads by other rules
  // leave in the text.
  void html_content(Element element, const Attributes& a) {
    switch (element) {
      case Element::template_: ++template_depth_; break;
      case Element::title: item("title: ", raw_text("title"), ReferenceContext::text); break;
      case Element::textarea: append_text(raw_text("textarea")); break;
      case Element::xmp: visible(raw_text("xmp")); break;
      case Element::iframe:
        if (a.src) item("iframe: ", *a.src, ReferenceContext::attribute);
        raw_text("iframe");
        break;
      case Element::noembed: raw_text("noembed"); break;
      case Element::noframes: raw_text("noframes"); break;
      case Element::noscript: raw_text("noscript"); break;
      case Element::plaintext:
        visible(body_.substr(pos_));
        pos_ = body_.size();
        break;
      default: break;
    }
  }

  void link(std::string_view raw_href) {
    scratch_.clear();
    append_decoded(scratch_, raw_href, ReferenceContext::attribute);
    if (is_foreign_link(scratch_, page_host_)) item("external-link: ", raw_href, ReferenceContext::attribute);
  }

  void meta(const Attributes& a) {
    if (a.charset) declare_charset(*a.charset);
    if (!a.content) return;
    if (a.http_equiv && iequals_lower(*a.http_equiv, "content-type")) {
      // "text/html; charset=gbk"
      const std::string_view content = *a.content;
      for (std::size_t i = 0; i + 8 <= content.size(); ++i) {
        if (iequals_lower(content.substr(i, 8), "charset=")) {
          declare_charset(content.substr(i + 8, content.find_first_of("; \"'", i + 8) - (i + 8)));
          break;
        }
      }
    }
    constexpr auto kAttr = ReferenceContext::attribute;
    if (a.name) {
      item("meta name=", *a.name, kAttr, " content=", *a.content);
    } else if (a.http_equiv) {
      item("meta http-equiv=", *a.http_equiv, kAttr, " content=", *a.content);
    } else if (a.property) {
      item("meta property=", *a.property, kAttr, " content=", *a.content);
    }
  }

  // The first declaration counts, as in browsers.
  void declare_charset(std::string_view raw) {
    if (!out_.charset.empty()) return;
    while (!raw.empty() && (is_space(raw.front()) || raw.front() == '"' || raw.front() == '\'')) raw.remove_prefix(1);
    while (!raw.empty() && (is_space(raw.back()) || raw.back() == '"' || raw.back() == '\'')) raw.remove_suffix(1);
    if (raw.size() <= 40) out_.charset = raw;
  }

  void item(std::string_view label, std::string_view raw_value, ReferenceContext where, std::string_view label2 = {},
            std::string_view raw_value2 = {}) {
    if (!out_.structure.empty()) out_.structure += '\n';
    out_.structure += label;
    append_value(raw_value, where);
    if (!label2.empty()) {
      out_.structure += label2;
      append_value(raw_value2, where);
    }
  }

  void append_value(std::string_view raw, ReferenceContext where) {
    scratch_.clear();
    append_decoded(scratch_, raw, where);
    append_normalised(out_.structure, scratch_);
  }

  std::string_view body_;
  std::string_view page_host_;
  ScannedPage& out_;
  NormalisedText text_;
  PageEvents* events_;
  EventAttributes listened_;
  std::size_t pos_ = 0;
  // Open <template> elements: their content is never shown.
  std::size_t template_depth_ = 0;
  // Open <svg> and <math> elements: CDATA sections are text inside them.
  std::size_t foreign_depth_ = 0;
  // Start tags of each block element seen and not yet ended. Elements a
  // browser closes implicitly stay counted: at worst a space too many.
  std::array<std::uint32_t, kKnownElements> open_{};
  char name_[kMaxName];
  std::string scratch_;
};

}  // namespace

ScannedPage scan_html(std::string_view body, std::string_view page_host, PageEvents* events) {
  ScannedPage page;
  page.text.reserve(body.size() / 2);
  Scanner(body, page_host, page, events).run();
  return page;
}

}  // namespace netwarden::content_detail
