// The configuration model: typed, fully validated structs.
//
// load_config() (config/load_config.h) turns a TOML file into a Config and
// checks every reference (a target's unit and chain, a step's roles and
// people) before the daemon does any I/O, so code that receives a Config can
// trust it: names it looks up exist, durations are positive, URLs parse.
// Plain data; copying is fine; no thread-safety concerns.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"

namespace netwarden {

struct DaemonConfig {
  std::string state_dir = "/var/lib/netwarden";
  std::string socket = "/run/netwarden/netwarden.sock";
  std::string log_level = "info";  // trace, debug, info, warn, error
  std::string admin_group;         // members may change things over the socket; empty: root only
  int max_concurrent_checks = 64;  // global bound on checks in flight
  Duration sample_retention = std::chrono::hours(24 * 7);
  // The hourly history the samples are rolled up into (reports over a year).
  Duration history_retention = std::chrono::hours(24 * 400);
};

struct Person {
  std::string id;    // the key in [people.ID]
  std::string name;  // shown to people, e.g. "张伟"
  std::string email;
  std::string language = "zh+en";  // "zh", "en" or "zh+en"
  std::string mobile;              // 11 digits, e.g. "13812345678"; "" when none
  // How this person is told: "email" and ids of [channels] that are no
  // group robot (webhooks, SMS; SMS needs `mobile`). Never empty; default
  // {"email"}.
  std::vector<std::string> channels{"email"};
};

// What fills one parameter of an SMS template.
struct SmsParam {
  std::string name;   // the template's variable name (aliyun_sms); "" where parameters go by position (tencent_sms)
  std::string field;  // one of kSmsFields
  bool operator==(const SmsParam&) const = default;
};
// The facts an SMS template's parameters can carry, as short Chinese words:
// incident number, target id, target (site) name, kind, grade, unit name,
// time since it started, the threshold, and why this message is sent.
inline constexpr const char* kSmsFields[] = {"incident", "target",  "site",      "kind",  "severity",
                                             "unit",     "elapsed", "threshold", "reason"};

// A way a message leaves netwarden besides e-mail ([channels.ID]).
//   wecom       WeCom (企业微信) group robot: token = the webhook key
//   dingtalk    DingTalk (钉钉) custom robot: token = access_token, secret = 加签 secret
//   feishu      Feishu (飞书) custom bot: token = the hook id, secret = 签名校验 secret
//   webhook     a generic JSON POST, signed with secret when there is one
//   aliyun_sms  Alibaba Cloud SMS: key_id = AccessKeyId, secret = AccessKeySecret
//   tencent_sms Tencent Cloud SMS: key_id = SecretId, secret = SecretKey
// Robots are group chats: units and [institution] name them, not people.
// SMS goes to one person's mobile: people and chain steps name it, not units.
struct ChannelConfig {
  std::string id;
  std::string kind;  // one of the kinds above
  // The endpoint without the token: the provider's own by default (e.g.
  // "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"); required for webhook.
  std::string url;
  std::string token_file;                       // absolute path; required for the robots, none for the others
  std::string secret_file;                      // absolute path; "" when the channel signs nothing
  std::string ca_file;                          // extra trust anchor; "" : system store
  std::string proxy;                            // "http://host:port"; "" : none (the environment is not read)
  Duration timeout = std::chrono::seconds(10);  // one whole request
  // Pacing: at most pace_messages requests per pace_window to this channel
  // (WeCom and DingTalk robots take at most 20 a minute).
  int pace_messages = 20;
  Duration pace_window = std::chrono::minutes(1);
  // dingtalk: @-mention, by their mobiles, the people each message's
  // decision told (those with a `mobile`), so DingTalk alerts them.
  bool mention = false;

