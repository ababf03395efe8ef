#include "daemon/crawl/crawl_url.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace netwarden {
namespace {

constexpr std::string_view kBase = "https://www.example.edu.cn/news/2024/list.html?page=2";

std::optional<std::string> from_base(std::string_view href) { return resolve_link(kBase, href); }

TEST(CrawlUrlTest, RelativePathsResolveAgainstThePage) {
  EXPECT_EQ(from_base("item.html"), "https://www.example.edu.cn/news/2024/item.html");
  EXPECT_EQ(from_base("sub/item.html"), "https://www.example.edu.cn/news/2024/sub/item.html");
  EXPECT_EQ(from_base("/about/"), "https://www.example.edu.cn/about/");
  EXPECT_EQ(from_base("?page=3"), "https://www.example.edu.cn/news/2024/list.html?page=3");
  // An empty href and a bare fragment are the page itself, fragment dropped.
  EXPECT_EQ(from_base(""), "https://www.example.edu.cn/news/2024/list.html?page=2");
  EXPECT_EQ(from_base("#top"), "https://www.example.edu.cn/news/2024/list.html?page=2");
}

TEST(CrawlUrlTest, DotSegmentsRemoved) {
  EXPECT_EQ(from_base("../index.html"), "https://www.example.edu.cn/news/index.html");
  EXPECT_EQ(from_base("../../a/./b/../c.html"), "https://www.example.edu.cn/a/c.html");
  // Above the root stays at the root.
  EXPECT_EQ(from_base("../../../../x.html"), "https://www.example.edu.cn/x.html");
  EXPECT_EQ(from_base("/a/b/../../c"), "https://www.example.edu.cn/c");
  // In an absolute URL too.
  EXPECT_EQ(from_base("https://www.example.edu.cn/a/./b/../c"), "https://www.example.edu.cn/a/c");
}

TEST(CrawlUrlTest, QueryKeptFragmentDropped) {
  EXPECT_EQ(from_base("show.jsp?id=12&type=news#comments"),
            "https://www.example.edu.cn/news/2024/show.jsp?id=12&type=news");
  EXPECT_EQ(from_base("/search?q=a+b&lang=zh"), "https://www.example.edu.cn/search?q=a+b&lang=zh");
  EXPECT_EQ(from_base("page.html#"), "https://www.example.edu.cn/news/2024/page.html");
}

TEST(CrawlUrlTest, SchemeAndHostLowerCasedPathKept) {
  EXPECT_EQ(from_base("HTTPS://WWW.Example.EDU.cn/Path/File.HTML"), "https://www.example.edu.cn/Path/File.HTML");
  EXPECT_EQ(from_base("Http://Other.Example.ORG/"), "http://other.example.org/");
}

TEST(CrawlUrlTest, DefaultPortRemovedOtherPortKept) {
  EXPECT_EQ(from_base("http://www.example.edu.cn:80/a"), "http://www.example.edu.cn/a");
  EXPECT_EQ(from_base("https://www.example.edu.cn:443/a"), "https://www.example.edu.cn/a");
  EXPECT_EQ(from_base("https://www.example.edu.cn:/a"), "https://www.example.edu.cn/a");
  // The other scheme's default port is not a default.
  EXPECT_EQ(from_base("http://www.example.edu.cn:443/a"), "http://www.example.edu.cn:443/a");
  EXPECT_EQ(from_base("https://www.example.edu.cn:80/a"), "https://www.example.edu.cn:80/a");
  EXPECT_EQ(from_base("https://www.example.edu.cn:8443/a"), "https://www.example.edu.cn:8443/a");
  // A page on a non-default port: its relative links keep it.
  EXPECT_EQ(resolve_link("http://intra.example.edu.cn:8080/a/b.html", "c.html"),
            "http://intra.example.edu.cn:8080/a/c.html");
}

TEST(CrawlUrlTest, EmptyPathBecomesSlash) {
  EXPECT_EQ(from_base("https://Other.example.org"), "https://other.example.org/");
  EXPECT_EQ(from_base("https://other.example.org?x=1"), "https://other.example.org/?x=1");
}

TEST(CrawlUrlTest, PercentEncodingNormalised) {
  // Unreserved characters decoded, the rest upper-case hex.
  EXPECT_EQ(from_base("/%7euser/%41bc.html"), "https://www.example.edu.cn/~user/Abc.html");
  EXPECT_EQ(from_base("/a%2fb%3f"), "https://www.example.edu.cn/a%2Fb%3F");
  EXPECT_EQ(from_base("/s?q=%e4%b8%ad"), "https://www.example.edu.cn/s?q=%E4%B8%AD");
  // Reserved characters stay escaped: %2F is not a path's /, nor %26 a query's &.
  EXPECT_EQ(from_base("/a%2Fb/c%3Bd%3De%40f"), "https://www.example.edu.cn/a%2Fb/c%3Bd%3De%40f");
  EXPECT_EQ(from_base("/dl.jsp?file=R%26D.pdf&x=a%3Db%2Fc"),
            "https://www.example.edu.cn/dl.jsp?file=R%26D.pdf&x=a%3Db%2Fc");
  EXPECT_EQ(resolve_link("https://www.example.edu.cn/p%2fq/r.html?z=%26", "s.html"),
            "https://www.example.edu.cn/p%2Fq/s.html");
  EXPECT_EQ(resolve_link("https://www.example.edu.cn/p%2fq/r.html?z=%26", ""),
            "https://www.example.edu.cn/p%2Fq/r.html?z=%26");
  // Escaped dots are dot segments.
  EXPECT_EQ(from_base("%2e%2E/x.html"), "https://www.example.edu.cn/news/x.html");
  // Two spellings of one page become one.
  EXPECT_EQ(from_base("/%7Euser/"), from_base("/~user/"));
}

TEST(CrawlUrlTest, RawCharactersAUrlMayNotHoldAreEncoded) {
  EXPECT_EQ(from_base("/files/通知 2024.pdf"), "https://www.example.edu.cn/files/%E9%80%9A%E7%9F%A5%202024.pdf");
  EXPECT_EQ(from_base("/a{b}|\"c\""), "https://www.example.edu.cn/a%7Bb%7D%7C%22c%22");
}

TEST(CrawlUrlTest, OtherSchemesAreNotLinksToFollow) {
  EXPECT_EQ(from_base("mailto:office@example.edu.cn"), std::nullopt);
  EXPECT_EQ(from_base("javascript:void(0)"), std::nullopt);
  EXPECT_EQ(from_base("JavaScript:alert(1)"), std::nullopt);
  EXPECT_EQ(from_base("data:text/html,<p>x</p>"), std::nullopt);
  EXPECT_EQ(from_base("tel:+861012345678"), std::nullopt);
  EXPECT_EQ(from_base("ftp://ftp.example.edu.cn/pub/"), std::nullopt);
  // A tab inside the scheme is dropped first, as browsers do.
  EXPECT_EQ(from_base("java\tscript:alert(1)"), std::nullopt);
  EXPECT_EQ(from_base("  javascript:alert(1)"), std::nullopt);
}

TEST(CrawlUrlTest, WhitespaceAroundAndTabsAndLineBreaksInsideDropped) {
  EXPECT_EQ(from_base("  \t\n item.html \r\n "), "https://www.example.edu.cn/news/2024/item.html");
  EXPECT_EQ(from_base("/a\tb\nc\rd.html"), "https://www.example.edu.cn/abcd.html");
  EXPECT_EQ(from_base("ht\ntps://other.example.org/x"), "https://other.example.org/x");
}

TEST(CrawlUrlTest, ProtocolRelativeTakesThePagesScheme) {
  EXPECT_EQ(from_base("//cdn.example.org/lib/a.html"), "https://cdn.example.org/lib/a.html");
  EXPECT_EQ(resolve_link("http://www.example.edu.cn/", "//CDN.example.org:80/x"), "http://cdn.example.org/x");
}

TEST(CrawlUrlTest, AbsoluteUrlsToOtherHostsResolved) {
  EXPECT_EQ(from_base("http://www.gov.cn/zhengce/index.htm"), "http://www.gov.cn/zhengce/index.htm");
  EXPECT_EQ(from_base("https://user@other.example.org/p"), "https://user@other.example.org/p");
  EXPECT_EQ(from_base("https://[2001:DB8::1]:443/p"), "https://[2001:db8::1]/p");
}

TEST(CrawlUrlTest, BaseTakenAsGiven) {
  // As for a page with <base href>: the caller resolves it and passes it.
  EXPECT_EQ(resolve_link("https://www.example.edu.cn/static/", "img/a.html"),
            "https://www.example.edu.cn/static/img/a.html");
  EXPECT_EQ(resolve_link("https://www.example.edu.cn/static", "img/a.html"), "https://www.example.edu.cn/img/a.html");
}

TEST(CrawlUrlTest, GarbageIsNullopt) {
  EXPECT_EQ(from_base("http://"), std::nullopt);
  EXPECT_EQ(from_base("https:///path"), std::nullopt);
  EXPECT_EQ(from_base("http://host:port/"), std::nullopt);
  EXPECT_EQ(from_base("/100%/done"), std::nullopt);
  EXPECT_EQ(from_base("http://[::1/"), std::nullopt);
  // A base that is not an absolute URL leads nowhere.
  EXPECT_EQ(resolve_link("not a url", "a.html"), std::nullopt);
  EXPECT_EQ(resolve_link("/relative/base", "a.html"), std::nullopt);
  EXPECT_EQ(resolve_link("", ""), std::nullopt);
}

}  // namespace
}  // namespace netwarden
