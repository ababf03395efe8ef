// The content corpus (tests/content_corpus, README.md there): real-shaped
// campus and government pages carrying every disguise and hiding technique
// defacers use, and clean pages that must raise nothing. Real nginx serves
// them (its own config does the cloaking), the daemon's fetcher fetches
// them and ContentAnalyzer judges each against its row in expected.tsv.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "config/config.h"
#include "daemon/core/cloaking.h"
#include "probes/content/content_digest.h"
#include "probes/content/keyword_matcher.h"
#include "probes/web/http_fetcher.h"
#include "tests/support/blocking_fetcher.h"
#include "tests/support/nginx_server.h"
#include "tests/support/spawn.h"

namespace netwarden {
namespace {

namespace fs = std::filesystem;
using test::BlockingFetcher;
using test::NginxServer;

// The corpus site as a target with the shipped defaults.
WebTarget corpus_target() {
  WebTarget t;
  t.name = "东川大学";  // what the visitor from a Baidu search searched for
  return t;
}

// The cloaking variant the daemon fetches under this name with the shipped
// defaults, so that the corpus poses as the daemon does and a variant the
// daemon no longer fetches fails the table.
std::optional<CloakingVariant> shipped_variant(const std::string& name) {
  for (CloakingVariant& v : cloaking_variants(corpus_target())) {
    if (v.name == name) return std::move(v);
  }
  return std::nullopt;
}

const std::set<std::string> kVerdicts = {
    "clean",          "harmful:gambling", "harmful:pornography", "harmful:fraud", "harmful:political", "hidden_link",
    "malicious_code", "cloaking",         "blind_spot",          "privacy_leak"};

struct CorpusRow {
  std::string file;  // as stored in the corpus; served without a trailing ".gz"
  std::set<std::string> expect;
  std::string variant;                       // "-" or the name of a cloaking variant
  std::map<std::string, std::string> rules;  // "regions" -> XPath
  std::string technique;
  int line = 0;
};

std::string corpus_dir() {
  const char* source = std::getenv("NETWARDEN_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/tests/content_corpus";
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// expected.tsv: '#' comments, a header line, then one row per page. A bad
// row is a gtest failure naming its line.
std::vector<CorpusRow> read_table() {
  std::vector<CorpusRow> rows;
  std::stringstream in(test::read_file(corpus_dir() + "/expected.tsv"));
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#' || line.starts_with("file\t")) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');) cells.push_back(cell);
    if (cells.size() != 5) {
      ADD_FAILURE() << "expected.tsv:" << number << ": " << cells.size() << " columns, not 5";
      continue;
    }
    CorpusRow r{cells[0], {}, cells[2], {}, cells[4], number};
    for (const std::string& verdict : split(cells[1], ' ')) {
      EXPECT_TRUE(kVerdicts.contains(verdict)) << "expected.tsv:" << number << ": unknown verdict " << verdict;
      r.expect.insert(verdict);
    }
    if (cells[3] != "-") {
      for (const std::string& rule : split(cells[3], ';')) {
        const auto eq = rule.find('=');
        EXPECT_TRUE(eq != std::string::npos && rule.substr(0, eq) == "regions")
            << "expected.tsv:" << number << ": unknown rule " << rule;
        if (eq != std::string::npos) r.rules[rule.substr(0, eq)] = rule.substr(eq + 1);
      }
    }
    EXPECT_TRUE(r.variant == "-" || shipped_variant(r.variant))
        << "expected.tsv:" << number << ": the daemon fetches no cloaking variant named " << r.variant;
    EXPECT_TRUE(!r.expect.contains("cloaking") || r.variant != "-")
        << "expected.tsv:" << number << ": cloaking needs a variant to fetch";
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string served_path(const std::string& file) {
  return "/" + (file.ends_with(".gz") ? file.substr(0, file.size() - 3) : file);
}

std::vector<std::string> host_list() {
  std::vector<std::string> hosts;
  for (const std::string& line : split(test::read_file(corpus_dir() + "/allowed_hosts.txt"), '\n')) {
    if (line[0] != '#') hosts.push_back(line);
  }
  return hosts;
}

// What the daemon asks for a target with the shipped defaults
// (WebMonitor::check, cloaking_round), as the plain visitor or as the
// cloaking variant of that name.
FetchRequest request_for(const std::string& url, const std::string& variant) {
  WebTarget t = corpus_target();
  t.url = url;
  FetchRequest request{t.url, t.timeout, t.max_body, t.max_redirects, t.tls_verify, t.ca_file};
  if (std::optional<CloakingVariant> v = shipped_variant(variant)) {
    request.user_agent = v->user_agent;
    request.referer = v->referer;
  }
  return request;
}

// What one fetch of a page came to: the digest, or why there is none.
struct Judged {
  std::optional<ContentDigest> digest;
  std::string failure;
};

// Fetches and analyses as WebMonitor::check does; keep the two in step
// (when the analyser is given the HTTP charset, this passes it too).
Judged fetch_and_analyse(BlockingFetcher& fetch, const ContentAnalyzer& analyzer, const std::string& url,
                         const std::string& variant) {
  FetchResult r = fetch(request_for(url, variant));
  if (r.failure != FetchFailure::none) return {std::nullopt, std::string(to_string(r.failure)) + ": " + r.detail};
  if (r.status != 200) return {std::nullopt, "HTTP status " + std::to_string(r.status)};
  return {analyzer.analyze(r.body, r.final_url.empty() ? url : r.final_url, r.content_type), ""};
}

std::set<std::string> verdicts_of(const ContentDigest& d) {
  std::set<std::string> v;
  for (const KeywordHit& hit : d.harmful_hits) v.insert("harmful:" + hit.category);
  if (!d.hidden_links.empty()) v.insert("hidden_link");
  if (!d.foreign_code.empty()) v.insert("malicious_code");
  if (!d.blind_spot.empty()) v.insert("blind_spot");
  if (!d.personal_data.empty()) v.insert("privacy_leak");
  if (v.empty()) v.insert("clean");
  return v;
}

// Each finding once, so that two fetches of a page can be compared.
std::set<std::string> findings_of(const ContentDigest& d) {
  std::set<std::string> f;
  for (const KeywordHit& hit : d.harmful_hits) f.insert("harmful " + hit.keyword);
  for (const PageFinding& link : d.hidden_links) f.insert("hidden " + link.what);
  for (const PageFinding& code : d.foreign_code) f.insert("code " + code.what);
  return f;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : " ") + item;
  return out.empty() ? "(none)" : out;
}

// The evidence behind a verdict, for a failure message.
std::string evidence(const ContentDigest& d) {
  std::string out;
  for (const KeywordHit& h : d.harmful_hits) {
    out += "\n  keyword " + h.keyword + " [" + h.category + "] in " + h.where + ": " + h.quote;
  }
  for (const PageFinding& f : d.hidden_links) out += "\n  hidden link " + f.what + ": " + f.why;
  for (const PageFinding& f : d.foreign_code) out += "\n  foreign code " + f.what + ": " + f.why;
  if (!d.blind_spot.empty()) out += "\n  blind spot: " + d.blind_spot;
  for (const PersonalDataFinding& f : d.personal_data)
    out += "\n  personal data " + f.kind + ": " + std::to_string(f.count);
  if (!d.harmful_found.empty()) {
    out += "\n  harmful_found:";
    for (const std::string& k : d.harmful_found) out += " " + k;
  }
  return out;
}

class ContentCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rows_ = read_table();
    ASSERT_FALSE(rows_.empty());
    auto started = NginxServer::start({.server_config = test::read_file(corpus_dir() + "/nginx_server.conf"),
                                       .http_config = test::read_file(corpus_dir() + "/nginx_http.conf")});
    ASSERT_TRUE(started) << started.error().message;
    nginx_ = std::move(*started);
    for (const CorpusRow& row : rows_) nginx_->write_file(row.file, test::read_file(corpus_dir() + "/" + row.file));
    auto harmful = KeywordMatcher::load_file(corpus_dir() + "/harmful_keywords.txt");
    ASSERT_TRUE(harmful) << harmful.error().message;
    harmful_ = *harmful;
  }

  Result<ContentAnalyzer> analyzer_for(const CorpusRow& row) const {
    ContentRules rules;
    if (auto regions = row.rules.find("regions"); regions != row.rules.end()) rules.regions = {regions->second};
    rules.harmful = harmful_;
    rules.allowed_hosts = host_list();
    return ContentAnalyzer::create(std::move(rules));
  }

  // Whether the page came out as its row says; gtest failures say how not.
  bool judge(const CorpusRow& row) {
    auto analyzer = analyzer_for(row);
    if (!analyzer) {
      ADD_FAILURE() << "rules: " << analyzer.error().message;
      return false;
    }
    const std::string url = nginx_->url(served_path(row.file));
    const Judged plain = fetch_and_analyse(fetch_, *analyzer, url, "-");
    if (!plain.digest) {
      ADD_FAILURE() << "fetch failed: " << plain.failure;
      return false;
    }
    std::set<std::string> expect = row.expect;
    expect.erase("cloaking");
    if (expect.empty()) expect.insert("clean");
    const std::set<std::string> got = verdicts_of(*plain.digest);
    bool ok = got == expect;
    EXPECT_EQ(joined(got), joined(expect)) << row.technique << evidence(*plain.digest);
    if (row.variant == "-") return ok;

    const Judged variant = fetch_and_analyse(fetch_, *analyzer, url, row.variant);
    if (!variant.digest) {
      ADD_FAILURE() << "fetch as " << row.variant << " failed: " << variant.failure;
      return false;
    }
    std::set<std::string> gained;
    const std::set<std::string> before = findings_of(*plain.digest);
    std::ranges::set_difference(findings_of(*variant.digest), before, std::inserter(gained, gained.end()));
    const bool cloaked = !gained.empty();
    EXPECT_EQ(cloaked, row.expect.contains("cloaking"))
        << "fetched as " << row.variant << ", the page gained: " << joined(gained) << evidence(*variant.digest);
    return ok && cloaked == row.expect.contains("cloaking");
  }

  std::vector<CorpusRow> rows_;
  std::unique_ptr<NginxServer> nginx_;
  std::shared_ptr<const KeywordMatcher> harmful_;
  BlockingFetcher fetch_;
};

TEST_F(ContentCorpusTest, EveryPageIsJudgedAsExpected) {
  int as_expected = 0;
  std::string misjudged;
  for (const CorpusRow& row : rows_) {
    SCOPED_TRACE(row.file + " (expected.tsv:" + std::to_string(row.line) + ")");
    if (judge(row)) {
      ++as_expected;
    } else {
      misjudged += " " + row.file;
    }
  }
  std::cout << as_expected << " of " << rows_.size() << " pages judged as expected\n";
  if (!misjudged.empty()) std::cout << "misjudged:" << misjudged << "\n";
}

// The table and the pages stay one: no page without a verdict, no verdict
// without a page, and every technique has a page.
TEST(ContentCorpusTableTest, CoversEveryPageAndVerdict) {
  const std::vector<CorpusRow> rows = read_table();
  std::set<std::string> pages;
  for (const auto& entry : fs::directory_iterator(corpus_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".html") || name.ends_with(".html.gz")) pages.insert(name);
  }
  std::set<std::string> listed;
  std::set<std::string> verdicts;
  for (const CorpusRow& row : rows) {
    EXPECT_TRUE(listed.insert(row.file).second) << row.file << " has two rows";
    verdicts.insert(row.expect.begin(), row.expect.end());
  }
  EXPECT_EQ(joined(listed), joined(pages));
  EXPECT_GE(rows.size(), 40U);
  EXPECT_EQ(joined(verdicts), joined(kVerdicts));
}

}  // namespace
}  // namespace netwarden
