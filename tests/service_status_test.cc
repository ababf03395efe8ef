// The one-line status systemd shows for netwardend.
#include <gtest/gtest.h>

#include "daemon/service_status.h"

namespace netwarden {
namespace {

TEST(ServiceStatus, CountsTargetsIncidentsAndMail) {
  EXPECT_EQ(service_status_line({.targets = 3, .up = 2, .down = 1, .open_incidents = 2, .mail_queued = 4,
                                 .mail_failed = 1}),
            "3 targets: 2 up, 1 down; 2 open incidents; mail: 4 queued, 1 failed");
}

TEST(ServiceStatus, OneOfAKindIsSingular) {
  EXPECT_EQ(service_status_line({.targets = 1, .up = 0, .down = 0, .open_incidents = 1, .mail_queued = 0,
                                 .mail_failed = 0}),
            "1 target: 0 up, 0 down; 1 open incident; mail: 0 queued, 0 failed");
}

TEST(ServiceStatus, SaysSoWhenTheOutboxCouldNotBeRead) {
  EXPECT_EQ(service_status_line({.targets = 0, .up = 0, .down = 0, .open_incidents = 0, .mail_queued = std::nullopt,
                                 .mail_failed = std::nullopt}),
            "0 targets: 0 up, 0 down; 0 open incidents; mail: unknown");
}

}  // namespace
}  // namespace netwarden
