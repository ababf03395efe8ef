// End to end: whole-site inspection ([targets.ID.crawl]). A real netwardend
// crawls a real nginx serving a generated campus site
// (tests/support/make_site.py): 600 pages, a sitemap, and what attackers and
// careless editors leave in inner pages: gambling words on a page three
// links deep, a hidden spam link, admission lists with ID numbers in
// .xlsx/.docx/.pdf files, a register of numbers that only look like ID
// numbers, a zip bomb, a truncated PDF and a .doc. The test
// reads what the daemon concluded where a person would: incidents and
// pages in its database, `netwardenctl status`, and the mail spool.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/support/child_process.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> strings(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& item : list.as_array()) out.emplace_back(item.as_string());
  return out;
}

class CrawlFlowTest : public ::testing::Test {
 protected:
  // nginx serving the planted site, and netwardend watching its home page
  // with `crawl_lines` in [targets.college.crawl].
  void start_world(const std::string& crawl_lines) {
    auto site = NginxServer::start({});
    ASSERT_TRUE(site) << site.error().message;
    nginx_ = std::move(*site);
    const char* source = std::getenv("NETWARDEN_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "run through ctest";
    const Finished made = run_program({"/usr/bin/python3", std::string(source) + "/tests/support/make_site.py",
                                       nginx_->root(), "--pages", "600", "--plant"},
                                      120s);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    manifest_ = json::parse(made.out);
    std::ofstream words(dir_.file("words.txt"));
    for (const auto& planted : manifest_.at("planted").as_array()) {
      if (const auto* k = planted.as_object().if_contains("keywords")) {
        for (const std::string& w : strings(*k)) words << w << "\n";
      }
    }
    words.close();
    World world{.mail = "[mail]\ntransport = \"spool\"\nfrom = \"netwarden@example.edu.cn\"\n"};
    world.extra = web_target(
        {.id = "college",
         .url = nginx_->url("/index.html"),
         .name = "学院网站",
         .interval = "1s",
         .extra = "harmful_keywords = \"" + dir_.file("words.txt") + "\"\n\n[targets.college.crawl]\n" + crawl_lines});
    std::ofstream(dir_.file("netwarden.toml")) << world_config(dir_, world);
    daemon_.start();
    ASSERT_TRUE(daemon_.wait_until([&] { return daemon_.ctl_json({"status"}).is_object(); })) << daemon_.log();
  }

  // The detail of the open crawl incident of `kind` once there is one, as
  // `netwardenctl show` gives it; "" when none opens.
  std::string open_detail(const std::string& kind) {
    const std::string query =
        "SELECT id FROM incidents WHERE state = 'open' AND json_extract(state_json, '$.subject') = 'crawl' AND kind = "
        "'" +
        kind + "'";
    std::string id;
    daemon_.wait_until([&] { return !(id = sql(query)).empty(); });
    if (id.empty()) return "";
    const json::value shown = daemon_.ctl_json({"show", id.substr(0, id.find('\n'))});
    return shown.is_object() ? std::string(shown.at("incident").at("detail").as_string()) : "";
  }

  json::object crawl_status() const {
    const json::value status = daemon_.ctl_json({"status"});
    if (!status.is_object() || status.at("crawls").as_array().empty()) return {};
    return status.at("crawls").at(0).as_object();
  }

  // Asks for a crawl now (one may have started by itself) and waits until
  // a complete crawl ends after the ask.
  bool crawl_to_the_end() {
    const std::string before = sql("SELECT coalesce(last_complete_at_ms, 0) FROM crawls");
    const Finished asked = daemon_.ctl({"crawl", "college"});
    EXPECT_EQ(asked.exit_code, 0) << asked.err;
    return daemon_.wait_until(
        [&] {
          const std::string now = sql("SELECT coalesce(last_complete_at_ms, 0) FROM crawls");
          return !now.empty() && now != before && now != "0\n";
        },
        180s);
  }

  std::string sql(const std::string& query) const { return daemon_.sql(query); }
  std::size_t number(const std::string& query) const {
    const std::string out = sql(query);
    return out.empty() ? 0 : std::stoul(out);
  }
  std::string url(const json::value& path) const { return nginx_->url(std::string(path.as_string())); }

  TempDir dir_{"crawl-flow"};
  std::unique_ptr<NginxServer> nginx_;
  DaemonHarness daemon_{dir_};
  json::value manifest_;
};

// One crawl finds every planted page and file, each kind an incident of
// subject "crawl" naming them; hostile files are listed as not inspected;
// no full ID number is kept anywhere; a second crawl is mostly 304s; a
// cleaned site's crawl resolves the harmful-content incident.
TEST_F(CrawlFlowTest, FindsWhatIsPlantedInInnerPagesAndFiles) {
  ASSERT_NO_FATAL_FAILURE(start_world("every = \"1h\"\ndelay = \"0s\"\nper_host_concurrency = 4\n"));
  ASSERT_TRUE(crawl_to_the_end()) << daemon_.log();

  const json::object& expect = manifest_.at("expect").as_object();
  for (const char* kind : {"harmful_content", "hidden_link", "privacy_leak"}) {
    const std::string detail = open_detail(kind);
    ASSERT_FALSE(detail.empty()) << kind << " did not open; incidents:\n"
                                 << sql("SELECT id, kind, subject, state FROM incidents") << daemon_.log();
    for (const auto& path : expect.at(kind).as_array()) {
      EXPECT_NE(detail.find(url(path)), std::string::npos) << kind << ": " << detail << " lacks " << url(path);
    }
    // Nothing else: the clean pages and files, and the register whose
    // numbers fail their check character or birth date, are not listed.
    for (const auto& planted : manifest_.at("planted").as_array()) {
      const auto& report = planted.at("report").as_array();
      if (std::find(report.begin(), report.end(), json::value(kind)) != report.end()) continue;
      EXPECT_EQ(detail.find(url(planted.at("path"))), std::string::npos) << kind << " lists " << planted;
    }
  }
  // Each file's outcome as the manifest says: read, or why it was not.
  for (const auto& planted : manifest_.at("planted").as_array()) {
    if (planted.at("type") != "attachment") continue;
    EXPECT_EQ(sql("SELECT outcome FROM crawl_pages WHERE url = '" + url(planted.at("path")) + "'"),
              std::string(planted.at("outcome").as_string()) + "\n");
  }
  EXPECT_EQ(number("SELECT count(*) FROM incidents WHERE json_extract(state_json, '$.subject') = 'crawl' AND kind = "
                   "'malicious_code'"),
            0u);
  for (const auto& path : expect.at("not_inspected").as_array()) {
    const std::string outcome = sql("SELECT outcome FROM crawl_pages WHERE url = '" + url(path) + "'");
    EXPECT_TRUE(outcome.starts_with("not inspected")) << url(path) << ": " << outcome;
  }
  const std::size_t pages = manifest_.at("pages").to_number<std::size_t>();
  const std::size_t files = manifest_.at("files").to_number<std::size_t>();
  EXPECT_GE(number("SELECT count(*) FROM crawl_pages WHERE fetched_run = 1"), pages + files);
  const json::object progress = crawl_status();
  EXPECT_EQ(progress.at("running"), false);
  EXPECT_GE(progress.at("last_complete_pages").to_number<std::size_t>(), pages + files);

  // Masked everywhere: the database and its log, and the mails.
  std::string kept = file_bytes(dir_.file("state/netwarden.db")) + file_bytes(dir_.file("state/netwarden.db-wal"));
  for (const auto& mail : std::filesystem::recursive_directory_iterator(dir_.file("state"))) {
    if (mail.path().extension() == ".eml") kept += file_bytes(mail.path());
  }
  for (const auto& planted : manifest_.at("planted").as_array()) {
    if (const auto* ids = planted.as_object().if_contains("id_numbers")) {
      for (const std::string& id : strings(*ids)) EXPECT_EQ(kept.find(id), std::string::npos) << id << " kept";
    }
  }

  // Again: nothing changed, so nearly every page is a 304.
  ASSERT_TRUE(crawl_to_the_end()) << daemon_.log();
  const std::size_t fetched = number("SELECT count(*) FROM crawl_pages WHERE fetched_run = 2");
  const std::size_t not_modified = number("SELECT count(*) FROM crawl_pages WHERE fetched_run = 2 AND outcome = '304'");
  EXPECT_GE(fetched, pages + files);
  EXPECT_GE(not_modified * 10, fetched * 9) << not_modified << " of " << fetched << " were 304";

  // The defaced pages are put right: the next complete crawl resolves it.
  for (const auto& path : expect.at("harmful_content").as_array()) {
    nginx_->write_file(std::string(path.as_string()).substr(1), "<html><body><p>学院新闻</p></body></html>");
  }
  ASSERT_TRUE(crawl_to_the_end()) << daemon_.log();
  EXPECT_TRUE(daemon_.wait_until([&] {
    return number(
               "SELECT count(*) FROM incidents WHERE state = 'open' AND json_extract(state_json, '$.subject') = "
               "'crawl' AND kind = "
               "'harmful_content'") == 0;
  })) << daemon_.log();
  EXPECT_EQ(number("SELECT count(*) FROM incidents WHERE state = 'open' AND json_extract(state_json, '$.subject') = "
                   "'crawl' AND kind = "
                   "'privacy_leak'"),
            1u);
}

// Killed mid-crawl, the daemon goes on with the same crawl where it was:
// the pages fetched before the kill are not fetched again by it.
TEST_F(CrawlFlowTest, AKilledCrawlResumesWhereItWas) {
  ASSERT_NO_FATAL_FAILURE(start_world("every = \"1h\"\ndelay = \"20ms\"\nper_host_concurrency = 1\n"));
  const Finished asked = daemon_.ctl({"crawl", "college"});
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  ASSERT_TRUE(
      daemon_.wait_until([&] { return number("SELECT count(*) FROM crawl_pages WHERE fetched_run = 1") >= 150; }, 60s))
      << daemon_.log();
  daemon_.kill9();
  const std::size_t before = number("SELECT count(*) FROM crawl_pages WHERE fetched_run = 1");
  daemon_.start();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT finished_at_ms IS NOT NULL FROM crawls") == "1\n"; }, 180s))
      << daemon_.log();
  EXPECT_EQ(sql("SELECT run FROM crawls"), "1\n");
  EXPECT_NE(daemon_.log().find("crawl 1 resumed"), std::string::npos) << daemon_.log();
  const std::size_t pages = manifest_.at("pages").to_number<std::size_t>();
  const std::size_t known = number("SELECT count(*) FROM crawl_pages WHERE fetched_run = 1");
  EXPECT_GE(known, pages);
  EXPECT_GE(before, 150u);
  // nginx saw each page once, but for the few whose rows were still queued
  // for the disk when the daemon was killed (and the sitemap, twice at most).
  const std::string log = file_bytes(std::filesystem::path(nginx_->root()).parent_path() / "logs" / "access.log");
  std::size_t requests = 0;
  for (std::size_t at = 0; (at = log.find("netwarden-crawler", at)) != std::string::npos; ++at) ++requests;
  EXPECT_LE(requests, known + 2 + 25) << "fetched " << requests << " times for " << known << " pages";
  EXPECT_FALSE(open_detail("harmful_content").empty());
}

}  // namespace
}  // namespace netwarden::test
