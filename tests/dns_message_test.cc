// The DNS query builder and the reply parser, on hand-packed messages,
// hostile ones included.
#include "probes/reach/dns_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netwarden {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}

// www.example.com, type A, id 0x1234: what build_dns_query must produce.
const Bytes kQuery = {0x12, 0x34, 0x01, 0x00, 0,   1,   0,   0, 0,   0,   0,   0, 3, 'w', 'w', 'w', 7,
                      'e',  'x',  'a',  'm',  'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1,   0,   1};

// A reply to kQuery: QR, RD, RA and `rcode`, `answers` records appended by
// the caller.
Bytes reply_header(std::uint16_t answers, std::uint8_t rcode = 0) {
  Bytes b = kQuery;
  b[2] = 0x81;
  b[3] = static_cast<std::uint8_t>(0x80 | rcode);
  b[6] = static_cast<std::uint8_t>(answers >> 8);
  b[7] = static_cast<std::uint8_t>(answers);
  return b;
}

// A record whose owner is the name at offset 12 (the question's).
void put_record(Bytes& b, std::uint16_t type, const Bytes& data) {
  put16(b, 0xC00C);
  put16(b, type);
  put16(b, 1);
  put16(b, 0);
  put16(b, 300);
  put16(b, static_cast<std::uint16_t>(data.size()));
  b.insert(b.end(), data.begin(), data.end());
}

Result<DnsReply> parse(const Bytes& b, std::string_view name = "www.example.com", std::uint16_t type = kDnsTypeA) {
  return parse_dns_reply(b, 0x1234, name, type);
}

TEST(DnsMessageTest, BuildsARecursiveQueryByteForByte) {
  EXPECT_EQ(build_dns_query(0x1234, "www.example.com", kDnsTypeA), kQuery);
  EXPECT_EQ(build_dns_query(0x1234, "www.example.com.", kDnsTypeA), kQuery);
  Result<Bytes> aaaa = build_dns_query(0xFFFE, "a.b", kDnsTypeAaaa);
  ASSERT_TRUE(aaaa);
  EXPECT_EQ(*aaaa, (Bytes{0xFF, 0xFE, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 1, 'b', 0, 0, 28, 0, 1}));
}

TEST(DnsMessageTest, RefusesNamesThatCannotBeEncoded) {
  EXPECT_FALSE(build_dns_query(1, "", kDnsTypeA));
  EXPECT_FALSE(build_dns_query(1, "a..b", kDnsTypeA));
  EXPECT_FALSE(build_dns_query(1, std::string(64, 'a') + ".com", kDnsTypeA));
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'a') + ".";
  EXPECT_FALSE(build_dns_query(1, long_name + "com", kDnsTypeA));
}

TEST(DnsMessageTest, ReadsAddressesBehindACname) {
  Bytes b = reply_header(3);
  put_record(b, 5, {3, 'c', 'd', 'n', 0xC0, 16});  // CNAME cdn.example.com
  put_record(b, kDnsTypeA, {192, 0, 2, 7});
  put_record(b, kDnsTypeAaaa, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9});
  Result<DnsReply> reply = parse(b);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->rcode, kDnsNoError);
  EXPECT_FALSE(reply->truncated);
  EXPECT_EQ(reply->addresses, (std::vector<std::string>{"192.0.2.7", "2001:db8::9"}));
}

TEST(DnsMessageTest, MatchesTheQuestionWithoutRegardToCase) {
  Bytes b = reply_header(1);
  b[13] = 'W';
  put_record(b, kDnsTypeA, {192, 0, 2, 7});
  EXPECT_TRUE(parse(b, "WWW.example.COM."));
}

TEST(DnsMessageTest, ReportsNxdomainAndTruncation) {
  Bytes nx = reply_header(0, kDnsNxDomain);
  Result<DnsReply> reply = parse(nx);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->rcode, kDnsNxDomain);
  EXPECT_TRUE(reply->addresses.empty());
  Bytes tc = reply_header(0);
  tc[2] |= 0x02;
  ASSERT_TRUE(parse(tc));
  EXPECT_TRUE(parse(tc)->truncated);
}

