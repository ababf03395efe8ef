#include "daemon/notifier/channels/channel_sender.h"

#include <cstdio>
#include <random>

#include "common/text_file.h"

namespace netwarden {

namespace {

// The file's text without its line end; an Error naming the file (never
// its content) when it is unreadable or empty.
Result<std::string> read_secret(const ChannelConfig& channel, std::string_view key, const std::string& path) {
  if (path.empty()) return std::string();
  auto text = read_text_file(path);
  if (!text) return fail("channel '" + channel.id + "': " + std::string(key) + ": " + text.error().message);
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
  if (text->empty()) return fail("channel '" + channel.id + "': " + std::string(key) + " " + path + " is empty");
  return text;
}

// 128 random bits in hex: a SignatureNonce no other request will have had.
std::string fresh_nonce() {
  std::random_device random;  // the kernel's getrandom()
  std::string nonce;
  for (int i = 0; i < 4; ++i) {
    char word[9];
    std::snprintf(word, sizeof word, "%08x", static_cast<unsigned>(random()));
    nonce += word;
  }
  return nonce;
}

}  // namespace

Result<std::unique_ptr<ChannelSender>> ChannelSender::make(const ChannelConfig& channel) {
  auto token = read_secret(channel, "token_file", channel.token_file);
  if (!token) return std::unexpected(token.error());
  auto secret = read_secret(channel, "secret_file", channel.secret_file);
  if (!secret) return std::unexpected(secret.error());
  return std::unique_ptr<ChannelSender>(new ChannelSender(channel, ChannelSecrets{*token, *secret}));
}

ChannelSender::ChannelSender(ChannelConfig channel, ChannelSecrets secrets)
    : channel_(std::move(channel)), secrets_(std::move(secrets)) {}

std::expected<std::string, SendFailure> ChannelSender::send(const ChatMessage& message, Time now) const {
  auto request = channel_request(channel_, secrets_, message, now, fresh_nonce());
  if (!request) return std::unexpected(SendFailure{request.error().message, true});
  auto reply = http_post(*request, HttpOptions{channel_.timeout, channel_.ca_file, channel_.proxy}, describe());
  if (!reply) return std::unexpected(reply.error());
  return judge_reply(channel_, *reply);
}

std::string ChannelSender::describe() const {
  return channel_.kind + (is_group_robot(channel_.kind) ? " robot '" : " '") + channel_.id + "'";
}

}  // namespace netwarden
