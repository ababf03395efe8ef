// Extraction in the child (extract_in_child): the real netwarden-extract
// reads leaked files and names broken ones; a child that loops, eats
// memory, crashes, breaks the sandbox's rules, hangs or babbles is killed
// or judged, reaped, and named, while the caller's io_context keeps
// running.
#include "probes/attachments/extract_sandbox.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>

#include "tests/attachment_fixtures.h"

namespace netwarden {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

ExtractLimits real_child() {
  ExtractLimits limits;
  limits.program = test::built_binary("daemon/netwarden-extract");
  return limits;
}

ExtractLimits misbehaving_child() {
  ExtractLimits limits;
  limits.program = test::built_binary("tests/attachment_misbehaving_child");
  limits.cpu = 1s;
  limits.wall = 5s;
  return limits;
}

Result<ExtractedText> in_child(std::string bytes, AttachmentKind kind, const ExtractLimits& limits) {
  asio::io_context io;
  std::optional<Result<ExtractedText>> out;
  asio::co_spawn(io, extract_in_child(io.get_executor(), std::move(bytes), kind, limits),
                 [&](std::exception_ptr error, Result<ExtractedText> result) {
                   if (error) std::rethrow_exception(error);
                   out = std::move(result);
                 });
  io.run();
  return std::move(*out);
}

std::string error_of(Result<ExtractedText> result) {
  EXPECT_FALSE(result.has_value()) << (result ? result->text : "");
  return result ? "" : result.error().message;
}

// Every child was reaped: no zombie left behind.
void expect_no_children() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(AttachmentSandboxTest, LeakedFilesReadInTheChild) {
  const std::vector<std::string> ids = test::fixture_ids();
  Result<ExtractedText> xlsx = in_child(test::attachment("students.xlsx"), AttachmentKind::xlsx, real_child());
  ASSERT_TRUE(xlsx.has_value()) << xlsx.error().message;
  EXPECT_EQ(test::ids_found(xlsx->text).size(), 6u) << xlsx->text;
  Result<ExtractedText> xls = in_child(test::attachment("students.xls"), AttachmentKind::xls, real_child());
  ASSERT_TRUE(xls.has_value()) << xls.error().message;
  EXPECT_EQ(test::ids_found(xls->text).size(), 6u) << xls->text;
  Result<ExtractedText> pdf = in_child(test::attachment("report.pdf"), AttachmentKind::pdf, real_child());
  ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
  EXPECT_EQ(test::ids_found(pdf->text), test::slice(ids, 9, 3)) << pdf->text;
  EXPECT_NE(pdf->text.find("贫困生资助名单"), std::string::npos) << pdf->text;
  EXPECT_EQ(pdf->parts, 2);
  Result<ExtractedText> docx = in_child(test::attachment("admitted.docx"), AttachmentKind::docx, real_child());
  ASSERT_TRUE(docx.has_value()) << docx.error().message;
  EXPECT_EQ(test::ids_found(docx->text), test::slice(ids, 6, 3)) << docx->text;
  Result<ExtractedText> scan = in_child(test::attachment("scan.pdf"), AttachmentKind::pdf, real_child());
  ASSERT_TRUE(scan.has_value()) << scan.error().message;
  EXPECT_TRUE(scan->image_only);
  expect_no_children();
}

TEST(AttachmentSandboxTest, BrokenFilesNamedByTheChild) {
  EXPECT_EQ(error_of(in_child(test::attachment("bomb.xlsx"), AttachmentKind::xlsx, real_child())),
            "zip bomb: entry xl/worksheets/sheet1.xml expands to more than 256 MiB");
  EXPECT_EQ(error_of(in_child(test::attachment("lying_bomb.xlsx"), AttachmentKind::xlsx, real_child())),
            "zip bomb: entry xl/worksheets/sheet1.xml expands to more than 256 MiB");
  EXPECT_EQ(error_of(in_child(test::attachment("truncated.pdf"), AttachmentKind::pdf, real_child())),
            "not a readable PDF: truncated (no %%EOF at the end)");
  EXPECT_EQ(error_of(in_child(test::attachment("minutes.doc"), AttachmentKind::doc, real_child())),
            "not inspected: .doc (Word 97-2003) is not read; save as .docx");
  expect_no_children();
}

TEST(AttachmentSandboxTest, TextBeyondTheCapIsCut) {
  ExtractLimits limits = real_child();
  limits.max_text = 10;
  Result<ExtractedText> text = in_child(std::string(100, 'a'), AttachmentKind::text, limits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(text->text, std::string(10, 'a'));
  EXPECT_TRUE(text->truncated);
}

TEST(AttachmentSandboxTest, MemoryLimit) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's shadow memory rules out an address-space limit";
#endif
  ExtractLimits limits = real_child();
  limits.memory = 128 << 20;
  // 48 MiB of GB18030 ("你"): read, then converted to UTF-8, it needs more.
  std::string text;
  for (int i = 0; i < (24 << 20); ++i) text += "\xC4\xE3";
  EXPECT_EQ(error_of(in_child(std::move(text), AttachmentKind::text, limits)), "needed more than 128 MiB");
  expect_no_children();
}

TEST(AttachmentSandboxTest, MisbehavingChildrenAreNamed) {
  const ExtractLimits limits = misbehaving_child();
  EXPECT_EQ(error_of(in_child("spin", AttachmentKind::text, limits)), "took more than 1 s of CPU");
  EXPECT_EQ(error_of(in_child("crash", AttachmentKind::text, limits)), "parser crashed (signal 6)");
  for (const char* forbidden : {"socket", "write", "exec", "service"}) {
    EXPECT_EQ(error_of(in_child(forbidden, AttachmentKind::text, limits)),
              "stopped by the sandbox (a forbidden system call)")
        << forbidden;
  }
  EXPECT_EQ(::access("/tmp/netwarden-sandbox-escape", F_OK), -1);
  EXPECT_EQ(error_of(in_child("garbage", AttachmentKind::text, limits)), "gave a garbled answer");
  EXPECT_EQ(error_of(in_child("flood", AttachmentKind::text, limits)),
            "gave a garbled answer (more text than allowed)");
  expect_no_children();
}

TEST(AttachmentSandboxTest, HangingChildIsKilledWhileTheIoThreadRuns) {
  ExtractLimits limits = misbehaving_child();
  limits.wall = 1s;
  asio::io_context io;
  std::optional<Result<ExtractedText>> out;
  int ticks = 0;
  asio::steady_timer tick(io);
  std::function<void()> next = [&] {
    tick.expires_after(50ms);
    tick.async_wait([&](boost::system::error_code ec) {
      if (!ec && !out) {
        ++ticks;
        next();
      }
    });
  };
  next();
  const auto start = std::chrono::steady_clock::now();
  asio::co_spawn(io, extract_in_child(io.get_executor(), "linger", AttachmentKind::text, limits),
                 [&](std::exception_ptr, Result<ExtractedText> result) { out = std::move(result); });
  io.run();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(out);
  EXPECT_EQ(error_of(std::move(*out)), "gave no answer within 1 s");
  EXPECT_LT(took, 5s);
  EXPECT_GE(ticks, 10);  // the timer kept firing while the child hung
  expect_no_children();
}

TEST(AttachmentSandboxTest, MissingProgram) {
  ExtractLimits limits = real_child();
  limits.program = "/nonexistent/netwarden-extract";
  const std::string error = error_of(in_child("text", AttachmentKind::text, limits));
  EXPECT_EQ(error,
            "cannot run netwarden-extract: cannot run /nonexistent/netwarden-extract: No such file or directory");
}

}  // namespace
}  // namespace netwarden
