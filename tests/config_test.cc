#include "config/load_config.h"

#include <gtest/gtest.h>

#include "config/date_time.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <type_traits>

#include <toml++/toml.h>

#include "tests/support/temp_dir.h"

namespace netwarden {

// For failure messages (found by argument-dependent lookup, so not in the
// anonymous namespace).
void PrintTo(const CloakingCrawler& crawler, std::ostream* out) { *out << crawler.name << " = " << crawler.user_agent; }

namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using test::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::vector<std::string> messages(const ConfigLoad& load) {
  std::vector<std::string> out;
  for (const ConfigError& e : load.errors) out.push_back(e.to_string());
  return out;
}

fs::path example_config() {
  const char* source_dir = std::getenv("NETWARDEN_SOURCE_DIR");
  EXPECT_NE(source_dir, nullptr) << "run through ctest, which sets NETWARDEN_SOURCE_DIR";
  return fs::path(source_dir ? source_dir : ".") / "config" / "netwarden.example.toml";
}

TEST(ConfigTest, ExampleLoadsWithoutErrors) {
  ConfigLoad load = load_config(example_config().string());
  EXPECT_EQ(messages(load), std::vector<std::string>{});
  ASSERT_EQ(load.config.targets.size(), 3u);
  EXPECT_EQ(load.config.targets[0].id, "portal");
  EXPECT_TRUE(load.config.targets[0].critical);
  EXPECT_EQ(load.config.chains.at("standard").steps.size(), 6u);
  const fs::path keywords = load.config.targets[0].harmful_keywords_file;
  EXPECT_TRUE(keywords.is_absolute());
  EXPECT_TRUE(fs::exists(keywords)) << keywords;
  EXPECT_TRUE(load.config.maintenance.empty());
  // A newcomer sees the e-mails without a mail server.
  EXPECT_EQ(load.config.mail.transport, "spool");
  EXPECT_EQ(load.config.mail.message_id_domain, "example.edu.cn");
  const MailSettings builtin;
  EXPECT_EQ(load.config.mail.retry_max, builtin.retry_max);
  EXPECT_EQ(load.config.mail.give_up_after, builtin.give_up_after);
  EXPECT_EQ(load.config.mail.warn_undelivered_after, builtin.warn_undelivered_after);
  // The portal is crawled with the polite defaults the comment promises.
  ASSERT_TRUE(load.config.targets[0].crawl);
  const CrawlConfig& crawl = *load.config.targets[0].crawl;
  const CrawlConfig defaults;
  EXPECT_EQ(crawl.every, defaults.every);
  EXPECT_EQ(crawl.max_pages, defaults.max_pages);
  EXPECT_EQ(crawl.max_depth, defaults.max_depth);
  EXPECT_EQ(crawl.per_host_concurrency, defaults.per_host_concurrency);
  EXPECT_EQ(crawl.delay, defaults.delay);
  EXPECT_EQ(crawl.max_attachment, defaults.max_attachment);
  EXPECT_EQ(crawl.exclude.size(), 3u);
  EXPECT_FALSE(load.config.targets[1].crawl);
  // The channels are commented out: everyone is e-mailed.
  EXPECT_TRUE(load.config.channels.empty());
  EXPECT_EQ(load.config.people.at("lin_tao").channels, std::vector<std::string>{"email"});
  EXPECT_TRUE(load.config.units.at("cs").channels.empty());
}

// The example spells out the [incidents] defaults; they must be the
// built-in ones, or the comment saying so would lie.
TEST(ConfigTest, ExampleIncidentSettingsAreTheBuiltInDefaults) {
  ConfigLoad load = load_config(example_config().string());
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const IncidentSettings& example = load.config.incidents;
  const IncidentSettings builtin;
  EXPECT_EQ(example.confirm_failures, builtin.confirm_failures);
  EXPECT_EQ(example.recovery_window, builtin.recovery_window);
  EXPECT_EQ(example.cert_warning_days, builtin.cert_warning_days);
  EXPECT_EQ(example.threshold_warnings, builtin.threshold_warnings);
  EXPECT_EQ(example.severity.site_down, builtin.severity.site_down);
  EXPECT_EQ(example.severity.content_changed, builtin.severity.content_changed);
  EXPECT_EQ(example.severity.tls_problem, builtin.severity.tls_problem);
  EXPECT_EQ(example.severity.harmful_content, builtin.severity.harmful_content);
  EXPECT_EQ(example.severity.isolation_breach, builtin.severity.isolation_breach);
  EXPECT_EQ(example.severity.monitor_degraded, builtin.severity.monitor_degraded);
  EXPECT_EQ(example.severity.hidden_link, builtin.severity.hidden_link);
  EXPECT_EQ(example.severity.malicious_code, builtin.severity.malicious_code);
  EXPECT_EQ(example.severity.cloaking, builtin.severity.cloaking);
}

// The reference target, isolation and maintenance examples are commented
// out ("#key = ..."); they must still be valid when an administrator
// uncomments them.
TEST(ConfigTest, ExampleCommentedBlocksLoadWhenUncommented) {
  std::string text =
      std::regex_replace(read_file(example_config()), std::regex("^#([^ #\n])", std::regex::multiline), "$1");
  ConfigLoad load = load_config_text(text, example_config().string());
  EXPECT_EQ(messages(load), std::vector<std::string>{});
  ASSERT_EQ(load.config.targets.size(), 4u);
  EXPECT_EQ(load.config.targets[3].id, "gateway");
  EXPECT_TRUE(load.config.targets[3].reference);
  EXPECT_FALSE(load.config.targets[0].reference);
  ASSERT_EQ(load.config.isolation.size(), 2u);
  EXPECT_EQ(load.config.isolation[0].kind, "pcap");
  EXPECT_EQ(load.config.isolation[1].kind, "must_not_reach");
  ASSERT_EQ(load.config.maintenance.size(), 1u);
  EXPECT_EQ(load.config.maintenance[0].target, "library");
  EXPECT_EQ(load.config.maintenance[0].to - load.config.maintenance[0].from, hours(4));
  EXPECT_EQ(load.config.mail.relays.size(), 2u);
  EXPECT_EQ(load.config.mail.password_file, "/etc/netwarden/smtp-password");
  EXPECT_EQ(load.config.mail.sendmail, "/usr/sbin/sendmail");
  // The cloaking values shown are the built-in ones, as the comment says.
  const WebTarget builtin;
  EXPECT_EQ(load.config.targets[0].cloaking_crawlers, builtin.cloaking_crawlers);
  EXPECT_EQ(load.config.targets[0].cloaking_mobile_agent, builtin.cloaking_mobile_agent);
  // One channel of each kind, named by people, a unit, [institution] and a step.
  const Config& c = load.config;
  ASSERT_EQ(c.channels.size(), 6u);
  EXPECT_EQ(c.channels.at("cs_wecom").kind, "wecom");
  EXPECT_EQ(c.channels.at("leader_sms").kind, "aliyun_sms");
  EXPECT_EQ(c.channels.at("leader_sms").params.size(), 4u);
  EXPECT_EQ(c.channels.at("leader_sms_tencent").kind, "tencent_sms");
  EXPECT_EQ(c.people.at("he_ming").channels, (std::vector<std::string>{"email", "leader_sms"}));
  EXPECT_EQ(c.chains.at("standard").steps[4].channels, std::vector<std::string>{"leader_sms"});
  EXPECT_EQ(c.channels.at("office_dingtalk").kind, "dingtalk");
  EXPECT_EQ(c.channels.at("office_feishu").kind, "feishu");
  EXPECT_EQ(c.channels.at("duty_hook").kind, "webhook");
  // The pacing and timeout shown are the built-in ones, as the comment says.
  const ChannelConfig builtin_channel;
  EXPECT_EQ(c.channels.at("duty_hook").timeout, builtin_channel.timeout);
  EXPECT_EQ(c.channels.at("duty_hook").pace_messages, builtin_channel.pace_messages);
  EXPECT_EQ(c.channels.at("duty_hook").pace_window, builtin_channel.pace_window);
  EXPECT_EQ(c.people.at("lin_tao").mobile, "13800000000");
  EXPECT_EQ(c.people.at("lin_tao").channels, (std::vector<std::string>{"email", "duty_hook"}));
  EXPECT_EQ(c.units.at("cs").channels, std::vector<std::string>{"cs_wecom"});
  EXPECT_EQ(c.institution.channels, std::vector<std::string>{"office_dingtalk"});
}

TEST(ConfigTest, FullConfigMapsOntoTheModel) {
  TempDir dir("netwarden-config");
  write_file(dir.path() / "bad-words.txt", "赌博\ncasino\n");
  fs::create_directory(dir.path() / "certs");
  write_file(dir.path() / "certs" / "campus-ca.pem", "-----BEGIN CERTIFICATE-----\n");
  const fs::path config = dir.path() / "netwarden.toml";
  write_file(config, R"(
[daemon]
state_dir = "/srv/nw"
socket = "/srv/nw/ctl.sock"
log_level = "debug"
admin_group = "secops"
max_concurrent_checks = 8
sample_retention = "3d"
history_retention = "800d"

[defaults]
chain = "fast"
interval = "2m"
max_body = "512KiB"
harmful_keywords = "bad-words.txt"

[people.zhang]
name = "张伟"
email = "zhang@example.edu.cn"
language = "zh"

[people.li]
name = "Li Na"
email = "li@example.edu.cn"

[units.lib]
name = "图书馆"
head = ["li"]
security_officer = ["li"]
operators = ["zhang", "li"]

[institution]
office = ["zhang"]
first_responsible = ["li"]

[[chains.fast.steps]]
after = "3h"
notify = ["first_responsible"]

[[chains.fast.steps]]
after = "0s"
notify = ["operator", "security_officer"]
people = ["li"]
repeat = "1h30m"
skip_if_acknowledged = true

[targets.opac]
name = "书目检索"
url = "https://opac.example.edu.cn/search"
unit = "lib"
timeout = "250ms"
expect_status = [200, "300-302", "404"]
max_body = 1000
max_redirects = 0
tls_verify = false
ca_file = "certs/campus-ca.pem"
critical = true
threshold = "1h"
regions = ["//div[@id='main']"]
ignore = ['\d+ visits']
required_keywords = ["图书馆"]

[targets.home]
url = "http://lib.example.edu.cn/"
unit = "lib"
harmful_keywords = ""

[isolation.office]
kind = "pcap"
unit = "lib"
chain = "fast"
file = "captures/office.pcap"
internal = ["10.20.0.0/16", "2001:db8::/32", "192.0.2.7"]
allowed = ["::1"]
evidence_packets = 5

[isolation.reach]
kind = "must_not_reach"
unit = "lib"
chain = "fast"
endpoints = ["114.114.114.114:53", "[2400:3200::1]:443"]
must_not_resolve = ["www.baidu.com"]
resolvers = ["10.0.0.53"]
timeout = "2s"

[targets.uplink]
url = "https://www.cernet.edu.cn/"
unit = "lib"
reference = true

[incidents]
confirm_failures = 3
recovery_window = "10m"
cert_warning_days = 30
threshold_warnings = ["15m", "45m"]

[incidents.severity]
site_down = "significant"
tls_problem = "major"
monitor_degraded = "critical"

[[maintenance]]
target = "opac"
from = "2026-12-01T22:00:00+08:00"
to = "2026-12-02T02:00:00+08:00"
reason = "服务器迁移"

[[maintenance]]
target = "home"
from = 2026-12-01T22:00:00+08:00
to = 2026-12-01T14:00:00.5Z
reason = "restart"
)");
  ConfigLoad load = load_config(config.string());
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const Config& c = load.config;
  EXPECT_EQ(c.path, config.string());

  EXPECT_EQ(c.daemon.state_dir, "/srv/nw");
  EXPECT_EQ(c.daemon.socket, "/srv/nw/ctl.sock");
  EXPECT_EQ(c.daemon.log_level, "debug");
  EXPECT_EQ(c.daemon.admin_group, "secops");
  EXPECT_EQ(c.daemon.max_concurrent_checks, 8);
  EXPECT_EQ(c.daemon.sample_retention, hours(72));
  EXPECT_EQ(c.daemon.history_retention, hours(24 * 800));

  EXPECT_EQ(c.people.at("zhang").name, "张伟");
  EXPECT_EQ(c.people.at("zhang").language, "zh");
  EXPECT_EQ(c.people.at("li").language, "zh+en");
  EXPECT_EQ(c.units.at("lib").operators, (std::vector<std::string>{"zhang", "li"}));
  EXPECT_EQ(c.institution.office, std::vector<std::string>{"zhang"});
  EXPECT_TRUE(c.institution.leader_in_charge.empty());

  const Chain& chain = c.chains.at("fast");
  ASSERT_EQ(chain.steps.size(), 2u);
  EXPECT_EQ(chain.steps[0].after, seconds(0));  // sorted by `after`
  EXPECT_EQ(chain.steps[0].roles, (std::vector<std::string>{"operator", "security_officer"}));
  EXPECT_EQ(chain.steps[0].people, std::vector<std::string>{"li"});
  EXPECT_EQ(chain.steps[0].repeat, minutes(90));
  EXPECT_TRUE(chain.steps[0].skip_if_acknowledged);
  EXPECT_EQ(chain.steps[1].after, hours(3));
  EXPECT_EQ(chain.steps[1].repeat, std::nullopt);

  ASSERT_EQ(c.targets.size(), 3u);
  const WebTarget& opac = c.targets[0];  // file order, not key order
  EXPECT_EQ(opac.id, "opac");
  EXPECT_EQ(opac.name, "书目检索");
  EXPECT_EQ(opac.chain, "fast");
  EXPECT_EQ(opac.interval, minutes(2));
  EXPECT_EQ(opac.timeout, milliseconds(250));
  ASSERT_EQ(opac.expect_status.size(), 3u);
  EXPECT_EQ(opac.expect_status[0].low, 200);
  EXPECT_EQ(opac.expect_status[0].high, 200);
  EXPECT_EQ(opac.expect_status[1].low, 300);
  EXPECT_EQ(opac.expect_status[1].high, 302);
  EXPECT_EQ(opac.expect_status[2].low, 404);
  EXPECT_EQ(opac.max_body, 1000u);
  EXPECT_EQ(opac.max_redirects, 0);
  EXPECT_FALSE(opac.tls_verify);
  EXPECT_EQ(opac.ca_file, (dir.path() / "certs" / "campus-ca.pem").string());
  EXPECT_TRUE(opac.critical);
  EXPECT_EQ(opac.threshold, hours(1));
  EXPECT_EQ(opac.regions, std::vector<std::string>{"//div[@id='main']"});
  EXPECT_EQ(opac.ignore, std::vector<std::string>{R"(\d+ visits)"});
  EXPECT_EQ(opac.required_keywords, std::vector<std::string>{"图书馆"});
  EXPECT_EQ(opac.harmful_keywords_file, (dir.path() / "bad-words.txt").string());

  const WebTarget& home = c.targets[1];
  EXPECT_EQ(home.name, "home");
  EXPECT_EQ(home.timeout, seconds(10));
  EXPECT_EQ(home.max_body, 512u * 1024);
  EXPECT_EQ(home.max_redirects, 5);
  ASSERT_EQ(home.expect_status.size(), 1u);
  EXPECT_EQ(home.expect_status[0].low, 200);
  EXPECT_EQ(home.expect_status[0].high, 399);
  EXPECT_TRUE(home.tls_verify);
  EXPECT_EQ(home.threshold, hours(3));
  EXPECT_EQ(home.harmful_keywords_file, "");  // "" switches the default list off
  EXPECT_FALSE(home.reference);
  EXPECT_EQ(c.targets[2].id, "uplink");
  EXPECT_TRUE(c.targets[2].reference);
  EXPECT_FALSE(c.targets[2].critical);

  ASSERT_EQ(c.isolation.size(), 2u);
  const IsolationWatch& office = c.isolation[0];
  EXPECT_EQ(office.id, "office");
  EXPECT_EQ(office.file, (dir.path() / "captures" / "office.pcap").string());
  EXPECT_EQ(office.quiet_period, minutes(10));
  EXPECT_EQ(office.evidence_packets, 5);
  ASSERT_EQ(office.internal.size(), 3u);
  EXPECT_EQ(office.internal[0].text, "10.20.0.0/16");
  EXPECT_FALSE(office.internal[0].ipv6);
  EXPECT_EQ(office.internal[0].prefix, 16);
  EXPECT_EQ(office.internal[0].address[0], 10);
  EXPECT_EQ(office.internal[0].address[1], 20);
  EXPECT_TRUE(office.internal[1].ipv6);
  EXPECT_EQ(office.internal[1].prefix, 32);
  EXPECT_EQ(office.internal[1].address[0], 0x20);
  EXPECT_EQ(office.internal[1].address[3], 0xb8);
  EXPECT_EQ(office.internal[2].prefix, 32);
  EXPECT_EQ(office.internal[2].address[3], 7);
  ASSERT_EQ(office.allowed.size(), 1u);
  EXPECT_EQ(office.allowed[0].prefix, 128);
  EXPECT_EQ(office.allowed[0].address[15], 1);

  const IsolationWatch& reach = c.isolation[1];
  EXPECT_EQ(reach.kind, "must_not_reach");
  EXPECT_EQ(reach.endpoints, (std::vector<std::string>{"114.114.114.114:53", "[2400:3200::1]:443"}));
  EXPECT_EQ(reach.must_not_resolve, std::vector<std::string>{"www.baidu.com"});
  EXPECT_EQ(reach.resolvers, std::vector<std::string>{"10.0.0.53"});
  EXPECT_EQ(reach.interval, minutes(5));
  EXPECT_EQ(reach.timeout, seconds(2));

  const IncidentSettings& inc = c.incidents;
  EXPECT_EQ(inc.confirm_failures, 3);
  EXPECT_EQ(inc.recovery_window, minutes(10));
  EXPECT_EQ(inc.cert_warning_days, 30);
  EXPECT_EQ(inc.threshold_warnings, (std::vector<Duration>{minutes(45), minutes(15)}));  // longest first
  EXPECT_EQ(inc.severity.site_down, SeverityLevel::significant);
  EXPECT_EQ(inc.severity.content_changed, SeverityLevel::significant);  // not set: the default
  EXPECT_EQ(inc.severity.tls_problem, SeverityLevel::major);
  EXPECT_EQ(inc.severity.harmful_content, SeverityLevel::major);
  EXPECT_EQ(inc.severity.isolation_breach, SeverityLevel::significant);
  EXPECT_EQ(inc.severity.monitor_degraded, SeverityLevel::critical);

  ASSERT_EQ(c.maintenance.size(), 2u);
  EXPECT_EQ(c.maintenance[0].target, "opac");
  EXPECT_EQ(c.maintenance[0].from, from_unix_ms(1796133600000));  // 2026-12-01T14:00:00Z
  EXPECT_EQ(c.maintenance[0].to, from_unix_ms(1796148000000));
  EXPECT_EQ(c.maintenance[0].reason, "服务器迁移");
  EXPECT_EQ(c.maintenance[1].target, "home");
  EXPECT_EQ(c.maintenance[1].from, from_unix_ms(1796133600000));  // TOML's own date-time, same rules
  EXPECT_EQ(c.maintenance[1].to, from_unix_ms(1796133600500));
}

TEST(ConfigTest, UnreadableFileIsReportedWithoutPosition) {
  ConfigLoad load = load_config("/nonexistent/netwarden.toml");
  EXPECT_FALSE(load.ok());
  EXPECT_EQ(messages(load),
            std::vector<std::string>{"/nonexistent/netwarden.toml: cannot read: No such file or directory"});
}

// Appended to each bad config below (after its own lines, so the expected
// positions count from the case's first line): one person, unit and chain
// for the case to refer to.
constexpr std::string_view kWorld = R"(
[people.p]
name = "P"
email = "p@example.edu.cn"
[units.library]
name = "Library"
operators = ["p"]
[[chains.c.steps]]
after = "0s"
notify = ["operator"]
)";

