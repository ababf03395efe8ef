// short_diff on whole pages: the diff must find small injections however long
// the page is around them.
#include <gtest/gtest.h>

#include <string>

#include "daemon/notifier/message/text_diff.h"

namespace netwarden {
namespace {

// About 4,000 characters of ordinary Chinese page text, every sentence
// slightly different so the diff has to align them.
std::string campus_page() {
  std::string page;
  for (int i = 0; page.size() < 4000 * 3; ++i) {
    page += "第" + std::to_string(i) + "条 信息中心发布通知，请各单位按时提交材料。";
  }
  return page;
}

TEST(TextDiffTest, SpamAtTopAndBottomOfALongPageAreTwoInsertions) {
  const std::string page = campus_page();
  const std::string spam = "澳门赌场 在线博彩 bet365 ";
  const std::string after = spam + page + " 六合彩 开奖结果";
  ShortDiff d = short_diff(page, after);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.omitted, 0u);
  EXPECT_TRUE(d.lines[0].added);
  EXPECT_EQ(d.lines[0].text, "澳门赌场 在线博彩 bet365");
  EXPECT_TRUE(d.lines[1].added);
  EXPECT_EQ(d.lines[1].text, "六合彩 开奖结果");
}

TEST(TextDiffTest, ARemovalAndAnInsertionFarApartAreSeparateHunks) {
  const std::string page = campus_page();
  std::string after = page;
  const std::string removed = "第10条 信息中心发布通知，请各单位按时提交材料。";
  after.erase(after.find(removed), removed.size());
  after.insert(after.find("第150条"), "本站已被黑 ");
  ShortDiff d = short_diff(page, after);
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_FALSE(d.lines[0].added);
  // Where a repeated token ("第") goes is the diff's choice; the sentence is the point.
  EXPECT_NE(d.lines[0].text.find("10条 信息中心发布通知，请各单位按时提交材料。"), std::string::npos);
  EXPECT_TRUE(d.lines[1].added);
  EXPECT_EQ(d.lines[1].text, "本站已被黑");
}

TEST(TextDiffTest, ReplacingEverythingIsOneRemovalAndOneInsertion) {
  ShortDiff d = short_diff("欢迎访问", "黑客到此一游");
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[0].text, "欢迎访问");
  EXPECT_EQ(d.lines[1].text, "黑客到此一游");
  EXPECT_TRUE(short_diff("", "").lines.empty());
  ShortDiff from_nothing = short_diff("", "新页面");
  ASSERT_EQ(from_nothing.lines.size(), 1u);
  EXPECT_TRUE(from_nothing.lines[0].added);
}

}  // namespace
}  // namespace netwarden
