#include "daemon/notifier/message/mail_templates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "daemon/notifier/message/mail_compose.h"
#include "daemon/notifier/message/text_diff.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;

std::string error_of(std::string_view text, bool one_line = false) {
  auto t = MailTemplate::parse(text, "t.txt", one_line);
  return t ? "" : t.error().message;
}

std::string render(std::string_view text, const TemplateValues& values) {
  auto t = MailTemplate::parse(text, "t.txt", false);
  EXPECT_TRUE(t) << t.error().message;
  return t ? t->render(values) : "";
}

TEST(MailTemplateTest, SectionsShowOnNonEmptyOrEmptyValues) {
  const TemplateValues v = {{"target", "门户网站"}, {"host", ""}, {"url", "https://x"}};
  EXPECT_EQ(render("{{target}}{{#host}} {{host}}{{/host}}!", v), "门户网站!");
  EXPECT_EQ(render("{{#url}}<{{url}}>{{/url}}{{^host}} no host{{/host}}", v), "<https://x> no host");
  EXPECT_EQ(render("{{ target }}|{{detail}}|", v), "门户网站||") << "spaces inside tags; missing is empty";
  EXPECT_EQ(render("{{#url}}a{{#host}}b{{/host}}c{{/url}}", v), "ac");
}

TEST(MailTemplateTest, StandaloneSectionLinesAndCommentsLeaveNoTrace) {
  const std::string text =
      "## a comment with {{unknown}} in it\n"
      "first\n"
      "  {{#host}}  \n"
      "host: {{host}}\n"
      "{{/host}}\n"
      "{{#url}}\n"
      "url: {{url}}\n"
      "## a comment inside\n"
      "{{/url}}\n"
      "last {{#url}}inline{{/url}}\n";
  EXPECT_EQ(render(text, {{"url", "u"}}), "first\nurl: u\nlast inline\n");
  EXPECT_EQ(render(text, {{"host", "h"}}), "first\nhost: h\nlast \n");
}

TEST(MailTemplateTest, ErrorsNameFileLineAndCharacterColumn) {
  EXPECT_EQ(error_of("ok\n门户 {{targt}}\n"), "t.txt:2:4: unknown placeholder \"{{targt}}\"");
  EXPECT_EQ(error_of("ok {{target\n}}"), "t.txt:1:4: \"{{\" without \"}}\" on the same line");
  EXPECT_EQ(error_of("{{#host}}\n  {{/url}}"), "t.txt:2:3: \"{{/url}}\" does not close \"{{#host}}\" opened at 1:1");
  EXPECT_EQ(error_of("a\n{{^host}}x"), "t.txt:2:1: section \"{{^host}}\" is never closed");
  EXPECT_EQ(error_of("中文{{/host}}"), "t.txt:1:3: \"{{/host}}\" closes no section");
  EXPECT_EQ(error_of("line\n中文\xE4\xB8x"), "t.txt:2:3: not valid UTF-8");
  EXPECT_EQ(error_of("{{#}}"), "t.txt:1:1: unknown placeholder \"{{#}}\"");
  EXPECT_EQ(error_of("subject {{target}}\nsecond line\n", true), "t.txt:1:19: a subject template is a single line");
  EXPECT_EQ(error_of("subject {{target}}\n\n## comment\n", true), "") << "trailing line ends are dropped";
}

TEST(MailTemplateTest, BuiltInTemplatesLoadAndCoverEveryPlaceholderName) {
  auto templates = load_mail_templates("");
  ASSERT_TRUE(templates) << templates.error().message;
  // The default bodies document every placeholder and use most of them.
  TemplateValues values;
  for (auto name : mail_template_placeholders()) values[std::string(name)] = "<" + std::string(name) + ">";
  const std::string zh = templates->zh.body.render(values), en = templates->en.body.render(values);
  for (auto name : {"recipient", "reasons", "diff", "ack_command", "destinations", "keywords", "responsible"}) {
    EXPECT_NE(zh.find("<" + std::string(name) + ">"), std::string::npos) << name;
    EXPECT_NE(en.find("<" + std::string(name) + ">"), std::string::npos) << name;
  }
  EXPECT_EQ(zh.find("##"), std::string::npos) << "comments are stripped";
}

