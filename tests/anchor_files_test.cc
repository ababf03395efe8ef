#include "ctl/anchor_files.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace netwarden {
namespace {

using test::TempDir;

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');

std::string anchors_text(const Result<boost::json::array>& anchors) {
  return anchors ? boost::json::serialize(*anchors) : "error: " + anchors.error().message;
}

TEST(AnchorFilesTest, ReadsTheFoldedHeaderOfEveryMessageBelowADirectory) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("cur"));
  std::ofstream(dir.file("cur/a.eml")) << "From: x\r\nX-Netwarden-Ledger: seq=12;\r\n hash=" << kHashA
                                       << "\r\nSubject: s\r\n\r\nX-Netwarden-Ledger: seq=99; hash=" << kHashB << "\r\n";
  std::ofstream(dir.file("b.eml")) << "x-netwarden-ledger: seq=3; hash=" << kHashB << "\n\nbody\n";
  std::ofstream(dir.file("old.eml")) << "From: x\r\n\r\nno anchor in an older message\r\n";
  std::ofstream(dir.file("notes.txt")) << "not a message";
  EXPECT_EQ(anchors_text(read_anchor_files(dir.path().string())),
            R"([{"seq":3,"hash":")" + kHashB + R"(","source":")" + dir.file("b.eml") + R"("},{"seq":12,"hash":")" +
                kHashA + R"(","source":")" + dir.file("cur/a.eml") + R"("}])");

  std::ofstream(dir.file("bad.eml")) << "X-Netwarden-Ledger: seq=x; hash=" << kHashA << "\r\n\r\n";
  const auto bad = read_anchor_files(dir.path().string());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind(dir.file("bad.eml") + ": X-Netwarden-Ledger is not", 0), 0u)
      << bad.error().message;
}

TEST(AnchorFilesTest, ReadsSeqHashLinesOnceEachAndNamesABadLine) {
  TempDir dir;
  const auto list = dir.file("heads.txt");
  std::ofstream(list) << "# copied from the checkpoints\n5 " << kHashA << "\n\n7\t" << kHashB << "\n5 " << kHashA
                      << "\n";
  EXPECT_EQ(anchors_text(read_anchor_files(list)), R"([{"seq":5,"hash":")" + kHashA + R"(","source":")" + list +
                                                       R"(:2"},{"seq":7,"hash":")" + kHashB + R"(","source":")" + list +
                                                       R"(:4"}])");
  std::ofstream(list, std::ios::app) << "8 " << kHashA.substr(1) << "\n";
  EXPECT_EQ(anchors_text(read_anchor_files(list)),
            "error: " + list + ":6: expected \"SEQ HASH\" (a number and 64 lowercase hex digits)");
  EXPECT_FALSE(read_anchor_files(dir.file("missing.txt")));
}

}  // namespace
}  // namespace netwarden
