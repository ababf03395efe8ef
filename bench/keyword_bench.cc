// Keyword matching with 2,000 keywords (1,500 Chinese, 500 Latin) over
// generated Chinese pages of 20 KB and 200 KB: folding (text_fold.h),
// Hyperscan's literal matching over the folded text (literal_set.h), and a
// whole KeywordMatcher::scan(). Run: taskset -c 0 build/bench/keyword_bench
// (bench/README.md has the figures, and those of the Aho–Corasick automaton
// Hyperscan replaced).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "probes/content/keyword_matcher.h"
#include "probes/content/literal_set.h"
#include "probes/content/text_fold.h"

namespace {

using netwarden::content_detail::LiteralSet;

// The 300 or so most common characters of Chinese text, so that keywords
// made of them start partial matches everywhere, as real lists do.
constexpr std::string_view kCommon =
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多"
    "定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由"
    "其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意"
    "建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统"
    "接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质信教育网络安全学校工作会议部署重点";

std::vector<std::string> common_characters() {
  std::vector<std::string> chars;
  for (std::size_t i = 0; i < kCommon.size(); i += 3) chars.emplace_back(kCommon.substr(i, 3));
  return chars;
}

// 1,500 Chinese keywords of 2 to 4 characters and 500 Latin ones, fixed seed.
std::vector<std::string> keyword_list() {
  std::mt19937 rng(13);
  const std::vector<std::string> chars = common_characters();
  std::vector<std::string> keywords;
  for (int i = 0; i < 1500; ++i) {
    std::string k;
    for (std::size_t n = 2 + rng() % 3; n > 0; --n) k += chars[rng() % chars.size()];
    keywords.push_back(k);
  }
  for (int i = 0; i < 500; ++i) {
    std::string k;
    for (std::size_t n = 5 + rng() % 6; n > 0; --n) k += static_cast<char>('a' + rng() % 26);
    keywords.push_back(k);
  }
  return keywords;
}

// Sentences of common characters with Chinese punctuation, now and then a
// Latin word or a number: what a portal's news list reads like.
std::string chinese_page(std::size_t bytes) {
  std::mt19937 rng(7);
  const std::vector<std::string> chars = common_characters();
  std::string page;
  while (page.size() < bytes) {
    for (std::size_t n = 8 + rng() % 20; n > 0; --n) page += chars[rng() % chars.size()];
    switch (rng() % 6) {
      case 0: page += " Network security 2024 "; break;
      case 1: page += "。"; break;
      case 2: page += "、"; break;
      case 3: page += "“通知”"; break;
      default: page += "，"; break;
    }
  }
  return page;
}

std::string folded_page(std::size_t bytes) { return netwarden::content_detail::fold_text(chinese_page(bytes)).text; }

void BM_Fold(benchmark::State& state) {
  const std::string page = chinese_page(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(netwarden::content_detail::fold_text(page));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_Fold)->Arg(20 << 10)->Arg(200 << 10)->Unit(benchmark::kMicrosecond);

void BM_Literals(benchmark::State& state) {
  std::vector<std::string> patterns;
  for (const std::string& k : keyword_list()) patterns.push_back(netwarden::content_detail::fold_keyword(k));
  const auto literals = LiteralSet::compile(patterns);
  if (!literals) {
    state.SkipWithError(literals.error().message.c_str());
    return;
  }
  const std::string text = folded_page(static_cast<std::size_t>(state.range(0)));
  std::vector<LiteralSet::Match> matches;
  for (auto _ : state) {
    matches.clear();
    literals->find_all(text, matches);
    benchmark::DoNotOptimize(matches.data());
  }
  state.counters["matches"] = static_cast<double>(matches.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Literals)->Arg(20 << 10)->Arg(200 << 10)->Unit(benchmark::kMicrosecond);

// What content_digest pays per page text: folding, matching, exceptions,
// hits and quotes.
void BM_KeywordScan(benchmark::State& state) {
  const auto matcher = netwarden::KeywordMatcher::from_list(keyword_list()).value();
  const std::string page = chinese_page(static_cast<std::size_t>(state.range(0)));
  const netwarden::PageText texts[] = {{"text", page}};
  std::size_t hits = 0;
  for (auto _ : state) {
    const auto found = matcher->scan(texts);
    hits = found.size();
    benchmark::DoNotOptimize(found.data());
  }
  state.counters["keywords_found"] = static_cast<double>(hits);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_KeywordScan)->Arg(20 << 10)->Arg(200 << 10)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