TEST(MailTemplateTest, DirectoryOverridesBuiltInsAndReportsItsErrors) {
  test::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir.file(name)) << text; };
  write("subject.zh.txt", "主题 {{target}}\n");
  write("body.zh.txt", "正文 {{incident}}\n");
  write("subject.en.txt", "Subject {{target}}\n");
  auto templates = load_mail_templates(dir.path().string());
  ASSERT_FALSE(templates);
  EXPECT_EQ(templates.error().message, dir.file("body.en.txt") + ": No such file or directory");

  write("body.en.txt", "Body {{incident}}\n{{#drill}}\n");
  templates = load_mail_templates(dir.path().string());
  ASSERT_FALSE(templates);
  EXPECT_EQ(templates.error().message, dir.file("body.en.txt") + ":2:1: section \"{{#drill}}\" is never closed");

  write("body.en.txt", "Body {{incident}}\n");
  templates = load_mail_templates(dir.path().string());
  ASSERT_TRUE(templates) << templates.error().message;
  const TemplateValues v = {{"target", "门户网站"}, {"incident", "12"}};
  EXPECT_EQ(templates->zh.subject.render(v), "主题 门户网站");
  EXPECT_EQ(templates->en.body.render(v), "Body 12\n");
}

TEST(MailWordingTest, DurationsInBothLanguages) {
  EXPECT_EQ(duration_text(2h + 10min + 30s, MailLanguage::zh), "2小时10分");
  EXPECT_EQ(duration_text(2h + 10min + 30s, MailLanguage::en), "2h 10m");
  EXPECT_EQ(duration_text(3h, MailLanguage::zh), "3小时");
  EXPECT_EQ(duration_text(5min + 30s, MailLanguage::en), "5m 30s");
  EXPECT_EQ(duration_text(45s, MailLanguage::zh), "45秒");
  EXPECT_EQ(duration_text(26h + 5min, MailLanguage::zh), "1天2小时");
  EXPECT_EQ(duration_text(0s, MailLanguage::en), "0s");
  EXPECT_EQ(reason_text({NotifyReason::What::threshold_warning, 0, 1h}, MailLanguage::zh), "距阈值还剩1小时");
  EXPECT_EQ(reason_text({NotifyReason::What::repeat, 1, {}}, MailLanguage::en), "repeat of step 1");
  EXPECT_EQ(role_name("first_responsible", MailLanguage::zh), "第一责任人");
}

TEST(ShortDiffTest, ShowsWhatChangedInsideOneLongLine) {
  const std::string before = "学校简介 欢迎访问信息中心 新闻 2026年11月通知 联系我们";
  const std::string after = "学校简介 本站已被黑 新闻 2026年12月通知 联系我们";
  ShortDiff d = short_diff(before, after);
  ASSERT_EQ(d.lines.size(), 4u);
  EXPECT_EQ(d.omitted, 0u);
  EXPECT_FALSE(d.lines[0].added);
  EXPECT_EQ(d.lines[0].text, "欢迎访问信息中心");
  EXPECT_TRUE(d.lines[1].added);
  EXPECT_EQ(d.lines[1].text, "本站已被黑");
  EXPECT_EQ(d.lines[2].text, "11");
  EXPECT_EQ(d.lines[3].text, "12");
  EXPECT_TRUE(short_diff(before, before).lines.empty());
}

TEST(ShortDiffTest, CutsLongLinesAndCountsWhatItLeavesOut) {
  std::string before, after;
  for (int i = 0; i < 40; ++i) {
    before += "段落" + std::to_string(i) + " 原文 ";
    after += "段落" + std::to_string(i) + " 新文 ";
  }
  ShortDiff d = short_diff(before, after, 20, 80);
  EXPECT_EQ(d.lines.size(), 20u);
  EXPECT_EQ(d.omitted, 60u);

  ShortDiff cut = short_diff("a", std::string(300, 'x') + "中文", 20, 10);
  ASSERT_EQ(cut.lines.size(), 2u);
  EXPECT_EQ(cut.lines[1].text, std::string(10, 'x') + "…");
  ShortDiff cjk = short_diff("a", "一二三四五六七八九十十一", 20, 10);
  EXPECT_EQ(cjk.lines[1].text, "一二三四五六七八九十…");
}