struct BadConfig {
  std::string_view what;
  std::string_view toml;
  std::string_view error;  // "LINE:COL: message"
};

const BadConfig kBadConfigs[] = {
    {"syntax error", "[daemon\nlog_level = \"info\"\n",
     "1:8: Error while parsing table header: expected ']', saw '\\n'"},
    {"unknown section", "[deamon]\n", "1:2: unknown section [deamon]; did you mean 'daemon'?"},
    {"unknown top-level key", "verbose = true\n", "1:1: unknown top-level key 'verbose'"},
    {"unknown key in a target",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\nintervall = \"5s\"\n",
     "5:1: unknown key 'intervall' in [targets.t]; did you mean 'interval'?"},
    {"unknown key in a step", "[[chains.x.steps]]\nafter = \"0s\"\nnotify = [\"head\"]\nafterr = \"1m\"\n",
     "4:1: unknown key 'afterr' in [[chains.x.steps]] (step 1); did you mean 'after'?"},
    {"wrong type", "[defaults]\ninterval = 60\n",
     "2:12: 'interval' must be a duration string like \"90s\", not an integer"},
    {"wrong type in an array", "[units.u]\nname = \"U\"\noperators = [\"p\", 7]\n",
     "3:19: each item of 'operators' must be a string, not an integer"},
    {"section of the wrong type", "targets = 3\n", "1:11: 'targets' must be a table, not an integer"},
    {"bad duration", "[defaults]\ntimeout = \"5 min\"\n",
     "2:11: 'timeout': \"5 min\" is not a duration (write it like \"90s\", \"30m\", \"3h\" or \"1h30m\")"},
    {"duration over ten years", "[daemon]\nsample_retention = \"3650d1ms\"\n",
     "2:20: 'sample_retention': \"3650d1ms\" is longer than 10 years (3650d), the longest duration allowed"},
    {"duration that would overflow", "[defaults]\ninterval = \"9223372036854775807ms\"\n",
     "2:12: 'interval': \"9223372036854775807ms\" is longer than 10 years (3650d), the longest duration allowed"},
    {"zero duration", "[daemon]\nsample_retention = \"0s\"\n", "2:20: 'sample_retention' must be longer than 0s"},
    {"bad size", "[defaults]\nmax_body = \"2GB\"\n",
     "2:12: 'max_body': \"2GB\" is not a size (write a number of bytes, or e.g. \"512KiB\", \"2MiB\"; units B, KB, "
     "KiB, MB, MiB)"},
    {"zero size", "[defaults]\nmax_body = 0\n", "2:12: 'max_body' must be larger than 0"},
    {"integer out of range", "[defaults]\nmax_redirects = 21\n",
     "2:17: 'max_redirects' must be between 0 and 20, not 21"},
    {"bad status range", "[defaults]\nexpect_status = [200, \"399-200\"]\n",
     "2:23: 'expect_status': status range \"399-200\" is backwards"},
    {"bad enum", "[daemon]\nlog_level = \"verbose\"\n",
     "2:13: 'log_level' must be one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", not \"verbose\""},
    {"allowed host with a wildcard", "[defaults]\nallowed_hosts = [\"*.cdn.example\"]\n",
     "2:18: 'allowed_hosts': write \"cdn.example\" without \"*.\": its subdomains are always allowed"},
    {"allowed host written as a URL",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n"
     "allowed_hosts = [\"cdn.example\", \"https://cdn.example/\"]\n",
     "5:33: 'allowed_hosts': a host name, not a URL: \"https://cdn.example/\""},
    {"allowed host that is no host name", "[defaults]\nallowed_hosts = [\"cdn example\"]\n",
     "2:18: 'allowed_hosts': \"cdn example\" is not a host name"},
    {"allowed number with letters", "[defaults]\nprivacy_allowed_numbers = [\"010-6275 1234\", \"tel 138\"]\n",
     "2:45: 'privacy_allowed_numbers': \"tel 138\" is not a number: digits, spaces, '-', '+' and parentheses only"},
    {"allowed number too short",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n"
     "privacy_allowed_numbers = [\"110\"]\n",
     "5:28: 'privacy_allowed_numbers': \"110\" must hold 7 to 19 digits"},
    {"zero minimum of ID numbers", "[defaults]\nprivacy_min_id_numbers = 0\n",
     "2:26: 'privacy_min_id_numbers' must be between 1 and 100000, not 0"},
    {"minimum of mobile numbers not a number", "[defaults]\nprivacy_min_mobile_numbers = \"30\"\n",
     "2:30: 'privacy_min_mobile_numbers' must be an integer, not a string"},
    {"cloaking not a boolean", "[defaults]\ncloaking = \"yes\"\n",
     "2:12: 'cloaking' must be true or false, not a string"},
    {"zero cloaking interval", "[defaults]\ncloaking_interval = \"0s\"\n",
     "2:21: 'cloaking_interval' must be longer than 0s"},
    {"cloaking crawlers as an array", "[defaults]\ncloaking_crawlers = [\"Baiduspider\"]\n",
     "2:21: 'cloaking_crawlers' must be a table of crawler names and User-Agents like { Baiduspider = \"...\" }, not "
     "an array"},
    {"cloaking crawler without a name", "[defaults]\ncloaking_crawlers = { \"\" = \"Spider/1.0\" }\n",
     "2:23: 'cloaking_crawlers': a crawler's name must not be empty"},
    {"cloaking crawler name with a line break",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n"
     "cloaking_crawlers = { \"Baidu\\nspider\" = \"Spider/1.0\" }\n",
     "5:23: 'cloaking_crawlers': a crawler's name must not hold control characters"},
    {"cloaking crawler named like a fixed variant",
     "[defaults]\ncloaking_crawlers = { Sogou = \"Sogou/4.0\", \"a mobile browser\" = \"iPhone\" }\n",
     "2:44: 'cloaking_crawlers': \"a mobile browser\" is the name of a variant that is always fetched"},
    {"cloaking crawler with an empty User-Agent", "[defaults]\ncloaking_crawlers = { Baiduspider = \"\" }\n",
     "2:37: 'cloaking_crawlers': a User-Agent must not be empty"},
    {"cloaking crawler User-Agent not a string", "[defaults]\ncloaking_crawlers = { Baiduspider = 2 }\n",
     "2:37: 'cloaking_crawlers': a crawler's User-Agent must be a string, not an integer"},
    {"cloaking crawler User-Agent with CR LF",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n"
     "cloaking_crawlers = { Baiduspider = \"Spider\\r\\nX-Injected: 1\" }\n",
     "5:37: 'cloaking_crawlers': a User-Agent must be printable ASCII on one line; character 7 is not"},
    {"cloaking crawler User-Agent not ASCII", "[defaults]\ncloaking_crawlers = { Baiduspider = \"百度蜘蛛/2.0\" }\n",
     "2:37: 'cloaking_crawlers': a User-Agent must be printable ASCII on one line; character 1 is not"},
    {"mobile agent with a line break", "[defaults]\ncloaking_mobile_agent = \"iPhone\\nX-Injected: 1\"\n",
     "2:25: 'cloaking_mobile_agent': a User-Agent must be printable ASCII on one line; character 7 is not"},
    {"mobile agent not a string", "[defaults]\ncloaking_mobile_agent = false\n",
     "2:25: 'cloaking_mobile_agent' must be a string, not a boolean"},
    {"unknown severity of a new kind", "[incidents.severity]\nhidden_link = \"severe\"\n",
     "2:15: 'hidden_link' must be one of \"general\", \"significant\", \"major\", \"critical\", not \"severe\""},
    {"URL with another scheme", "[targets.t]\nurl = \"ftp://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "2:7: 'url': only http:// and https:// URLs are supported, not \"ftp://a.example/\""},
    {"URL without host", "[targets.t]\nurl = \"https:///index.html\"\nunit = \"library\"\nchain = \"c\"\n",
     "2:7: 'url': URL \"https:///index.html\" has no host name"},
    {"URL that does not parse", "[targets.t]\nurl = \"www.example.edu.cn\"\nunit = \"library\"\nchain = \"c\"\n",
     "2:7: 'url': \"www.example.edu.cn\" is not a valid URL (write it like \"https://www.example.edu.cn/\")"},
    {"CIDR with host bits",
     "[isolation.i]\nkind = \"pcap\"\nunit = \"library\"\nchain = \"c\"\ninterface = \"eth1\"\n"
     "internal = [\"10.1.2.3/16\"]\n",
     "6:13: 'internal': \"10.1.2.3/16\" has host bits set; did you mean \"10.1.0.0/16\"?"},
    {"bad CIDR",
     "[isolation.i]\nkind = \"pcap\"\nunit = \"library\"\nchain = \"c\"\ninterface = \"eth1\"\n"
     "internal = [\"10.0.0.0/8\"]\nallowed = [\"2001:db8::/129\"]\n",
     "7:12: 'allowed': prefix length in \"2001:db8::/129\" must be between 0 and 128"},
    {"unknown unit", "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"libary\"\nchain = \"c\"\n",
     "3:8: target 'portal': unit 'libary' is not defined in [units]; did you mean 'library'?"},
    {"unknown chain", "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"escalate\"\n",
     "4:9: target 'portal': chain 'escalate' is not defined in [chains]"},
    {"unknown person in a unit", "[units.cs]\nname = \"CS\"\nhead = [\"p\", \"wangwei\"]\n",
     "3:14: unit 'cs': person 'wangwei' is not defined in [people]"},
    {"unknown person in a step", "[[chains.x.steps]]\nafter = \"1h\"\npeople = [\"zhang\"]\n",
     "3:11: chain 'x', step 1: person 'zhang' is not defined in [people]"},
    {"unknown role", "[[chains.x.steps]]\nafter = \"1h\"\nnotify = [\"operater\"]\n",
     "3:11: chain 'x', step 1: 'operater' is not a role (roles: operator, security_officer, head, office, "
     "leader_in_charge, first_responsible, upper_authority); did you mean 'operator'?"},
    {"step notifying nobody", "[[chains.x.steps]]\nafter = \"1h\"\n",
     "1:1: chain 'x', step 1 notifies nobody: list roles in 'notify' or person ids in 'people'"},
    {"chain without steps", "[chains.x]\n", "1:1: chain 'x' needs at least one [[chains.x.steps]]"},
    {"missing required key", "[targets.t]\nunit = \"library\"\nchain = \"c\"\n",
     "1:1: missing required key 'url' in [targets.t]"},
    {"missing chain without a default", "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\n",
     "1:1: missing required key 'chain' in [targets.t]"},
    {"bad e-mail address", "[people.x]\nname = \"X\"\nemail = \"x.example.edu.cn\"\n",
     "3:9: 'email' must be an address like \"name@example.edu.cn\", not \"x.example.edu.cn\""},
    {"id with a space", "[targets.\"my site\"]\nurl = \"https://a.example/\"\n",
     "1:10: id 'my site' in [targets] may only contain letters, digits, '-' and '_'"},
    {"timeout longer than interval",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\ninterval = \"30s\"\n"
     "timeout = \"1m\"\n",
     "6:11: target 't': 'timeout' (1m) must not be longer than 'interval' (30s)"},
    {"interval shorter than the default timeout",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\ninterval = \"5s\"\n",
     "5:12: target 't': 'timeout' (10s) must not be longer than 'interval' (5s)"},
    {"bad regex",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\nignore = ['visits: (\\d+']\n",
     "5:11: 'ignore': \"visits: (\\d+\" is not a valid regular expression: missing closing parenthesis at offset 12"},
    {"bad XPath",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\nregions = [\"//div[@id='main'\"]\n",
     "5:12: 'regions': \"//div[@id='main'\" is not a valid XPath expression: Invalid predicate at offset 16"},
    {"unreadable harmful keyword list", "[defaults]\nharmful_keywords = \"/nonexistent/words.txt\"\n",
     "2:20: 'harmful_keywords': cannot read '/nonexistent/words.txt': No such file or directory"},
    {"CA file that is a directory",
     "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\nca_file = \"/\"\n",
     "5:11: 'ca_file': cannot read '/': Is a directory"},
    {"pcap with both interface and file",
     "[isolation.i]\nkind = \"pcap\"\nunit = \"library\"\nchain = \"c\"\ninterface = \"eth1\"\nfile = \"x.pcap\"\n"
     "internal = [\"10.0.0.0/8\"]\n",
     "6:8: isolation 'i': set either 'interface' (live capture) or 'file' (a saved capture), not both"},
    {"must_not_reach key under pcap",
     "[isolation.i]\nkind = \"pcap\"\nunit = \"library\"\nchain = \"c\"\ninterface = \"eth1\"\n"
     "internal = [\"10.0.0.0/8\"]\nendpoints = [\"1.1.1.1:53\"]\n",
     "7:1: key 'endpoints' does not apply to kind = \"pcap\""},
    {"pcap key under must_not_reach",
     "[isolation.i]\nkind = \"must_not_reach\"\nunit = \"library\"\nchain = \"c\"\nendpoints = [\"1.1.1.1:53\"]\n"
     "internal = [\"10.0.0.0/8\"]\n",
     "6:1: key 'internal' does not apply to kind = \"must_not_reach\""},
    {"must_not_reach with nothing to try",
     "[isolation.i]\nkind = \"must_not_reach\"\nunit = \"library\"\nchain = \"c\"\n",
     "1:1: isolation 'i': list at least one of 'endpoints' or 'must_not_resolve'"},
    {"IPv6 endpoint without brackets",
     "[isolation.i]\nkind = \"must_not_reach\"\nunit = \"library\"\nchain = \"c\"\nendpoints = [\"::1:443\"]\n",
     "5:14: 'endpoints': write IPv6 endpoints in brackets, like \"[2001:db8::1]:443\", not \"::1:443\""},
    {"bad isolation kind", "[isolation.i]\nkind = \"sniff\"\nunit = \"library\"\nchain = \"c\"\n",
     "2:8: 'kind' must be one of \"pcap\", \"must_not_reach\", not \"sniff\""},
    {"confirmation out of range", "[incidents]\nconfirm_failures = 0\n",
     "2:20: 'confirm_failures' must be between 1 and 10, not 0"},
    {"certificate warning out of range", "[incidents]\ncert_warning_days = 400\n",
     "2:21: 'cert_warning_days' must be between 0 and 365, not 400"},
    {"zero recovery window", "[incidents]\nrecovery_window = \"0s\"\n",
     "2:19: 'recovery_window' must be longer than 0s"},
    {"threshold warnings not an array", "[incidents]\nthreshold_warnings = \"1h\"\n",
     "2:22: 'threshold_warnings' must be an array of durations like [\"1h\", \"15m\"], not a string"},
    {"threshold warning of the wrong type", "[incidents]\nthreshold_warnings = [\"1h\", 15]\n",
     "2:29: each item of 'threshold_warnings' must be a duration string like \"90s\", not an integer"},
    {"bad threshold warning", "[incidents]\nthreshold_warnings = [\"15 min\"]\n",
     "2:23: 'threshold_warnings': \"15 min\" is not a duration (write it like \"90s\", \"30m\", \"3h\" or "
     "\"1h30m\")"},
    {"threshold warning twice", "[incidents]\nthreshold_warnings = [\"1h\", \"15m\", \"60m\"]\n",
     "2:36: 'threshold_warnings': \"60m\" is the same as \"1h\""},
    {"threshold warning not before the threshold",
     "[incidents]\nthreshold_warnings = [\"1h\", \"15m\"]\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n"
     "threshold = \"1h\"\n",
     "2:23: 'threshold_warnings': \"1h\" must be shorter than the shortest threshold (1h, target 'portal')"},
    {"threshold warning against a threshold from [defaults]",
     "[defaults]\nthreshold = \"30s\"\n[incidents]\nthreshold_warnings = [\"45s\"]\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "4:23: 'threshold_warnings': \"45s\" must be shorter than the shortest threshold (30s, target 'portal')"},
    {"unknown severity", "[incidents.severity]\nsite_down = \"high\"\n",
     "2:13: 'site_down' must be one of \"general\", \"significant\", \"major\", \"critical\", not \"high\""},
    {"unknown incident kind", "[incidents.severity]\nsite_dwon = \"major\"\n",
     "2:1: unknown key 'site_dwon' in [incidents.severity]; did you mean 'site_down'?"},
    {"unknown key in [incidents]", "[incidents]\nconfirm = 3\n", "2:1: unknown key 'confirm' in [incidents]"},
    {"reference in [defaults]", "[defaults]\nreference = true\n",
     "2:1: 'reference' marks one target, such as the campus gateway; set it on that target, not in [defaults]"},
    {"reference not a boolean",
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n"
     "reference = \"yes\"\n",
     "5:13: 'reference' must be true or false, not a string"},
    {"maintenance as a table", "[maintenance]\ntarget = \"portal\"\n",
     "1:1: 'maintenance' must be an array of tables like [[maintenance]], not a table"},
    {"maintenance window of the wrong type", "maintenance = [\"portal\"]\n",
     "1:16: each item of 'maintenance' must be a table, not a string"},
    {"maintenance of an unknown target",
     "[[maintenance]]\ntarget = \"portl\"\nfrom = \"2026-12-01T22:00:00+08:00\"\nto = \"2026-12-02T02:00:00+08:00\"\n"
     "reason = \"migration\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "2:10: maintenance window 1: target 'portl' is not defined in [targets]; did you mean 'portal'?"},
    {"maintenance without a reason",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = \"2026-12-01T22:00:00+08:00\"\nto = \"2026-12-02T02:00:00+08:00\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "1:1: missing required key 'reason' in [[maintenance]] (window 1)"},
    {"maintenance with a blank reason",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = \"2026-12-01T22:00:00+08:00\"\nto = \"2026-12-02T02:00:00+08:00\"\n"
     "reason = \"  \"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "5:10: maintenance window 1: 'reason' must not be empty"},
    {"maintenance ending before it starts",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = \"2026-12-01T22:00:00+08:00\"\nto = \"2026-12-01T14:00:00Z\"\n"
     "reason = \"migration\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "4:6: maintenance window 1: 'to' (2026-12-01T14:00:00Z) must be after 'from' (2026-12-01T22:00:00+08:00)"},
    {"maintenance time without offset",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = \"2026-12-01T22:00:00\"\nto = \"2026-12-02T02:00:00+08:00\"\n"
     "reason = \"migration\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "3:8: 'from': \"2026-12-01T22:00:00\" needs a UTC offset, like \"+08:00\" or \"Z\""},
    {"maintenance TOML local date-time",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = 2026-12-01T22:00:00\nto = \"2026-12-02T02:00:00+08:00\"\n"
     "reason = \"migration\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "3:8: 'from': \"2026-12-01T22:00:00\" needs a UTC offset, like \"+08:00\" or \"Z\""},
    {"maintenance on a day that does not exist",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = \"2027-02-28T22:00:00+08:00\"\nto = \"2027-02-29T02:00:00+08:00\"\n"
     "reason = \"migration\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "4:6: 'to': \"2027-02-29T02:00:00+08:00\" names a day that does not exist"},
    {"maintenance time of the wrong type",
     "[[maintenance]]\ntarget = \"portal\"\nfrom = 2026\nto = \"2026-12-02T02:00:00+08:00\"\nreason = \"migration\"\n"
     "[targets.portal]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n",
     "3:8: 'from' must be a date and time like \"2026-12-01T22:00:00+08:00\", not an integer"},
    {"mail section of the wrong type", "mail = \"smtp\"\n", "1:8: 'mail' must be a table, not a string"},
    {"unknown mail transport", "[mail]\ntransport = \"postfix\"\n",
     "2:13: 'transport' must be one of \"smtp\", \"sendmail\", \"spool\", not \"postfix\""},
    {"unknown key in [mail]", "[mail]\nrelay = [\"smtp://mail.example.edu.cn\"]\n",
     "2:1: unknown key 'relay' in [mail]; did you mean 'relays'?"},
    {"smtp without a sender", "[mail]\ntransport = \"smtp\"\nrelays = [\"smtp://mail.example.edu.cn\"]\n",
     "1:1: [mail]: transport = \"smtp\" needs 'from', the address the e-mails are sent from"},
    {"sendmail without a sender", "[mail]\ntransport = \"sendmail\"\n",
     "1:1: [mail]: transport = \"sendmail\" needs 'from', the address the e-mails are sent from"},
    {"sender with a display name", "[mail]\nfrom = \"netwarden <nw@example.edu.cn>\"\n",
     "2:8: 'from' must be a bare address like \"netwarden@example.edu.cn\", not \"netwarden <nw@example.edu.cn>\""},
    {"sender name with a line break", "[mail]\nfrom_name = \"nw\\nBcc: all@example.edu.cn\"\n",
     "2:13: 'from_name' must be one line without control characters"},
    {"bad Message-ID domain", "[mail]\nmessage_id_domain = \"@example.edu.cn\"\n",
     "2:21: 'message_id_domain' must be a domain name like \"example.edu.cn\", not \"@example.edu.cn\""},
    {"smtp without relays", "[mail]\ntransport = \"smtp\"\nfrom = \"nw@example.edu.cn\"\n",
     "1:1: [mail]: transport = \"smtp\" needs 'relays', e.g. [\"smtp://mail.example.edu.cn:587\"]"},
    {"smtp with an empty relay list", "[mail]\ntransport = \"smtp\"\nfrom = \"nw@example.edu.cn\"\nrelays = []\n",
     "4:10: [mail]: transport = \"smtp\" needs at least one relay in 'relays'"},
    {"relay with another scheme", "[mail]\nrelays = [\"smtp://a.example.edu.cn\", \"https://b.example.edu.cn\"]\n",
     "2:38: 'relays': \"https://b.example.edu.cn\" is not a relay like \"smtp://mail.example.edu.cn:587\" or "
     "\"smtps://mail.example.edu.cn:465\""},
    {"relay with a path", "[mail]\nrelays = [\"smtp://mail.example.edu.cn/x\"]\n",
     "2:11: 'relays': \"smtp://mail.example.edu.cn/x\" is not a relay like \"smtp://mail.example.edu.cn:587\" or "
     "\"smtps://mail.example.edu.cn:465\""},
    {"relay with a user", "[mail]\nrelays = [\"smtps://nw@mail.example.edu.cn\"]\n",
     "2:11: 'relays': \"smtps://nw@mail.example.edu.cn\" is not a relay like \"smtp://mail.example.edu.cn:587\" or "
     "\"smtps://mail.example.edu.cn:465\""},
    {"relay port out of range", "[mail]\nrelays = [\"smtp://mail.example.edu.cn:65536\"]\n",
     "2:11: 'relays': port in \"smtp://mail.example.edu.cn:65536\" must be between 1 and 65535"},
    {"relay without a port number", "[mail]\nrelays = [\"smtps://[2001:db8::25]:\"]\n",
     "2:11: 'relays': port in \"smtps://[2001:db8::25]:\" must be between 1 and 65535"},
    {"relay with an IPv4 address in brackets", "[mail]\nrelays = [\"smtp://[192.0.2.25]\"]\n",
     "2:11: 'relays': \"smtp://[192.0.2.25]\" is not a relay like \"smtp://mail.example.edu.cn:587\" or "
     "\"smtps://mail.example.edu.cn:465\""},
    {"user without a password file", "[mail]\nusername = \"nw\"\n",
     "2:12: 'username' needs 'password_file', a file holding the password (never the password itself)"},
    {"user with an empty password file", "[mail]\nusername = \"nw\"\npassword_file = \"\"\n",
     "2:12: 'username' needs 'password_file', a file holding the password (never the password itself)"},
    {"password file without a user", "[mail]\npassword_file = \"/etc/netwarden/smtp-password\"\n",
     "2:17: 'password_file' needs 'username'"},
    {"mail CA file that is a directory", "[mail]\nca_file = \"/\"\n",
     "2:11: 'ca_file': cannot read '/': Is a directory"},
    {"zero connect timeout", "[mail]\nconnect_timeout = \"0s\"\n", "2:19: 'connect_timeout' must be longer than 0s"},
    {"STARTTLS not a boolean", "[mail]\nstarttls = \"no\"\n", "2:12: 'starttls' must be true or false, not a string"},
    {"empty sendmail path", "[mail]\nsendmail = \"\"\n", "2:12: 'sendmail' must not be empty"},
    {"longest retry pause past giving up", "[mail]\nretry_max = \"2h\"\ngive_up_after = \"1h\"\n",
     "2:13: [mail]: 'retry_max' (2h) must not be longer than 'give_up_after' (1h)"},
    {"giving up before the default longest retry pause", "[mail]\ngive_up_after = \"10m\"\n",
     "2:17: [mail]: 'retry_max' (30m) must not be longer than 'give_up_after' (10m)"},

    // [channels.ID], and the people, units and [institution] naming them.
    {"channel without a kind", "[channels.x]\ntoken_file = \"x.token\"\n",
     "1:1: missing required key 'kind' in [channels.x]"},
    {"unknown channel kind", "[channels.x]\nkind = \"slack\"\n",
     "2:8: 'kind' must be one of \"wecom\", \"dingtalk\", \"feishu\", \"webhook\", \"aliyun_sms\", \"tencent_sms\", "
     "not \"slack\""},
    {"channel that is not a table", "[channels]\nx = \"wecom\"\n",
     "2:5: 'x' in [channels] must be a table [channels.x], not a string"},
    {"channel named email", "[channels.email]\nkind = \"webhook\"\nurl = \"https://hooks.example.edu.cn/nw\"\n",
     "1:1: [channels.email]: the id 'email' is reserved for e-mail in a person's 'channels'; choose another"},
    {"unknown key in a channel", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\ntimout = \"5s\"\n",
     "4:1: unknown key 'timout' in [channels.x]; did you mean 'timeout'?"},
    {"robot without a token file", "[channels.x]\nkind = \"wecom\"\n",
     "1:1: missing required key 'token_file' in [channels.x]"},
    {"robot with an empty token file", "[channels.x]\nkind = \"dingtalk\"\ntoken_file = \"\"\n",
     "3:14: 'token_file' must not be empty"},
    {"webhook without a URL", "[channels.x]\nkind = \"webhook\"\n", "1:1: missing required key 'url' in [channels.x]"},
    {"webhook with a token file",
     "[channels.x]\nkind = \"webhook\"\nurl = \"https://hooks.example.edu.cn/nw\"\ntoken_file = \"x.token\"\n",
     "4:1: key 'token_file' does not apply to kind = \"webhook\": write the whole address in 'url'"},
    {"WeCom robot with a secret",
     "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nsecret_file = \"x.secret\"\n",
     "4:1: key 'secret_file' does not apply to kind = \"wecom\": its requests are not signed"},
    {"channel URL with plain http to another host",
     "[channels.x]\nkind = \"webhook\"\nurl = \"http://hooks.example.edu.cn/nw\"\n",
     "3:7: 'url': URL \"http://hooks.example.edu.cn/nw\" must be https:// (http:// only to this machine: "
     "\"localhost\" or a loopback address)"},
    {"channel URL with a user", "[channels.x]\nkind = \"webhook\"\nurl = \"https://nw:pw@hooks.example.edu.cn/nw\"\n",
     "3:7: 'url': URL \"https://nw:pw@hooks.example.edu.cn/nw\" must not hold a user name or password"},
    {"channel URL with a fragment",
     "[channels.x]\nkind = \"feishu\"\ntoken_file = \"x.token\"\nurl = \"https://open.feishu.cn/hook/#x\"\n",
     "4:7: 'url': URL \"https://open.feishu.cn/hook/#x\" must not have a fragment (\"#...\")"},
    {"channel URL with another scheme", "[channels.x]\nkind = \"webhook\"\nurl = \"ftp://hooks.example.edu.cn/\"\n",
     "3:7: 'url': only http:// and https:// URLs are supported, not \"ftp://hooks.example.edu.cn/\""},
    {"channel URL without a host", "[channels.x]\nkind = \"webhook\"\nurl = \"https:///nw\"\n",
     "3:7: 'url': URL \"https:///nw\" has no host name"},
    {"empty robot URL", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nurl = \"\"\n",
     "4:7: 'url' must not be empty"},
    {"proxy with a user",
     "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nproxy = \"http://nw:pw@proxy.example.edu.cn:3128\"\n",
     "4:9: 'proxy': \"http://nw:pw@proxy.example.edu.cn:3128\" is not a proxy like "
     "\"http://proxy.example.edu.cn:3128\" "
     "(http://, a host and a port, nothing else)"},
    {"proxy with a path",
     "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nproxy = \"http://proxy.example.edu.cn:3128/\"\n",
     "4:9: 'proxy': \"http://proxy.example.edu.cn:3128/\" is not a proxy like \"http://proxy.example.edu.cn:3128\" "
     "(http://, a host and a port, nothing else)"},
    {"proxy over https",
     "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nproxy = \"https://proxy.example.edu.cn:3128\"\n",
     "4:9: 'proxy': \"https://proxy.example.edu.cn:3128\" is not a proxy like \"http://proxy.example.edu.cn:3128\" "
     "(http://, a host and a port, nothing else)"},
    {"proxy without a port", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nproxy = \"http://proxy\"\n",
     "4:9: 'proxy': \"http://proxy\" is not a proxy like \"http://proxy.example.edu.cn:3128\" (http://, a host and a "
     "port, nothing else)"},
    {"channel timeout over two minutes", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\ntimeout = \"3m\"\n",
     "4:11: 'timeout' must be at most 2m, not 3m"},
    {"zero channel timeout", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\ntimeout = \"0s\"\n",
     "4:11: 'timeout' must be longer than 0s"},
    {"pace without a duration", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = \"20\"\n",
     "4:8: 'pace': \"20\" is not a pace like \"20/1m\" (messages per duration)"},
    {"pace of no messages", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = \"0/1m\"\n",
     "4:8: 'pace': the number of messages in \"0/1m\" must be between 1 and 1000"},
    {"pace of too many messages", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = \"1001/1h\"\n",
     "4:8: 'pace': the number of messages in \"1001/1h\" must be between 1 and 1000"},
    {"pace over no time", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = \"20/0s\"\n",
     "4:8: 'pace': the duration in \"20/0s\" must be longer than 0s"},
    {"pace over more than an hour", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = \"100/2h\"\n",
     "4:8: 'pace': the duration in \"100/2h\" must be at most 1h"},
    {"pace with a bad duration", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = \"20/1 min\"\n",
     "4:8: 'pace': \"1 min\" is not a duration (write it like \"90s\", \"30m\", \"3h\" or \"1h30m\")"},
    {"pace as a number", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\npace = 20\n",
     "4:8: 'pace' must be a string, not an integer"},
    {"mobile number starting 12",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nmobile = \"128 1234 5678\"\n",
     "4:10: 'mobile': \"128 1234 5678\" is not a mainland China mobile number: 11 digits starting 13 to 19, like "
     "\"13812345678\" or \"+86 138-1234-5678\""},
    {"mobile number of another country",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nmobile = \"+1 415 555 0100\"\n",
     "4:10: 'mobile': \"+1 415 555 0100\" is not a mainland China mobile number: 11 digits starting 13 to 19, like "
     "\"13812345678\" or \"+86 138-1234-5678\""},
    {"mobile number one digit short",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nmobile = \"+86 138 1234 567\"\n",
     "4:10: 'mobile': \"+86 138 1234 567\" is not a mainland China mobile number: 11 digits starting 13 to 19, like "
     "\"13812345678\" or \"+86 138-1234-5678\""},
    {"person with no channels", "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = []\n",
     "4:12: person 'q': 'channels' must not be empty; e-mail alone is [\"email\"]"},
    {"person's channels as a string", "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = \"email\"\n",
     "4:12: 'channels' must be an array of strings, not a string"},
    {"person's channel twice",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = [\"email\", \"email\"]\n",
     "4:22: person 'q': 'channels' lists 'email' twice"},
    {"person's unknown channel",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = [\"email\", \"hok\"]\n"
     "[channels.hook]\nkind = \"webhook\"\nurl = \"https://hooks.example.edu.cn/nw\"\n",
     "4:22: person 'q': channel 'hok' is not defined in [channels]; did you mean 'hook'?"},
    {"group robot on a person, defined after",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = [\"grp\"]\n"
     "[channels.grp]\nkind = \"dingtalk\"\ntoken_file = \"grp.token\"\n",
     "4:13: person 'q': channel 'grp' is a group robot (kind = \"dingtalk\"), which units and [institution] name; a "
     "person's channels are \"email\", webhooks and SMS"},
    {"person's channel of an unknown kind, reported once",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = [\"x\"]\n[channels.x]\nkind = \"slack\"\n",
     "6:8: 'kind' must be one of \"wecom\", \"dingtalk\", \"feishu\", \"webhook\", \"aliyun_sms\", \"tencent_sms\", "
     "not \"slack\""},
    {"unit naming e-mail", "[units.u]\nname = \"U\"\nchannels = [\"email\"]\n",
     "3:13: unit 'u': 'channels' names [channels] ids, not \"email\" (e-mail goes to people, through the chains)"},
    {"unit naming an unknown channel", "[units.u]\nname = \"U\"\nchannels = [\"cs_wecom\"]\n",
     "3:13: unit 'u': channel 'cs_wecom' is not defined in [channels]"},
    {"unit naming a channel twice",
     "[units.u]\nname = \"U\"\nchannels = [\"hook\", \"hook\"]\n"
     "[channels.hook]\nkind = \"webhook\"\nurl = \"https://hooks.example.edu.cn/nw\"\n",
     "3:21: unit 'u': 'channels' lists 'hook' twice"},
    {"[institution] naming an unknown channel", "[institution]\nchannels = [\"office_bot\"]\n",
     "2:13: [institution]: channel 'office_bot' is not defined in [channels]"},
    {"SMS without its template",
     "[channels.s]\nkind = \"aliyun_sms\"\nkey_id = \"LTAI\"\nsecret_file = \"s.secret\"\n"
     "sign_name = \"大学\"\n",
     "1:1: missing required key 'template' in [channels.s]"},
    {"SMS without its key secret",
     "[channels.s]\nkind = \"tencent_sms\"\nkey_id = \"AKID\"\napp_id = \"1400\"\n"
     "sign_name = \"大学\"\ntemplate = \"44\"\n",
     "1:1: missing required key 'secret_file' in [channels.s]"},
    {"Tencent SMS without its app",
     "[channels.s]\nkind = \"tencent_sms\"\nkey_id = \"AKID\"\nsecret_file = \"t\"\n"
     "sign_name = \"大学\"\ntemplate = \"44\"\n",
     "1:1: missing required key 'app_id' in [channels.s]"},
    {"SMS with a token file",
     "[channels.s]\nkind = \"aliyun_sms\"\nkey_id = \"LTAI\"\nsecret_file = \"s.secret\"\nsign_name = "
     "\"大学\"\ntemplate = \"SMS_1\"\ntoken_file = \"x.token\"\n",
     "7:1: key 'token_file' does not apply to kind = \"aliyun_sms\": the account is 'key_id' and 'secret_file'"},
    {"Alibaba SMS with a region",
     "[channels.s]\nkind = \"aliyun_sms\"\nkey_id = \"LTAI\"\nsecret_file = \"s.secret\"\nsign_name = "
     "\"大学\"\ntemplate = \"SMS_1\"\nregion = \"cn-hangzhou\"\n",
     "7:1: key 'region' does not apply to kind = \"aliyun_sms\""},
    {"mention on a WeCom robot", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nmention = true\n",
     "4:1: key 'mention' does not apply to kind = \"wecom\": only DingTalk robots @ people"},
    {"robot with SMS params", "[channels.x]\nkind = \"wecom\"\ntoken_file = \"x.token\"\nparams = [\"kind\"]\n",
     "4:1: key 'params' does not apply to kind = \"wecom\""},
    {"SMS param of no field",
     "[channels.s]\nkind = \"aliyun_sms\"\nkey_id = \"LTAI\"\nsecret_file = \"s.secret\"\nsign_name = "
     "\"大学\"\ntemplate = \"SMS_1\"\nparams = { code = \"incident\", site = \"url\" }\n",
     "7:38: [channels.s]: 'params': 'url' is not a message field (fields: incident, target, site, kind, severity, "
     "unit, elapsed, threshold, reason)"},
    {"Alibaba SMS params as a list",
     "[channels.s]\nkind = \"aliyun_sms\"\nkey_id = \"LTAI\"\nsecret_file = \"s.secret\"\nsign_name = "
     "\"大学\"\ntemplate = \"SMS_1\"\nparams = [\"kind\"]\n",
     "7:10: 'params' must be a table, not an array"},
    {"Tencent SMS params as a table",
     "[channels.t]\nkind = \"tencent_sms\"\nkey_id = \"AKID\"\nsecret_file = \"t.secret\"\napp_id = "
     "\"1400\"\nsign_name = \"大学\"\ntemplate = \"44\"\nparams = { a = \"kind\" }\n",
     "8:10: 'params' must be an array of strings, not a table"},
    {"SMS param limit out of range",
     "[channels.t]\nkind = \"tencent_sms\"\nkey_id = \"AKID\"\nsecret_file = \"t.secret\"\napp_id = "
     "\"1400\"\nsign_name = \"大学\"\ntemplate = \"44\"\nparam_max = -1\n",
     "8:13: 'param_max' must be between 0 and 1000, not -1"},
    {"SMS to a person without a mobile",
     "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nchannels = [\"email\", \"s\"]\n[channels.s]\nkind = "
     "\"aliyun_sms\"\nkey_id = \"LTAI\"\nsecret_file = \"s.secret\"\nsign_name = \"大学\"\ntemplate = \"SMS_1\"\n",
     "4:22: person 'q': channel 's' sends SMS (kind = \"aliyun_sms\"): set the person's 'mobile'"},
    {"SMS on a unit",
     "[units.u]\nname = \"U\"\nchannels = [\"t\"]\n[channels.t]\nkind = \"tencent_sms\"\nkey_id = "
     "\"AKID\"\nsecret_file = \"t.secret\"\napp_id = \"1400\"\nsign_name = \"大学\"\ntemplate = \"44\"\n",
     "3:13: unit 'u': channel 't' sends SMS (kind = \"tencent_sms\") to one person's mobile; list it in the people's "
     "'channels'"},
    {"chain step naming a group robot",
     "[[chains.d.steps]]\nafter = \"1h\"\nnotify = [\"head\"]\nchannels = [\"email\", \"grp\"]\n"
     "[channels.grp]\nkind = \"feishu\"\ntoken_file = \"grp.token\"\n",
     "4:22: chain 'd', step 1: channel 'grp' is a group robot (kind = \"feishu\"), which units and [institution] name; "
     "a person's channels are \"email\", webhooks and SMS"},
    {"chain step naming no channels", "[[chains.d.steps]]\nafter = \"1h\"\nnotify = [\"head\"]\nchannels = []\n",
     "4:12: chain 'd', step 1: 'channels' must not be empty; leave it out for each person's own channels"},
    {"chain step naming a channel twice",
     "[[chains.d.steps]]\nafter = \"1h\"\nnotify = [\"head\"]\nchannels = [\"email\", \"email\"]\n",
     "4:22: chain 'd', step 1: 'channels' lists 'email' twice"},
};

TEST(ConfigTest, BadConfigsReportPositionAndMessage) {
  for (const BadConfig& bad : kBadConfigs) {
    ConfigLoad load = load_config_text(std::string(bad.toml) + std::string(kWorld), "bad.toml");
    EXPECT_EQ(messages(load), std::vector<std::string>{"bad.toml:" + std::string(bad.error)}) << bad.what;
  }
}

// Sections may come in any order: the unit names channels written below it.
TEST(ConfigTest, ChannelsOfEachKindMapOntoTheModel) {
  ConfigLoad load = load_config_text(R"([units.cs]
name = "CS"
channels = ["cs_wecom", "duty"]
[institution]
channels = ["office_ding", "office_feishu"]
[people.wang]
name = "王强"
email = "wang@example.edu.cn"
mobile = "+86 138-1234-5678"
channels = ["email", "duty"]
[people.li]
name = "Li"
email = "li@example.edu.cn"
channels = ["duty"]
[people.zhao]
name = "Zhao"
email = "zhao@example.edu.cn"
[channels.cs_wecom]
kind = "wecom"
token_file = "secrets/wecom.token"
[channels.office_ding]
kind = "dingtalk"
token_file = "/srv/nw/ding.token"
secret_file = "secrets/ding.secret"
timeout = "2m"
pace = "1000/1h"
mention = true
[channels.office_feishu]
kind = "feishu"
token_file = "feishu.token"
url = "https://gateway.example.edu.cn/feishu/"
proxy = "http://[2001:db8::8]:3128"
[channels.duty]
kind = "webhook"
url = "https://duty.example.edu.cn/netwarden?source=nw"
secret_file = "../duty.secret"
ca_file = "certs/duty-ca.pem"
proxy = "http://proxy.example.edu.cn:3128"
timeout = "250ms"
pace = "5/30s"
)",
                                     "/etc/netwarden/netwarden.toml");
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const Config& c = load.config;
  EXPECT_EQ(c.units.at("cs").channels, (std::vector<std::string>{"cs_wecom", "duty"}));
  EXPECT_EQ(c.institution.channels, (std::vector<std::string>{"office_ding", "office_feishu"}));
  EXPECT_EQ(c.people.at("wang").mobile, "13812345678");
  EXPECT_EQ(c.people.at("wang").channels, (std::vector<std::string>{"email", "duty"}));
  EXPECT_EQ(c.people.at("li").channels, std::vector<std::string>{"duty"});  // e-mail may be left out
  EXPECT_EQ(c.people.at("zhao").channels, std::vector<std::string>{"email"});
  EXPECT_EQ(c.people.at("zhao").mobile, "");
  ASSERT_EQ(c.channels.size(), 4u);

  // A robot names only its token: the provider's endpoint and the built-in
  // timeout and pace (the robots' 20 a minute) fill in the rest.
  const ChannelConfig& wecom = c.channels.at("cs_wecom");
  EXPECT_EQ(wecom.id, "cs_wecom");
  EXPECT_EQ(wecom.kind, "wecom");
  EXPECT_EQ(wecom.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send");
  EXPECT_EQ(wecom.token_file, "/etc/netwarden/secrets/wecom.token");  // named, not read
  EXPECT_EQ(wecom.secret_file, "");
  EXPECT_EQ(wecom.ca_file, "");
  EXPECT_EQ(wecom.proxy, "");
  EXPECT_EQ(wecom.timeout, seconds(10));
  EXPECT_EQ(wecom.pace_messages, 20);
  EXPECT_EQ(wecom.pace_window, minutes(1));

  const ChannelConfig& ding = c.channels.at("office_ding");
  EXPECT_EQ(ding.kind, "dingtalk");
  EXPECT_EQ(ding.url, "https://oapi.dingtalk.com/robot/send");
  EXPECT_EQ(ding.token_file, "/srv/nw/ding.token");
  EXPECT_EQ(ding.secret_file, "/etc/netwarden/secrets/ding.secret");
  EXPECT_EQ(ding.timeout, minutes(2));  // the longest allowed
  EXPECT_EQ(ding.pace_messages, 1000);
  EXPECT_EQ(ding.pace_window, hours(1));
  EXPECT_TRUE(ding.mention);
  EXPECT_FALSE(wecom.mention);

  const ChannelConfig& feishu = c.channels.at("office_feishu");
  EXPECT_EQ(feishu.kind, "feishu");
  EXPECT_EQ(feishu.url, "https://gateway.example.edu.cn/feishu/");  // written: replaces the default
  EXPECT_EQ(feishu.token_file, "/etc/netwarden/feishu.token");
  EXPECT_EQ(feishu.secret_file, "");
  EXPECT_EQ(feishu.proxy, "http://[2001:db8::8]:3128");

  const ChannelConfig& duty = c.channels.at("duty");
  EXPECT_EQ(duty.kind, "webhook");
  EXPECT_EQ(duty.url, "https://duty.example.edu.cn/netwarden?source=nw");
  EXPECT_EQ(duty.token_file, "");
  EXPECT_EQ(duty.secret_file, "/etc/duty.secret");
  EXPECT_EQ(duty.ca_file, "/etc/netwarden/certs/duty-ca.pem");  // not checked until the daemon starts
  EXPECT_EQ(duty.proxy, "http://proxy.example.edu.cn:3128");
  EXPECT_EQ(duty.timeout, milliseconds(250));
  EXPECT_EQ(duty.pace_messages, 5);
  EXPECT_EQ(duty.pace_window, seconds(30));

  // Without [channels], nobody is told any other way than by e-mail.
  ConfigLoad none = load_config_text(std::string(kWorld), "w.toml");
  ASSERT_EQ(messages(none), std::vector<std::string>{});
  EXPECT_TRUE(none.config.channels.empty());
  EXPECT_EQ(none.config.people.at("p").channels, std::vector<std::string>{"email"});
}

// SMS: an account, an approved template and what fills its parameters;
// chain steps may narrow each person's channels.
TEST(ConfigTest, SmsChannelsAndStepChannelsMapOntoTheModel) {
  ConfigLoad load = load_config_text(R"([people.boss]
name = "校长"
email = "boss@example.edu.cn"
mobile = "13900000001"
channels = ["email", "ali", "tc"]
[[chains.top.steps]]
after = "0s"
notify = ["operator"]
channels = ["email"]
[[chains.top.steps]]
after = "3h"
people = ["boss"]
channels = ["ali"]
[channels.ali]
kind = "aliyun_sms"
key_id = "LTAI5tExample"
secret_file = "ali.secret"
sign_name = "示例大学"
template = "SMS_123456789"
params = { code = "incident", site = "site", kind = "kind" }
[channels.tc]
kind = "tencent_sms"
url = "https://sms.tencentcloudapi.com/"
key_id = "AKIDexample"
secret_file = "/srv/tc.secret"
app_id = "1400000001"
region = "ap-beijing"
sign_name = "示例大学"
template = "449739"
params = ["incident", "elapsed", "threshold"]
param_max = 0
pace = "10/1s"
)" + std::string(kWorld),
                                     "/etc/netwarden/netwarden.toml");
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const Config& c = load.config;
  EXPECT_EQ(c.people.at("boss").channels, (std::vector<std::string>{"email", "ali", "tc"}));
  EXPECT_EQ(c.chains.at("top").steps[0].channels, std::vector<std::string>{"email"});
  EXPECT_EQ(c.chains.at("top").steps[1].channels, std::vector<std::string>{"ali"});
  EXPECT_TRUE(c.chains.at("c").steps[0].channels.empty());

  const ChannelConfig& ali = c.channels.at("ali");
  EXPECT_EQ(ali.url, "https://dysmsapi.aliyuncs.com/");
  EXPECT_EQ(ali.key_id, "LTAI5tExample");
  EXPECT_EQ(ali.secret_file, "/etc/netwarden/ali.secret");
  EXPECT_EQ(ali.token_file, "");
  EXPECT_EQ(ali.sign_name, "示例大学");
  EXPECT_EQ(ali.template_id, "SMS_123456789");
  EXPECT_EQ(ali.app_id, "");
  EXPECT_EQ(ali.region, "");
  // A TOML table's keys come sorted.
  EXPECT_EQ(ali.params, (std::vector<SmsParam>{{"code", "incident"}, {"kind", "kind"}, {"site", "site"}}));
  EXPECT_EQ(ali.param_max, 35);  // Alibaba's limit per variable
  EXPECT_EQ(ali.pace_messages, 50);
  EXPECT_EQ(ali.pace_window, seconds(1));

  const ChannelConfig& tc = c.channels.at("tc");
  EXPECT_EQ(tc.app_id, "1400000001");
  EXPECT_EQ(tc.region, "ap-beijing");
  EXPECT_EQ(tc.template_id, "449739");
  EXPECT_EQ(tc.params, (std::vector<SmsParam>{{"", "incident"}, {"", "elapsed"}, {"", "threshold"}}));
  EXPECT_EQ(tc.param_max, 0);  // an enterprise account: no limit
  EXPECT_EQ(tc.pace_messages, 10);
}

// Plain http:// carries the messages in the clear, which is fine only to a
// relay on this machine.
TEST(ConfigTest, ChannelUrlsArePlainHttpOnlyToThisMachine) {
  for (std::string_view url : {"http://localhost:9000/hook", "http://LocalHost/hook", "http://127.0.0.1:8080/",
                               "http://127.1.2.3/hook", "http://[::1]:8080/hook"}) {
    ConfigLoad load =
        load_config_text("[channels.x]\nkind = \"webhook\"\nurl = \"" + std::string(url) + "\"\n", "h.toml");
    EXPECT_EQ(messages(load), std::vector<std::string>{}) << url;
    EXPECT_EQ(load.config.channels.at("x").url, url);
  }
  for (std::string_view url : {"http://localhost.example.edu.cn/hook", "http://10.0.0.1/hook", "http://[::2]/"}) {
    ConfigLoad load =
        load_config_text("[channels.x]\nkind = \"webhook\"\nurl = \"" + std::string(url) + "\"\n", "h.toml");
    EXPECT_EQ(messages(load),
              std::vector<std::string>{"h.toml:3:7: 'url': URL \"" + std::string(url) +
                                       "\" must be https:// (http:// only to this machine: \"localhost\" or a "
                                       "loopback address)"});
  }
}

TEST(ConfigTest, MobileNumbersAreKeptAsTheirElevenDigits) {
  for (std::string_view written :
       {"13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "+86 138 1234 5678", "+86-138-1234-5678"}) {
    ConfigLoad load = load_config_text(
        "[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nmobile = \"" + std::string(written) + "\"\n",
        "m.toml");
    ASSERT_EQ(messages(load), std::vector<std::string>{}) << written;
    EXPECT_EQ(load.config.people.at("q").mobile, "13812345678") << written;
  }
  ConfigLoad nineteen =
      load_config_text("[people.q]\nname = \"Q\"\nemail = \"q@example.edu.cn\"\nmobile = \"19912345678\"\n", "m.toml");
  ASSERT_EQ(messages(nineteen), std::vector<std::string>{});
  EXPECT_EQ(nineteen.config.people.at("q").mobile, "19912345678");
}

TEST(ConfigTest, SmtpMailSettingsMapOntoTheModel) {
  TempDir dir("netwarden-config");
  fs::create_directory(dir.path() / "certs");
  write_file(dir.path() / "certs" / "mail-ca.pem", "-----BEGIN CERTIFICATE-----\n");
  const fs::path config = dir.path() / "netwarden.toml";
  write_file(config, R"([mail]
transport = "smtp"
from = "netwarden@noc.example.edu.cn"
from_name = "网络安全监测"
relays = ["smtp://mail.example.edu.cn:587", "smtps://192.0.2.25", "smtp://[2001:db8::25]:2525", "smtp://mx"]
starttls = false
username = "netwarden"
password_file = "secrets/smtp-password"
ca_file = "certs/mail-ca.pem"
tls_verify = false
connect_timeout = "3s"
timeout = "250ms"
templates_dir = "templates"
retry_max = "1h"
give_up_after = "1h"
warn_undelivered_after = "5m"
)");
  ConfigLoad load = load_config(config.string());
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const MailSettings& mail = load.config.mail;
  EXPECT_EQ(mail.transport, "smtp");
  EXPECT_EQ(mail.from, "netwarden@noc.example.edu.cn");
  EXPECT_EQ(mail.from_name, "网络安全监测");
  EXPECT_EQ(mail.message_id_domain, "noc.example.edu.cn");  // from the sender
  EXPECT_EQ(mail.relays, (std::vector<std::string>{"smtp://mail.example.edu.cn:587", "smtps://192.0.2.25",
                                                   "smtp://[2001:db8::25]:2525", "smtp://mx"}));
  EXPECT_FALSE(mail.starttls);
  EXPECT_EQ(mail.username, "netwarden");
  // Named, not read: the loader never opens the password file.
  EXPECT_EQ(mail.password_file, (dir.path() / "secrets" / "smtp-password").string());
  EXPECT_EQ(mail.ca_file, (dir.path() / "certs" / "mail-ca.pem").string());
  EXPECT_FALSE(mail.tls_verify);
  EXPECT_EQ(mail.connect_timeout, seconds(3));
  EXPECT_EQ(mail.timeout, milliseconds(250));
  EXPECT_EQ(mail.templates_dir, (dir.path() / "templates").string());
  EXPECT_EQ(mail.retry_max, hours(1));  // equal to give_up_after is fine
  EXPECT_EQ(mail.give_up_after, hours(1));
  EXPECT_EQ(mail.warn_undelivered_after, minutes(5));
}

TEST(ConfigTest, MailSettingsForSendmailAndSpool) {
  ConfigLoad sendmail = load_config_text(R"([mail]
transport = "sendmail"
from = "nw@example.edu.cn"
message_id_domain = "netwarden.example.edu.cn"
sendmail = "bin/sendmail"
)",
                                         "/etc/netwarden/netwarden.toml");
  ASSERT_EQ(messages(sendmail), std::vector<std::string>{});
  EXPECT_EQ(sendmail.config.mail.transport, "sendmail");
  EXPECT_EQ(sendmail.config.mail.sendmail, "/etc/netwarden/bin/sendmail");
  EXPECT_EQ(sendmail.config.mail.message_id_domain, "netwarden.example.edu.cn");

  // The smtp keys are checked but do not apply: switching transports for a
  // while needs no other edit.
  ConfigLoad spool = load_config_text(R"([mail]
spool_dir = "../spool"
relays = ["smtp://mail.example.edu.cn"]
username = "nw"
password_file = "/etc/netwarden/smtp-password"
)",
                                      "/etc/netwarden/netwarden.toml");
  ASSERT_EQ(messages(spool), std::vector<std::string>{});
  EXPECT_EQ(spool.config.mail.transport, "spool");
  EXPECT_EQ(spool.config.mail.spool_dir, "/etc/spool");
  EXPECT_EQ(spool.config.mail.from, "netwarden@localhost");
  EXPECT_EQ(spool.config.mail.message_id_domain, "localhost");
}

TEST(ConfigTest, MailDefaultsToTheSpoolWithoutAMailSection) {
  ConfigLoad load = load_config_text("", "empty.toml");
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const MailSettings& mail = load.config.mail;
  EXPECT_EQ(mail.transport, "spool");
  EXPECT_EQ(mail.from, "netwarden@localhost");
  EXPECT_EQ(mail.message_id_domain, "localhost");
  EXPECT_EQ(mail.spool_dir, "");  // the transport puts it under state_dir
  EXPECT_TRUE(mail.relays.empty());
  EXPECT_EQ(mail.give_up_after, hours(72));
}

TEST(ConfigTest, IncidentDefaultsWithoutAnIncidentsSection) {
  ConfigLoad load = load_config_text("", "empty.toml");
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const IncidentSettings& inc = load.config.incidents;
  EXPECT_EQ(inc.confirm_failures, 2);
  EXPECT_EQ(inc.recovery_window, minutes(5));
  EXPECT_EQ(inc.cert_warning_days, 14);
  EXPECT_EQ(inc.threshold_warnings, std::vector<Duration>{hours(1)});
  EXPECT_EQ(inc.severity.site_down, SeverityLevel::general);
  EXPECT_EQ(inc.severity.content_changed, SeverityLevel::significant);
  EXPECT_EQ(inc.severity.tls_problem, SeverityLevel::general);
  EXPECT_EQ(inc.severity.harmful_content, SeverityLevel::major);
  EXPECT_EQ(inc.severity.isolation_breach, SeverityLevel::significant);
  EXPECT_EQ(inc.severity.monitor_degraded, SeverityLevel::general);
  EXPECT_TRUE(load.config.maintenance.empty());
  EXPECT_EQ(kSeverityNames[static_cast<int>(SeverityLevel::critical)], "critical");
}

// A target with a second-scale threshold (as in tests) makes the built-in
// "1h left" warning meaningless; it is dropped rather than reported, since
// the file never asked for it. Written warnings are checked instead.
TEST(ConfigTest, BuiltInThresholdWarningGivesWayToATighterThreshold) {
  const std::string target = "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n";
  ConfigLoad tight = load_config_text(target + "threshold = \"6s\"\n" + std::string(kWorld), "t.toml");
  ASSERT_EQ(messages(tight), std::vector<std::string>{});
  EXPECT_TRUE(tight.config.incidents.threshold_warnings.empty());

  ConfigLoad written = load_config_text(
      target + "threshold = \"6s\"\n[incidents]\nthreshold_warnings = [\"3s\"]\n" + std::string(kWorld), "t.toml");
  ASSERT_EQ(messages(written), std::vector<std::string>{});
  EXPECT_EQ(written.config.incidents.threshold_warnings, std::vector<Duration>{seconds(3)});

  ConfigLoad roomy = load_config_text(target + "threshold = \"2h\"\n" + std::string(kWorld), "t.toml");
  ASSERT_EQ(messages(roomy), std::vector<std::string>{});
  EXPECT_EQ(roomy.config.incidents.threshold_warnings, std::vector<Duration>{hours(1)});

  ConfigLoad none = load_config_text("[incidents]\nthreshold_warnings = []\n", "t.toml");
  ASSERT_EQ(messages(none), std::vector<std::string>{});
  EXPECT_TRUE(none.config.incidents.threshold_warnings.empty());
}

TEST(ConfigTest, ReportsEveryErrorInFileOrder) {
  // Sections are read daemon first, targets last; the report follows the
  // file, not the reading order.
  ConfigLoad load = load_config_text(R"([targets.t]
url = "https://a.example/"
unit = "nowhere"
chain = "c"
[people.x]
name = "X"
email = "x"
[daemon]
log_level = "loud"
[isolation.i]
kind = "pcap"
)" + std::string(kWorld),
                                     "many.toml");
  EXPECT_EQ(messages(load), (std::vector<std::string>{
                                "many.toml:3:8: target 't': unit 'nowhere' is not defined in [units]",
                                "many.toml:7:9: 'email' must be an address like \"name@example.edu.cn\", not \"x\"",
                                "many.toml:9:13: 'log_level' must be one of \"trace\", \"debug\", \"info\", \"warn\", "
                                "\"error\", not \"loud\"",
                                "many.toml:10:1: missing required key 'unit' in [isolation.i]",
                                "many.toml:10:1: missing required key 'chain' in [isolation.i]",
                                "many.toml:10:1: isolation 'i': missing 'interface' (live capture) or 'file' (a "
                                "saved capture)",
                                "many.toml:10:1: missing required key 'internal' in [isolation.i]",
                            }));
}

TEST(ConfigTest, DefaultsAreCheckedOnceWhereWritten) {
  // A bad chain in [defaults] is one error at [defaults], not one per target.
  ConfigLoad load = load_config_text(R"([defaults]
chain = "nope"
[targets.a]
url = "https://a.example/"
unit = "library"
[targets.b]
url = "https://b.example/"
unit = "library"
)" + std::string(kWorld),
                                     "d.toml");
  EXPECT_EQ(messages(load),
            std::vector<std::string>{"d.toml:2:9: [defaults]: chain 'nope' is not defined in [chains]"});
}

TEST(ConfigTest, AllowedHostsAddToTheDefaultsAndCloakingFollowsCritical) {
  ConfigLoad load = load_config_text(R"([defaults]
allowed_hosts = ["cdn.example.edu.cn", "Fonts.Example.COM"]
cloaking_interval = "30m"
[targets.plain]
url = "https://a.example/"
unit = "library"
chain = "c"
[targets.vital]
url = "https://b.example/"
unit = "library"
chain = "c"
critical = true
allowed_hosts = ["stats.example.net", "cdn.example.edu.cn"]
[targets.vital_off]
url = "https://c.example/"
unit = "library"
chain = "c"
critical = true
cloaking = false
[targets.asked]
url = "https://d.example/"
unit = "library"
chain = "c"
cloaking = true
cloaking_interval = "1h"
[incidents.severity]
hidden_link = "critical"
malicious_code = "significant"
)" + std::string(kWorld),
                                     "k.toml");
  ASSERT_TRUE(load.ok()) << messages(load).front();
  const std::vector<WebTarget>& t = load.config.targets;
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].allowed_hosts, (std::vector<std::string>{"cdn.example.edu.cn", "fonts.example.com"}));
  EXPECT_EQ(t[1].allowed_hosts,
            (std::vector<std::string>{"cdn.example.edu.cn", "fonts.example.com", "stats.example.net"}));
  EXPECT_FALSE(t[0].cloaking);
  EXPECT_TRUE(t[1].cloaking);
  EXPECT_FALSE(t[2].cloaking);
  EXPECT_TRUE(t[3].cloaking);
  EXPECT_EQ(t[0].cloaking_interval, minutes(30));
  EXPECT_EQ(t[3].cloaking_interval, hours(1));
  EXPECT_EQ(load.config.incidents.severity.hidden_link, SeverityLevel::critical);
  EXPECT_EQ(load.config.incidents.severity.malicious_code, SeverityLevel::significant);
  EXPECT_EQ(load.config.incidents.severity.cloaking, SeverityLevel::major);

  // [defaults] may switch cloaking off for critical targets too.
  ConfigLoad off = load_config_text(R"([defaults]
cloaking = false
[targets.vital]
url = "https://b.example/"
unit = "library"
chain = "c"
critical = true
)" + std::string(kWorld),
                                    "k.toml");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off.config.targets[0].cloaking);
}

TEST(ConfigTest, PrivacyAllowedNumbersAddToTheDefaultsAndMinimumsOverride) {
  ConfigLoad load = load_config_text(R"([defaults]
privacy_allowed_numbers = ["010-6275 1234"]
privacy_min_mobile_numbers = 50
[targets.plain]
url = "https://a.example/"
unit = "library"
chain = "c"
[targets.office]
url = "https://b.example/"
unit = "library"
chain = "c"
privacy_allowed_numbers = ["+86 138 1234 5678", "010-6275 1234"]
privacy_min_id_numbers = 1
privacy_min_bank_cards = 2
privacy_min_mobile_numbers = 5
[incidents.severity]
privacy_leak = "major"
)" + std::string(kWorld),
                                     "k.toml");
  ASSERT_TRUE(load.ok()) << messages(load).front();
  const std::vector<WebTarget>& t = load.config.targets;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].privacy_allowed_numbers, std::vector<std::string>{"010-6275 1234"});
  EXPECT_EQ(t[0].privacy_min_id_numbers, 3);
  EXPECT_EQ(t[0].privacy_min_bank_cards, 3);
  EXPECT_EQ(t[0].privacy_min_mobile_numbers, 50);
  EXPECT_EQ(t[1].privacy_allowed_numbers, (std::vector<std::string>{"010-6275 1234", "+86 138 1234 5678"}));
  EXPECT_EQ(t[1].privacy_min_id_numbers, 1);
  EXPECT_EQ(t[1].privacy_min_bank_cards, 2);
  EXPECT_EQ(t[1].privacy_min_mobile_numbers, 5);
  EXPECT_EQ(load.config.incidents.severity.privacy_leak, SeverityLevel::major);
  EXPECT_EQ(SeverityDefaults{}.privacy_leak, SeverityLevel::significant);
}

