// Reading ledger anchors (copies of the ledger head taken outside the
// database) from files, for `netwardenctl verify --anchors` and
// `netwardend --verify-ledger --anchors`.
//
// PATH is either a directory of delivered messages, every file named *.eml
// below it (the header "X-Netwarden-Ledger: seq=N; hash=HEX" the daemon puts
// in each message; messages without it are skipped), or a text file of
// "SEQ HASH" pairs, one per line (blank lines and lines starting with # are
// skipped). Each anchor is {"seq", "hash", "source"}, source being the file
// (and line) it came from; the same seq and hash found twice count once.
// An Error names the file (and line) that cannot be read or understood.
// Thread-safe: no shared state.
#pragma once

#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace netwarden {

Result<boost::json::array> read_anchor_files(const std::string& path);

// The anchor in an RFC 5322 message's header, if it has one; the Error
// says what is wrong with a header that is there.
Result<std::optional<std::pair<std::int64_t, std::string>>> anchor_in_message(std::string_view message);

}  // namespace netwarden
