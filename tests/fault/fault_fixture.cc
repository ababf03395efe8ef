#include "tests/fault/fault_fixture.h"

#include <strings.h>

#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/child_process.h"

namespace netwarden::test {

namespace {

constexpr std::uint64_t kDiskBytes = 8 << 20;

const char* kBody = R"py(
import email, sys
from email import policy
print(email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default).get_content(), end='')
)py";

}  // namespace

void FaultTest::SetUp() {
  auto started = NginxServer::start({});
  ASSERT_TRUE(started) << started.error().message;
  nginx_ = std::move(*started);
  put_page(kFaultPage);
}

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
  return R"([mail]
transport = "smtp"
from = "netwarden@example.edu.cn"
relays = [")" + smtp_->relay() + R"("]
starttls = false
connect_timeout = "1s"
timeout = "5s"
retry_max = "1s"
)";
}

void FaultTest::write_config(const std::string& chain, const std::string& mail) {
  std::ofstream(config_) << R"([daemon]
state_dir = ")" + state_dir_ + R"("
socket = ")" + dir_.file("nw.sock") + R"("
log_level = "info"

[incidents]
confirm_failures = 2
recovery_window = "1s"

)" + (mail.empty() ? mail_to_relay() : mail) + R"(
[people.op]
name = "Olga Operator"
email = "op@example.edu.cn"
language = "en"
[people.so]
name = "Sam Officer"
email = "so@example.edu.cn"
language = "en"
[people.head]
name = "Hana Head"
email = "head@example.edu.cn"
language = "en"
[people.boss]
name = "Bo Boss"
email = "boss@example.edu.cn"
language = "en"

[units.lib]
name = "Library"
operators = ["op"]
security_officer = ["so"]
head = ["head"]

[institution]
first_responsible = ["boss"]

[chains.c]
[[chains.c.steps]]
after = "0s"
notify = ["operator"]
[[chains.c.steps]]
after = "2s"
notify = ["security_officer"]
[[chains.c.steps]]
after = "4s"
notify = ["head"]
[[chains.c.steps]]
after = "60s"
notify = ["first_responsible"]

[chains.r]
[[chains.r.steps]]
after = "0s"
notify = ["operator"]
repeat = "1s"

[targets.library]
name = "Library site"
url = ")" + nginx_->url("/index.html") + R"("
unit = "lib"
chain = ")" + chain + R"("
interval = "250ms"
timeout = "250ms"
)";
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
  Finished checkpoint = run_program({"/usr/bin/sqlite3", "-cmd", ".timeout 5000", state_dir_ + "/netwarden.db",
                                     "PRAGMA wal_checkpoint(TRUNCATE)"});
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
