#include "daemon/notifier/channels/sms_request.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/url_host.h"
#include "daemon/notifier/signing/aliyun_rpc_v1.h"
#include "daemon/notifier/signing/tencent_tc3.h"

namespace netwarden {

namespace {

// Put where a value is empty: both services refuse an empty parameter.
constexpr std::string_view kNothing = "无";

// `text` cut to at most `characters` UTF-8 characters (the services count
// characters, a Chinese one as one); 0: no limit.
std::string first_characters(const std::string& text, int characters) {
  if (characters <= 0) return text;
  int seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // inside a character
    if (seen++ == characters) return text.substr(0, i);
  }
  return text;
}

// "2026-12-03T08:15:02Z": Alibaba's Timestamp, UTC to the second.
std::string aliyun_timestamp(Time now) { return format_utc(now).substr(0, 19) + "Z"; }

const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string string_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Alibaba's codes worth a retry: the gateway's flow control (Throttling.*)
// and a busy service (ServiceUnavailable, InternalError; 管控OpenAPI的客户端公用
// 错误码), SendSms's frequency control isv.BUSINESS_LIMIT_CONTROL and
// isp.SYSTEM_ERROR (API错误码, https://help.aliyun.com/document_detail/101346.html),
// and SignatureNonceUsed (every attempt has a fresh nonce).
bool aliyun_later(std::string_view code) {
  return code.starts_with("Throttling") || code == "ServiceUnavailable" || code == "InternalError" ||
         code == "isv.BUSINESS_LIMIT_CONTROL" || code == "isp.SYSTEM_ERROR" || code == "SignatureNonceUsed";
}

// Tencent's: RequestLimitExceeded*, InternalError*, and the limits on one
// number per 30 s, hour and day (错误码, https://cloud.tencent.com/document/api/382/52075);
// not LimitExceeded.PhoneNumberCountLimit (too many numbers in one request).
bool tencent_later(std::string_view code) {
  return code.starts_with("RequestLimitExceeded") || code.starts_with("InternalError") ||
         code == "LimitExceeded.PhoneNumberThirtySecondLimit" || code == "LimitExceeded.PhoneNumberOneHourLimit" ||
         code == "LimitExceeded.PhoneNumberDailyLimit" || code == "LimitExceeded.PhoneNumberSameContentDailyLimit";
}

// {"Code": "OK", "Message": "OK", "BizId": ..., "RequestId": ...} (SendSms, 55284).
std::optional<ProviderAnswer> aliyun_answer(const boost::json::object& o) {
  ProviderAnswer answer{string_at(o, "Code"), string_at(o, "Message"), false, false};
  if (answer.code.empty()) return std::nullopt;
  answer.ok = answer.code == "OK";
  answer.later = aliyun_later(answer.code);
  return answer;
}

// {"Response": {"Error": {"Code", "Message"}}} when the request failed,
// else {"Response": {"SendStatusSet": [{"Code": "Ok", "Message": ...}]}},
// one status for the one number sent to (55981).
std::optional<ProviderAnswer> tencent_answer(const boost::json::object& o) {
  const boost::json::object* response = object_at(o, "Response");
  if (response == nullptr) return std::nullopt;
  const boost::json::object* status = object_at(*response, "Error");
  if (status == nullptr) {
    const auto* set = response->if_contains("SendStatusSet");
    if (set == nullptr || !set->is_array() || set->get_array().empty() || !set->get_array().front().is_object())
      return std::nullopt;
    status = &set->get_array().front().get_object();
  }
  ProviderAnswer answer{string_at(*status, "Code"), string_at(*status, "Message"), false, false};
  if (answer.code.empty()) return std::nullopt;
  answer.ok = answer.code == "Ok";
  answer.later = tencent_later(answer.code);
  return answer;
}

}  // namespace

std::vector<std::string> sms_param_values(const ChannelConfig& channel, const ChatMessage& message) {
  std::vector<std::string> values;
  for (const SmsParam& param : channel.params) {
    auto word = message.words.find(param.field);
    std::string value = word == message.words.end() ? std::string() : first_characters(word->second, channel.param_max);
    values.push_back(value.empty() ? std::string(kNothing) : std::move(value));
  }
  return values;
}

Result<HttpRequest> aliyun_sms_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                       const ChatMessage& message, Time now, std::string_view nonce) {
  if (message.mobile.empty()) return fail("channel '" + channel.id + "': no mobile number to send to");
  AliyunParams params{
      // The common parameters (V2版本RPC风格请求体&签名机制, https://help.aliyun.com/document_detail/315526.html).
      {"Action", "SendSms"},
      {"Version", "2017-05-25"},
      {"Format", "JSON"},
      {"AccessKeyId", channel.key_id},
      {"SignatureMethod", "HMAC-SHA1"},
      {"SignatureVersion", "1.0"},
      {"SignatureNonce", std::string(nonce)},
      {"Timestamp", aliyun_timestamp(now)},
      // SendSms's own (55284).
      {"PhoneNumbers", message.mobile},
      {"SignName", channel.sign_name},
      {"TemplateCode", channel.template_id},
  };
  if (!channel.params.empty()) {
    const std::vector<std::string> values = sms_param_values(channel, message);
    boost::json::object variables;
    for (std::size_t i = 0; i < values.size(); ++i) variables[channel.params[i].name] = values[i];
    params["TemplateParam"] = boost::json::serialize(variables);
  }
  auto signature = aliyun_rpc_sign(secrets.secret, "POST", params);
  if (!signature) return std::unexpected(signature.error());
  return HttpRequest{channel.url, {}, signature->signed_query, "application/x-www-form-urlencoded; charset=utf-8"};
}

Result<HttpRequest> tencent_sms_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                        const ChatMessage& message, Time now) {
  if (message.mobile.empty()) return fail("channel '" + channel.id + "': no mobile number to send to");
  boost::json::object body;
  body["PhoneNumberSet"] = boost::json::array{"+86" + message.mobile};
  body["SmsSdkAppId"] = channel.app_id;
  body["SignName"] = channel.sign_name;
  body["TemplateId"] = channel.template_id;
  if (!channel.params.empty()) {
    boost::json::array values;
    for (std::string& value : sms_param_values(channel, message)) values.emplace_back(value);
    body["TemplateParamSet"] = std::move(values);
  }
  HttpRequest request{channel.url, {}, boost::json::serialize(body), "application/json; charset=utf-8"};
  // The Host header as curl sends it, which Tencent's signature covers.
  const std::string host = url_authority(channel.url);
  auto signature = tc3_sign(Tc3Request{channel.key_id,
                                       secrets.secret,
                                       "sms",
                                       {{"Content-Type", request.content_type}, {"Host", host}},
                                       request.body,
                                       now});
  if (!signature) return std::unexpected(signature.error());
  request.headers = {"Host: " + host,
                     "Authorization: " + signature->authorization,
                     "X-TC-Action: SendSms",
                     "X-TC-Version: 2021-01-11",
                     "X-TC-Timestamp: " + signature->timestamp,
                     "X-TC-Region: " + channel.region};
  return request;
}

std::optional<ProviderAnswer> sms_answer(std::string_view kind, const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return kind == "tencent_sms" ? tencent_answer(v.get_object()) : aliyun_answer(v.get_object());
}

}  // namespace netwarden
