#include "daemon/control/socket_path.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/os_error.h"

namespace netwarden {

namespace {

// A non-blocking connect answers at once: refused means nobody listens;
// success or a full backlog (EAGAIN) means a live process owns the socket.
Result<bool> someone_listens(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fail_errno("cannot create a socket to probe " + path);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  int err = errno;
  ::close(fd);
  if (rc == 0 || err == EAGAIN) return true;
  if (err == ECONNREFUSED) return false;
  return fail_errno("cannot probe " + path, err);
}

}  // namespace

Result<void> clear_stale_socket(const std::string& path) {
  if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path)) {
    return fail("socket path '" + path + "' is empty or longer than " +
                std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes");
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return fail_errno("cannot inspect " + path);
  }
  if (!S_ISSOCK(st.st_mode)) return fail(path + " exists and is not a socket; refusing to replace it");
  auto live = someone_listens(path);
  if (!live) return std::unexpected(live.error());
  if (*live) return fail(path + " is already in use by a running process (another netwardend?)");
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fail_errno("cannot remove stale socket " + path);
  }
  return {};
}

}  // namespace netwarden
