// Rendered messages are checked by a real MIME parser: Debian's python3
// `email` package with the strict modern policy, run as a child process.
#include "daemon/notifier/message/mail_message.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

#include "daemon/notifier/message/mail_compose.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using namespace std::chrono_literals;

// Prints what the parser makes of the message as JSON, with every defect
// it noticed in the message or any header.
constexpr const char* kParser = R"(
import email, json, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
def address(name):
    a = m[name].addresses
    return {'name': a[0].display_name, 'address': a[0].addr_spec, 'count': len(a)}
defects = [repr(d) for d in m.defects]
for k in m.keys():
    defects += [k + ': ' + repr(d) for d in m[k].defects]
print(json.dumps({
    'defects': defects,
    'headers': [k for k in m.keys()],
    'subject': str(m['subject']),
    'from': address('from'),
    'to': address('to'),
    'date': m['date'].datetime.isoformat(),
    'message_id': str(m['message-id']).strip(),
    'in_reply_to': str(m['in-reply-to'] or '').strip(),
    'references': ' '.join(str(m['references'] or '').split()),
    'incident': str(m['x-netwarden-incident']),
    'mime_version': str(m['mime-version']),
    'content_type': m.get_content_type(),
    'charset': m.get_content_charset(),
    'transfer_encoding': m['content-transfer-encoding'].cte,
    'body': m.get_content().replace('\r\n', '\n'),
}))
)";

struct Parsed {
  boost::json::object json;
  std::string at(const char* key) const { return std::string(json.at(key).as_string()); }
  std::string at(const char* key, const char* inner) const {
    return std::string(json.at(key).as_object().at(inner).as_string());
  }
};

Parsed parse_with_python(const std::string& message) {
  test::TempDir dir;
  const std::string path = dir.file("message.eml");
  std::ofstream(path, std::ios::binary) << message;
  auto run = test::run_program({"/usr/bin/python3", "-c", kParser, path});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return Parsed{boost::json::parse(run.out).as_object()};
}

// Every line ends in CRLF, is at most 78 characters and 7-bit.
void expect_wire_clean(const std::string& message) {
  std::size_t start = 0, line = 1;
  while (start < message.size()) {
    std::size_t end = message.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "line " << line << " has no CRLF";
    std::string_view text(message.data() + start, end - start);
    EXPECT_LE(text.size(), 78u) << "line " << line << ": " << text;
    for (char c : text) {
      ASSERT_TRUE(c >= 0x20 && c < 0x7F) << "line " << line << " is not printable 7-bit: " << text;
    }
    start = end + 2, ++line;
  }
}

std::string header_block(const std::string& message) { return message.substr(0, message.find("\r\n\r\n") + 2); }

class MailMessageTest : public testing::Test {
 protected:
  void SetUp() override {
    // China Standard Time without needing tzdata.
    setenv("TZ", "CST-8", 1);
    tzset();
  }

  MailMessage message() const {
    MailMessage m;
    m.from = {"netwarden", "netwarden@example.edu.cn"};
    m.to = {"刘洋", "liu.yang@example.edu.cn"};
    m.subject = "【网络安全事件·重大】门户网站 www.example.edu.cn 无法访问，已持续2小时10分（阈值3小时）";
    m.date = from_unix_ms(1795601700000);  // 2026-11-25 10:15:00 UTC
    m.message_id = "<netwarden.12.step-2.20261125T101500Z.liu_yang@example.edu.cn>";
    m.extra_headers = {{"X-Netwarden-Incident", "12"}};
    m.body = "刘洋，您好：\n\n门户网站无法访问。\n\tTabs, trailing spaces   \nlast line\n";
    return m;
  }
};

