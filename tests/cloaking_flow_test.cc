// End to end: a site that shows gambling spam only to Baiduspider (nginx
// rewrites by User-Agent, as a hijacked server does) and refuses Sogou's
// crawler (as a firewall blocking fake spiders does), watched by a real
// netwardend with cloaking checks every second. The plain page is clean, so
// only the cloaking round can see it; once the crawler's page is clean too,
// the incident resolves by itself.
#include <gtest/gtest.h>

#include <boost/json/value.hpp>
#include <fstream>

#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kSpiderPage =
    "<html><head><title>某某学院</title></head><body><p>某某学院 欢迎您 澳门博彩 官方网站</p></body></html>";

class CloakingFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = NginxServer::start({.server_config = R"(
        location = /index.html {
          if ($http_user_agent ~* "Baiduspider") { rewrite ^ /spider.html last; }
          if ($http_user_agent ~* "Sogou") { return 403; }
        }
      )"});
    ASSERT_TRUE(started) << started.error().message;
    nginx_ = std::move(*started);
    nginx_->write_file("index.html", kSitePage);
    nginx_->write_file("spider.html", kSpiderPage);
    std::ofstream(dir_.file("words.txt")) << "博彩\n";
    World world{.recovery_window = "1s"};
    // A critical target has cloaking checks without asking.
    world.extra = web_target({.id = "college",
                              .url = nginx_->url("/index.html"),
                              .extra = "critical = true\ncloaking_interval = \"1s\"\nharmful_keywords = \"" +
                                       dir_.file("words.txt") + "\"\n"});
    std::ofstream(dir_.file("netwarden.toml")) << world_config(dir_, world);
  }

  // The open incidents' kind and detail, "kind: detail" each.
  std::vector<std::string> open_incidents() const {
    std::vector<std::string> out;
    json::value listed = daemon_.ctl_json({"incidents"});
    if (listed.is_null()) return out;
    for (const auto& i : listed.at("incidents").as_array()) {
      out.push_back(std::string(i.at("kind").as_string()) + ": " + std::string(i.at("detail").as_string()));
    }
    return out;
  }

  TempDir dir_{"netwarden-cloaking"};
  std::unique_ptr<NginxServer> nginx_;
  DaemonHarness daemon_{dir_};
};

TEST_F(CloakingFlowTest, SpamOnlyForTheCrawlerOpensCloakingAndResolvesWhenGone) {
  daemon_.start();
  const std::vector<std::string> expected = {"cloaking: as Baiduspider: harmful keywords 博彩"};
  ASSERT_TRUE(daemon_.wait_until([&] { return open_incidents() == expected; })) << daemon_.log();
  // The keyword in the crawler's page sends it to the top of the chain at once.
  EXPECT_EQ(daemon_.sql("SELECT count(*) FROM ledger WHERE type = 'top_notified'"), "1\n");

  // The refusal is shown on the target, not counted as cloaking.
  json::value targets = daemon_.ctl_json({"targets"});
  ASSERT_FALSE(targets.is_null()) << daemon_.log();
  EXPECT_EQ(targets.at("targets").at(0).at("cloaking_refused"), (json::array{"Sogou web spider: HTTP 403"}));

  nginx_->write_file("spider.html", kSitePage);
  EXPECT_TRUE(daemon_.wait_until([&] { return open_incidents().empty(); })) << daemon_.log();
}

}  // namespace
}  // namespace netwarden::test
