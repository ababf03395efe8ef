#include "daemon/core/incident_engine.h"

#include <gtest/gtest.h>

#include "tests/incident_test_config.h"

namespace netwarden {
namespace {

using namespace netwarden::test;

// An engine plus what the shell would have stored from its decisions, so a
// test can restart it the way the daemon does.
class Harness {
 public:
  explicit Harness(Config config = incident_config()) : config_(std::move(config)) { start(kT0); }

  Decisions observe(const Observation& o) { return keep(engine_->observe(o, o.at)); }
  Decisions tick(Duration offset) { return keep(engine_->tick(at(offset))); }
  Decisions crawl(const CrawlReport& r) { return keep(engine_->observe_crawl(r, r.at)); }
  Decisions isolation(const IsolationObservation& o, Duration offset) {
    return keep(engine_->observe_isolation(o, at(offset)));
  }
  Result<Decisions> ack(IncidentId id, Duration offset) {
    return keep(engine_->acknowledge(id, "alice", "on it", at(offset)));
  }
  Result<Decisions> resolve(IncidentId id, Duration offset) {
    return keep(engine_->resolve(id, "alice", "fixed", at(offset)));
  }
  Result<Decisions> approve(const std::string& target, Duration offset) {
    return keep(engine_->approve(target, "alice", "new notice", at(offset)));
  }
  Result<Decisions> maintenance(const std::string& target, Duration from, Duration to, Duration offset) {
    return keep(engine_->declare_maintenance({target, at(from), at(to), "upgrade", ""}, "bob", at(offset)));
  }

  // A new engine from the stored state, as after a crash.
  void restart(Duration offset) { start(at(offset)); }

  IncidentEngine& engine() { return *engine_; }
  const Incident& stored(IncidentId id) { return stored_.at(id); }
  const std::vector<Event>& ledger() const { return ledger_; }
  std::vector<Event> ledger_of(const std::string& type) const {
    Decisions all;
    all.events = ledger_;
    return events_of(all, type);
  }

 private:
  void start(Time resumed_at) {
    EngineState state;
    for (const auto& [id, incident] : stored_) {
      if (incident.open()) state.open.push_back(incident);
    }
    state.next_id = stored_.empty() ? 1 : stored_.rbegin()->first + 1;
    state.windows = windows_;
    engine_.emplace(config_, state, resumed_at);
  }
  Decisions keep(Decisions d) {
    for (const auto& i : d.incidents) stored_[i.id] = i;
    ledger_.insert(ledger_.end(), d.events.begin(), d.events.end());
    windows_.insert(windows_.end(), d.windows.begin(), d.windows.end());
    return d;
  }
  Result<Decisions> keep(Result<Decisions> d) {
    if (d) keep(*d);
    return d;
  }

