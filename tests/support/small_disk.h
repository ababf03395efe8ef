// SmallDisk: a tmpfs of a chosen size mounted on a directory, which a test
// can fill to the last byte and free again, to run the daemon on a disk
// that runs out of space. Needs root (mount).
//
//   auto disk = SmallDisk::mount(dir.file("state"), 8 << 20);
//   ASSERT_TRUE(disk) << disk.error().message;
//   ASSERT_TRUE((*disk)->fill());  // every write that needs a new block now fails with ENOSPC
//   (*disk)->free_space();
//
// Filling grows one file, `.filler`, until the kernel answers ENOSPC; a
// write into blocks a file already has still succeeds on a full tmpfs, so
// whoever needs its writes to fail must make them need new blocks (see
// tests/fault/fault_daemon.h for SQLite's write-ahead log). The destructor
// unmounts (lazily, so a process still holding a file does not stop it).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"

namespace netwarden::test {

class SmallDisk {
 public:
  // Creates `directory` if needed and mounts a tmpfs of `bytes` on it.
  static Result<std::unique_ptr<SmallDisk>> mount(const std::string& directory, std::uint64_t bytes);
  ~SmallDisk();
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  // Grows the filler until no block is left; its size in bytes.
  Result<std::uint64_t> fill();
  // Removes the filler. Idempotent.
  void free_space();
  // Bytes still free, as statvfs(2) reports them.
  std::uint64_t available() const;

 private:
  explicit SmallDisk(std::string directory) : directory_(std::move(directory)) {}
  std::string filler() const { return directory_ + "/.filler"; }

  std::string directory_;
};

}  // namespace netwarden::test
