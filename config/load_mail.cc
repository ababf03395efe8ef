// [mail]: how escalation e-mails leave the host. The password file is only
// named here; the transport reads it when it is made, so the password is
// never part of the Config that is copied around and logged.
#include <charconv>

#include "config/sections.h"
#include "config/value_checks.h"
#include "config/value_syntax.h"

namespace netwarden::config_detail {
namespace {

constexpr std::string_view kSpoolFrom = "netwarden@localhost";

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// "smtp://host[:port]" or "smtps://host[:port]", host a DNS name, an IPv4
// address or a bracketed IPv6 address; nothing else (no user, no path).
Result<void> check_relay(std::string_view relay) {
  const std::string expected = in_quotes(relay) + " is not a relay like \"smtp://mail.example.edu.cn:587\" or " +
                               "\"smtps://mail.example.edu.cn:465\"";
  std::string_view rest = relay;
  if (!rest.starts_with("smtp://") && !rest.starts_with("smtps://")) return fail(expected);
  rest.remove_prefix(rest.find("//") + 2);
  std::string_view host = rest, port;
  if (rest.starts_with('[')) {
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return fail(expected);
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return fail(expected);
    if (!after.empty()) port = after.substr(1);
    if (host.find(':') == std::string_view::npos || !is_ip_address(host)) return fail(expected);
  } else {
    if (std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    if (!is_ip_address(host) && !is_dns_name(host)) return fail(expected);
  }
  if (host.size() != rest.size()) {
    unsigned number = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535) {
      return fail("port in " + in_quotes(relay) + " must be between 1 and 65535");
    }
  }
  return {};
}

// A header value: a line break would end the header and start another.
bool has_control_characters(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < ' ' || c == '\x7f') return true;
  }
  return false;
}

void read_from(TableReader& r, bool required, std::string_view transport, MailSettings& out) {
  if (std::optional<std::string> from = r.string("from", false)) {
    if (looks_like_email(*from)) {
      out.from = *from;
    } else {
      r.diag().error(r.value_position("from"),
                     "'from' must be a bare address like \"netwarden@example.edu.cn\", not " + in_quotes(*from));
    }
  } else if (!r.find("from")) {
    if (required) {
      r.diag().error(r.header(), "[mail]: transport = " + in_quotes(transport) +
                                     " needs 'from', the address the e-mails are sent from");
    } else {
      out.from = kSpoolFrom;
    }
  }
  if (auto v = r.string("from_name")) {
    if (has_control_characters(*v)) {
      r.diag().error(r.value_position("from_name"), "'from_name' must be one line without control characters");
    } else {
      out.from_name = *v;
    }
  }
  if (auto v = r.string("message_id_domain", false)) {
    if (is_dns_name(*v)) {
      out.message_id_domain = *v;
    } else {
      r.diag().error(r.value_position("message_id_domain"),
                     "'message_id_domain' must be a domain name like \"example.edu.cn\", not " + in_quotes(*v));
    }
  } else if (!r.find("message_id_domain") && !out.from.empty()) {
    out.message_id_domain = out.from.substr(out.from.find('@') + 1);
  }
}

void read_smtp(TableReader& r, bool required, LoadContext& ctx, MailSettings& out) {
  if (std::optional<std::vector<Item>> relays = r.strings("relays")) {
    for (const Item& relay : *relays) {
      if (Result<void> ok = check_relay(relay.value); ok) {
        out.relays.push_back(relay.value);
      } else {
        ctx.diag.error(relay.at, "'relays': " + ok.error().message);
      }
    }
    if (relays->empty() && required) {
      ctx.diag.error(r.value_position("relays"), "[mail]: transport = \"smtp\" needs at least one relay in 'relays'");
    }
  } else if (!r.find("relays") && required) {
    ctx.diag.error(r.header(),
                   "[mail]: transport = \"smtp\" needs 'relays', e.g. [\"smtp://mail.example.edu.cn:587\"]");
  }
  if (auto v = r.boolean("starttls")) out.starttls = *v;
  if (auto v = r.boolean("tls_verify")) out.tls_verify = *v;
  std::optional<std::string> username = r.string("username");
  std::optional<std::string> password_file = r.string("password_file");
  if (username) out.username = *username;
  if (password_file && !password_file->empty()) out.password_file = ctx.absolute(*password_file);
  const bool username_ok = username || !r.find("username"), password_ok = password_file || !r.find("password_file");
  if (username_ok && password_ok && out.username.empty() != out.password_file.empty()) {
    if (out.password_file.empty()) {
      ctx.diag.error(r.value_position("username"),
                     "'username' needs 'password_file', a file holding the password (never the password itself)");
    } else {
      ctx.diag.error(r.value_position("password_file"), "'password_file' needs 'username'");
    }
  }
  if (auto v = r.string("ca_file"); v && !v->empty()) {
    std::string path = ctx.absolute(*v);
    if (Result<void> ok = check_readable_file(path); ok) {
      out.ca_file = std::move(path);
    } else {
      ctx.diag.error(r.value_position("ca_file"), "'ca_file': " + ok.error().message);
    }
  }
  if (auto v = r.duration("connect_timeout")) out.connect_timeout = *v;
  if (auto v = r.duration("timeout")) out.timeout = *v;
}

void read_retries(TableReader& r, MailSettings& out) {
  std::optional<Duration> retry_max = r.duration("retry_max");
  std::optional<Duration> give_up_after = r.duration("give_up_after");
  if (auto v = r.duration("warn_undelivered_after")) out.warn_undelivered_after = *v;
  if (retry_max) out.retry_max = *retry_max;
  if (give_up_after) out.give_up_after = *give_up_after;
  const bool retry_ok = retry_max || !r.find("retry_max"), give_up_ok = give_up_after || !r.find("give_up_after");
  if ((retry_max || give_up_after) && retry_ok && give_up_ok && out.retry_max > out.give_up_after) {
    r.diag().error(r.value_position(retry_max ? "retry_max" : "give_up_after"),
                   "[mail]: 'retry_max' (" + describe_duration(out.retry_max) +
                       ") must not be longer than 'give_up_after' (" + describe_duration(out.give_up_after) + ")");
  }
}

}  // namespace

void read_mail(const toml::table* section, LoadContext& ctx, MailSettings& out) {
  if (!section) {
    out.from = kSpoolFrom;
    out.message_id_domain = "localhost";
    return;
  }
  TableReader r(*section, "[mail]", ctx.diag);
  std::optional<std::string> transport = r.one_of("transport", {"smtp", "sendmail", "spool"});
  if (transport) out.transport = *transport;
  // A bad transport was reported; do not pile "needs ..." errors on top.
  const bool transport_ok = transport || !r.find("transport");
  read_from(r, transport_ok && out.transport != "spool", out.transport, out);
  read_smtp(r, transport_ok && out.transport == "smtp", ctx, out);
  if (auto v = r.string("sendmail", false)) out.sendmail = ctx.absolute(*v);
  read_path(r, "spool_dir", ctx, out.spool_dir);
  read_path(r, "templates_dir", ctx, out.templates_dir);
  read_retries(r, out);
  r.finish();
}

}  // namespace netwarden::config_detail
