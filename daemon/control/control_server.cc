#include "daemon/control/control_server.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "common/cloexec_socket.h"
#include "common/os_error.h"
#include "daemon/control/control_reply.h"
#include "daemon/control/control_request.h"
#include "daemon/control/peer_log_limit.h"
#include "daemon/control/socket_path.h"

namespace netwarden {

namespace asio = boost::asio;
using local_stream = asio::local::stream_protocol;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Connection {
  explicit Connection(local_stream::socket s)
      : socket(std::move(s)), deadline(socket.get_executor()), answered(socket.get_executor()) {}

  void close() {
    boost::system::error_code ignored;
    socket.close(ignored);
    deadline.cancel();
    answered.cancel();
  }

  local_stream::socket socket;
  // One deadline per connection, moved forward before every read and write;
  // the watchdog closes the socket when it passes.
  asio::steady_timer deadline;
  PeerCredentials peer;
  // The answer to the request in hand. `answered` is cancelled when it
  // arrives (or the connection closes) to wake serve(); `request` numbers
  // requests so a late answer to an earlier one is never taken for this one.
  std::optional<boost::json::object> answer;
  asio::steady_timer answered;
  std::uint64_t request = 0;
};

// What the handler calls to answer request number `request` on `c`.
ControlRespond responder(const std::shared_ptr<Connection>& c) {
  return [weak = std::weak_ptr<Connection>(c), request = c->request](boost::json::object response) {
    auto c = weak.lock();
    if (!c || c->request != request || c->answer) return;
    c->answer = std::move(response);
    c->answered.cancel();
  };
}

Result<PeerCredentials> peer_of(local_stream::socket& socket) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return fail_errno("SO_PEERCRED");
  }
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

asio::awaitable<void> watchdog(std::shared_ptr<Connection> c) {
  while (c->socket.is_open()) {
    co_await c->deadline.async_wait(use_tuple);
    if (c->deadline.expiry() <= asio::steady_timer::clock_type::now()) {
      c->close();
      co_return;
    }
  }
}

void log_coroutine_failure(const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("control socket: {}", ex.what());
  } catch (...) {
    spdlog::error("control socket: unknown exception");
  }
}

}  // namespace

struct ControlServer::Impl {
  Impl(asio::any_io_executor ex, ControlServerOptions opts, ControlHandler h)
      : executor(std::move(ex)), options(std::move(opts)), handler(std::move(h)), acceptor(executor) {}

  Result<void> bind();
  // Why `peer` may not have one more connection now, or "" when it may.
  std::string over_cap(const PeerCredentials& peer) const;
  // Answers `socket` with the one-line error and closes it.
  void refuse(local_stream::socket& socket, const PeerCredentials& peer, const std::string& why);
  // The coroutines take the Impl by shared_ptr so it outlives them even
  // when the ControlServer is destroyed first.
  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self);
  static asio::awaitable<void> serve(std::shared_ptr<Impl> self, std::shared_ptr<Connection> c);
  asio::awaitable<bool> send(Connection& c, const boost::json::object& response);
  void stop();

  asio::any_io_executor executor;
  ControlServerOptions options;
  ControlHandler handler;
  local_stream::acceptor acceptor;
  std::unordered_set<std::shared_ptr<Connection>> connections;
  std::unordered_map<uid_t, std::size_t> per_uid;  // open connections by peer uid
  const uid_t own_uid = ::geteuid();
  PeerLogLimit refusals_logged;
  // The inode we bound, so stop() never removes a socket another process
  // has since put at the same path.
  ino_t socket_inode = 0;
  bool bound = false;
};

Result<void> ControlServer::Impl::bind() {
  const auto& path = options.path;
  if (auto cleared = clear_stale_socket(path); !cleared) return cleared;
  boost::system::error_code ec = open_cloexec(acceptor, local_stream());
  // Non-blocking, so accepting after a wake-up never waits for a client
  // that has already gone.
  if (!ec) acceptor.non_blocking(true, ec);
  if (!ec) acceptor.bind(local_stream::endpoint(path), ec);
  if (ec) return fail("cannot bind " + path + ": " + ec.message());
  bound = true;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) socket_inode = st.st_ino;
  // The mode is set before listen(), so no client can connect while the
  // umask-derived mode is still in place.
  if (::chmod(path.c_str(), 0660) != 0) return fail_errno("cannot set mode 0660 on " + path);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on " + path + ": " + ec.message());
  return {};
}

