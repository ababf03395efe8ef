#include "probes/content/content_digest.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/sha256.h"
#include "probes/content/keyword_matcher.h"

namespace netwarden {
namespace {

using Keywords = std::vector<std::string>;
constexpr std::string_view kUrl = "https://www.example.edu.cn/index.html";

ContentAnalyzer make(ContentRules rules = {}) {
  auto analyzer = ContentAnalyzer::create(std::move(rules));
  EXPECT_TRUE(analyzer) << analyzer.error().message;
  return std::move(*analyzer);
}

ContentDigest digest(std::string_view body, ContentRules rules = {}) {
  return make(std::move(rules)).analyze(body, kUrl);
}

// Rules with a harmful keyword file of this text.
ContentRules with_keyword_file(std::string_view text) {
  auto harmful = KeywordMatcher::parse(text, "harmful.txt");
  EXPECT_TRUE(harmful) << harmful.error().message;
  ContentRules rules;
  if (harmful) rules.harmful = *harmful;
  return rules;
}

TEST(ContentDigestTest, HashesAreOfTextAndStructure) {
  const std::string body = "<html><head><title>T</title></head><body><p>Hello</p></body></html>";
  const ContentDigest d = digest(body);
  EXPECT_EQ(d.text, "Hello");
  EXPECT_EQ(d.text_sha256, sha256_hex("Hello"));
  EXPECT_EQ(d.structure, "title: T");
  EXPECT_EQ(d.structure_sha256, sha256_hex("title: T"));
}

TEST(ContentDigestTest, VisibleTextSkipsScriptStyleAndComments) {
  const ContentDigest d = digest(
      "<p>One</p><script type=text/javascript>var x = '<p>no</p>';</script>"
      "<STYLE>p { color: red }</STYLE><!-- hidden <b>comment</b> --><div>Two<span>Three</span></div>"
      "<script>document.write('</scr' + 'ipt>')</SCRIPT >Four");
  EXPECT_EQ(d.text, "One TwoThree Four");
}

TEST(ContentDigestTest, EntitiesDecodedAndWhitespaceCollapsed) {
  const ContentDigest d = digest(
      "<p>  A&amp;B &lt;tag&gt; &quot;q&quot; &apos;s&apos;&nbsp;&nbsp;x&#20013;&#x6587;&#X4E2D;"
      "\n\t&copy; &unknown; &amp &#xD800; &; &#; 　全角空格</p>");
  EXPECT_EQ(d.text, "A&B <tag> \"q\" 's' x中文中 © &unknown; & \xEF\xBF\xBD &; &#; 全角空格");
}

TEST(ContentDigestTest, InlineElementsDoNotSplitWords) {
  auto harmful = KeywordMatcher::from_list({"赌博"}).value();
  const ContentDigest d = digest("<p>网上赌<b>博</b></p><div>下一段</div>", {{}, {}, {}, harmful, {}});
  EXPECT_EQ(d.text, "网上赌博 下一段");
  EXPECT_EQ(d.harmful_found, Keywords{"赌博"});
}

TEST(ContentDigestTest, StructureItemsInDocumentOrder) {
  const ContentDigest d = digest(
      "<HTML><head><Title>学校 &amp; 门户</Title>"
      "<meta name=\"keywords\" content=\"大学,教育\"><meta http-equiv=refresh content='5; url=/x'>"
      "<meta property=og:title content=\"Portal\"><meta charset=utf-8>"
      "<script src=\"/js/app.js\"></script><link rel=stylesheet href=\"https://cdn.example.net/a.css\">"
      "</head><body><a href=\"/local\">in</a><a href=\"news.html\">in</a>"
      "<a href=\"https://WWW.EXAMPLE.EDU.CN:443/x\">same host</a>"
      "<a href=\"//other.example.org/p\">protocol relative</a>"
      "<a href=\"mailto:office@example.org\">mail</a>"
      "<iframe src=\"https://ads.example.com/frame\">fallback text</iframe>"
      "<A HREF=http://casino.example/?a=1&amp;b=2>win</A></body></HTML>");
  EXPECT_EQ(d.structure,
            "title: 学校 & 门户\n"
            "meta name=keywords content=大学,教育\n"
            "meta http-equiv=refresh content=5; url=/x\n"
            "meta property=og:title content=Portal\n"
            "script: /js/app.js\n"
            "external-link: https://cdn.example.net/a.css\n"
            "external-link: //other.example.org/p\n"
            "iframe: https://ads.example.com/frame\n"
            "external-link: http://casino.example/?a=1&b=2");
  EXPECT_EQ(d.text, "ininsame hostprotocol relativemail win");
}

TEST(ContentDigestTest, InjectedForeignScriptChangesStructureNotText) {
  const std::string page = "<html><body><h1>通知</h1><p>正文内容</p></body></html>";
  const std::string defaced =
      "<html><body><h1>通知</h1><script src=\"http://evil.example.com/x.js\"></script><p>正文内容</p></body></html>";
  const ContentDigest before = digest(page);
  const ContentDigest after = digest(defaced);
  EXPECT_EQ(before.text_sha256, after.text_sha256);
  EXPECT_NE(before.structure_sha256, after.structure_sha256);
  EXPECT_EQ(after.structure, "script: http://evil.example.com/x.js");
}

TEST(ContentDigestTest, HiddenLinksChangeStructure) {
  const std::string page = "<html><body><p>正文</p></body></html>";
  const ContentDigest before = digest(page);
  const ContentDigest empty_link =
      digest("<html><body><p>正文</p><a href=\"http://casino.example\" style=\"display:none\"></a></body></html>");
  EXPECT_EQ(before.text_sha256, empty_link.text_sha256);
  EXPECT_NE(before.structure_sha256, empty_link.structure_sha256);
  EXPECT_EQ(empty_link.structure, "external-link: http://casino.example");

  auto harmful = KeywordMatcher::from_list({"博彩"}).value();
  const ContentDigest hidden_div = digest(
      "<html><body><p>正文</p><div style=\"position:absolute;left:-9999px\"><a href='http://bc.example/'>博彩网站</a>"
      "</div></body></html>",
      {{}, {}, {}, harmful, {}});
  EXPECT_NE(before.structure_sha256, hidden_div.structure_sha256);
  EXPECT_EQ(hidden_div.harmful_found, Keywords{"博彩"});
}

TEST(ContentDigestTest, IgnorePatternRemovesTimestamp) {
  ContentRules rules;
  rules.ignore = {R"(更新时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2})", R"(visits: \d+)"};
  const ContentAnalyzer analyzer = make(rules);
  const ContentDigest a = analyzer.analyze("<p>通知 更新时间：2024-05-01 10:00 正文</p><p>visits: 12</p>", kUrl);
  const ContentDigest b = analyzer.analyze("<p>通知 更新时间：2024-06-30 23:59 正文</p><p>visits: 9999</p>", kUrl);
  EXPECT_EQ(a.text, "通知 正文");
  EXPECT_EQ(a.text_sha256, b.text_sha256);
  const ContentDigest c = analyzer.analyze("<p>通知 更新时间：2024-06-30 23:59 正文已改</p>", kUrl);
  EXPECT_NE(a.text_sha256, c.text_sha256);
}

TEST(ContentDigestTest, XPathRegionDetectsChangesInsideOnly) {
  ContentRules rules;
  rules.regions = {"//div[@id='content']"};
  const ContentAnalyzer analyzer = make(rules);
  const auto page = [](std::string_view sidebar, std::string_view content) {
    return "<html><head><title>t</title></head><body><div id=sidebar>" + std::string(sidebar) +
           "</div><div id=content><h2>公告</h2><p>" + std::string(content) +
           "</p><script>var t = 1;</script><style>p{}</style></div></body></html>";
  };
  const ContentDigest base = analyzer.analyze(page("访问量 100", "正文 &amp; 内容"), kUrl);
  EXPECT_EQ(base.text, "公告 正文 & 内容");
  const ContentDigest outside = analyzer.analyze(page("访问量 101", "正文 &amp; 内容"), kUrl);
  EXPECT_EQ(base.text_sha256, outside.text_sha256);
  const ContentDigest inside = analyzer.analyze(page("访问量 100", "正文已被篡改"), kUrl);
  EXPECT_NE(base.text_sha256, inside.text_sha256);
}

TEST(ContentDigestTest, RegionsThatSelectNothingAreABlindSpot) {
  ContentRules rules;
  rules.regions = {"//div[@id='news']", "//div[@id='notice']"};
  const ContentAnalyzer analyzer = make(rules);
  const ContentDigest redesigned = analyzer.analyze("<body><div id=main><p>全新改版的首页</p></div></body>", kUrl);
  EXPECT_EQ(redesigned.text, "");
  EXPECT_EQ(redesigned.blind_spot, "region_empty: //div[@id='news'] | //div[@id='notice']");
  const ContentDigest seen = analyzer.analyze("<body><div id=notice><p>通知</p></div></body>", kUrl);
  EXPECT_EQ(seen.blind_spot, "");
  EXPECT_EQ(digest("<body></body>").blind_spot, "") << "a whole-page check has no regions to miss";
}

TEST(ContentDigestTest, XPathRegionsKeepWholePageStructureAndHarmfulScan) {
  ContentRules rules;
  rules.regions = {"//div[@id='content']", "//title/text()"};
  rules.harmful = KeywordMatcher::from_list({"赌博"}).value();
  const ContentDigest d = make(rules).analyze(
      "<html><head><title>门户</title></head><body><div id=content>正文</div>"
      "<div id=footer><a href='http://casino.example/'>赌博</a></div></body></html>",
      kUrl);
  EXPECT_EQ(d.text, "正文 门户");
  EXPECT_EQ(d.structure, "title: 门户\nexternal-link: http://casino.example/");
  EXPECT_EQ(d.harmful_found, Keywords{"赌博"});
}

TEST(ContentDigestTest, HiddenLinksForeignCodeAndExtraTextFound) {
  ContentRules rules;
  rules.harmful = KeywordMatcher::from_list({"皇冠", "赌场", "博彩"}).value();
  rules.allowed_hosts = {"cdn.example.net"};
  const ContentDigest d = digest(
      "<script src='https://cdn.example.net/j.js'></script><script src='http://evil.example/x.js'></script>"
      "<div style='display:none'><a href='http://bet.example/'>x</a><a href='/menu'>菜单</a></div>"
      "<img alt='皇冠' src=a.png><script>document.write('赌场')</script><p>学校</p>",
      rules);
  ASSERT_EQ(d.hidden_links.size(), 1u);
  EXPECT_EQ(d.hidden_links[0].what, "http://bet.example/");
  EXPECT_EQ(d.hidden_links[0].why, "display:none on <div>");
  ASSERT_EQ(d.foreign_code.size(), 1u);
  EXPECT_EQ(d.foreign_code[0].what, "http://evil.example/x.js");
  EXPECT_EQ(d.harmful_found, (Keywords{"皇冠", "赌场"}));
  EXPECT_EQ(d.text.find("赌场"), std::string::npos);  // found in what the script writes, not in the text
  // A page read twice (its <meta> names another charset) reports once.
  const ContentDigest gbk = digest("<meta charset=gbk><div hidden><a href='http://bet.example/'>\xB6\xC4</a></div>");
  EXPECT_EQ(gbk.hidden_links.size(), 1u);
}

// The keywords a hidden link's words carry, however written, are the
// finding's: they send its incident to the top of the chain.
TEST(ContentDigestTest, AHiddenLinksKeywordsAreItsOwn) {
  ContentRules rules;
  rules.harmful = KeywordMatcher::from_list({"博彩", "casino"}).value();
  const ContentDigest d = digest(
      "<p>学校 博彩</p><div style='display:none'><a href='http://bet.example/'>澳门 博 彩</a>"
      "<a href='http://c.example/'>ＣＡＳＩＮＯ</a><a href='http://x.example/'>more</a></div>",
      rules);
  ASSERT_EQ(d.hidden_links.size(), 3u);
  EXPECT_EQ(d.hidden_links[0].text, "澳门 博 彩");
  EXPECT_EQ(d.hidden_links[0].keywords, Keywords{"博彩"});
  EXPECT_EQ(d.hidden_links[1].keywords, Keywords{"casino"});
  EXPECT_TRUE(d.hidden_links[2].keywords.empty());  // the page's keyword is not this link's
}

TEST(ContentDigestTest, HarmfulKeywordsChineseAndEnglishCaseInsensitive) {
  ContentRules rules;
  rules.harmful = KeywordMatcher::from_list({"赌博", "博彩", "Casino", "poker"}).value();
  const ContentDigest d = digest(
      "<head><title>ONLINE CASINO</title></head><body><p>欢迎访问 在线博彩 平台</p>"
      "<script>var s = 'poker';</script></body>",
      rules);
  EXPECT_EQ(d.harmful_found, (Keywords{"Casino", "博彩"}));
  EXPECT_TRUE(digest("<p>学校新闻</p>", rules).harmful_found.empty());
}

TEST(ContentDigestTest, HarmfulInMetaKeywordsFound) {
  ContentRules rules;
  rules.harmful = KeywordMatcher::from_list({"博彩"}).value();
  const ContentDigest d = digest("<meta name=keywords content=\"大学,博彩,娱乐\"><p>学校</p>", rules);
  EXPECT_EQ(d.harmful_found, Keywords{"博彩"});
}

TEST(ContentDigestTest, HarmfulHitsNameCategoryWhereAndQuote) {
  const ContentDigest d = digest(
      "<head><title>澳門博彩</title><meta name=description content=\"網上賭博\"></head>"
      "<body><p>学校新闻。网上赌\u200B博，赌 博！</p><a href='http://x.example/%E5%88%B7%E5%8D%95'>x</a></body>",
      with_keyword_file("[gambling severity=critical]\n赌博\n博彩\n[fraud]\n刷单\n"));
  EXPECT_EQ(d.harmful_found, (Keywords{"刷单", "博彩", "赌博"}));
  ASSERT_EQ(d.harmful_hits.size(), 3u);
  const KeywordHit& fraud = d.harmful_hits[0];
  EXPECT_EQ(fraud.category, "fraud");
  EXPECT_EQ(fraud.severity, "");
  EXPECT_EQ(fraud.where, "external-link");
  EXPECT_EQ(fraud.quote, "http://x.example/%E5%88%B7%E5%8D%95");
  const KeywordHit& casino = d.harmful_hits[1];
  EXPECT_EQ(casino.where, "title");
  EXPECT_EQ(casino.quote, "澳門博彩");
  const KeywordHit& gambling = d.harmful_hits[2];
  EXPECT_EQ(gambling.category, "gambling");
  EXPECT_EQ(gambling.severity, "critical");
  EXPECT_EQ(gambling.where, "text");
  EXPECT_EQ(gambling.quote, "学校新闻。网上赌\u200B博，赌 博！ x");
  EXPECT_EQ(gambling.count, 3);  // twice in the text, once in the meta description
}

// A list of names and ID numbers left on a page: found in the text and in
// the extra texts, and masked in everything the digest keeps.
TEST(ContentDigestTest, PersonalDataFoundAndMaskedInWhatIsKept) {
  const ContentDigest d = digest(
      "<head><title>联系 13812345678</title></head><body>"
      "<p>张三 440306199003071232 李四 320583198508154561 刷单 王五 11010519491231002X</p>"
      "<img alt='510107200002291013' src='a.png'></body>",
      with_keyword_file("[fraud]\n刷单\n"));
  ASSERT_EQ(d.personal_data.size(), 1u);  // one mobile is under the 30 a finding needs
  EXPECT_EQ(d.personal_data[0].kind, "id_number");
  EXPECT_EQ(d.personal_data[0].count, 4);
  EXPECT_EQ(d.personal_data[0].examples, (Keywords{"440306********1232", "320583********4561", "110105********002X"}));
  const std::string text = "张三 440306********1232 李四 320583********4561 刷单 王五 110105********002X";
  EXPECT_EQ(d.text, text);
  EXPECT_EQ(d.text_sha256, sha256_hex(text));
  EXPECT_EQ(d.structure, "title: 联系 138****5678");
  EXPECT_EQ(d.structure_sha256, sha256_hex(d.structure));
  ASSERT_EQ(d.harmful_hits.size(), 1u);
  EXPECT_EQ(d.harmful_hits[0].quote.find("440306199003071232"), std::string::npos);
  EXPECT_NE(d.harmful_hits[0].quote.find("320583********4561"), std::string::npos);
  // The quote's context ends inside the last number: never part of it in full either.
  EXPECT_EQ(d.harmful_hits[0].quote.find("1101051949"), std::string::npos) << d.harmful_hits[0].quote;
}

// An attached file's text: the same keyword and personal-data findings as
// a page, on text that is not HTML; the page's rules about regions and
// required keywords say nothing about it.
TEST(ContentDigestTest, AFilesTextIsJudgedLikeAPagesWithoutItsPageRules) {
  ContentRules rules = with_keyword_file("[gambling]\n博彩\n");
  rules.regions = {"//div[@id='main']"};
  rules.required_keywords = {"示例大学"};
  auto analyzer = ContentAnalyzer::create(rules);
  ASSERT_TRUE(analyzer) << analyzer.error().message;
  const ContentDigest d = analyzer->analyze_text(
      "姓名\t身份证号\n张三\t440306199003071232\n李四\t320583198508154561\n"
      "王五\t11010519491231002X\n<b>博 彩</b> 440306199003071233\n");
  ASSERT_EQ(d.personal_data.size(), 1u);
  EXPECT_EQ(d.personal_data[0].count, 3) << "the last number's check character is wrong";
  ASSERT_EQ(d.harmful_hits.size(), 1u);
  EXPECT_EQ(d.harmful_hits[0].where, "file");
  EXPECT_EQ(d.harmful_hits[0].quote.find("440306199003071232"), std::string::npos);
  EXPECT_TRUE(d.required_missing.empty());
  EXPECT_TRUE(d.blind_spot.empty());
  EXPECT_TRUE(d.hidden_links.empty());
  EXPECT_EQ(d.text.find("440306199003071232"), std::string::npos) << d.text;
  EXPECT_NE(d.text.find("<b>"), std::string::npos) << "a file's text is not read as HTML";
}

TEST(ContentDigestTest, RequiredKeywordsFoldedLikeHarmfulOnes) {
  ContentRules rules;
  rules.required_keywords = {"某某大學", "COPYRIGHT", "某某大学"};
  EXPECT_TRUE(digest("<p>某某大学 ｃｏｐｙｒｉｇｈｔ 2024</p>", rules).required_missing.empty());
  EXPECT_EQ(digest("<p>hacked</p>", rules).required_missing, (Keywords{"某某大學", "COPYRIGHT", "某某大学"}));
}

TEST(ContentDigestTest, RequiredKeywordMissing) {
  ContentRules rules;
  rules.required_keywords = {"某某大学", "Copyright"};
  EXPECT_TRUE(digest("<p>某某大学 copyright 2024</p>", rules).required_missing.empty());
  EXPECT_EQ(digest("<p>Hacked by nobody, copyright 2024</p>", rules).required_missing, Keywords{"某某大学"});
  EXPECT_EQ(digest("", rules).required_missing, (Keywords{"某某大学", "Copyright"}));
}

TEST(ContentDigestTest, BadRulesNamedInError) {
  ContentRules bad_xpath;
  bad_xpath.regions = {"//div[@id='a'"};
  auto a = ContentAnalyzer::create(bad_xpath);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("//div[@id='a'"), std::string::npos) << a.error().message;

