#include "probes/content/keyword_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace netwarden {
namespace {

using Keywords = std::vector<std::string>;

// Every keyword occurring in text, by brute force.
Keywords naive_find(const Keywords& list, std::string text) {
  const auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return s;
  };
  text = lower(text);
  std::set<std::string> found;
  for (const std::string& k : list) {
    if (!k.empty() && text.find(lower(k)) != std::string::npos) found.insert(k);
  }
  return {found.begin(), found.end()};
}

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    path_ = std::filesystem::temp_directory_path() /
            ("keyword_matcher_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) + ".txt");
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::shared_ptr<const KeywordMatcher> parsed(std::string_view content) {
  auto m = KeywordMatcher::parse(content, "harmful.txt");
  EXPECT_TRUE(m) << m.error().message;
  return m ? *m : KeywordMatcher::from_list({}).value();
}

std::vector<KeywordHit> scan_text(const KeywordMatcher& m, std::string_view text) {
  const PageText page[] = {{"text", text}};
  return m.scan(page);
}

TEST(KeywordMatcherTest, OverlappingKeywordsAllFound) {
  auto m = KeywordMatcher::from_list({"he", "she", "his", "hers"}).value();
  EXPECT_EQ(m->find("ushers"), (Keywords{"he", "hers", "she"}));
  EXPECT_EQ(m->find("this is his"), (Keywords{"his"}));
  EXPECT_EQ(m->find("nothing"), Keywords{});
  EXPECT_EQ(m->size(), 4u);
}

TEST(KeywordMatcherTest, AsciiCaseInsensitiveAndReportedAsWritten) {
  auto m = KeywordMatcher::from_list({"Casino", "poker"}).value();
  EXPECT_EQ(m->find("Online CASINO and PoKeR"), (Keywords{"Casino", "poker"}));
}

TEST(KeywordMatcherTest, ChineseKeywordsAndEachReportedOnce) {
  auto m = KeywordMatcher::from_list({"赌博", "博彩", "彩票"}).value();
  EXPECT_EQ(m->find("网上博彩，博彩公司，赌博"), (Keywords{"博彩", "赌博"}));
  // Shares bytes with a keyword but is a different character sequence.
  EXPECT_EQ(m->find("赌场 博物馆"), Keywords{});
}

TEST(KeywordMatcherTest, KeywordAtEveryOffsetAndLength) {
  auto m = KeywordMatcher::from_list({"she"}).value();
  for (std::size_t filler = 0; filler < 20; ++filler) {
    for (bool with_keyword : {false, true}) {
      const std::string content = std::string(filler, 'x') + (with_keyword ? "she" : "");
      // An exact-size heap copy, so that reading one byte past the text is
      // caught by AddressSanitizer.
      auto exact = std::make_unique<char[]>(content.size());
      std::copy(content.begin(), content.end(), exact.get());
      EXPECT_EQ(m->find(std::string_view(exact.get(), content.size())), with_keyword ? Keywords{"she"} : Keywords{})
          << content;
    }
  }
}

TEST(KeywordMatcherTest, DuplicatesAndEmptyEntriesIgnored) {
  auto m = KeywordMatcher::from_list({"abc", "abc", "", "b"}).value();
  EXPECT_EQ(m->size(), 2u);
  EXPECT_EQ(m->find("xabcx"), (Keywords{"abc", "b"}));
}

TEST(KeywordMatcherTest, EmptyListFindsNothing) {
  auto m = KeywordMatcher::from_list({}).value();
  EXPECT_EQ(m->size(), 0u);
  EXPECT_EQ(m->find("anything at all"), Keywords{});
}

TEST(KeywordMatcherTest, TenThousandKeywordsAgreeWithBruteForce) {
  std::mt19937 rng(42);
  const std::vector<std::string> alphabet = {"a", "b", "c", "赌", "博", "彩", "网", "X"};
  auto random_word = [&](std::size_t min_length, std::size_t max_length) {
    std::string w;
    const std::size_t length = std::uniform_int_distribution<std::size_t>(min_length, max_length)(rng);
    for (std::size_t i = 0; i < length; ++i) w += alphabet[rng() % alphabet.size()];
    return w;
  };
  Keywords list;
  for (int i = 0; i < 10000; ++i) list.push_back(random_word(3, 8));
  auto m = KeywordMatcher::from_list(list).value();
  for (int round = 0; round < 20; ++round) {
    const std::string text = random_word(200, 2000);
    ASSERT_EQ(m->find(text), naive_find(list, text)) << "text: " << text;
  }
}

// Scans on several threads at once each borrow their own scratch space.
TEST(KeywordMatcherTest, ConcurrentScansAgree) {
  auto m = KeywordMatcher::from_list({"赌博", "casino", "博彩"}).value();
  const std::string text = "网上赌博 online casino 博彩 " + std::string(5000, 'x') + " 赌博";
  const Keywords expected{"casino", "博彩", "赌博"};
  std::vector<std::thread> threads;
  std::vector<int> agreed(4);
  for (std::size_t t = 0; t < agreed.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) agreed[t] += m->find(text) == expected ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(agreed, std::vector<int>(4, 200));
}

TEST(KeywordMatcherTest, LoadFileSkipsCommentsBlanksAndTrims) {
  TempFile file("\xEF\xBB\xBF# harmful words\n\n  赌博  \r\nCasino\n\t# indented comment\n");
  auto m = KeywordMatcher::load_file(file.path());
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ((*m)->size(), 2u);
  EXPECT_EQ((*m)->find("赌博 casino # harmful"), (Keywords{"Casino", "赌博"}));
}

// The list the package installs as /etc/netwarden/harmful_keywords.txt.
TEST(KeywordMatcherTest, ShippedListLoadsWithItsCategories) {
  const char* source = std::getenv("NETWARDEN_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  auto m = KeywordMatcher::load_file(std::string(source) + "/config/harmful_keywords.txt");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ((*m)->find("我校开展打击网络赌博专项宣传，谨防刷单诈骗"), Keywords{});
  const auto hits = scan_text(**m, "澳門賭場 ｃａｓｉｎｏ 刷 单");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].keyword, "casino");
  EXPECT_EQ(hits[0].category, "gambling");
  EXPECT_EQ(hits[1].keyword, "刷单");
  EXPECT_EQ(hits[1].category, "fraud");
  EXPECT_EQ(hits[2].keyword, "澳门赌场");
}