asio::awaitable<void> ControlServer::Impl::accept_loop(std::shared_ptr<Impl> self) {
  auto& acceptor = self->acceptor;
  asio::steady_timer backoff(self->executor);
  while (acceptor.is_open()) {
    // Waiting and then accept4(), not async_accept(): Asio's accept gives
    // descriptors without close-on-exec.
    auto [wait_ec] = co_await acceptor.async_wait(local_stream::acceptor::wait_read, use_tuple);
    if (!acceptor.is_open()) co_return;
    local_stream::socket socket(self->executor);
    auto ec = wait_ec ? wait_ec : accept_cloexec(acceptor, socket, local_stream());
    if (ec == asio::error::would_block || ec == asio::error::interrupted || ec == asio::error::connection_aborted) {
      continue;
    }
    if (ec) {
      // Out of descriptors and the like: pause instead of spinning.
      spdlog::warn("control socket: accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(use_tuple);
      continue;
    }
    auto c = std::make_shared<Connection>(std::move(socket));
    auto peer = peer_of(c->socket);
    if (!peer) {
      spdlog::warn("control socket: dropping a connection: {}", peer.error().message);
      continue;
    }
    c->peer = *peer;
    if (auto why = self->over_cap(c->peer); !why.empty()) {
      self->refuse(c->socket, c->peer, why);
      continue;
    }
    // Armed before the watchdog first looks at it.
    c->deadline.expires_after(self->options.idle_timeout);
    self->connections.insert(c);
    ++self->per_uid[c->peer.uid];
    asio::co_spawn(self->executor, watchdog(c), log_coroutine_failure);
    asio::co_spawn(self->executor, serve(self, c), log_coroutine_failure);
  }
}

asio::awaitable<bool> ControlServer::Impl::send(Connection& c, const boost::json::object& response) {
  std::string out = boost::json::serialize(response);
  out += '\n';
  c.deadline.expires_after(options.write_timeout);
  auto [ec, n] = co_await asio::async_write(c.socket, asio::buffer(out), use_tuple);
  co_return !ec;
}

asio::awaitable<void> ControlServer::Impl::serve(std::shared_ptr<Impl> self, std::shared_ptr<Connection> c) {
  const auto& options = self->options;
  std::string buffer;
  // Room for the longest allowed line plus its newline; one request is
  // answered before the next is read, so this bounds a connection's memory.
  auto input = asio::dynamic_buffer(buffer, options.max_line + 1);
  while (c->socket.is_open()) {
    c->deadline.expires_after(options.idle_timeout);
    auto [ec, n] = co_await asio::async_read_until(c->socket, input, '\n', use_tuple);
    if (!c->socket.is_open()) break;
    if (ec == asio::error::not_found) {
      auto why = "request line longer than " + std::to_string(options.max_line) + " bytes; closing the connection";
      co_await self->send(*c, reply_error(why));
      break;
    }
    if (ec) break;
    std::string_view line(buffer.data(), n - 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++c->request;
    c->answer.reset();
    c->answered.expires_at(asio::steady_timer::time_point::max());
    answer_request(line, c->peer, self->handler, responder(c));
    if (!c->answer) co_await c->answered.async_wait(use_tuple);
    input.consume(n);
    if (!c->socket.is_open() || !c->answer || !co_await self->send(*c, *c->answer)) break;
  }
  c->close();
  // stop() may have forgotten it already.
  if (self->connections.erase(c) != 0 && --self->per_uid[c->peer.uid] == 0) self->per_uid.erase(c->peer.uid);
}

std::string ControlServer::Impl::over_cap(const PeerCredentials& peer) const {
  const bool privileged = peer.uid == 0 || peer.uid == own_uid;
  const std::size_t open = connections.size();
  if (open >= options.max_connections) {
    return std::to_string(options.max_connections) + " control connections are open, the most there may be";
  }
  if (privileged) return "";
  const std::size_t shared = options.max_connections - std::min(options.reserved, options.max_connections);
  if (open >= shared) {
    return std::to_string(shared) + " control connections are open, the most there may be for users other than root";
  }
  const auto mine = per_uid.find(peer.uid);
  if (mine != per_uid.end() && mine->second >= options.max_per_uid) {
    return "uid " + std::to_string(peer.uid) + " already has " + std::to_string(options.max_per_uid) +
           " control connections open, the most one user may have";
  }
  return "";
}

void ControlServer::Impl::refuse(local_stream::socket& socket, const PeerCredentials& peer, const std::string& why) {
  if (refusals_logged.allow(peer.uid)) {
    spdlog::warn("control socket: refusing a connection from uid {} (pid {}): {}", peer.uid, peer.pid, why);
  }
  // A new connection's socket buffer takes one short line at once; a
  // non-blocking write never lets a refused client hold the io thread.
  std::string line = boost::json::serialize(reply_error(why + "; try again later")) + "\n";
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  asio::write(socket, asio::buffer(line), ignored);
  socket.close(ignored);
}

void ControlServer::Impl::stop() {
  boost::system::error_code ignored;
  acceptor.close(ignored);
  for (const auto& c : connections) c->close();
  connections.clear();
  per_uid.clear();
  if (!bound) return;
  bound = false;
  struct stat st {};
  if (::lstat(options.path.c_str(), &st) == 0 && st.st_ino == socket_inode) ::unlink(options.path.c_str());
}

ControlServer::ControlServer(asio::any_io_executor executor, ControlServerOptions options, ControlHandler handler)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), std::move(handler))) {}

ControlServer::~ControlServer() { impl_->stop(); }

Result<void> ControlServer::start() {
  if (auto bound = impl_->bind(); !bound) {
    impl_->stop();
    return bound;
  }
  asio::co_spawn(impl_->executor, Impl::accept_loop(impl_), log_coroutine_failure);
  return {};
}

void ControlServer::stop() { impl_->stop(); }

}  // namespace netwarden
