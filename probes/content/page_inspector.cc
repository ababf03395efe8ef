#include "probes/content/page_inspector.h"
#include "common/ascii.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "probes/content/html_scanner.h"
#include "probes/content/link_host.h"
#include "probes/content/script_literals.h"
#include "probes/content/utf8.h"

namespace netwarden::content_detail {
namespace {

constexpr std::size_t kMaxUrlShown = 300;

// Called for every tag: by length first, so most tags cost one switch.
bool is_void(std::string_view tag) {
  switch (tag.size()) {
    case 2: return tag == "br" || tag == "hr";
    case 3: return tag == "img" || tag == "col" || tag == "wbr";
    case 4: return tag == "meta" || tag == "link" || tag == "area" || tag == "base";
    case 5: return tag == "input" || tag == "embed" || tag == "param" || tag == "track";
    case 6: return tag == "source" || tag == "keygen";
    default: return false;
  }
}

// Start tags that close an open element of the same name, as HTML's tree
// builder does: "<li>a<li>b" are siblings, not nested.
bool closes_same(std::string_view tag) {
  switch (tag.size()) {
    case 1: return tag == "a" || tag == "p";
    case 2: return tag == "li" || tag == "dt" || tag == "dd" || tag == "tr" || tag == "td" || tag == "th";
    case 6: return tag == "option";
    default: return false;
  }
}

// The URL of a meta refresh's content ("0;url=http://x", "5; URL='x'").
std::string_view refresh_url(std::string_view content) {
  std::size_t i = 0;
  while (i < content.size() && ((content[i] >= '0' && content[i] <= '9') || content[i] == '.' || content[i] == ' '))
    ++i;
  if (i >= content.size() || (content[i] != ';' && content[i] != ',')) return {};
  ++i;
  while (i < content.size() && content[i] == ' ') ++i;
  if (iequals_lower(content.substr(i, 3), "url")) {
    std::size_t k = i + 3;
    while (k < content.size() && content[k] == ' ') ++k;
    if (k < content.size() && content[k] == '=') {
      i = k + 1;
      while (i < content.size() && content[i] == ' ') ++i;
    }
  }
  std::string_view url = content.substr(i);
  if (!url.empty() && (url.front() == '"' || url.front() == '\'')) {
    url = url.substr(1, url.find(url.front(), 1) - 1);
  }
  return url;
}

}  // namespace

// The attributes the checks read; the first of duplicates wins, as in browsers.
struct PageInspector::Attributes {
  std::optional<std::string_view> id, class_list, style, href, src, data, hidden, width, height, scrollamount, alt,
      title, name, content, http_equiv;

