#include "daemon/control/peer_authority.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace netwarden {

namespace {

// getpwuid_r/getgrnam_r want a caller buffer; 16 KiB covers any sane entry
// (large group member lists are why getgrnam_r can ask for more).
constexpr std::size_t kEntryBuffer = std::size_t{16} * 1024;

std::string user_name(uid_t uid, gid_t* primary_gid) {
  std::vector<char> buffer(kEntryBuffer);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return "uid:" + std::to_string(uid);
  }
  if (primary_gid != nullptr) *primary_gid = found->pw_gid;
  return found->pw_name;
}

// Whether `user` (with primary group `primary`, and the peer's gid) is in
// the group: by primary group, by the connection's gid, or by membership.
bool in_group(const std::string& user, gid_t primary, gid_t peer_gid, const std::string& group) {
  std::vector<char> buffer(kEntryBuffer);
  struct group entry {};
  struct group* found = nullptr;
  if (getgrnam_r(group.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return false;
  if (found->gr_gid == primary || found->gr_gid == peer_gid) return true;
  for (char** member = found->gr_mem; member != nullptr && *member != nullptr; ++member) {
    if (user == *member) return true;
  }
  return false;
}

}  // namespace

Result<Actor> authorize_change(const PeerCredentials& peer, const std::string& admin_group) {
  gid_t primary = static_cast<gid_t>(-1);
  Actor actor{user_name(peer.uid, &primary), peer.uid};
  if (peer.uid == 0) return actor;
  if (!admin_group.empty() && in_group(actor.os_user, primary, peer.gid, admin_group)) return actor;
  return fail("permission denied: " + actor.os_user + " is not root" +
              (admin_group.empty() ? std::string(" (no admin_group is configured)")
                                   : " nor a member of the admin group '" + admin_group + "'"));
}

}  // namespace netwarden