TEST(ShortDiffTest, HugeRewritesAreOneHunk) {
  std::string before, after;
  for (int i = 0; i < 3000; ++i) {
    before += "旧" + std::to_string(i) + " ";
    after += "新" + std::to_string(i) + " ";
  }
  ShortDiff d = short_diff(before, after, 20, 30);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_TRUE(d.lines[0].text.starts_with("旧0 旧1"));
  EXPECT_TRUE(d.lines[1].text.starts_with("新0 新1"));
}

// A site down 2h10m into a 3h threshold, as issue 4 shows it.
class MailComposeTest : public testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "CST-8", 1);
    tzset();
    config.people["liu_yang"] = Person{"liu_yang", "刘洋", "liu.yang@example.edu.cn", "zh", "", {"email"}};
    config.people["zhang_wei"] = Person{"zhang_wei", "张伟", "zhang.wei@example.edu.cn", "en", "", {"email"}};
    config.people["li_na"] = Person{"li_na", "李娜", "li.na@example.edu.cn", "zh+en", "", {"email"}};
    config.units["xxzx"] = Unit{"xxzx", "信息中心", {"zhang_wei"}, {"li_na"}, {"liu_yang"}, {}};
    WebTarget portal;
    portal.id = "portal";
    portal.name = "门户网站";
    portal.url = "https://www.example.edu.cn/index.html";
    portal.unit = "xxzx";
    config.targets.push_back(portal);
    IsolationWatch lab;
    lab.id = "lab-net";
    lab.unit = "xxzx";
    config.isolation.push_back(lab);
    config.mail.from = "netwarden@example.edu.cn";

    incident.id = 12;
    incident.kind = IncidentKind::site_down;
    incident.target = "portal";
    incident.severity = Severity::major;
    incident.detail = "connection timed out";
    incident.started_at = from_unix_ms(1795593900000);  // 2026-11-25 08:05:00 UTC
    incident.detected_at = incident.started_at + 2min;
    incident.notified = {"liu_yang"};
    notification = {12, "li_na", {{NotifyReason::What::step, 2, {}}}, false};
    auto loaded = load_mail_templates("");
    ASSERT_TRUE(loaded) << loaded.error().message;
    templates = *loaded;
  }

  MailMessage compose(const std::string& person, Duration since_start, bool drill = false) {
    MailContext c = mail_context(config, incident, notification, evidence, incident.started_at + since_start);
    c.drill = drill;
    return compose_mail(c, config.people.at(person), templates, config.mail, "<id@x>", {});
  }

  Config config;
  Incident incident;
  Notification notification;
  MailEvidence evidence;
  MailTemplates templates;
};

constexpr const char* kZhSubject =
    "【网络安全事件·重大】门户网站 www.example.edu.cn 无法访问，已持续2小时10分（阈值3小时）";
constexpr const char* kEnSubject =
    "[Security incident · major] 门户网站 (www.example.edu.cn) unreachable for 2h 10m (threshold 3h)";

TEST_F(MailComposeTest, SubjectFollowsEachPersonsLanguage) {
  EXPECT_EQ(compose("liu_yang", 2h + 10min).subject, kZhSubject);
  EXPECT_EQ(compose("zhang_wei", 2h + 10min).subject, kEnSubject);
  EXPECT_EQ(compose("li_na", 2h + 10min).subject, std::string(kZhSubject) + " / " + kEnSubject);
}

TEST_F(MailComposeTest, BilingualBodyIsChineseThenSeparatorThenEnglish) {
  const std::string body = compose("li_na", 2h + 10min).body;
  const std::size_t zh = body.find("李娜，您好："), sep = body.find("\n-----"), en = body.find("Dear 李娜,");
  ASSERT_NE(zh, std::string::npos) << body;
  ASSERT_NE(sep, std::string::npos) << body;
  ASSERT_NE(en, std::string::npos) << body;
  EXPECT_LT(zh, sep);
  EXPECT_LT(sep, en);
  for (const char* line :
       {"\n通知原因：第2级通知\n", "\n开始时间：2026-11-25 16:05:00 +08:00\n", "\n已持续：2小时10分\n",
        "\n处置时限：3小时（至 2026-11-25 19:05:00 +08:00）\n", "\n距时限还剩：50分\n",
        "\n责任单位：信息中心\n单位负责人：张伟\n安全员：李娜\n运维人员：刘洋\n", "\n已通知：刘洋\n",
        "\n    netwardenctl ack 12\n", "\nWhy you get this: step 2\n", "\nTime left:  50m\n",
        "\nhead of unit: 张伟\nsecurity officer: 李娜\noperator: 刘洋\n", "\nDetails:    connection timed out\n"}) {
    EXPECT_NE(body.find(line), std::string::npos) << line << "\nin:\n" << body;
  }
  EXPECT_EQ(body.find("\n\n\n"), std::string::npos) << body;
}