  ContentRules unknown_function;
  unknown_function.regions = {"nosuch(//p)"};
  auto b = ContentAnalyzer::create(unknown_function);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().message, "region \"nosuch(//p)\" is not a usable XPath expression: Unregistered function");

  ContentRules bad_regex;
  bad_regex.ignore = {"ok", "(unclosed"};
  auto c = ContentAnalyzer::create(bad_regex);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("(unclosed"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("missing closing parenthesis"), std::string::npos) << c.error().message;
}

TEST(ContentDigestTest, MalformedMarkupHandled) {
  EXPECT_EQ(digest("<p>a < b and c<d</p>").text, "a < b and c");
  EXPECT_EQ(digest("text <a href=\"unterminated").text, "text");
  EXPECT_EQ(digest("<script>never closed <p>x</p>").text, "");
  EXPECT_EQ(digest("x<!-- never closed").text, "x");
  EXPECT_EQ(digest("<!-->after").text, "after");
  EXPECT_EQ(digest("<a title='>' href=x>y</a>").text, "y");
  EXPECT_EQ(digest("</>a</ p>b<?php echo 1 ?>c<!DOCTYPE html>d").text, "abcd");
}

TEST(ContentDigestTest, InvalidUtf8KeptDistinctAndValid) {
  // GBK bytes for 你好 / 再见: not UTF-8, but the text must still tell them apart.
  const ContentDigest a = digest("<p>\xC4\xE3\xBA\xC3</p>");
  const ContentDigest b = digest("<p>\xD4\xD9\xBC\xFB</p>");
  EXPECT_NE(a.text_sha256, b.text_sha256);
  EXPECT_EQ(a.text, "\xC3\x84\xC3\xA3\xC2\xBA\xC3\x83");
}

