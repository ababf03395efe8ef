// One configured channel ([channels.ID]) ready to send: its settings and
// the token and secret read from their files.
//
// send() blocks for one request, bounded by the channel's timeout; the
// outbox drainer calls it from its own thread. Nothing it logs or returns
// holds the token or the secret.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "config/config.h"
#include "daemon/notifier/channels/channel_request.h"
#include "daemon/notifier/message/chat_message.h"

namespace netwarden {

class ChannelSender {
 public:
  // Fails when a file the channel names cannot be read or is empty.
  static Result<std::unique_ptr<ChannelSender>> make(const ChannelConfig& channel);

  // The far end's answer when it accepted the message (for `test-notify`),
  // or why not.
  std::expected<std::string, SendFailure> send(const ChatMessage& message, Time now) const;

  // "wecom robot 'office_robot'", for logs and `status`.
  std::string describe() const;
  const ChannelConfig& config() const { return channel_; }

 private:
  ChannelSender(ChannelConfig channel, ChannelSecrets secrets);

  const ChannelConfig channel_;
  const ChannelSecrets secrets_;
};

}  // namespace netwarden
