// End to end: what the page checks find on a watched site, from detection to
// the inbox. A real netwardend watches a real nginx site and mails through a
// real SMTP relay (python3-aiosmtpd); the test plants evidence in the site,
// follows the incident along the chain in the ledger and in the mails the
// relay received, cleans the site and sees the incident resolve.
//
// The chain (offsets from the incident's start): the operator at once, the
// security officer at 2s, the unit head, the top of this chain, at 4s.
// Evidence that carries a harmful keyword (the site's list holds 博彩) goes
// to the top at once, as harmful content does; other evidence starts at the
// first step. The operator and the head read Chinese, then English; the
// security officer English only (minimal_world.h).
#include <gtest/gtest.h>

#include <boost/json/value.hpp>
#include <fstream>

#include "tests/support/daemon_harness.h"
#include "tests/support/minimal_world.h"
#include "tests/support/nginx_server.h"
#include "tests/support/received_mail.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// The site's page with a link to another host that no visitor sees (暗链),
// its anchor text `text`.
std::string planted_page(const std::string& text) {
  return "<html><head><title>某某学院</title></head><body><p>某某学院 欢迎您</p>"
         "<div style=\"display:none\"><a href=\"http://bet.example.com/\">" +
         text + "</a></div></body></html>";
}

// What the hijacked server shows Baiduspider only (快照劫持).
const std::string kSpiderPage =
    "<html><head><title>某某学院</title></head><body><p>某某学院 欢迎您 澳门博彩 官方网站</p></body></html>";

// nginx as a hijacked server: the crawler's page for Baiduspider, and a
// refusal for Sogou's crawler (as a firewall blocking fake spiders does).
const char* kCloakingServer = R"(
    location = /index.html {
      if ($http_user_agent ~* "Baiduspider") { rewrite ^ /spider.html last; }
      if ($http_user_agent ~* "Sogou") { return 403; }
    }
  )";

// The same words in a Chinese reader's part of a mail and in the English part.
struct Wording {
  std::string zh;
  std::string en;
};

// What the ledger's "notified" events say (told() below): the chain step by
// step; the same after the top was told at once.
const std::string kStepsTold = "op: step 1\nso: step 2\nhead: step 3\n";
const std::string kTopThenStepsTold = "head: harmful content\n" + kStepsTold;

class DetectionFlowTest : public ::testing::Test {
 protected:
  // nginx serving the site's page at /index.html (`server_config` inside
  // its server block), the relay, and netwardend watching the page with
  // `target_lines` added to its target.
  void start_world(const std::string& server_config, const std::string& target_lines) {
    auto site = NginxServer::start({.server_config = server_config});
    ASSERT_TRUE(site) << site.error().message;
    nginx_ = std::move(*site);
    nginx_->write_file("index.html", kSitePage);
    auto relay = SmtpServer::start({});
    ASSERT_TRUE(relay) << relay.error().message;
    smtp_ = std::move(*relay);
    std::ofstream(dir_.file("words.txt")) << "博彩\n";
    World world{.recovery_window = "1s", .mail = smtp_mail(smtp_->relay())};
    world.chains = {{"c", {{"0s", {"operator"}}, {"2s", {"security_officer"}}, {"4s", {"head"}}}}};
    world.extra = web_target({.id = "college",
                              .url = nginx_->url("/index.html"),
                              .name = "学院网站",
                              .extra = "harmful_keywords = \"" + dir_.file("words.txt") + "\"\n" + target_lines});
    std::ofstream(dir_.file("netwarden.toml")) << world_config(dir_, world);
    daemon_.start();
  }

  std::string sql(const std::string& query) const { return daemon_.sql(query); }
  // A count query's answer; 0 while the database cannot be read.
  std::size_t number(const std::string& query) const {
    const std::string out = sql(query);
    return out.empty() ? 0 : std::stoul(out);
  }

  // Starts a plain world; once the clean page is the baseline, plants a
  // hidden link with anchor text `text`. The hidden_link incident's id, as
  // opened() returns it.
  std::string plant_hidden_link(const std::string& text, const std::string& detail) {
    start_world("", "");
    if (HasFatalFailure()) return "";
    EXPECT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM baselines") == "1\n"; })) << daemon_.log();
    nginx_->write_file("index.html", planted_page(text));
    return opened("hidden_link", detail);
  }

