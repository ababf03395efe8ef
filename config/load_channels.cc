// [channels.ID]: ways a message leaves besides e-mail, the group robots of
// WeCom, DingTalk and Feishu and generic webhooks. A robot's token is the
// secret part of its address; like a signing secret it sits in a file that
// the daemon reads when it starts, so no secret is part of the Config that
// is copied around and logged.
#include <algorithm>
#include <array>

#include "config/sections.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {
namespace {

struct ChannelKind {
  std::string_view name;
  // The provider's endpoint, to which the token is added; "" for a webhook,
  // which is no robot and names its whole address in 'url'.
  std::string_view default_url;
  bool signs;  // 'secret_file' applies
};

constexpr ChannelKind kKinds[] = {
    {"wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", false},
    {"dingtalk", "https://oapi.dingtalk.com/robot/send", true},
    {"feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/", true},
    {"webhook", "", true},
};

constexpr auto kKindNames = [] {
  std::array<std::string_view, std::size(kKinds)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = kKinds[i].name;
  return names;
}();

// A request that takes longer holds up the messages paced behind it.
constexpr Duration kLongestTimeout = std::chrono::minutes(2);

bool is_robot(const ChannelKind& kind) { return !kind.default_url.empty(); }

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

// A robot's endpoint is its provider's unless written; a webhook has none.
void read_url(TableReader& r, const ChannelKind* kind, ChannelConfig& c) {
  if (kind && is_robot(*kind)) {
    c.url = kind->default_url;
  } else if (kind) {
    r.require("url");
  }
  if (auto url = read_checked(r, "url", check_request_url)) c.url = std::move(*url);
}

void read_secret_files(TableReader& r, const ChannelKind* kind, LoadContext& ctx, ChannelConfig& c) {
  if (kind && !is_robot(*kind)) {
    r.reject("token_file", "key 'token_file' does not apply to kind = \"" + std::string(kind->name) +
                               "\": write the whole address in 'url'");
  } else if (!kind || r.require("token_file")) {
    if (auto v = r.string("token_file", false)) c.token_file = ctx.absolute(*v);
  }
  if (kind && !kind->signs) {
    r.reject("secret_file", "key 'secret_file' does not apply to kind = \"" + std::string(kind->name) +
                                "\": its requests are not signed");
  } else {
    read_path(r, "secret_file", ctx, c.secret_file);
  }
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

void read_pace(TableReader& r, ChannelConfig& c) {
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
  read_pace(r, c);
  r.finish();
  return c;
}

}  // namespace

std::map<std::string, std::string, std::less<>> robot_channels(const toml::table* section) {
  std::map<std::string, std::string, std::less<>> robots;
  if (!section) return robots;
  for (auto&& [id, node] : *section) {
    const toml::table* table = node.as_table();
    std::optional<std::string_view> name = table ? (*table)["kind"].value<std::string_view>() : std::nullopt;
    const ChannelKind* kind = name ? find_kind(*name) : nullptr;
    if (kind && is_robot(*kind)) robots.emplace(id.str(), kind->name);
  }
  return robots;
}

void read_channels(const toml::table* section, LoadContext& ctx, std::map<std::string, ChannelConfig>& out) {
  for (const Entry& e : entries(section, "channels", ctx.diag)) out.emplace(e.id, read_channel(e, ctx));
}

}  // namespace netwarden::config_detail
