// Fuzz target: a fetched page body through the content analyser (the HTML
// scanner, libxml2's regions, ignore patterns, keyword matching) and,
// separately, through the text normaliser and the scanner reporting
// PageEvents. The first input byte picks the rules (bit 0: none, or
// regions + ignore patterns + keywords) and the Content-Type (bits 1-2).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/content/content_digest.h"
#include "probes/content/html_scanner.h"
#include "probes/content/keyword_matcher.h"
#include "probes/content/text_normaliser.h"
#include "probes/content/utf8.h"

namespace {

const netwarden::ContentAnalyzer& analyzer(bool with_rules) {
  static const netwarden::ContentAnalyzer plain = *netwarden::ContentAnalyzer::create({});
  static const netwarden::ContentAnalyzer ruled = *netwarden::ContentAnalyzer::create({
      .regions = {"//main", "//div[@id='news']"},
      .ignore = {"\\d{4}-\\d{2}-\\d{2}", "访问量：\\d+"},
      .required_keywords = {"学校", "news"},
      .harmful = netwarden::KeywordMatcher::from_list({"赌博", "casino", "a", "ab"}).value(),
      .allowed_hosts = {"cdn.example.com"},
      // Low minimums, so that every number found makes a finding.
      .personal_data =
          {.min_id_numbers = 1, .min_bank_cards = 1, .min_mobile_numbers = 1, .allowed_numbers = {"13812345678"}},
  });
  return with_rules ? ruled : plain;
}

// Reads every byte the scanner hands out, so that a view past the body
// shows under the sanitizers.
struct ReadEverything : netwarden::content_detail::PageEvents {
  unsigned sum = 0;
  void read(std::string_view s) {
    for (char c : s) sum += static_cast<unsigned char>(c);
  }
  void start_tag(std::string_view name, std::span<const netwarden::content_detail::TagAttribute> attributes,
                 bool) override {
    read(name);
    for (const auto& a : attributes) {
      read(a.name);
      read(a.value);
    }
  }
  void end_tag(std::string_view name) override { read(name); }
  void text(std::string_view decoded) override { read(decoded); }
  void script(std::string_view source) override { read(source); }
  void style(std::string_view css) override { read(css); }
};

constexpr std::string_view kContentTypes[] = {"", "text/html; charset=gbk", "text/html; charset=utf-16le",
                                              "text/html; charset=big5"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const netwarden::ContentDigest digest =
      analyzer(data[0] & 1).analyze(body, "https://www.example.edu.cn/index", kContentTypes[(data[0] >> 1) & 3]);
  // Both outputs are promised to be valid UTF-8 whatever the input.
  using netwarden::content_detail::first_invalid_utf8;
  if (first_invalid_utf8(digest.text) != std::string_view::npos) __builtin_trap();
  if (first_invalid_utf8(digest.structure) != std::string_view::npos) __builtin_trap();
  if (first_invalid_utf8(netwarden::content_detail::normalised(body)) != std::string_view::npos) __builtin_trap();
  ReadEverything events;
  netwarden::content_detail::scan_html(body, "www.example.edu.cn", &events);
  return 0;
}
