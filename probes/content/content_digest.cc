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
#include "probes/content/xpath_regions.h"

namespace netwarden {

using content_detail::IgnorePatterns;
using content_detail::XPathRegions;

struct ContentAnalyzer::Compiled {
  std::optional<XPathRegions> regions;  // none: the whole page
  IgnorePatterns ignore;
  std::vector<std::string> required;
  std::shared_ptr<const KeywordMatcher> required_matcher;
  std::shared_ptr<const KeywordMatcher> harmful;
};

ContentAnalyzer::ContentAnalyzer(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Result<ContentAnalyzer> ContentAnalyzer::create(ContentRules rules) {
  auto compiled = std::make_shared<Compiled>();
  if (!rules.regions.empty()) {
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

ContentDigest ContentAnalyzer::analyze(std::string_view body, std::string_view page_url,
                                       std::string_view content_type) const {
  const Compiled& c = *compiled_;
  ContentDigest d;

  // The structure always covers the whole page: an injected link or script
  // is defacement wherever it sits, regions or not. The body is read in
  // the encoding a browser would use (charset.h): the byte order mark or
  // the header first, else the page's own <meta>, which needs a scan to
  // find.
  const std::string_view page_host = content_detail::link_host(page_url).value_or(std::string_view());
  content_detail::DecodedBody decoded = content_detail::decode_by_header(body, content_type);
  content_detail::ScannedPage page = content_detail::scan_html(decoded.text(body), page_host);
  if (!decoded.certain && !page.charset.empty()) {
    decoded = content_detail::decode_by_meta(body, page.charset);
    if (decoded.utf8) page = content_detail::scan_html(*decoded.utf8, page_host);
  }
  if (!decoded.undecodable.empty()) d.blind_spot = "charset_undecodable: " + decoded.undecodable;
  d.structure = std::move(page.structure);
  const std::string& page_text = page.text;

  d.text =
      c.regions
          ? content_detail::normalised(c.regions->select_text(decoded.text(body), page_url, decoded.utf8.has_value()))
          : page_text;
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