  // The SMS kinds: the account, the approved signature (签名) and template,
  // and what fills the template's parameters.
  std::string key_id;            // AccessKeyId or SecretId (not secret: it names the key)
  std::string app_id;            // tencent_sms: SmsSdkAppId
  std::string region;            // tencent_sms: X-TC-Region, default "ap-guangzhou"
  std::string sign_name;         // e.g. "某某大学"
  std::string template_id;       // TemplateCode (aliyun_sms) or TemplateId (tencent_sms)
  std::vector<SmsParam> params;  // aliyun_sms: by name; tencent_sms: in order
  int param_max = 0;             // characters per parameter value, longer ones are cut; 0: no limit
};

// Group robots (wecom, dingtalk, feishu) post to a chat that many read.
bool is_group_robot(std::string_view kind);
// aliyun_sms and tencent_sms text one person's mobile.
bool is_sms(std::string_view kind);

// A department or college that owns sites and network segments.
struct Unit {
  std::string id;
  std::string name;
  std::vector<std::string> head;              // person ids
  std::vector<std::string> security_officer;  // person ids
  std::vector<std::string> operators;         // person ids
  // Robots/webhooks ([channels] ids, any kind but SMS) told once per
  // decision about this unit's incidents.
  std::vector<std::string> channels;
};

// Roles above the units.
struct InstitutionRoles {
  std::vector<std::string> office;             // cyber-security office (网信办)
  std::vector<std::string> leader_in_charge;   // 分管领导
  std::vector<std::string> first_responsible;  // 第一责任人
  std::vector<std::string> upper_authority;    // 上级主管部门
  // Robots/webhooks told once per decision about every incident.
  std::vector<std::string> channels;
};

// Role names a chain step may use. Unit roles resolve through the owning
// unit of the target; the others through InstitutionRoles.
inline constexpr const char* kRoleNames[] = {"operator",         "security_officer",  "head",           "office",
                                             "leader_in_charge", "first_responsible", "upper_authority"};

struct ChainStep {
  Duration after{0};                // offset from the incident's started_at
  std::vector<std::string> roles;   // from kRoleNames
  std::vector<std::string> people;  // person ids
  std::optional<Duration> repeat;   // re-notify every `repeat` until acknowledged
  bool skip_if_acknowledged = false;
  // Which of each person's channels this step uses ("email" and [channels]
  // ids); empty: all of them. A person who has none of these gets e-mail.
  std::vector<std::string> channels;
};

struct Chain {
  std::string id;
  std::vector<ChainStep> steps;  // sorted by `after`
};

// An inclusive range of acceptable HTTP status codes (after redirects).
struct StatusRange {
  int low = 200;
  int high = 399;
};

// A search-engine crawler a cloaking check poses as: its name is the
// variant's name in evidence ("as Baiduspider: ...").
struct CloakingCrawler {
  std::string name;
  std::string user_agent;
  bool operator==(const CloakingCrawler&) const = default;
};
// The variants fetched besides the crawlers: no crawler may take their names.
inline constexpr std::string_view kSearchVisitorVariant = "a visitor from a Baidu search";
inline constexpr std::string_view kMobileVariant = "a mobile browser";

// Whole-site inspection of a target ([targets.ID.crawl]): its pages and
// attachments are fetched link by link and judged like the watched page.
struct CrawlConfig {
  Duration every = std::chrono::hours(6);  // from the start of one crawl to the start of the next
  int max_pages = 2000;                    // pages and attachments fetched per crawl
  int max_depth = 10;                      // links followed from a seed (the target URL, sitemap entries)
  // PCRE2 patterns matched against the whole URL: when `include` lists
  // any, a URL must match one; a URL matching an `exclude` is never fetched.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::vector<std::string> hosts;  // crawled besides the target URL's host, lower-case
  // Its own User-Agent, so that the web team can allow-list the crawler.
  std::string user_agent = "netwarden-crawler/" NETWARDEN_VERSION;
  int per_host_concurrency = 2;                     // requests in flight to one host
  Duration delay = std::chrono::milliseconds(500);  // a slot's pause between two requests to one host
  bool sitemap = true;                              // seeds from /sitemap.xml too
  bool attachments = true;                          // PDF, Office, CSV and text files linked from pages
  std::uint64_t max_attachment = 20 * 1024 * 1024;  // bytes
  bool operator==(const CrawlConfig&) const = default;
};

struct WebTarget {
  std::string id;    // the key in [targets.ID]
  std::string name;  // shown to people, e.g. "门户网站"; defaults to id
  std::string url;   // http:// or https://
  std::string unit;
  std::string chain;
  Duration interval = std::chrono::seconds(60);
  Duration timeout = std::chrono::seconds(10);
  std::vector<StatusRange> expect_status = {StatusRange{}};
  std::uint64_t max_body = 2 * 1024 * 1024;  // bytes
  int max_redirects = 5;
  bool tls_verify = true;
  std::string ca_file;    // extra trust anchor for this target; empty: system store
  bool critical = false;  // key information infrastructure: one severity grade higher
  Duration threshold = std::chrono::hours(3);
  // The monitor's own connectivity (e.g. the campus gateway): while it is
  // down, one monitor_degraded incident stands in for every site_down.
  bool reference = false;

