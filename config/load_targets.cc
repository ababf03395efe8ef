// [defaults] and [targets.ID]: the web sites to watch.
//
// [defaults] is read with the same code as a target's own keys, onto a
// WebTarget holding the built-in defaults, and each target starts from a
// copy of it. So a value in [defaults] is checked once, where it is written,
// not once per target that inherits it.
#include <algorithm>
#include <utility>

#include "config/sections.h"
#include "config/value_checks.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {

constexpr std::size_t kMaxUserAgent = 512;

std::optional<std::uint64_t> read_size(TableReader& r, std::string_view key) {
  const toml::node* node = r.find(key);
  if (!node) return std::nullopt;
  const std::string name = "'" + std::string(key) + "'";
  if (node->is_integer()) {
    std::int64_t bytes = node->as_integer()->get();
    if (bytes > 0) return static_cast<std::uint64_t>(bytes);
    r.diag().error(position_of(*node), name + " must be larger than 0");
    return std::nullopt;
  }
  if (node->is_string()) {
    Result<std::uint64_t> bytes = parse_size(node->as_string()->get());
    if (bytes) return *bytes;
    r.diag().error(position_of(*node), name + ": " + bytes.error().message);
    return std::nullopt;
  }
  r.wrong_type(key, *node, "a number of bytes or a size like \"2MiB\"");
  return std::nullopt;
}

void read_checked_list(TableReader& r, std::string_view key, Result<void> (*check)(std::string_view),
                       std::vector<std::string>& out) {
  for (const Item& item : r.strings(key).value_or(std::vector<Item>{})) {
    if (Result<void> ok = check(item.value); !ok) {
      r.diag().error(item.at, "'" + std::string(key) + "': " + ok.error().message);
    } else {
      out.push_back(item.value);
    }
  }
}

// A host whose scripts and frames are not foreign code. Subdomains always
// count, so "*." would say nothing; a URL is a common slip.
Result<void> check_allowed_host(std::string_view host) {
  if (host.starts_with("*.")) {
    return fail("write \"" + std::string(host.substr(2)) + "\" without \"*.\": its subdomains are always allowed");
  }
  if (host.find("://") != std::string_view::npos) return fail("a host name, not a URL: \"" + std::string(host) + "\"");
  if (!is_dns_name(host) && !is_ip_address(host)) return fail("\"" + std::string(host) + "\" is not a host name");
  return {};
}

// A User-Agent goes into an HTTP header as written: one line of printable
// ASCII, short enough for any server's header limit.
Result<void> check_user_agent(std::string_view agent) {
  if (agent.empty()) return fail("a User-Agent must not be empty");
  for (std::size_t i = 0; i < agent.size(); ++i) {
    const auto c = static_cast<unsigned char>(agent[i]);
    if (c < 0x20 || c > 0x7E) {
      return fail("a User-Agent must be printable ASCII on one line; character " + std::to_string(i + 1) + " is not");
    }
  }
  if (agent.size() > kMaxUserAgent) {
    return fail("a User-Agent may be at most " + std::to_string(kMaxUserAgent) + " characters long, not " +
                std::to_string(agent.size()));
  }
  return {};
}

namespace {

std::optional<std::vector<StatusRange>> read_expect_status(TableReader& r) {
  const toml::array* items = r.array("expect_status", "an array of status codes or ranges like [200, \"300-399\"]");
  if (!items) return std::nullopt;
  if (items->empty()) {
    r.diag().error(r.value_position("expect_status"), "'expect_status' must list at least one status code or range");
    return std::nullopt;
  }
  std::vector<StatusRange> ranges;
  for (const toml::node& item : *items) {
    Result<StatusRange> range = fail(
        "each item of 'expect_status' must be a status code or a range like "
        "\"200-399\", not " +
        type_phrase(item));
    if (item.is_integer()) {
      std::int64_t code = item.as_integer()->get();
      if (code >= 100 && code <= 599) {
        range = StatusRange{static_cast<int>(code), static_cast<int>(code)};
      } else {
        range = fail("'expect_status': status codes are between 100 and 599, not " + std::to_string(code));
      }
    }
    if (item.is_string()) {
      range = parse_status_range(item.as_string()->get());
      if (!range) range = fail("'expect_status': " + range.error().message);
    }
    if (range) {
      ranges.push_back(*range);
    } else {
      r.diag().error(position_of(item), range.error().message);
    }
  }
  if (ranges.size() != items->size()) return std::nullopt;
  return ranges;
}

// Each listed host, lower-cased as hosts compare. A target's list is added
// to the one in [defaults], not put in its place: a campus-wide CDN stays
// allowed when a site allows one more.
void read_allowed_hosts(TableReader& r, std::vector<std::string>& out) {
  for (const Item& item : r.strings("allowed_hosts").value_or(std::vector<Item>{})) {
    if (Result<void> ok = check_allowed_host(item.value); !ok) {
      r.diag().error(item.at, "'allowed_hosts': " + ok.error().message);
      continue;
    }
    std::string host = item.value;
    for (char& c : host) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (std::find(out.begin(), out.end(), host) == out.end()) out.push_back(std::move(host));
  }
}

// A number published on purpose, compared by its digits (and an ID
// number's X): separators as people write them, nothing else.
Result<void> check_allowed_number(std::string_view number) {
  std::size_t digits = 0;
  for (char c : number) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '-' && c != '+' && c != '(' && c != ')' && c != 'X' && c != 'x') {
      return fail("\"" + std::string(number) + "\" is not a number: digits, spaces, '-', '+' and parentheses only");
    }
  }
  if (digits < 7 || digits > 19) return fail("\"" + std::string(number) + "\" must hold 7 to 19 digits");
  return {};
}

