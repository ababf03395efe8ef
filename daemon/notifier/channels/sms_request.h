// The SMS services' request formats and how their replies read: pure
// functions of the channel's settings, its secret, the message and the time.
//
//   aliyun_sms   Alibaba Cloud SMS, Dysmsapi 2017-05-25 SendSms, an RPC call:
//                a form POST to "/" signed with RPC signature V1 (aliyun_rpc_v1.h);
//                SendSms: https://help.aliyun.com/document_detail/55284.html
//   tencent_sms  Tencent Cloud SMS, SendSms of API 2021-01-11: a JSON POST
//                to "/" signed TC3-HMAC-SHA256 (tencent_tc3.h);
//                SendSms: https://cloud.tencent.com/document/api/382/55981
//
// SMS sends only an approved template: the message's title and text are not
// sent, its words (ChatMessage::words) fill the template's parameters as
// the channel's `params` say, each cut to `param_max` characters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/channels/channel_request.h"
#include "daemon/notifier/channels/http_post.h"
#include "daemon/notifier/message/chat_message.h"

namespace netwarden {

// The value of each of the channel's params, in order: the message's word
// for its field, at most param_max characters, never empty (both services
// refuse an empty value).
std::vector<std::string> sms_param_values(const ChannelConfig& channel, const ChatMessage& message);

// `nonce`: Alibaba's SignatureNonce, fresh for every request ("用于防止网络重放
// 攻击": a retry with the same one is refused as SignatureNonceUsed).
Result<HttpRequest> aliyun_sms_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                       const ChatMessage& message, Time now, std::string_view nonce);
Result<HttpRequest> tencent_sms_request(const ChannelConfig& channel, const ChannelSecrets& secrets,
                                        const ChatMessage& message, Time now);

// What an SMS service answered in a reply body; none when the body is not
// its answer.
std::optional<ProviderAnswer> sms_answer(std::string_view kind, const std::string& body);

}  // namespace netwarden
