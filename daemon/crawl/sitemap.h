// A site's sitemap.xml (sitemaps.org protocol): the pages it lists, or for
// a sitemap index the sitemaps it lists. Read with libxml2 without network
// access, DTDs or entity expansion; bounded; anything that is not a
// sitemap reads as an empty one (a site without one answers 404 or an HTML
// page).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace netwarden {

struct Sitemap {
  std::vector<std::string> pages;     // <urlset><url><loc>
  std::vector<std::string> sitemaps;  // <sitemapindex><sitemap><loc>
};

inline constexpr std::size_t kMaxSitemapEntries = 50000;  // the protocol's own limit per file

Sitemap read_sitemap(std::string_view body);

}  // namespace netwarden
