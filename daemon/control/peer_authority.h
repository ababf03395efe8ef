// Who may change things over the control socket.
//
// Reading commands (status, targets, incidents) are open to anyone who can
// connect — the socket's mode 0660 and group already limit that. Changing
// commands (ack, resolve, approve, maintenance) are allowed only to root
// and to members of the configured admin group, judged from the peer's
// SO_PEERCRED credentials, never from anything the client claims; the OS
// user found here is what the ledger records as the actor.
#pragma once

#include <string>

#include "common/result.h"
#include "daemon/control/control_server.h"

namespace netwarden {

struct Actor {
  std::string os_user;  // login name, or "uid:N" when the uid has no passwd entry
  uid_t uid = 0;
};

// The actor for a changing command, or an Error saying why it is refused.
// admin_group empty: only root may change things.
Result<Actor> authorize_change(const PeerCredentials& peer, const std::string& admin_group);

}  // namespace netwarden
