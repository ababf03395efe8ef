// The attachments tests/support/make_attachments.py writes (leaked
// spreadsheets, documents and PDFs, and broken or hostile files), made once
// per test process into a temporary directory, and the ID numbers they
// hold.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "probes/content/personal_data.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace netwarden::test {

inline const TempDir& attachments_dir() {
  static const std::unique_ptr<TempDir> dir = [] {
    auto made = std::make_unique<TempDir>("attachments");
    const char* source = std::getenv("NETWARDEN_SOURCE_DIR");
    if (source == nullptr) throw std::runtime_error("run through ctest: NETWARDEN_SOURCE_DIR is not set");
    const Finished done = run_program(
        {"/usr/bin/python3", std::string(source) + "/tests/support/make_attachments.py", made->path().string()});
    if (done.exit_code != 0) throw std::runtime_error("make_attachments.py failed: " + done.err);
    return made;
  }();
  return *dir;
}

inline std::string attachment(const std::string& name) {
  std::ifstream in(attachments_dir().file(name), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ids.txt: the files' ID numbers, in order (text cells of the spreadsheets,
// numeric cells, the .docx's, the PDF's).
inline std::vector<std::string> fixture_ids() {
  std::istringstream lines(attachment("ids.txt"));
  std::vector<std::string> ids;
  for (std::string line; std::getline(lines, line);) ids.push_back(line);
  return ids;
}

// The ID numbers the personal-data finder counts in `text`.
inline std::vector<std::string> ids_found(std::string_view text) {
  using namespace std::chrono_literals;
  std::vector<std::string> found;
  for (const content_detail::PersonalNumber& n : content_detail::find_personal_numbers(text, 2026y / 12 / 3)) {
    if (n.kind == content_detail::PersonalKind::id_number) found.push_back(n.number);
  }
  return found;
}

inline std::vector<std::string> slice(const std::vector<std::string>& all, std::size_t from, std::size_t count) {
  return {all.begin() + static_cast<std::ptrdiff_t>(from), all.begin() + static_cast<std::ptrdiff_t>(from + count)};
}

}  // namespace netwarden::test