TEST(ConfigTest, CloakingCrawlersAndMobileAgentComeFromDefaultsOrTheTarget) {
  ConfigLoad load = load_config_text(R"toml([defaults]
cloaking_mobile_agent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"
[defaults.cloaking_crawlers]
Sogou = "Sogou web spider/4.0"
"百度蜘蛛" = "Mozilla/5.0 (compatible; Baiduspider/2.0)"
360Spider = "Mozilla/5.0; 360Spider"
[targets.inherits]
url = "https://a.example/"
unit = "library"
chain = "c"
[targets.own]
url = "https://b.example/"
unit = "library"
chain = "c"
cloaking_crawlers = { Yisouspider = "YisouSpider/5.0", Bytespider = "Bytespider" }
cloaking_mobile_agent = ""
[targets.none]
url = "https://c.example/"
unit = "library"
chain = "c"
cloaking_crawlers = {}
)toml" + std::string(kWorld),
                                     "k.toml");
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const std::vector<WebTarget>& t = load.config.targets;
  ASSERT_EQ(t.size(), 3u);
  // In the order written, not TOML's (sorted) table order.
  EXPECT_EQ(t[0].cloaking_crawlers, (std::vector<CloakingCrawler>{
                                        {"Sogou", "Sogou web spider/4.0"},
                                        {"百度蜘蛛", "Mozilla/5.0 (compatible; Baiduspider/2.0)"},
                                        {"360Spider", "Mozilla/5.0; 360Spider"},
                                    }));
  EXPECT_EQ(t[0].cloaking_mobile_agent, "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36");
  // A target's table replaces the one in [defaults] entirely.
  EXPECT_EQ(t[1].cloaking_crawlers,
            (std::vector<CloakingCrawler>{{"Yisouspider", "YisouSpider/5.0"}, {"Bytespider", "Bytespider"}}));
  EXPECT_EQ(t[1].cloaking_mobile_agent, "");
  EXPECT_TRUE(t[2].cloaking_crawlers.empty());
  EXPECT_EQ(t[2].cloaking_mobile_agent, t[0].cloaking_mobile_agent);
}

