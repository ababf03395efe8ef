// One cloaking round: the target's page fetched and analysed as each
// cloaking variant (daemon/core/cloaking.h), one after the other so that a
// round never puts more than one extra request on the site at a time.

#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "config/config.h"
#include "daemon/core/cloaking.h"
#include "daemon/web_monitor/async_semaphore.h"
#include "probes/content/content_digest.h"
#include "probes/web/http_fetcher.h"

namespace netwarden {

// The plain request for a target's page, as every check sends it.
FetchRequest fetch_request(const WebTarget& target);

// Waits for a slot of `checks` (a round is one more request at a time, so
// it takes its turn like a check), fetches the variants and judges them
// against the plain fetch and its digest. None when the daemon is stopping
// (`stopping` is read between fetches).
boost::asio::awaitable<std::optional<CloakingVerdict>> cloaking_round(AsyncSemaphore& checks, HttpFetcher& fetcher,
                                                                      const WebTarget& target,
                                                                      const ContentAnalyzer& analyzer,
                                                                      const FetchResult& plain_fetch,
                                                                      const ContentDigest& plain, const bool& stopping);

}  // namespace netwarden