TEST(DnsMessageTest, RejectsRepliesToOtherQuestions) {
  Bytes b = reply_header(0);
  EXPECT_FALSE(parse_dns_reply(b, 0x1235, "www.example.com", kDnsTypeA));
  EXPECT_FALSE(parse(b, "www.example.org"));
  EXPECT_FALSE(parse(b, "www.example.com", kDnsTypeAaaa));
  Bytes query = kQuery;
  EXPECT_FALSE(parse(query));  // QR clear: an echo of the query, not a reply
  // "www.example" as one label, then "com": not the same name.
  Bytes dotted = {0x12, 0x34, 0x81, 0x80, 0,   1,   0,   0, 0,   0,   0,   0, 11, 'w', 'w', 'w', '.',
                  'e',  'x',  'a',  'm',  'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0,  1,   0,   1};
  Result<DnsReply> spoof = parse(dotted);
  ASSERT_FALSE(spoof);
  EXPECT_NE(spoof.error().message.find("www\\046example.com"), std::string::npos) << spoof.error().message;
}

TEST(DnsMessageTest, RejectsMessagesThatRunPastTheirEnd) {
  EXPECT_FALSE(parse(Bytes{0x12, 0x34, 0x81}));
  Bytes header_only = reply_header(0);
  header_only.resize(12);
  EXPECT_FALSE(parse(header_only));
  Bytes b = reply_header(1);
  put_record(b, kDnsTypeA, {192, 0, 2, 7});
  for (std::size_t cut = kQuery.size(); cut < b.size(); ++cut) {
    EXPECT_FALSE(parse(Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(cut)))) << "cut at " << cut;
  }
  Bytes short_a = reply_header(1);
  put_record(short_a, kDnsTypeA, {192, 0, 2, 7, 1});
  EXPECT_FALSE(parse(short_a));
}

TEST(DnsMessageTest, RejectsCompressionLoopsAndForwardPointers) {
  Bytes self = reply_header(1);
  const auto at = static_cast<std::uint16_t>(self.size());
  put16(self, static_cast<std::uint16_t>(0xC000 | at));  // the owner points at itself
  self.insert(self.end(), {0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7});
  Result<DnsReply> looped = parse(self);
  ASSERT_FALSE(looped);
  EXPECT_NE(looped.error().message.find("backwards"), std::string::npos) << looped.error().message;

  Bytes forward = reply_header(1);
  put16(forward, static_cast<std::uint16_t>(0xC000 | (forward.size() + 2)));
  forward.insert(forward.end(), {0, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7});
  EXPECT_FALSE(parse(forward));

  Bytes reserved = reply_header(1);
  reserved.insert(reserved.end(), {0x40, 0, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7});
  EXPECT_FALSE(parse(reserved));
}

TEST(DnsMessageTest, LimitsChainsOfPointers) {
  // The first record's data holds 20 pointers, each to the one before (the
  // first to the question's name); the second record's owner points at the
  // last: 21 pointers, each backwards, more than any real name needs.
  Bytes b = reply_header(2);
  put16(b, 0xC00C);
  put16(b, 16);  // TXT, not read
  put16(b, 1);
  put16(b, 0);
  put16(b, 300);
  put16(b, 40);
  std::uint16_t previous = 12;
  for (int i = 0; i < 20; ++i) {
    const auto here = static_cast<std::uint16_t>(b.size());
    put16(b, static_cast<std::uint16_t>(0xC000 | previous));
    previous = here;
  }
  put16(b, static_cast<std::uint16_t>(0xC000 | previous));
  b.insert(b.end(), {0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7});
  Result<DnsReply> reply = parse(b);
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().message.find("too many compression pointers"), std::string::npos) << reply.error().message;
}

TEST(DnsMessageTest, RejectsNamesLongerThan255Bytes) {
  Bytes b = reply_header(1);
  for (int i = 0; i < 5; ++i) {
    b.push_back(60);
    b.insert(b.end(), 60, 'a');
  }
  b.insert(b.end(), {0, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7});
  Result<DnsReply> reply = parse(b);
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().message.find("longer than 255"), std::string::npos) << reply.error().message;
}

// Every byte of a valid reply set to every value: the parser must answer
// each with a value or an error without reading outside the message (ASan
// watches), and never accept one whose id is not ours.
TEST(DnsMessageTest, SurvivesEveryOneByteCorruption) {
  Bytes valid = reply_header(2);
  put_record(valid, 5, {3, 'c', 'd', 'n', 0xC0, 16});
  put_record(valid, kDnsTypeA, {192, 0, 2, 7});
  int accepted = 0;
  for (std::size_t at = 0; at < valid.size(); ++at) {
    for (int value = 0; value < 256; ++value) {
      Bytes b = valid;
      b[at] = static_cast<std::uint8_t>(value);
      if (Result<DnsReply> reply = parse(b); reply) {
        ++accepted;
        EXPECT_FALSE(at < 2 && b[at] != valid[at]) << "accepted another id";
        EXPECT_LE(reply->addresses.size(), 1u);
      }
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace netwarden
