#include "probes/reach/reach_probe.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <exception>

#include "probes/reach/reach_steps.h"

namespace netwarden {

namespace asio = boost::asio;

namespace {

// The attempts of one check, gathered in config order as its steps finish.
struct Gathering {
  std::vector<std::vector<ReachAttempt>> slots;
  std::size_t remaining = 0;
  std::function<void(ReachResult)> done;
  std::weak_ptr<const bool> probe;  // expired once the probe is gone: nobody to tell

  void fill(std::size_t slot, std::vector<ReachAttempt> attempts) {
    slots[slot] = std::move(attempts);
    if (--remaining > 0 || probe.expired()) return;
    std::vector<ReachAttempt> all;
    for (auto& s : slots) all.insert(all.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
    done(summarise(std::move(all)));
  }
};

asio::awaitable<std::vector<ReachAttempt>> as_list(asio::awaitable<ReachAttempt> step) {
  std::vector<ReachAttempt> one;
  one.push_back(co_await std::move(step));
  co_return one;
}

asio::awaitable<std::vector<ReachAttempt>> ready(std::vector<ReachAttempt> attempts) { co_return attempts; }

std::string what(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

struct ReachProbe::Impl {
  asio::any_io_executor executor;
  std::uint16_t dns_port;
  std::shared_ptr<const bool> alive = std::make_shared<const bool>(true);
};

ReachProbe::ReachProbe(asio::any_io_executor executor, std::uint16_t dns_port)
    : impl_(std::make_unique<Impl>(Impl{std::move(executor), dns_port})) {}

ReachProbe::~ReachProbe() = default;

void ReachProbe::check(const IsolationWatch& watch, std::function<void(ReachResult)> done) {
  struct Step {
    std::string target;
    asio::awaitable<std::vector<ReachAttempt>> run;
  };
  std::vector<Step> steps;
  steps.reserve(watch.endpoints.size());
  for (const std::string& endpoint : watch.endpoints) {
    steps.push_back({endpoint, reach::connect_to(endpoint, watch.timeout)});
  }
  for (const std::string& name : watch.must_not_resolve) {
    if (watch.resolvers.empty()) steps.push_back({name, as_list(reach::resolve_with_system(name, watch.timeout))});
    for (const std::string& resolver : watch.resolvers) {
      boost::system::error_code ec;
      const asio::ip::address address = asio::ip::make_address(resolver, ec);
      if (ec) {
        const std::string why = "\"" + resolver + "\" is not an IP address";
        steps.push_back({name, ready({{name, resolver, ReachOutcome::failed, why}})});
      } else {
        steps.push_back({name, as_list(reach::resolve_with(name, address, impl_->dns_port, watch.timeout))});
      }
    }
  }

  auto gathering = std::make_shared<Gathering>();
  gathering->slots.resize(steps.size());
  gathering->remaining = steps.size();
  gathering->done = std::move(done);
  gathering->probe = impl_->alive;
  if (steps.empty()) {
    asio::post(impl_->executor, [gathering] {
      if (!gathering->probe.expired()) gathering->done(summarise({}));
    });
    return;
  }
  for (std::size_t slot = 0; slot < steps.size(); ++slot) {
    asio::co_spawn(
        impl_->executor, std::move(steps[slot].run),
        [gathering, slot, target = steps[slot].target](std::exception_ptr error, std::vector<ReachAttempt> attempts) {
          if (error) attempts = {{target, "", ReachOutcome::failed, "internal error: " + what(error)}};
          gathering->fill(slot, std::move(attempts));
        });
  }
}

}  // namespace netwarden