  // Content rules.
  std::vector<std::string> regions;            // XPath expressions; empty: whole page
  std::vector<std::string> ignore;             // PCRE2 patterns removed from the text before hashing
  std::vector<std::string> required_keywords;  // must appear in the text
  std::string harmful_keywords_file;           // absolute path; empty: none
  // Hosts (and their subdomains) whose scripts, frames and redirects are
  // not foreign code; the site's own host always is. [defaults] adds to it.
  std::vector<std::string> allowed_hosts;
  // Personal data (privacy_leak): how many distinct numbers of a kind on a
  // page make a finding, and numbers published on purpose (an office
  // telephone), compared by digits only. [defaults]' list is added to.
  int privacy_min_id_numbers = 3;
  int privacy_min_bank_cards = 3;
  int privacy_min_mobile_numbers = 30;  // staff directories list phones on purpose
  std::vector<std::string> privacy_allowed_numbers;
  // Extra fetches as search-engine crawlers, from a search result and as a
  // mobile browser, to catch spam shown only to them (快照劫持).
  bool cloaking = false;  // default: on for critical targets
  Duration cloaking_interval = std::chrono::minutes(10);
  // The crawlers posed as, fetched in this order (the order written in the
  // file); empty: none. A target's list replaces the one in [defaults].
  std::vector<CloakingCrawler> cloaking_crawlers = {
      {"Baiduspider", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
      {"Sogou web spider", "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)"},
      {"360Spider",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
       "Safari/537.36; 360Spider"},
      {"Bytespider",
       "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; "
       "Bytespider; spider-feedback@bytedance.com)"},
  };
  // The mobile browser's User-Agent; empty: no mobile variant.
  std::string cloaking_mobile_agent =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.0 Mobile/15E148 Safari/604.1";
  std::optional<CrawlConfig> crawl;  // none: only the target URL is watched
};

struct Cidr {
  std::string text;  // as written, e.g. "10.0.0.0/8"
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  // network address; first 4 bytes for IPv4
  int prefix = 0;
};

struct IsolationWatch {
  std::string id;
  std::string kind;  // "pcap" or "must_not_reach"
  std::string unit;
  std::string chain;

  // kind = "pcap": exactly one of interface / file.
  std::string interface;
  std::string file;
  std::vector<Cidr> internal;
  std::vector<Cidr> allowed;
  Duration quiet_period = std::chrono::minutes(10);
  int evidence_packets = 100;

