// What the scanner's reading of a page (PageEvents) shows beyond its text:
// links to other sites that a visitor cannot see (暗链, hidden_link), code
// from hosts the target does not allow and heavily obfuscated scripts (挂马,
// malicious_code), and the words a page carries outside its body text
// (img alt, title attributes, meta description and keywords, HTML that
// scripts write, CSS content:) for the keyword matcher.
//
// Use: PageInspector inspector(page_host, allowed_hosts);
//      scan_html(body, page_host, &inspector);
//      PageInspection found = std::move(inspector).result();
// HTML that inline scripts write is read with scan_html() too, reporting
// into the same inspector at the script's place in the page, up to
// kMaxWriteDepth scripts deep.
//
// The site's own hosts (site_hosts.h) and the allowed hosts are never
// foreign: a hidden link to them (a mobile menu) or a script from them (a
// CDN the target lists) is no finding.
//
// Whether a link or frame can be seen is decided once the whole page has
// been read, so that a <style> after the markup it hides (browsers apply
// it all the same) counts. Every element is kept as a small node (names,
// style attribute, a few attributes, its parent); only links to other
// hosts and frames are worked out, up their chain of parents.
//
// Bounded: kMaxDepth open elements, kMaxNodes elements and kMaxCandidates
// links and frames are tracked, at most kMaxFindings of each kind and
// kMaxTextBytes of extra text are kept, style sheets and scripts are read
// up to their own caps (style_sheet.h, script_literals.h). Not
// thread-safe: one inspector per page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "probes/content/digest_result.h"
#include "probes/content/element_visibility.h"
#include "probes/content/page_events.h"
#include "probes/content/site_hosts.h"
#include "probes/content/style_sheet.h"

namespace netwarden::content_detail {

struct PageInspection {
  std::vector<PageFinding> hidden_links;  // what: the URL; why: what hides it; text: its words
  std::vector<PageFinding> foreign_code;  // what: the URL or "inline script N"; why: the reason
  // Text for keyword matching besides the page text, as (where, text):
  // where is "img alt", "title attribute", "meta description",
  // "meta keywords", "document.write" (HTML any inline script writes) or
  // "css content".
  std::vector<std::pair<std::string, std::string>> extra_text;
  // Where the page leads, for a crawl: every <a> and <area> href and
  // <iframe> and <frame> src as written (references decoded), in document
  // order, at most kMaxLinks; and the first <base href>, "" when none.
  std::vector<std::string> links;
  std::string base;
};

class PageInspector final : public PageEvents {
 public:
  static constexpr std::size_t kMaxDepth = 512;
  static constexpr std::size_t kMaxNodes = 65536;
  static constexpr std::size_t kMaxNameBytes = 256;     // of a tag, id or class list kept for selectors
  static constexpr std::size_t kMaxCandidates = 16384;  // links to other hosts and frames worked out
  static constexpr std::size_t kMaxFindings = 64;
  static constexpr std::size_t kMaxTextBytes = std::size_t{256} * 1024;
  static constexpr std::size_t kMaxStyleBytes = std::size_t{512} * 1024;
  static constexpr std::size_t kMaxWrittenBytes = std::size_t{256} * 1024;
  static constexpr int kMaxWriteDepth = 3;
  static constexpr std::size_t kMaxLinkTextBytes = 200;
  static constexpr std::size_t kMaxLinks = 5000;

  PageInspector(std::string_view page_host, const std::vector<std::string>& allowed_hosts);

  void start_tag(std::string_view name, std::span<const TagAttribute> attributes, bool self_closing) override;
  void end_tag(std::string_view name) override;
  void text(std::string_view decoded) override;
  void script(std::string_view source) override;
  void style(std::string_view css) override;

  // What the page showed; call once, after the scan.
  PageInspection result() &&;

 private:
  struct Attributes;
  static constexpr std::uint32_t kNoNode = UINT32_MAX;
  using Memo = std::unordered_map<std::uint32_t, Visibility>;  // what each element resolved to

  // One element as read, for working out later what hides it.
  struct Node {
    std::uint32_t parent = kNoNode;
    std::uint32_t names_at = 0;  // tag, id and class list, one after the other in names_
    std::uint16_t tag_size = 0, id_size = 0, class_size = 0;
    std::int32_t inline_style = -1;  // in inline_styles_, -1 for none
    bool hidden_attribute = false;
    float width = 0, height = 0, scrollamount = 0;  // attribute_px() of the attributes
  };
  // A link to another host, or a frame: what it is and the node it is.
  struct Candidate {
    bool frame;
    std::uint32_t node;
    std::string url;
    std::string text = {};  // a link's words, up to kMaxLinkTextBytes
  };
  // What an element ends up with: its visibility and its cascaded style.
  struct Resolved {
    Visibility visibility;
    CssHiding style;
  };

  std::uint32_t parent() const { return open_.empty() ? kNoNode : open_.back(); }
  std::uint32_t add_node(std::string_view tag, const Attributes& a);
  ElementNames names_of(std::uint32_t node) const;
  Resolved resolve(std::uint32_t node, Memo& memo) const;
  void judge(const Candidate& candidate, Memo& memo);
  void close_implied(std::string_view name);
  void check_code(std::string_view tag, const Attributes& a, std::uint32_t node);
  void collect_text(std::string_view tag, const Attributes& a);
  void collect_link(std::string_view tag, const Attributes& a);
  void foreign(std::string_view url, std::string_view how);
  void add_text(std::string_view where, std::string_view text);
  // Adds to a link's words, whitespace collapsed, up to kMaxLinkTextBytes
  // whole characters.
  static void append_words(std::string& text, std::string_view words);
  // Whether it was added (not a repeat, not past kMaxFindings).
  static bool add_finding(std::vector<PageFinding>& list, std::string_view what, std::string why);

  std::string page_host_;
  SiteHosts hosts_;
  StyleSheet sheet_;
  std::vector<Node> nodes_;  // every element read, in document order
  std::string names_;        // their names (Node::names_at)
  std::vector<CssHiding> inline_styles_;
  std::vector<std::uint32_t> open_;  // the open elements, outermost first
  std::size_t unpushed_ = 0;         // elements opened past kMaxDepth
  std::vector<Candidate> candidates_;
  std::size_t open_link_ = SIZE_MAX;  // the candidate whose <a> is open, gathering its words
  int scripts_ = 0;                   // inline scripts seen, for "inline script N"
  int write_depth_ = 0;
  std::size_t style_bytes_ = 0, written_bytes_ = 0, text_bytes_ = 0;
  std::vector<std::string> contents_;  // scratch: CSS content: strings
  PageInspection found_;
};

}  // namespace netwarden::content_detail