TEST_F(MailMessageTest, ParserDecodesChineseSubjectNamesAndBody) {
  const MailMessage m = message();
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  Parsed p = parse_with_python(raw);
  EXPECT_TRUE(p.json.at("defects").as_array().empty()) << boost::json::serialize(p.json.at("defects"));
  EXPECT_EQ(p.at("subject"), m.subject);
  EXPECT_EQ(p.at("from", "name"), "netwarden");
  EXPECT_EQ(p.at("from", "address"), "netwarden@example.edu.cn");
  EXPECT_EQ(p.at("to", "name"), "刘洋");
  EXPECT_EQ(p.at("to", "address"), "liu.yang@example.edu.cn");
  EXPECT_EQ(p.at("date"), "2026-11-25T18:15:00+08:00");
  EXPECT_EQ(p.at("message_id"), m.message_id);
  EXPECT_EQ(p.at("incident"), "12");
  EXPECT_EQ(p.at("mime_version"), "1.0");
  EXPECT_EQ(p.at("content_type"), "text/plain");
  EXPECT_EQ(p.at("charset"), "utf-8");
  EXPECT_EQ(p.at("transfer_encoding"), "base64");
  EXPECT_EQ(p.at("body"), m.body);
  EXPECT_EQ(p.at("in_reply_to"), "");
  EXPECT_EQ(p.at("references"), "");
  EXPECT_TRUE(raw.starts_with("Date: Wed, 25 Nov 2026 18:15:00 +0800\r\n")) << raw;
}

TEST_F(MailMessageTest, LongSubjectsBecomeShortEncodedWordsSplitBetweenCharacters) {
  MailMessage m = message();
  m.subject.clear();
  for (int i = 0; i < 12; ++i) m.subject += "网站 www.example.edu.cn 页面内容变更（第" + std::to_string(i) + "次）·";
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  const std::string headers = header_block(raw);
  std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  int words = 0;
  for (auto it = std::sregex_iterator(headers.begin(), headers.end(), word); it != std::sregex_iterator(); ++it) {
    ++words;
    EXPECT_LE(it->length(0), 75) << it->str(0);
  }
  EXPECT_GT(words, 10);
  Parsed p = parse_with_python(raw);
  EXPECT_TRUE(p.json.at("defects").as_array().empty()) << boost::json::serialize(p.json.at("defects"));
  // A word cut inside a character would decode to U+FFFD here.
  EXPECT_EQ(p.at("subject"), m.subject);
}

TEST_F(MailMessageTest, AsciiSubjectsStayReadableAndFoldAtSpaces) {
  MailMessage m = message();
  m.subject =
      "Security incident: portal unreachable for a long while, and this subject goes on and on well past "
      "one line of text";
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  EXPECT_NE(raw.find("Subject: Security incident: portal"), std::string::npos) << raw;
  EXPECT_EQ(parse_with_python(raw).at("subject"), m.subject);
}

TEST_F(MailMessageTest, DisplayNamesWithSpecialsAreQuotedOrEncoded) {
  struct Case {
    std::string name;
    std::string address;
  };
  for (const Case& c : {Case{"Wang, \"Tiger\" \\ Hu", "wang@example.edu.cn"}, Case{"J. Smith (IT)", "js@example.org"},
                        Case{"张伟, 信息中心 \"网络组\"", "zhang.wei@example.edu.cn"}, Case{"", "bare@example.org"},
                        Case{"Plain Name", "plain@example.org"}}) {
    MailMessage m = message();
    m.to = {c.name, c.address};
    m.from = {c.name, c.address};
    const std::string raw = render_rfc5322(m);
    expect_wire_clean(raw);
    Parsed p = parse_with_python(raw);
    EXPECT_TRUE(p.json.at("defects").as_array().empty()) << c.name << boost::json::serialize(p.json.at("defects"));
    EXPECT_EQ(p.at("to", "name"), c.name);
    EXPECT_EQ(p.at("to", "address"), c.address);
    EXPECT_EQ(p.at("from", "name"), c.name);
    EXPECT_EQ(p.json.at("to").as_object().at("count").as_int64(), 1) << c.name;
  }
}

