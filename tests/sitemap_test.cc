#include "daemon/crawl/sitemap.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using Urls = std::vector<std::string>;

TEST(SitemapTest, UrlsetListsPages) {
  const Sitemap s = read_sitemap(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
      "  <url><loc>https://www.example.edu.cn/</loc><lastmod>2024-05-01</lastmod><priority>1.0</priority></url>\n"
      "  <url><loc>https://www.example.edu.cn/news/1.html?a=1&amp;b=2</loc></url>\n"
      "</urlset>\n");
  EXPECT_EQ(s.pages, (Urls{"https://www.example.edu.cn/", "https://www.example.edu.cn/news/1.html?a=1&b=2"}));
  EXPECT_EQ(s.sitemaps, Urls{});
}

TEST(SitemapTest, SitemapIndexListsSitemaps) {
  const Sitemap s = read_sitemap(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<sitemap><loc>https://www.example.edu.cn/sitemap-news.xml</loc><lastmod>2024-05-01</lastmod></sitemap>"
      "<sitemap><loc>https://www.example.edu.cn/sitemap-pages.xml</loc></sitemap>"
      "</sitemapindex>");
  EXPECT_EQ(s.pages, Urls{});
  EXPECT_EQ(s.sitemaps,
            (Urls{"https://www.example.edu.cn/sitemap-news.xml", "https://www.example.edu.cn/sitemap-pages.xml"}));
}

TEST(SitemapTest, PrefixedAndUnNamespacedElementsRead) {
  const Sitemap prefixed = read_sitemap(
      "<sm:urlset xmlns:sm=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<sm:url><sm:loc>https://www.example.edu.cn/a</sm:loc></sm:url></sm:urlset>");
  EXPECT_EQ(prefixed.pages, Urls{"https://www.example.edu.cn/a"});
  const Sitemap bare = read_sitemap("<urlset><url><loc>https://www.example.edu.cn/b</loc></url></urlset>");
  EXPECT_EQ(bare.pages, Urls{"https://www.example.edu.cn/b"});
}

TEST(SitemapTest, WhitespaceAroundLocDropped) {
  const Sitemap s = read_sitemap(
      "<urlset><url><loc>\n\t  https://www.example.edu.cn/a  \r\n</loc></url>"
      "<url><loc>   </loc></url><url><loc/></url>"
      "<url><loc><![CDATA[ https://www.example.edu.cn/c ]]></loc></url></urlset>");
  EXPECT_EQ(s.pages, (Urls{"https://www.example.edu.cn/a", "https://www.example.edu.cn/c"}));
}

TEST(SitemapTest, LocOutsideAnEntryIgnored) {
  const Sitemap s = read_sitemap(
      "<urlset><loc>https://www.example.edu.cn/stray</loc>"
      "<url><loc>https://www.example.edu.cn/a</loc></url></urlset>");
  EXPECT_EQ(s.pages, Urls{"https://www.example.edu.cn/a"});
}

TEST(SitemapTest, ExtensionLocsInsideAnEntryAreNotPages) {
  // Google's image extension: <image:loc> is an image, not a page.
  const Sitemap s = read_sitemap(
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
      " xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">"
      "<url><loc>https://www.example.edu.cn/a</loc>"
      "<image:image><image:loc>https://www.example.edu.cn/a.jpg</image:loc></image:image></url></urlset>");
  EXPECT_EQ(s.pages, Urls{"https://www.example.edu.cn/a"});
}

TEST(SitemapTest, NotASitemapReadsEmpty) {
  for (const std::string_view body : {
           std::string_view(""),
           std::string_view("<!DOCTYPE html><html><head><title>404</title></head><body><p>Not found<br>"
                            "<a href=\"/\">home</a></body></html>"),
           std::string_view("<html><body><loc>https://www.example.edu.cn/x</loc></body></html>"),
           std::string_view("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
           std::string_view("{\"urls\": [\"https://www.example.edu.cn/\"]}"),
           std::string_view("<<<>>>&&&"),
       }) {
    const Sitemap s = read_sitemap(body);
    EXPECT_EQ(s.pages, Urls{}) << body;
    EXPECT_EQ(s.sitemaps, Urls{}) << body;
  }
}

TEST(SitemapTest, ExternalEntityNotExpanded) {
  // XXE: a file of our own stands in for /etc/passwd.
  const test::TempDir dir;
  const std::string secret = dir.file("secret");
  std::ofstream(secret) << "https://leaked.example/secret";
  const std::string body = "<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [<!ENTITY x SYSTEM \"file://" + secret +
                           "\">]>\n<urlset><url><loc>&x;</loc></url>"
                           "<url><loc>https://www.example.edu.cn/a</loc></url></urlset>";
  EXPECT_EQ(read_sitemap(body).pages, Urls{"https://www.example.edu.cn/a"});
}

TEST(SitemapTest, InternalEntityNotExpanded) {
  const Sitemap s = read_sitemap(
      "<!DOCTYPE urlset [<!ENTITY u \"https://injected.example/\">]>"
      "<urlset><url><loc>&u;</loc></url></urlset>");
  EXPECT_EQ(s.pages, Urls{});
}

TEST(SitemapTest, AtMostTheProtocolsLimitRead) {
  std::string body = "<urlset>";
  for (std::size_t i = 0; i < kMaxSitemapEntries + 10; ++i) {
    body += "<url><loc>https://www.example.edu.cn/p" + std::to_string(i) + "</loc></url>";
  }
  body += "</urlset>";
  const Sitemap s = read_sitemap(body);
  ASSERT_EQ(s.pages.size(), kMaxSitemapEntries);
  EXPECT_EQ(s.pages.front(), "https://www.example.edu.cn/p0");
  EXPECT_EQ(s.pages.back(), "https://www.example.edu.cn/p" + std::to_string(kMaxSitemapEntries - 1));
}

}  // namespace
}  // namespace netwarden