// privacy_allowed_numbers: a target's list is added to [defaults]' list.
// The minimum counts: how many distinct numbers of a kind make a finding.
void read_privacy(TableReader& r, WebTarget& t) {
  for (const Item& item : r.strings("privacy_allowed_numbers").value_or(std::vector<Item>{})) {
    if (Result<void> ok = check_allowed_number(item.value); !ok) {
      r.diag().error(item.at, "'privacy_allowed_numbers': " + ok.error().message);
    } else if (std::ranges::find(t.privacy_allowed_numbers, item.value) == t.privacy_allowed_numbers.end()) {
      t.privacy_allowed_numbers.push_back(item.value);
    }
  }
  constexpr std::int64_t kMaxCount = 100000;
  if (auto v = r.integer("privacy_min_id_numbers", 1, kMaxCount)) t.privacy_min_id_numbers = static_cast<int>(*v);
  if (auto v = r.integer("privacy_min_bank_cards", 1, kMaxCount)) t.privacy_min_bank_cards = static_cast<int>(*v);
  if (auto v = r.integer("privacy_min_mobile_numbers", 1, kMaxCount)) {
    t.privacy_min_mobile_numbers = static_cast<int>(*v);
  }
}

constexpr std::size_t kMaxCrawlers = 16;  // each is one more fetch of the page per round
constexpr std::size_t kMaxCrawlerName = 64;

// A crawler's name is how evidence names the variant ("as Baiduspider"):
// one line, and not the name of one of the variants that are always there.
Result<void> check_crawler_name(std::string_view name) {
  if (name.empty()) return fail("a crawler's name must not be empty");
  if (name.size() > kMaxCrawlerName) {
    return fail("a crawler's name may be at most " + std::to_string(kMaxCrawlerName) + " bytes long");
  }
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    return fail("a crawler's name must not hold control characters");
  }
  if (name == kSearchVisitorVariant || name == kMobileVariant) {
    return fail("\"" + std::string(name) + "\" is the name of a variant that is always fetched");
  }
  return {};
}

// cloaking_crawlers = { NAME = "USER-AGENT", ... }. TOML tables have no
// order, so the crawlers are put back in the order they were written.
void read_cloaking_crawlers(TableReader& r, std::vector<CloakingCrawler>& out) {
  const toml::node* node = r.find("cloaking_crawlers");
  if (!node) return;
  if (!node->is_table()) {
    r.wrong_type("cloaking_crawlers", *node, "a table of crawler names and User-Agents like { Baiduspider = \"...\" }");
    return;
  }
  const toml::table& crawlers = *node->as_table();
  if (crawlers.size() > kMaxCrawlers) {
    r.diag().error(position_of(*node), "'cloaking_crawlers' may list at most " + std::to_string(kMaxCrawlers) +
                                           " crawlers, not " + std::to_string(crawlers.size()));
    return;
  }
  std::vector<std::pair<Position, CloakingCrawler>> read;
  for (auto&& [key, value] : crawlers) {
    Result<void> ok = check_crawler_name(key.str());
    Position at = position_of(key);
    if (ok) {
      at = position_of(value);
      ok = value.is_string() ? check_user_agent(value.as_string()->get())
                             : fail("a crawler's User-Agent must be a string, not " + type_phrase(value));
    }
    if (!ok) {
      r.diag().error(at, "'cloaking_crawlers': " + ok.error().message);
      continue;
    }
    read.emplace_back(position_of(key), CloakingCrawler{std::string(key.str()), value.as_string()->get()});
  }
  if (read.size() != crawlers.size()) return;
  std::ranges::sort(read, {}, [](const auto& p) { return std::pair(p.first.line, p.first.column); });
  out.clear();
  for (auto& [at, crawler] : read) out.push_back(std::move(crawler));
}

// "" turns the mobile variant off.
void read_mobile_agent(TableReader& r, std::string& out) {
  std::optional<std::string> agent = r.string("cloaking_mobile_agent");
  if (!agent) return;
  if (Result<void> ok = agent->empty() ? Result<void>{} : check_user_agent(*agent); !ok) {
    r.diag().error(r.value_position("cloaking_mobile_agent"), "'cloaking_mobile_agent': " + ok.error().message);
    return;
  }
  out = std::move(*agent);
}

