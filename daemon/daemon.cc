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
#include <filesystem>

#include "common/os_error.h"
#include "config/load_config.h"
#include "daemon/config_check.h"
#include "daemon/control/control_server.h"
#include "daemon/control_commands.h"
#include "daemon/crawl/site_crawler.h"
#include "daemon/incidents/channel_failure_notice.h"
#include "daemon/incidents/incident_keeper.h"
#include "daemon/incidents/ledger_mail.h"
#include "daemon/isolation/isolation_monitor.h"
#include "daemon/notifier/alarm/office_alarm.h"
#include "daemon/notifier/channels/channel_sender.h"
#include "daemon/notifier/outbox/outbox_drainer.h"
#include "daemon/notifier/transport/mail_transport.h"
#include "daemon/post_to.h"
#include "daemon/service_status.h"
#include "daemon/store/crawl_pages.h"
#include "daemon/store/history.h"
#include "daemon/store/ledger.h"
#include "daemon/store/store.h"
#include "daemon/store/store_writer.h"
#include "daemon/store/write_health.h"
#include "daemon/systemd_notify.h"
#include "daemon/web_monitor/web_monitor.h"

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
  if (fd < 0) return fail_errno("cannot open " + path);
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
    spdlog::warn("cannot give {} to group '{}': {}", socket, group, errno_text());
  }
}

// Everything the store remembers: each configured target's baseline and
// state (handed to the monitor), its crawls (to the crawler) and the open
// incidents (returned). Read
// once, before the writer thread takes the connection over.
Result<EngineState> restore(Store& store, const Config& config, WebMonitor& monitor, SiteCrawler& crawler, Time now) {
  auto states = store.target_states();
  if (!states) return std::unexpected(states.error());
  for (const auto& target : config.targets) {
    auto baseline = store.baseline(target.id);
    if (!baseline) return std::unexpected(baseline.error());
    std::optional<TargetStateRow> state;
    for (const auto& row : *states) {
      if (row.target == target.id) state = row;
    }
    if (auto added = monitor.add_target(target, *baseline, state); !added) return std::unexpected(added.error());
    if (!target.crawl) continue;
    auto crawled = load_crawl(store, target.id);
    if (!crawled) return std::unexpected(crawled.error());
    // The crawl judges pages with the same compiled rules as the checks.
    const ContentAnalyzer& analyzer = monitor.targets().back()->analyzer;
    if (auto added = crawler.add_target(target, analyzer, std::move(*crawled)); !added) {
      return std::unexpected(added.error());
    }
  }
  auto engine_state = load_engine_state(store, config, now);
  if (!engine_state) return fail("cannot load open incidents: " + engine_state.error().message);
  return engine_state;
}

