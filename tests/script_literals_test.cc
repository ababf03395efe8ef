#include "probes/content/script_literals.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace netwarden::content_detail {
namespace {

using Strings = std::vector<std::string>;

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(ScriptLiteralsTest, WrittenHtmlFromEveryWriter) {
  struct Case {
    const char* script;
    Strings written;
  };
  const Case cases[] = {
      {R"(document.write('<a href="http://x.example/">x</a>');)", {R"(<a href="http://x.example/">x</a>)"}},
      {R"(document.writeln("<p>" + name + "</p>"))", {"<p></p>"}},
      {R"(document.write ('<b>'))", {"<b>"}},
      {R"(el.innerHTML = '<i>' + 'x' + "</i>";)", {"<i>x</i>"}},
      {R"(el.innerHTML += `<u>${v}</u>`, f())", {"<u></u>"}},
      {R"(if (el.innerHTML == '<b>') {})", {}},
      {R"(el.outerHTML='<s>')", {"<s>"}},
      {R"(el.insertAdjacentHTML('beforeend', '<a href=//y.example>y</a>'))", {"<a href=//y.example>y</a>"}},
      {R"(document.write('\x3ca href=\u0022http://z.example\u0022\x3e'))", {R"(<a href="http://z.example">)"}},
      {R"(document.write(unescape('%3Ca%20href%3D%22http%3A//u.example%22%3E')))", {R"(<a href="http://u.example">)"}},
      {R"(document.write('%3C'))", {"%3C"}},  // no unescape: the percent stays
      {"document.write('\\u8d4c\\u535a')", {"赌博"}},
      {"document.write('\\ud83d\\ude00')", {"\xF0\x9F\x98\x80"}},
      // In the order written, whatever the writer: split writes nest.
      {R"(x.innerHTML='<i>'; document.write('<div>'); document.write('</div>'))", {"<i>", "<div>", "</div>"}},
      {R"(document.write(s))", {}},
      {R"(document.write('<script>document.write("<b>");location="http://x.example"<\/script>'))",
       {R"(<script>document.write("<b>");location="http://x.example"</script>)"}},
      {R"(document.write('unterminated)", {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(read_script(c.script).written, c.written) << c.script;
  }
}

TEST(ScriptLiteralsTest, RedirectsWithLiteralUrls) {
  struct Case {
    const char* script;
    const char* how;
    const char* url;
  };
  const Case cases[] = {
      {R"(window.location.href = "http://a.example/";)", "location.href", "http://a.example/"},
      {R"(location='http://b.example')", "location", "http://b.example"},
      {R"(top.location.replace("http://c.example"))", "location.replace", "http://c.example"},
      {R"(document.location.assign('//d.example/x'))", "location.assign", "//d.example/x"},
      {R"(window.open('http://e.example/', '_blank'))", "window.open", "http://e.example/"},
      {R"(location.href="http:\/\/f.example")", "location.href", "http://f.example"},
  };
  for (const Case& c : cases) {
    const ScriptReading r = read_script(c.script);
    ASSERT_EQ(r.redirects.size(), 1u) << c.script;
    EXPECT_EQ(r.redirects[0].how, c.how) << c.script;
    EXPECT_EQ(r.redirects[0].url, c.url) << c.script;
  }
  for (const char* clean :
       {R"(if (location.href == "http://a.example") x())", R"(var u = location.href;)",
        R"(location.href = base + "/x")", R"(mylocation = "http://a.example")", R"(location.hostname = "a")",
        R"(window.open(url))", R"(document.write('<script>location="http://a.example"<\/script>'))"}) {
    EXPECT_TRUE(read_script(clean).redirects.empty()) << clean;
  }
}

TEST(ScriptLiteralsTest, ObfuscationOnBothSidesOfEachThreshold) {
  struct Case {
    std::string script;
    bool obfuscated;
  };
  const std::string b64 = repeat("QmFzZTY0", kBase64Run / 8 + 1);
  const Case cases[] = {
      {"eval(unescape('%64%6f'))", true},
      {"eval (String.fromCharCode(97))", true},
      {"eval(atob('YWxlcnQ='))", true},
      {"var s = unescape('%20'); f(s)", false},  // a decoder without eval
      {"x.evaluate(unescape('%20'))", false},    // evaluate is not eval
      {"var s='" + repeat("\\x41", kHexRun) + "'", true},
      {"var s='" + repeat("\\x41", kHexRun - 1) + "'", false},
      {"var s='" + repeat("%u9090", kPercentURun) + "'", true},
      {"var s='" + repeat("%u9090", kPercentURun - 1) + "'", false},
      {"String.fromCharCode(" + repeat("60,", kCharCodes - 1) + "62)", true},
      {"String.fromCharCode(" + repeat("60,", kCharCodes - 2) + "62)", false},
      {"var p='" + b64 + "'", true},
      {"var p='" + b64.substr(0, kBase64Run - 1) + "'", false},
      {"img.src='data:image/png;base64," + b64 + "'", false},  // an inline image
      {"var k='" + repeat("abcdefgh", 60) + "'", false},       // one case only: no base64
  };
  for (const Case& c : cases) {
    EXPECT_EQ(!read_script(c.script).obfuscation.empty(), c.obfuscated) << c.script.substr(0, 80);
  }
  EXPECT_EQ(read_script("eval(unescape('%20'))").obfuscation, "eval( with unescape(");
}

// Real minified libraries from Debian (libjs-jquery, libjs-underscore):
// what an inline copy of them on a clean page looks like.
TEST(ScriptLiteralsTest, MinifiedLibrariesAreNotObfuscated) {
  for (const char* path :
       {"/usr/share/javascript/jquery/jquery.min.js", "/usr/share/javascript/underscore/underscore.min.js"}) {
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " (scripts/setup.sh installs it)";
    std::stringstream source;
    source << in.rdbuf();
    ASSERT_GT(source.str().size(), 10'000u);
    const ScriptReading r = read_script(source.str());
    EXPECT_EQ(r.obfuscation, "") << path;
    EXPECT_TRUE(r.redirects.empty()) << path;
  }
}

TEST(ScriptLiteralsTest, HostileInputStaysBounded) {
  EXPECT_NO_FATAL_FAILURE(read_script(std::string(1 << 20, '\\')));
  EXPECT_NO_FATAL_FAILURE(read_script("document.write(" + std::string(1 << 20, '(')));
  EXPECT_NO_FATAL_FAILURE(read_script("document.write('\\u{110000}\\u{}\\u{12345678}\\x')"));
  const ScriptReading r = read_script(repeat("document.write('a');", 1000));
  EXPECT_LE(r.written.size(), 256u);
  EXPECT_EQ(read_script("location.href=").redirects.size(), 0u);
}

}  // namespace
}  // namespace netwarden::content_detail
