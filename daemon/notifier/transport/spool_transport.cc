// transport = "spool": each message becomes DIR/<Message-ID>.eml.
//
// A file appears whole or not at all: it is written under a hidden
// temporary name in the same directory, flushed, renamed into place, and
// the directory is flushed so the rename survives a crash. The name comes
// from the Message-ID alone, so sending a message again (after a crash
// between sending and recording it) replaces the file instead of adding a
// duplicate.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/os_error.h"
#include "daemon/notifier/transport/transports.h"

namespace netwarden::transport_detail {
namespace {

namespace fs = std::filesystem;

// Every byte outside [A-Za-z0-9._@-] becomes '_'; the angle brackets are
// dropped first. Empty when there is nothing left to name a file with.
std::string file_name_for(std::string_view message_id) {
  if (message_id.starts_with('<') && message_id.ends_with('>'))
    message_id = message_id.substr(1, message_id.size() - 2);
  if (message_id.empty()) return {};
  std::string name;
  for (char c : message_id) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '@' || c == '-';
    name += keep ? c : '_';
  }
  return name + ".eml";
}

Result<void> write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno_text());
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void> fsync_directory(const std::string& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail_errno("cannot open " + directory);
  const bool synced = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (!synced) return fail_errno("cannot flush " + directory);
  return {};
}

class SpoolTransport final : public MailTransport {
 public:
  explicit SpoolTransport(std::string directory) : directory_(std::move(directory)) {}

  std::expected<void, SendFailure> send(const OutgoingMail& mail) override {
    const std::string name = file_name_for(mail.message_id);
    // NAME_MAX; the composer's Message-IDs are far shorter.
    if (name.empty() || name.size() > 255) {
      return std::unexpected(
          SendFailure{"cannot name a spool file after Message-ID \"" + mail.message_id + "\"", true});
    }
    Result<void> written = write_atomically(name, mail.data);
    if (!written) return std::unexpected(SendFailure{"spool " + directory_ + ": " + written.error().message, false});
    return {};
  }

  std::string describe() const override { return "spool into " + directory_; }

 private:
  Result<void> write_atomically(const std::string& name, std::string_view data) const {
    const std::string final_path = directory_ + "/" + name;
    std::string temp_path = directory_ + "/." + name + ".XXXXXX";
    int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
    if (fd < 0) return fail_errno("cannot create a file in " + directory_);
    Result<void> done = write_all(fd, data);
    if (done && ::fchmod(fd, 0640) != 0) done = fail_errno("cannot set the mode of " + temp_path);
    if (done && ::fsync(fd) != 0) done = fail_errno("cannot flush " + temp_path);
    if (::close(fd) != 0 && done) done = fail_errno("cannot write " + temp_path);
    if (done && ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
      done = fail_errno("cannot rename to " + final_path);
    }
    if (!done) {
      ::unlink(temp_path.c_str());
      return done;
    }
    return fsync_directory(directory_);
  }

  std::string directory_;
};

}  // namespace

Result<std::unique_ptr<MailTransport>> make_spool_transport(const std::string& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    const fs::path parent = fs::path(directory).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return fail("cannot create the mail spool " + directory + ": " + ec.message());
    if (::mkdir(directory.c_str(), 0750) != 0 && errno != EEXIST) {
      return fail_errno("cannot create the mail spool " + directory);
    }
    if (!fs::is_directory(directory, ec)) return fail("the mail spool " + directory + " is not a directory");
  }
  return std::make_unique<SpoolTransport>(directory);
}

}  // namespace netwarden::transport_detail
