#include "probes/content/keyword_matcher.h"

#include <algorithm>
#include <cstdint>
#include <new>
#include <utility>

#include "common/text_file.h"
#include "probes/content/keyword_list.h"
#include "probes/content/literal_set.h"
#include "probes/content/text_fold.h"
#include "probes/content/utf8.h"

namespace netwarden {

using content_detail::FoldedText;
using content_detail::KeywordCategory;
using content_detail::KeywordLine;
using content_detail::KeywordList;
using content_detail::LiteralSet;

struct KeywordMatcher::Rules {
  struct Keyword {
    std::string written;
    std::size_t category;
    std::uint32_t length;  // folded, in bytes
  };
  struct Exception {
    std::size_t category;  // 0: the whole file
    std::uint32_t length;
  };
  std::vector<KeywordCategory> categories;
  std::vector<Keyword> keywords;      // sorted by `written`; pattern i is keyword i
  std::vector<Exception> exceptions;  // pattern keywords.size() + j is exception j
  LiteralSet literals;
};

namespace {

// Characters of context a quote shows on either side of a match, and at
// most of the match itself (separators between CJK characters can make the
// original much longer than the keyword).
constexpr std::size_t kQuoteContext = 20;
constexpr std::size_t kQuoteMatch = 60;

std::string category_label(const KeywordList& list, std::size_t category) {
  return category == 0 ? "without a category" : "in category '" + list.categories[category].name + "'";
}

std::string at_line(std::string_view name, std::size_t line) {
  return std::string(name) + ":" + std::to_string(line) + ": ";
}

// Folds the list's keywords and exceptions into patterns. Keywords that
// fold alike are one keyword (the first written); in two categories they
// are an error. Lines from no file (number 0) that fold to nothing are
// dropped; from a file, an error.
Result<std::unique_ptr<KeywordMatcher::Rules>> compile(KeywordList list, std::string_view name) {
  struct Folded {
    std::string folded;
    std::size_t index;
  };
  std::vector<Folded> folded;
  for (std::size_t i = 0; i < list.keywords.size(); ++i) {
    std::string f = content_detail::fold_keyword(list.keywords[i].text);
    if (f.empty()) {
      if (list.keywords[i].line == 0) continue;
      return fail(at_line(name, list.keywords[i].line) + "keyword is empty once folded (only invisible characters?)");
    }
    folded.push_back({std::move(f), i});
  }
  std::stable_sort(folded.begin(), folded.end(), [](const Folded& a, const Folded& b) { return a.folded < b.folded; });
  std::vector<Folded> distinct;
  for (Folded& f : folded) {
    if (!distinct.empty() && distinct.back().folded == f.folded) {
      const KeywordLine& first = list.keywords[distinct.back().index];
      const KeywordLine& again = list.keywords[f.index];
      if (first.category != again.category) {
        return fail(at_line(name, again.line) + "'" + again.text + "' is also " + category_label(list, first.category) +
                    " (line " + std::to_string(first.line) + ")");
      }
      continue;
    }
    distinct.push_back(std::move(f));
  }
  std::sort(distinct.begin(), distinct.end(), [&](const Folded& a, const Folded& b) {
    return list.keywords[a.index].text < list.keywords[b.index].text;
  });
  std::vector<std::string> patterns;
  std::vector<KeywordMatcher::Rules::Keyword> keywords;
  std::vector<KeywordMatcher::Rules::Exception> exceptions;
  for (Folded& f : distinct) {
    KeywordLine& line = list.keywords[f.index];
    keywords.push_back({std::move(line.text), line.category, static_cast<std::uint32_t>(f.folded.size())});
    patterns.push_back(std::move(f.folded));
  }
  for (const KeywordLine& line : list.exceptions) {
    std::string f = content_detail::fold_keyword(line.text);
    if (f.empty()) return fail(at_line(name, line.line) + "exception phrase is empty once folded");
    exceptions.push_back({line.category, static_cast<std::uint32_t>(f.size())});
    patterns.push_back(std::move(f));
  }
  Result<LiteralSet> literals = LiteralSet::compile(patterns);
  if (!literals) return fail(std::string(name) + ": " + literals.error().message);
  return std::make_unique<KeywordMatcher::Rules>(KeywordMatcher::Rules{std::move(list.categories), std::move(keywords),
                                                                       std::move(exceptions), std::move(*literals)});
}

// Where `count` characters before `at` start.
std::size_t step_back(std::string_view text, std::size_t at, std::size_t count) {
  for (; count > 0 && at > 0; --count) {
    --at;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  }
  return at;
}

// Appends up to `limit` characters of text[begin, end) as valid UTF-8,
// controls made spaces; returns where it stopped.
std::size_t append_chars(std::string& out, std::string_view text, std::size_t begin, std::size_t end,
                         std::size_t limit) {
  std::size_t at = begin;
  for (; at < end && limit > 0; --limit) {
    const content_detail::Utf8Char c = content_detail::decode_utf8(text, at);
    content_detail::append_utf8(out, !c.valid ? char32_t{0xFFFD} : c.code < 0x20 ? char32_t{' '} : c.code);
    at += c.length;
  }
  return at;
}

// The original text of folded bytes [begin, end) with some context, "…"
// where it is cut.
std::string quote(std::string_view original, const FoldedText& folded, std::size_t begin, std::size_t end) {
  std::size_t from = std::min(folded.original_offset(begin), original.size());
  std::size_t to = std::min(folded.original_offset(end), original.size());
  while (from > 0 && (static_cast<unsigned char>(original[from]) & 0xC0) == 0x80) --from;
  while (to < original.size() && (static_cast<unsigned char>(original[to]) & 0xC0) == 0x80) ++to;
  const std::size_t before = step_back(original, from, kQuoteContext);
  std::string out = before > 0 ? "…" : "";
  append_chars(out, original, before, from, kQuoteContext);
  if (append_chars(out, original, from, to, kQuoteMatch) < to) out += "…";
  if (append_chars(out, original, to, original.size(), kQuoteContext) < original.size()) out += "…";
  return out;
}

// Exception occurrences in one text, to ask whether a match lies inside
// one of its category's (or the whole file's).
class Exceptions {
 public:
  void add(std::size_t category, std::uint32_t begin, std::uint32_t end) { spans_.push_back({category, begin, end}); }