  Config config_;
  std::optional<IncidentEngine> engine_;
  std::map<IncidentId, Incident> stored_;
  std::vector<Event> ledger_;
  std::vector<MaintenanceWindow> windows_;
};

// Portal down at 0 and 1m: incident 1 open since 0.
void open_portal_outage(Harness& h) {
  h.observe(down("portal", 0min));
  h.observe(down("portal", 1min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
}

struct OpeningCase {
  const char* name;
  std::vector<std::pair<Duration, bool>> checks;  // offset, down
  bool opens;
  Duration started_at;
};

class OpeningTest : public testing::TestWithParam<OpeningCase> {};

TEST_P(OpeningTest, NeedsConsecutiveFailuresAndStartsAtTheFirst) {
  Harness h;
  for (auto [offset, is_down] : GetParam().checks) h.observe(is_down ? down("portal", offset) : up("portal", offset));
  const auto& open = h.engine().open_incidents();
  ASSERT_EQ(open.size(), GetParam().opens ? 1u : 0u);
  if (!GetParam().opens) return;
  const Incident& i = open.begin()->second;
  EXPECT_EQ(i.kind, IncidentKind::site_down);
  EXPECT_EQ(i.started_at, at(GetParam().started_at));
  EXPECT_EQ(i.detected_at, at(GetParam().checks.back().first));
  EXPECT_EQ(h.ledger_of("opened").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    IncidentEngineTest, OpeningTest,
    testing::Values(
        OpeningCase{"OneFailureIsABlip", {{0min, true}}, false, 0min},
        OpeningCase{"FailureUpFailure", {{0min, true}, {1min, false}, {2min, true}}, false, 0min},
        OpeningCase{"Flapping", {{0min, true}, {1min, false}, {2min, true}, {3min, false}, {4min, true}}, false, 0min},
        OpeningCase{"TwoFailures", {{0min, true}, {1min, true}}, true, 0min},
        OpeningCase{"StreakAfterABlip", {{0min, true}, {1min, false}, {2min, true}, {3min, true}}, true, 2min}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IncidentEngineTest, FirstStepFiresOnOpeningAndRepeats) {
  Harness h;
  h.observe(down("portal", 0min));
  auto d = h.observe(down("portal", 1min));
  EXPECT_EQ(told(d), (std::map<std::string, std::vector<std::string>>{{"op", {"step 1"}}}));
  EXPECT_TRUE(h.tick(10min).notifications.empty());
  EXPECT_EQ(told(h.tick(11min)), (std::map<std::string, std::vector<std::string>>{{"op", {"repeat of step 1"}}}));
  EXPECT_TRUE(h.tick(12min).notifications.empty());
  EXPECT_TRUE(events_of(h.tick(30min - 1s), "step_fired").empty());
  EXPECT_EQ(events_of(h.tick(30min), "step_fired").size(), 1u);
}

TEST(IncidentEngineTest, ThresholdAtExactlyTheLineNotASecondBefore) {
  Harness h;
  open_portal_outage(h);
  h.tick(2h + 59min);
  auto before = h.tick(3h - 1s);
  EXPECT_TRUE(events_of(before, "threshold_crossed").empty());
  EXPECT_EQ(h.stored(1).severity, Severity::general);
  EXPECT_FALSE(h.stored(1).threshold_at);

  auto line = h.tick(3h);
  auto crossed = events_of(line, "threshold_crossed");
  ASSERT_EQ(crossed.size(), 1u);
  EXPECT_EQ(crossed[0].details.at("severity"), "significant");
  EXPECT_EQ(crossed[0].details.at("late"), "false");
  EXPECT_EQ(h.stored(1).threshold_at, at(3h));
  EXPECT_EQ(h.stored(1).severity, Severity::significant);
  EXPECT_EQ(told(line), (std::map<std::string, std::vector<std::string>>{{"first", {"threshold"}}}));

  EXPECT_TRUE(events_of(h.tick(3h + 1s), "threshold_crossed").empty());
}

TEST(IncidentEngineTest, WarningsBeforeTheLineGoToThoseAlreadyTold) {
  Harness h;
  open_portal_outage(h);
  h.tick(1h);
  // Step 3 falls due at 2h, the same moment as "1h left": both reach the office.
  auto one_hour = h.tick(2h);
  EXPECT_EQ(told(one_hour), (std::map<std::string, std::vector<std::string>>{{"op", {"repeat of step 1", "1h left"}},
                                                                             {"sec", {"1h left"}},
                                                                             {"head", {"1h left"}},
                                                                             {"office", {"step 3", "1h left"}},
                                                                             {"leader", {"step 3", "1h left"}}}));
  EXPECT_TRUE(events_of(h.tick(2h + 44min), "threshold_warning").empty());
  auto quarter = h.tick(2h + 45min);
  EXPECT_EQ(told(quarter).size(), 5u);
  EXPECT_EQ(told(quarter)["office"], std::vector<std::string>{"15m left"});
  EXPECT_EQ(told(quarter).count("first"), 0u);
}

TEST(IncidentEngineTest, OnlyTheNearestOfSeveralDueWarningsIsSent) {
  Harness h;
  open_portal_outage(h);
  h.tick(40min);
  h.restart(2h + 50min);
  auto d = h.tick(2h + 50min);
  auto warnings = events_of(d, "threshold_warning");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].details.at("left"), "15m");
  EXPECT_EQ(told(d)["sec"], std::vector<std::string>{"15m left"});
  EXPECT_TRUE(events_of(h.tick(2h + 55min), "threshold_warning").empty());
}

TEST(IncidentEngineTest, NoWarningLongerThanTheThresholdItself) {
  Config c = incident_config();
  c.targets[0].threshold = 30min;  // portal; warnings are 1h and 15m
  Harness h(c);
  open_portal_outage(h);
  auto d = h.tick(15min);
  auto warnings = events_of(d, "threshold_warning");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].details.at("left"), "15m");
  EXPECT_EQ(h.stored(1).warnings_sent, std::vector<Duration>{15min});
}

TEST(IncidentEngineTest, AMessageIsLateWhenAnythingInItIs) {
  Harness h;
  open_portal_outage(h);
  h.tick(40min);
  h.restart(2h);
  auto d = h.tick(2h);
  // op: the repeat due at 1h51m (late), then "1h left" due at 2h (on time).
  // office: step 3 and "1h left", both due at 2h: on time.
  for (const auto& n : d.notifications) {
    if (n.person == "op") {
      EXPECT_EQ(n.reasons.size(), 2u);
      EXPECT_TRUE(n.late);
    } else {
      EXPECT_FALSE(n.late) << n.person;
    }
  }
  EXPECT_EQ(told(d)["op"], (std::vector<std::string>{"repeat of step 1", "1h left"}));
}

TEST(IncidentEngineTest, OneMessagePerPersonPerCall) {
  Harness h;
  open_portal_outage(h);
  auto d = h.tick(2h);
  std::map<std::string, int> messages;
  for (const auto& n : d.notifications) ++messages[n.person];
  for (const auto& [person, count] : messages) EXPECT_EQ(count, 1) << person;
  EXPECT_EQ(events_of(d, "notified").size(), d.notifications.size());
}

TEST(IncidentEngineTest, BlipDuringAnOutageKeepsTheClockAndRecoveryNeedsTheWindow) {
  Harness h;
  open_portal_outage(h);
  h.observe(up("portal", 10min));
  EXPECT_EQ(h.stored(1).healthy_since, at(10min));
  h.observe(down("portal", 12min, "http_status"));  // the blip is over: recovery cancelled
  EXPECT_FALSE(h.stored(1).healthy_since);
  EXPECT_EQ(h.stored(1).reason, "http_status");
  EXPECT_EQ(h.stored(1).started_at, at(0min));

  h.observe(up("portal", 20min));
  h.observe(up("portal", 24min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u) << "healthy for 4m is not a recovery";
  auto d = h.observe(up("portal", 25min));
  EXPECT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(h.stored(1).resolved_at, at(20min));
  auto resolved = events_of(d, "resolved");
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].details.at("duration"), "20m");
  EXPECT_EQ(resolved[0].details.at("how"), "recovered");
  EXPECT_EQ(told(d), (std::map<std::string, std::vector<std::string>>{{"op", {"resolved"}}}));
}

TEST(IncidentEngineTest, ThresholdCountsFromTheFirstFailureAcrossABlip) {
  Harness h;
  open_portal_outage(h);
  h.observe(up("portal", 2h + 50min));
  EXPECT_TRUE(events_of(h.tick(3h), "threshold_crossed").empty()) << "looks recovered at the line";
  auto d = h.observe(down("portal", 3h + 2min));
  auto crossed = events_of(d, "threshold_crossed");
  ASSERT_EQ(crossed.size(), 1u);
  EXPECT_EQ(h.stored(1).threshold_at, at(3h));
}

TEST(IncidentEngineTest, RestartMidEscalationFiresNoStepTwiceAndLateStepsOnceMerged) {
  Harness h;
  open_portal_outage(h);
  h.tick(30min);  // step 2
  h.tick(40min);  // the third repeat of step 1 (due at 31m)
  ASSERT_EQ(h.stored(1).steps[0].repeats, 3);
  ASSERT_TRUE(h.stored(1).steps[1].fired_at);

  h.restart(5h);  // down from 40m to 5h: step 3 (2h), threshold (3h), step 4 (4h) came due
  auto d = h.tick(5h);
  std::map<std::string, std::vector<std::string>> expected{
      {"op", {"repeat of step 1"}}, {"office", {"step 3"}}, {"leader", {"step 3"}}, {"first", {"step 4", "threshold"}}};
  EXPECT_EQ(told(d), expected);
  for (const auto& n : d.notifications) EXPECT_TRUE(n.late) << n.person;
  EXPECT_TRUE(h.tick(5h).notifications.empty());
  EXPECT_TRUE(h.tick(5h + 1s).notifications.empty());

  std::map<std::string, int> fired;
  for (const auto& e : h.ledger_of("step_fired")) ++fired[e.details.at("step")];
  EXPECT_EQ(fired, (std::map<std::string, int>{{"1", 1}, {"2", 1}, {"3", 1}, {"4", 1}}));
  ASSERT_EQ(h.ledger_of("threshold_crossed").size(), 1u);
  EXPECT_EQ(h.ledger_of("threshold_crossed")[0].details.at("late"), "true");
  EXPECT_TRUE(h.ledger_of("threshold_warning").empty()) << "warnings passed while down are moot at the line";

  // After the late burst, the next repeat is on time again.
  auto next = h.tick(5h + 1min);
  ASSERT_EQ(next.notifications.size(), 1u);
  EXPECT_FALSE(next.notifications[0].late);
}

TEST(IncidentEngineTest, RestartBeforeAnythingIsDueFiresNothingLate) {
  Harness h;
  open_portal_outage(h);
  h.restart(5min);
  EXPECT_TRUE(h.tick(5min).notifications.empty());
  auto d = h.tick(30min);
  EXPECT_EQ(told(d), (std::map<std::string, std::vector<std::string>>{
                         {"op", {"repeat of step 1"}}, {"sec", {"step 2"}}, {"head", {"step 2"}}}));
  for (const auto& n : d.notifications) EXPECT_FALSE(n.late) << n.person;
}

TEST(IncidentEngineTest, AckStopsRepeatsButNotLaterStepsOrTheThreshold) {
  Harness h;
  open_portal_outage(h);
  ASSERT_TRUE(h.ack(1, 5min));
  EXPECT_EQ(h.stored(1).acknowledged_by, "alice");
  EXPECT_TRUE(h.tick(11min).notifications.empty()) << "no repeat after ack";
  EXPECT_EQ(told(h.tick(30min)).size(), 2u) << "step 2 still fires";
  auto d = h.tick(3h);
  EXPECT_EQ(events_of(d, "threshold_crossed").size(), 1u);
  EXPECT_EQ(told(d)["first"], std::vector<std::string>{"threshold"});

  auto again = h.ack(1, 3h);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already acknowledged by alice"), std::string::npos);
}

TEST(IncidentEngineTest, SkipIfAcknowledgedSkipsOnlyStepsNotYetFired) {
  Config c = incident_config();
  c.chains["standard"].steps[1].skip_if_acknowledged = true;
  c.chains["standard"].steps[2].skip_if_acknowledged = true;
  Harness h(c);
  open_portal_outage(h);
  h.tick(30min);  // step 2 fires before the ack
  ASSERT_TRUE(h.ack(1, 1h));
  auto d = h.tick(2h);
  auto skipped = events_of(d, "step_skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].details.at("step"), "3");
  EXPECT_EQ(told(d).count("office"), 0u);
  EXPECT_TRUE(h.stored(1).steps[2].skipped);
  EXPECT_EQ(told(h.tick(3h))["first"], std::vector<std::string>{"threshold"});
}

TEST(IncidentEngineTest, ContentChangeStaysOpenUntilApproved) {
  Harness h;
  h.observe(changed("portal", 0min));
  h.observe(changed("portal", 1min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  const Incident& i = h.engine().open_incidents().begin()->second;
  EXPECT_EQ(i.kind, IncidentKind::content_changed);
  EXPECT_EQ(i.severity, Severity::significant);

  auto refused = h.resolve(1, 2min);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("cannot be resolved by hand"), std::string::npos);

  auto again = h.observe(changed("portal", 10min));
  EXPECT_TRUE(again.incidents.empty()) << "the same change again changes nothing";
  EXPECT_EQ(h.stored(1).reason, "text_changed");
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  auto approved = h.approve("portal", 11min);
  ASSERT_TRUE(approved);
  EXPECT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(events_of(*approved, "approved").size(), 1u);
  EXPECT_EQ(events_of(*approved, "approved")[0].incident, 1);
  EXPECT_EQ(h.stored(1).resolved_by, "alice");
  EXPECT_EQ(told(*approved), (std::map<std::string, std::vector<std::string>>{{"op", {"resolved"}}}));
}

TEST(IncidentEngineTest, ApprovalWithoutAnIncidentRestartsTheConfirmation) {
  Harness h;
  h.observe(changed("portal", 0min));
  auto approved = h.approve("portal", 1min);
  ASSERT_TRUE(approved);
  ASSERT_EQ(events_of(*approved, "approved").size(), 1u);
  EXPECT_EQ(events_of(*approved, "approved")[0].incident, 0);
  h.observe(changed("portal", 2min));  // a further change after the approval
  EXPECT_TRUE(h.engine().open_incidents().empty());

  auto unknown = h.approve("nowhere", 3min);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "no target nowhere");
}

TEST(IncidentEngineTest, ContentBackAtTheBaselineResolvesAfterTheWindow) {
  Harness h;
  h.observe(changed("portal", 0min));
  h.observe(changed("portal", 1min));
  h.observe(down("portal", 2min));  // a page that did not load says nothing about content
  EXPECT_FALSE(h.stored(1).healthy_since);
  h.observe(up("portal", 3min));
  h.observe(up("portal", 8min));
  EXPECT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(h.stored(1).resolved_at, at(3min));
  EXPECT_EQ(h.stored(1).resolved_by, "");
}

TEST(IncidentEngineTest, HarmfulContentOpensAtOnceAndGoesStraightToTheTop) {
  Harness h;
  auto d = h.observe(harmful("portal", 0min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(1).kind, IncidentKind::harmful_content);
  EXPECT_EQ(h.stored(1).severity, Severity::major);
  EXPECT_EQ(told(d),
            (std::map<std::string, std::vector<std::string>>{{"first", {"harmful content"}}, {"op", {"step 1"}}}));
  EXPECT_FALSE(h.resolve(1, 1min));
}

struct PageEvidenceCase {
  const char* name;
  IncidentKind kind;
  Observation (*failing)(const std::string&, Duration);
  std::string reason;
  std::string detail;
  Severity severity = Severity::major;  // [incidents.severity]'s default for the kind
};

class PageEvidenceTest : public testing::TestWithParam<PageEvidenceCase> {};

Observation plain_hidden_link(const std::string& target, Duration offset) { return hidden_link(target, offset); }
Observation cloaked(const std::string& target, Duration offset) { return cloaking(target, offset); }
// The clean check that follows: for cloaking, a round whose variants all matched.
Observation clean(IncidentKind kind, const std::string& target, Duration offset) {
  return kind == IncidentKind::cloaking ? cloaking(target, offset, "") : up(target, offset);
}

TEST_P(PageEvidenceTest, OpensAtOnceEscalatesFromTheFirstStepAndResolvesWhenClean) {
  const auto& p = GetParam();
  Harness h;
  auto opened = h.observe(p.failing("portal", 0min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  const Incident& i = h.stored(1);
  EXPECT_EQ(i.kind, p.kind);
  EXPECT_EQ(i.severity, p.severity);
  EXPECT_EQ(i.reason, p.reason);
  EXPECT_EQ(i.detail, p.detail);
  EXPECT_TRUE(events_of(opened, "top_notified").empty());
  EXPECT_EQ(told(opened), (std::map<std::string, std::vector<std::string>>{{"op", {"step 1"}}}));
  EXPECT_EQ(told(h.tick(30min)), (std::map<std::string, std::vector<std::string>>{
                                     {"head", {"step 2"}}, {"op", {"repeat of step 1"}}, {"sec", {"step 2"}}}));
  auto by_hand = h.resolve(1, 31min);
  ASSERT_FALSE(by_hand);
  EXPECT_NE(by_hand.error().message.find("cannot be resolved by hand"), std::string::npos);

  h.observe(p.failing("portal", 35min));
  EXPECT_TRUE(h.engine().open_incidents().size() == 1u) << "the same evidence again is the same incident";
  h.observe(clean(p.kind, "portal", 40min));
  h.observe(clean(p.kind, "portal", 45min));
  EXPECT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(h.stored(1).resolved_at, at(40min));
  EXPECT_EQ(h.stored(1).resolved_by, "");
}

INSTANTIATE_TEST_SUITE_P(
    IncidentEngineTest, PageEvidenceTest,
    testing::Values(PageEvidenceCase{"HiddenLink", IncidentKind::hidden_link, plain_hidden_link, "hidden_links",
                                     "http://bet.example/ (display:none on <div class=\"f\">, text \"more\")"},
                    PageEvidenceCase{"MaliciousCode", IncidentKind::malicious_code, foreign_code, "foreign_code",
                                     "http://evil.example/x.js (host evil.example not allowed)"},
                    PageEvidenceCase{"Cloaking", IncidentKind::cloaking, cloaked, "cloaking",
                                     "as Baiduspider: a redirect to http://bet.example/"},
                    PageEvidenceCase{"PrivacyLeak", IncidentKind::privacy_leak, privacy_leak, "personal_data",
                                     "id_number 3 (440306********1232, 320583********4561, 110105********002X)",
                                     Severity::significant}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IncidentEngineTest, AHarmfulKeywordInTheEvidenceGoesStraightToTheTop) {
  Harness h;
  Observation page = hidden_link("portal", 0min, "澳门博彩", {"博彩"});
  page.harmful = {"博彩"};
  auto d = h.observe(page);
  ASSERT_EQ(h.engine().open_incidents().size(), 2u);  // the words themselves are harmful content too
  std::vector<Event> top = events_of(d, "top_notified");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(h.stored(top[0].incident).kind, IncidentKind::harmful_content);
  EXPECT_EQ(h.stored(top[1].incident).kind, IncidentKind::hidden_link);
  EXPECT_EQ(top[1].details.at("recipients"), "first");

  // A keyword elsewhere on the page is not in the link's evidence.
  Harness elsewhere;
  Observation other = foreign_code("portal", 0min);
  other.harmful = {"博彩"};
  auto e = elsewhere.observe(other);
  ASSERT_EQ(events_of(e, "top_notified").size(), 1u);
  EXPECT_EQ(elsewhere.stored(events_of(e, "top_notified")[0].incident).kind, IncidentKind::harmful_content);

  Harness cloaked_spam;
  Observation round = cloaking("portal", 0min);
  round.cloaking_keyword = true;
  auto c = cloaked_spam.observe(round);
  ASSERT_EQ(events_of(c, "top_notified").size(), 1u);
  EXPECT_EQ(told(c),
            (std::map<std::string, std::vector<std::string>>{{"first", {"harmful content"}}, {"op", {"step 1"}}}));
}

TEST(IncidentEngineTest, CloakingIsJudgedOnlyOnRoundsThatFetchedTheVariants) {
  Harness h;
  h.observe(cloaking("portal", 0min));
  h.observe(up("portal", 10min));  // an ordinary check says nothing about cloaking
  h.observe(up("portal", 20min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_FALSE(h.stored(1).healthy_since);
}

struct CategoryCase {
  const char* name;
  std::string target;
  std::vector<std::string> severities;  // of the matched categories
  Severity opened;
};

class CategorySeverityTest : public testing::TestWithParam<CategoryCase> {};

TEST_P(CategorySeverityTest, TheHighestOfTheKindAndItsCategoriesThenCritical) {
  const auto& p = GetParam();
  Harness h;
  Observation o = harmful(p.target, 0min);
  o.harmful.clear();
  for (std::size_t i = 0; i < p.severities.size(); ++i) {
    const std::string word = "w" + std::to_string(i);
    o.harmful.push_back(word);
    o.harmful_hits.push_back(KeywordHit{word, "gambling", p.severities[i], "text", "w", 1});
  }
  h.observe(o);
  EXPECT_EQ(h.stored(1).severity, p.opened);
}

INSTANTIATE_TEST_SUITE_P(
    IncidentEngineTest, CategorySeverityTest,
    testing::Values(CategoryCase{"NoCategorySeverity", "portal", {""}, Severity::major},
                    CategoryCase{"LowerCategoryKeepsTheKinds", "portal", {"significant"}, Severity::major},
                    CategoryCase{"HigherCategoryWins", "portal", {"general", "critical", ""}, Severity::critical},
                    CategoryCase{"CriticalTargetRaisesAfter", "kii", {"significant"}, Severity::critical}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IncidentEngineTest, HarmfulDetailNamesEachWordsCategory) {
  Harness h;
  Observation o = harmful("portal", 0min);
  o.harmful = {"rumour", "博彩"};
  o.harmful_hits = {KeywordHit{"博彩", "gambling", "", "img alt", "澳门博彩", 2},
                    KeywordHit{"rumour", "", "", "text", "", 1}};
  h.observe(o);
  EXPECT_EQ(h.stored(1).detail, "rumour,博彩 (gambling)");
}

TEST(IncidentEngineTest, ABlindSpotOpensContentChangedWithItsReason) {
  Harness h;
  Observation blind = up("portal", 0min);
  blind.blind_spot = "region_empty: //div[@id='news']";
  h.observe(blind);
  blind.at = at(1min);
  h.observe(blind);
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(1).kind, IncidentKind::content_changed);
  EXPECT_EQ(h.stored(1).reason, "region_empty");
  EXPECT_EQ(h.stored(1).detail, "region_empty: //div[@id='news']");
  h.observe(up("portal", 2min));
  h.observe(up("portal", 7min));
  EXPECT_TRUE(h.engine().open_incidents().empty()) << "the regions see text again";
}

TEST(IncidentEngineTest, ManualResolveOfAnOutage) {
  Harness h;
  open_portal_outage(h);
  auto d = h.resolve(1, 40min);
  ASSERT_TRUE(d);
  EXPECT_EQ(h.stored(1).resolved_at, at(40min));
  EXPECT_EQ(events_of(*d, "resolved")[0].details.at("how"), "manual");
  EXPECT_EQ(events_of(*d, "resolved")[0].actor, "alice");
  EXPECT_EQ(told(*d).size(), 1u);

  auto closed = h.resolve(1, 41min);
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message, "incident 1 is not open");
  auto unknown = h.ack(99, 41min);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "no incident 99");
}

struct SeverityCase {
  const char* name;
  std::string target;
  bool content;  // content_changed instead of site_down
  Severity opened;
  Severity after_threshold;
};

class SeverityTest : public testing::TestWithParam<SeverityCase> {};

TEST_P(SeverityTest, CriticalTargetAndThresholdRaiseOneGradeEach) {
  Harness h;
  const auto& p = GetParam();
  h.observe(p.content ? changed(p.target, 0min) : down(p.target, 0min));
  h.observe(p.content ? changed(p.target, 1min) : down(p.target, 1min));
  EXPECT_EQ(h.stored(1).severity, p.opened);
  h.tick(3h);
  EXPECT_EQ(h.stored(1).severity, p.after_threshold);
}

INSTANTIATE_TEST_SUITE_P(
    IncidentEngineTest, SeverityTest,
    testing::Values(SeverityCase{"PlainSiteDown", "portal", false, Severity::general, Severity::significant},
                    SeverityCase{"CriticalSiteDown", "kii", false, Severity::significant, Severity::major},
                    SeverityCase{"PlainContent", "portal", true, Severity::significant, Severity::major},
                    SeverityCase{"CriticalContent", "kii", true, Severity::major, Severity::critical}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IncidentEngineTest, SeverityIsCappedAtCritical) {
  Config c = incident_config();
  c.incidents.severity.harmful_content = Severity::critical;
  Harness h(c);
  h.observe(harmful("kii", 0min));
  EXPECT_EQ(h.stored(1).severity, Severity::critical);
  h.tick(3h);
  EXPECT_EQ(h.stored(1).severity, Severity::critical);
}

TEST(IncidentEngineTest, ChecksInsideAMaintenanceWindowOpenNothing) {
  Harness h;
  auto declared = h.maintenance("portal", 1h, 2h, 0min);
  ASSERT_TRUE(declared);
  ASSERT_EQ(declared->windows.size(), 1u);
  EXPECT_EQ(events_of(*declared, "maintenance_declared")[0].actor, "bob");
  EXPECT_EQ(declared->windows[0].declared_by, "bob");

  h.observe(down("portal", 1h - 1min));
  h.observe(down("portal", 1h));
  h.observe(down("portal", 1h + 1min));
  h.observe(down("portal", 2h - 1s));
  EXPECT_TRUE(h.engine().open_incidents().empty());
  h.observe(down("portal", 2h));
  EXPECT_TRUE(h.engine().open_incidents().empty()) << "failures inside the window do not count";
  h.observe(down("portal", 2h + 1min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(1).started_at, at(2h));
}

// Planned work may take a site down; it never puts gambling words on it.
TEST(IncidentEngineTest, HarmfulContentOpensEvenInsideAMaintenanceWindow) {
  Harness h;
  ASSERT_TRUE(h.maintenance("portal", 1h, 2h, 0min));
  h.observe(down("portal", 1h));
  h.observe(down("portal", 1h + 1min));
  h.observe(harmful("portal", 1h + 2min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(1).kind, IncidentKind::harmful_content);
  EXPECT_EQ(h.stored(1).started_at, at(1h + 2min));
  h.observe(hidden_link("news", 1h + 3min));  // no window for news: opens as always
  ASSERT_TRUE(h.maintenance("news", 1h + 4min, 2h, 1h + 4min));
  h.observe(hidden_link("portal", 1h + 5min));
  EXPECT_EQ(h.engine().open_incidents().size(), 3u);
}

TEST(IncidentEngineTest, AWindowDeclaredLaterNeitherClosesNorHidesAnOpenIncident) {
  Harness h;
  open_portal_outage(h);
  ASSERT_TRUE(h.maintenance("portal", 5min, 5h, 5min));
  h.observe(down("portal", 6min));
  EXPECT_EQ(told(h.tick(30min))["sec"], std::vector<std::string>{"step 2"});
  EXPECT_EQ(events_of(h.tick(3h), "threshold_crossed").size(), 1u);
  EXPECT_EQ(h.engine().open_incidents().count(1), 1u);
}

TEST(IncidentEngineTest, MaintenanceCannotStartInThePast) {
  Harness h;
  auto d = h.maintenance("portal", 0min, 1h, 10min);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->windows[0].from, at(10min));

  struct Bad {
    std::string target;
    Duration from, to;
    const char* message;
  };
  for (const auto& bad : {Bad{"nowhere", 1h, 2h, "no target nowhere"},
                          Bad{"portal", 2h, 1h, "a maintenance window must end after it starts"},
                          Bad{"portal", 1min, 5min, "a maintenance window cannot lie in the past"}}) {
    auto r = h.maintenance(bad.target, bad.from, bad.to, 10min);
    ASSERT_FALSE(r) << bad.message;
    EXPECT_EQ(r.error().message, bad.message);
  }
}

TEST(IncidentEngineTest, ReferenceDownRaisesOneMonitorDegradedAndSuppressesSiteDown) {
  Harness h;
  h.observe(down("gateway", 0min));
  h.observe(down("gateway", 1min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(1).kind, IncidentKind::monitor_degraded);
  EXPECT_EQ(h.stored(1).target, "gateway");

  for (Duration t : {1min, 2min, 3min}) {
    h.observe(down("portal", t));
    h.observe(down("news", t));
  }
  EXPECT_EQ(h.engine().open_incidents().size(), 1u);
  auto suppressed = h.ledger_of("suppressed");
  ASSERT_EQ(suppressed.size(), 2u);
  EXPECT_EQ(suppressed[0].incident, 1);
  EXPECT_EQ(suppressed[0].details.at("suppressed_target"), "portal");
  EXPECT_EQ(suppressed[1].details.at("suppressed_target"), "news");
  EXPECT_EQ(h.stored(1).suppressed, (std::vector<std::string>{"portal", "news"}));
  EXPECT_TRUE(events_of(h.tick(3h), "threshold_crossed").empty()) << "no threshold for the monitor itself";

  h.observe(up("gateway", 3h));
  h.observe(up("gateway", 3h + 5min));
  ASSERT_TRUE(h.engine().open_incidents().empty());
  h.observe(down("portal", 3h + 6min));
  h.observe(down("portal", 3h + 7min));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(2).kind, IncidentKind::site_down);
  EXPECT_EQ(h.stored(2).started_at, at(3h + 6min));
}

TEST(IncidentEngineTest, IdsAreMonotonicAndNeverReused) {
  Harness h;
  open_portal_outage(h);
  ASSERT_TRUE(h.resolve(1, 2min));
  h.observe(down("portal", 3min));
  h.observe(down("portal", 4min));
  EXPECT_EQ(h.engine().open_incidents().begin()->first, 2);
  ASSERT_TRUE(h.resolve(2, 5min));
  h.restart(6min);
  EXPECT_EQ(h.engine().next_id(), 3);

  Incident stale;
  stale.id = 9;
  stale.target = "news";
  IncidentEngine engine(incident_config(), EngineState{{stale}, 4, {}}, kT0);
  EXPECT_EQ(engine.next_id(), 10) << "never below an id already in use";
}

TEST(IncidentEngineTest, TlsProblemIsItsOwnIncidentWithoutAThreshold) {
  Harness h;
  Observation o = up("portal", 0min);
  o.tls_seen = o.tls_problem = true;
  o.tls_detail = "certificate expires in 5 days";
  h.observe(o);
  o.at = at(1min);
  h.observe(o);
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.stored(1).kind, IncidentKind::tls_problem);
  EXPECT_EQ(h.stored(1).detail, "certificate expires in 5 days");
  EXPECT_TRUE(events_of(h.tick(3h), "threshold_crossed").empty());
}

TEST(IncidentEngineTest, OneBreachIncidentPerInternalHostUpdatedNotRepeated) {
  Harness h;
  h.isolation(breach("10.20.1.5", 0min, 0min), 0min);
  h.isolation(breach("10.20.1.6", 1min, 1min), 1min);
  h.isolation(breach("10.20.1.5", 0min, 2min, "203.0.113.9:443/tcp, 198.51.100.7:22/tcp"), 2min);
  ASSERT_EQ(h.engine().open_incidents().size(), 2u) << "one per host, never one per report";
  const Incident& first = h.stored(1);
  EXPECT_EQ(first.kind, IncidentKind::isolation_breach);
  EXPECT_EQ(first.target, "lan");
  EXPECT_EQ(first.subject, "10.20.1.5");
  EXPECT_EQ(first.started_at, at(0min));
  EXPECT_EQ(first.last_seen, at(2min));
  EXPECT_EQ(first.detail, "203.0.113.9:443/tcp, 198.51.100.7:22/tcp");
  EXPECT_EQ(first.evidence, "/evidence/10.20.1.5.pcap");
  EXPECT_EQ(first.severity, Severity::significant);
  EXPECT_EQ(h.ledger_of("opened").size(), 2u);
  EXPECT_EQ(h.ledger_of("opened")[0].details.at("host"), "10.20.1.5");
}

TEST(IncidentEngineTest, ABreachResolvesAfterItsHostIsQuietForTheQuietPeriod) {
  Harness h;
  h.isolation(breach("10.20.1.5", 0min, 3min), 3min);
  h.tick(12min);
  EXPECT_EQ(h.engine().open_incidents().size(), 1u) << "9 minutes quiet is not yet 10";
  h.restart(12min);  // the last packet's time survives a restart
  h.tick(13min);
  ASSERT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(h.stored(1).resolved_at, at(3min)) << "it ended with its last packet";
  EXPECT_EQ(h.ledger_of("resolved")[0].details.at("how"), "quiet");

  // New traffic later is a new incident.
  h.isolation(breach("10.20.1.5", 20min, 20min), 20min);
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  EXPECT_EQ(h.engine().open_incidents().begin()->first, 2);
}

TEST(IncidentEngineTest, ALongBreachEscalatesLikeAnOutage) {
  Harness h;
  for (Duration t = 0min; t <= 3h; t += 5min) h.isolation(breach("10.20.1.5", 0min, t), t);
  EXPECT_EQ(h.ledger_of("threshold_crossed").size(), 1u);
  EXPECT_EQ(h.ledger_of("step_fired").size(), 3u);  // 0, 30m, 2h
}

TEST(IncidentEngineTest, MustNotReachOpensOnAReachAndResolvesAfterHealthyRounds) {
  Harness h;
  h.isolation(reach_round(false, 0min), 0min);
  h.isolation(reach_round(true, 5min), 5min);
  ASSERT_EQ(h.engine().open_incidents().size(), 1u) << "a connection that went through is proof enough";
  h.isolation(reach_round(true, 10min), 10min);
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  const Incident& i = h.engine().open_incidents().begin()->second;
  EXPECT_EQ(i.started_at, at(5min));
  EXPECT_EQ(i.detail, "connected to 1.1.1.1:53");
  h.isolation(reach_round(false, 15min), 15min);
  h.isolation(reach_round(false, 20min), 20min);
  EXPECT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(h.stored(1).resolved_at, at(15min));
}

TEST(IncidentEngineTest, UnknownIsolationWatchesAreIgnored) {
  Harness h;
  IsolationObservation stray = breach("10.0.0.1", 0min, 0min);
  stray.watch = "nope";
  EXPECT_TRUE(h.isolation(stray, 0min).empty());
}

// A crawl of the portal at `offset` that found a gambling word on each of `pages`.
CrawlReport crawl_report(Duration offset, bool complete, const std::vector<std::string>& pages) {
  CrawlReport r;
  r.target = "portal";
  r.at = at(offset);
  r.complete = complete;
  for (const std::string& page : pages) {
    r.harmful.push_back({"博彩", "gambling", "", "text", "…博彩…", 1, page});
  }
  return r;
}

TEST(IncidentEngineTest, ACrawlsFindingsAreOneIncidentPerKindListingThePagesAndOnlyACompleteCleanCrawlResolvesIt) {
  Harness h;
  auto opened = h.crawl(crawl_report(0min, false, {"http://portal.example/news/1.html"}));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u);
  const Incident& i = h.stored(1);
  EXPECT_EQ(i.kind, IncidentKind::harmful_content);
  EXPECT_EQ(i.subject, kCrawlSubject);
  EXPECT_EQ(i.detail, "博彩 (gambling) on http://portal.example/news/1.html");
  EXPECT_EQ(events_of(opened, "top_notified").size(), 1u) << "harmful words go to the top, wherever they are";

  h.crawl(crawl_report(10min, false, {"http://portal.example/news/1.html", "http://portal.example/a/2.html"}));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u) << "a second page is the same incident";
  EXPECT_EQ(h.stored(1).detail,
            "博彩 (gambling) on http://portal.example/news/1.html, 博彩 (gambling) on http://portal.example/a/2.html");

  h.observe(up("portal", 20min));
  h.observe(up("portal", 40min));
  EXPECT_EQ(h.engine().open_incidents().size(), 1u) << "the watched page being clean says nothing of the others";
  h.crawl(crawl_report(50min, false, {}));
  EXPECT_EQ(h.engine().open_incidents().size(), 1u) << "a crawl not yet complete has not seen every page";
  h.crawl(crawl_report(60min, true, {}));
  EXPECT_TRUE(h.engine().open_incidents().empty());
  EXPECT_EQ(h.stored(1).resolved_at, at(60min));
}

TEST(IncidentEngineTest, ACrawlAndTheWatchedPageHaveIncidentsOfTheirOwn) {
  Harness h;
  h.observe(harmful("portal", 0min));
  h.crawl(crawl_report(1min, true, {"http://portal.example/news/1.html"}));
  ASSERT_EQ(h.engine().open_incidents().size(), 2u);
  EXPECT_EQ(h.stored(1).subject, "");
  EXPECT_EQ(h.stored(2).subject, kCrawlSubject);
  h.crawl(crawl_report(2min, true, {}));
  ASSERT_EQ(h.engine().open_incidents().size(), 1u) << "the crawl's clean end closes only its own";
  EXPECT_TRUE(h.engine().open_incidents().contains(1));
}

}  // namespace
}  // namespace netwarden
