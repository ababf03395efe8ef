#include "daemon/store/crawl_pages.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "daemon/store/store.h"
#include "tests/support/open_store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using test::open_store;
using test::TempDir;

CrawlSaved load(Store& store, const std::string& target) {
  auto saved = load_crawl(store, target);
  EXPECT_TRUE(saved) << saved.error().message;
  return saved ? std::move(*saved) : CrawlSaved{};
}

CrawlPageRow page(const std::string& target, const std::string& url, std::int64_t depth) {
  CrawlPageRow p;
  p.target = target;
  p.url = url;
  p.depth = depth;
  p.found_run = 3;
  p.fetched_run = 2;
  p.etag = "\"5f3a-1b\"";
  p.last_modified = "Wed, 01 May 2024 08:00:00 GMT";
  p.text_sha256 = "sha-" + url;
  p.outcome = "200";
  p.evidence = "{}";
  return p;
}

auto fields(const CrawlPageRow& p) {
  return std::tie(p.target, p.url, p.depth, p.found_run, p.fetched_run, p.etag, p.last_modified, p.text_sha256,
                  p.outcome, p.evidence);
}

auto fields(const CrawlRunRow& r) {
  return std::tie(r.target, r.run, r.started_at, r.finished_at, r.last_complete_at, r.last_complete_pages);
}

std::vector<std::string> urls(const CrawlSaved& saved) {
  std::vector<std::string> out;
  for (const CrawlPageRow& p : saved.pages) out.push_back(p.url);
  return out;
}

TEST(CrawlStoreTest, NothingSavedLoadsEmpty) {
  TempDir dir;
  auto store = open_store(dir.file("state.db"));
  ASSERT_TRUE(store);
  const CrawlSaved saved = load(*store, "portal");
  EXPECT_FALSE(saved.run);
  EXPECT_TRUE(saved.pages.empty());
}

