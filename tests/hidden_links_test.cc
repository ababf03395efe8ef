// Hidden links (暗链): each hiding technique, and the clean pages that look
// like them. Pages go through the real scanner (scan_html) into the
// inspector, as ContentAnalyzer runs them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/page_inspection.h"

namespace netwarden::content_detail {
namespace {

PageInspection inspect(std::string_view html, const std::vector<std::string>& allowed = {}) {
  return inspect_page(html, allowed);
}

std::vector<std::string> hidden(std::string_view html) { return listed(inspect(html).hidden_links); }

struct Case {
  const char* name;
  const char* html;
  std::vector<std::string> findings;  // "URL | why"
};

TEST(HiddenLinksTest, EachTechnique) {
  const Case cases[] = {
      {"inline display:none",
       R"(<div style="display:none"><a href="http://bet.example/">赌场</a></div>)",
       {"http://bet.example/ | display:none on <div>"}},
      {"visibility on the link",
       R"(<p><a style="visibility:hidden" href="https://bet.example/x">x</a></p>)",
       {"https://bet.example/x | visibility:hidden on <a>"}},
      {"rule by id",
       R"(<style>#s1{display:none}</style><div id="s1"><a href="//bet.example/">x</a></div>)",
       {"//bet.example/ | display:none on <div id=\"s1\">"}},
      {"rule by class",
       R"(<style>.z { visibility: hidden }</style><span class="a z"><a href="http://bet.example">x</a></span>)",
       {"http://bet.example | visibility:hidden on <span class=\"a z\">"}},
      {"a style after what it hides",
       R"(<div id="seo"><a href="http://bet.example/">x</a></div><style>#seo{display:none}</style>)",
       {"http://bet.example/ | display:none on <div id=\"seo\">"}},
      {"shown only when hovered itself",
       R"(<style>.x{display:none}.x:hover{display:block}</style><p class="x"><a href="http://bet.example/">x</a></p>)",
       {"http://bet.example/ | display:none on <p class=\"x\">"}},
      {"rule by tag",
       R"(<style>dfn{display:none}</style><dfn><a href="http://bet.example">x</a></dfn>)",
       {"http://bet.example | display:none on <dfn>"}},
      {"descendant rule",
       R"(<style>.links a{display:none}</style><div class="links"><p><a href="http://bet.example">x</a></div>)",
       {"http://bet.example | display:none on <a>"}},
      {"!important beats the style attribute",
       R"(<style>.h{display:none!important}</style><div class="h" style="display:block"><a href="http://bet.example">x</a></div>)",
       {"http://bet.example | display:none on <div class=\"h\">"}},
      {"off-screen left",
       R"(<div style="position:absolute;left:-9999px"><a href="http://bet.example">x</a></div>)",
       {"http://bet.example | left:-9999px on <div>"}},
      {"off-screen top",
       R"(<div style="position:fixed; top:-2000px"><a href="http://bet.example">x</a></div>)",
       {"http://bet.example | top:-2000px on <div>"}},
      {"text-indent",
       R"(<p style="text-indent:-9999px"><a href="http://bet.example">x</a></p>)",
       {"http://bet.example | text-indent:-9999px on <p>"}},
      {"zero-height clip",
       R"(<div style="height:0;overflow:hidden"><a href="http://bet.example">x</a></div>)",
       {"http://bet.example | height:0px with overflow:hidden on <div>"}},
      {"one-pixel link",
       R"(<a href="http://bet.example" style="display:block;width:1px;height:1px">x</a>)",
       {"http://bet.example | width:1px on <a>"}},
      {"font-size:0",
       R"(<span style="font-size:0"><a href="http://bet.example">x</a></span>)",
       {"http://bet.example | font-size:0px on <span>"}},
      {"tiny marquee",
       R"(<marquee height=1 width=1><a href="http://bet.example">x</a></marquee>)",
       {"http://bet.example | width 1px on <marquee>"}},
      {"fast marquee",
       R"(<marquee scrollamount="10000"><a href="http://bet.example">x</a></marquee>)",
       {"http://bet.example | scrollamount=10000 on <marquee>"}},
      {"hidden attribute",
       R"(<section hidden><a href="http://bet.example">x</a></section>)",
       {"http://bet.example | hidden attribute on <section>"}},
      {"an area of an image map",
       R"(<map style="display:none"><area href="http://bet.example/"></map>)",
       {"http://bet.example/ | display:none on <map>"}},
      {"display:none cannot be undone inside",
       R"(<div style="display:none"><p style="display:block"><a href="http://bet.example">x</a></p></div>)",
       {"http://bet.example | display:none on <div>"}},
      {"document.write",
       R"(<script>document.write('<div style="display:none"><a href="http://bet.example/">赌场</a></div>');</script>)",
       {"http://bet.example/ | display:none on <div>"}},
      {"split writes nest",
       R"(<script>document.write('<div style="display:none">');document.write('<a href="http://bet.example/">x</a>');document.write('</div>')</script>)",
       {"http://bet.example/ | display:none on <div>"}},
      {"innerHTML with escapes",
       R"(<script>el.innerHTML = "<span style=\x22font-size:0\x22><a href=http://bet.example>x</a></span>";</script>)",
       {"http://bet.example | font-size:0px on <span>"}},
      {"a script inside a hidden container",
       R"(<div style="display:none"><script>document.write("<a href='http://bet.example'>x</a>")</script></div>)",
       {"http://bet.example | display:none on <div>"}},
      {"unescape in document.write",
       R"(<script>document.write(unescape('%3Cdiv%20style%3D%22display%3Anone%22%3E%3Ca%20href%3D%22http%3A//bet.example%22%3E'))</script>)",
       {"http://bet.example | display:none on <div>"}},
      {"one finding per link and reason",
       R"(<div style="display:none"><a href="http://bet.example">1</a><a href="http://bet.example">2</a><a href="http://porn.example">3</a></div>)",
       {"http://bet.example | display:none on <div>", "http://porn.example | display:none on <div>"}},
  };
  for (const Case& c : cases) EXPECT_EQ(hidden(c.html), c.findings) << c.name;
}

TEST(HiddenLinksTest, CleanPages) {
  const Case cases[] = {
      {"own mobile menu",
       R"(<style>.m-nav{display:none}</style><ul class="m-nav"><li><a href="/about/">关于</a><li><a href="https://jwc.example.edu.cn/">教务处</a>
          <li><a href="http://WWW.EXAMPLE.EDU.CN/news/">新闻</a><li><a href="javascript:;">x</a></ul>)",
       {}},
      {"visible links to other universities",
       R"(<div class="footer"><a href="https://www.tsinghua.edu.cn/">清华大学</a> <a href="http://www.moe.gov.cn/">教育部</a></div>)",
       {}},
      {"closed hidden container",
       R"(<div style="display:none"><p>x</p></div><a href="http://www.pku.edu.cn/">北大</a>)",
       {}},
      {"the last declaration wins",
       R"(<div style="display:none;display:block"><a href="http://www.pku.edu.cn/">x</a></div>)",
       {}},
      {"visibility shown again",
       R"(<div style="visibility:hidden"><a style="visibility:visible" href="http://www.pku.edu.cn/">x</a></div>)",
       {}},
      {"inline-block gap trick",
       R"(<style>.nav{font-size:0}.nav li{font-size:14px}</style><ul class="nav"><li><a href="http://www.pku.edu.cn/">x</a></ul>)",
       {}},
      {"a friend-links drop-down",
       R"(<style>.yqlj ul{display:none}.yqlj:hover ul{display:block}</style><div class="yqlj">友情链接<ul><li><a href="http://www.pku.edu.cn/">北大</a></ul></div>)",
       {}},
      {"a suckerfish menu",
       R"(<style>#nav ul{position:absolute;left:-999em}#nav li:hover ul,#nav li.sfhover ul{left:auto}</style><ul id="nav"><li>链接<ul><li><a href="http://www.pku.edu.cn/">北大</a></ul></ul>)",
       {}},
      {"a hover menu",
       R"(<style>.dd a:hover{display:none}.dd ul{display:block}</style><div class="dd"><a href="http://www.pku.edu.cn/">x</a></div>)",
       {}},
      {"small offsets",
       R"(<div style="position:absolute;left:-20px;top:-50px"><a href="http://www.pku.edu.cn/">x</a></div>)",
       {}},
      {"a normal marquee",
       R"(<marquee scrollamount="3" height="120"><a href="http://www.pku.edu.cn/">通知</a></marquee>)",
       {}},
      {"siblings are not nested",
       R"(<ul><li style="display:none">a<li><a href="http://www.pku.edu.cn/">x</a></ul>)",
       {}},
      {"a written link that is visible",
       R"(<div style="display:none"><a href="/x">x</a></div><p><script>document.write('<a href="http://www.pku.edu.cn/">x</a>')</script></p>)",
       {}},
  };
  for (const Case& c : cases) EXPECT_EQ(hidden(c.html), c.findings) << c.name;
  // A host the target allows counts as its own.
  EXPECT_TRUE(inspect(R"(<div hidden><a href="http://partner.example/">x</a></div>)", {"partner.example"})
                  .hidden_links.empty());
}

// What a search engine reads as the link's words goes with the finding: the
// bought spam (and the keyword that makes it urgent) is in them.
TEST(HiddenLinksTest, TheLinksWordsAreKept) {
  const auto words = [](std::string_view html) {
    std::vector<std::string> out;
    for (const PageFinding& f : inspect(html).hidden_links) out.push_back(f.text);
    return out;
  };
  EXPECT_EQ(words(R"(<div style="display:none"><a href="http://bet.example/"> 澳门 <b>博彩</b>
                     官网<img alt="皇冠" src=x.png>体育</a> after</div>)"),
            std::vector<std::string>{"澳门 博彩 官网 皇冠 体育"});
  EXPECT_EQ(words(R"(<div hidden><a href="http://a.example/">one<a href="http://b.example/">two</a>three</div>)"),
            (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(words(R"(<div hidden><map><area href="http://bet.example/" alt="赌场"></map></div>)"),
            std::vector<std::string>{"赌场"});
  EXPECT_EQ(words(R"(<div hidden><script>document.write('<a href="http://bet.example/">写入</a>')</script></div>)"),
            std::vector<std::string>{"写入"});
  // Kept short, in whole characters.
  std::string many = R"(<div hidden><a href="http://bet.example/">)";
  for (int i = 0; i < 500; ++i) many += "博彩";
  const std::string kept = words(many + "</a></div>").at(0);
  EXPECT_LE(kept.size(), PageInspector::kMaxLinkTextBytes);
  EXPECT_EQ(kept.size() % 3, 0u);
  EXPECT_TRUE(kept.starts_with("博彩博彩"));
}

// A hidden link written by a script written by a script ... `depth` deep.
std::string written_by_nested_scripts(int depth) {
  std::string html = R"(<div style="display:none"><a href="http://bet.example/">x</a></div>)";
  for (int i = 0; i < depth; ++i) {
    std::string escaped;
    for (char c : html) {
      if (c == '\'' || c == '\\' || c == '/') escaped += '\\';
      escaped += c;
    }
    html = "<script>document.write('" + escaped + "')</script>";
  }
  return html;
}

TEST(HiddenLinksTest, WritesNestOnlySoDeep) {
  EXPECT_EQ(hidden(written_by_nested_scripts(PageInspector::kMaxWriteDepth)).size(), 1u);
  EXPECT_TRUE(hidden(written_by_nested_scripts(PageInspector::kMaxWriteDepth + 1)).empty());
}

TEST(HiddenLinksTest, HostilePagesStayBounded) {
  // Past kMaxDepth elements are not tracked, but what the deepest tracked
  // one hides stays hidden.
  std::string deep = R"(<div style="display:none">)";
  for (int i = 0; i < 20000; ++i) deep += "<div>";
  deep += R"(<a href="http://bet.example/">x</a>)";
  for (int i = 0; i < 20001; ++i) deep += "</div>";
  deep += R"(<a href="http://bet2.example/">x</a>)";
  EXPECT_EQ(hidden(deep), std::vector<std::string>{"http://bet.example/ | display:none on <div>"});
  std::string many = R"(<div style="display:none">)";
  for (int i = 0; i < 500; ++i) many += "<a href=\"http://h" + std::to_string(i) + ".example/\">x</a>";
  EXPECT_EQ(inspect(many).hidden_links.size(), PageInspector::kMaxFindings);
}

}  // namespace
}  // namespace netwarden::content_detail