TEST_F(MailMessageTest, ThreadingHeadersAreWrittenAsGiven) {
  MailMessage m = message();
  const std::vector<std::string> thread = {"<netwarden.12.step-1.20261125T080500Z.liu_yang@example.edu.cn>",
                                           "<netwarden.12.warning-1h.20261125T090500Z.liu_yang@example.edu.cn>",
                                           "<netwarden.12.repeat-1.20261125T093500Z.liu_yang@example.edu.cn>"};
  m.in_reply_to = thread.back();
  m.references = thread;
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  Parsed p = parse_with_python(raw);
  EXPECT_TRUE(p.json.at("defects").as_array().empty()) << boost::json::serialize(p.json.at("defects"));
  EXPECT_EQ(p.at("in_reply_to"), thread.back());
  EXPECT_EQ(p.at("references"), thread[0] + " " + thread[1] + " " + thread[2]);
}

TEST_F(MailMessageTest, NoValueCanAddAHeader) {
  MailMessage m = message();
  m.subject = "hello\r\nBcc: victim@example.org";
  m.to.name = "x\r\nBcc: victim@example.org";
  m.to.address = "a@example.org\r\nBcc: victim@example.org";
  m.message_id = "<id@example.org>\r\nBcc: victim@example.org";
  m.extra_headers = {{"X-Netwarden-Incident", "12\nBcc: victim@example.org"}};
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  EXPECT_EQ(raw.find("\nBcc:"), std::string::npos) << raw;
  Parsed p = parse_with_python(raw);
  for (const auto& h : p.json.at("headers").as_array()) EXPECT_NE(h.as_string(), "Bcc");
  EXPECT_EQ(p.at("subject"), "hello  Bcc: victim@example.org");
}

TEST_F(MailMessageTest, BodyIsBase64InLinesOf76) {
  MailMessage m = message();
  m.body = std::string(3000, 'x') + "\n" + "中文";
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  std::string body = raw.substr(raw.find("\r\n\r\n") + 4);
  std::istringstream lines(body);
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    if (lines.peek() != EOF) {
      EXPECT_EQ(line.size(), 77u) << "76 and the CR";
    }
    ++count;
  }
  EXPECT_GT(count, 50u);
  EXPECT_EQ(parse_with_python(raw).at("body"), m.body);
}

TEST(NotificationMessageIdTest, IsDeterministicAndAValidMsgId) {
  const Time at = from_unix_ms(1795601700123);
  using What = NotifyReason::What;
  std::vector<NotifyReason> reasons = {{What::step, 2, {}}};
  EXPECT_EQ(notification_message_id(12, reasons, at, "liu_yang", "example.edu.cn"),
            "<netwarden.12.step-2.20261125T101500.123Z.liu_yang@example.edu.cn>");
  EXPECT_EQ(notification_message_id(12, reasons, at, "liu_yang", "example.edu.cn"),
            notification_message_id(12, reasons, at, "liu_yang", "example.edu.cn"));
  reasons = {{What::repeat, 1, {}}, {What::threshold_warning, 0, 1h}, {What::threshold, 0, {}}};
  EXPECT_EQ(notification_message_id(7, reasons, at, "a-b", "x.org"),
            "<netwarden.7.repeat-1.warning-1h.threshold.20261125T101500.123Z.a-b@x.org>");
  reasons = {{What::harmful_content, 0, {}}, {What::resolved, 0, {}}};
  EXPECT_EQ(notification_message_id(7, reasons, at, "a-b", "x.org"),
            "<netwarden.7.harmful.resolved.20261125T101500.123Z.a-b@x.org>");
  EXPECT_EQ(notification_message_id(7, {}, at, "x y@z", ".example.org."),
            "<netwarden.7.20261125T101500.123Z.x=20y=40z@example.org>");
  EXPECT_EQ(notification_message_id(7, {}, at, "p", ""), "<netwarden.7.20261125T101500.123Z.p@localhost>");
}