TEST(ConfigTest, CloakingDefaultsAreTheFourCrawlersAndAnIphone) {
  ConfigLoad load = load_config_text(
      "[targets.t]\nurl = \"https://a.example/\"\nunit = \"library\"\nchain = \"c\"\n" + std::string(kWorld), "k.toml");
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  const WebTarget& t = load.config.targets.at(0);
  std::vector<std::string> names;
  for (const CloakingCrawler& c : t.cloaking_crawlers) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Baiduspider", "Sogou web spider", "360Spider", "Bytespider"}));
  EXPECT_NE(t.cloaking_crawlers[0].user_agent.find("Baiduspider/2.0"), std::string::npos);
  EXPECT_NE(t.cloaking_mobile_agent.find("iPhone"), std::string::npos);
}

// Limits that take more text than a kBadConfigs line.
TEST(ConfigTest, CloakingCrawlersAreBounded) {
  const auto crawlers = [](int count) {
    std::string text = "[defaults.cloaking_crawlers]\n";
    for (int i = 1; i <= count; ++i) text += "spider" + std::to_string(i) + " = \"Spider/" + std::to_string(i) + "\"\n";
    return text + std::string(kWorld);
  };
  EXPECT_EQ(messages(load_config_text(crawlers(17), "bad.toml")),
            std::vector<std::string>{"bad.toml:1:1: 'cloaking_crawlers' may list at most 16 crawlers, not 17"});
  EXPECT_EQ(messages(load_config_text(crawlers(16), "ok.toml")), std::vector<std::string>{});

  const std::string agent(513, 'a');
  EXPECT_EQ(messages(load_config_text("[defaults]\ncloaking_mobile_agent = \"" + agent + "\"\n" + std::string(kWorld),
                                      "bad.toml")),
            std::vector<std::string>{
                "bad.toml:2:25: 'cloaking_mobile_agent': a User-Agent may be at most 512 characters long, not 513"});
  EXPECT_EQ(
      messages(load_config_text(
          "[defaults]\ncloaking_crawlers = { Big = \"" + agent.substr(1) + "\" }\n" + std::string(kWorld), "ok.toml")),
      std::vector<std::string>{});
  EXPECT_EQ(
      messages(load_config_text(
          "[defaults]\ncloaking_crawlers = { " + std::string(65, 'n') + " = \"x\" }\n" + std::string(kWorld),
          "bad.toml")),
      std::vector<std::string>{"bad.toml:2:23: 'cloaking_crawlers': a crawler's name may be at most 64 bytes long"});
}

