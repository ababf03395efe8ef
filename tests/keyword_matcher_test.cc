#include "probes/content/keyword_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
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

TEST(KeywordMatcherTest, OverlappingKeywordsAllFound) {
  auto m = KeywordMatcher::from_list({"he", "she", "his", "hers"});
  EXPECT_EQ(m->find("ushers"), (Keywords{"he", "hers", "she"}));
  EXPECT_EQ(m->find("this is his"), (Keywords{"his"}));
  EXPECT_EQ(m->find("nothing"), Keywords{});
  EXPECT_EQ(m->size(), 4u);
}

TEST(KeywordMatcherTest, AsciiCaseInsensitiveAndReportedAsWritten) {
  auto m = KeywordMatcher::from_list({"Casino", "poker"});
  EXPECT_EQ(m->find("Online CASINO and PoKeR"), (Keywords{"Casino", "poker"}));
}

TEST(KeywordMatcherTest, ChineseKeywordsAndEachReportedOnce) {
  auto m = KeywordMatcher::from_list({"赌博", "博彩", "彩票"});
  EXPECT_EQ(m->find("网上博彩，博彩公司，赌博"), (Keywords{"博彩", "赌博"}));
  // Shares bytes with a keyword but is a different character sequence.
  EXPECT_EQ(m->find("赌场 博物馆"), Keywords{});
}

TEST(KeywordMatcherTest, KeywordAtEveryOffsetAndLength) {
  auto m = KeywordMatcher::from_list({"she"});
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
  auto m = KeywordMatcher::from_list({"abc", "abc", "", "b"});
  EXPECT_EQ(m->size(), 2u);
  EXPECT_EQ(m->find("xabcx"), (Keywords{"abc", "b"}));
}

TEST(KeywordMatcherTest, EmptyListFindsNothing) {
  auto m = KeywordMatcher::from_list({});
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
  auto m = KeywordMatcher::from_list(list);
  for (int round = 0; round < 20; ++round) {
    const std::string text = random_word(200, 2000);
    ASSERT_EQ(m->find(text), naive_find(list, text)) << "text: " << text;
  }
}

TEST(KeywordMatcherTest, LoadFileSkipsCommentsBlanksAndTrims) {
  TempFile file("\xEF\xBB\xBF# harmful words\n\n  赌博  \r\nCasino\n\t# indented comment\n");
  auto m = KeywordMatcher::load_file(file.path());
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ((*m)->size(), 2u);
  EXPECT_EQ((*m)->find("赌博 casino # harmful"), (Keywords{"Casino", "赌博"}));
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

}  // namespace
}  // namespace netwarden
