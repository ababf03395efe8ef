// The one-line status systemd shows for netwardend.
#include <gtest/gtest.h>

#include "daemon/service_status.h"

namespace netwarden {
namespace {

TEST(ServiceStatus, CountsTargetsIncidentsAndMail) {
  EXPECT_EQ(service_status_line({.targets = 3,
                                 .up = 2,
                                 .down = 1,
                                 .open_incidents = 2,
                                 .mail_queued = 4,
                                 .mail_failed = 1,
                                 .store_failing_since = std::nullopt,
                                 .store_error = ""}),
            "3 targets: 2 up, 1 down; 2 open incidents; mail: 4 queued, 1 failed");
}

TEST(ServiceStatus, OneOfAKindIsSingular) {
  EXPECT_EQ(service_status_line({.targets = 1,
                                 .up = 0,
                                 .down = 0,
                                 .open_incidents = 1,
                                 .mail_queued = 0,
                                 .mail_failed = 0,
                                 .store_failing_since = std::nullopt,
                                 .store_error = ""}),
            "1 target: 0 up, 0 down; 1 open incident; mail: 0 queued, 0 failed");
}

TEST(ServiceStatus, SaysSoWhenTheOutboxCouldNotBeRead) {
  EXPECT_EQ(service_status_line({.targets = 0,
                                 .up = 0,
                                 .down = 0,
                                 .open_incidents = 0,
                                 .mail_queued = std::nullopt,
                                 .mail_failed = std::nullopt,
                                 .store_failing_since = std::nullopt,
                                 .store_error = ""}),
            "0 targets: 0 up, 0 down; 0 open incidents; mail: unknown");
}

TEST(ServiceStatus, StoreFailingComesFirst) {
  EXPECT_EQ(service_status_line({.targets = 1,
                                 .up = 1,
                                 .down = 0,
                                 .open_incidents = 0,
                                 .mail_queued = 0,
                                 .mail_failed = 0,
                                 .store_failing_since = from_unix_ms(1796205600000),  // 10:00 UTC
                                 .store_error = "database or disk is full"}),
            "STORE FAILING since 2026-12-02T10:00:00.000Z: database or disk is full; 1 target: 1 up, 0 down; "
            "0 open incidents; mail: 0 queued, 0 failed");
}

}  // namespace
}  // namespace netwarden