TEST(ConfigTest, ACrawlTableMapsOntoTheModel) {
  const std::string target = "[targets.t]\nurl = \"https://www.a.example/\"\nunit = \"library\"\nchain = \"c\"\n";
  ConfigLoad load = load_config_text(target +
                                         "[targets.t.crawl]\nevery = \"12h\"\nmax_pages = 500\nmax_depth = 3\n"
                                         "include = ['^https://www\\.a\\.example/news/']\nexclude = ['logout']\n"
                                         "hosts = [\"News.A.example\"]\nuser_agent = \"campus-crawler/1\"\n"
                                         "per_host_concurrency = 4\ndelay = \"0s\"\nsitemap = false\n"
                                         "attachments = false\nmax_attachment = \"5MiB\"\n" +
                                         std::string(kWorld),
                                     "ok.toml");
  EXPECT_EQ(messages(load), std::vector<std::string>{});
  ASSERT_TRUE(load.config.targets[0].crawl);
  const CrawlConfig& c = *load.config.targets[0].crawl;
  EXPECT_EQ(c.every, hours(12));
  EXPECT_EQ(c.max_pages, 500);
  EXPECT_EQ(c.max_depth, 3);
  EXPECT_EQ(c.include, std::vector<std::string>{"^https://www\\.a\\.example/news/"});
  EXPECT_EQ(c.exclude, std::vector<std::string>{"logout"});
  EXPECT_EQ(c.hosts, std::vector<std::string>{"news.a.example"});
  EXPECT_EQ(c.user_agent, "campus-crawler/1");
  EXPECT_EQ(c.per_host_concurrency, 4);
  EXPECT_EQ(c.delay, Duration(0));
  EXPECT_FALSE(c.sitemap);
  EXPECT_FALSE(c.attachments);
  EXPECT_EQ(c.max_attachment, 5u * 1024 * 1024);

  EXPECT_EQ(
      messages(load_config_text(target +
                                    "[targets.t.crawl]\nper_host_concurrency = 17\nexclude = ['(']\n"
                                    "user_agent = \"bot\\n\"\nmax_pages = 0\nevry = \"1h\"\n" +
                                    std::string(kWorld),
                                "bad.toml")),
      (std::vector<std::string>{
          "bad.toml:6:24: 'per_host_concurrency' must be between 1 and 16, not 17",
          "bad.toml:7:12: 'exclude': \"(\" is not a valid regular expression: missing closing parenthesis at offset 1",
          "bad.toml:8:14: 'user_agent': a User-Agent must be printable ASCII on one line; character 4 is not",
          "bad.toml:9:13: 'max_pages' must be between 1 and 1000000, not 0",
          "bad.toml:10:1: unknown key 'evry' in [targets.t.crawl]; did you mean 'every'?"}));
  EXPECT_EQ(
      messages(load_config_text("[defaults.crawl]\nevery = \"1h\"\n" + std::string(kWorld), "bad.toml")),
      std::vector<std::string>{"bad.toml:1:11: a site's crawl is set on its target, in [targets.ID.crawl], not in "
                               "[defaults]"});
}

