#include "probes/reach/dns_message.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace netwarden {
namespace {

constexpr std::size_t kMaxNameLength = 255;  // on the wire, length bytes included
constexpr std::size_t kMaxLabelLength = 63;
constexpr int kMaxPointers = 16;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kFlagReply = 0x8000;
constexpr std::uint16_t kFlagTruncated = 0x0200;
constexpr std::uint16_t kFlagRecursionDesired = 0x0100;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view without_final_dot(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  return name;
}

// A name as the parser spells it: lower case, labels joined by '.', any
// byte other than a letter, digit, '-' or '_' as \DDD, so a label holding a
// '.' cannot pass for two labels.
void append_label(std::string& out, std::span<const std::uint8_t> label) {
  if (!out.empty()) out += '.';
  for (std::uint8_t b : label) {
    const char c = lower(static_cast<char>(b));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      out += c;
    } else {
      out += '\\';
      out += std::to_string(b / 100) + std::to_string(b / 10 % 10) + std::to_string(b % 10);
    }
  }
}

// Big-endian reads at a moving offset; a read past the end fails and leaves
// the reader where it was.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> message) : m_(message) {}

  bool u16(std::uint16_t& v) {
    if (m_.size() - pos_ < 2) return false;
    v = static_cast<std::uint16_t>(m_[pos_] << 8 | m_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t& v) {
    std::uint16_t high = 0;
    std::uint16_t low = 0;
    if (m_.size() - pos_ < 4) return false;
    u16(high);
    u16(low);
    v = static_cast<std::uint32_t>(high) << 16 | low;
    return true;
  }
  bool take(std::size_t n, std::span<const std::uint8_t>& out) {
    if (m_.size() - pos_ < n) return false;
    out = m_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

  // A possibly compressed name. Each pointer must lead strictly before the
  // run of labels it ends, so following them always terminates.
  Result<std::string> name() {
    std::string out;
    std::size_t wire = 0;
    std::size_t at = pos_;
    std::size_t run_start = pos_;
    std::optional<std::size_t> resume;  // where the reader continues after the first pointer
    int pointers = 0;
    for (;;) {
      if (at >= m_.size()) return fail("a name runs past the end of the message");
      const std::uint8_t length = m_[at];
      if ((length & 0xC0) == 0xC0) {
        if (at + 1 >= m_.size()) return fail("a compression pointer runs past the end of the message");
        const std::size_t target = static_cast<std::size_t>(length & 0x3F) << 8 | m_[at + 1];
        if (target >= run_start) return fail("a compression pointer does not point backwards");
        if (++pointers > kMaxPointers) return fail("a name has too many compression pointers");
        if (!resume) resume = at + 2;
        at = run_start = target;
        continue;
      }
      if ((length & 0xC0) != 0) return fail("a name has an unknown label type");
      wire += length + 1u;
      if (wire > kMaxNameLength) return fail("a name is longer than 255 bytes");
      if (length == 0) {
        pos_ = resume.value_or(at + 1);
        return out;
      }
      if (m_.size() - at - 1 < length) return fail("a label runs past the end of the message");
      append_label(out, m_.subspan(at + 1, length));
      at += 1u + length;
    }
  }

 private:
  std::span<const std::uint8_t> m_;
  std::size_t pos_ = 0;
};

std::string address_text(int family, std::span<const std::uint8_t> bytes) {
  char text[INET6_ADDRSTRLEN] = "";
  inet_ntop(family, bytes.data(), text, sizeof text);
  return text;
}

std::string canonical(std::string_view name) {
  std::string out(without_final_dot(name));
  for (char& c : out) c = lower(c);
  return out;
}

}  // namespace

Result<std::vector<std::uint8_t>> build_dns_query(std::uint16_t id, std::string_view name, std::uint16_t type) {
  const std::string_view labels = without_final_dot(name);
  if (labels.empty()) return fail("an empty name cannot be looked up");
  std::vector<std::uint8_t> out = {static_cast<std::uint8_t>(id >> 8),
                                   static_cast<std::uint8_t>(id),
                                   kFlagRecursionDesired >> 8,
                                   0,
                                   0,
                                   1,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0};
  const std::size_t name_start = out.size();
  std::size_t begin = 0;
  for (;;) {
    const std::size_t dot = labels.find('.', begin);
    const std::string_view label = labels.substr(begin, dot == std::string_view::npos ? dot : dot - begin);
    if (label.empty() || label.size() > kMaxLabelLength) {
      return fail("\"" + std::string(name) + "\" has an empty label or one longer than 63 bytes");
    }
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  out.push_back(0);
  if (out.size() - name_start > kMaxNameLength) return fail("\"" + std::string(name) + "\" is longer than 255 bytes");
  out.insert(out.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, kClassIn});
  return out;
}

std::optional<std::uint16_t> dns_message_id(std::span<const std::uint8_t> message) {
  if (message.size() < 2) return std::nullopt;
  return static_cast<std::uint16_t>(message[0] << 8 | message[1]);
}

Result<DnsReply> parse_dns_reply(std::span<const std::uint8_t> message, std::uint16_t id, std::string_view name,
                                 std::uint16_t type) {
  Reader r(message);
  std::uint16_t reply_id = 0, flags = 0, questions = 0, answers = 0, authority = 0, additional = 0;
  if (!(r.u16(reply_id) && r.u16(flags) && r.u16(questions) && r.u16(answers) && r.u16(authority) &&
        r.u16(additional))) {
    return fail("the reply is shorter than a DNS header");
  }
  if (reply_id != id) return fail("the reply carries another query's id");
  if ((flags & kFlagReply) == 0) return fail("the message is a query, not a reply");
  if (((flags >> 11) & 0xF) != 0) return fail("the reply is not to a standard query");
  if (questions != 1) return fail("the reply repeats " + std::to_string(questions) + " questions, not 1");
  Result<std::string> question = r.name();
  if (!question) return std::unexpected(question.error());
  std::uint16_t question_type = 0, question_class = 0;
  if (!(r.u16(question_type) && r.u16(question_class))) return fail("the question runs past the end of the message");
  if (*question != canonical(name) || question_type != type || question_class != kClassIn) {
    return fail("the reply answers another question (" + *question + ")");
  }

  DnsReply reply;
  reply.rcode = static_cast<std::uint8_t>(flags & 0xF);
  reply.truncated = (flags & kFlagTruncated) != 0;
  for (std::uint16_t i = 0; i < answers; ++i) {
    if (Result<std::string> owner = r.name(); !owner) return std::unexpected(owner.error());
    std::uint16_t record_type = 0, record_class = 0, data_length = 0;
    std::uint32_t ttl = 0;
    std::span<const std::uint8_t> data;
    if (!(r.u16(record_type) && r.u16(record_class) && r.u32(ttl) && r.u16(data_length) && r.take(data_length, data))) {
      return fail("an answer record runs past the end of the message");
    }
    if (record_class != kClassIn) continue;
    if (record_type == kDnsTypeA) {
      if (data.size() != 4) return fail("an A record holds " + std::to_string(data.size()) + " bytes, not 4");
      reply.addresses.push_back(address_text(AF_INET, data));
    } else if (record_type == kDnsTypeAaaa) {
      if (data.size() != 16) return fail("an AAAA record holds " + std::to_string(data.size()) + " bytes, not 16");
      reply.addresses.push_back(address_text(AF_INET6, data));
    }
  }
  return reply;
}

}  // namespace netwarden
