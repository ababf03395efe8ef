#include "probes/content/content_digest.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "probes/content/charset.h"
#include "probes/content/html_scanner.h"
#include "probes/content/ignore_patterns.h"
#include "probes/content/keyword_matcher.h"
#include "probes/content/link_host.h"
#include "probes/content/text_fold.h"
#include "probes/content/text_normaliser.h"
#include "probes/content/utf8.h"
#include "probes/content/xpath_regions.h"

namespace netwarden {

using content_detail::IgnorePatterns;
using content_detail::XPathRegions;

namespace {

// The structure's lines as texts to match, each named by its kind ("title",
// "meta name=description", "external-link", ...), without the label.
void append_structure_texts(std::string_view structure, std::vector<PageText>& texts) {
  while (!structure.empty()) {
    const std::size_t end = std::min(structure.find('\n'), structure.size());
    const std::string_view line = structure.substr(0, end);
    structure.remove_prefix(std::min(end + 1, structure.size()));
    constexpr std::string_view kContent = " content=";
    const std::size_t content = line.starts_with("meta ") ? line.find(kContent) : std::string_view::npos;
    if (content != std::string_view::npos) {
      texts.push_back({line.substr(0, content), line.substr(content + kContent.size())});
    } else if (const std::size_t colon = line.find(": "); colon != std::string_view::npos) {
      texts.push_back({line.substr(0, colon), line.substr(colon + 2)});
    } else {
      texts.push_back({"structure", line});
    }
  }
}

}  // namespace

struct ContentAnalyzer::Compiled {
  std::optional<XPathRegions> regions;  // none: the whole page
  IgnorePatterns ignore;
  std::vector<std::string> required;
  std::vector<std::string> required_folded;  // as the matcher compares them
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
  for (const std::string& keyword : compiled->required) {
    compiled->required_folded.push_back(content_detail::fold_keyword(keyword));
  }
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
  if (!c.ignore.empty()) d.text = c.ignore.remove_from(std::move(d.text));
  d.text_sha256 = sha256_hex(d.text);
  d.structure_sha256 = sha256_hex(d.structure);

  // A site's own name is nearly always there as written: only when some
  // required keyword is not does the text need folding. Keywords that fold
  // alike are one to the matcher, which reports the first as written: so
  // compare folded forms.
  const bool all_verbatim = std::all_of(c.required.begin(), c.required.end(), [&](const std::string& keyword) {
    return d.text.find(keyword) != std::string::npos;
  });
  if (!all_verbatim) {
    std::vector<std::string> present;
    for (const std::string& keyword : c.required_matcher->find(d.text)) {
      present.push_back(content_detail::fold_keyword(keyword));
    }
    for (std::size_t i = 0; i < c.required.size(); ++i) {
      const std::string& folded = c.required_folded[i];
      if (!folded.empty() && std::find(present.begin(), present.end(), folded) == present.end()) {
        d.required_missing.push_back(c.required[i]);
      }
    }
  }

  // Harmful content counts wherever a reader or a search engine sees it:
  // all of the page's text (not only the watched regions, and before
  // ignore patterns) and its title, meta descriptions and link targets.
  if (c.harmful) {
    std::vector<PageText> texts{{"text", page_text}};
    append_structure_texts(d.structure, texts);
    d.harmful_hits = c.harmful->scan(texts);
    for (const KeywordHit& hit : d.harmful_hits) d.harmful_found.push_back(hit.keyword);
  }
  return d;
}

}  // namespace netwarden