TEST_F(MailComposeTest, CrossedResolvedDrillAndLateReadNaturally) {
  incident.threshold_at = incident.started_at + 3h;
  EXPECT_EQ(compose("liu_yang", 3h + 20min).subject,
            "【网络安全事件·重大】门户网站 www.example.edu.cn 无法访问，已持续3小时20分（已超过阈值3小时）");
  EXPECT_EQ(compose("zhang_wei", 3h + 20min).subject,
            "[Security incident · major] 门户网站 (www.example.edu.cn) unreachable for 3h 20m (crossed the threshold "
            "3h)");

  incident.resolved_at = incident.started_at + 3h + 5min;
  notification.reasons = {{NotifyReason::What::resolved, 0, {}}};
  notification.late = true;
  EXPECT_EQ(compose("liu_yang", 4h, true).subject,
            "【演练】【补发】【网络安全事件·重大】门户网站 www.example.edu.cn "
            "无法访问，已恢复，共持续3小时5分（曾超过阈值3小时）");
  const MailMessage en = compose("zhang_wei", 4h, true);
  EXPECT_EQ(
      en.subject,
      "[DRILL] [late] [Security incident · major] 门户网站 (www.example.edu.cn) unreachable, resolved after 3h 5m "
      "(threshold 3h was crossed)");
  EXPECT_EQ(en.body.find("netwardenctl ack"), std::string::npos) << "nothing left to acknowledge";
  EXPECT_NE(en.body.find("This notice fell due while the monitor was not running"), std::string::npos);
}

TEST_F(MailComposeTest, KindsWithoutAHostOrAThreshold) {
  incident.kind = IncidentKind::isolation_breach;
  incident.target = "lab-net";
  incident.severity = Severity::significant;
  evidence.destinations = {"10.1.2.3 -> 93.184.216.34:443/tcp", "10.1.2.9 -> 8.8.8.8:53/udp"};
  const MailMessage m = compose("liu_yang", 5min);
  EXPECT_EQ(m.subject, "【网络安全事件·较大】lab-net 内网违规外联，已持续5分（阈值3小时）");
  EXPECT_NE(m.body.find("违规外联目的地址：\n10.1.2.3 -> 93.184.216.34:443/tcp\n10.1.2.9 -> 8.8.8.8:53/udp\n"),
            std::string::npos)
      << m.body;

  incident.kind = IncidentKind::tls_problem;
  incident.target = "portal";
  incident.severity = Severity::general;
  evidence = {};
  evidence.cert_days_left = 5;
  const MailMessage tls = compose("zhang_wei", 26h);
  EXPECT_EQ(tls.subject,
            "[Security incident · general] 门户网站 (www.example.edu.cn) TLS certificate problem for 1d 2h");
  EXPECT_NE(tls.body.find("Certificate:     certificate expires in 5 days\n"), std::string::npos) << tls.body;
}

TEST_F(MailComposeTest, ContentChangeCarriesTheShortDiff) {
  incident.kind = IncidentKind::content_changed;
  evidence.old_text = "首页 欢迎访问 新闻";
  evidence.new_text = "首页 已被篡改 新闻";
  evidence.http_status = 200;
  evidence.latency_ms = 321;
  const std::string body = compose("li_na", 10min).body;
  EXPECT_NE(body.find("页面文字变更（- 删除，+ 新增）：\n- 欢迎访问\n+ 已被篡改\n"), std::string::npos) << body;
  EXPECT_NE(body.find("HTTP 状态码：200\n响应用时：321 毫秒\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Response time:   321 ms\n"), std::string::npos) << body;
}

