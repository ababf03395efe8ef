#include "tests/support/control_server_thread.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

namespace netwarden::test {

namespace asio = boost::asio;

// Member order matters: the server goes before the io_context it runs on.
struct ControlServerThread::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread;
  std::unique_ptr<ControlServer> server;
};

ControlServerThread::ControlServerThread() : impl_(std::make_unique<Impl>()) {}

ControlServerThread::~ControlServerThread() { stop(); }

Result<void> ControlServerThread::start(ControlServerOptions options, ControlHandler handler) {
  impl_->server = std::make_unique<ControlServer>(impl_->io.get_executor(), std::move(options), std::move(handler));
  auto started = impl_->server->start();
  if (started) impl_->thread = std::thread([this] { impl_->io.run(); });
  return started;
}

void ControlServerThread::run_on_io_thread(const std::function<void()>& work) {
  std::promise<void> done;
  asio::post(impl_->io, [&] {
    work();
    done.set_value();
  });
  done.get_future().wait();
}

void ControlServerThread::stop() {
  if (!impl_->thread.joinable()) return;
  std::promise<void> done;
  asio::post(impl_->io, [&] {
    impl_->server->stop();
    done.set_value();
  });
  done.get_future().wait();
  impl_->work.reset();
  impl_->thread.join();
}

}  // namespace netwarden::test
