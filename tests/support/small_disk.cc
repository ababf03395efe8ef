#include "tests/support/small_disk.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace netwarden::test {

Result<std::unique_ptr<SmallDisk>> SmallDisk::mount(const std::string& directory, std::uint64_t bytes) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return fail("cannot create " + directory + ": " + ec.message());
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
  if (::mount("netwarden-small-disk", directory.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    return fail("cannot mount a tmpfs (" + options + ") on " + directory + ": " + std::strerror(errno) +
                " (the fault tests need root)");
  }
  return std::unique_ptr<SmallDisk>(new SmallDisk(directory));
}

SmallDisk::~SmallDisk() { ::umount2(directory_.c_str(), MNT_DETACH); }

Result<std::uint64_t> SmallDisk::fill() {
  const int fd = ::open(filler().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot open " + filler() + ": " + std::strerror(errno));
  // A short write takes what fits; the next one gets ENOSPC.
  const std::vector<char> chunk(64 * 1024, 'x');
  std::uint64_t written = 0;
  for (;;) {
    const ssize_t n = ::write(fd, chunk.data(), chunk.size());
    if (n > 0) {
      written += static_cast<std::uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int error = n < 0 ? errno : 0;
    ::close(fd);
    if (error == ENOSPC) return written;
    return fail("filling " + filler() + ": " + (error ? std::strerror(error) : "write wrote nothing"));
  }
}

void SmallDisk::free_space() {
  std::error_code ignored;
  std::filesystem::remove(filler(), ignored);
}

std::uint64_t SmallDisk::available() const {
  struct statvfs s {};
  if (::statvfs(directory_.c_str(), &s) != 0) return 0;
  return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
}

}  // namespace netwarden::test
