// The request signatures of daemon/notifier/signing against the providers'
// own worked examples where they publish one (Tencent Cloud, Alibaba
// Cloud), and otherwise against values computed once by hand with python3's
// hmac/hashlib/base64/urllib (DingTalk and Feishu publish the algorithm and
// sample code but no expected output; the webhook scheme is netwarden's).
#include <gtest/gtest.h>

#include <string>

#include "common/time.h"
#include "daemon/notifier/signing/aliyun_rpc_v1.h"
#include "daemon/notifier/signing/dingtalk_sign.h"
#include "daemon/notifier/signing/feishu_sign.h"
#include "daemon/notifier/signing/tencent_tc3.h"
#include "daemon/notifier/signing/text_encoding.h"
#include "daemon/notifier/signing/webhook_sign.h"

namespace netwarden {
namespace {

TEST(PercentEncode, KeepsOnlyTheUnreservedCharacters) {
  // Alibaba's rules: space is %20 not '+', '*' is %2A, '~' stays; UTF-8
  // bytes are encoded one by one with uppercase hex.
  EXPECT_EQ(percent_encode("a b*c~d+e/f=g"), "a%20b%2Ac~d%2Be%2Ff%3Dg");
  EXPECT_EQ(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(percent_encode("短信"), "%E7%9F%AD%E4%BF%A1");
}

TEST(Base64, PadsAsRfc4648) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
}

// https://open.dingtalk.com/document/robots/customize-robot-security-settings
// ("加签") gives the algorithm and Java/Python code but no expected output.
// Expected value computed once with python3, as the page's Python sample does:
//   urllib.parse.quote_plus(base64.b64encode(hmac.new(b"this is secret",
//       b"1700000000123\nthis is secret", hashlib.sha256).digest()))
// "this is secret" is the page's sample secret; the millisecond part of the
// time is kept, and the result has a '/', '+' and '=' to encode.
TEST(DingTalkSign, MatchesThePagesPythonSample) {
  auto signature = dingtalk_sign("this is secret", from_unix_ms(1700000000123));
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(signature->timestamp, "1700000000123");
  EXPECT_EQ(signature->sign, "W2RNhLVXZurCuMiewxzjoEaGqxhR%2FFQAkLiAHZh%2BPWY%3D");
  EXPECT_EQ(signature->query(), "timestamp=1700000000123&sign=W2RNhLVXZurCuMiewxzjoEaGqxhR%2FFQAkLiAHZh%2BPWY%3D");
}

TEST(DingTalkSign, RefusesAnEmptySecret) { EXPECT_FALSE(dingtalk_sign("", from_unix_ms(1700000000123))); }

// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
// ("签名校验") gives the algorithm and code but no expected output. Expected
// value computed once with python3, as the page's Python sample does:
//   base64.b64encode(hmac.new("1551113065\n你的密钥".encode("utf-8"), b"",
//       hashlib.sha256).digest())
// The secret is not ASCII so that its UTF-8 bytes are what is signed.
TEST(FeishuSign, MatchesThePagesPythonSample) {
  // 999 ms past the second: Feishu's timestamp is whole seconds.
  auto signature = feishu_sign("你的密钥", from_unix_ms(1551113065999));
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(signature->timestamp, "1551113065");
  EXPECT_EQ(signature->sign, "jQQoZyQawx2uJwEVMJ9TrgQJMMZb/SykSGbTY+k9CQE=");
}

TEST(FeishuSign, RefusesAnEmptySecret) { EXPECT_FALSE(feishu_sign("", from_unix_ms(1551113065000))); }

// Tencent Cloud "签名方法 v3" / "Signature v3", worked example (CVM
// DescribeInstances in ap-guangzhou, X-TC-Timestamp 1551113065), e.g.
// https://www.tencentcloud.com/document/product/382/40467 and
// https://cloud.tencent.com/document/product/215/36792, sections 1-4.
constexpr std::string_view kTencentPayload =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";

Tc3Request tencent_example(std::string_view secret_id, std::string_view secret_key) {
  return Tc3Request{
      secret_id,       secret_key,
      "cvm",           {{"Content-Type", "application/json; charset=utf-8"}, {"Host", "cvm.tencentcloudapi.com"}},
      kTencentPayload, from_unix_ms(1551113065000)};
}

// The document's current edition, with the keys masked by asterisks and the
// signature computed over those literal strings. 1551113065 is 2019-02-26
// 00:44:25 in UTC+8 but 2019-02-25 in UTC, the scope's date.
TEST(TencentTc3, MatchesThePublishedExample) {
  auto signature =
      tc3_sign(tencent_example("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******"));
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(signature->timestamp, "1551113065");
  EXPECT_EQ(signature->canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
            "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(signature->string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(signature->signature, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
  EXPECT_EQ(
      signature->authorization,
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, "
      "SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
}

// The document's earlier edition of the same example, with the SecretKey
// Gu5t9xGARNpq86cd98joQYCN3EXAMPLE and the SecretId
// AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE.
TEST(TencentTc3, MatchesTheEarlierPublishedExample) {
  auto signature =
      tc3_sign(tencent_example("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"));
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(
      signature->authorization,
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
      "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

// A third signed header, given out of order and in mixed case: the document
// lowercases keys and values and sorts by key. Not a published value:
// computed once with python3 (hashlib/hmac) following the document's steps,
// with the canonical headers
//   "content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n".
TEST(TencentTc3, SortsAndLowercasesTheSignedHeaders) {
  Tc3Request request = tencent_example("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******");
  request.headers = {{"X-TC-Action", " DescribeInstances "},
                     {"Host", "cvm.tencentcloudapi.com"},
                     {"Content-Type", "application/json; charset=utf-8"}};
  auto signature = tc3_sign(request);
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(signature->string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
  EXPECT_EQ(signature->authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, "
            "SignedHeaders=content-type;host;x-tc-action, "
            "Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
}

TEST(TencentTc3, RefusesWhatTheDocumentForbids) {
  Tc3Request no_host = tencent_example("id", "key");
  no_host.headers = {{"Content-Type", "application/json"}};
  EXPECT_FALSE(tc3_sign(no_host));
  Tc3Request twice = tencent_example("id", "key");
  twice.headers.emplace_back("HOST", "other.tencentcloudapi.com");
  EXPECT_FALSE(tc3_sign(twice));
  EXPECT_FALSE(tc3_sign(tencent_example("id", "")));
}

// Alibaba Cloud "签名机制" (Signature mechanism), section 示例 (Example):
// DescribeRegions with AccessKeyId testid and AccessKeySecret testsecret,
// as reproduced by Alibaba's own developer community at
// https://developer.aliyun.com/ask/210168; the overview of
// https://help.aliyun.com/en/document_detail/130769.html shows the same
// Signature=CT9X0VtwR86fNWSnsc6v8YGOjuE%3D. That copy prints '&' between
// the parameters inside StringToSign where the rules (and the published
// signature) need %26: only the %26 form gives CT9X0Vtw...
TEST(AliyunRpcV1, MatchesThePublishedExample) {
  const AliyunParams params{{"TimeStamp", "2016-02-23T12:46:24Z"},
                            {"Format", "XML"},
                            {"AccessKeyId", "testid"},
                            {"Action", "DescribeRegions"},
                            {"SignatureMethod", "HMAC-SHA1"},
                            {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
                            {"Version", "2014-05-26"},
                            {"SignatureVersion", "1.0"}};
  auto signature = aliyun_rpc_sign("testsecret", "GET", params);
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(signature->string_to_sign,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26"
            "SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26"
            "TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
  EXPECT_EQ(signature->signature, "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
  EXPECT_TRUE(signature->signed_query.ends_with("&Signature=CT9X0VtwR86fNWSnsc6v8YGOjuE%3D"));
}

// A Dysmsapi SendSms request with what the example lacks: UTF-8 (SignName),
// '*', space and JSON punctuation (TemplateParam), POST. Not a published
// value: computed once with python3, percent-encoding with
// urllib.parse.quote(s, safe="-_.~") and signing with
// base64.b64encode(hmac.new(b"testsecret&", string_to_sign, hashlib.sha1).digest()).
TEST(AliyunRpcV1, SignsASendSmsRequest) {
  const AliyunParams params{{"AccessKeyId", "testid"},
                            {"Action", "SendSms"},
                            {"Format", "JSON"},
                            {"PhoneNumbers", "13800000000"},
                            {"RegionId", "cn-hangzhou"},
                            {"SignName", "阿里云短信测试"},
                            {"SignatureMethod", "HMAC-SHA1"},
                            {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
                            {"SignatureVersion", "1.0"},
                            {"TemplateCode", "SMS_154950909"},
                            {"TemplateParam", R"({"code":"1234*5 6"})"},
                            {"Timestamp", "2023-06-01T08:00:00Z"},
                            {"Version", "2017-05-25"}};
  auto signature = aliyun_rpc_sign("testsecret", "POST", params);
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_EQ(signature->signature, "QZzUGMH+U0jOF19QAs94ovjlzW8=");
  EXPECT_EQ(signature->signed_query,
            "AccessKeyId=testid&Action=SendSms&Format=JSON&PhoneNumbers=13800000000&RegionId=cn-hangzhou&"
            "SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95&SignatureMethod=HMAC-SHA1&"
            "SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_154950909&"
            "TemplateParam=%7B%22code%22%3A%221234%2A5%206%22%7D&Timestamp=2023-06-01T08%3A00%3A00Z&"
            "Version=2017-05-25&Signature=QZzUGMH%2BU0jOF19QAs94ovjlzW8%3D");
}

TEST(AliyunRpcV1, RefusesWhatCannotBeSigned) {
  EXPECT_FALSE(aliyun_rpc_sign("", "GET", {{"Action", "SendSms"}}));
  EXPECT_FALSE(aliyun_rpc_sign("testsecret", "PUT", {{"Action", "SendSms"}}));
  EXPECT_FALSE(aliyun_rpc_sign("testsecret", "GET", {{"Action", "SendSms"}, {"Signature", "old"}}));
}

// netwarden's own scheme (webhook_sign.h). Expected value computed once with
// python3:
//   hmac.new(b"whsec-test", b'1700000000.{"incident":42}', hashlib.sha256).hexdigest()
TEST(WebhookSign, SignsTheTimestampAndTheBody) {
  auto header = webhook_signature("whsec-test", R"({"incident":42})", from_unix_ms(1700000000500));
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_EQ(*header, "t=1700000000,v1=77d5ed412e0caace64664d7f025c3e9feeb76f28179a50abfe6a906513512b69");
  // Another second, same body: another signature, so t cannot be swapped.
  auto later = webhook_signature("whsec-test", R"({"incident":42})", from_unix_ms(1700000001500));
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_NE(later->substr(later->find(",v1=")), header->substr(header->find(",v1=")));
}

TEST(WebhookSign, RefusesAnEmptySecret) { EXPECT_FALSE(webhook_signature("", "{}", from_unix_ms(0))); }

}  // namespace
}  // namespace netwarden
