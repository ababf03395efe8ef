#include "probes/content/content_digest.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "probes/content/charset.h"
#include "probes/content/html_scanner.h"
#include "probes/content/ignore_patterns.h"
#include "probes/content/keyword_matcher.h"
#include "probes/content/link_host.h"
#include "probes/content/page_inspector.h"
#include "probes/content/personal_data.h"
#include "probes/content/text_fold.h"
#include "probes/content/text_normaliser.h"
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
  std::string region_list;              // the expressions as written, for a blind spot's reason
  IgnorePatterns ignore;
  std::vector<std::string> required;
  std::vector<std::string> required_folded;  // as the matcher compares them
  std::shared_ptr<const KeywordMatcher> required_matcher;
  std::shared_ptr<const KeywordMatcher> harmful;
  std::vector<std::string> allowed_hosts;
  PersonalDataRules personal_data;
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

// Harmful content and personal data count wherever a reader or a search
// engine sees them: all of the page's text (not only the watched regions,
// and before ignore patterns), its title, meta descriptions and link
// targets, and the words it carries elsewhere: img alt, title attributes,
// HTML that scripts write, CSS content: (PageInspection::extra_text).
std::vector<PageText> page_texts(std::string_view page_text, std::string_view structure,
                                 const content_detail::PageInspection& inspection) {
  std::vector<PageText> texts{{"text", page_text}};
  append_structure_texts(structure, texts);
  // The structure's lines already hold the meta description and keywords.
  for (const auto& [where, text] : inspection.extra_text) {
    if (where != "meta description" && where != "meta keywords") texts.push_back({where, text});
  }
  return texts;
}

// A hidden link whose words carry a keyword is bought spam: its finding
// names them, which sends its incident to the top of the chain at once.
void find_harmful(const KeywordMatcher& harmful, const std::vector<PageText>& texts, ContentDigest& d) {
  d.harmful_hits = harmful.scan(texts);
  for (const KeywordHit& hit : d.harmful_hits) d.harmful_found.push_back(hit.keyword);
  std::sort(d.harmful_found.begin(), d.harmful_found.end());
  for (PageFinding& link : d.hidden_links) {
    if (!link.text.empty()) link.keywords = harmful.find(link.text);
  }
}

// Whatever of the page is kept (the store's baselines and samples, the
// ledger, mails and their diffs) holds no full ID, card or mobile number.
void mask_kept_texts(ContentDigest& d, std::chrono::year_month_day today) {
  auto mask = [today](std::string& s) { s = content_detail::mask_personal_numbers(s, today); };
  mask(d.text);
  mask(d.structure);
  for (auto* findings : {&d.hidden_links, &d.foreign_code}) {
    for (PageFinding& f : *findings) {
      mask(f.what);
      mask(f.text);
    }
  }
}

// Personal data in all of the page's texts; harmful keywords in the same
// texts with the numbers masked, since a quote's context may end inside a
// number, where it is no longer recognisable; then what is kept masked.
void find_in_texts(const KeywordMatcher* harmful, const PersonalDataRules& rules, const std::vector<PageText>& texts,
                   ContentDigest& d) {
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  std::vector<std::string_view> views;
  std::vector<std::string> masked;
  views.reserve(texts.size());
  masked.reserve(texts.size());
  for (const PageText& t : texts) {
    views.push_back(t.text);
    masked.push_back(content_detail::mask_personal_numbers(t.text, today));
  }
  d.personal_data = content_detail::find_personal_data(views, rules, today);
  if (harmful) {
    std::vector<PageText> masked_texts;
    masked_texts.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) masked_texts.push_back({texts[i].where, masked[i]});
    find_harmful(*harmful, masked_texts, d);
  }
  mask_kept_texts(d, today);
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
  for (const std::string& keyword : compiled->required) {
    compiled->required_folded.push_back(content_detail::fold_keyword(keyword));
  }
  Result<std::shared_ptr<const KeywordMatcher>> required = KeywordMatcher::from_list(compiled->required);
  if (!required) return std::unexpected(required.error());
  compiled->required_matcher = std::move(*required);
  compiled->harmful = std::move(rules.harmful);
  compiled->allowed_hosts = std::move(rules.allowed_hosts);
  compiled->personal_data = std::move(rules.personal_data);
  return ContentAnalyzer(std::move(compiled));
}

// A site's own name is nearly always there as written: only when some
// required keyword is not does the text need folding. Keywords that fold
// alike are one to the matcher, which reports the first as written: so
// compare folded forms.
std::vector<std::string> ContentAnalyzer::missing_required(const Compiled& c, const std::string& text) {
  std::vector<std::string> missing;
  const bool all_verbatim = std::all_of(c.required.begin(), c.required.end(), [&](const std::string& keyword) {
    return text.find(keyword) != std::string::npos;
  });
  if (all_verbatim) return missing;
  std::vector<std::string> present;
  for (const std::string& keyword : c.required_matcher->find(text)) {
    present.push_back(content_detail::fold_keyword(keyword));
  }
  for (std::size_t i = 0; i < c.required.size(); ++i) {
    const std::string& folded = c.required_folded[i];
    if (!folded.empty() && std::find(present.begin(), present.end(), folded) == present.end()) {
      missing.push_back(c.required[i]);
    }
  }
  return missing;
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
  d.links = std::move(inspection.links);
  d.base_href = std::move(inspection.base);
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
  d.required_missing = missing_required(c, d.text);

  find_in_texts(c.harmful.get(), c.personal_data, page_texts(page_text, d.structure, inspection), d);
  d.text_sha256 = sha256_hex(d.text);
  d.structure_sha256 = sha256_hex(d.structure);
  return d;
}

ContentDigest ContentAnalyzer::analyze_text(std::string_view text) const {
  const Compiled& c = *compiled_;
  ContentDigest d;
  d.text = content_detail::normalised(text);
  find_in_texts(c.harmful.get(), c.personal_data, {{"file", d.text}}, d);
  d.text_sha256 = sha256_hex(d.text);
  d.structure_sha256 = sha256_hex(d.structure);
  return d;
}

}  // namespace netwarden
