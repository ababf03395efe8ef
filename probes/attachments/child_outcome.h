// How a netwarden-extract child ended, read as the result for its file.
#pragma once

#include <sys/resource.h>

#include <string_view>

#include "probes/attachments/extract_sandbox.h"

namespace netwarden::attachment_detail {

struct ChildEnd {
  int status = 0;          // waitpid's
  rusage usage{};          // the child's CPU time
  bool timed_out = false;  // killed by the daemon at the wall-clock limit
  bool overlong = false;   // killed for writing more than any answer can be
};

Result<ExtractedText> judge_child(const ChildEnd& end, std::string_view answer, const ExtractLimits& limits);

}  // namespace netwarden::attachment_detail
