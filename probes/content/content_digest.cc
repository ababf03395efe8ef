#include "probes/content/content_digest.h"

#include <algorithm>
#include <optional>

#include "common/sha256.h"
#include "probes/content/charset.h"
#include "probes/content/html_scanner.h"
#include "probes/content/ignore_patterns.h"
#include "probes/content/keyword_matcher.h"
#include "probes/content/link_host.h"
#include "probes/content/page_inspector.h"
#include "probes/content/text_normaliser.h"
#include "probes/content/xpath_regions.h"

namespace netwarden {

using content_detail::IgnorePatterns;
using content_detail::XPathRegions;

struct ContentAnalyzer::Compiled {
  std::optional<XPathRegions> regions;  // none: the whole page
  std::string region_list;              // the expressions as written, for a blind spot's reason
  IgnorePatterns ignore;
  std::vector<std::string> required;
  std::shared_ptr<const KeywordMatcher> required_matcher;
  std::shared_ptr<const KeywordMatcher> harmful;
  std::vector<std::string> allowed_hosts;
};

namespace {

struct ReadPage {
  content_detail::DecodedBody decoded;
  content_detail::ScannedPage page;
  content_detail::PageInspection inspection;
};

// The structure always covers the whole page: an injected link or script
// is defacement wherever it sits, regions or not. The body is read in the
// encoding a browser would use (charset.h): the byte order mark or the
// header first, else the page's own <meta>, which needs a scan to find.
// Hidden links, foreign code and the text outside the page's body text
// come from the same reading of the page as its text.
ReadPage read_page(std::string_view body, std::string_view content_type, std::string_view page_host,
                   const std::vector<std::string>& allowed_hosts) {
  content_detail::DecodedBody decoded = content_detail::decode_by_header(body, content_type);
  std::optional<content_detail::PageInspector> inspector(std::in_place, page_host, allowed_hosts);
  content_detail::ScannedPage page = content_detail::scan_html(decoded.text(body), page_host, &*inspector);
  if (!decoded.certain && !page.charset.empty()) {
    decoded = content_detail::decode_by_meta(body, page.charset);
    if (decoded.utf8) {
      inspector.emplace(page_host, allowed_hosts);
      page = content_detail::scan_html(*decoded.utf8, page_host, &*inspector);
    }
  }
  return {std::move(decoded), std::move(page), std::move(*inspector).result()};
}

}  // namespace

ContentAnalyzer::ContentAnalyzer(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Result<ContentAnalyzer> ContentAnalyzer::create(ContentRules rules) {
  auto compiled = std::make_shared<Compiled>();
  if (!rules.regions.empty()) {
    for (const std::string& expression : rules.regions) {
      compiled->region_list += (compiled->region_list.empty() ? "" : " | ") + expression;
    }
    Result<XPathRegions> regions = XPathRegions::compile(std::move(rules.regions));
    if (!regions) return std::unexpected(regions.error());
    compiled->regions = std::move(*regions);
  }
  Result<IgnorePatterns> ignore = IgnorePatterns::compile(rules.ignore);
  if (!ignore) return std::unexpected(ignore.error());
  compiled->ignore = std::move(*ignore);
  compiled->required = std::move(rules.required_keywords);
  compiled->required_matcher = KeywordMatcher::from_list(compiled->required);
  compiled->harmful = std::move(rules.harmful);
  compiled->allowed_hosts = std::move(rules.allowed_hosts);
  return ContentAnalyzer(std::move(compiled));
}

ContentDigest ContentAnalyzer::analyze(std::string_view body, std::string_view page_url,
                                       std::string_view content_type) const {
  const Compiled& c = *compiled_;
  ContentDigest d;

  const std::string_view page_host = content_detail::link_host(page_url).value_or(std::string_view());
  ReadPage read = read_page(body, content_type, page_host, c.allowed_hosts);
  content_detail::DecodedBody& decoded = read.decoded;
  content_detail::ScannedPage& page = read.page;
  content_detail::PageInspection& inspection = read.inspection;
  d.hidden_links = std::move(inspection.hidden_links);
  d.foreign_code = std::move(inspection.foreign_code);
  if (!decoded.undecodable.empty()) d.blind_spot = "charset_undecodable: " + decoded.undecodable;
  d.structure = std::move(page.structure);
  const std::string& page_text = page.text;

  d.text =
      c.regions
          ? content_detail::normalised(c.regions->select_text(decoded.text(body), page_url, decoded.utf8.has_value()))
          : page_text;
  // Regions that select no text leave nothing to compare: a redesigned
  // site, or a defacement that replaced the page, must not pass unseen.
  if (c.regions && d.text.empty() && d.blind_spot.empty()) d.blind_spot = "region_empty: " + c.region_list;
  if (!c.ignore.empty()) d.text = c.ignore.remove_from(std::move(d.text));
  d.text_sha256 = sha256_hex(d.text);
  d.structure_sha256 = sha256_hex(d.structure);

  const std::vector<std::string> present = c.required_matcher->find(d.text);
  for (const std::string& keyword : c.required) {
    if (!keyword.empty() && !std::binary_search(present.begin(), present.end(), keyword)) {
      d.required_missing.push_back(keyword);
    }
  }

  // Harmful content counts wherever a reader or a search engine sees it:
  // all of the page's text (not only the watched regions, and before
  // ignore patterns), its title, meta descriptions and link targets, and
  // the words it carries elsewhere: img alt, title attributes, HTML that
  // scripts write, CSS content: (PageInspection::extra_text).
  if (c.harmful) {
    std::vector<std::string> found = c.harmful->find(page_text);
    const auto add = [&](std::string_view text) {
      const std::vector<std::string> more = c.harmful->find(text);
      found.insert(found.end(), more.begin(), more.end());
    };
    add(d.structure);
    for (const auto& [where, text] : inspection.extra_text) add(text);
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    d.harmful_found = std::move(found);
  }
  return d;
}

}  // namespace netwarden