TEST(ConfigTest, HarmfulKeywordListMustBeUtf8) {
  TempDir dir("netwarden-config");
  write_file(dir.path() / "words.txt", "casino\n\xff\xfe\n");
  ConfigLoad load =
      load_config_text("[defaults]\nharmful_keywords = \"words.txt\"\n", (dir.path() / "netwarden.toml").string());
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].line, 2);
  EXPECT_EQ(load.errors[0].message,
            "'harmful_keywords': '" + (dir.path() / "words.txt").string() + "' is not UTF-8 text (line 2)");
}

TEST(DateTimeTest, ParsesOffsetsAndFractions) {
  const Time expected = from_unix_ms(1796133600000);  // 2026-12-01T14:00:00Z
  EXPECT_EQ(parse_date_time("2026-12-01T22:00:00+08:00"), expected);
  EXPECT_EQ(parse_date_time("2026-12-01T14:00:00Z"), expected);
  EXPECT_EQ(parse_date_time("2026-12-01t14:00:00z"), expected);
  EXPECT_EQ(parse_date_time("2026-12-01 08:30:00-05:30"), expected);
  EXPECT_EQ(parse_date_time("2026-12-01T14:00:00.25Z"), expected + milliseconds(250));
  EXPECT_EQ(parse_date_time("2026-12-01T14:00:00.1239Z"), expected + milliseconds(123));
  EXPECT_EQ(parse_date_time("2028-02-29T00:00:00+00:00"), from_unix_ms(1835395200000));
  EXPECT_TRUE(parse_date_time("2000-02-29T00:00:00Z").has_value());
  EXPECT_EQ(parse_date_time("1969-12-31T23:59:59Z"), from_unix_ms(-1000));
}