  // The id of the incident of `kind` once one is open ("" if none opens),
  // expecting it major (both kinds' default grade) and saying `detail`.
  std::string opened(const std::string& kind, const std::string& detail) {
    std::string id;
    daemon_.wait_until([&] {
      id = sql("SELECT id FROM incidents WHERE state = 'open' AND kind = '" + kind + "'");
      return !id.empty();
    });
    id = id.substr(0, id.find('\n'));
    json::value shown = id.empty() ? json::value() : daemon_.ctl_json({"show", id});
    EXPECT_FALSE(shown.is_null()) << kind << " did not open\n" << daemon_.log();
    if (shown.is_null()) return "";
    EXPECT_EQ(shown.at("incident").at("detail"), json::value(detail));
    EXPECT_EQ(shown.at("incident").at("severity"), "major");
    return id;
  }

  // "person: reasons" per message about incident `id`, in the order sent.
  std::string told(const std::string& id) const {
    return sql(
        "SELECT json_extract(details_json, '$.person') || ': ' || json_extract(details_json, '$.reasons')"
        " FROM ledger WHERE type = 'notified' AND incident_id = " +
        id + " ORDER BY seq");
  }

  bool wait_told(const std::string& id, const std::string& expected) {
    return daemon_.wait_until([&] { return told(id) == expected; }, 15s);
  }

  // Who was told at once as the top of the chain about incident `id`: a
  // line, or "" when nobody was.
  std::string top_notified(const std::string& id) const {
    return sql(
        "SELECT json_extract(details_json, '$.recipients') FROM ledger WHERE type = 'top_notified'"
        " AND incident_id = " +
        id);
  }

  // The first `count` mails about incident `id` the relay received, in
  // arrival order, once the daemon has recorded that many as sent.
  std::vector<ReceivedMail> mails_about(const std::string& id, std::size_t count) {
    const bool sent = daemon_.wait_until(
        [&] { return number("SELECT count(*) FROM outbox WHERE state = 'sent' AND incident_id = " + id) >= count; });
    EXPECT_TRUE(sent) << daemon_.log() << smtp_->log();
    std::vector<ReceivedMail> about;
    for (ReceivedMail& mail : read_mails(smtp_->messages())) {
      if (mail.incident == id && about.size() < count) about.push_back(std::move(mail));
    }
    return about;
  }

  TempDir dir_{"netwarden-detection"};
  std::unique_ptr<NginxServer> nginx_;
  std::unique_ptr<SmtpServer> smtp_;
  DaemonHarness daemon_{dir_};
};

std::vector<std::string> recipients(const std::vector<ReceivedMail>& mails) {
  std::vector<std::string> out;
  for (const ReceivedMail& mail : mails) out.push_back(mail.to.substr(0, mail.to.find('@')));
  return out;
}

// `mail` says `words` in each language its reader gets, and is well formed.
void expect_says(const ReceivedMail& mail, const Wording& words) {
  EXPECT_EQ(mail.defects, 0) << mail.to << ": " << mail.subject;
  EXPECT_NE(mail.body.find(words.en), std::string::npos) << mail.to << " lacks\n" << words.en << "\n" << mail.body;
  const bool reads_chinese = mail.to != "so@example.edu.cn";
  EXPECT_EQ(mail.body.find(words.zh) != std::string::npos, reads_chinese)
      << mail.to << (reads_chinese ? " lacks\n" : " should not get\n") << words.zh << "\n"
      << mail.body;
}

// The first `escalated` mails tell of the open incident with `evidence`;
// the rest are the notices that it is resolved.
void expect_mails(const std::vector<ReceivedMail>& mails, std::size_t escalated, const Wording& evidence) {
  for (std::size_t i = 0; i < mails.size(); ++i) {
    const bool resolution = i >= escalated;
    EXPECT_EQ(mails[i].subject.find("resolved after") != std::string::npos, resolution) << mails[i].subject;
    expect_says(mails[i], resolution ? Wording{"已恢复", "is resolved"} : evidence);
  }
}

