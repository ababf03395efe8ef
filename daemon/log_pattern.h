// How netwardend's log lines look on stderr.
//
// Under systemd, stderr goes to journald, which keeps a line's priority
// when the line starts with a syslog prefix such as "<4>" (sd-daemon(3)):
// so every line written anywhere but a terminal starts with one, and
// `journalctl -p warning` finds the warnings. journald stamps each line
// itself, so lines bound for it carry no timestamp. systemd says stderr is
// journald's by setting JOURNAL_STREAM to its "DEVICE:INODE" (systemd.exec(5));
// a shell started from a service inherits the variable but not the stream,
// hence the comparison.
#pragma once

#include <sys/types.h>

#include <spdlog/logger.h>

namespace netwarden {

enum class LogDestination { terminal, file, journal };

// Whether `journal_stream` ($JOURNAL_STREAM, null when unset) names the file
// with this device and inode.
bool is_journal_stream(const char* journal_stream, dev_t device, ino_t inode);

// Where this process's stderr goes.
LogDestination stderr_log_destination();

void set_log_pattern(spdlog::logger& logger, LogDestination destination);

}  // namespace netwarden