TEST(DateTimeTest, RejectsWhatIsNotAMomentInTime) {
  // Each message quotes the text, then says what is wrong with it.
  const std::string_view no_day = " names a day that does not exist";
  const std::string_view bad_time = " has an invalid time of day";
  const std::string_view malformed = " is not a date and time like \"2026-12-01T22:00:00+08:00\"";
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2026-02-29T10:00:00Z", no_day},
      {"2100-02-29T10:00:00Z", no_day},
      {"2026-04-31T10:00:00Z", no_day},
      {"2026-13-01T10:00:00Z", no_day},
      {"2026-12-01T24:00:00Z", bad_time},
      {"2026-12-01T23:59:60Z", bad_time},
      {"2026-12-01T22:00:00+24:00", " has an invalid UTC offset"},
      {"2026-12-01T22:00:00", " needs a UTC offset, like \"+08:00\" or \"Z\""},
      {"2026-12-01T22:00+08:00", malformed},
      {"2026-12-01T22:00:00.Z", malformed},
      {"2026-12-01T22:00:00+0800", malformed},
      {"2026-12-01T22:00:00Z ", malformed},
      {"2026-12-1T22:00:00Z", malformed},
      {"", malformed},
  };
  for (const auto& [text, reason] : cases) {
    Result<Time> parsed = parse_date_time(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().message, "\"" + std::string(text) + "\"" + std::string(reason));
  }
}

