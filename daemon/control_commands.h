// The daemon's answers to control requests. `targets` is a view over the
// running monitor, built on the io thread from in-memory state so it never
// waits for the disk. What the store holds (the outbox in `status`,
// incidents, the ledger for `verify` and `show`) is read on the store's
// writer thread, behind every pending write, and answered when that is
// done. Changes (ack, resolve, approve, maintenance) are answered once
// they are recorded.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>

#include "common/time.h"
#include "daemon/control/control_server.h"
#include "daemon/control/peer_log_limit.h"
#include "daemon/store/ledger_key.h"

namespace netwarden {

class IncidentKeeper;
class IsolationMonitor;
class OutboxDrainer;
class SiteCrawler;
class WebMonitor;
class StoreWriter;
class WriteHealth;
struct Config;

// What start-up learnt about the ledger (daemon.cc), shown by `status`.
struct LedgerStatus {
  std::optional<LedgerKey> key;  // none: the chain goes on unkeyed
  std::string alarm;             // not empty: start-up found the ledger broken
};

struct DaemonView {
  const Config& config;
  WebMonitor& monitor;
  SiteCrawler& crawler;
  const IsolationMonitor& isolation;
  StoreWriter& writer;
  const WriteHealth& health;
  IncidentKeeper& incidents;
  std::string mail_transport;  // MailTransport::describe()
  const LedgerStatus& ledger;
  Time started_at;
  PeerLogLimit& refused_changes;  // refused changing commands, logged once per uid a minute
  OutboxDrainer& outbox;
  // Runs work on the io thread, from any thread (the drainer's answers).
  std::function<void(std::function<void()>)> post;
};

void handle_control_request(const DaemonView& daemon, const ControlRequest& request, const ControlRespond& respond,
                            Time now);

}  // namespace netwarden
