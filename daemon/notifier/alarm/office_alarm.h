// OfficeAlarm: tells the cyber-security office at once when netwardend can
// no longer record what it decides (its store refuses writes).
//
// The outbox lives in the failing store, so this message goes around it:
// the configured transport is tried directly, and when that fails too (the
// spool directory is on the full disk, the relay is down) the message is
// written as an .eml file to a fallback spool directory on another file
// system (the runtime directory beside the control socket, normally
// /run/netwarden/spool-fallback), where whoever looks at the host finds it.
// Nothing here is retried: the store's own retries queue every notification
// owed once writes work, and `status` shows STORE FAILING meanwhile.
//
// Thread-safety: alarm() is called from the io thread; the sending runs on a
// thread of its own (transports block), one attempt at a time, and the
// destructor waits for it.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "config/config.h"
#include "daemon/notifier/message/mail_message.h"

namespace netwarden {

struct WriteFailure;

// One message per office person about `failure`, bilingual (zh first).
std::vector<MailMessage> store_failing_messages(const Config& config, const WriteFailure& failure,
                                                const std::string& host);

class OfficeAlarm {
 public:
  OfficeAlarm(const Config& config, std::string fallback_dir);
  ~OfficeAlarm();
  OfficeAlarm(const OfficeAlarm&) = delete;
  OfficeAlarm& operator=(const OfficeAlarm&) = delete;

  // Starts sending unless an attempt is still in progress (then this
  // alarm is logged only).
  void alarm(const WriteFailure& failure);

 private:
  const Config& config_;
  std::string fallback_dir_;
  std::thread worker_;
  std::atomic<bool> busy_{false};
};

}  // namespace netwarden