TEST_F(MailMessageTest, LongMessageIdsStayWithinALineAndParse) {
  const std::vector<NotifyReason> reasons = {{NotifyReason::What::threshold_warning, 0, 30min}};
  // 71 characters: folded onto a line of its own; 114: shortened by a hash.
  for (std::string person : {"liu_yang", "a_very_long_person_identifier-with-dashes-and-more"}) {
    MailMessage m = message();
    m.message_id = notification_message_id(123456, reasons, m.date, person, "example.edu.cn");
    EXPECT_LE(m.message_id.size(), 77u);
    EXPECT_EQ(m.message_id.find(person) == std::string::npos, person.size() > 8) << m.message_id;
    m.in_reply_to = m.message_id;
    m.references = {m.message_id, m.message_id};
    const std::string raw = render_rfc5322(m);
    expect_wire_clean(raw);
    Parsed p = parse_with_python(raw);
    EXPECT_TRUE(p.json.at("defects").as_array().empty()) << boost::json::serialize(p.json.at("defects"));
    EXPECT_EQ(p.at("message_id"), m.message_id);
    EXPECT_EQ(p.at("in_reply_to"), m.message_id);
  }
  EXPECT_TRUE(notification_message_id(9, reasons, from_unix_ms(0), std::string(60, 'p'), "example.org")
                  .starts_with("<netwarden.9."));
}

TEST_F(MailMessageTest, ComposedBilingualMessageParsesToItsTexts) {
  auto templates = load_mail_templates("");
  ASSERT_TRUE(templates) << templates.error().message;
  MailContext c;
  c.incident = 12;
  c.severity = Severity::major;
  c.target_name = "门户网站";
  c.url = "https://www.example.edu.cn/";
  c.host = "www.example.edu.cn";
  c.started_at = from_unix_ms(1795593900000);
  c.detected_at = c.started_at;
  c.now = c.started_at + 2h + 10min;
  c.elapsed = 2h + 10min;
  c.threshold = 3h;
  c.reasons = {{NotifyReason::What::step, 2, {}}};
  c.ack_command = "netwardenctl ack 12";
  c.drill = true;
  const Person li_na{"li_na", "李娜", "li.na@example.edu.cn", "zh+en", "", {"email"}};
  MailSettings settings;
  settings.from = "netwarden@example.edu.cn";
  settings.from_name = "网络安全监测";
  const std::string root = "<netwarden.12.step-1.20261125T080500Z.li_na@example.edu.cn>";
  const MailMessage m = compose_mail(c, li_na, *templates, settings,
                                     notification_message_id(12, c.reasons, c.now, "li_na", "example.edu.cn"), {root});
  const std::string raw = render_rfc5322(m);
  expect_wire_clean(raw);
  Parsed p = parse_with_python(raw);
  EXPECT_TRUE(p.json.at("defects").as_array().empty()) << boost::json::serialize(p.json.at("defects"));
  EXPECT_EQ(p.at("subject"),
            "【演练】【网络安全事件·重大】门户网站 www.example.edu.cn 无法访问，已持续2小时10分（阈值3小时） / "
            "[DRILL] [Security incident · major] 门户网站 (www.example.edu.cn) unreachable for 2h 10m (threshold 3h)");
  EXPECT_EQ(p.at("from", "name"), "网络安全监测");
  EXPECT_EQ(p.at("to", "name"), "李娜");
  EXPECT_EQ(p.at("in_reply_to"), root);
  EXPECT_EQ(p.at("references"), root);
  EXPECT_EQ(p.at("message_id"), "<netwarden.12.step-2.20261125T101500.000Z.li_na@example.edu.cn>");
  EXPECT_EQ(p.at("body"), m.body);
  EXPECT_NE(p.at("body").find("netwardenctl ack 12"), std::string::npos);
}

}  // namespace
}  // namespace netwarden
