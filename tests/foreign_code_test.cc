// Foreign and obfuscated code (挂马), and the extra text a page carries for
// keyword matching: pages through the real scanner into the inspector.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/page_inspection.h"

namespace netwarden::content_detail {
namespace {

const std::vector<std::string> kAllowed = {"cdn.bootcdn.net", "cnzz.com", "map.baidu.com"};

PageInspection inspect(std::string_view html) { return inspect_page(html, kAllowed); }

std::vector<std::string> foreign(std::string_view html) { return listed(inspect(html).foreign_code); }

struct Case {
  const char* name;
  std::string html;
  std::vector<std::string> findings;  // "what | why"
};

TEST(ForeignCodeTest, EachKind) {
  const Case cases[] = {
      {"script",
       R"(<script src="http://evil.example/x.js"></script>)",
       {"http://evil.example/x.js | <script src>: evil.example is not an allowed host"}},
      {"iframe",
       R"(<iframe src="https://evil.example/f" width="600" height="400"></iframe>)",
       {"https://evil.example/f | <iframe src>: evil.example is not an allowed host"}},
      {"frame",
       R"(<frameset><frame src="//evil.example/"></frameset>)",
       {"//evil.example/ | <frame src>: evil.example is not an allowed host"}},
      {"object",
       R"(<object data="http://evil.example/a.swf"></object>)",
       {"http://evil.example/a.swf | <object data>: evil.example is not an allowed host"}},
      {"embed",
       R"(<embed src="http://evil.example/a.swf">)",
       {"http://evil.example/a.swf | <embed src>: evil.example is not an allowed host"}},
      {"meta refresh",
       R"(<meta http-equiv="Refresh" content="0; URL='http://evil.example/'">)",
       {"http://evil.example/ | meta refresh: evil.example is not an allowed host"}},
      {"location.href",
       R"(<script>var a=1;</script><script>window.location.href="http://evil.example/";</script>)",
       {"http://evil.example/ | location.href in inline script 2: evil.example is not an allowed host"}},
      {"location.replace",
       R"(<script>if(/baidu/.test(document.referrer))location.replace('https://evil.example')</script>)",
       {"https://evil.example | location.replace in inline script 1: evil.example is not an allowed host"}},
      {"window.open",
       R"(<script>window.open("http://evil.example/pop")</script>)",
       {"http://evil.example/pop | window.open in inline script 1: evil.example is not an allowed host"}},
      {"zero-size iframe of any host",
       R"(<iframe src="/stat.html" width="0" height="0"></iframe>)",
       {"/stat.html | iframe 0x0"}},
      {"one-pixel iframe by style", R"(<iframe src="/s" style="width:1px;height:1px"></iframe>)", {"/s | iframe 1x1"}},
      {"zero-size iframe by a rule",
       R"(<style>.f{width:0;height:0;border:0}</style><iframe class="f" src="/s"></iframe>)",
       {"/s | iframe 0x0"}},
      {"hidden iframe",
       R"(<div style="display:none"><iframe src="/s"></iframe></div>)",
       {"/s | iframe hidden: display:none on <div>"}},
      {"foreign and zero-size",
       R"(<iframe src="http://evil.example/" width=0 height=0></iframe>)",
       {"http://evil.example/ | <iframe src>: evil.example is not an allowed host",
        "http://evil.example/ | iframe 0x0"}},
      {"obfuscated",
       R"(<script>eval(unescape('%64%6f%63'))</script>)",
       {"inline script 1 | obfuscated: eval( with unescape("}},
      {"a written script",
       R"(<script>document.write('<script src="http://evil.example/j.js"><\/script>')</script>)",
       {"http://evil.example/j.js | <script src>: evil.example is not an allowed host"}},
      {"a look-alike of an allowed host",
       R"(<script src="http://evilcnzz.com/z.js"></script>)",
       {"http://evilcnzz.com/z.js | <script src>: evilcnzz.com is not an allowed host"}},
  };
  for (const Case& c : cases) EXPECT_EQ(foreign(c.html), c.findings) << c.name;
}

TEST(ForeignCodeTest, CleanPages) {
  const Case cases[] = {
      {"CDN and counter from allowed hosts",
       R"(<script src="https://cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
          <script src="https://s4.cnzz.com/z_stat.php?id=1" language="JavaScript"></script>)",
       {}},
      {"own hosts",
       R"(<script src="/js/a.js"></script><script src="//www.example.edu.cn/b.js"></script>
          <script src="https://jwc.example.edu.cn/c.js"></script><iframe src="http://example.edu.cn/v" width=640 height=360></iframe>)",
       {}},
      {"a visible map from an allowed host",
       R"(<iframe src="https://map.baidu.com/?x=1" width="100%" height="300"></iframe>)",
       {}},
      {"a visit counter",
       R"(<script>document.write('<img src="/count.asp?id=3" width=1 height=1>');</script>
          <script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");hm.src="https://hm.baidu.com/hm.js?x";
          var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);})();</script>)",
       {}},
      {"own redirects",
       R"(<meta http-equiv="refresh" content="300"><meta http-equiv="refresh" content="0;url=/new/">
          <script>if(location.href=="x")location.href="/m/index.html";</script>)",
       {}},
  };
  for (const Case& c : cases) EXPECT_EQ(foreign(c.html), c.findings) << c.name;
}

// An inline copy of real minified jQuery (libjs-jquery) is no obfuscation.
TEST(ForeignCodeTest, InlineMinifiedJqueryIsClean) {
  std::ifstream in("/usr/share/javascript/jquery/jquery.min.js");
  ASSERT_TRUE(in) << "scripts/setup.sh installs libjs-jquery";
  std::stringstream js;
  js << in.rdbuf();
  EXPECT_EQ(foreign("<script>" + js.str() + "</script>"), std::vector<std::string>{});
}

TEST(ForeignCodeTest, ExtraTextForKeywords) {
  const PageInspection found = inspect(R"(<head><meta name="Description" content="澳门博彩">
      <meta name="keywords" content="娱乐城,百家乐"><style>.x::after{content:"\8d4c\535a"}</style></head>
      <body><img src="a.png" alt="皇冠体育"><a href="/" title="六合彩">x</a><p style='content:"网投"'>
      <script>document.write("<b>线上" + v + "赌场</b>")</script><img alt="">)");
  using Text = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(found.extra_text, (Text{{"meta description", "澳门博彩"},
                                    {"meta keywords", "娱乐城,百家乐"},
                                    {"css content", "赌博"},
                                    {"img alt", "皇冠体育"},
                                    {"title attribute", "六合彩"},
                                    {"css content", "网投"},
                                    {"document.write", "<b>线上赌场</b>"}}));
}

}  // namespace
}  // namespace netwarden::content_detail
