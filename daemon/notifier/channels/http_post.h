// One HTTP(S) POST to a chat robot, SMS provider or webhook, by libcurl.
//
// Blocks until the reply is in or the attempt failed, bounded by
// `timeout` for the whole request; called from the outbox drainer's thread.
// TLS peers are always verified (against `ca_file` when set, else the
// system's store); no redirect is followed; the proxy is the configured one
// or none, never one from the environment; the reply body is cut at 64 KiB.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "common/time.h"
#include "daemon/notifier/transport/send_failure.h"

namespace netwarden {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
};

struct HttpReply {
  long status = 0;
  std::string body;
};

struct HttpOptions {
  Duration timeout = std::chrono::seconds(10);
  std::string ca_file;  // "" : the system's trust store
  std::string proxy;    // "http://host:port"; "" : none
};

// A reply of any status is a reply; a failure is that none came (no
// connection, TLS refused, timed out), never permanent. `endpoint` names the
// far end in the failure's message: the URL may hold a token, so it is
// never quoted.
std::expected<HttpReply, SendFailure> http_post(const HttpRequest& request, const HttpOptions& options,
                                                const std::string& endpoint);

}  // namespace netwarden