TEST_F(DetectionFlowTest, APlantedHiddenLinkEscalatesAlongTheChainAndResolvesOnceRemoved) {
  const std::string id = plant_hidden_link("x", "http://bet.example.com/ (display:none on <div>, text \"x\")");
  ASSERT_FALSE(id.empty());

  // No keyword in the evidence: the chain from its first step, step by step.
  ASSERT_TRUE(wait_told(id, kStepsTold)) << told(id) << daemon_.log();
  EXPECT_EQ(top_notified(id), "");
  // Each step no sooner than its offset from the start (step N at (N-1)*2s).
  EXPECT_EQ(sql("SELECT group_concat(l.at_ms - json_extract(i.state_json, '$.started_at') >="
                " (json_extract(l.details_json, '$.step') - 1) * 2000)"
                " FROM ledger l JOIN incidents i ON i.id = l.incident_id"
                " WHERE l.type = 'step_fired' AND i.id = " +
                id),
            "1,1,1\n");

  // Removed: after the 1s recovery window everyone told hears so. The
  // planted link also changed the page's structure; that incident closes too.
  nginx_->write_file("index.html", kSitePage);
  ASSERT_TRUE(wait_told(id, kStepsTold + "op: resolved\nso: resolved\nhead: resolved\n")) << told(id) << daemon_.log();
  ASSERT_TRUE(daemon_.wait_until([&] { return sql("SELECT count(*) FROM incidents WHERE state = 'open'") == "0\n"; }))
      << sql("SELECT id, kind, state FROM incidents") << daemon_.log();
  EXPECT_EQ(sql("SELECT group_concat(kind) FROM (SELECT kind FROM incidents ORDER BY kind)"),
            "content_changed,hidden_link\n");

  const auto mails = mails_about(id, 6);
  EXPECT_EQ(recipients(mails), (std::vector<std::string>{"op", "so", "head", "op", "so", "head"}));
  expect_mails(mails, 3,
               {"访客看不到的链接：\nhttp://bet.example.com/（display:none on <div>、链接文字“x”）",
                "Links visitors cannot see:\nhttp://bet.example.com/ (display:none on <div>, link text \"x\")"});
}

TEST_F(DetectionFlowTest, SpamOnlyForTheCrawlerGoesToTheTopAtOnceAndResolvesWhenGone) {
  ASSERT_NO_FATAL_FAILURE(start_world(kCloakingServer, "cloaking = true\ncloaking_interval = \"1s\"\n"));
  nginx_->write_file("spider.html", kSpiderPage);
  const std::string id = opened("cloaking", "as Baiduspider: harmful keywords 博彩");
  ASSERT_FALSE(id.empty());

  // The keyword in the crawler's page tells the head, the top of the chain,
  // at once; the chain then runs from its first step as usual.
  ASSERT_TRUE(wait_told(id, kTopThenStepsTold)) << told(id) << daemon_.log();
  EXPECT_EQ(top_notified(id), "head\n");

  // The refusal is shown on the target, not counted as cloaking.
  json::value targets = daemon_.ctl_json({"targets"});
  ASSERT_FALSE(targets.is_null()) << daemon_.log();
  EXPECT_EQ(targets.at("targets").at(0).at("cloaking_refused"), (json::array{"Sogou web spider: HTTP 403"}));

  nginx_->write_file("spider.html", kSitePage);
  ASSERT_TRUE(wait_told(id, kTopThenStepsTold + "head: resolved\nop: resolved\nso: resolved\n"))
      << told(id) << daemon_.log();
  EXPECT_EQ(sql("SELECT group_concat(kind) FROM incidents"), "cloaking\n");

  const auto mails = mails_about(id, 7);
  EXPECT_EQ(recipients(mails), (std::vector<std::string>{"head", "op", "so", "head", "head", "op", "so"}));
  expect_mails(
      mails, 4,
      {"情况说明：as Baiduspider: harmful keywords 博彩", "Details:    as Baiduspider: harmful keywords 博彩"});
  // The keyword is quoted from the crawler's page, which the plain fetch never sees.
  for (std::size_t i = 0; i < 4 && i < mails.size(); ++i) {
    expect_says(mails[i], {"命中位置及原文：\n博彩（见于正文）：“", "Where they were seen:\n博彩 (in text): \""});
  }
}

TEST_F(DetectionFlowTest, AHiddenLinkWhoseTextCarriesAKeywordGoesToTheTopAtOnce) {
  const std::string id =
      plant_hidden_link("澳门博彩", "http://bet.example.com/ (display:none on <div>, text \"澳门博彩\")");
  ASSERT_FALSE(id.empty());
  // The words make it harmful content of the page too, an incident of its
  // own; this one, the hidden link, goes to the top at once as well, and
  // the chain runs from its first step.
  ASSERT_TRUE(wait_told(id, kTopThenStepsTold)) << told(id) << daemon_.log();
  EXPECT_EQ(top_notified(id), "head\n");

  const auto mails = mails_about(id, 4);
  EXPECT_EQ(recipients(mails), (std::vector<std::string>{"head", "op", "so", "head"}));
  expect_mails(mails, 4,
               {"http://bet.example.com/（display:none on <div>、链接文字“澳门博彩”、含有害关键词 博彩）",
                "http://bet.example.com/ (display:none on <div>, link text \"澳门博彩\", harmful keywords 博彩)"});
}

}  // namespace
}  // namespace netwarden::test