TEST_F(MailComposeTest, HiddenLinksAndForeignCodeAreListedWithWhy) {
  incident.kind = IncidentKind::hidden_link;
  incident.detail = "http://bet.example/ (display:none on <div class=\"f\">)";
  evidence.hidden_links = {
      {"http://bet.example/", "display:none on <div class=\"f\">"},
      {.what = "http://casino.example/", .why = "font-size:0", .text = "澳门 博彩", .keywords = {"博彩"}}};
  const MailMessage m = compose("li_na", 5min);
  EXPECT_EQ(m.subject.substr(0, m.subject.find(" / ")),
            "【网络安全事件·重大】门户网站 www.example.edu.cn 网页暗链，已持续5分（阈值3小时）");
  EXPECT_NE(m.subject.find("[Security incident · major] 门户网站 (www.example.edu.cn) hidden links for 5m"),
            std::string::npos)
      << m.subject;
  EXPECT_NE(m.body.find("访客看不到的链接：\nhttp://bet.example/（display:none on <div class=\"f\">）\n"
                        "http://casino.example/（font-size:0、链接文字“澳门 博彩”、含有害关键词 博彩）\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("Links visitors cannot see:\nhttp://bet.example/ (display:none on <div class=\"f\">)\n"
                        "http://casino.example/ (font-size:0, link text \"澳门 博彩\", harmful keywords 博彩)\n"),
            std::string::npos)
      << m.body;

  incident.kind = IncidentKind::malicious_code;
  evidence = {};
  evidence.foreign_code = {{"http://evil.example/x.js", "host evil.example not allowed"}};
  const MailMessage code = compose("zhang_wei", 5min);
  EXPECT_NE(code.subject.find("malicious code for 5m"), std::string::npos) << code.subject;
  EXPECT_NE(code.body.find("Foreign or obfuscated code:\nhttp://evil.example/x.js (host evil.example not allowed)\n"),
            std::string::npos)
      << code.body;

  incident.kind = IncidentKind::cloaking;
  incident.detail = "as Baiduspider: a redirect to http://bet.example/";
  evidence = {};
  const MailMessage cloaked = compose("liu_yang", 5min);
  EXPECT_NE(cloaked.subject.find("快照劫持"), std::string::npos) << cloaked.subject;
  EXPECT_NE(cloaked.body.find("情况说明：as Baiduspider: a redirect to http://bet.example/\n"), std::string::npos)
      << cloaked.body;
}

TEST_F(MailComposeTest, PersonalDataIsListedByKindWithCountsAndMaskedExamples) {
  incident.kind = IncidentKind::privacy_leak;
  incident.severity = Severity::significant;
  incident.detail = "id_number 4 (440306********1232, 320583********4561, 110105********002X)";
  evidence.personal_data = {{"id_number", 4, {"440306********1232", "320583********4561", "110105********002X"}},
                            {"mobile_number", 31, {"138****5678"}}};
  const MailMessage m = compose("li_na", 5min);
  EXPECT_NE(m.subject.find("门户网站 www.example.edu.cn 个人信息泄露"), std::string::npos) << m.subject;
  EXPECT_NE(m.subject.find("personal data exposed"), std::string::npos) << m.subject;
  EXPECT_NE(m.body.find("页面 https://www.example.edu.cn/index.html 上的个人信息（已打码）：\n"
                        "身份证号 4 个，例如 440306********1232、320583********4561、110105********002X\n"
                        "手机号码 31 个，例如 138****5678\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("Personal data on https://www.example.edu.cn/index.html (masked):\n"
                        "ID numbers: 4 (440306********1232, 320583********4561, 110105********002X, ...)\n"
                        "mobile numbers: 31 (138****5678, ...)\n"),
            std::string::npos)
      << m.body;
}

TEST_F(MailComposeTest, KeywordHitsNameTheCategoryAndQuoteThePage) {
  incident.kind = IncidentKind::harmful_content;
  evidence.keywords = {"博彩", "rumour"};
  evidence.keyword_hits = {KeywordHit{"博彩", "gambling", "critical", "img alt", "澳门博彩 官方网站", 3},
                           KeywordHit{"rumour", "", "", "text", "a rumour spreads", 1},
                           KeywordHit{"赌场", "", "", "document.write", "赌场", 1},
                           KeywordHit{"娱乐城", "", "", "meta property=og:title", "娱乐城", 1}};
  const std::string body = compose("li_na", 1min).body;
  EXPECT_NE(body.find("命中位置及原文：\n博彩（赌博类、见于图片替代文字、3处）：“澳门博彩 官方网站”\n"
                      "rumour（见于正文）：“a rumour spreads”\n"
                      "赌场（见于脚本写入的内容）：“赌场”\n"
                      "娱乐城（见于meta标签 property=og:title）：“娱乐城”\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("Where they were seen:\n博彩 (gambling, in img alt, 3 times): \"澳门博彩 官方网站\"\n"
                      "rumour (in text): \"a rumour spreads\"\n"
                      "赌场 (in HTML written by a script): \"赌场\"\n"
                      "娱乐城 (in meta property=og:title): \"娱乐城\"\n"),
            std::string::npos)
      << body;
}

