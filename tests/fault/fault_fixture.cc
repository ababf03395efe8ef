#include "tests/fault/fault_fixture.h"

#include <strings.h>

#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/child_process.h"
#include "tests/support/minimal_world.h"

namespace netwarden::test {

namespace {

constexpr std::uint64_t kDiskBytes = 8 << 20;

const char* kBody = R"py(
import email, sys
from email import policy
print(email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default).get_content(), end='')
)py";

}  // namespace

void FaultTest::SetUp() { ASSERT_NO_FATAL_FAILURE(start_site(nginx_, {{"index.html", kFaultPage}})); }

void FaultTest::use_small_disk() {
  auto mounted = SmallDisk::mount(state_dir_, kDiskBytes);
  ASSERT_TRUE(mounted) << mounted.error().message;
  disk_ = std::move(*mounted);
}

void FaultTest::use_fault_vfs(std::string faults) {
  vfs_control_ = dir_.file("fault-vfs-control");
  vfs_faults_ = std::move(faults);
  set_faults("");
}

std::string FaultTest::mail_to_relay(const SmtpOptions& options) {
  auto started = SmtpServer::start(options);
  EXPECT_TRUE(started) << started.error().message;
  if (!started) return "";
  smtp_ = std::move(*started);
  return smtp_mail(smtp_->relay());
}

void FaultTest::write_config(const std::string& chain, const std::string& mail) {
  World world{.log_level = "info", .confirm_failures = 2, .recovery_window = "1s"};
  world.mail = mail.empty() ? mail_to_relay() : mail;
  world.language = "en";
  world.chains = {
      {"c", {{"0s", {"operator"}}, {"2s", {"security_officer"}}, {"4s", {"head"}}, {"60s", {"first_responsible"}}}},
      {"r", {{"0s", {"operator"}, "1s"}}}};
  world.extra =
      web_target({.id = "library", .url = nginx_->url("/index.html"), .name = "Library site", .chain = chain});
  std::ofstream(config_) << world_config(dir_, world);
}

void FaultTest::start_daemon() {
  if (vfs_control_.empty()) return daemon_.start();
  daemon_.start({}, {"LD_PRELOAD=" NETWARDEN_FAULT_VFS, "NETWARDEN_FAULT_VFS_CONTROL=" + vfs_control_});
}

void FaultTest::make_writes_fail() {
  if (!vfs_control_.empty()) return set_faults(vfs_faults_);
  ASSERT_TRUE(disk_) << "use_small_disk() first";
  // A full tmpfs still takes writes into blocks a file already has, and the
  // write-ahead log keeps its blocks after a checkpoint (it is reused from
  // the start, not shrunk). So first empty it: then every commit must grow
  // it, and growing fails with ENOSPC. The daemon may be writing at that
  // moment, hence the busy timeout.
  Finished checkpoint = run_program(
      {"/usr/bin/sqlite3", "-cmd", ".timeout 5000", state_dir_ + "/netwarden.db", "PRAGMA wal_checkpoint(TRUNCATE)"});
  ASSERT_EQ(checkpoint.out.substr(0, 2), "0|") << checkpoint.out << checkpoint.err;
  auto filled = disk_->fill();
  ASSERT_TRUE(filled) << filled.error().message;
  ASSERT_EQ(disk_->available(), 0u);
}

void FaultTest::let_writes_succeed() {
  if (!vfs_control_.empty()) return set_faults("");
  disk_->free_space();
}

void FaultTest::set_faults(const std::string& lines) const {
  const std::string next = vfs_control_ + ".next";
  std::ofstream(next) << lines;
  std::filesystem::rename(next, vfs_control_);
}

bool FaultTest::store_failing() const {
  boost::json::value s = status();
  if (s.is_null()) return false;
  const boost::json::value* failing = s.at("store").as_object().if_contains("failing");
  return failing != nullptr && !failing->is_null();
}

bool FaultTest::wait_store_failing() {
  return wait([&] { return store_failing(); });
}

bool FaultTest::wait_store_recovered() {
  return wait([&] { return !status().is_null() && !store_failing(); }, std::chrono::seconds(20));
}

int FaultTest::number(const std::string& query) const {
  const std::string out = sql(query);
  return out.empty() ? -1 : std::stoi(out);
}

void FaultTest::take_site_down() const { std::filesystem::remove(nginx_->root() + "/index.html"); }

std::vector<std::string> FaultTest::open_incidents(std::size_t count) {
  std::vector<std::string> ids;
  wait([&] {
    boost::json::value listed = daemon_.ctl_json({"incidents"});
    if (listed.is_null()) return false;
    ids.clear();
    for (const auto& i : listed.at("incidents").as_array()) ids.push_back(std::to_string(i.at("id").as_int64()));
    return ids.size() == count;
  });
  return ids;
}

std::map<std::string, int> FaultTest::copies_by_message_id(const std::vector<std::string>& raw) {
  std::map<std::string, int> copies;
  for (const std::string& message : raw) ++copies[message_id_of(message)];
  return copies;
}

// The Message-ID header's msg-id, its folded lines joined.
std::string message_id_of(const std::string& raw) {
  std::istringstream lines(raw);
  std::string field;
  for (std::string line; std::getline(lines, line) && line != "\r" && !line.empty();) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const bool continued = !field.empty() && (line.front() == ' ' || line.front() == '\t');
    if (continued) {
      field += line;
      continue;
    }
    if (!field.empty()) break;
    if (line.size() >= 11 && strncasecmp(line.c_str(), "Message-ID:", 11) == 0) field = line;
  }
  const auto first = field.find('<'), last = field.find('>');
  if (first == std::string::npos || last == std::string::npos) return "";
  return field.substr(first, last - first + 1);
}

std::string mail_body(const std::string& raw) {
  TempDir dir("netwarden-mail-body");
  const std::string path = dir.file("message.eml");
  std::ofstream(path, std::ios::binary) << raw;
  return run_program({"/usr/bin/python3", "-c", kBody, path}).out;
}

}  // namespace netwarden::test
