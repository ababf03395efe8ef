// The office hears of a failing store around the outbox (which lives in
// that store): through the configured transport, else as .eml files in the
// fallback spool.
#include "daemon/notifier/alarm/office_alarm.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/store/write_health.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

namespace fs = std::filesystem;

Config office_config(const std::string& spool_dir) {
  Config c;
  c.people["wang"] = Person{"wang", "王芳", "wang.fang@example.edu.cn", "zh+en", "", {"email"}};
  c.people["li"] = Person{"li", "李雷", "li.lei@example.edu.cn", "zh+en", "", {"email"}};
  c.people["nomail"] = Person{"nomail", "No Mail", "", "zh+en", "", {"email"}};
  c.institution.office = {"wang", "li", "nomail"};
  c.mail.from = "netwarden@example.edu.cn";
  c.mail.message_id_domain = "example.edu.cn";
  c.mail.transport = "spool";
  c.mail.spool_dir = spool_dir;
  c.daemon.state_dir = "/var/lib/netwarden";
  return c;
}

std::vector<std::string> eml_files(const std::string& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

const WriteFailure kFailure{from_unix_ms(1'796'205'600'000), "database or disk is full", "incident decisions"};

TEST(OfficeAlarmTest, OneMessagePerOfficePersonWithAnAddress) {
  auto messages = store_failing_messages(office_config("/unused"), kFailure, "monitor1");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].to.address, "wang.fang@example.edu.cn");
  EXPECT_EQ(messages[1].to.address, "li.lei@example.edu.cn");
  EXPECT_NE(messages[0].subject.find("STORE FAILING"), std::string::npos);
  EXPECT_NE(messages[0].body.find("database or disk is full"), std::string::npos);
  EXPECT_NE(messages[0].body.find("monitor1"), std::string::npos);
  EXPECT_NE(messages[0].message_id, messages[1].message_id);
}

TEST(OfficeAlarmTest, UsesTheConfiguredTransport) {
  test::TempDir dir;
  const Config config = office_config(dir.file("spool"));
  {
    OfficeAlarm alarm(config, dir.file("fallback"));
    alarm.alarm(kFailure);
  }  // waits for the attempt
  EXPECT_EQ(eml_files(dir.file("spool")).size(), 2u);
  EXPECT_TRUE(eml_files(dir.file("fallback")).empty());
}

TEST(OfficeAlarmTest, FallsBackToTheRuntimeSpoolWhenTheTransportFails) {
  test::TempDir dir;
  std::ofstream(dir.file("not-a-directory")) << "x";
  // The configured spool lies under a plain file: it cannot be created, as
  // a spool on a full or broken disk cannot be written.
  const Config config = office_config(dir.file("not-a-directory") + "/spool");
  {
    OfficeAlarm alarm(config, dir.file("fallback"));
    alarm.alarm(kFailure);
  }
  auto files = eml_files(dir.file("fallback"));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_NE(files[0].find("X-Netwarden-Alarm: store-failing"), std::string::npos);
}

}  // namespace
}  // namespace netwarden
