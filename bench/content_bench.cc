// ContentAnalyzer::analyze() on a generated ~20 KB portal page: Chinese
// news items, navigation links (internal and a few external), scripts, a
// style block, entities. Run: build/bench/content_bench
#include <benchmark/benchmark.h>

#include <string>

#include "common/sha256.h"
#include "probes/content/content_digest.h"
#include "probes/content/html_scanner.h"
#include "probes/content/keyword_matcher.h"
#include "probes/content/page_inspector.h"

namespace {

std::string portal_page() {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
      "<title>某某大学 - 门户网站</title>\n"
      "<meta name=\"keywords\" content=\"大学,教育,科研,招生\">\n"
      "<meta name=\"description\" content=\"某某大学官方网站\">\n"
      "<link rel=\"stylesheet\" href=\"/static/css/main.css\">\n"
      "<script src=\"/static/js/jquery.min.js\"></script>\n"
      "<style>body{font-family:'Microsoft YaHei',sans-serif}.nav li{float:left;margin:0 8px}</style>\n"
      "<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
      "hm.src='https://hm.baidu.com/hm.js?abc';})();</script>\n"
      "</head><body><div class=\"header\"><ul class=\"nav\">\n";
  for (int i = 0; i < 12; ++i) {
    page += "<li><a href=\"/column/" + std::to_string(i) + "/index.html\">栏目" + std::to_string(i) + "</a></li>\n";
  }
  page += "</ul></div>\n<div id=\"content\" class=\"main\">\n";
  int item = 0;
  while (page.size() < 18 * 1024) {
    page += "<div class=\"news-item\"><h3><a href=\"/info/1012/" + std::to_string(1000 + item) +
            ".htm\" title=\"新闻\">学校召开2024年网络安全工作会议&nbsp;部署重点任务</a></h3>\n"
            "<p>为深入贯彻落实网络安全责任制，学校于近日召开专题会议，研究部署下一阶段工作。"
            "Network security &amp; data protection were discussed &mdash; see &#8220;notice&#8221;.</p>\n"
            "<span class=\"date\">2024-05-" +
            std::to_string(10 + item % 20) + "</span></div>\n";
    ++item;
  }
  page +=
      "</div>\n<div class=\"footer\"><a href=\"http://www.moe.gov.cn/\">教育部</a> | "
      "<a href=\"https://www.gov.cn/\">中国政府网</a><!-- 统计代码 -->\n"
      "<p>版权所有 &copy; 某某大学 地址：某某市某某路1号 邮编：100000</p>\n"
      "<script src=\"/static/js/main.js\"></script></div></body></html>\n";
  return page;
}

// Rules as a typical portal target has them; `date_pattern` is the ignore
// pattern for the news dates. Under PCRE2_UCP, \d means any Unicode digit,
// and testing every CJK character for that costs far more than [0-9].
void analyze_portal(benchmark::State& state, const char* date_pattern) {
  std::vector<std::string> harmful;
  for (int i = 0; i < 50; ++i) harmful.push_back("有害词" + std::to_string(i));
  harmful.push_back("赌博");
  harmful.push_back("casino");
  netwarden::ContentRules rules;
  rules.ignore = {date_pattern};
  rules.required_keywords = {"某某大学"};
  rules.harmful = netwarden::KeywordMatcher::from_list(harmful).value();
  auto analyzer = netwarden::ContentAnalyzer::create(rules);
  if (!analyzer) {
    state.SkipWithError(analyzer.error().message.c_str());
    return;
  }
  const std::string page = portal_page();
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyzer->analyze(page, "https://www.example.edu.cn/index.html"));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
  state.counters["page_bytes"] = static_cast<double>(page.size());
}
BENCHMARK_CAPTURE(analyze_portal, ascii_digits, R"([0-9]{4}-[0-9]{2}-[0-9]{2})")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(analyze_portal, unicode_digits, R"(\d{4}-\d{2}-\d{2})")->Unit(benchmark::kMicrosecond);

// What the page inspector (hidden links, foreign code, extra text) adds to
// the scan it listens to: the scanner alone, then with the inspector.
void BM_ScanHtml(benchmark::State& state) {
  const std::string page = portal_page();
  for (auto _ : state) benchmark::DoNotOptimize(netwarden::content_detail::scan_html(page, "www.example.edu.cn"));
}
BENCHMARK(BM_ScanHtml)->Unit(benchmark::kMicrosecond);

void BM_ScanHtmlInspected(benchmark::State& state) {
  const std::string page = portal_page();
  const std::vector<std::string> allowed = {"hm.baidu.com", "cdn.bootcdn.net"};
  for (auto _ : state) {
    netwarden::content_detail::PageInspector inspector("www.example.edu.cn", allowed);
    benchmark::DoNotOptimize(netwarden::content_detail::scan_html(page, "www.example.edu.cn", &inspector));
    benchmark::DoNotOptimize(std::move(inspector).result());
  }
}
BENCHMARK(BM_ScanHtmlInspected)->Unit(benchmark::kMicrosecond);

// The floor analyze() stands on: hashing the raw body alone. On a shared
// or throttled machine the ratio of the two is steadier than either time.
void BM_Sha256Body(benchmark::State& state) {
  const std::string page = portal_page();
  for (auto _ : state) benchmark::DoNotOptimize(netwarden::sha256_hex(page));
}
BENCHMARK(BM_Sha256Body)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