  void prepare() {
    std::sort(spans_.begin(), spans_.end());
    // Within each category, `end` becomes the furthest end so far.
    for (std::size_t i = 1; i < spans_.size(); ++i) {
      if (spans_[i].category == spans_[i - 1].category) spans_[i].end = std::max(spans_[i].end, spans_[i - 1].end);
    }
  }

  bool covers(std::size_t category, std::uint32_t begin, std::uint32_t end) const {
    return covered_by(0, begin, end) || (category != 0 && covered_by(category, begin, end));
  }

  bool empty() const { return spans_.empty(); }

 private:
  struct Span {
    std::size_t category;
    std::uint32_t begin;
    std::uint32_t end;
    auto operator<=>(const Span&) const = default;
  };

  bool covered_by(std::size_t category, std::uint32_t begin, std::uint32_t end) const {
    // The last span of the category starting at or before `begin`.
    auto it = std::upper_bound(spans_.begin(), spans_.end(), Span{category, begin, UINT32_MAX});
    return it != spans_.begin() && (--it)->category == category && it->end >= end;
  }

  std::vector<Span> spans_;
};

}  // namespace

KeywordMatcher::KeywordMatcher(std::unique_ptr<const Rules> rules) : rules_(std::move(rules)) {}
KeywordMatcher::~KeywordMatcher() = default;

Result<std::shared_ptr<const KeywordMatcher>> KeywordMatcher::from_list(const std::vector<std::string>& keywords) {
  KeywordList list;
  for (const std::string& k : keywords) list.keywords.push_back({k, 0, 0});
  // One category, and lines from no file that fold to nothing are dropped:
  // only Hyperscan can fail.
  Result<std::unique_ptr<Rules>> rules = compile(std::move(list), "required keywords");
  if (!rules) return std::unexpected(rules.error());
  return std::make_shared<const KeywordMatcher>(std::move(*rules));
}

Result<std::shared_ptr<const KeywordMatcher>> KeywordMatcher::parse(std::string_view content, std::string_view name) {
  Result<KeywordList> list = content_detail::parse_keyword_list(content, name);
  if (!list) return std::unexpected(list.error());
  Result<std::unique_ptr<Rules>> rules = compile(std::move(*list), name);
  if (!rules) return std::unexpected(rules.error());
  return std::make_shared<const KeywordMatcher>(std::move(*rules));
}

Result<std::shared_ptr<const KeywordMatcher>> KeywordMatcher::load_file(const std::string& path) {
  Result<std::string> content = read_text_file(path);
  if (!content) return fail("cannot read '" + path + "': " + content.error().message);
  return parse(*content, path);
}

std::vector<KeywordHit> KeywordMatcher::scan(std::span<const PageText> texts) const {
  const Rules& r = *rules_;
  std::vector<KeywordHit> hits;
  std::vector<std::size_t> hit_keyword;  // per hit, its keyword's index
  std::vector<LiteralSet::Match> matches;
  for (const PageText& text : texts) {
    const FoldedText folded = content_detail::fold_text(text.text);
    matches.clear();
    r.literals.find_all(folded.text, matches);
    Exceptions exceptions;
    for (const LiteralSet::Match& m : matches) {
      if (m.pattern < r.keywords.size()) continue;
      const Rules::Exception& e = r.exceptions[m.pattern - r.keywords.size()];
      exceptions.add(e.category, m.end - e.length, m.end);
    }
    exceptions.prepare();
    for (const LiteralSet::Match& m : matches) {
      if (m.pattern >= r.keywords.size()) continue;
      const Rules::Keyword& k = r.keywords[m.pattern];
      const std::uint32_t begin = m.end - k.length;
      if (!exceptions.empty() && exceptions.covers(k.category, begin, m.end)) continue;
      const auto seen = std::find(hit_keyword.begin(), hit_keyword.end(), m.pattern);
      if (seen != hit_keyword.end()) {
        ++hits[static_cast<std::size_t>(seen - hit_keyword.begin())].count;
        continue;
      }
      const KeywordCategory& c = r.categories[k.category];
      hits.push_back(
          {k.written, c.name, c.severity, std::string(text.where), quote(text.text, folded, begin, m.end), 1});
      hit_keyword.push_back(m.pattern);
    }
  }
  std::vector<int> per_category(r.categories.size());
  for (std::size_t i = 0; i < hits.size(); ++i) per_category[r.keywords[hit_keyword[i]].category] += hits[i].count;
  std::vector<std::pair<std::size_t, KeywordHit>> kept;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const std::size_t category = r.keywords[hit_keyword[i]].category;
    if (per_category[category] >= r.categories[category].min_count)
      kept.emplace_back(hit_keyword[i], std::move(hits[i]));
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<KeywordHit> result;
  result.reserve(kept.size());
  for (auto& [keyword, hit] : kept) result.push_back(std::move(hit));
  return result;
}

std::vector<std::string> KeywordMatcher::find(std::string_view text) const {
  const PageText page[] = {{"text", text}};
  std::vector<std::string> found;
  for (KeywordHit& hit : scan(page)) found.push_back(std::move(hit.keyword));
  return found;
}

std::size_t KeywordMatcher::size() const { return rules_->keywords.size(); }

}  // namespace netwarden
