// ChatReceiver: tests/support/chat_receiver.py on 127.0.0.1, standing in for
// the WeCom, DingTalk and Feishu robots, a signed webhook and the Alibaba
// Cloud and Tencent Cloud SMS services: it checks each
// request as the provider documents and answers as the provider does. And
// ConnectProxy (tests/support/http_connect_proxy.py), an HTTP proxy that
// records what went through it.
//
//   auto receiver = ChatReceiver::start({.wecom_key = "k"}, cert);
//   ... point [channels.x] url at receiver->url("/cgi-bin/webhook/send") ...
//   receiver->control("fail?count=2&status=503");
//   EXPECT_EQ(receiver->requests("wecom").size(), 3u);
//
// start() returns once the port accepts connections; the destructor stops
// the process and removes its directory. Not thread-safe.
#pragma once

#include <sys/types.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "common/result.h"
#include "tests/support/smtp_server.h"

namespace netwarden::test {

struct ChatReceiverOptions {
  std::string wecom_key{};
  std::string dingtalk_token{}, dingtalk_secret{};
  std::string feishu_token{}, feishu_secret{};
  std::string webhook_secret{};
  std::string rate{};  // "N/SECONDS"; "": the providers' 20/60
  // Alibaba Cloud SMS: the account, its approved sign name and template,
  // the template's variable names ("a,b").
  std::string aliyun_key_id{}, aliyun_secret{}, aliyun_sign_name{}, aliyun_template{}, aliyun_template_vars{};
  // Tencent Cloud SMS: the account and app, the approved sign name and
  // template, how many parameters it takes, and the limit per number
  // ("N/SECONDS[,...]"; "": the service's default, 1 per 30 s).
  std::string tencent_secret_id{}, tencent_secret_key{}, tencent_app_id{}, tencent_sign_name{}, tencent_template{},
      tencent_template_vars{}, tencent_number_rate{};
};

// One running helper script: its port, log and process.
class LoopbackScript {
 public:
  ~LoopbackScript();
  LoopbackScript(const LoopbackScript&) = delete;
  LoopbackScript& operator=(const LoopbackScript&) = delete;

  int port() const { return port_; }
  // Each line of its JSON-lines log, in order.
  boost::json::array log_lines() const;
  std::string output() const;  // what it printed, for failure messages

 protected:
  LoopbackScript() = default;
  Result<void> launch(const std::string& name, std::vector<std::string> args);

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

class ChatReceiver : public LoopbackScript {
 public:
  static Result<std::unique_ptr<ChatReceiver>> start(const ChatReceiverOptions& options, const TestCertificate& cert);

  // "https://127.0.0.1:PORT" + path.
  std::string url(const std::string& path) const;
  // The requests the provider got (logged accepted or not), in order.
  std::vector<boost::json::object> requests(const std::string& provider) const;
  // POST /_control/WHAT; true when it answered 200.
  bool control(const std::string& what) const;

 private:
  ChatReceiver() = default;
  std::string ca_file_;
};

class ConnectProxy : public LoopbackScript {
 public:
  static Result<std::unique_ptr<ConnectProxy>> start();
  std::string url() const;  // "http://127.0.0.1:PORT"

 private:
  ConnectProxy() = default;
};

}  // namespace netwarden::test
