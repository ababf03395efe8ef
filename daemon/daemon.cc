#include "daemon/daemon.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "config/load_config.h"
#include "daemon/config_check.h"
#include "daemon/control/control_server.h"
#include "daemon/control_commands.h"
#include "daemon/incidents/incident_keeper.h"
#include "daemon/incidents/ledger_mail.h"
#include "daemon/isolation/isolation_monitor.h"
#include "daemon/web_monitor/web_monitor.h"
#include "daemon/notifier/alarm/office_alarm.h"
#include "daemon/notifier/outbox/outbox_drainer.h"
#include "daemon/notifier/transport/mail_transport.h"
#include "daemon/post_to.h"
#include "daemon/service_status.h"
#include "daemon/store/ledger.h"
#include "daemon/store/store.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/systemd_notify.h"

namespace netwarden {

namespace asio = boost::asio;

namespace {

Result<void> make_directory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return fail("cannot create directory " + path + ": " + ec.message());
  return {};
}

// One daemon per state directory: a second one would write the same
// database and socket. The lock lives as long as the process (the kernel
// drops it on exit, even on kill -9), so the descriptor is never closed.
Result<void> lock_state_dir(const std::string& state_dir) {
  const std::string path = state_dir + "/netwarden.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return fail("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return fail("another netwardend is already using " + state_dir + " (" + path + " is locked)");
  }
  return {};
}

// Members of the admin group may use the socket (mode 0660); what they may
// change is decided per command from the peer's credentials.
void give_socket_to_group(const std::string& socket, const std::string& group) {
  if (group.empty()) return;
  const struct group* g = ::getgrnam(group.c_str());
  if (g == nullptr) {
    spdlog::warn("admin group '{}' does not exist: only root can use {}", group, socket);
    return;
  }
  if (::chown(socket.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0) {
    spdlog::warn("cannot give {} to group '{}': {}", socket, group, std::strerror(errno));
  }
}

// Everything the store remembers about the configured targets, read once
// before the writer thread takes the connection over.
Result<void> restore_targets(Store& store, const Config& config, WebMonitor& monitor) {
  auto states = store.target_states();
  if (!states) return std::unexpected(states.error());
  for (const auto& target : config.targets) {
    auto baseline = store.baseline(target.id);
    if (!baseline) return std::unexpected(baseline.error());
    std::optional<TargetStateRow> state;
    for (const auto& row : *states) {
      if (row.target == target.id) state = row;
    }
    if (auto added = monitor.add_target(target, *baseline, state); !added) return added;
  }
  return {};
}

// Probe samples are kept for sample_retention; this runs at start and hourly.
void schedule_pruning(asio::steady_timer& timer, StoreWriter& writer, Duration retention) {
  writer.submit(
      [retention](Store& s) -> Result<void> {
        auto removed = s.prune_samples(now_utc() - retention);
        if (!removed) return std::unexpected(removed.error());
        if (*removed > 0) spdlog::info("store: removed {} probe samples past retention", *removed);
        return {};
      },
      [](Result<void> pruned) {
        if (!pruned) spdlog::warn("store: old probe samples not removed (tried again in an hour): {}", pruned.error().message);
      });
  timer.expires_after(std::chrono::hours(1));
  timer.async_wait([&timer, &writer, retention](boost::system::error_code ec) {
    if (!ec) schedule_pruning(timer, writer, retention);
  });
}

// Verifies the ledger and continues it with `key` (ledger.h). A break does
// not stop the daemon: an unmonitored campus is worse than a monitor whose
// old records are in doubt. It is logged critically, shown by `status`,
// recorded by the marker that starts the new segment, and the office is
// told through the outbox.
Result<LedgerStatus> start_ledger(Store& store, const Config& config, const std::optional<LedgerKey>& key) {
  LedgerStatus status{key, ""};
  if (key) {
    spdlog::info("ledger: keyed with key {}", key->id);
  } else {
    spdlog::warn("ledger: no ledger key (--ledger-key or the ledger-key credential): the chain goes on unkeyed, and a "
                 "copy of the database can be rewritten consistently");
  }
  if (auto begun = store.begin(); !begun) return std::unexpected(begun.error());
  auto started = start_ledger_segment(store, key, now_utc());
  Result<std::size_t> told = 0;
  if (started && !started->new_breaks.empty()) {
    const LedgerBreak& first = started->new_breaks.front();
    status.alarm = "the ledger was found broken at start-up: " + first.message + " (" +
                   std::to_string(started->new_breaks.size()) + " break(s)); recorded at seq " +
                   std::to_string(started->marker.value_or(0)) + ", where a new segment begins";
    spdlog::critical("ledger: {}", status.alarm);
    told = queue_ledger_notice(store, config, LedgerNotice{LedgerNotice::Kind::broken, now_utc(), 0, "", 0, first.message});
  }
  if (!started || !told) {
    (void)store.rollback();  // the first error is the one worth reporting
    return std::unexpected(started ? told.error() : started.error());
  }
  if (auto committed = store.commit(); !committed) return std::unexpected(committed.error());
  if (started->marker) spdlog::info("ledger: segment marker written at seq {}", *started->marker);
  return status;
}

// The daily checkpoint to the office; checked at start and hourly.
void schedule_checkpoints(asio::steady_timer& timer, StoreWriter& writer, const Config& config,
                          const std::function<void()>& wake_drainer) {
  writer.submit(
      [&config](Store& s) -> Result<void> {
        auto sent = queue_daily_checkpoint(s, config, now_utc());
        if (!sent) return std::unexpected(sent.error());
        if (*sent) spdlog::info("ledger: daily checkpoint queued to the office");
        return {};
      },
      [wake_drainer](Result<void> done) {
        if (!done) return spdlog::error("ledger: cannot queue the daily checkpoint: {}", done.error().message);
        wake_drainer();
      });
  timer.expires_after(std::chrono::hours(1));
  timer.async_wait([&timer, &writer, &config, wake_drainer](boost::system::error_code ec) {
    if (!ec) schedule_checkpoints(timer, writer, config, wake_drainer);
  });
}

// A check reads one file; far longer means it hangs.
constexpr Duration kConfigCheckTimeout = std::chrono::seconds(30);

// What a reload would start with, checked before anything is stopped (after
// the child process found the file valid).
Result<void> check_reload(const Config& running) {
  auto loaded = load_config(running.path);
  if (!loaded.ok()) {
    std::string errors;
    for (const auto& e : loaded.errors) errors += "\n  " + e.to_string();
    return fail(running.path + ": " + std::to_string(loaded.errors.size()) + " error(s):" + errors);
  }
  if (auto templates = load_mail_templates(loaded.config.mail.templates_dir); !templates) {
    return std::unexpected(templates.error());
  }
  if (auto transport = make_mail_transport(loaded.config.mail, running.daemon.state_dir); !transport) {
    return fail("mail: " + transport.error().message);
  }
  return {};
}

}  // namespace

