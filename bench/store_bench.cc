// Store::add_sample throughput: the write every web check makes.
#include <benchmark/benchmark.h>

#include <vector>

#include "common/sha256.h"
#include "daemon/store/store.h"
#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

Sample realistic_sample(std::int64_t i) {
  Sample s;
  s.target = "site-" + std::to_string(i % 1000);
  s.at = from_unix_ms(1'780'000'000'000 + i);
  s.up = true;
  s.status = 200;
  s.total_us = 48'000;
  s.dns_us = 900;
  s.connect_us = 1'200;
  s.tls_us = 9'000;
  s.first_byte_us = 30'000;
  s.size = 20'480;
  s.remote_address = "10.1.2.3:443";
  s.text_sha256 = sha256_hex("text" + std::to_string(i));
  s.structure_sha256 = sha256_hex("structure");
  s.cert_days_left = 61;
  s.details_json = R"({"tls_verified":true,"content":"unchanged","structure":"unchanged"})";
  return s;
}

// Writes `batch` samples per transaction into a fresh file.
void add_samples(benchmark::State& state) {
  const auto batch = state.range(0);
  test::TempDir dir("netwarden-bench");
  auto store = Store::open(dir.file("bench.db"));
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  Store& s = **store;
  // Built beforehand: the benchmark measures the store, not SHA-256.
  std::vector<Sample> samples;
  for (std::int64_t n = 0; n < 1000; ++n) samples.push_back(realistic_sample(n));
  std::int64_t i = 0;
  for (auto _ : state) {
    bool ok = s.begin().has_value();
    for (std::int64_t n = 0; n < batch && ok; ++n, ++i) {
      Sample& sample = samples[static_cast<std::size_t>(i % 1000)];
      sample.at = from_unix_ms(1'780'000'000'000 + i);
      ok = s.add_sample(sample).has_value();
    }
    ok = ok && s.commit().has_value();
    if (!ok) {
      state.SkipWithError("write failed");
      return;
    }
  }
  state.SetItemsProcessed(i);
}
// Wall-clock time: the writer thread waits for the disk too.
BENCHMARK(add_samples)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace netwarden

BENCHMARK_MAIN();