TEST(CrawlStoreTest, RunAndPagesSurviveReopening) {
  TempDir dir;
  const std::string path = dir.file("state.db");
  CrawlRunRow run{"portal", 7, from_unix_ms(1714550400000), from_unix_ms(1714554000123), from_unix_ms(1714554000123),
                  1234};
  CrawlPageRow p = page("portal", "https://www.example.edu.cn/news/1.html", 2);
  p.evidence = R"({"harmful":[{"keyword":"赌博"}]})";
  p.outcome = "not inspected: scanned PDF (no text layer)";
  {
    auto store = open_store(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(put_crawl_run(*store, run));
    ASSERT_TRUE(put_crawl_page(*store, p));
  }
  auto store = open_store(path);
  ASSERT_TRUE(store);
  const CrawlSaved saved = load(*store, "portal");
  ASSERT_TRUE(saved.run);
  EXPECT_EQ(fields(*saved.run), fields(run));
  ASSERT_EQ(saved.pages.size(), 1u);
  EXPECT_EQ(fields(saved.pages[0]), fields(p));
}

TEST(CrawlStoreTest, RunWhileItRunsHasNoFinishOrLastComplete) {
  TempDir dir;
  auto store = open_store(dir.file("state.db"));
  ASSERT_TRUE(store);
  const CrawlRunRow first{"portal", 1, from_unix_ms(1000), std::nullopt, std::nullopt, 0};
  ASSERT_TRUE(put_crawl_run(*store, first));
  CrawlSaved saved = load(*store, "portal");
  ASSERT_TRUE(saved.run);
  EXPECT_EQ(fields(*saved.run), fields(first));
  EXPECT_FALSE(saved.run->finished_at);
  EXPECT_FALSE(saved.run->last_complete_at);

  // The next crawl replaces the row: running again, the last complete one remembered.
  const CrawlRunRow second{"portal", 2, from_unix_ms(5000), std::nullopt, from_unix_ms(4000), 42};
  ASSERT_TRUE(put_crawl_run(*store, second));
  saved = load(*store, "portal");
  ASSERT_TRUE(saved.run);
  EXPECT_EQ(fields(*saved.run), fields(second));
  EXPECT_EQ(saved.run->last_complete_at, from_unix_ms(4000));
}

TEST(CrawlStoreTest, SameUrlReplaced) {
  TempDir dir;
  auto store = open_store(dir.file("state.db"));
  ASSERT_TRUE(store);
  CrawlPageRow p = page("portal", "https://www.example.edu.cn/a", 1);
  ASSERT_TRUE(put_crawl_page(*store, p));
  p.depth = 0;
  p.fetched_run = 3;
  p.outcome = "304";
  p.etag = "";
  ASSERT_TRUE(put_crawl_page(*store, p));
  const CrawlSaved saved = load(*store, "portal");
  ASSERT_EQ(saved.pages.size(), 1u);
  EXPECT_EQ(fields(saved.pages[0]), fields(p));
}

TEST(CrawlStoreTest, PagesByDepthThenUrl) {
  TempDir dir;
  auto store = open_store(dir.file("state.db"));
  ASSERT_TRUE(store);
  for (const auto& [url, depth] : std::vector<std::pair<std::string, std::int64_t>>{
           {"https://www.example.edu.cn/z", 1},
           {"https://www.example.edu.cn/b", 2},
           {"https://www.example.edu.cn/", 0},
           {"https://www.example.edu.cn/a", 2},
           {"https://www.example.edu.cn/m", 1},
           {"https://www.example.edu.cn/c", 10},
       }) {
    ASSERT_TRUE(put_crawl_page(*store, page("portal", url, depth)));
  }
  // 10 after 2: depth compares as a number.
  EXPECT_EQ(urls(load(*store, "portal")),
            (std::vector<std::string>{"https://www.example.edu.cn/", "https://www.example.edu.cn/m",
                                      "https://www.example.edu.cn/z", "https://www.example.edu.cn/a",
                                      "https://www.example.edu.cn/b", "https://www.example.edu.cn/c"}));
}

TEST(CrawlStoreTest, ForgetRemovesThatPageOnly) {
  TempDir dir;
  auto store = open_store(dir.file("state.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(put_crawl_page(*store, page("portal", "https://www.example.edu.cn/a", 1)));
  ASSERT_TRUE(put_crawl_page(*store, page("portal", "https://www.example.edu.cn/b", 1)));
  ASSERT_TRUE(put_crawl_page(*store, page("library", "https://www.example.edu.cn/a", 1)));
  ASSERT_TRUE(forget_crawl_page(*store, "portal", "https://www.example.edu.cn/a"));
  EXPECT_EQ(urls(load(*store, "portal")), std::vector<std::string>{"https://www.example.edu.cn/b"});
  // The same URL under another target is that target's.
  EXPECT_EQ(urls(load(*store, "library")), std::vector<std::string>{"https://www.example.edu.cn/a"});
  // Forgetting what is not there is no error.
  EXPECT_TRUE(forget_crawl_page(*store, "portal", "https://www.example.edu.cn/never"));
  EXPECT_EQ(load(*store, "portal").pages.size(), 1u);
}

TEST(CrawlStoreTest, TargetsKeptApart) {
  TempDir dir;
  auto store = open_store(dir.file("state.db"));
  ASSERT_TRUE(store);
  const CrawlRunRow portal{"portal", 4, from_unix_ms(100), from_unix_ms(200), from_unix_ms(200), 10};
  const CrawlRunRow library{"library", 1, from_unix_ms(300), std::nullopt, std::nullopt, 0};
  ASSERT_TRUE(put_crawl_run(*store, portal));
  ASSERT_TRUE(put_crawl_run(*store, library));
  ASSERT_TRUE(put_crawl_page(*store, page("portal", "https://www.example.edu.cn/p", 0)));
  ASSERT_TRUE(put_crawl_page(*store, page("library", "https://lib.example.edu.cn/l", 0)));

  const CrawlRunRow portal_next{"portal", 5, from_unix_ms(400), std::nullopt, from_unix_ms(200), 10};
  ASSERT_TRUE(put_crawl_run(*store, portal_next));
  ASSERT_TRUE(put_crawl_page(*store, page("portal", "https://www.example.edu.cn/q", 1)));

  const CrawlSaved saved = load(*store, "library");
  ASSERT_TRUE(saved.run);
  EXPECT_EQ(fields(*saved.run), fields(library));
  ASSERT_EQ(saved.pages.size(), 1u);
  EXPECT_EQ(fields(saved.pages[0]), fields(page("library", "https://lib.example.edu.cn/l", 0)));
  EXPECT_EQ(urls(load(*store, "portal")),
            (std::vector<std::string>{"https://www.example.edu.cn/p", "https://www.example.edu.cn/q"}));
  EXPECT_FALSE(load(*store, "other").run);
}

}  // namespace
}  // namespace netwarden
