#include "daemon/store/crawl_pages.h"

#include <sqlite3.h>

#include <string_view>

#include "daemon/store/statement_use.h"
#include "daemon/store/store.h"
#include "daemon/store/store_access.h"

namespace netwarden {

namespace {

constexpr std::string_view kPutRun =
    "INSERT OR REPLACE INTO crawls (target, run, started_at_ms, finished_at_ms, last_complete_at_ms,"
    " last_complete_pages) VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kPutPage =
    "INSERT OR REPLACE INTO crawl_pages (target, url, depth, found_run, fetched_run, etag, last_modified,"
    " text_sha256, outcome, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kForget = "DELETE FROM crawl_pages WHERE target = ? AND url = ?";
constexpr std::string_view kRun =
    "SELECT target, run, started_at_ms, finished_at_ms, last_complete_at_ms, last_complete_pages FROM crawls"
    " WHERE target = ?";
constexpr std::string_view kPages =
    "SELECT target, url, depth, found_run, fetched_run, etag, last_modified, text_sha256, outcome, evidence"
    " FROM crawl_pages WHERE target = ? ORDER BY depth, url";

std::optional<Time> optional_time(const StatementUse& use, int column) {
  const auto ms = use.optional_integer(column);
  return ms ? std::optional<Time>(from_unix_ms(*ms)) : std::nullopt;
}

}  // namespace

Result<void> put_crawl_run(Store& store, const CrawlRunRow& row) {
  constexpr std::string_view operation = "put_crawl_run";
  auto stmt = StoreAccess::statement(store, kPutRun, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(row.target).bind(row.run).bind(row.started_at).bind(row.finished_at).bind(row.last_complete_at);
  use.bind(row.last_complete_pages);
  return StoreAccess::run(store, use, operation);
}

Result<void> put_crawl_page(Store& store, const CrawlPageRow& row) {
  constexpr std::string_view operation = "put_crawl_page";
  auto stmt = StoreAccess::statement(store, kPutPage, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(row.target).bind(row.url).bind(row.depth).bind(row.found_run).bind(row.fetched_run).bind(row.etag);
  use.bind(row.last_modified).bind(row.text_sha256).bind(row.outcome).bind(row.evidence);
  return StoreAccess::run(store, use, operation);
}

Result<void> forget_crawl_page(Store& store, const std::string& target, const std::string& url) {
  constexpr std::string_view operation = "forget_crawl_page";
  auto stmt = StoreAccess::statement(store, kForget, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(target).bind(url);
  return StoreAccess::run(store, use, operation);
}

Result<CrawlSaved> load_crawl(Store& store, const std::string& target) {
  constexpr std::string_view operation = "load_crawl";
  CrawlSaved saved;
  {
    auto stmt = StoreAccess::statement(store, kRun, operation);
    if (!stmt) return std::unexpected(stmt.error());
    StatementUse use(*stmt);
    use.bind(target);
    int rc = use.bound() ? use.step() : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
      saved.run = CrawlRunRow{use.text(0),           use.integer(1),        use.time(2),
                              optional_time(use, 3), optional_time(use, 4), use.integer(5)};
      rc = use.step();
    }
    if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  }
  auto stmt = StoreAccess::statement(store, kPages, operation);
  if (!stmt) return std::unexpected(stmt.error());
  StatementUse use(*stmt);
  use.bind(target);
  int rc = use.bound() ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = use.step()) == SQLITE_ROW) {
    saved.pages.push_back(CrawlPageRow{use.text(0), use.text(1), use.integer(2), use.integer(3), use.integer(4),
                                       use.text(5), use.text(6), use.text(7), use.text(8), use.text(9)});
  }
  if (rc != SQLITE_DONE) return std::unexpected(StoreAccess::error(store, operation));
  return saved;
}

}  // namespace netwarden