std::string repeated(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

// What the loader says about `text`, as "LINE:COL: message".
std::vector<std::string> problems(std::string_view text) {
  std::vector<std::string> out;
  for (const ConfigError& e : load_config_text(text, "t.toml").errors) {
    out.push_back(std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message);
  }
  return out;
}

std::vector<std::string> one(const std::string& problem) { return {problem}; }

const std::string kTooDeep =
    "nested more than 64 levels deep (each key segment, table header segment and array counts one)";

// toml++ recurses once per level: 31,000 dotted segments overflowed the
// stack (SIGSEGV) before the limit.
TEST(ConfigTest, DeepDottedKeyIsRefusedBeforeParsing) {
  EXPECT_EQ(problems(repeated("t.", 30999) + "t = 1\n"), one("1:129: " + kTooDeep));
  EXPECT_EQ(problems(repeated("t.", 64) + "t = 1\n"), one("1:129: " + kTooDeep));
  EXPECT_EQ(problems(repeated("t.", 63) + "t = 1\n"), one("1:1: unknown section [t]"));
  // Spaces around the dots and quoted segments count the same.
  EXPECT_EQ(problems(repeated("t . \"u\" . ", 32) + "'v' = 1\n"), one("1:321: " + kTooDeep));
}

// toml++ names a bad token by reading on to its end, through what the
// pre-scan would have taken for a string; found by fuzzing (undefined
// behaviour on the non-ASCII character after the quotes).
TEST(ConfigTest, TextWhereTomlHasNoPlaceForItIsRefusedBeforeParsing) {
  const std::string where = " where TOML has no place for it (after a key or a value on the same line)";
  EXPECT_EQ(problems("y = 05PPP'''x\xd0\x85'''\n"), one("1:10: a quote" + where));
  EXPECT_EQ(problems("y = 10=[1]\n"), one("1:7: '='" + where));
  EXPECT_EQ(problems("a b = 1\n"), one("1:3: text" + where));
  EXPECT_EQ(problems("[a] 'b'\n"), one("1:5: a quote" + where));
  // A date and a time may stand apart.
  EXPECT_EQ(problems("[daemon]\nstarted = 1979-05-27 07:32:00\n"), one("2:1: unknown key 'started' in [daemon]"));
}

TEST(ConfigTest, DeepTableHeaderIsRefused) {
  EXPECT_EQ(problems("[" + repeated("a.", 64) + "a]\n"), one("1:130: " + kTooDeep));
  // A header's keys sit below it.
  EXPECT_EQ(problems("[" + repeated("a.", 59) + "a]\nb.c.d.e.f = 1\n"), one("2:9: " + kTooDeep));
  // The tables of [[a]] sit in the array a: one level more.
  EXPECT_EQ(problems("[[" + repeated("a.", 63) + "a]]\n"), one("1:130: " + kTooDeep));
  EXPECT_EQ(problems("[[" + repeated("a.", 62) + "a]]\n"), one("1:3: unknown section [a]"));
  // Each header starts again from the top.
  EXPECT_EQ(problems("[" + repeated("a.", 40) + "x]\n[" + repeated("a.", 40) + "y]\n[" + repeated("a.", 40) + "z]\n"),
            one("1:2: unknown section [a]"));
}

TEST(ConfigTest, DeepArraysAndInlineTablesAreRefused) {
  EXPECT_EQ(problems("a = " + repeated("[", 64) + repeated("]", 64) + "\n"), one("1:1: unknown top-level key 'a'"));
  EXPECT_EQ(problems("a = " + repeated("[", 65) + repeated("]", 65) + "\n"), one("1:69: " + kTooDeep));
  // An array's elements sit one level below it, plain values too.
  EXPECT_EQ(problems("a = " + repeated("[", 64) + "1" + repeated("]", 64) + "\n"), one("1:69: " + kTooDeep));
  EXPECT_EQ(problems("a = " + repeated("{b = ", 63) + "1" + repeated("}", 63) + "\n"), one("1:1: unknown section [a]"));
  EXPECT_EQ(problems("a = " + repeated("{b = ", 64) + "1" + repeated("}", 64) + "\n"), one("1:321: " + kTooDeep));
  EXPECT_EQ(problems("a = " + repeated("[{b = ", 31) + "[1]" + repeated("}]", 31) + "\n"),
            one("1:1: unknown top-level key 'a'"));
  EXPECT_EQ(problems("a = " + repeated("[{b = ", 32) + "1" + repeated("}]", 32) + "\n"), one("1:193: " + kTooDeep));
  // Line breaks inside an array do not end the value.
  EXPECT_EQ(problems("a = [\n" + repeated("[\n", 64) + repeated("]\n", 64) + "]\n"), one("65:1: " + kTooDeep));
  // Far beyond toml++'s own limit of 256 nested arrays and inline tables.
  EXPECT_EQ(problems("a = " + repeated("[\n", 100000)), one("65:1: " + kTooDeep));
}

TEST(ConfigTest, BracketsAndDotsInStringsAndCommentsCountForNothing) {
  const std::string deep = repeated("[{a.", 100);
  const std::string text = "\"" + deep + "\" = '" + deep + "'  # " + deep + "\n" +     //
                           "b = \"\"\"\n" + deep + "\n\\\"\"\"" + deep + "\"\"\"\n" +  //
                           "c = '''\n" + deep + "\n'''\n" +                            //
                           "d = \"\\\"" + deep + "\"\n";
  EXPECT_EQ(problems(text),
            (std::vector<std::string>{"1:1: unknown top-level key '" + deep + "'", "2:1: unknown top-level key 'b'",
                                      "5:1: unknown top-level key 'c'", "8:1: unknown top-level key 'd'"}));
}

TEST(ConfigTest, OverlongLineIsRefused) {
  const std::string message = "line longer than 64 KiB; netwarden reads lines of at most 65536 bytes";
  const std::string limit(64 * 1024, 'x');
  EXPECT_EQ(problems("a = 1\n# " + limit + "\n"), one("2:65537: " + message));
  EXPECT_EQ(problems("# " + limit.substr(2) + "\n"), std::vector<std::string>{});
  // Columns count characters, as in every other message: 3 bytes each here.
  EXPECT_EQ(problems("# " + repeated("规", 30000)), one("1:21847: " + message));
}

std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::string tripped(const std::string& at, const std::string& code_point) {
  return at + ": U+" + code_point +
         " after a backslash (and whitespace) in a multi-line string trips a known bug of the TOML parser "
         "(toml++ 3.3.0); write it as \\u" +
         code_point;
}

// toml++ 3.3.0's lookup of non-ASCII whitespace is undefined for most of
// U+00A1..U+0499, U+2C5E..U+3057 and U+FB26..U+FEFE (upstream issues #190,
// #295); the pre-scan refuses those where the parser would ask.
TEST(ConfigTest, InputThatTripsTheTomlParsersWhitespaceLookupIsRefused) {
  // Issue #295: the two bytes CC AA (U+032A) as the whole document.
  EXPECT_EQ(problems("\xcc\xaa"), one("1:1: non-ASCII character U+032A '\xcc\xaa' outside a string or comment (TOML "
                                      "allows it only between quotes or after #)"));
  // Issue #190: a line-ending backslash, then U+00A7 on the next line.
  EXPECT_EQ(problems("s = \"\"\"\\\n\xc2\xa7\"\"\"\n"), one(tripped("2:1", "00A7")));
  // After spaces, empty lines and a blank the lookup knows (U+3000): U+3001.
  EXPECT_EQ(problems("s = \"\"\"\\  \n\n   \xe3\x80\x80 \xe3\x80\x81\"\"\"\n"), one(tripped("3:6", "3001")));
  // Right after the backslash, and after the backslash and spaces.
  EXPECT_EQ(problems("s = \"\"\"\\\xd0\x80\"\"\"\n"), one(tripped("1:9", "0400")));
  EXPECT_EQ(problems("s = \"\"\"\\  \xef\xb9\x90\"\"\"\n"), one(tripped("1:11", "FE50")));
  // Between tokens: after a value, in a bare key; and bytes that are not UTF-8.
  EXPECT_EQ(problems("a = 1\xc2\xa7\n"),
            one("1:6: non-ASCII character U+00A7 '\xc2\xa7' outside a string or comment (TOML allows it only "
                "between quotes or after #)"));
  EXPECT_EQ(problems("[t\xc3\xa9]\n"),
            one("1:3: non-ASCII character U+00E9 '\xc3\xa9' outside a string or comment (TOML allows it only "
                "between quotes or after #)"));
  EXPECT_EQ(problems("a = 1 \xff\n"), one("1:7: invalid UTF-8 (byte 0xFF)"));
}

// toml++'s own lookup, run by the compiler: a constant expression cannot
// reach __builtin_unreachable(), so this holds exactly when the lookup
// answers for every code point of [Lo, Hi]. (toml++ is Debian's prebuilt
// shared library, so the sanitizer build cannot see inside it.)
constexpr bool lookup_answers(char32_t lo, char32_t hi) {
  bool blank = false;
  for (char32_t c = lo; c <= hi; ++c) blank |= toml::impl::is_non_ascii_horizontal_whitespace(c);
  return blank || true;
}
template <char32_t Lo, char32_t Hi>
concept LookupAnswers = requires { typename std::bool_constant<lookup_answers(Lo, Hi)>; };

// The holes the pre-scan keeps the parser away from, and nothing else in
// the Basic Multilingual Plane (above it the lookup returns at once).
static_assert(LookupAnswers<0x80, 0xA0> && LookupAnswers<0x49A, 0x2C5D> && LookupAnswers<0x3000, 0x3000> &&
              LookupAnswers<0x3058, 0xFB25> && LookupAnswers<0xFEFF, 0x10000> && LookupAnswers<0x10FFFF, 0x10FFFF>);
static_assert(!LookupAnswers<0xA1, 0xA1> && !LookupAnswers<0x499, 0x499> && !LookupAnswers<0x2C5E, 0x2C5E> &&
              !LookupAnswers<0x2FFF, 0x2FFF> && !LookupAnswers<0x3001, 0x3001> && !LookupAnswers<0x3057, 0x3057> &&
              !LookupAnswers<0xFB26, 0xFB26> && !LookupAnswers<0xFEFE, 0xFEFE>);

// Exactly those holes are refused after a line-ending backslash; every
// other character there reaches toml++ and is read as TOML says; the
// refused ones are fine anywhere else in a string or a comment.
TEST(ConfigTest, EveryOtherCharacterAfterALineEndingBackslashReachesTheParser) {
  int refused = 0;
  for (char32_t c = 0x80; c <= 0xFFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string ch = utf8(c);
    const std::vector<std::string> got = problems("s = \"\"\"\\\n" + ch + "\"\"\"\n");
    ASSERT_EQ(got.size(), 1u) << std::hex << static_cast<unsigned>(c);
    const bool hole =
        (c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x3057 && c != 0x3000) || (c >= 0xFB26 && c <= 0xFEFE);
    if (hole) {
      ++refused;
      ASSERT_TRUE(got[0].starts_with("2:1: U+")) << got[0];
      ASSERT_EQ(problems("s = \"\"\"\n" + ch + "\\\n  x\"\"\" # " + ch + "\nt = '" + ch + "'\n"),
                (std::vector<std::string>{"1:1: unknown top-level key 's'", "4:1: unknown top-level key 't'"}))
          << std::hex << static_cast<unsigned>(c);
    } else {
      ASSERT_EQ(got[0], "1:1: unknown top-level key 's'") << std::hex << static_cast<unsigned>(c);
    }
  }
  EXPECT_EQ(refused, 3019);
}

TEST(ConfigTest, NothingToWatchIsAnErrorAtTheFileStart) {
  ConfigLoad load = load_config(example_config().string());
  ASSERT_EQ(messages(load), std::vector<std::string>{});
  EXPECT_EQ(nothing_to_watch(load.config), std::nullopt);
  Config config = load.config;
  config.targets.clear();
  ASSERT_TRUE(config.isolation.empty());
  std::optional<ConfigError> empty = nothing_to_watch(config);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->to_string(), example_config().string() +
                                    ":1:1: nothing to watch: no [targets.*] and no [isolation.*] (netwardend "
                                    "--allow-empty accepts that)");
  config.isolation.push_back(IsolationWatch{});
  EXPECT_EQ(nothing_to_watch(config), std::nullopt);
}

TEST(ConfigTest, ErrorWithoutPositionPrintsFileAndMessage) {
  EXPECT_EQ((ConfigError{"a.toml", 0, 0, "cannot read: Permission denied"}.to_string()),
            "a.toml: cannot read: Permission denied");
  EXPECT_EQ((ConfigError{"a.toml", 3, 7, "bad"}.to_string()), "a.toml:3:7: bad");
}

}  // namespace
}  // namespace netwarden