// Probe samples are rolled up into hourly history, then kept for
// sample_retention; the history for history_retention. At start and hourly.
void schedule_pruning(asio::steady_timer& timer, StoreWriter& writer, const DaemonConfig& settings) {
  writer.submit(
      [settings](Store& s) -> Result<void> {
        auto removed = keep_history(s, now_utc(), settings.sample_retention, settings.history_retention);
        if (!removed) return std::unexpected(removed.error());
        if (*removed > 0) spdlog::info("store: removed {} probe samples past retention", *removed);
        return {};
      },
      [](Result<void> pruned) {
        if (!pruned)
          spdlog::warn("store: probe samples not rolled up or removed (tried again in an hour): {}",
                       pruned.error().message);
      });
  timer.expires_after(std::chrono::hours(1));
  timer.async_wait([&timer, &writer, settings](boost::system::error_code ec) {
    if (!ec) schedule_pruning(timer, writer, settings);
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
    spdlog::warn(
        "ledger: no ledger key (--ledger-key or the ledger-key credential): the chain goes on unkeyed, and a "
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
    told = queue_ledger_notice(store, config,
                               LedgerNotice{LedgerNotice::Kind::broken, now_utc(), 0, "", 0, first.message});
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

// A sender for each [channels] id, its token and secret read: a file that
// cannot be read stops the start, as the mail password's does.
Result<OutboxDrainer::Channels> make_channel_senders(const Config& config) {
  OutboxDrainer::Channels senders;
  for (const auto& [id, channel] : config.channels) {
    auto sender = ChannelSender::make(channel);
    if (!sender) return std::unexpected(sender.error());
    senders.emplace(id, std::move(*sender));
  }
  return senders;
}

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
  if (auto channels = make_channel_senders(loaded.config); !channels) return std::unexpected(channels.error());
  return {};
}

// Directories, the state lock, the store and the ledger: what must be right
// before anything runs.
struct OpenedState {
  std::string socket_dir;  // "." when the socket path has no directory
  std::string db_path;
  std::unique_ptr<Store> store;
  LedgerStatus ledger;
};

Result<OpenedState> open_state(const Config& config, const std::optional<LedgerKey>& ledger_key) {
  OpenedState opened;
  opened.socket_dir = std::filesystem::path(config.daemon.socket).parent_path().string();
  for (const std::string& dir : {config.daemon.state_dir, opened.socket_dir}) {
    if (dir.empty()) continue;
    if (auto made = make_directory(dir); !made) return std::unexpected(made.error());
  }
  if (opened.socket_dir.empty()) opened.socket_dir = ".";
  if (auto locked = lock_state_dir(config.daemon.state_dir); !locked) return std::unexpected(locked.error());
  opened.db_path = config.daemon.state_dir + "/netwarden.db";
  auto store = Store::open(opened.db_path);
  if (!store) return fail("cannot open store " + opened.db_path + ": " + store.error().message);
  opened.store = std::move(*store);
  // Before any other connection may append (the drainer records deliveries).
  auto started_ledger = start_ledger(*opened.store, config, ledger_key);
  if (!started_ledger) {
    // Rows behind the recorded head, or a deleted head, refuse the marker
    // (and every later append): still no reason to stop watching.
    started_ledger =
        LedgerStatus{ledger_key, "cannot verify or continue the ledger: " + started_ledger.error().message};
    use_ledger_key(*opened.store, ledger_key);
    spdlog::critical("ledger: {}", started_ledger->alarm);
  }
  opened.ledger = std::move(*started_ledger);
  return opened;
}

struct StartedOutbox {
  std::unique_ptr<OutboxDrainer> drainer;
  std::string transport;  // MailTransport::describe()
};

// Delivers the outbox on its own thread and connection (opened after the
// migrations), so a slow relay never stalls checks or the socket.
Result<StartedOutbox> start_outbox(const Config& config, const std::string& db_path,
                                   const std::optional<LedgerKey>& ledger_key) {
  auto transport = make_mail_transport(config.mail, config.daemon.state_dir);
  if (!transport) return fail("mail: " + transport.error().message);
  auto channels = make_channel_senders(config);
  if (!channels) return std::unexpected(channels.error());
  StartedOutbox out{nullptr, (*transport)->describe()};
  out.drainer = std::make_unique<OutboxDrainer>(
      db_path, std::move(*transport), config.mail, now_utc, ledger_key, std::move(*channels),
      [config](const ChannelFailure& failure) { return channel_failure_notices(config, failure); });
  if (auto started = out.drainer->start(); !started) return fail("mail outbox: " + started.error().message);
  return out;
}

// SIGINT/SIGTERM stop the daemon; SIGHUP checks the configuration (in a
// child, then here) and, when it is valid, stops it for a reload.
class Signals {
 public:
  Signals(asio::io_context& io, const Config& config, std::vector<std::string> check_command, SystemdNotify& service,
          std::function<void()> stop_work)
      : config_(config),
        stop_signals_(io, SIGINT, SIGTERM),
        hup_(io, SIGHUP),
        config_check_(io.get_executor(), std::move(check_command), kConfigCheckTimeout),
        service_(service),
        stop_work_(std::move(stop_work)) {}

  void start() {
    stop_signals_.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("signal {}: shutting down", signal);
      service_.stop();
      shut_down();
    });
    wait_hup();
  }
  DaemonEnd end() const { return end_; }

 private:
  // Ends every piece of work instead of stopping the loop, so no coroutine
  // is left suspended to be destroyed after what it refers to.
  void shut_down() {
    stopping_ = true;
    config_check_.cancel();
    stop_work_();
    stop_signals_.cancel();
    hup_.cancel();
  }

  void wait_hup() {
    hup_.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      spdlog::info("SIGHUP: checking {}", config_.path);
      config_check_.start([this](Result<void> checked) { reload_if_valid(std::move(checked)); });
    });
  }

  void reload_if_valid(Result<void> checked) {
    if (stopping_) return;
    if (checked) checked = check_reload(config_);
    if (!checked) {
      spdlog::error("SIGHUP: not reloading, carrying on with the running configuration: {}", checked.error().message);
      return wait_hup();
    }
    spdlog::info("SIGHUP: {} is valid; restarting in place to apply it", config_.path);
    end_ = DaemonEnd::reload;
    service_.reloading();
    shut_down();
  }

  const Config& config_;
  asio::signal_set stop_signals_;
  asio::signal_set hup_;
  ConfigCheck config_check_;
  SystemdNotify& service_;
  std::function<void()> stop_work_;
  DaemonEnd end_ = DaemonEnd::stopped;
  bool stopping_ = false;
};

}  // namespace

