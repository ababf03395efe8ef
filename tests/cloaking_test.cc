// Judging a cloaking round: what a crawler, search visitor or phone is shown
// beyond the plain page, and which variants the site refused.
#include "daemon/core/cloaking.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

WebTarget portal() {
  WebTarget t;
  t.id = "portal";
  t.name = "学校门户";
  t.url = "https://www.example.edu.cn/";
  t.allowed_hosts = {"cdn.example.com"};
  return t;
}

FetchResult page(std::string final_url = "https://www.example.edu.cn/", int redirects = 0) {
  FetchResult f;
  f.status = 200;
  f.final_url = std::move(final_url);
  f.redirects = redirects;
  return f;
}

VariantCheck variant(std::string name, ContentDigest digest, FetchResult fetch = page()) {
  return VariantCheck{std::move(name), std::move(fetch), std::move(digest)};
}

std::vector<std::string> names(const std::vector<CloakingVariant>& variants) {
  std::vector<std::string> out;
  for (const CloakingVariant& v : variants) out.push_back(v.name);
  return out;
}

TEST(CloakingTest, TheVariantsAreTheCrawlersASearchVisitorAndAPhone) {
  const std::vector<CloakingVariant> v = cloaking_variants(portal());
  EXPECT_EQ(names(v), (std::vector<std::string>{"Baiduspider", "Sogou web spider", "360Spider", "Bytespider",
                                                "a visitor from a Baidu search", "a mobile browser"}));
  ASSERT_EQ(v.size(), 6u);
  EXPECT_NE(v[0].user_agent.find("Baiduspider"), std::string::npos);
  EXPECT_NE(v[1].user_agent.find("Sogou web spider"), std::string::npos);
  EXPECT_NE(v[2].user_agent.find("360Spider"), std::string::npos);
  EXPECT_NE(v[3].user_agent.find("Bytespider"), std::string::npos);
  EXPECT_EQ(v[4].referer, "https://www.baidu.com/s?wd=%E5%AD%A6%E6%A0%A1%E9%97%A8%E6%88%B7");
  EXPECT_NE(v[5].user_agent.find("iPhone"), std::string::npos);
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(v[i].referer.empty(), i != 4) << v[i].name;
  }
}

TEST(CloakingTest, TheVariantsFollowTheTargetsConfig) {
  WebTarget t = portal();
  t.cloaking_crawlers = {{"Yisouspider", "YisouSpider/5.0"}, {"Baiduspider", "Baiduspider/2.0"}};
  t.cloaking_mobile_agent = "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36";
  const std::vector<CloakingVariant> v = cloaking_variants(t);
  EXPECT_EQ(names(v), (std::vector<std::string>{"Yisouspider", "Baiduspider", "a visitor from a Baidu search",
                                                "a mobile browser"}));
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].user_agent, "YisouSpider/5.0");
  EXPECT_EQ(v[1].user_agent, "Baiduspider/2.0");
  EXPECT_EQ(v[3].user_agent, "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36");

  // No crawlers and no phone: the search visitor is always fetched.
  t.cloaking_crawlers.clear();
  t.cloaking_mobile_agent.clear();
  EXPECT_EQ(names(cloaking_variants(t)), std::vector<std::string>{"a visitor from a Baidu search"});
}

TEST(CloakingTest, WhatOnlyACrawlerSeesIsTheDifference) {
  ContentDigest plain;
  plain.harmful_found = {"rumour"};
  plain.hidden_links = {{"http://old.example/", "display:none"}};
  ContentDigest same = plain;
  ContentDigest spam = plain;
  spam.harmful_found = {"rumour", "博彩"};
  spam.hidden_links.push_back({"http://bet.example/", "font-size:0"});
  spam.foreign_code = {{"http://evil.example/x.js", "host evil.example not allowed"}};
  CloakingVerdict v =
      judge_cloaking(portal(), page(), plain, {variant("Baiduspider", same), variant("Bytespider", spam)});
  EXPECT_EQ(v.shown.variant, "Bytespider");
  EXPECT_EQ(v.difference,
            "harmful keywords 博彩, hidden links http://bet.example/, foreign code http://evil.example/x.js");
  EXPECT_TRUE(v.keyword);
  EXPECT_TRUE(v.refused.empty());

  CloakingVerdict clean = judge_cloaking(portal(), page(), plain, {variant("Baiduspider", same)});
  EXPECT_EQ(clean.shown.variant, "");
  EXPECT_FALSE(clean.keyword);
}

TEST(CloakingTest, AHiddenLinkWithAKeywordInItsTextCarriesTheKeyword) {
  ContentDigest plain;
  ContentDigest spam;
  spam.hidden_links = {{"http://bet.example/", "display:none, text \"澳门博彩\""}};
  spam.harmful_found = {"博彩"};
  plain.harmful_found = {"博彩"};  // the word is on the plain page too: only the link is new
  CloakingVerdict v = judge_cloaking(portal(), page(), plain, {variant("360Spider", spam)});
  EXPECT_EQ(v.difference, "hidden links http://bet.example/");
  EXPECT_TRUE(v.keyword);
}

TEST(CloakingTest, ARedirectCountsOnlyWhenItLeavesTheSite) {
  ContentDigest plain;
  CloakingVerdict away = judge_cloaking(
      portal(), page(), plain, {variant("a visitor from a Baidu search", plain, page("https://bet.example/x", 1))});
  EXPECT_EQ(away.shown.variant, "a visitor from a Baidu search");
  EXPECT_EQ(away.difference, "a redirect to https://bet.example/x");
  EXPECT_FALSE(away.keyword);

  CloakingVerdict mobile_site = judge_cloaking(
      portal(), page(), plain, {variant("a mobile browser", plain, page("https://m.example.edu.cn/", 1))});
  EXPECT_EQ(mobile_site.shown.variant, "") << "www.x and m.x are one site";
  CloakingVerdict allowed = judge_cloaking(portal(), page(), plain,
                                           {variant("a mobile browser", plain, page("https://a.cdn.example.com/", 1))});
  EXPECT_EQ(allowed.shown.variant, "");
}

TEST(CloakingTest, RefusedVariantsAreListedNotCounted) {
  ContentDigest plain;
  FetchResult forbidden = page();
  forbidden.status = 403;
  FetchResult timeout;
  timeout.failure = FetchFailure::timeout;
  CloakingVerdict v = judge_cloaking(
      portal(), page(), plain,
      {VariantCheck{"Baiduspider", forbidden, std::nullopt}, VariantCheck{"Sogou web spider", timeout, std::nullopt}});
  EXPECT_EQ(v.shown.variant, "");
  EXPECT_EQ(v.refused, (std::vector<std::string>{"Baiduspider: HTTP 403", "Sogou web spider: timeout"}));
}

}  // namespace
}  // namespace netwarden
