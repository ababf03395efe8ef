#include "daemon/crawl/crawl_scope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"

namespace netwarden {
namespace {

WebTarget target(CrawlConfig crawl = {}) {
  WebTarget t;
  t.id = "portal";
  t.url = "https://www.example.edu.cn/index.html";
  t.crawl = std::move(crawl);
  return t;
}

CrawlScope scope(CrawlConfig crawl = {}) {
  auto s = CrawlScope::create(target(std::move(crawl)));
  EXPECT_TRUE(s) << s.error().message;
  return std::move(*s);
}

TEST(CrawlScopeTest, TargetHostAllowedOthersNot) {
  const CrawlScope s = scope();
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/"));
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/news/a.html?id=3"));
  // The host decides, not the scheme or the port.
  EXPECT_TRUE(s.allows("http://www.example.edu.cn/a.html"));
  EXPECT_TRUE(s.allows("https://www.example.edu.cn:8443/a.html"));
  EXPECT_FALSE(s.allows("https://example.edu.cn/"));
  EXPECT_FALSE(s.allows("https://other.example.org/"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn.evil.example/"));
  EXPECT_FALSE(s.allows("https://evil.example/www.example.edu.cn/"));
}

TEST(CrawlScopeTest, SubdomainIsASiteOfItsOwn) {
  const CrawlScope s = scope();
  EXPECT_FALSE(s.allows("https://news.www.example.edu.cn/"));
  EXPECT_FALSE(s.allows("https://jwc.example.edu.cn/"));
}

TEST(CrawlScopeTest, CrawlHostsAllowedExactly) {
  CrawlConfig crawl;
  crawl.hosts = {"jwc.example.edu.cn", "files.example.edu.cn"};
  const CrawlScope s = scope(crawl);
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/"));
  EXPECT_TRUE(s.allows("https://jwc.example.edu.cn/notice/1.html"));
  EXPECT_TRUE(s.allows("http://files.example.edu.cn/a.pdf"));
  EXPECT_FALSE(s.allows("https://a.jwc.example.edu.cn/"));
  EXPECT_FALSE(s.allows("https://lib.example.edu.cn/"));
}

TEST(CrawlScopeTest, IncludePatternsMustMatchOneWhenPresent) {
  CrawlConfig crawl;
  crawl.include = {"^https://www\\.example\\.edu\\.cn/news/", "\\.pdf$"};
  const CrawlScope s = scope(crawl);
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/news/1.html"));
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/files/plan.pdf"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/about/"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/"));
  // Include does not widen the hosts.
  EXPECT_FALSE(s.allows("https://other.example.org/files/plan.pdf"));
}

TEST(CrawlScopeTest, ExcludePatternsRefuse) {
  CrawlConfig crawl;
  crawl.include = {"^https://www\\.example\\.edu\\.cn/news/"};
  crawl.exclude = {"/news/archive/", "[?&]print=1"};
  const CrawlScope s = scope(crawl);
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/news/1.html"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/news/archive/1999.html"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/news/1.html?print=1"));
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/news/1.html?print=0"));

  CrawlConfig only_exclude;
  only_exclude.exclude = {"logout"};
  const CrawlScope t = scope(only_exclude);
  EXPECT_TRUE(t.allows("https://www.example.edu.cn/about/"));
  EXPECT_FALSE(t.allows("https://www.example.edu.cn/user/logout"));
}

TEST(CrawlScopeTest, UrlHoldingAnIdNumberRefused) {
  const CrawlScope s = scope();
  // 11010519491231002X: region 110105, born 1949-12-31, MOD 11-2 check X.
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/query?sfzh=11010519491231002X"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/query?sfzh=11010519491231002x"));
  EXPECT_FALSE(s.allows("https://www.example.edu.cn/score/11010519491231002X.html"));
  // The same digits with a wrong check character are no ID number.
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/query?sfzh=110105194912310021"));
  // Nor is a number inside a longer run of digits.
  EXPECT_TRUE(s.allows("https://www.example.edu.cn/query?n=911010519491231002X"));
}

TEST(CrawlScopeTest, BadPatternIsAnError) {
  CrawlConfig crawl;
  crawl.exclude = {"(unclosed"};
  auto s = CrawlScope::create(target(crawl));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("(unclosed"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace netwarden