// The wiring: each part lives on this frame, built after what it refers to
// and destroyed before it, which is why it is one function; its phases
// (open_state, start_outbox, restore, Signals) are the helpers above.
// NOLINTNEXTLINE(readability-function-size)
DaemonEnd run_daemon(const Config& config, const MailTemplates& templates, std::vector<std::string> check_command,
                     const std::optional<LedgerKey>& ledger_key) {
  const Time started_at = now_utc();
  auto opened = open_state(config, ledger_key);
  if (!opened) {
    spdlog::critical("{}", opened.error().message);
    return DaemonEnd::failed;
  }
  auto outbox = start_outbox(config, opened->db_path, ledger_key);
  if (!outbox) {
    spdlog::critical("{}", outbox.error().message);
    return DaemonEnd::failed;
  }
  OutboxDrainer& drainer = *outbox->drainer;
  const auto wake_drainer = [&drainer] { drainer.wake(); };

  asio::io_context io(1);
  Store& store = *opened->store;
  StoreWriter writer(std::move(opened->store), post_to(io.get_executor()));
  WriteHealth health;
  OfficeAlarm office_alarm(config, opened->socket_dir + "/spool-fallback");
  health.on_change([&office_alarm](const std::optional<WriteFailure>& failing) {
    if (failing) office_alarm.alarm(*failing);
  });
  WebMonitor monitor(io.get_executor(), writer, health, config.daemon.max_concurrent_checks);
  // The writer thread has not been handed a job yet, so reading through the
  // same connection here is safe.
  SiteCrawler crawler(io.get_executor(), writer, health);
  auto engine_state = restore(store, config, monitor, crawler, started_at);
  if (!engine_state) {
    spdlog::critical("{}", engine_state.error().message);
    return DaemonEnd::failed;
  }
  IncidentKeeper incidents(io.get_executor(), writer, health, config, templates, wake_drainer, std::move(*engine_state),
                           started_at);
  monitor.on_verdict(
      [&incidents](const std::string& target, const CheckVerdict& verdict) { incidents.observe(target, verdict); });
  crawler.on_report([&incidents](const CrawlReport& report) { incidents.observe_crawl(report); });
  IsolationMonitor isolation(io.get_executor(), config, config.daemon.state_dir + "/evidence",
                             [&incidents](const IsolationObservation& o) { incidents.observe_isolation(o); });

  PeerLogLimit refused_changes;
  DaemonView view{config,
                  monitor,
                  crawler,
                  isolation,
                  writer,
                  health,
                  incidents,
                  outbox->transport,
                  opened->ledger,
                  started_at,
                  refused_changes,
                  drainer,
                  post_to(io.get_executor())};
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
  schedule_pruning(prune_timer, writer, config.daemon);
  asio::steady_timer checkpoint_timer(io);
  schedule_checkpoints(checkpoint_timer, writer, config, wake_drainer);
  monitor.start();
  crawler.start();
  isolation.start();
  incidents.start();
  spdlog::info("netwardend {} started: {} web targets, {} isolation watches, state in {}, socket {}, mail {}",
               NETWARDEN_VERSION, config.targets.size(), config.isolation.size(), config.daemon.state_dir,
               config.daemon.socket, outbox->transport);

  SystemdNotify service;
  Signals signals(io, config, std::move(check_command), service, [&] {
    monitor.stop();
    crawler.stop();
    isolation.stop();
    incidents.stop();
    control.stop();
    prune_timer.cancel();
    checkpoint_timer.cancel();
  });
  signals.start();
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
  return signals.end();
}

}  // namespace netwarden
