// Asio sockets with close-on-exec set when they are created.
//
// Asio's own open() and accept() create descriptors without close-on-exec,
// so a program the daemon starts (sendmail) would inherit them: a listening
// control socket held by a sendmail child outlives a crashed daemon and
// makes its restart find the socket "in use". These helpers create the
// descriptor with SOCK_CLOEXEC in the same system call, so no other thread
// can spawn a child in between, and hand it to the Asio socket.
//
// Thread-safety: as for the socket passed in (one caller at a time).
// Errors are the OS error; the socket is left closed then.
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <boost/system/error_code.hpp>
#include <cerrno>

namespace netwarden {

// Opens `socket` (closed) for `protocol`, like socket.open(protocol).
template <typename Socket>
boost::system::error_code open_cloexec(Socket& socket, const typename Socket::protocol_type& protocol) {
  const int fd = ::socket(protocol.family(), protocol.type() | SOCK_CLOEXEC, protocol.protocol());
  if (fd < 0) return {errno, boost::system::system_category()};
  boost::system::error_code ec;
  socket.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return ec;
}

// Takes one pending connection off the listening `acceptor` into `peer`
// (closed). Call it when the acceptor is readable; with a non-blocking
// acceptor it answers would_block when the client has gone again.
template <typename Acceptor, typename Socket>
boost::system::error_code accept_cloexec(Acceptor& acceptor, Socket& peer,
                                         const typename Socket::protocol_type& protocol) {
  const int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return {errno, boost::system::system_category()};
  boost::system::error_code ec;
  peer.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return ec;
}

}  // namespace netwarden
