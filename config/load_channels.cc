// [channels.ID]: ways a message leaves besides e-mail, the group robots of
// WeCom, DingTalk and Feishu, generic webhooks, and the SMS services of
// Alibaba Cloud and Tencent Cloud. A robot's token is the secret part of its
// address; like a signing secret or an SMS account's key secret it sits in
// a file that the daemon reads when it starts, so no secret is part of the
// Config that is copied around and logged.
#include <algorithm>
#include <array>

#include "config/sections.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {
namespace {

enum class Secret { none, optional, required };  // 'secret_file'

struct ChannelKind {
  std::string_view name;
  // The provider's endpoint (a robot's token is added to it); "" for a
  // webhook, which names its whole address in 'url'.
  std::string_view default_url;
  Secret secret;
  Pace pace;  // what the provider takes; 'pace' overrides it
};

using namespace std::chrono_literals;
// Robots: "每个机器人每分钟最多发送20条消息" (WeCom 91770; DingTalk and Feishu
// alike). SMS: far below the APIs' QPS (Alibaba 5000/s, Tencent 3000/s);
// their limits per number are the ones that bite, and no pace helps there.
constexpr ChannelKind kKinds[] = {
    {"wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", Secret::none, {20, 1min}},
    {"dingtalk", "https://oapi.dingtalk.com/robot/send", Secret::optional, {20, 1min}},
    {"feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/", Secret::optional, {20, 1min}},
    {"webhook", "", Secret::optional, {20, 1min}},
    // Dysmsapi's endpoint (https://help.aliyun.com/document_detail/419270.html).
    {"aliyun_sms", "https://dysmsapi.aliyuncs.com/", Secret::required, {50, 1s}},
    // SMS API 2021-01-11's endpoint (https://cloud.tencent.com/document/api/382/52071).
    {"tencent_sms", "https://sms.tencentcloudapi.com/", Secret::required, {50, 1s}},
};

// A template parameter's value at most: Alibaba "单个变量的长度限制为1~35个字符"
// (申请短信模板, https://help.aliyun.com/document_detail/108088.html); Tencent
// 12 characters for personally verified accounts, none for enterprises
// (正文模板审核标准, https://www.tencentcloud.com/zh/document/product/382/40659).
constexpr int kAliyunParamMax = 35;
constexpr int kTencentParamMax = 12;

constexpr auto kKindNames = [] {
  std::array<std::string_view, std::size(kKinds)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = kKinds[i].name;
  return names;
}();

// A request that takes longer holds up the messages paced behind it.
constexpr Duration kLongestTimeout = std::chrono::minutes(2);

const ChannelKind* find_kind(std::string_view name) {
  const ChannelKind* kind = std::ranges::find(kKinds, name, &ChannelKind::name);
  return kind == std::end(kKinds) ? nullptr : kind;
}

// nullptr when 'kind' is missing or wrong (reported): then the keys that
// depend on it are checked for their values only.
const ChannelKind* read_kind(TableReader& r) {
  if (!r.require("kind")) return nullptr;
  std::optional<std::size_t> index = r.choice("kind", kKindNames);
  return index ? &kKinds[*index] : nullptr;
}

// The string `key` when `check` accepts it; otherwise it is reported.
std::optional<std::string> read_checked(TableReader& r, std::string_view key, Result<void> (*check)(std::string_view)) {
  std::optional<std::string> value = r.string(key, false);
  if (!value) return std::nullopt;
  if (Result<void> ok = check(*value); !ok) {
    r.diag().error(r.value_position(key), "'" + std::string(key) + "': " + ok.error().message);
    return std::nullopt;
  }
  return value;
}

// The endpoint is the provider's unless written; a webhook has none.
void read_url(TableReader& r, const ChannelKind* kind, ChannelConfig& c) {
  if (kind && !kind->default_url.empty()) {
    c.url = kind->default_url;
  } else if (kind) {
    r.require("url");
  }
  if (auto url = read_checked(r, "url", check_request_url)) c.url = std::move(*url);
}

std::string kind_phrase(const ChannelKind& kind) { return "kind = \"" + std::string(kind.name) + "\""; }

void read_secret_files(TableReader& r, const ChannelKind* kind, LoadContext& ctx, ChannelConfig& c) {
  if (kind && !is_group_robot(kind->name)) {
    r.reject("token_file", "key 'token_file' does not apply to " + kind_phrase(*kind) +
                               (is_sms(kind->name) ? ": the account is 'key_id' and 'secret_file'"
                                                   : ": write the whole address in 'url'"));
  } else if (!kind || r.require("token_file")) {
    if (auto v = r.string("token_file", false)) c.token_file = ctx.absolute(*v);
  }
  if (kind && kind->secret == Secret::none) {
    r.reject("secret_file",
             "key 'secret_file' does not apply to " + kind_phrase(*kind) + ": its requests are not signed");
    return;
  }
  if (kind && kind->secret == Secret::required && !r.require("secret_file")) return;
  read_path(r, "secret_file", ctx, c.secret_file);
}

// A string key that only some kinds take: required by them, refused by
// the others.
void read_kind_string(TableReader& r, const ChannelKind* kind, std::string_view key, bool applies, std::string& out) {
  if (kind && !applies) {
    r.reject(key, "key '" + std::string(key) + "' does not apply to " + kind_phrase(*kind));
    return;
  }
  if (kind && !r.require(key)) return;
  if (auto v = r.string(key, false)) out = std::move(*v);
}

bool is_sms_field(std::string_view field) { return std::ranges::find(kSmsFields, field) != std::end(kSmsFields); }

std::string sms_field_list() {
  std::string listed;
  for (const char* f : kSmsFields) listed += (listed.empty() ? "" : ", ") + std::string(f);
  return listed;
}

void check_sms_field(TableReader& r, const Item& field) {
  if (is_sms_field(field.value)) return;
  r.diag().error(field.at, r.section() + ": 'params': '" + field.value +
                               "' is not a message field (fields: " + sms_field_list() + ")");
}

// aliyun_sms names its template's variables: params = { code = "incident" }.
void read_named_params(TableReader& r, ChannelConfig& c) {
  const toml::table* params = r.table("params");
  if (!params) return;
  for (auto&& [name, node] : *params) {
    std::optional<std::string_view> field = node.value<std::string_view>();
    if (!field) {
      r.diag().error(position_of(node), r.section() + ": 'params." + std::string(name.str()) +
                                            "' must be a message field name (a string), not " + type_phrase(node));
      continue;
    }
    check_sms_field(r, Item{std::string(*field), position_of(node)});
    c.params.push_back({std::string(name.str()), std::string(*field)});
  }
}

// tencent_sms fills its template's parameters in order: params = ["incident", "target"].
void read_positional_params(TableReader& r, ChannelConfig& c) {
  std::optional<std::vector<Item>> fields = r.strings("params");
  if (!fields) return;
  for (const Item& field : *fields) {
    check_sms_field(r, field);
    c.params.push_back({"", field.value});
  }
}

// The SMS account, its approved signature and template, and the template's parameters.
void read_sms(TableReader& r, const ChannelKind* kind, ChannelConfig& c) {
  const bool sms = kind && is_sms(kind->name);
  const bool tencent = kind && kind->name == "tencent_sms";
  read_kind_string(r, kind, "key_id", sms, c.key_id);
  read_kind_string(r, kind, "sign_name", sms, c.sign_name);
  read_kind_string(r, kind, "template", sms, c.template_id);
  read_kind_string(r, kind, "app_id", tencent, c.app_id);
  if (tencent) {
    c.region = "ap-guangzhou";
    if (auto v = r.string("region", false)) c.region = std::move(*v);
  } else if (kind) {
    r.reject("region", "key 'region' does not apply to " + kind_phrase(*kind));
  }
  if (!sms) {
    if (kind) r.reject("params", "key 'params' does not apply to " + kind_phrase(*kind));
    if (kind) r.reject("param_max", "key 'param_max' does not apply to " + kind_phrase(*kind));
    return;
  }
  if (tencent) {
    read_positional_params(r, c);
  } else {
    read_named_params(r, c);
  }
  c.param_max = tencent ? kTencentParamMax : kAliyunParamMax;
  if (auto v = r.integer("param_max", 0, 1000)) c.param_max = static_cast<int>(*v);
}

void read_timeout(TableReader& r, ChannelConfig& c) {
  std::optional<Duration> timeout = r.duration("timeout");
  if (!timeout) return;
  if (*timeout > kLongestTimeout) {
    r.diag().error(r.value_position("timeout"), "'timeout' must be at most " + describe_duration(kLongestTimeout) +
                                                    ", not " + describe_duration(*timeout));
    return;
  }
  c.timeout = *timeout;
}

void read_pace(TableReader& r, const ChannelKind* kind, ChannelConfig& c) {
  if (kind) {
    c.pace_messages = kind->pace.messages;
    c.pace_window = kind->pace.window;
  }
  std::optional<std::string> text = r.string("pace", false);
  if (!text) return;
  Result<Pace> pace = parse_pace(*text);
  if (!pace) {
    r.diag().error(r.value_position("pace"), "'pace': " + pace.error().message);
    return;
  }
  c.pace_messages = pace->messages;
  c.pace_window = pace->window;
}

ChannelConfig read_channel(const Entry& e, LoadContext& ctx) {
  TableReader r(*e.table, "[channels." + e.id + "]", ctx.diag);
  if (e.id == "email") {
    ctx.diag.error(r.header(),
                   "[channels.email]: the id 'email' is reserved for e-mail in a person's 'channels'; choose another");
  }
  ChannelConfig c;
  c.id = e.id;
  const ChannelKind* kind = read_kind(r);
  if (kind) c.kind = kind->name;
  read_url(r, kind, c);
  read_secret_files(r, kind, ctx, c);
  read_path(r, "ca_file", ctx, c.ca_file);
  if (auto proxy = read_checked(r, "proxy", check_proxy)) c.proxy = std::move(*proxy);
  read_timeout(r, c);
  read_pace(r, kind, c);
  read_sms(r, kind, c);
  if (kind && kind->name != "dingtalk") {
    r.reject("mention", "key 'mention' does not apply to " + kind_phrase(*kind) + ": only DingTalk robots @ people");
  } else if (auto v = r.boolean("mention")) {
    c.mention = *v;
  }
  r.finish();
  return c;
}

}  // namespace

std::map<std::string, std::string, std::less<>> channel_kinds(const toml::table* section) {
  std::map<std::string, std::string, std::less<>> kinds;
  if (!section) return kinds;
  for (auto&& [id, node] : *section) {
    const toml::table* table = node.as_table();
    std::optional<std::string_view> name = table ? (*table)["kind"].value<std::string_view>() : std::nullopt;
    if (const ChannelKind* kind = name ? find_kind(*name) : nullptr) kinds.emplace(id.str(), kind->name);
  }
  return kinds;
}

void read_channels(const toml::table* section, LoadContext& ctx, std::map<std::string, ChannelConfig>& out) {
  for (const Entry& e : entries(section, "channels", ctx.diag)) out.emplace(e.id, read_channel(e, ctx));
}

}  // namespace netwarden::config_detail
