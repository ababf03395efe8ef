#include "daemon/store/store_writer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "daemon/post_to.h"
#include "daemon/store/store.h"
#include "tests/support/open_store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/writer_gate.h"

namespace netwarden {
namespace {

using test::open_store;

namespace asio = boost::asio;
using test::TempDir;

Sample sample(const std::string& target, std::int64_t at_ms) {
  Sample s;
  s.target = target;
  s.at = from_unix_ms(at_ms);
  s.up = true;
  s.status = 200;
  s.details_json = "{}";
  return s;
}

StoreWriter::Job add(const std::string& target, std::int64_t at_ms) {
  return [s = sample(target, at_ms)](Store& store) { return store.add_sample(s); };
}

std::size_t count(Store& store, const std::string& target) {
  auto rows = store.samples(target, 1000000);
  EXPECT_TRUE(rows) << rows.error().message;
  return rows ? rows->size() : 0;
}

// Runs Done callbacks on this thread until `done` holds; a writer that never
// reports fails the test instead of hanging it.
template <class Predicate>
void run_until(asio::io_context& io, Predicate done) {
  while (!done()) ASSERT_GT(io.run_one_for(std::chrono::seconds(10)), 0u) << "no Done callback arrived";
}

struct WriterTest : ::testing::Test {
  TempDir dir;
  std::string path = dir.file("netwarden.db");
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
};

TEST_F(WriterTest, JobsRunInOrderAndDoneRunsOnTheExecutorAfterCommit) {
  auto reader = open_store(path);  // a second connection sees only committed data
  StoreWriter writer(open_store(path), post_to(io.get_executor()));
  const auto io_thread = std::this_thread::get_id();
  std::vector<int> ran;  // touched only by the writer thread until stop()
  std::vector<int> done;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(writer.post(
        [&ran, i, job = add("portal", i)](Store& s) {
          ran.push_back(i);
          return job(s);
        },
        [&, i](Result<void> r) {
          EXPECT_TRUE(r) << r.error().message;
          EXPECT_EQ(std::this_thread::get_id(), io_thread);
          EXPECT_GE(count(*reader, "portal"), static_cast<std::size_t>(i + 1)) << "Done before commit";
          done.push_back(i);
        }));
  }
  run_until(io, [&] { return done.size() == 50; });
  writer.stop();

