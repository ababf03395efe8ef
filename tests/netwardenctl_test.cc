// Runs the built netwardenctl against a ControlServer in this process that
// answers with canned, realistic results.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "daemon/control/control_reply.h"
#include "tests/support/child_process.h"
#include "tests/support/control_server_thread.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

const boost::json::value status_result = boost::json::parse(R"({
  "version": "0.1.0", "started_at": "2026-11-25T07:00:00.000Z", "uptime_s": 7800,
  "targets": {"total": 5, "up": 3, "down": 1, "unknown": 1},
  "checks_in_flight": 2, "checks_completed": 1234,
  "store": {"pending_writes": 0, "dropped_samples": 7},
  "crawls": [
    {"target": "portal", "running": true, "started_at": "2026-11-25T08:00:00.000Z", "done": 120, "budget": 2000,
     "queued": 300, "not_modified": 100, "errors": 2, "not_inspected": 1, "eta": "2026-11-25T08:30:00.000Z",
     "last_complete_at": "2026-11-25T02:00:00.000Z", "last_complete_pages": 1500, "next_at": null},
    {"target": "lib", "running": false, "started_at": null, "done": 0, "budget": 2000, "queued": 0,
     "not_modified": 0, "errors": 0, "not_inspected": 0, "eta": null, "last_complete_at": null,
     "last_complete_pages": 0, "next_at": "2026-11-25T12:00:00.000Z"}]
})");

const boost::json::value crawl_result = boost::json::parse(R"({"target": "lib", "started": true, "crawl":
  {"running": true, "started_at": "2026-11-25T09:00:00.000Z", "done": 0, "budget": 2000, "queued": 1,
   "not_modified": 0, "errors": 0, "not_inspected": 0, "eta": null, "last_complete_at": null,
   "last_complete_pages": 0, "next_at": null}})");

const boost::json::value targets_result = boost::json::parse(R"({"targets": [
  {"id": "portal", "name": "学校门户网站", "url": "https://www.example.edu.cn/", "unit": "网信办",
   "tls_verify": true, "state": "up", "reason": "", "detail": "", "last_check": "2026-11-25T09:10:00.250Z",
   "latency_ms": 41.7, "status": 200, "content": "unchanged", "structure": "unchanged", "harmful": [],
   "required_missing": [], "cert_days_left": 58, "dns_changed": false, "cert_changed": false},
  {"id": "cs-dept", "name": "CS Department", "url": "http://cs.example.edu.cn/", "unit": "计算机学院",
   "tls_verify": true, "state": "down", "reason": "content_rule", "detail": "harmful keywords found",
   "last_check": "2026-11-25T09:10:02.000Z", "latency_ms": 120.2, "status": 200, "content": "changed",
   "structure": "changed", "harmful": ["反动标语"], "required_missing": ["版权所有"], "cert_days_left": null,
   "dns_changed": true, "cert_changed": false},
  {"id": "lib", "name": "图书馆", "url": "https://lib.example.edu.cn/", "unit": "Library",
   "tls_verify": true, "state": "unknown", "reason": "", "detail": "", "last_check": null,
   "latency_ms": null, "status": null, "content": "unknown", "structure": "unknown", "harmful": [],
   "required_missing": [], "cert_days_left": null, "dns_changed": false, "cert_changed": false,
   "crawl": {"running": false, "started_at": "2026-11-25T06:00:00.000Z", "done": 812, "budget": 2000, "queued": 0,
             "not_modified": 790, "errors": 0, "not_inspected": 0, "eta": null,
             "last_complete_at": "2026-11-25T06:04:00.000Z", "last_complete_pages": 812,
             "next_at": "2026-11-25T12:00:00.000Z"}}
]})");

// Terminal width as the test reckons it, independently of ctl/table.cc:
// CJK ideographs and punctuation are two columns wide.
std::size_t columns(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t cp = len == 3 ? ((lead & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F) : 0;
    width += (cp >= 0x2E80 && cp <= 0x9FFF) ? 2 : 1;
    i += len;
  }
  return width;
}

// Display columns at which each cell of a table line starts (cells are
// separated by two or more spaces).
std::vector<std::size_t> cell_starts(const std::string& line) {
  std::vector<std::size_t> starts;
  std::size_t i = 0;
  while (i < line.size()) {
    starts.push_back(columns(line.substr(0, i)));
    auto gap = line.find("  ", i);
    if (gap == std::string::npos) break;
    i = line.find_first_not_of(' ', gap);
  }
  return starts;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class NetwardenctlTest : public ::testing::Test {
 protected:
  // A fixed zone makes the local times predictable. Set before any test
  // starts a thread, and inherited by every netwardenctl run.
  static void SetUpTestSuite() { ::setenv("TZ", "Asia/Shanghai", 1); }

  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(ctl_)) << ctl_;
    ASSERT_FALSE(dir_.path().empty());
    auto started = server_.start(
        {.path = socket_}, [this](const ControlRequest& r, const ControlRespond& respond) { respond(answer(r)); });
    ASSERT_TRUE(started) << started.error().message;
  }

  boost::json::object answer(const ControlRequest& r) {
    ++requests_;
    if (refuse_) return reply_error("unknown command '" + r.command + "'");
    if (r.command == "status") return reply_ok(status_result);
    if (r.command == "targets") return reply_ok(targets_result);
    if (r.command == "crawl") return reply_ok(crawl_result);
    return reply_error("unknown command '" + r.command + "'");
  }

  test::Finished run(std::vector<std::string> args) {
    args.insert(args.begin(), ctl_);
    return test::run_program(args);
  }

  std::atomic<bool> refuse_{false};
  std::atomic<int> requests_{0};
  const std::string ctl_ = test::built_binary("ctl/netwardenctl");
  test::TempDir dir_{"netwardenctl-test"};
  const std::string socket_ = dir_.file("netwarden.sock");
  test::ControlServerThread server_;
};