TEST_F(MailComposeTest, ACrawlsFindingsSayItWasACrawlAndNameTheirPages) {
  incident.kind = IncidentKind::privacy_leak;
  incident.subject = "crawl";
  evidence.personal_data = {{"id_number", 3, {"440306********1232"}, "https://www.example.edu.cn/files/list.xlsx"}};
  evidence.hidden_links = {{"http://bet.example/", "display:none", "", {}, "https://www.example.edu.cn/news/7.html"}};
  const MailMessage m = compose("li_na", 5min);
  EXPECT_NE(m.subject.find("个人信息泄露（全站巡查）"), std::string::npos) << m.subject;
  EXPECT_NE(m.subject.find("personal data exposed (site crawl)"), std::string::npos) << m.subject;
  EXPECT_NE(m.body.find("网站各页面和附件上的个人信息（已打码）：\n"
                        "身份证号 3 个，例如 440306********1232，页面 https://www.example.edu.cn/files/list.xlsx\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("Personal data on the site's pages and files (masked):\n"
                        "ID numbers: 3 (440306********1232, ...), on https://www.example.edu.cn/files/list.xlsx\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("http://bet.example/ (display:none, on https://www.example.edu.cn/news/7.html)"),
            std::string::npos)
      << m.body;
  EXPECT_EQ(m.body.find("Personal data on https://www.example.edu.cn/"), std::string::npos) << "not the watched page";
}

TEST_F(MailComposeTest, ValuesCoverExactlyThePlaceholders) {
  MailContext c = mail_context(config, incident, notification, evidence, incident.started_at + 1h);
  std::set<std::string> names, placeholders;
  for (const auto& [name, value] : template_values(c, config.people.at("li_na"), MailLanguage::zh)) names.insert(name);
  for (auto name : mail_template_placeholders()) placeholders.insert(std::string(name));
  EXPECT_EQ(names, placeholders);
}

TEST_F(MailComposeTest, ThreadAndHeaders) {
  MailContext c = mail_context(config, incident, notification, evidence, incident.started_at + 1h);
  MailMessage m = compose_mail(c, config.people.at("li_na"), templates, config.mail, "<b@x>", {"<root@x>", "<a@x>"});
  EXPECT_EQ(m.message_id, "<b@x>");
  EXPECT_EQ(m.in_reply_to, "<a@x>");
  EXPECT_EQ(m.references, (std::vector<std::string>{"<root@x>", "<a@x>"}));
  EXPECT_EQ(m.to.address, "li.na@example.edu.cn");
  EXPECT_EQ(m.to.name, "李娜");
  EXPECT_EQ(m.from.address, "netwarden@example.edu.cn");
  EXPECT_EQ(m.date, c.now);
  ASSERT_FALSE(m.extra_headers.empty());
  EXPECT_EQ(m.extra_headers[0], (std::pair<std::string, std::string>{"X-Netwarden-Incident", "12"}));
}

TEST_F(MailComposeTest, TheLedgerHeadIsAHeaderAndALineInBothLanguages) {
  MailContext c = mail_context(config, incident, notification, evidence, incident.started_at + 1h);
  const std::string hash(64, 'c');
  EXPECT_EQ(compose_mail(c, config.people.at("li_na"), templates, config.mail, "<b@x>", {}).extra_headers.size(), 2u)
      << "no head known, no header";
  c.ledger_seq = 42;
  c.ledger_hash = hash;
  Person both = config.people.at("li_na");
  both.language = "zh+en";
  const MailMessage m = compose_mail(c, both, templates, config.mail, "<b@x>", {});
  EXPECT_EQ(m.extra_headers.back(),
            (std::pair<std::string, std::string>{"X-Netwarden-Ledger", "seq=42; hash=" + hash}));
  EXPECT_NE(m.body.find("台账：seq=42; hash=" + hash + "\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("Ledger:     seq=42; hash=" + hash + "\n"), std::string::npos) << m.body;
}

}  // namespace
}  // namespace netwarden
