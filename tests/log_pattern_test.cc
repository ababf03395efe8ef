// netwardend's log lines: a syslog priority prefix for journald on every
// line not bound for a terminal, no timestamp of our own in the journal.
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <regex>
#include <sstream>

#include "daemon/log_pattern.h"

namespace netwarden {
namespace {

// One line per level, trace to critical, as `destination` shows them.
std::vector<std::string> lines_for(LogDestination destination) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  spdlog::logger logger("test", sink);
  logger.set_level(spdlog::level::trace);
  set_log_pattern(logger, destination);
  logger.trace("t");
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  logger.critical("c");
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LogPattern, JournalLinesCarryThePriorityAndNoTimestamp) {
  EXPECT_EQ(lines_for(LogDestination::journal),
            (std::vector<std::string>{"<7>trace t", "<7>debug d", "<6>info i", "<4>warning w", "<3>error e",
                                      "<2>critical c"}));
}

TEST(LogPattern, FileLinesCarryThePriorityThenTheTimestamp) {
  const std::vector<std::string> lines = lines_for(LogDestination::file);
  const std::vector<std::string> expected = {"<7>\\S+ \\S+ trace t", "<7>\\S+ \\S+ debug d",
                                             "<6>\\S+ \\S+ info i",  "<4>\\S+ \\S+ warning w",
                                             "<3>\\S+ \\S+ error e", "<2>\\S+ \\S+ critical c"};
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_TRUE(std::regex_match(lines[i], std::regex(expected[i]))) << lines[i];
    EXPECT_TRUE(std::regex_search(lines[i], std::regex(R"(^<\d>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} )"))) << lines[i];
  }
}

TEST(LogPattern, TerminalLinesHaveNoPrefix) {
  for (const std::string& line : lines_for(LogDestination::terminal)) {
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \w+ \w$)"))) << line;
  }
}

TEST(LogPattern, JournalStreamMustNameThisVeryStream) {
  EXPECT_TRUE(is_journal_stream("8:1234", 8, 1234));
  EXPECT_FALSE(is_journal_stream("8:1235", 8, 1234));  // inherited from a service, stderr elsewhere
  EXPECT_FALSE(is_journal_stream("9:1234", 8, 1234));
  EXPECT_FALSE(is_journal_stream(nullptr, 8, 1234));
  EXPECT_FALSE(is_journal_stream("", 8, 1234));
  EXPECT_FALSE(is_journal_stream("8:1234x", 8, 1234));
  EXPECT_FALSE(is_journal_stream("8", 8, 1234));
}

}  // namespace
}  // namespace netwarden