  // kind = "must_not_reach"
  std::vector<std::string> endpoints;         // "host:port" over TCP
  std::vector<std::string> must_not_resolve;  // DNS names
  std::vector<std::string> resolvers;         // resolver addresses; empty: system resolver
  Duration interval = std::chrono::minutes(5);
  Duration timeout = std::chrono::seconds(5);
};

// Incident grades, lowest first (一般 / 较大 / 重大 / 特别重大). Named
// SeverityLevel so that it cannot clash with the incident engine's own type;
// kSeverityNames[static_cast<int>(level)] is how the config spells it.
enum class SeverityLevel { general, significant, major, critical };
inline constexpr std::string_view kSeverityNames[] = {"general", "significant", "major", "critical"};

// The grade an incident of each kind opens with, before a target's
// `critical` and the threshold raise it.
struct SeverityDefaults {
  SeverityLevel site_down = SeverityLevel::general;
  SeverityLevel content_changed = SeverityLevel::significant;
  SeverityLevel tls_problem = SeverityLevel::general;
  SeverityLevel harmful_content = SeverityLevel::major;
  SeverityLevel isolation_breach = SeverityLevel::significant;
  SeverityLevel monitor_degraded = SeverityLevel::general;
  SeverityLevel hidden_link = SeverityLevel::major;
  SeverityLevel malicious_code = SeverityLevel::major;
  SeverityLevel cloaking = SeverityLevel::major;
  SeverityLevel privacy_leak = SeverityLevel::significant;
};

// [incidents]: when an incident opens and closes, and how it is graded.
struct IncidentSettings {
  int confirm_failures = 2;                            // consecutive failing checks before it opens
  Duration recovery_window = std::chrono::minutes(5);  // healthy this long before it resolves
  int cert_warning_days = 14;                          // a certificate expiring sooner is a tls_problem
  // Warnings before a target's threshold ("1h left"), longest first, no two
  // equal, each shorter than every target's threshold. The built-in ["1h"]
  // is dropped when some target's threshold is 1h or shorter; a list written
  // in the file that does not fit is an error instead.
  std::vector<Duration> threshold_warnings = {std::chrono::hours(1)};
  SeverityDefaults severity;
};

// [[maintenance]]: planned work on a target. Checks between from and to
// open no incidents; an incident already open is never affected.
struct MaintenanceWindow {
  std::string target;  // a WebTarget id
  Time from;
  Time to;                  // after `from`
  std::string reason;       // not blank
  std::string declared_by;  // who declared it over the control socket; "" for the config's
};

// [mail]: how escalation e-mails leave (daemon/notifier).
struct MailSettings {
  std::string transport = "spool";  // "smtp", "sendmail" or "spool"
  std::string from;                 // envelope and From: address; required
  std::string from_name = "netwarden";
  // Names the messages' Message-IDs; default: the domain of `from`.
  std::string message_id_domain;

  // transport = "smtp": relays tried in order, "smtp://host[:port]" (STARTTLS
  // unless starttls = false) or "smtps://host[:port]" (TLS from the start).
  std::vector<std::string> relays;
  bool starttls = true;
  std::string username;       // empty: no AUTH
  std::string password_file;  // absolute path; the password never sits in the config
  std::string ca_file;        // extra trust anchor; empty: system store
  bool tls_verify = true;
  Duration connect_timeout = std::chrono::seconds(10);
  Duration timeout = std::chrono::seconds(60);  // one whole message

  // transport = "sendmail"
  std::string sendmail = "/usr/sbin/sendmail";  // run as `sendmail -t -i`

  // transport = "spool": RFC 5322 .eml files; default state_dir/mail-spool
  std::string spool_dir;

  // Templates an administrator may edit; empty: the built-in ones.
  std::string templates_dir;

  // Retries: exponential backoff up to retry_max, until give_up_after.
  Duration retry_max = std::chrono::minutes(30);
  Duration give_up_after = std::chrono::hours(24 * 3);
  Duration warn_undelivered_after = std::chrono::minutes(15);
};

struct Config {
  std::string path;  // the file it was loaded from
  DaemonConfig daemon;
  std::map<std::string, Person> people;
  std::map<std::string, Unit> units;
  InstitutionRoles institution;
  std::map<std::string, Chain> chains;
  std::vector<WebTarget> targets;         // in file order
  std::vector<IsolationWatch> isolation;  // in file order
  IncidentSettings incidents;
  std::vector<MaintenanceWindow> maintenance;  // in file order
  MailSettings mail;
  std::map<std::string, ChannelConfig> channels;
};

}  // namespace netwarden