DaemonEnd run_daemon(const Config& config, const MailTemplates& templates, std::vector<std::string> check_command,
                     const std::optional<LedgerKey>& ledger_key) {
  const Time started_at = now_utc();
  if (auto made = make_directory(config.daemon.state_dir); !made) {
    spdlog::critical("{}", made.error().message);
    return DaemonEnd::failed;
  }
  auto socket_dir = std::filesystem::path(config.daemon.socket).parent_path();
  if (!socket_dir.empty()) {
    if (auto made = make_directory(socket_dir.string()); !made) {
      spdlog::critical("{}", made.error().message);
      return DaemonEnd::failed;
    }
  }
  if (auto locked = lock_state_dir(config.daemon.state_dir); !locked) {
    spdlog::critical("{}", locked.error().message);
    return DaemonEnd::failed;
  }
  const std::string db_path = config.daemon.state_dir + "/netwarden.db";
  auto store = Store::open(db_path);
  if (!store) {
    spdlog::critical("cannot open store {}: {}", db_path, store.error().message);
    return DaemonEnd::failed;
  }
  // Before any other connection may append (the drainer records deliveries).
  auto started_ledger = start_ledger(**store, config, ledger_key);
  if (!started_ledger) {
    // Rows behind the recorded head, or a deleted head, refuse the marker
    // (and every later append): still no reason to stop watching.
    started_ledger = LedgerStatus{ledger_key, "cannot verify or continue the ledger: " + started_ledger.error().message};
    use_ledger_key(**store, ledger_key);
    spdlog::critical("ledger: {}", started_ledger->alarm);
  }
  const LedgerStatus& ledger = *started_ledger;

  auto transport = make_mail_transport(config.mail, config.daemon.state_dir);
  if (!transport) {
    spdlog::critical("mail: {}", transport.error().message);
    return DaemonEnd::failed;
  }
  const std::string mail_transport = (*transport)->describe();
  // Delivers the outbox on its own thread and connection (opened after the
  // migrations above), so a slow relay never stalls checks or the socket.
  OutboxDrainer drainer(db_path, std::move(*transport), config.mail, now_utc, ledger_key);
  if (auto started = drainer.start(); !started) {
    spdlog::critical("mail outbox: {}", started.error().message);
    return DaemonEnd::failed;
  }

  asio::io_context io(1);
  auto& opened = **store;
  StoreWriter writer(std::move(*store), post_to(io.get_executor()));
  WriteHealth health;
  OfficeAlarm office_alarm(config, (socket_dir.empty() ? std::filesystem::path(".") : socket_dir).string() +
                                       "/spool-fallback");
  health.on_change([&office_alarm](const std::optional<WriteFailure>& failing) {
    if (failing) office_alarm.alarm(*failing);
  });
  WebMonitor monitor(io.get_executor(), writer, health, config.daemon.max_concurrent_checks);
  // The writer thread has not been handed a job yet, so reading through the
  // same connection here is safe.
  if (auto restored = restore_targets(opened, config, monitor); !restored) {
    spdlog::critical("{}", restored.error().message);
    return DaemonEnd::failed;
  }
  auto engine_state = load_engine_state(opened, config, started_at);
  if (!engine_state) {
    spdlog::critical("cannot load open incidents: {}", engine_state.error().message);
    return DaemonEnd::failed;
  }
  IncidentKeeper incidents(io.get_executor(), writer, health, config, templates, [&drainer] { drainer.wake(); },
                           std::move(*engine_state), started_at);
  monitor.on_verdict([&incidents](const std::string& target, const CheckVerdict& verdict) {
    incidents.observe(target, verdict);
  });
  IsolationMonitor isolation(io.get_executor(), config, config.daemon.state_dir + "/evidence",
                             [&incidents](const IsolationObservation& o) { incidents.observe_isolation(o); });

  PeerLogLimit refused_changes;
  DaemonView view{config,    monitor, isolation, writer, health, incidents, mail_transport, ledger, started_at,
                  refused_changes};
  // A line may hold `verify --anchors` from thousands of delivered messages
  // (about 150 bytes each); an auditor with more uses --verify-ledger.
  ControlServer control(io.get_executor(), ControlServerOptions{.path = config.daemon.socket, .max_line = 1 << 20},
                        [&view](const ControlRequest& r, const ControlRespond& respond) {
                          handle_control_request(view, r, respond, now_utc());
                        });
  if (auto started = control.start(); !started) {
    spdlog::critical("control socket: {}", started.error().message);
    return DaemonEnd::failed;
  }
  give_socket_to_group(config.daemon.socket, config.daemon.admin_group);

  asio::steady_timer prune_timer(io);
  schedule_pruning(prune_timer, writer, config.daemon.sample_retention);
  asio::steady_timer checkpoint_timer(io);
  schedule_checkpoints(checkpoint_timer, writer, config, [&drainer] { drainer.wake(); });
  monitor.start();
  isolation.start();
  incidents.start();
  spdlog::info("netwardend {} started: {} web targets, {} isolation watches, state in {}, socket {}, mail {}",
               NETWARDEN_VERSION, config.targets.size(), config.isolation.size(), config.daemon.state_dir,
               config.daemon.socket, mail_transport);

  asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  asio::signal_set hup(io, SIGHUP);
  ConfigCheck config_check(io.get_executor(), std::move(check_command), kConfigCheckTimeout);
  DaemonEnd end = DaemonEnd::stopped;
  bool stopping = false;
  SystemdNotify service;
  // Shutdown ends every piece of work instead of stopping the loop, so no
  // coroutine is left suspended to be destroyed after what it refers to.
  auto shut_down = [&] {
    stopping = true;
    config_check.cancel();
    monitor.stop();
    isolation.stop();
    incidents.stop();
    control.stop();
    prune_timer.cancel();
    checkpoint_timer.cancel();
    stop_signals.cancel();
    hup.cancel();
  };
  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    service.stop();
    shut_down();
  });
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      spdlog::info("SIGHUP: checking {}", config.path);
      config_check.start([&](Result<void> checked) {
        if (stopping) return;
        if (checked) checked = check_reload(config);
        if (!checked) {
          spdlog::error("SIGHUP: not reloading, carrying on with the running configuration: {}",
                        checked.error().message);
          return wait_hup();
        }
        spdlog::info("SIGHUP: {} is valid; restarting in place to apply it", config.path);
        end = DaemonEnd::reload;
        service.reloading();
        shut_down();
      });
    });
  };
  wait_hup();

  // Everything has started: the store is open, the captures too.
  service.start(io.get_executor(), [&view](std::function<void(std::string)> done) {
    read_service_status(view, now_utc(), std::move(done));
  });
  io.run();
  writer.stop();  // finishes every queued write before exit
  // What those writes' completions hand on (notifications of committed
  // decisions) still runs before exit.
  io.restart();
  io.run();
  drainer.stop();  // lets a send in progress finish and be recorded
  spdlog::info("netwardend stopped");
  return end;
}

}  // namespace netwarden