TEST(KeywordMatcherTest, InvalidUtf8NamesFileAndLine) {
  TempFile file("ok\nfine\nbad \xC3\x28 byte\n");
  auto m = KeywordMatcher::load_file(file.path());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, file.path() + ":3: not valid UTF-8");
}

TEST(KeywordMatcherTest, UnreadableFileGivesOsReason) {
  auto missing = KeywordMatcher::load_file("/nonexistent/harmful.txt");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "cannot read '/nonexistent/harmful.txt': No such file or directory");
  auto directory = KeywordMatcher::load_file(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("Is a directory"), std::string::npos) << directory.error().message;
}

// Every disguise of issue 13 that folding undoes, on a list of Chinese and
// Latin keywords written in their plain form.
TEST(KeywordMatcherTest, DisguisedKeywordsFound) {
  auto m = KeywordMatcher::from_list({"赌博", "casino"}).value();
  for (const char* page : {"网上赌 博", "网上赌\u200B博", "网上赌\u200D博", "网上赌\u00AD博", "网上賭博", "网上赌.博",
                           "网上赌_博", "%E8%B5%8C%E5%8D%9A", "ｃａｓｉｎｏ", "\u0441asino", "CASINO", "ca\u00ADsino",
                           "ca\u200Bsino", "%63asino", "Сasino club"}) {
    EXPECT_FALSE(m->find(page).empty()) << page;
  }
  for (const char* page : {"赌场 博物馆", "casin o", "赌1博", "сазино"}) EXPECT_EQ(m->find(page), Keywords{}) << page;
}

// A keyword list written in traditional characters or full-width letters
// finds the plain forms too.
TEST(KeywordMatcherTest, KeywordsFoldedLikeTheText) {
  auto m = KeywordMatcher::from_list({"賭博", "ＰＯＫＥＲ"}).value();
  EXPECT_EQ(m->find("赌博 and poker"), (Keywords{"賭博", "ＰＯＫＥＲ"}));
}

TEST(KeywordMatcherTest, KeywordsThatFoldAlikeAreOne) {
  auto m = KeywordMatcher::from_list({"赌博", "賭博", "Casino", "casino"}).value();
  EXPECT_EQ(m->size(), 2u);
  EXPECT_EQ(m->find("賭博 CASINO"), (Keywords{"Casino", "赌博"}));
}

TEST(KeywordMatcherTest, CategoriesAndSeverityReported) {
  auto m = parsed(
      "# a list\n"
      "反动标语\n"
      "[gambling severity=critical]\n"
      "赌博\n"
      "[fraud]\n"
      "刷单\n");
  EXPECT_EQ(m->size(), 3u);
  const auto hits = scan_text(*m, "反动标语 网上赌博 刷单返利 赌博");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].keyword, "刷单");
  EXPECT_EQ(hits[0].category, "fraud");
  EXPECT_EQ(hits[0].severity, "");
  EXPECT_EQ(hits[1].keyword, "反动标语");
  EXPECT_EQ(hits[1].category, "");
  EXPECT_EQ(hits[2].keyword, "赌博");
  EXPECT_EQ(hits[2].category, "gambling");
  EXPECT_EQ(hits[2].severity, "critical");
  EXPECT_EQ(hits[2].count, 2);
  EXPECT_EQ(hits[2].where, "text");
}