// A path key: "" clears it, anything else is made absolute and checked.
void read_file_key(TableReader& r, std::string_view key, LoadContext& ctx, Result<void> (*check)(const std::string&),
                   std::string& out) {
  std::optional<std::string> value = r.string(key);
  if (!value) return;
  if (value->empty()) {
    out.clear();
    return;
  }
  std::string path = ctx.absolute(*value);
  if (Result<void> ok = check(path); !ok) {
    ctx.diag.error(r.value_position(key), "'" + std::string(key) + "': " + ok.error().message);
    return;
  }
  out = std::move(path);
}

// The keys [defaults] may set, read from [defaults] or from a target.
void read_overridable(TableReader& r, const std::string& owner, LoadContext& ctx, WebTarget& t) {
  std::optional<Duration> interval = r.duration("interval");
  std::optional<Duration> timeout = r.duration("timeout");
  if (interval) t.interval = *interval;
  if (timeout) t.timeout = *timeout;
  check_timeout(r, owner, interval, timeout, t.interval, t.timeout);
  if (auto v = read_size(r, "max_body")) t.max_body = *v;
  if (auto v = r.integer("max_redirects", 0, 20)) t.max_redirects = static_cast<int>(*v);
  if (auto v = read_expect_status(r)) t.expect_status = std::move(*v);
  if (auto v = r.boolean("tls_verify")) t.tls_verify = *v;
  if (auto v = r.duration("threshold")) t.threshold = *v;
  if (auto v = r.duration("cloaking_interval")) t.cloaking_interval = *v;
  read_cloaking_crawlers(r, t.cloaking_crawlers);
  read_mobile_agent(r, t.cloaking_mobile_agent);
  read_allowed_hosts(r, t.allowed_hosts);
  read_privacy(r, t);
  read_file_key(r, "harmful_keywords", ctx, check_keyword_file, t.harmful_keywords_file);
  if (auto v = r.string("chain", false)) {
    if (ctx.check_chain(Item{*v, r.value_position("chain")}, owner)) t.chain = *v;
  }
}

Result<void> check_keyword(std::string_view keyword) {
  if (keyword.empty()) return fail("a keyword must not be empty");
  return {};
}

}  // namespace

void read_targets(const toml::table* defaults, const toml::table* section, LoadContext& ctx,
                  std::vector<WebTarget>& out) {
  WebTarget base;
  // Cloaking checks are on for critical targets unless [defaults] or the
  // target itself says otherwise.
  std::optional<bool> default_cloaking;
  if (defaults) {
    TableReader r(*defaults, "[defaults]", ctx.diag);
    read_overridable(r, "[defaults]", ctx, base);
    default_cloaking = r.boolean("cloaking");
    r.reject("crawl", "a site's crawl is set on its target, in [targets.ID.crawl], not in [defaults]");
    r.reject("reference",
             "'reference' marks one target, such as the campus gateway; set it on that target, not in "
             "[defaults]");
    r.finish();
  }
  const bool default_chain = defaults && defaults->contains("chain");
  for (const Entry& e : entries(section, "targets", ctx.diag)) {
    TableReader r(*e.table, "[targets." + e.id + "]", ctx.diag);
    const std::string owner = "target '" + e.id + "'";
    WebTarget t = base;
    t.id = e.id;
    t.name = r.string("name", false).value_or(e.id);
    if (r.require("url")) {
      if (std::optional<std::string> url = r.string("url", false)) {
        if (Result<void> ok = check_web_url(*url); !ok) {
          ctx.diag.error(r.value_position("url"), "'url': " + ok.error().message);
        } else {
          t.url = *url;
        }
      }
    }
    if (r.require("unit")) {
      if (std::optional<std::string> unit = r.string("unit", false)) {
        if (ctx.check_unit(Item{*unit, r.value_position("unit")}, owner)) t.unit = *unit;
      }
    }
    read_overridable(r, owner, ctx, t);
    if (!default_chain) r.require("chain");
    read_file_key(r, "ca_file", ctx, check_readable_file, t.ca_file);
    if (auto v = r.boolean("critical")) t.critical = *v;
    if (auto v = r.boolean("reference")) t.reference = *v;
    t.cloaking = r.boolean("cloaking").value_or(default_cloaking.value_or(t.critical));
    read_checked_list(r, "regions", check_xpath, t.regions);
    read_checked_list(r, "ignore", check_regex, t.ignore);
    read_checked_list(r, "required_keywords", check_keyword, t.required_keywords);
    if (const toml::table* crawl = r.table("crawl")) t.crawl = read_crawl(*crawl, e.id, ctx);
    r.finish();
    out.push_back(std::move(t));
  }
}

}  // namespace netwarden::config_detail