  explicit Attributes(std::span<const TagAttribute> attributes) {
    using Slot = std::optional<std::string_view> Attributes::*;
    static constexpr std::pair<std::string_view, Slot> kSlots[] = {{"id", &Attributes::id},
                                                                   {"class", &Attributes::class_list},
                                                                   {"style", &Attributes::style},
                                                                   {"href", &Attributes::href},
                                                                   {"src", &Attributes::src},
                                                                   {"data", &Attributes::data},
                                                                   {"hidden", &Attributes::hidden},
                                                                   {"width", &Attributes::width},
                                                                   {"height", &Attributes::height},
                                                                   {"scrollamount", &Attributes::scrollamount},
                                                                   {"alt", &Attributes::alt},
                                                                   {"title", &Attributes::title},
                                                                   {"name", &Attributes::name},
                                                                   {"content", &Attributes::content},
                                                                   {"http-equiv", &Attributes::http_equiv}};
    for (const TagAttribute& a : attributes) {
      for (const auto& [name, slot] : kSlots) {
        if (a.name == name) {
          if (!(this->*slot)) this->*slot = a.value;
          break;
        }
      }
    }
  }
};

PageInspector::PageInspector(std::string_view page_host, const std::vector<std::string>& allowed_hosts)
    : page_host_(page_host), hosts_(page_host, allowed_hosts) {}

void PageInspector::start_tag(std::string_view name, std::span<const TagAttribute> attributes, bool /*self_closing*/) {
  // "<div/>" opens a div all the same: browsers ignore the slash on HTML
  // elements, so only void elements stay off the stack.
  const Attributes a(attributes);
  close_implied(name);
  const std::uint32_t node = add_node(name, a);
  if (name == "a") open_link_ = SIZE_MAX;  // "<a>x<a>y": the first ends where the second starts
  if ((name == "a" || name == "area") && a.href) {
    const std::optional<std::string_view> host = link_host(*a.href);
    if (host && !hosts_.is_allowed(*host) && candidates_.size() < kMaxCandidates) {
      candidates_.push_back({false, node, std::string(*a.href)});
      if (name == "a") open_link_ = candidates_.size() - 1;
      if (name == "area" && a.alt) append_words(candidates_.back().text, *a.alt);
    }
  }
  if (name == "img" && a.alt && open_link_ != SIZE_MAX) {
    for (std::string_view part : {std::string_view(" "), *a.alt, std::string_view(" ")}) {
      append_words(candidates_[open_link_].text, part);
    }
  }
  check_code(name, a, node);
  collect_text(name, a);
  collect_link(name, a);
  if (is_void(name)) return;
  if (open_.size() >= kMaxDepth || node == parent()) {
    ++unpushed_;
  } else {
    open_.push_back(node);
  }
}

void PageInspector::end_tag(std::string_view name) {
  if (name == "a") open_link_ = SIZE_MAX;
  if (unpushed_ > 0) {
    --unpushed_;
    return;
  }
  for (std::size_t i = open_.size(); i-- > 0;) {
    if (names_of(open_[i]).tag == name) {
      open_.resize(i);
      return;
    }
  }
}

void PageInspector::text(std::string_view decoded) {
  if (open_link_ != SIZE_MAX) append_words(candidates_[open_link_].text, decoded);
}

void PageInspector::script(std::string_view source) {
  if (source.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
  const std::string label = "inline script " + std::to_string(++scripts_);
  ScriptReading reading = read_script(source);
  if (!reading.obfuscation.empty()) add_finding(found_.foreign_code, label, "obfuscated: " + reading.obfuscation);
  for (const ScriptRedirect& r : reading.redirects) foreign(r.url, r.how + " in " + label);
  if (reading.written.empty()) return;
  // One script's writes are one piece of HTML: document.write('<div
  // style="display:none">') and a later document.write('<a ...>') nest.
  std::string html;
  for (const std::string& w : reading.written) html += w;
  add_text("document.write", html);
  if (write_depth_ >= kMaxWriteDepth || written_bytes_ + html.size() > kMaxWrittenBytes) return;
  written_bytes_ += html.size();
  ++write_depth_;
  scan_html(html, page_host_, this);
  --write_depth_;
}

void PageInspector::style(std::string_view css) {
  if (style_bytes_ >= kMaxStyleBytes) return;
  css = css.substr(0, std::min(css.size(), kMaxStyleBytes - style_bytes_));
  style_bytes_ += css.size();
  contents_.clear();
  sheet_.add(css, &contents_);
  for (const std::string& s : contents_) add_text("css content", s);
}

void PageInspector::collect_link(std::string_view tag, const Attributes& a) {
  const bool frame = tag == "iframe" || tag == "frame";
  const std::optional<std::string_view>& target = frame ? a.src : a.href;
  if (tag == "base" && a.href && found_.base.empty()) found_.base = *a.href;
  if ((frame || tag == "a" || tag == "area") && target && !target->empty() && found_.links.size() < kMaxLinks) {
    found_.links.emplace_back(*target);
  }
}

PageInspection PageInspector::result() && {
  Memo memo;
  for (const Candidate& c : candidates_) judge(c, memo);
  return std::move(found_);
}

std::uint32_t PageInspector::add_node(std::string_view tag, const Attributes& a) {
  std::optional<CssHiding> inline_style;
  if (a.style) {
    contents_.clear();
    read_declarations(*a.style, inline_style.emplace(), &contents_);
    for (const std::string& s : contents_) add_text("css content", s);
  }
  if (nodes_.size() >= kMaxNodes) return parent();  // read as part of its parent
  Node n;
  n.parent = parent();
  n.names_at = static_cast<std::uint32_t>(names_.size());
  const auto keep = [&](std::string_view name, std::uint16_t& size) {
    name = name.substr(0, kMaxNameBytes);
    names_.append(name);
    size = static_cast<std::uint16_t>(name.size());
  };
  keep(tag, n.tag_size);
  keep(a.id.value_or(""), n.id_size);
  keep(a.class_list.value_or(""), n.class_size);
  if (inline_style && inline_style->any()) {
    n.inline_style = static_cast<std::int32_t>(inline_styles_.size());
    inline_styles_.push_back(*inline_style);
  }
  n.hidden_attribute = a.hidden.has_value();
  const auto px = [](std::optional<std::string_view> v) { return v ? attribute_px(*v) : std::nanf(""); };
  n.width = px(a.width);
  n.height = px(a.height);
  n.scrollamount = px(a.scrollamount);
  nodes_.push_back(n);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

ElementNames PageInspector::names_of(std::uint32_t node) const {
  const Node& n = nodes_[node];
  const std::string_view all(names_);
  return {all.substr(n.names_at, n.tag_size), all.substr(n.names_at + n.tag_size, n.id_size),
          all.substr(n.names_at + n.tag_size + n.id_size, n.class_size)};
}

PageInspector::Resolved PageInspector::resolve(std::uint32_t node, Memo& memo) const {
  std::vector<std::uint32_t> chain;  // the node and its ancestors, outermost first
  for (std::uint32_t n = node; n != kNoNode; n = nodes_[n].parent) chain.push_back(n);
  std::reverse(chain.begin(), chain.end());
  std::vector<ElementNames> names;
  names.reserve(chain.size());
  for (std::uint32_t n : chain) names.push_back(names_of(n));
  Resolved r;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const bool last = i + 1 == chain.size();
    if (const auto it = memo.find(chain[i]); it != memo.end() && !last) {
      r.visibility = it->second;
      continue;
    }
    const Node& n = nodes_[chain[i]];
    ElementFacts facts{.tag = names[i].tag,
                       .id = names[i].id,
                       .class_list = names[i].class_list,
                       .style = sheet_.match(names[i], std::span(names).first(i)),
                       .hidden_attribute = n.hidden_attribute,
                       .width = n.width,
                       .height = n.height,
                       .scrollamount = n.scrollamount};
    if (n.inline_style >= 0) facts.style.cascade(inline_styles_[static_cast<std::size_t>(n.inline_style)]);
    r.visibility = visibility_of(r.visibility, facts);
    memo.emplace(chain[i], r.visibility);
    if (last) r.style = facts.style;
  }
  return r;
}

void PageInspector::judge(const Candidate& c, Memo& memo) {
  const Resolved r = resolve(c.node, memo);
  const std::string& reason = r.visibility.reason();
  if (!c.frame) {
    if (!reason.empty() && add_finding(found_.hidden_links, c.url, reason)) {
      std::string text = c.text;
      while (!text.empty() && text.back() == ' ') text.pop_back();
      found_.hidden_links.back().text = std::move(text);
    }
    return;
  }
  const Node& n = nodes_[c.node];
  const std::string tag(names_of(c.node).tag);
  const CssValue& css_width = r.style[CssProperty::width];
  const CssValue& css_height = r.style[CssProperty::height];
  const float width = css_width.set ? css_width.px : n.width;
  const float height = css_height.set ? css_height.px : n.height;
  const auto shown = [](float px) { return std::isnan(px) ? std::string("auto") : std::to_string(std::lround(px)); };
  if ((!std::isnan(width) && width <= 1) || (!std::isnan(height) && height <= 1)) {
    add_finding(found_.foreign_code, c.url, tag + " " + shown(width) + "x" + shown(height));
  } else if (!reason.empty()) {
    add_finding(found_.foreign_code, c.url, tag + " hidden: " + reason);
  }
}

void PageInspector::close_implied(std::string_view name) {
  if (!open_.empty() && unpushed_ == 0 && names_of(open_.back()).tag == name && closes_same(name)) open_.pop_back();
}

void PageInspector::check_code(std::string_view tag, const Attributes& a, std::uint32_t node) {
  if (tag == "script" && a.src) {
    foreign(*a.src, "<script src>");
  } else if (tag == "object" && a.data) {
    foreign(*a.data, "<object data>");
  } else if (tag == "embed" && a.src) {
    foreign(*a.src, "<embed src>");
  } else if (tag == "meta" && a.http_equiv && a.content && iequals_lower(*a.http_equiv, "refresh")) {
    foreign(refresh_url(*a.content), "meta refresh");
  } else if ((tag == "iframe" || tag == "frame") && a.src) {
    foreign(*a.src, "<" + std::string(tag) + " src>");
    if (node != kNoNode && candidates_.size() < kMaxCandidates)
      candidates_.push_back({true, node, std::string(*a.src)});
  }
}

void PageInspector::foreign(std::string_view url, std::string_view how) {
  const std::optional<std::string_view> host = link_host(url);
  if (!host || hosts_.is_allowed(*host)) return;
  add_finding(found_.foreign_code, url, std::string(how) + ": " + std::string(*host) + " is not an allowed host");
}

void PageInspector::collect_text(std::string_view tag, const Attributes& a) {
  if (a.title) add_text("title attribute", *a.title);
  if (tag == "img" && a.alt) add_text("img alt", *a.alt);
  if (tag == "meta" && a.name && a.content) {
    if (iequals_lower(*a.name, "description")) add_text("meta description", *a.content);
    if (iequals_lower(*a.name, "keywords")) add_text("meta keywords", *a.content);
  }
}

void PageInspector::add_text(std::string_view where, std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos || text_bytes_ >= kMaxTextBytes) return;
  text = text.substr(0, kMaxTextBytes - text_bytes_);
  text_bytes_ += text.size();
  found_.extra_text.emplace_back(std::string(where), std::string(text));
}

// What a search engine reads as the link's words: the spam ranking a hidden
// link buys is in them, and so is the keyword that makes it urgent.
void PageInspector::append_words(std::string& text, std::string_view words) {
  for (std::size_t i = 0; i < words.size() && text.size() < kMaxLinkTextBytes;) {
    const Utf8Char c = decode_utf8(words, i);
    if (c.length == 1 && is_html_space(words[i])) {
      if (!text.empty() && text.back() != ' ') text += ' ';
    } else if (text.size() + c.length <= kMaxLinkTextBytes) {
      text.append(words.substr(i, c.length));
    } else {
      break;
    }
    i += c.length;
  }
}

bool PageInspector::add_finding(std::vector<PageFinding>& list, std::string_view what, std::string why) {
  const std::string_view shown = what.substr(0, kMaxUrlShown);
  if (list.size() >= kMaxFindings) return false;
  if (std::any_of(list.begin(), list.end(), [&](const PageFinding& f) { return f.what == shown && f.why == why; })) {
    return false;
  }
  list.push_back({.what = std::string(shown), .why = std::move(why)});
  return true;
}

}  // namespace netwarden::content_detail
