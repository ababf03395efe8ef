#include "daemon/notifier/message/mail_message.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "common/sha256.h"
#include "daemon/notifier/message/header_folding.h"

namespace netwarden {

namespace {

using mail_detail::FoldedHeader;

constexpr std::size_t kBodyLine = 76;
constexpr std::size_t kMaxMessageId = 77;  // alone on a folded line

// Control characters (CR and LF above all) become spaces: a value is one line.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

// Addresses and message ids are atoms: whitespace and controls are dropped.
std::string without_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7F) out += c;
  }
  return out;
}

bool is_atext_or_space(char c) {
  static constexpr std::string_view kSpecials = "()<>[]:;@\\,.\"";
  return c == ' ' || (c > 0x20 && c < 0x7F && kSpecials.find(c) == std::string_view::npos);
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string address_field(std::string_view field, const MailAddress& who) {
  FoldedHeader h(field);
  std::string name = one_line(who.name);
  std::string address = "<" + without_spaces(who.address) + ">";
  if (name.empty()) {
    h.token(address);
    return std::move(h).finish();
  }
  if (!is_ascii(name) || name.find("=?") != std::string::npos) {
    h.encoded(name);
  } else if (std::all_of(name.begin(), name.end(), is_atext_or_space) && name.front() != ' ' && name.back() != ' ') {
    h.text(name);
  } else {
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    h.token(quoted + "\"");
  }
  h.token(address);
  return std::move(h).finish();
}

std::string date_value(Time t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const LocalTime l = local_time(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", kDays[l.tm.tm_wday], l.tm.tm_mday,
                kMonths[l.tm.tm_mon], l.tm.tm_year + 1900, l.tm.tm_hour, l.tm.tm_min, l.tm.tm_sec, l.sign,
                l.offset_min / 60, l.offset_min % 60);
  return buf;
}

std::string field(std::string_view name, std::string_view value) {
  FoldedHeader h(name);
  h.token(value);
  return std::move(h).finish();
}

std::string base64_body(std::string_view text) {
  std::string crlf;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) crlf += '\r';
    crlf += text[i];
  }
  std::string encoded = mail_detail::base64(crlf), out;
  for (std::size_t at = 0; at < encoded.size(); at += kBodyLine) {
    out += encoded.substr(at, kBodyLine);
    out += "\r\n";
  }
  return out;
}

}  // namespace

std::string ledger_head_text(std::int64_t seq, std::string_view hash) {
  return "seq=" + std::to_string(seq) + "; hash=" + std::string(hash);
}

std::string render_rfc5322(const MailMessage& m) {
  std::string out;
  out += field("Date", date_value(m.date));
  out += address_field("From", m.from);
  out += address_field("To", m.to);
  {
    FoldedHeader subject("Subject");
    subject.text(one_line(m.subject));
    out += std::move(subject).finish();
  }
  out += field("Message-ID", without_spaces(m.message_id));
  if (!m.in_reply_to.empty()) out += field("In-Reply-To", without_spaces(m.in_reply_to));
  if (!m.references.empty()) {
    FoldedHeader references("References");
    for (const auto& id : m.references) references.token(without_spaces(id));
    out += std::move(references).finish();
  }
  for (const auto& [name, value] : m.extra_headers) {
    FoldedHeader extra(without_spaces(name));
    extra.text(one_line(value));
    out += std::move(extra).finish();
  }
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  out += base64_body(m.body);
  return out;
}

namespace {

std::string escaped(std::string_view text, std::string_view also_allowed) {
  std::string out;
  for (char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 also_allowed.find(c) != std::string_view::npos;
    if (plain) {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "=%02X", static_cast<unsigned char>(c));
      out += hex;
    }
  }
  return out;
}

// `id` ("<netwarden.12.step-2") completed with the time, person and domain.
// `keep` is the part kept when the whole would be too long.
std::string finish_message_id(std::string id, std::string_view keep, Time at, std::string_view person,
                              std::string_view domain) {
  // To the millisecond: two messages to one person about one incident for
  // the same reasons never fall in one millisecond, and the outbox insists
  // on unique ids. "2026-11-25T10:15:00.123Z" becomes "20261125T101500.123Z".
  std::string stamp = format_utc(at);
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
  stamp = "." + stamp + ".";
  // A dot-atom cannot start or end with a dot.
  std::string host = escaped(domain, ".-");
  while (!host.empty() && host.front() == '.') host.erase(0, 1);
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) host = "localhost";
  std::string left = id + stamp + escaped(person, "_-");
  // A header line holds at most 78 characters and a msg-id cannot be
  // folded: a long one keeps its first part and hashes the rest.
  if (left.size() + host.size() + 2 > kMaxMessageId) left = std::string(keep) + "." + sha256_hex(left).substr(0, 32);
  return left + "@" + host + ">";
}

}  // namespace

std::string notification_message_id(IncidentId incident, const std::vector<NotifyReason>& reasons, Time at,
                                    std::string_view person, std::string_view domain) {
  const std::string keep = "<netwarden." + std::to_string(incident);
  std::string id = keep;
  for (const auto& r : reasons) {
    using What = NotifyReason::What;
    switch (r.what) {
      case What::step: id += ".step-" + std::to_string(r.step); break;
      case What::repeat: id += ".repeat-" + std::to_string(r.step); break;
      case What::threshold_warning: id += ".warning-" + format_duration(r.left); break;
      case What::threshold: id += ".threshold"; break;
      case What::harmful_content: id += ".harmful"; break;
      case What::resolved: id += ".resolved"; break;
    }
  }
  return finish_message_id(id, keep, at, person, domain);
}

std::string ledger_message_id(std::string_view what, Time at, std::string_view person, std::string_view domain) {
  const std::string keep = "<netwarden.ledger-" + escaped(what, "_-");
  return finish_message_id(keep, keep, at, person, domain);
}

}  // namespace netwarden