TEST_F(NetwardenctlTest, StatusPrintsTheDaemonSummary) {
  auto r = run({"--socket", socket_, "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("0.1.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-11-25 15:00:00 +08:00 (up 2h10m)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5 total: 3 up, 1 down, 1 unknown"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 in flight, 1234 completed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 pending writes, 7 dropped samples"), std::string::npos) << r.out;
}

TEST_F(NetwardenctlTest, StatusShowsWhereEachCrawlIs) {
  auto r = run({"--socket", socket_, "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("crawl portal"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("crawling 120/2000 pages, 100 not modified, 2 failed, 1 not inspected, started 2026-11-25 "
                       "16:00:00 +08:00, ETA 2026-11-25 16:30:00 +08:00; last complete crawl 2026-11-25 10:00:00 "
                       "+08:00 (1500 pages)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("next crawl 2026-11-25 20:00:00 +08:00; no complete crawl yet"), std::string::npos) << r.out;
}

TEST_F(NetwardenctlTest, TargetsShowTheirCrawl) {
  auto r = run({"--socket", socket_, "targets"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("next crawl 2026-11-25 20:00:00 +08:00; last complete crawl 2026-11-25 14:04:00 +08:00 (812 "
                       "pages)"),
            std::string::npos)
      << r.out;
}

TEST_F(NetwardenctlTest, CrawlSaysTheCrawlStarted) {
  auto r = run({"--socket", socket_, "crawl", "lib"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "crawl of lib started; crawling 0/2000 pages, started 2026-11-25 17:00:00 +08:00; no complete "
            "crawl yet\n");
}

TEST_F(NetwardenctlTest, TargetsTableShowsEveryTargetInAlignedColumns) {
  auto r = run({"--socket", socket_, "targets"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0].rfind("ID", 0), 0u);
  EXPECT_NE(lines[1].find("学校门户网站"), std::string::npos);
  EXPECT_NE(lines[1].find("2026-11-25 17:10:00 +08:00"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("42 ms"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("58d"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("down"), std::string::npos);
  EXPECT_NE(lines[2].find("harmful keywords found; harmful: 反动标语; missing: 版权所有"), std::string::npos)
      << lines[2];
  EXPECT_NE(lines[2].find("DNS changed"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("unknown"), std::string::npos);

  // Every column of every row starts where its header does, Chinese
  // names and units included.
  auto header = cell_starts(lines[0]);
  ASSERT_EQ(header.size(), 10u) << lines[0];
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto starts = cell_starts(lines[i]);
    ASSERT_GE(starts.size(), 9u) << lines[i];
    for (std::size_t c = 0; c < 9; ++c) EXPECT_EQ(starts[c], header[c]) << "column " << c << " of\n" << r.out;
  }
}

TEST_F(NetwardenctlTest, JsonPrintsTheResultAsTheDaemonSentIt) {
  auto status = run({"--socket", socket_, "--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(boost::json::parse(status.out), status_result);

  // Global options may also follow the command.
  auto targets = run({"targets", "--socket", socket_, "--json"});
  ASSERT_EQ(targets.exit_code, 0) << targets.err;
  EXPECT_EQ(boost::json::parse(targets.out), targets_result);
}

TEST_F(NetwardenctlTest, UnreachableDaemonExitsWith3) {
  auto r = run({"--socket", dir_.file("nobody.sock"), "status"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(dir_.file("nobody.sock")), std::string::npos) << r.err;
}

TEST_F(NetwardenctlTest, DaemonErrorIsPrintedAndExitsWith1) {
  refuse_ = true;
  for (const char* command : {"status", "targets"}) {
    auto r = run({"--socket", socket_, command});
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(std::string("unknown command '") + command + "'"), std::string::npos) << r.err;
  }
  auto json = run({"--socket", socket_, "--json", "status"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.out, "");
}

TEST_F(NetwardenctlTest, UsageErrorsExitWith2WithoutAskingTheDaemon) {
  EXPECT_EQ(run({"--socket", socket_}).exit_code, 2);
  EXPECT_EQ(run({"--socket", socket_, "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run({"--socket", socket_, "--colour", "status"}).exit_code, 2);
  EXPECT_EQ(run({"--help"}).exit_code, 0);
  EXPECT_EQ(requests_, 0);
}

}  // namespace
}  // namespace netwarden
