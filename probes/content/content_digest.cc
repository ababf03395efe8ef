#include "probes/content/content_digest.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "common/sha256.h"
#include "probes/content/charset.h"
#include "probes/content/html_scanner.h"
#include "probes/content/ignore_patterns.h"
#include "probes/content/keyword_matcher.h"
#include "probes/content/link_host.h"
#include "probes/content/text_normaliser.h"
#include "probes/content/utf8.h"
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
};

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
  return ContentAnalyzer(std::move(compiled));
}

ContentDigest ContentAnalyzer::analyze(std::string_view body, std::string_view page_url) const {
  const Compiled& c = *compiled_;
  ContentDigest d;

  // The structure always covers the whole page: an injected link or script
  // is defacement wherever it sits, regions or not.
  const std::string_view page_host = content_detail::link_host(page_url).value_or(std::string_view());
  content_detail::ScannedPage page = content_detail::scan_html(body, page_host);
  if (!page.charset.empty() && !content_detail::is_utf8_charset(page.charset) &&
      content_detail::first_invalid_utf8(body) != std::string_view::npos) {
    if (std::optional<std::string> utf8 = content_detail::to_utf8(body, page.charset)) {
      page = content_detail::scan_html(*utf8, page_host);
    }
  }
  d.structure = std::move(page.structure);
  const std::string& page_text = page.text;

  d.text = c.regions ? content_detail::normalised(c.regions->select_text(body, page_url)) : page_text;
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
  // ignore patterns) and its title, meta descriptions and link targets.
  if (c.harmful) {
    std::vector<std::string> in_text = c.harmful->find(page_text);
    std::vector<std::string> in_structure = c.harmful->find(d.structure);
    std::set_union(in_text.begin(), in_text.end(), in_structure.begin(), in_structure.end(),
                   std::back_inserter(d.harmful_found));
  }
  return d;
}

}  // namespace netwarden
