// TempDir: a fresh directory under $TMPDIR for one test, removed with its
// contents when the TempDir goes out of scope.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace netwarden::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "netwarden") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace netwarden::test
