#include "probes/web/web_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <charconv>

namespace netwarden {

namespace urls = boost::urls;

namespace {

Result<WebUrl> to_web_url(urls::url& u) {
  u.normalize();
  u.remove_fragment();
  WebUrl w;
  if (u.scheme_id() == urls::scheme::https) {
    w.https = true;
  } else if (u.scheme_id() != urls::scheme::http) {
    return fail("unsupported scheme '" + std::string(u.scheme()) + "' (only http and https)");
  }
  switch (u.host_type()) {
    case urls::host_type::ipv4:
      w.host = u.encoded_host();
      w.host_is_ip = true;
      break;
    case urls::host_type::ipv6:
      w.host = u.host_ipv6_address().to_string();
      w.host_is_ip = true;
      break;
    case urls::host_type::name: w.host = u.host(); break;
    default: return fail("unsupported host in '" + std::string(u.buffer()) + "'");
  }
  if (w.host.empty()) return fail("no host in '" + std::string(u.buffer()) + "'");
  if (u.has_port() && !u.port().empty()) {
    w.port = u.port();
    unsigned number = 0;
    auto [end, ec] = std::from_chars(w.port.data(), w.port.data() + w.port.size(), number);
    if (ec != std::errc() || end != w.port.data() + w.port.size() || number == 0 || number > 65535) {
      return fail("bad port '" + w.port + "'");
    }
  } else {
    w.port = w.https ? "443" : "80";
  }
  w.host_header = u.encoded_host_and_port();
  w.target = u.encoded_target();
  if (w.target.empty() || w.target.front() != '/') w.target.insert(0, 1, '/');
  w.text = u.buffer();
  return w;
}

}  // namespace

Result<WebUrl> parse_web_url(std::string_view text) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) return fail("cannot parse URL '" + std::string(text) + "': " + parsed.error().message());
  urls::url u(*parsed);
  return to_web_url(u);
}

Result<WebUrl> resolve_location(const WebUrl& base, std::string_view location) {
  auto ref = urls::parse_uri_reference(location);
  if (!ref) return fail("cannot parse redirect Location '" + std::string(location) + "': " + ref.error().message());
  urls::url resolved;
  auto ok = urls::resolve(urls::url_view(base.text), *ref, resolved);
  if (!ok) return fail("cannot resolve redirect Location '" + std::string(location) + "': " + ok.error().message());
  return to_web_url(resolved);
}

}  // namespace netwarden
