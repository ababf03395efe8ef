// ControlServer: the daemon's Unix socket. One JSON object per line each way.
//
// Request:  {"command": "status", "args": {...}}            ("args" optional)
// Response: {"ok": true, "result": ...} or {"ok": false, "error": "message"}
//
// The server owns framing and hostility: a line over 64 KiB, malformed JSON,
// a non-object request or a missing/non-string "command" get an error
// response (the connection then closes for oversized lines, since the stream
// can no longer be trusted). A client that stops reading or sends nothing
// is dropped after a deadline; no client can block the daemon or another
// client. Connections are capped so a flood of clients cannot use up the
// daemon's file descriptors nor lock others out: each uid other than root
// and the daemon's own may hold max_per_uid at once, all of them together
// max_connections - reserved; the last `reserved` slots are kept for root
// and the daemon's uid, so root can always connect. A connection over a cap
// gets a one-line JSON error and is closed (logged once per uid a minute).
// Every descriptor is close-on-exec from its creation. The socket file is
// created with mode 0660 (replacing a stale one) and removed on stop().
//
// Commands are dispatched to the handler given at construction; the handler
// runs on the io thread and answers through the ControlRespond it is given,
// at once or later (a changing command answers once its store write has
// committed). The connection reads its next request only after the answer.
// Unknown commands are the handler's to report.
//
// Thread-safety: everything runs on the executor given at construction.
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/fwd.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace netwarden {

// Who is on the other end of a connection (SO_PEERCRED).
struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct ControlRequest {
  std::string command;
  const boost::json::object* args;  // never null: an empty object when absent; valid during the call only
  PeerCredentials peer;
};

// Sends the whole response object ({"ok":..., ...}; see control_reply.h).
// Call it once, on the io thread; later calls, and calls after the client
// has gone or the server has stopped, do nothing.
using ControlRespond = std::function<void(boost::json::object)>;
using ControlHandler = std::function<void(const ControlRequest&, ControlRespond)>;

struct ControlServerOptions {
  std::string path;
  std::size_t max_line = 64 * 1024;
  std::chrono::milliseconds idle_timeout{5000};   // no complete request within this: dropped
  std::chrono::milliseconds write_timeout{5000};  // a response not taken within this: dropped
  // Beyond these a new client gets an error and is closed.
  std::size_t max_connections = 64;  // in all
  std::size_t max_per_uid = 8;       // for one uid other than root and the daemon's
  std::size_t reserved = 8;          // of max_connections, only for root and the daemon's uid
};

class ControlServer {
 public:
  ControlServer(boost::asio::any_io_executor executor, ControlServerOptions options, ControlHandler handler);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds and starts accepting. Errors name the path and the OS reason.
  Result<void> start();
  // Stops accepting, closes every connection, removes the socket file.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace netwarden