TEST(KeywordMatcherTest, MinCountCountsTheCategoryOverAllTexts) {
  auto m = parsed("[gambling min_count=3]\n赌博\n博彩\n[other]\n刷单\n");
  EXPECT_TRUE(scan_text(*m, "赌博 博彩").empty());
  EXPECT_EQ(m->find("赌博 博彩 刷单"), Keywords{"刷单"});
  EXPECT_EQ(m->find("赌博 博彩 赌博"), (Keywords{"博彩", "赌博"}));
  const PageText page[] = {{"text", "赌博"}, {"title", "博彩"}, {"img alt", "博彩"}};
  const auto hits = m->scan(page);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].keyword, "博彩");
  EXPECT_EQ(hits[0].where, "title");
  EXPECT_EQ(hits[0].count, 2);
}

TEST(KeywordMatcherTest, ExceptionPhrasesExcuseOnlyMatchesInsideThem) {
  auto m = parsed(
      "!except 反诈宣传\n"
      "[gambling]\n"
      "赌博\n"
      "!except 打击网络赌博\n"
      "[fraud]\n"
      "诈骗\n"
      "反诈\n");
  EXPECT_EQ(m->find("学校开展打击网络赌博专项行动"), Keywords{});
  EXPECT_EQ(m->find("打击网络賭博"), Keywords{});  // the exception is folded too
  const auto hits = scan_text(*m, "打击网络赌博。另：网上赌博平台");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].count, 1);
  EXPECT_EQ(hits[0].quote, "打击网络赌博。另：网上赌博平台");
  // A file-wide exception covers every category; a category's only its own.
  EXPECT_EQ(m->find("反诈宣传月"), Keywords{});
  EXPECT_EQ(m->find("打击网络诈骗"), Keywords{"诈骗"});
}

TEST(KeywordMatcherTest, QuoteIsTheOriginalTextAroundTheFirstMatch) {
  auto m = KeywordMatcher::from_list({"casino"}).value();
  const std::string before(60, 'a');
  const auto hits = scan_text(*m, before + " Best ｃａｓｉｎｏ in town " + before);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].quote, "…aaaaaaaaaaaaaa Best ｃａｓｉｎｏ in town aaaaaaaaaaa…");
  // Invalid UTF-8 around a match comes out as U+FFFD.
  EXPECT_EQ(scan_text(*m, "\xFF casino \xC3")[0].quote, "\uFFFD casino \uFFFD");
}

TEST(KeywordMatcherTest, EscapesAndOldFilesRead) {
  auto m = parsed("\\[not a header\n\\!bang\n\\#tag\n\\\\x\n\\d\n");
  EXPECT_EQ(m->size(), 5u);
  EXPECT_EQ(m->find("[not a header] !bang #tag \\x \\d"), (Keywords{"!bang", "#tag", "[not a header", "\\d", "\\x"}));
}

TEST(KeywordMatcherTest, ErrorsNameFileAndLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"ok\n[gambling\n", "harmful.txt:2: a category header must end with ']' (write \\[ for a keyword)"},
      {"[Gambling]\n", "harmful.txt:1: category name must be of a-z, 0-9, '_' and '-'"},
      {"[]\n", "harmful.txt:1: category name must be of a-z, 0-9, '_' and '-'"},
      {"[g severity=high]\n", "harmful.txt:1: severity must be general, significant, major or critical, not 'high'"},
      {"[g min_count=0]\n", "harmful.txt:1: min_count must be a whole number from 1 to 1000000, not '0'"},
      {"[g min_count=2x]\n", "harmful.txt:1: min_count must be a whole number from 1 to 1000000, not '2x'"},
      {"[g colour=red]\n", "harmful.txt:1: unknown key 'colour' (severity, min_count)"},
      {"[g]\n\n[g]\n", "harmful.txt:3: category 'g' already declared on line 1"},
      {"!important\n", "harmful.txt:1: unknown directive (only '!except PHRASE'; write \\! for a keyword)"},
      {"!except   \n", "harmful.txt:1: !except needs a phrase"},
      {"\u200B\n", "harmful.txt:1: keyword is empty once folded (only invisible characters?)"},
      {"[a]\n赌博\n[b]\n賭博\n", "harmful.txt:4: '賭博' is also in category 'a' (line 2)"},
      {"赌博\n[b]\n赌博\n", "harmful.txt:3: '赌博' is also without a category (line 1)"},
  };
  for (const auto& [content, message] : cases) {
    auto m = KeywordMatcher::parse(content, "harmful.txt");
    ASSERT_FALSE(m) << content;
    EXPECT_EQ(m.error().message, message) << content;
  }
}

}  // namespace
}  // namespace netwarden
