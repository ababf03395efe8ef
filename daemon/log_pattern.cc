#include "daemon/log_pattern.h"

#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/pattern_formatter.h>

#include <cstdio>
#include <cstdlib>

namespace netwarden {

namespace {

// "<N>" with N the syslog priority of the message's level.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const char* prefix = "<6>";
    switch (msg.level) {
      case spdlog::level::trace:
      case spdlog::level::debug: prefix = "<7>"; break;
      case spdlog::level::warn: prefix = "<4>"; break;
      case spdlog::level::err: prefix = "<3>"; break;
      case spdlog::level::critical: prefix = "<2>"; break;
      default: break;
    }
    dest.append(prefix, prefix + 3);
  }

  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<SyslogPriorityFlag>(); }
};

}  // namespace

bool is_journal_stream(const char* journal_stream, dev_t device, ino_t inode) {
  if (journal_stream == nullptr) return false;
  unsigned long long named_device = 0, named_inode = 0;
  char rest = 0;
  if (std::sscanf(journal_stream, "%llu:%llu%c", &named_device, &named_inode, &rest) != 2) return false;
  return named_device == device && named_inode == inode;
}

LogDestination stderr_log_destination() {
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) == 0 && is_journal_stream(std::getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino)) {
    return LogDestination::journal;
  }
  return ::isatty(STDERR_FILENO) == 1 ? LogDestination::terminal : LogDestination::file;
}

void set_log_pattern(spdlog::logger& logger, LogDestination destination) {
  const char* pattern = "%Y-%m-%d %H:%M:%S.%e %^%l%$ %v";
  if (destination == LogDestination::file) pattern = "%*%Y-%m-%d %H:%M:%S.%e %l %v";
  if (destination == LogDestination::journal) pattern = "%*%l %v";
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<SyslogPriorityFlag>('*').set_pattern(pattern);
  logger.set_formatter(std::move(formatter));
}

}  // namespace netwarden