  std::vector<int> expected(50);
  for (int i = 0; i < 50; ++i) expected[static_cast<std::size_t>(i)] = i;
  EXPECT_EQ(ran, expected);
  EXPECT_EQ(done, expected);
}

TEST_F(WriterTest, JobsQueuedTogetherShareOneTransaction) {
  auto reader = open_store(path);
  StoreWriter writer(open_store(path), post_to(io.get_executor()));
  test::WriterGate gate;
  ASSERT_TRUE(writer.post(gate.job()));
  gate.wait_entered();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(writer.post(add("portal", i)));
  std::size_t seen_by_writer = 0, seen_by_reader = 0;
  ASSERT_TRUE(writer.post([&](Store& s) -> Result<void> {
    seen_by_writer = count(s, "portal");
    seen_by_reader = count(*reader, "portal");  // used by this thread only while the writer waits on it
    return {};
  }));
  EXPECT_EQ(writer.pending(), 102u);
  gate.release();
  writer.stop();
  EXPECT_EQ(seen_by_writer, 100u);
  EXPECT_EQ(seen_by_reader, 0u) << "the batch was not one transaction";
  EXPECT_EQ(count(*reader, "portal"), 100u);
  EXPECT_EQ(writer.pending(), 0u);
}

TEST_F(WriterTest, AFailingJobIsUndoneAloneAndReportsItsError) {
  StoreWriter writer(open_store(path), post_to(io.get_executor()));
  test::WriterGate gate;
  ASSERT_TRUE(writer.post(gate.job()));
  gate.wait_entered();
  std::vector<Result<void>> results;
  auto record = [&](Result<void> r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(writer.post(add("a", 1), record));
  ASSERT_TRUE(writer.post(
      [job = add("b", 1)](Store& s) -> Result<void> {
        if (auto added = job(s); !added) return added;
        return fail("boom");
      },
      record));
  ASSERT_TRUE(writer.post([](Store&) -> Result<void> { throw std::runtime_error("bad job"); }, record));
  ASSERT_TRUE(writer.post(add("c", 1), record));
  gate.release();
  run_until(io, [&] { return results.size() == 4; });
  writer.stop();

  EXPECT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().message, "boom");
  ASSERT_FALSE(results[2]);
  EXPECT_EQ(results[2].error().message, "store job threw: bad job");
  EXPECT_TRUE(results[3]);
  auto store = open_store(path);
  EXPECT_EQ(count(*store, "a"), 1u);
  EXPECT_EQ(count(*store, "b"), 0u);
  EXPECT_EQ(count(*store, "c"), 1u);
}

TEST_F(WriterTest, AFullQueueRefusesAndCounts) {
  StoreWriter writer(open_store(path), post_to(io.get_executor()), 3);
  test::WriterGate gate;
  ASSERT_TRUE(writer.post(gate.job()));
  gate.wait_entered();
  EXPECT_TRUE(writer.post(add("portal", 1)));
  EXPECT_TRUE(writer.post(add("portal", 2)));
  EXPECT_FALSE(writer.post(add("portal", 3)));
  EXPECT_FALSE(writer.post(add("portal", 4)));
  EXPECT_EQ(writer.refused(), 2u);
  EXPECT_EQ(writer.pending(), 3u);
  gate.release();
  writer.stop();
  EXPECT_EQ(writer.pending(), 0u);
  EXPECT_FALSE(writer.post(add("portal", 5)));  // after stop: not run, not a full queue
  EXPECT_EQ(writer.refused(), 2u);
  EXPECT_EQ(count(*open_store(path), "portal"), 2u);
}

TEST_F(WriterTest, StopDrainsTheQueue) {
  StoreWriter writer(open_store(path), post_to(io.get_executor()));
  int ok = 0;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(writer.post(add("portal", i), [&ok](Result<void> r) { ok += r ? 1 : 0; }));
  writer.stop();
  writer.stop();
  EXPECT_EQ(count(*open_store(path), "portal"), 1000u);
  work.reset();
  io.run();
  EXPECT_EQ(ok, 1000);
}

// A process killed at any moment keeps every write whose Done it saw.
TEST_F(WriterTest, EveryReportedWriteSurvivesSigkill) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    auto store = Store::open(path);
    if (!store) _exit(2);
    asio::io_context child_io;
    auto child_work = asio::make_work_guard(child_io);
    StoreWriter writer(std::move(*store), post_to(child_io.get_executor()), 1000);
    std::thread poster([&] {
      for (std::int64_t i = 0; i < 1000000;) {
        auto job = [i](Store& s) { return s.put_target_state({"job-" + std::to_string(i), from_unix_ms(i), "{}"}); };
        auto done = [fd = fds[1], i](Result<void> r) {
          if (r && write(fd, &i, sizeof i) != sizeof i) _exit(3);
        };
        if (writer.post(job, done)) {
          ++i;
        } else {
          std::this_thread::yield();
        }
      }
    });
    child_io.run();
    _exit(4);
  }
  close(fds[1]);
  std::set<std::int64_t> reported;
  std::int64_t id = 0;
  while (reported.size() < 3000 && read(fds[0], &id, sizeof id) == sizeof id) reported.insert(id);
  kill(child, SIGKILL);
  while (read(fds[0], &id, sizeof id) == sizeof id) reported.insert(id);  // written before the kill
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  ASSERT_GE(reported.size(), 3000u);

  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto states = store->target_states();
  ASSERT_TRUE(states) << states.error().message;
  std::set<std::int64_t> stored;
  for (const auto& row : *states) stored.insert(to_unix_ms(row.updated_at));
  for (std::int64_t r : reported) ASSERT_TRUE(stored.contains(r)) << "job " << r << " was reported done but is lost";
  // Jobs commit in order, so what survived is a prefix of what was posted.
  EXPECT_EQ(*stored.rbegin() + 1, static_cast<std::int64_t>(stored.size()));
}

}  // namespace
}  // namespace netwarden
