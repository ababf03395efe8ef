// Which host a link in a page points at, read as leniently as browsers read
// it: a defacer's link is not well-formed just because it is a link.
#pragma once

#include <optional>
#include <string_view>

namespace netwarden::content_detail {

// The host of `url` (no user info, no port, no trailing dot), or nullopt
// for a link without one: relative references and schemes such as mailto:
// or javascript:. Leading blanks are skipped and '\' counts as '/' after
// http(s):, as in browsers.
std::optional<std::string_view> link_host(std::string_view url);

// Whether `url` names a host other than `page_host` (compared ignoring
// ASCII case). An empty page_host makes every host foreign.
bool is_foreign_link(std::string_view url, std::string_view page_host);

}  // namespace netwarden::content_detail