TEST(ContentDigestTest, DeclaredLegacyCharsetConverted) {
  auto harmful = KeywordMatcher::from_list({"赌博"}).value();
  // "网上赌博" in GBK, declared both ways pages do it.
  const std::string gbk_text = "\xCD\xF8\xC9\xCF\xB6\xC4\xB2\xA9";
  for (const std::string head :
       {"<meta charset=\"GB2312\">", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">"}) {
    const ContentDigest d = digest(
        "<html><head>" + head + "<title>" + gbk_text + "</title></head><body><p>" + gbk_text + "</p></body></html>",
        {{}, {}, {}, harmful, {}});
    EXPECT_EQ(d.text, "网上赌博") << head;
    EXPECT_NE(d.structure.find("title: 网上赌博"), std::string::npos) << d.structure;
    EXPECT_EQ(d.harmful_found, Keywords{"赌博"}) << head;
  }
  // A page that says GBK but is really UTF-8 is read as it is.
  EXPECT_EQ(digest("<meta charset=gbk><p>网上赌博</p>").text, "网上赌博");
}

TEST(ContentDigestTest, RandomBytesNeverCrash) {
  ContentRules rules;
  rules.ignore = {R"(\d+)"};
  rules.harmful = KeywordMatcher::from_list({"赌博", "<a", "script"}).value();
  rules.required_keywords = {"x"};
  const ContentAnalyzer plain = make(rules);
  rules.regions = {"//p", "//a/@href"};
  const ContentAnalyzer regions = make(rules);

  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"<",        ">",           "</",       "<!--",  "-->",      "<script",
                                           "</script", "<style>",     "<a ",      "href=", "\"",       "'",
                                           "=",        "&",           "&#",       "&#x",   ";",        "amp",
                                           "<title>",  "<meta name=", "content=", " ",     "\n",       "赌博",
                                           "//",       "http://h",    "\xE3\x80", "\xFF",  "\xC2\xA0", "<iframe src=",
                                           "<p>",      "</p>",        "<!",       "?",     "/>"};
  for (int round = 0; round < 3000; ++round) {
    std::string body;
    const int parts = static_cast<int>(rng() % 60);
    for (int i = 0; i < parts; ++i) {
      if (rng() % 3 == 0) {
        body += static_cast<char>(rng() % 256);
      } else {
        body += pieces[rng() % pieces.size()];
      }
    }
    const ContentAnalyzer& analyzer = round % 10 == 0 ? regions : plain;
    const ContentDigest d = analyzer.analyze(body, round % 7 == 0 ? "not a url" : kUrl);
    ASSERT_EQ(d.text.find("  "), std::string::npos);
  }
}

