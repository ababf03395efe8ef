// URLs as a crawl handles them: where a link on a page leads, written one
// way for one page, so that no page is fetched twice under two spellings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace netwarden {

// The absolute URL `href` (an href or src as written on the page) leads to
// from `base` (the page's final URL, or its <base href> resolved against
// that): http or https only, fragment dropped, scheme and host lower-case,
// default port and dot segments removed, percent-encoding normalised, the
// query kept. nullopt for other schemes (mailto:, javascript:) and for
// what does not parse. Whitespace around `href` and tabs and line breaks in
// it are dropped, as browsers do.
std::optional<std::string> resolve_link(std::string_view base, std::string_view href);

}  // namespace netwarden
