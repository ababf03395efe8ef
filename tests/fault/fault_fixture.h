// The fault suite's fixture: a real netwardend watching a real nginx site,
// its e-mail going to a real relay (python3-aiosmtpd), its state_dir on a
// small tmpfs (tests/support/small_disk.h) that the test fills to make the
// store's writes fail and frees to let them succeed again; or, with
// use_fault_vfs(), SQLite I/O errors injected by tests/support/sqlite_fault_vfs.c.
//
// The chain (offsets from the outage's start, everyone reads English): the
// operator at once, the security officer at 2s, the unit head at 4s, the
// first responsible person at 60s (beyond every test). Chain "r" instead
// tells the operator at once and again every second until acknowledged.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/daemon_harness.h"
#include "tests/support/nginx_server.h"
#include "tests/support/small_disk.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {

inline const std::string kFaultPage =
    "<html><head><title>Library</title></head><body><p>Library opening hours</p></body></html>";

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // The state_dir on an 8 MiB tmpfs (instead of a plain directory).
  void use_small_disk();
  // netwardend loads tests/support/sqlite_fault_vfs.c; make_writes_fail()
  // then sets `faults` (control file lines, see there).
  void use_fault_vfs(std::string faults = "write SQLITE_IOERR_WRITE\nsync SQLITE_IOERR_FSYNC\n");
  // Writes netwarden.toml: the target follows `chain` ("c" or "r"); `mail`
  // is the [mail] section (default: smtp to relay()).
  void write_config(const std::string& chain = "c", const std::string& mail = "");
  void start_daemon();
  std::string mail_to_relay(const SmtpOptions& options = {});

  // The store's writes fail from now on: the disk is full, or the fault
  // VFS fails the calls use_fault_vfs() named.
  void make_writes_fail();
  void let_writes_succeed();
  // The control file of the fault VFS (see sqlite_fault_vfs.c), replaced atomically.
  void set_faults(const std::string& lines) const;

  boost::json::value status() const { return daemon_.ctl_json({"status"}); }
  // .store.failing is present in `status --json`.
  bool store_failing() const;
  bool wait_store_failing();
  bool wait_store_recovered();

  std::string sql(const std::string& query) const { return daemon_.sql(query); }
  int number(const std::string& query) const;
  bool checked() const { return number("SELECT count(*) FROM samples") >= 2; }
  void take_site_down() const;
  void put_page(const std::string& html) const { nginx_->write_file("index.html", html); }
  // The ids of the open incidents, once there are `count`.
  std::vector<std::string> open_incidents(std::size_t count);
  bool wait(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    return daemon_.wait_until(done, limit);
  }

  // Message-ID → copies, for raw RFC 5322 messages.
  static std::map<std::string, int> copies_by_message_id(const std::vector<std::string>& raw);

  TempDir dir_{"netwarden-fault"};
  std::string state_dir_ = dir_.file("state");
  std::string config_ = dir_.file("netwarden.toml");
  std::unique_ptr<NginxServer> nginx_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<SmallDisk> disk_;
  std::string vfs_control_;  // empty unless use_fault_vfs()
  std::string vfs_faults_;
  DaemonHarness daemon_{dir_};
};

// The Message-ID header of one raw message ("" when there is none).
std::string message_id_of(const std::string& raw);
// The decoded text body of one raw message, as a mail client shows it
// (Python's e-mail parser).
std::string mail_body(const std::string& raw);

}  // namespace netwarden::test