TEST(ContentDigestTest, LinksAndBaseHrefCollectedForACrawl) {
  const ContentDigest d = digest(
      "<html><head><base href=\"https://www.example.edu.cn/static/\"><base href=\"/second/\">"
      "<link rel=stylesheet href=\"/a.css\"><script src=\"/app.js\"></script></head><body>"
      "<a href=\"news/1.html\">one</a><a name=\"anchor\">no href</a><a href=\"\">empty</a>"
      "<!-- <a href=\"/commented.html\">x</a> -->"
      "<A HREF=\"show.jsp?id=1&amp;t=2\">two</A><img src=\"/logo.png\">"
      "<map><area href=\"/area.html\" alt=\"area\"></map>"
      "<iframe src=\"https://video.example.org/embed\"></iframe><a href=\"mailto:office@example.edu.cn\">mail</a>"
      "<frameset><frame src=\"frame.html\"></frameset><a href=\"https://other.example.org/\">out</a>"
      "</body></html>");
  EXPECT_EQ(d.base_href, "https://www.example.edu.cn/static/");
  EXPECT_EQ(d.links, (std::vector<std::string>{"news/1.html", "show.jsp?id=1&t=2", "/area.html",
                                               "https://video.example.org/embed", "mailto:office@example.edu.cn",
                                               "frame.html", "https://other.example.org/"}));
}

TEST(ContentDigestTest, NoLinksNoBaseHref) {
  const ContentDigest d = digest("<p>Plain text</p>");
  EXPECT_EQ(d.base_href, "");
  EXPECT_EQ(d.links, std::vector<std::string>{});
}

TEST(ContentDigestTest, AtMost5000LinksKept) {
  std::string body = "<ul>";
  for (int i = 0; i < 5003; ++i) body += "<li><a href=\"/p" + std::to_string(i) + "\">p</a></li>";
  body += "</ul><iframe src=\"/late-frame\"></iframe>";
  const ContentDigest d = digest(body);
  ASSERT_EQ(d.links.size(), 5000u);
  EXPECT_EQ(d.links.front(), "/p0");
  EXPECT_EQ(d.links.back(), "/p4999");
}

}  // namespace
}  // namespace netwarden
