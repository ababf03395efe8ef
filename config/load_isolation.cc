// [isolation.ID]: watches that internal networks stay cut off from the
// internet, either passively (kind = "pcap") or by trying to reach what must
// be unreachable (kind = "must_not_reach").
#include <span>

#include "config/sections.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {
namespace {

constexpr std::string_view kPcapKeys[] = {"interface", "file",         "internal",
                                          "allowed",   "quiet_period", "evidence_packets"};
constexpr std::string_view kReachKeys[] = {"endpoints", "must_not_resolve", "resolvers", "interval", "timeout"};

std::vector<Cidr> read_cidrs(TableReader& r, std::string_view key) {
  std::vector<Cidr> out;
  for (const Item& item : r.strings(key).value_or(std::vector<Item>{})) {
    if (Result<Cidr> cidr = parse_cidr(item.value); !cidr) {
      r.diag().error(item.at, "'" + std::string(key) + "': " + cidr.error().message);
    } else {
      out.push_back(std::move(*cidr));
    }
  }
  return out;
}

void read_pcap(TableReader& r, const std::string& owner, LoadContext& ctx, IsolationWatch& w) {
  std::optional<std::string> interface = r.string("interface", false);
  std::optional<std::string> file = r.string("file", false);
  if (r.find("interface") && r.find("file")) {
    ctx.diag.error(r.value_position("file"), owner +
                                                 ": set either 'interface' (live capture) or 'file' (a saved "
                                                 "capture), not both");
  } else if (!r.find("interface") && !r.find("file")) {
    ctx.diag.error(r.header(), owner + ": missing 'interface' (live capture) or 'file' (a saved capture)");
  }
  if (interface && interface->size() >= 16) {
    ctx.diag.error(r.value_position("interface"), "'interface': \"" + *interface +
                                                      "\" is too long for a "
                                                      "network interface name");
  } else if (interface) {
    w.interface = *interface;
  }
  if (file) w.file = ctx.absolute(*file);
  if (r.require("internal")) {
    w.internal = read_cidrs(r, "internal");
    if (const toml::array* items = r.find("internal")->as_array(); items && items->empty()) {
      ctx.diag.error(r.value_position("internal"),
                     "'internal' must list at least one network, like "
                     "\"10.0.0.0/8\"");
    }
  }
  w.allowed = read_cidrs(r, "allowed");
  if (auto v = r.duration("quiet_period")) w.quiet_period = *v;
  if (auto v = r.integer("evidence_packets", 0, 100000)) w.evidence_packets = static_cast<int>(*v);
}

void read_must_not_reach(TableReader& r, const std::string& owner, LoadContext& ctx, IsolationWatch& w) {
  std::vector<Item> endpoints = r.strings("endpoints").value_or(std::vector<Item>{});
  std::vector<Item> names = r.strings("must_not_resolve").value_or(std::vector<Item>{});
  if (endpoints.empty() && names.empty() && !r.find("endpoints") && !r.find("must_not_resolve")) {
    ctx.diag.error(r.header(), owner + ": list at least one of 'endpoints' or 'must_not_resolve'");
  } else if (endpoints.empty() && names.empty()) {
    ctx.diag.error(r.value_position(r.find("endpoints") ? "endpoints" : "must_not_resolve"),
                   owner + ": 'endpoints' and 'must_not_resolve' are both empty; list at least one");
  }
  for (const Item& item : endpoints) {
    if (Result<void> ok = check_endpoint(item.value); !ok) {
      ctx.diag.error(item.at, "'endpoints': " + ok.error().message);
    } else {
      w.endpoints.push_back(item.value);
    }
  }
  for (const Item& item : names) {
    if (!is_dns_name(item.value)) {
      ctx.diag.error(item.at, "'must_not_resolve': \"" + item.value + "\" is not a DNS name like \"www.baidu.com\"");
    } else {
      w.must_not_resolve.push_back(item.value);
    }
  }
  for (const Item& item : r.strings("resolvers").value_or(std::vector<Item>{})) {
    if (!is_ip_address(item.value)) {
      ctx.diag.error(item.at, "'resolvers': \"" + item.value + "\" is not an IP address");
    } else {
      w.resolvers.push_back(item.value);
    }
  }
  std::optional<Duration> interval = r.duration("interval");
  std::optional<Duration> timeout = r.duration("timeout");
  if (interval) w.interval = *interval;
  if (timeout) w.timeout = *timeout;
  check_timeout(r, owner, interval, timeout, w.interval, w.timeout);
}

}  // namespace

void read_isolation(const toml::table* section, LoadContext& ctx, std::vector<IsolationWatch>& out) {
  for (const Entry& e : entries(section, "isolation", ctx.diag)) {
    TableReader r(*e.table, "[isolation." + e.id + "]", ctx.diag);
    const std::string owner = "isolation '" + e.id + "'";
    IsolationWatch w;
    w.id = e.id;
    std::optional<std::string> kind;
    if (r.require("kind")) kind = r.one_of("kind", {"pcap", "must_not_reach"});
    if (r.require("unit")) {
      if (std::optional<std::string> unit = r.string("unit", false)) {
        if (ctx.check_unit(Item{*unit, r.value_position("unit")}, owner)) w.unit = *unit;
      }
    }
    if (r.require("chain")) {
      if (std::optional<std::string> chain = r.string("chain", false)) {
        if (ctx.check_chain(Item{*chain, r.value_position("chain")}, owner)) w.chain = *chain;
      }
    }
    if (kind) {
      w.kind = *kind;
      const bool pcap = *kind == "pcap";
      for (std::string_view key :
           pcap ? std::span<const std::string_view>(kReachKeys) : std::span<const std::string_view>(kPcapKeys)) {
        r.reject(key, "key '" + std::string(key) + "' does not apply to kind = \"" + *kind + "\"");
      }
      if (pcap) {
        read_pcap(r, owner, ctx, w);
      } else {
        read_must_not_reach(r, owner, ctx, w);
      }
    } else {
      // Without a valid kind the other keys cannot be judged; only their
      // names are checked.
      for (std::string_view key : kPcapKeys) r.find(key);
      for (std::string_view key : kReachKeys) r.find(key);
    }
    r.finish();
    out.push_back(std::move(w));
  }
}

}  // namespace netwarden::config_detail
