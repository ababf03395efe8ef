#include "daemon/control/peer_authority.h"

#include <gtest/gtest.h>

namespace netwarden {
namespace {

// Debian's "nobody" (uid 65534) has the primary group "nogroup" (gid 65534).
const PeerCredentials kNobody{.pid = 1, .uid = 65534, .gid = 65534};

TEST(PeerAuthorityTest, RootMayAlwaysChange) {
  auto actor = authorize_change(PeerCredentials{.pid = 1, .uid = 0, .gid = 0}, "");
  ASSERT_TRUE(actor) << actor.error().message;
  EXPECT_EQ(actor->os_user, "root");
}

TEST(PeerAuthorityTest, WithoutAnAdminGroupOnlyRoot) {
  auto actor = authorize_change(kNobody, "");
  ASSERT_FALSE(actor);
  EXPECT_EQ(actor.error().message, "permission denied: nobody is not root (no admin_group is configured)");
}

TEST(PeerAuthorityTest, MembersOfTheAdminGroupMayChange) {
  auto actor = authorize_change(kNobody, "nogroup");
  ASSERT_TRUE(actor) << actor.error().message;
  EXPECT_EQ(actor->os_user, "nobody");
  EXPECT_EQ(actor->uid, 65534u);
}

TEST(PeerAuthorityTest, OthersAreRefusedWithTheGroupNamed) {
  auto actor = authorize_change(kNobody, "root");
  ASSERT_FALSE(actor);
  EXPECT_EQ(actor.error().message, "permission denied: nobody is not root nor a member of the admin group 'root'");
}

TEST(PeerAuthorityTest, AUidWithoutAnAccountIsNamedByNumber) {
  auto actor = authorize_change(PeerCredentials{.pid = 1, .uid = 54321, .gid = 54321}, "netwarden-no-such-group");
  ASSERT_FALSE(actor);
  EXPECT_NE(actor.error().message.find("uid:54321"), std::string::npos) << actor.error().message;
}

}  // namespace
}  // namespace netwarden
